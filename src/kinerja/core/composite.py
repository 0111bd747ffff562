"""Weighted indices an agency reports as IKU: IP ASN, Sistem Merit, Nilai SAKIP (DESIGN §3).

Each function returns a ``Composite``: the value, its category on the index's own scale,
and the parts it was summed from, so a report can explain it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .achievement import CTX
from .numbers import format_number
from .scales import IP_ASN, NILAI_SAKIP, SISTEM_MERIT_INDEKS, SISTEM_MERIT_NILAI, Scale

__all__ = [
    "IP_ASN_WEIGHTS",
    "SAKIP_ANSWERS",
    "SAKIP_COMPONENTS",
    "SAKIP_PARTS",
    "SISTEM_MERIT_ASPECTS",
    "Composite",
    "CompositeError",
    "ip_asn",
    "nilai_sakip",
    "sistem_merit",
    "sistem_merit_indeks_category",
]

D = Decimal
HUNDRED = D(100)


class CompositeError(ValueError):
    """Input outside an index's definition; ``str()`` is Indonesian."""


@dataclass(frozen=True, slots=True)
class Composite:
    name: str
    value: Decimal
    category: str | None
    parts: tuple[tuple[str, Decimal, Decimal], ...]  # (part, score, contribution)
    scale: Scale

    def explain(self) -> str:
        terms = " + ".join(
            f"{name} {format_number(contribution, 2)}" for name, _, contribution in self.parts
        )
        return (
            f"{self.name} = {terms} = {format_number(self.value, 2)}; "
            f"kategori {self.category} ({self.scale.name})"
        )


# PermenPANRB 38/2018: dimension → weight (fraction of 1)
IP_ASN_WEIGHTS: dict[str, Decimal] = {
    "Kualifikasi": D("0.25"),
    "Kompetensi": D("0.40"),
    "Kinerja": D("0.30"),
    "Disiplin": D("0.05"),
}


def _check_weights(weights: Mapping[str, Decimal], what: str) -> None:
    if sum(weights.values(), D(0)) != 1:
        raise CompositeError(f"bobot {what} harus berjumlah 100 %")


def _check_keys(given: Mapping[str, object], expected: Mapping[str, object], what: str) -> None:
    if set(given) != set(expected):
        missing = sorted(set(expected) - set(given))
        extra = sorted(set(given) - set(expected))
        raise CompositeError(
            f"{what}: kurang {', '.join(missing) or '-'}; tidak dikenal {', '.join(extra) or '-'}"
        )


def ip_asn(
    scores: Mapping[str, Decimal], weights: Mapping[str, Decimal] = IP_ASN_WEIGHTS
) -> Composite:
    """Indeks Profesionalitas ASN = Σ weight × dimension score (each 0–100)."""
    _check_weights(weights, "IP ASN")
    _check_keys(scores, weights, "dimensi IP ASN")
    parts = []
    for name, weight in weights.items():
        score = scores[name]
        if not 0 <= score <= 100:
            raise CompositeError(f"nilai dimensi {name} harus 0–100, bukan {format_number(score)}")
        parts.append((name, score, score * weight))
    value = sum((p[2] for p in parts), D(0))
    return Composite("Indeks Profesionalitas ASN", value, IP_ASN.label(value), tuple(parts), IP_ASN)


# PermenPAN 40/2018: eight aspects and their weights (fractions of 1)
SISTEM_MERIT_ASPECTS: dict[str, Decimal] = {
    "Perencanaan Kebutuhan": D("0.20"),
    "Pengadaan": D("0.10"),
    "Pengembangan Karier": D("0.25"),
    "Promosi dan Mutasi": D("0.10"),
    "Manajemen Kinerja": D("0.15"),
    "Penggajian, Penghargaan, dan Disiplin": D("0.10"),
    "Perlindungan dan Pelayanan": D("0.05"),
    "Sistem Informasi": D("0.05"),
}


