"""Charts of the quarterly report, drawn once per report with matplotlib (Agg): PNG for Word,
SVG for PDF, and a sentence for readers who cannot see them. Values arrive computed by
``kinerja.core``; here they are only drawn (float is fine for a bar's height)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from kinerja.core.numbers import format_percent

from .data import Chart

BANDS = ((50, "#f4c7c3"), (65, "#fce8b2"), (75, "#fff2cc"), (90, "#d9ead3"))


def _render(fig) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=150, bbox_inches="tight")
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    return png.getvalue(), svg.getvalue()


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "kinerja"})
    return plt


def achievement_by_program(programs: Sequence[tuple[str, Decimal | None]], *, period: str) -> Chart:
    """Bars of each program's capaian K (column 14), with the predikat bands behind them and
    the value written on each bar (readable without colour)."""
    plt = _pyplot()
    names = [name for name, _ in programs]
    values = [float(v) if v is not None else 0.0 for _, v in programs]
    fig, ax = plt.subplots(figsize=(7.0, 0.55 * len(programs) + 1.2))
    low = 0.0
    for high, colour in BANDS:
        ax.axvspan(low, high, color=colour, zorder=0)
        low = high
    top = max(110.0, max(values, default=0) * 1.15)
    ax.axvspan(low, top, color="#b6d7a8", zorder=0)
    ax.set_xlim(0, top)
    ax.barh(range(len(names)), values, color="#0f4c81", zorder=2, height=0.55)
    for i, (_, value) in enumerate(programs):
        ax.text((float(value) if value is not None else 0) + 1, i, format_percent(value),
                va="center", zorder=3)  # fmt: skip
    ax.set_yticks(range(len(names)), [_wrap(n) for n in names])
    ax.invert_yaxis()
    ax.set_xlabel("Capaian kinerja (%) — latar: rentang predikat")
    ax.set_title(f"Capaian kinerja program {period}")
    png, svg = _render(fig)
    plt.close(fig)
    text = "; ".join(f"{n}: {format_percent(v)}" for n, v in programs)
    return Chart(f"Capaian kinerja program {period}", png, svg, text)


def budget_by_quarter(
    quarters: Sequence[tuple[str, Decimal | None, Decimal | None]], *, year: int
) -> Chart:
    """Cumulative realisation against the cumulative cash plan, quarter by quarter (Rp)."""
    plt = _pyplot()
    labels = [q for q, _, _ in quarters]
    plan = [float(p or 0) / 1e6 for _, p, _ in quarters]
    real = [float(r or 0) / 1e6 for _, _, r in quarters]
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    x = range(len(labels))
    ax.bar([i - 0.2 for i in x], plan, width=0.4, label="Rencana anggaran kas s.d. TW",
           color="#9fc5e8", hatch="//", edgecolor="#3d85c6")  # fmt: skip
    ax.bar([i + 0.2 for i in x], real, width=0.4, label="Realisasi s.d. TW", color="#0f4c81")
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("juta rupiah")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    ax.set_title(f"Penyerapan anggaran per triwulan {year}")
    png, svg = _render(fig)
    plt.close(fig)
    parts = []
    for label, p, r in quarters:
        parts.append(f"{label}: realisasi {_rp(r)} dari rencana {_rp(p)}")
    return Chart(f"Penyerapan anggaran per triwulan {year}", png, svg, "; ".join(parts))


def _rp(value: Decimal | None) -> str:
    from kinerja.core.numbers import format_number

    return "-" if value is None else f"Rp {format_number(value, 0)}"


def _wrap(text: str, width: int = 38) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)
