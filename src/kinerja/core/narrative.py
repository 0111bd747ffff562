"""First drafts of the report's explanatory paragraphs, written from the figures (the seed's
paragraphs 3.1 a–d are exactly this). Pure functions: numbers in, Indonesian text out."""

from __future__ import annotations

from decimal import Decimal

from .numbers import format_declared, format_percent

__all__ = ["iku_paragraph"]


def iku_paragraph(
    *,
    indicator: str,
    year: int,
    target: Decimal | None,
    realisation: Decimal | None,
    achievement: Decimal | None,
    rating: str | None,
    note: str = "",
    reason_missing: str = "",
    decimals: int | None = None,
) -> str:
    """``Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 84 dan
    terealisasi 59 dengan capaian 70,24 % (Sedang).`` — or *belum terealisasi* and why."""
    head = (
        f"Indikator Kinerja {indicator} tahun {year} ditetapkan "
        f"{format_declared(target, decimals)}"
    )  # the indicator's declared decimals (0,70)
    if target is None:
        head = f"Indikator Kinerja {indicator} tahun {year} belum memiliki target"
    if realisation is None:
        why = f" karena {reason_missing.strip().rstrip('.')}" if reason_missing.strip() else ""
        text = f"{head} dan belum terealisasi{why}."
    elif achievement is None:
        text = (
            f"{head} dan terealisasi {format_declared(realisation, decimals)}; capaiannya tidak dapat "
            "dihitung karena targetnya 0 atau belum ada."
        )
    else:
        verdict = ""
        if achievement > 100:
            verdict = ", melampaui target"
        elif achievement == 100:
            verdict = ", tepat sesuai target"
        text = (
            f"{head} dan terealisasi {format_declared(realisation, decimals)} dengan capaian "
            f"{format_percent(achievement)} ({rating or '-'}){verdict}."
        )
    note = note.strip()
    if note:
        text += " " + (note if note.endswith(".") else note + ".")
    return text