def sistem_merit(
    scores: Mapping[str, Sequence[Decimal]],
    *,
    weights: Mapping[str, Decimal] = SISTEM_MERIT_ASPECTS,
    sub_weights: Mapping[str, Sequence[Decimal]] | None = None,
) -> Composite:
    """Nilai Sistem Merit (100–400) = Σ aspect weight × mean sub-aspect score (1–4) × 100.

    ``sub_weights`` gives per-aspect weights of its sub-aspects (equal when absent).
    The category is by nilai; ``sistem_merit_indeks(nilai)`` gives KASN's 0,2–1,0 indeks.
    """
    _check_weights(weights, "Sistem Merit")
    _check_keys(scores, weights, "aspek Sistem Merit")
    parts = []
    for name, weight in weights.items():
        values = list(scores[name])
        if not values:
            raise CompositeError(f"aspek {name} tanpa nilai sub-aspek")
        for v in values:
            if not 1 <= v <= 4:
                raise CompositeError(f"nilai sub-aspek {name} harus 1–4, bukan {format_number(v)}")
        ws = (
            list(sub_weights[name]) if sub_weights and name in sub_weights else [D(1)] * len(values)
        )
        if len(ws) != len(values) or sum(ws, D(0)) <= 0:
            raise CompositeError(f"bobot sub-aspek {name} tidak cocok dengan nilainya")
        mean = CTX.divide(
            sum((v * w for v, w in zip(values, ws, strict=True)), D(0)), sum(ws, D(0))
        )
        parts.append((name, mean, mean * weight * HUNDRED))
    value = sum((p[2] for p in parts), D(0))
    return Composite(
        "Nilai Sistem Merit",
        value,
        SISTEM_MERIT_NILAI.label(value),
        tuple(parts),
        SISTEM_MERIT_NILAI,
    )


def sistem_merit_indeks(nilai: Decimal) -> Decimal:
    """KASN's indeks from the nilai: (nilai − 25) / 375, so 100 → 0,2 and 400 → 1,0."""
    return CTX.divide(nilai - 25, D(375))


def sistem_merit_indeks_category(indeks: Decimal) -> str | None:
    """The category of an indeks reported by KASN (used only when the nilai is unknown)."""
    return SISTEM_MERIT_INDEKS.label(indeks)


# PermenPANRB 88/2021: components (weights in points of 100) and their three parts
SAKIP_COMPONENTS: dict[str, Decimal] = {
    "Perencanaan Kinerja": D(30),
    "Pengukuran Kinerja": D(30),
    "Pelaporan Kinerja": D(15),
    "Evaluasi Akuntabilitas Kinerja Internal": D(25),
}
SAKIP_PARTS: dict[str, Decimal] = {
    "Pemenuhan": D("0.20"),
    "Kualitas": D("0.30"),
    "Pemanfaatan": D("0.50"),
}
SAKIP_ANSWERS: dict[str, Decimal] = {
    "A": D(1),
    "B": D("0.75"),
    "C": D("0.5"),
    "D": D("0.25"),
    "E": D(0),
}


def nilai_sakip(
    answers: Mapping[str, Mapping[str, Sequence[str]]],
    *,
    answer_values: Mapping[str, Decimal] = SAKIP_ANSWERS,
) -> Composite:
    """Nilai SAKIP = Σ over components of weight × Σ over parts (part share × mean answer).

    ``answers[component][part]`` is the list of LKE answers (A–E) of that part.
    """
    _check_keys(answers, SAKIP_COMPONENTS, "komponen SAKIP")
    parts = []
    for component, weight in SAKIP_COMPONENTS.items():
        by_part = answers[component]
        _check_keys(by_part, SAKIP_PARTS, f"bagian komponen {component}")
        score = D(0)
        for part, share in SAKIP_PARTS.items():
            given = list(by_part[part])
            if not given:
                raise CompositeError(f"{component} / {part}: belum ada jawaban")
            unknown = [a for a in given if a not in answer_values]
            if unknown:
                raise CompositeError(f"{component} / {part}: jawaban tidak dikenal {unknown}")
            mean = CTX.divide(sum((answer_values[a] for a in given), D(0)), D(len(given)))
            score += share * mean
        parts.append((component, score, score * weight))
    value = sum((p[2] for p in parts), D(0))
    return Composite("Nilai SAKIP", value, NILAI_SAKIP.label(value), tuple(parts), NILAI_SAKIP)
