"""Evidence files built in the test, valid and hostile: real PDFs (pypdf and written by hand),
images (Pillow), workbooks (xlsxwriter), documents (python-docx), and zips taken apart."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image
from PIL.PngImagePlugin import PngInfo


def pdf() -> bytes:
    """A one-page PDF as pypdf writes it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(catalog: bytes = b"", *extra: bytes, header: bytes = b"%PDF-1.4\n") -> bytes:
    """A one-page PDF written by hand: ``catalog`` is added to the catalog's dictionary and
    ``extra`` are objects 4, 5 … (so the catalog can point at them)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", *extra]  # fmt: skip
    out = header + b"%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)  # fmt: skip
    return out


def pdf_with_js_in_object_stream() -> bytes:
    """PDF 1.5: the OpenAction's JavaScript sits in a compressed object stream, so the bytes of
    the file never spell /JavaScript."""
    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    index = b"4 0 "
    stream = zlib.compress(index + action)
    objects = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]  # fmt: skip
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets.append(len(out))  # object 5: the object stream holding object 4
    out += (b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (len(index), len(stream)) + stream + b"\nendstream\nendobj\n")  # fmt: skip
    xref_at = len(out)
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    rows += [b"\x01" + struct.pack(">IH", offsets[i], 0) for i in range(3)]
    rows.append(b"\x02" + struct.pack(">IH", 5, 0))  # object 4: in stream 5, index 0
    rows.append(b"\x01" + struct.pack(">IH", offsets[3], 0))  # object 5
    rows.append(b"\x01" + struct.pack(">IH", xref_at, 0))  # object 6: this xref stream
    data = b"".join(rows)
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % len(data) + data + b"\nendstream\nendobj\n")  # fmt: skip
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return out


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("rahasia", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image(fmt: str, size: tuple[int, int] = (40, 30), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def png_with_text(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    return image("PNG", pnginfo=info)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height pixels, with one tiny data chunk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))  # fmt: skip


def xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Realisasi").write(0, 0, "Bukti")
    book.close()
    return out.getvalue()


def docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Surat Keputusan")
    document.save(out)
    return out.getvalue()


def rezip(source: bytes, *, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> bytes:  # fmt: skip
    """``source`` (a zip) with entries replaced, added or dropped."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:  # fmt: skip
        for info in old.infolist():
            if info.filename not in drop:
                new.writestr(info.filename, replace.get(info.filename, old.read(info)))
        for name, data in add.items():
            new.writestr(name, data)
    return out.getvalue()


def content_types(main: str) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            b'/xml"/><Override PartName="/word/document.xml" ContentType="' + main.encode()
            + b'"/></Types>')  # fmt: skip


def _declare_size(source: bytes, entry: str, size: int) -> bytes:
    """``source`` (a zip) with ``entry``'s uncompressed size set to ``size`` in its local
    header and in the central directory; its data are unchanged."""
    data = bytearray(source)
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        local = z.getinfo(entry).header_offset
    data[local + 22 : local + 26] = struct.pack("<I", size)
    at = data.find(b"PK\x01\x02")
    while at != -1:  # central directory entries: the name at 46, the size at 24
        name_len = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == entry.encode():
            data[at + 24 : at + 28] = struct.pack("<I", size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def declared_bomb(declared: int) -> bytes:
    """A docx whose document part declares ``declared`` uncompressed bytes: the zip bomb as a
    reader first sees it."""
    return _declare_size(docx(), "word/document.xml", declared)


def lying_sizes() -> bytes:
    """A docx whose document part declares 10 bytes but inflates to 2 MB: a bomb that hides
    its size from the central directory."""
    big = b"<w:document>" + b" " * (2 * 1024 * 1024) + b"</w:document>"
    return _declare_size(rezip(docx(), replace={"word/document.xml": big}),
                         "word/document.xml", 10)  # fmt: skip


def zip_with_entries(count: int) -> bytes:
    return rezip(docx(), add={f"customXml/extra{i}.xml": b"<a/>" for i in range(count)})
