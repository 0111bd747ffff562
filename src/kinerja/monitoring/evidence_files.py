"""What an evidence file (bukti dukung) must be before it is stored, and how it is named.

A file is checked by its structure, never by its name or its first bytes alone:

- PDF: starts with ``%PDF-``, opens with pypdf, has at least one page, is not locked by a
  password, and no object reachable from its trailer carries JavaScript or a launch action
  (``/JS``, ``/JavaScript``, ``/S /Launch``, also as ``/OpenAction`` or ``/AA``).
- JPG, PNG: Pillow opens it, its format is the one the extension names, it has at most
  ``KINERJA_EVIDENCE_MAX_PIXELS`` pixels, and it decodes to the end (a truncated or corrupted
  image is refused).
- XLSX, DOCX: a zip starting at byte 0 whose central directory declares at most
  ``KINERJA_EVIDENCE_MAX_ENTRIES`` entries and ``KINERJA_EVIDENCE_MAX_UNCOMPRESSED`` bytes in
  all, no entry name that is absolute or climbs out (``..``, ``\\``, NUL), no macros
  (``vbaProject.bin``), a ``[Content_Types].xml`` naming the extension's main part (which is in
  the zip); every entry is then decompressed up to its declared size with its CRC checked, so
  an entry that lies about its size is refused too.
- Every type: not empty, at most ``KINERJA_EVIDENCE_MAX_BYTES`` bytes, and no HTML or script
  anywhere in it (``<script``, ``<html``, ``<svg`` …): a file that is also a web page (a
  polyglot) is refused even though it is served only as an attachment with ``nosniff``.

The stored name is generated (``bukti/<year>/<uuid>.<ext>``); the uploaded name is kept only as
text to display, without control or format characters and without any folder part.
"""

from __future__ import annotations

import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Defaults; each may be lowered (tests) or raised in settings under the KINERJA_ name.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # one file
EVIDENCE_MAX_FILES_PER_POST = 10
EVIDENCE_MAX_FILES_PER_REALISATION = 20
EVIDENCE_MAX_UNCOMPRESSED = 100 * 1024 * 1024  # an OOXML file, all its parts unpacked
EVIDENCE_MAX_ENTRIES = 1000  # parts of an OOXML file (a docx has ~20, a large xlsx ~200)
EVIDENCE_MAX_PIXELS = 60_000_000  # a 50-megapixel camera photo passes; decoding stays bounded
EVIDENCE_MAX_PDF_OBJECTS = 200_000
EVIDENCE_NAME_MAX = 200  # characters of the displayed original name

_OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_IMAGE_FORMAT = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
# what makes a browser (or a careless viewer) treat bytes as a web page
_HTML = re.compile(
    rb"<\s*(?:script|html|body|head|iframe|svg|object|embed|frameset|meta|!doctype\s+html)\b"
    rb"|javascript\s*:",
    re.IGNORECASE,
)
_CHUNK = 1024 * 1024


class EvidenceRefused(ValueError):
    """A file that may not be evidence; ``str()`` is the Indonesian reason."""


def limit(name: str) -> int:
    """The limit in force: ``settings.KINERJA_<NAME>`` or this module's default."""
    return int(getattr(settings, f"KINERJA_{name}", globals()[name]))


def human_size(size: int) -> str:
    """10 MB, 512 KB or 100 bita: how a limit is named in a message."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bita"


def display_name(name: str) -> str:
    """The uploaded name as text to show: its last path part, no control or format characters
    (NUL, a right-to-left override), at most EVIDENCE_NAME_MAX characters keeping the
    extension. Never used to store or to serve the file."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > EVIDENCE_NAME_MAX:
        stem, ext = os.path.splitext(name)
        name = stem[: EVIDENCE_NAME_MAX - len(ext)] + ext
    return name


def evidence_upload_to(instance: Any, filename: str) -> str:
    """``bukti/<year>/<uuid>.<ext>``: the uploaded name never reaches the storage."""
    ext = os.path.splitext(filename)[1].lower()
    if ext not in EVIDENCE_TYPES:
        ext = ".bin"
    return f"bukti/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"


def _refuse(name: str, reason: str) -> EvidenceRefused:
    return EvidenceRefused(f"«{display_name(name) or '?'}»: {reason}")


