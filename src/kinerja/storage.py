"""Files under MEDIA_ROOT appear whole or not at all.

Django's FileSystemStorage writes a new file under its final name chunk by chunk, so a
process killed mid-write (kill -9, a crash, a full disk) leaves a truncated report or evidence
file that looks like a real one. This storage writes to a hidden temporary file in the same
folder, flushes it to disk, and only then links it under its final name (``os.link`` refuses
an existing name, so two writers never overwrite each other). A killed writer leaves at most a
``.<name>.part`` file, never a partial file under a name a GeneratedReport or Evidence row
points to. Object storage (django-storages) is atomic per upload and needs none of this.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "temporary_file_path"):
            return super()._save(name, content)  # a large upload: already moved by rename
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, part = tempfile.mkstemp(
            dir=directory, prefix=f".{os.path.basename(full_path)}.", suffix=".part"
        )
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in content.chunks():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                fh.flush()
                os.fsync(fh.fileno())
            while True:
                try:
                    os.link(part, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            os.unlink(part)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)  # mkstemp made it 0600
        return os.path.relpath(full_path, self.location).replace("\\", "/")
