"""An audit as JSON (stable keys), as a readable text for a terminal, and as an audit workbook
(the form's values with every flagged cell highlighted and commented, plus a findings sheet)."""

from __future__ import annotations

import io
import json
from typing import IO, Any

from kinerja.core.numbers import format_number, quarter_roman, to_plain

from .check import AUDIT_RULES, Audit

__all__ = ["to_json", "to_json_data", "to_text", "write_audit_workbook"]

_SEVERITY = {"error": "KESALAHAN", "warning": "PERINGATAN", "info": "INFO"}
_FAMILY = {"renja": "Renja (17 kolom)", "rkpd": "RKPD (15 kolom)"}


def to_json_data(audit: Audit) -> dict[str, Any]:
    foot = audit.footer
    return {
        "sheet": audit.sheet,
        "layout": audit.layout,
        "quarter": audit.quarter,
        "rows": audit.rows,
        "footer": {
            "printed": {"k": to_plain(foot.printed_k), "rp": to_plain(foot.printed_rp)},
            "computed": {"k": to_plain(foot.computed_k), "rp": to_plain(foot.computed_rp)},
            "rule": {"k": foot.rule_k, "rp": foot.rule_rp},
        },
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "sheet": f.sheet,
                "row": f.row,
                "cell": f.cell,
                "printed": to_plain(f.printed),
                "computed": to_plain(f.computed),
                "message": f.message,
            }
            for f in audit.findings
        ],
    }


def to_json(audit: Audit) -> str:
    return json.dumps(to_json_data(audit), ensure_ascii=False, indent=2)


def _footer_line(
    what: str, printed: Any, computed: Any, rule: str | None, basis: str | None
) -> str:
    shown = format_number(printed) if printed is not None else "tidak ditemukan"
    text = f"Rata-rata capaian {what}: tercetak {shown}, dihitung {format_number(computed, 2)}"
    if rule:
        where = "angka tercetak" if basis == "printed" else "angka yang dihitung ulang"
        return text + f" — dihasilkan aturan {rule} dari {where}"
    return text + (" — tidak dihasilkan aturan mana pun" if printed is not None else "")


def to_text(audit: Audit) -> str:
    foot = audit.footer
    counts = {s: sum(1 for f in audit.findings if f.severity == s) for s in _SEVERITY}
    out = [
        f"Lembar «{audit.sheet}»: formulir {_FAMILY[audit.layout]}, "
        f"Triwulan {quarter_roman(audit.quarter)}, "
        f"{audit.rows} baris indikator dibaca",
        _footer_line("K", foot.printed_k, foot.computed_k, foot.rule_k, foot.basis_k),
        _footer_line("Rp", foot.printed_rp, foot.computed_rp, foot.rule_rp, foot.basis_rp),
        "",
    ]
    if not audit.findings:
        return "\n".join(out + ["Tidak ada temuan."]) + "\n"
    out.append(
        f"Temuan ({len(audit.findings)}: {counts['error']} kesalahan, {counts['warning']} "
        f"peringatan, {counts['info']} info):"
    )
    for f in audit.findings:
        where = ", ".join(p for p in (f"baris {f.row}" if f.row else "", f.cell or "") if p)
        out.append(f"- [{_SEVERITY[f.severity]}] {f.rule} — {where or audit.sheet}: {f.message}")
    return "\n".join(out) + "\n"


def write_audit_workbook(source: str | bytes, audit: Audit, target: IO[bytes]) -> None:
    """The form's values (formulas replaced by what they showed), every flagged cell filled
    and commented with what it should be, and a sheet *Temuan* listing the findings."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    data = source if isinstance(source, bytes) else open(source, "rb").read()  # noqa: SIM115
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheet = workbook[audit.sheet]
    fills = {
        "error": PatternFill("solid", fgColor="FFC7CE"),
        "warning": PatternFill("solid", fgColor="FFEB9C"),
        "info": PatternFill("solid", fgColor="DDEBF7"),
    }
    notes: dict[str, list[str]] = {}
    for f in audit.findings:
        if f.cell and f.sheet == audit.sheet:
            cell = sheet[f.cell]
            if (
                f.severity == "error"
                or cell.fill is None
                or cell.fill.fgColor.rgb in (None, "00000000")
            ):
                cell.fill = fills[f.severity]
            should = f"Seharusnya {format_number(f.computed)}. " if f.computed is not None else ""
            notes.setdefault(f.cell, []).append(f"{should}{f.message}")
    for coord, texts in notes.items():
        sheet[coord].comment = Comment("\n".join(texts)[:30000], "Kinerja")
    name = "Temuan"
    while name in workbook.sheetnames:
        name += "_"
    out = workbook.create_sheet(name)
    out.append(["Aturan", "Judul", "Tingkat", "Lembar", "Baris", "Sel", "Tercetak", "Hasil hitung",
                "Pesan"])  # fmt: skip
    for cell in out[1]:
        cell.font = Font(bold=True)
    for f in audit.findings:
        out.append([
            f.rule, AUDIT_RULES[f.rule][1], _SEVERITY[f.severity], f.sheet, f.row, f.cell,
            format_number(f.printed, None, missing=""), format_number(f.computed, None, missing=""),
            _safe(f.message),
        ])  # fmt: skip
    for letter, width in zip("ABCDEFGHI", (26, 40, 12, 14, 7, 8, 16, 16, 100), strict=True):
        out.column_dimensions[letter].width = width
    workbook.save(target)


def _safe(text: str) -> str:
    """A message that Excel would read as a formula stays text."""
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text