def _not_a(name: str, ext: str, why: str = "") -> EvidenceRefused:
    """«sk.pdf»: isinya bukan berkas PDF (tidak dapat dibuka)."""
    text = _("isinya bukan berkas %(type)s") % {"type": ext.lstrip(".").upper()}
    return _refuse(name, f"{text} {why}".strip() + ".")


def check_name(name: str) -> str:
    """The lower-case extension if the name may be evidence."""
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise _refuse(name, _("nama berkas berisi karakter kendali; ganti namanya."))
    stem, ext = os.path.splitext(name.replace("\\", "/").rsplit("/", 1)[-1])
    ext = ext.lower()
    if ext not in EVIDENCE_TYPES or not stem.strip(" ."):
        raise EvidenceRefused(_("«%(name)s»: jenis berkas tidak diterima (PDF, JPG, PNG, XLSX, "
                                "DOCX).") % {"name": display_name(name) or name})  # fmt: skip
    return ext


_MAGIC = {".pdf": b"%PDF-", ".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff",
          ".jpeg": b"\xff\xd8\xff", ".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04"}  # fmt: skip


def check_evidence_basics(name: str, content: IO[bytes], size: int) -> str:
    """The cheap checks, made for every file of a post before anything is opened: the name, the
    size, not empty, the first bytes of the extension's type at byte 0 (so HTML or anything
    else before a PDF, an image or a zip is refused here)."""
    ext = check_name(name)
    if size > limit("EVIDENCE_MAX_BYTES"):
        raise EvidenceRefused(_("«%(name)s» lebih dari %(limit)s.") % {
            "name": display_name(name), "limit": human_size(limit("EVIDENCE_MAX_BYTES"))})  # fmt: skip
    if size == 0:
        raise _not_a(name, ext, _("(berkas kosong)"))
    content.seek(0)
    head = content.read(len(_MAGIC[ext]))
    content.seek(0)
    if head != _MAGIC[ext]:
        raise _not_a(name, ext)
    return ext


def check_evidence_content(name: str, content: IO[bytes], size: int) -> str:
    """The file's extension if ``content`` may be stored as evidence named ``name``;
    EvidenceRefused (Indonesian) otherwise. ``content`` is read from its start and left at it."""
    ext = check_evidence_basics(name, content, size)
    try:
        content.seek(0)
        _check_no_html(name, content)
        content.seek(0)
        if ext == ".pdf":
            _check_pdf(name, content)
        elif ext in _IMAGE_FORMAT:
            _check_image(name, ext, content)
        else:
            _check_ooxml(name, ext, content)
    finally:
        content.seek(0)
    return ext


def _check_no_html(name: str, content: IO[bytes]) -> None:
    tail = b""
    while chunk := content.read(_CHUNK):
        if _HTML.search(tail + chunk):
            raise _refuse(name, _("berisi kode HTML atau skrip; berkas seperti ini tidak "
                                  "diterima."))  # fmt: skip
        tail = chunk[-32:]


def _check_pdf(name: str, content: IO[bytes]) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(content, strict=False)
        if reader.is_encrypted:
            raise _refuse(name, _("PDF terkunci sandi; unggah salinan tanpa sandi."))
        if len(reader.pages) < 1:
            raise _not_a(name, ".pdf", _("(tidak ada halaman)"))
        stack: list[Any] = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                if len(seen) > limit("EVIDENCE_MAX_PDF_OBJECTS"):
                    raise _refuse(name, _("PDF terlalu rumit untuk diperiksa."))
                stack.append(obj.get_object())
            elif isinstance(obj, DictionaryObject):
                keys = set(obj.keys())
                if keys & {"/JS", "/JavaScript"} or obj.get("/S") in (
                    NameObject("/JavaScript"), NameObject("/Launch")):  # fmt: skip
                    raise _refuse(name, _("PDF berisi JavaScript atau aksi yang menjalankan "
                                          "program; simpan ulang tanpa skrip (mis. cetak ke PDF)."))  # fmt: skip
                stack.extend(v for k, v in obj.items() if k != "/Parent")
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except EvidenceRefused:
        raise
    except Exception as exc:  # a malformed PDF may raise anything from the parser
        raise _not_a(name, ".pdf", _("(tidak dapat dibuka)")) from exc


