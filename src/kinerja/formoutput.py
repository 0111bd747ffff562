"""Write an evaluation (``kinerja.core.Evaluation``) as JSON, CSV or a readable table.

The same output serves the file form and the database form of `kinerja evaluate`.
Numbers are never rounded in JSON (plain-notation decimal strings); CSV and the table show
them as Indonesian readers expect (``1.905.955.200``, ``70,24``).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from kinerja.core.checks import Finding
from kinerja.core.evaluation import COLUMNS, Evaluation, FooterFigure, explain_row
from kinerja.core.numbers import QUARTER_ROMAN as _ROMAN
from kinerja.core.numbers import (
    format_number,
    format_percent,
    round_half_up,
    strip_zeros,
    to_plain,
)

__all__ = ["to_csv", "to_json", "to_table"]


def to_json_data(evaluation: Evaluation, *, explain: bool = True) -> dict[str, Any]:
    rows = []
    for r in evaluation.rows:
        item: dict[str, Any] = {"id": r.row.id, "level": r.row.level.value, "name": r.row.name}
        for col in COLUMNS:
            item[col] = {"k": to_plain(r.value(col, "k")), "rp": to_plain(r.value(col, "rp"))}
        if explain:
            item["explain"] = explain_row(r)
        rows.append(item)
    foot = evaluation.footer
    footer: dict[str, Any] = {
        "k": to_plain(foot.k.value),
        "rp": to_plain(foot.rp.value),
        "predikat_k": foot.k.rating,
        "predikat_rp": foot.rp.rating,
        "rule_k": foot.k.rule.value,
        "rule_rp": foot.rp.rule.value,
        "cap": to_plain(foot.k.cap),
    }
    if explain:
        footer["explain"] = {"k": foot.k.explain(), "rp": foot.rp.explain()}
    return {
        "year": evaluation.form.year,
        "quarter": evaluation.form.quarter,
        "rows": rows,
        "footer": footer,
        "findings": [_finding(f) for f in evaluation.findings],
    }


def _finding(f: Finding) -> dict[str, Any]:
    """A finding; one about a printed figure also names its column (``col14.k``,
    ``footer.rp``) and gives the printed and the (unrounded) computed value."""
    item: dict[str, Any] = {
        "rule": f.rule,
        "severity": f.severity.value,
        "row": f.row,
        "message": f.message,
    }
    if f.column is not None:
        item.update(column=f.column, printed=to_plain(f.printed), computed=to_plain(f.computed))
    return item


def to_json(evaluation: Evaluation, *, explain: bool = True) -> str:
    return json.dumps(to_json_data(evaluation, explain=explain), ensure_ascii=False, indent=2)


_CSV_HEADER = [
    "id", "tingkat", "kode", "nama", "satuan",
    "13 K", "13 Rp", "14 K (%)", "14 Rp (%)", "15 K", "15 Rp", "16 K (%)", "16 Rp (%)",
]  # fmt: skip


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _amount(value: Decimal | None, *, missing: str = "-") -> str:
    """Columns 13 and 15 as DESIGN §3 displays them: at most 2 decimals, rounded half-up
    (an ``average`` aggregation gives 92,857142…; shown 92,86), trailing zeros dropped so a
    count stays 4 and 0,25 stays 0,25. JSON keeps the unrounded value."""
    if value is None:
        return missing
    return format_number(strip_zeros(round_half_up(value, 2)), None, missing=missing)


def _text(value: str) -> str:
    """A text cell Excel or LibreOffice would read as a formula (``=HYPERLINK(…)``, ``+1``,
    ``@SUM(…)``) gets a leading apostrophe, so it stays text (OWASP "CSV injection").
    Only text cells: a number such as ``-5`` is written as it is."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cells(evaluation: Evaluation) -> list[list[str]]:
    out = []
    for r in evaluation.rows:
        out.append(
            [
                _text(r.row.id),
                _text(r.row.level.label),
                _text(r.row.code or ""),
                _text(r.row.name),
                _text(r.row.unit or ""),
                _amount(r.col13_k, missing=""),
                _amount(r.col13_rp, missing=""),
                format_number(r.col14_k, 2, missing=""),
                format_number(r.col14_rp, 2, missing=""),
                _amount(r.col15_k, missing=""),
                _amount(r.col15_rp, missing=""),
                format_number(r.col16_k, 2, missing=""),
                format_number(r.col16_rp, 2, missing=""),
            ]
        )
    return out


def to_csv(evaluation: Evaluation) -> str:
    """``;``-separated, decimal comma, UTF-8 with BOM: opens in Excel set to Indonesian."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(_CSV_HEADER)
    writer.writerows(_cells(evaluation))
    foot = evaluation.footer
    writer.writerow([])
    for label, fig in (("Rata-rata capaian kinerja K", foot.k), ("Rata-rata capaian Rp", foot.rp)):
        writer.writerow(
            [label, fig.rule.value, format_number(fig.value, 2, missing=""), fig.rating or ""]
        )
    if evaluation.findings:
        writer.writerow([])
        writer.writerow(["temuan", "tingkat", "baris", "pesan"])
        for f in evaluation.findings:
            writer.writerow([f.rule, f.severity.value, _text(f.row), _text(f.message)])
    return buf.getvalue()


_SEVERITY = {"error": "KESALAHAN", "warning": "PERINGATAN", "info": "INFO"}


def to_table(evaluation: Evaluation) -> str:
    """A readable plain-text table for a terminal."""
    form = evaluation.form
    header = ["Kode", "Program/Kegiatan/Sub Kegiatan", "13 K", "13 Rp", "14 K", "14 Rp",
              "15 K", "15 Rp", "16 K", "16 Rp"]  # fmt: skip
    body = []
    for r in evaluation.rows:
        indent = {"program": "", "kegiatan": "  ", "sub_kegiatan": "    "}[r.row.level.value]
        name = indent + (r.row.name if len(r.row.name) <= 44 else r.row.name[:43] + "…")
        body.append(
            [
                r.row.code or r.row.id,
                name,
                _amount(r.col13_k),
                _amount(r.col13_rp),
                format_percent(r.col14_k),
                format_percent(r.col14_rp),
                _amount(r.col15_k),
                _amount(r.col15_rp),
                format_percent(r.col16_k),
                format_percent(r.col16_rp),
            ]
        )
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [
        f"Evaluasi hasil Renja — Triwulan {_ROMAN[form.quarter - 1]} {form.year} ({len(body)} baris)",
        "",
        line(header),
        line(["-" * w for w in widths]),
        *(line(b) for b in body),
        "",
        _footer_line("Rata-rata capaian kinerja K", evaluation.footer.k),
        _footer_line("Rata-rata capaian kinerja Rp", evaluation.footer.rp),
    ]
    if evaluation.findings:
        out += ["", f"Temuan ({len(evaluation.findings)}):"]
        out += [
            f"- [{_SEVERITY[f.severity.value]}] {f.rule} — {f.row}: {f.message}"
            for f in evaluation.findings
        ]
    else:
        out += ["", "Tidak ada temuan."]
    return "\n".join(out) + "\n"


def _footer_line(label: str, fig: FooterFigure) -> str:
    return f"{label}: {format_percent(fig.value)} — {fig.rating or '-'} (aturan {fig.rule.value})"
