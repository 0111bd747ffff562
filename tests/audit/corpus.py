"""Files `kinerja check` and *Periksa formulir* must refuse with a clear message (exit 2, no
server error, nothing written): not spreadsheets, damaged spreadsheets, spreadsheets that are
not an evaluation form, and wrong options."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from .forms import _header_a


def _zip(files: dict[str, bytes | str], count: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
        for i in range(count):
            archive.writestr(f"x/{i}.xml", "")
    return buf.getvalue()


def _book(fill: Callable[[object], None] | None = None, *, sheets: int = 1) -> bytes:
    wb = Workbook()
    for i in range(sheets - 1):
        wb.create_sheet(f"Lain {i}")
    if fill:
        fill(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _numbers(upto: int, *, reverse: bool = False) -> Callable[[object], None]:
    def fill(ws) -> None:  # type: ignore[no-untyped-def]
        numbers = list(range(1, upto + 1))
        for col, n in enumerate(reversed(numbers) if reverse else numbers, start=1):
            ws.cell(5, col, n)

    return fill


def _header_only(ws) -> None:  # type: ignore[no-untyped-def]
    _header_a(ws)


def _urusan_only(ws) -> None:  # type: ignore[no-untyped-def]
    _header_a(ws)
    ws.cell(9, 3, "5")
    ws.cell(9, 4, "UNSUR PENUNJANG URUSAN PEMERINTAHAN")
    ws.cell(10, 3, "5.03")
    ws.cell(10, 4, "KEPEGAWAIAN")


def _damaged_value(valid: bytes) -> bytes:
    """A cell whose stored number is not a number (as a careless writer leaves it)."""
    source = zipfile.ZipFile(io.BytesIO(valid))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>100</v>", b"<v>None</v>", 1)
            archive.writestr(item, data)
    return out.getvalue()


def _tar() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as archive:
        info = tarfile.TarInfo("a.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"a"))
    return buf.getvalue()


def bad_files(tmp_path: Path, valid: bytes) -> list[tuple[str, Path, list[str]]]:
    """(name, file, extra options) — each must be refused."""
    form = _book(_header_only)
    contents: dict[str, bytes] = {
        "empty": b"",
        "text": b"ini bukan formulir\n",
        "csv": b"No;Program;K\n1;Program A;100\n",
        "json": b'{"year": 2024, "quarter": 1, "rows": []}',
        "pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "xls-ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "random": bytes(range(256)) * 8,
        "zip-truncated": b"PK\x03\x04" + b"\x00" * 40,
        "zip-without-workbook": _zip({"readme.txt": "halo"}),
        "docx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
        "ods": _zip(
            {
                "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": "<office:document-content/>",
            }
        ),  # fmt: skip
        "workbook-garbage": _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<<<"}),
        "workbook-no-parts": _zip({"xl/workbook.xml": "<workbook/>"}),
        "zip-many-entries": _zip({"xl/workbook.xml": "<workbook/>"}, count=2100),
        "xlsx-half": valid[: len(valid) // 2],
        "xlsx-empty-sheet": _book(),
        "xlsx-two-empty-sheets": _book(sheets=2),
        "xlsx-numbers-to-10": _book(_numbers(10)),
        "xlsx-numbers-to-14": _book(_numbers(14)),
        "xlsx-numbers-reversed": _book(_numbers(17, reverse=True)),
        "xlsx-header-only": form,
        "xlsx-urusan-only": _book(_urusan_only),
        "xlsx-damaged-number": _damaged_value(valid),
        "html": b"<!doctype html><html><body><table><tr><td>1</td></tr></table></body></html>",
        "utf16": "No;Program\n".encode("utf-16"),
        "gzip": gzip.compress(b"abc"),
        "tar": _tar(),
        "too-big": b"PK" + b"\x00" * (21 * 1024 * 1024),
        "xml": b'<?xml version="1.0"?><workbook/>',
        "rtf": b"{\\rtf1\\ansi halo}",
    }
    out: list[tuple[str, Path, list[str]]] = []
    for name, data in contents.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        out.append((name, path, []))
    good = tmp_path / "good.xlsx"
    good.write_bytes(valid)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    out += [
        ("missing-file", tmp_path / "tidak-ada.xlsx", []),
        ("directory", folder, []),
        ("sheet-missing", good, ["--sheet", "Tidak Ada"]),
        ("quarter-5", good, ["--quarter", "5"]),
        ("quarter-0", good, ["--quarter", "0"]),
        ("quarter-text", good, ["--quarter", "satu"]),
        ("quarter-arabic", good, ["--quarter", "٢"]),
        ("output-not-xlsx", good, ["--output", str(tmp_path / "audit.csv")]),
        ("output-is-input", good, ["--output", str(good)]),
        ("unknown-option", good, ["--format", "pdf"]),
    ]
    return out