def _check_image(name: str, ext: str, content: IO[bytes]) -> None:
    import warnings

    from PIL import Image, UnidentifiedImageError

    too_large = _refuse(name, _("gambar lebih dari %(n)s juta piksel.") % {
        "n": limit("EVIDENCE_MAX_PIXELS") // 1_000_000})  # fmt: skip
    try:
        with warnings.catch_warnings():  # the size is checked here, before any decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(content)
        with img:
            found = img.format
            pixels = img.width * img.height
            if found == _IMAGE_FORMAT[ext] and pixels <= limit("EVIDENCE_MAX_PIXELS"):
                img.verify()
        if found != _IMAGE_FORMAT[ext]:
            raise _not_a(name, ext)
        if pixels > limit("EVIDENCE_MAX_PIXELS"):
            raise too_large
        content.seek(0)
        with Image.open(content) as img:  # verify() leaves the image unusable: open again
            if img.format == "JPEG":  # decoded at 1/8 scale: every block is still read
                img.draft(None, (img.width // 8, img.height // 8))
            img.load()  # decodes to the end: a truncated or corrupted image fails here
    except EvidenceRefused:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own bound, far above ours
        raise too_large from exc
    except UnidentifiedImageError as exc:
        raise _not_a(name, ext) from exc
    except (OSError, SyntaxError, ValueError, zlib.error,
            EOFError) as exc:  # fmt: skip
        raise _not_a(name, ext, _("(tidak dapat dibuka)")) from exc


def _check_ooxml(name: str, ext: str, content: IO[bytes]) -> None:
    try:
        archive = zipfile.ZipFile(content)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_a(name, ext, _("(tidak dapat dibuka)")) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > limit("EVIDENCE_MAX_ENTRIES"):
            raise _refuse(name, _("berisi lebih dari %(n)s bagian.") % {
                "n": limit("EVIDENCE_MAX_ENTRIES")})  # fmt: skip
        total = sum(e.file_size for e in entries)
        if total > limit("EVIDENCE_MAX_UNCOMPRESSED"):
            raise _refuse(name, _("isinya setelah dibuka lebih dari %(limit)s.") % {
                "limit": human_size(limit("EVIDENCE_MAX_UNCOMPRESSED"))})  # fmt: skip
        names = set()
        for e in entries:
            parts = e.filename.split("/")
            if (e.filename.startswith("/") or "\\" in e.filename or "\x00" in e.filename
                    or ".." in parts or re.match(r"[A-Za-z]:", e.filename)):  # fmt: skip
                raise _refuse(name, _("berisi nama bagian yang tidak sah."))
            if e.flag_bits & 0x1:
                raise _refuse(name, _("terkunci sandi; unggah salinan tanpa sandi."))
            if parts[-1].lower() == "vbaproject.bin":
                raise _refuse(name, _("berisi makro; simpan ulang sebagai %(type)s biasa.")
                              % {"type": ext.lstrip(".").upper()})  # fmt: skip
            names.add(e.filename)
        try:
            for e in entries:  # decompressed up to the declared size, CRC checked
                with archive.open(e) as part:
                    while part.read(_CHUNK):
                        pass
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names \
                else b""  # fmt: skip
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                zlib.error, RuntimeError) as exc:  # fmt: skip
            raise _not_a(name, ext, _("(tidak dapat dibuka)")) from exc
    if not _names_main_part(types, _OOXML_MAIN[ext], names):
        raise _not_a(name, ext)


def _names_main_part(types: bytes, main: str, names: set[str]) -> bool:
    """Whether [Content_Types].xml gives ``main`` to a part present in the zip. Parsed without
    a DTD, entities or the network; a document with a DOCTYPE is refused."""
    from lxml import etree

    if not types or b"<!DOCTYPE" in types.upper():
        return False
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)  # fmt: skip
    try:
        root = etree.fromstring(types, parser)
    except etree.XMLSyntaxError:
        return False
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    return any(o.get("ContentType") == main and o.get("PartName", "").lstrip("/") in names
               for o in root.iter(f"{ns}Override"))  # fmt: skip


def validate_evidence(value: Any) -> None:
    """The model field's validator, so a file added in the admin is checked the same way. A file
    already stored is not read again."""
    if getattr(value, "_committed", True):
        return
    upload = value.file
    try:
        check_evidence_content(getattr(upload, "name", "") or value.name, upload, upload.size)
    except EvidenceRefused as exc:
        raise ValidationError(str(exc)) from exc
