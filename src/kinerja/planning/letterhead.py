"""The kop surat (letterhead) of an agency's year: its logo's checks and storage, and the
write the operator's screen makes (``set_letterhead``).

The logo is kept through Django's storage API (never a path one process owns: production
runs stateless processes) under a content-addressed name, ``kop/<sha256>.<png|jpg>``: the
same bytes always have the same name, a name always means the same bytes, and a file is never
deleted or overwritten, so a quarter's approved snapshot that names a logo reads the image it
was approved with. A logo is a PNG or a JPEG, checked by its structure (Pillow opens and
decodes it to the end, in the format its first bytes claim), at most ``LOGO_MAX_BYTES`` and
``LOGO_MAX_SIDE`` pixels a side.

The demo's logo is a neutral emblem shipped in the package (``data/kop-contoh.png``); its
name resolves to the shipped bytes also where the storage has lost it (a fresh media
folder), since the name is their hash.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_plan
from kinerja.limits import REASON_MAX, check_text

from .domain import RevisionRefused, _lock, _unchanged_or_mine
from .models import Agency, Letterhead

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000  # pixels; a logo is printed a few centimetres wide
LOGO_MIN_SIDE = 16
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg"}
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
EXAMPLE_LOGO = "data/kop-contoh.png"
# the fields the screen draws and posts back as ``was-<field>`` (planning/concurrency.py)
KOP_FIELDS = ("address", "telephone", "email", "website")


class LogoRefused(ValueError):
    """A file that may not be a kop's logo; ``str()`` is the Indonesian reason."""


def check_logo(data: bytes) -> str:
    """The extension ("png" or "jpg") the logo ``data`` is stored with; LogoRefused with the
    Indonesian reason where it is not a bounded PNG or JPEG image that decodes."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise LogoRefused(_("Berkas logo kosong."))
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused(_("Berkas logo lebih dari %(n)s MB.") % {"n": LOGO_MAX_BYTES >> 20})
    claimed = next((fmt for magic, fmt in _MAGIC.items() if data.startswith(magic)), None)
    not_image = _("Logo harus berupa gambar PNG atau JPG; berkas ini bukan gambar PNG atau JPG.")
    if claimed is None:
        raise LogoRefused(not_image)
    try:
        with Image.open(io.BytesIO(data), formats=[claimed]) as img:
            width, height = img.size
            if max(width, height) > LOGO_MAX_SIDE or min(width, height) < LOGO_MIN_SIDE:
                raise LogoRefused(_("Ukuran logo %(w)s × %(h)s piksel; paling kecil %(lo)s dan "
                                    "paling besar %(hi)s piksel tiap sisi.")
                                  % {"w": width, "h": height, "lo": LOGO_MIN_SIDE,
                                     "hi": LOGO_MAX_SIDE})  # fmt: skip
            img.verify()
        with Image.open(io.BytesIO(data), formats=[claimed]) as img:  # verify() spends it
            img.load()  # decodes to the end: a truncated or corrupted image fails here
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, zlib.error,
            EOFError, Image.DecompressionBombError) as exc:  # fmt: skip
        raise LogoRefused(_("Logo tidak dapat dibuka sebagai gambar %(fmt)s (rusak atau "
                            "terpotong).") % {"fmt": claimed}) from exc  # fmt: skip
    return LOGO_FORMATS[claimed]


def logo_name(data: bytes, ext: str) -> str:
    """``kop/<sha256>.<ext>``: the storage name of these bytes."""
    return f"kop/{hashlib.sha256(data).hexdigest()}.{ext}"


def store_logo(data: bytes) -> str:
    """Check the logo and keep it in the default storage under its content-addressed name
    (written once; the same bytes again write nothing). Returns the name."""
    name = logo_name(data, check_logo(data))
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # another process stored the same bytes at the same moment
            default_storage.delete(saved)
    return name


def example_logo() -> bytes:
    """The neutral emblem the demo's kop carries (shipped in the package)."""
    return resources.files("kinerja").joinpath(EXAMPLE_LOGO).read_bytes()


def read_logo(name: str) -> bytes | None:
    """The bytes of a stored logo; None for no name, a name that is not a logo's, or a file
    the storage no longer has (never an exception: a report prints without the logo)."""
    if not name or not name.startswith("kop/") or ".." in name:
        return None
    try:
        with default_storage.open(name, "rb") as fh:
            data: bytes = fh.read(LOGO_MAX_BYTES + 1)
            return data
    except (OSError, ValueError):
        example = example_logo()
        return example if name == logo_name(example, "png") else None


def logo_ext(name: str) -> str:
    return name.rsplit(".", 1)[-1] if name.endswith((".png", ".jpg")) else ""


def letterhead_of(agency: Agency, year: int) -> Letterhead | None:
    return Letterhead.objects.filter(agency=agency, year=year).first()


@transaction.atomic
def set_letterhead(
    *,
    user: Any,
    agency: Agency,
    year: int,
    address: str,
    telephone: str,
    email: str,
    website: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
    reason: str = "",
    expected: Mapping[str, Any] | None = None,
) -> Letterhead:
    """Set the kop surat of an agency's year (created on its first save). ``logo``: the
    bytes of a new logo (checked and stored, see ``store_logo``); ``remove_logo``: print none.
    ``expected``: the values (``KOP_FIELDS`` and "logo", its storage name) the page was
    drawn with; Conflict where someone else changed one since (planning/concurrency.py)."""
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah kop suratnya.")
                              % {"agency": agency})  # fmt: skip
    tidy = {"address": address.strip(), "telephone": telephone.strip(),
            "email": email.strip(), "website": website.strip()}  # fmt: skip
    for field, value in tidy.items():
        model_field = Letterhead._meta.get_field(field)
        check_text(value, label=str(model_field.verbose_name).capitalize(),
                   limit=model_field.max_length, error=RevisionRefused)  # fmt: skip
        try:
            model_field.run_validators(value)
        except ValidationError as exc:
            raise RevisionRefused(" ".join(exc.messages)) from exc
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    if logo is not None:
        try:
            tidy["logo"] = store_logo(logo)
        except LogoRefused as exc:
            raise RevisionRefused(str(exc)) from exc
    elif remove_logo:
        tidy["logo"] = ""
    # one writer of an agency's kop at a time: the first save creates the row
    list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
    row = letterhead_of(agency, year) or Letterhead(agency=agency, year=year)
    _lock(row, expected)
    drawn = None if expected is None else {
        k: str(v).strip() for k, v in expected.items() if k in tidy}  # fmt: skip
    if drawn is not None and "logo" in tidy:
        drawn.setdefault("logo", row.logo)  # a chosen file or "hapus" always means a change
    values = _unchanged_or_mine(row, tidy, drawn, {f: f for f in tidy})
    changed = [f for f, value in values.items() if getattr(row, f) != value]
    if row.pk is not None and not changed:
        return row  # nothing to write, and no history entry for it
    for field in changed:
        setattr(row, field, values[field])
    row._change_reason = reason.strip() or _("Kop surat diperbarui.")  # type: ignore[attr-defined]
    row._history_user = user  # type: ignore[attr-defined]
    if row.pk is None:
        row.save()
    else:
        row.save(update_fields=changed)
    return row
