"""What every write of a year's Renja shares, whether from the planning screens, the plan
import or the rollover: whether the year's plan is still edited freely, what a revision
carries, the Kepmendagri 90 code shape, and the form order of the items.

A year's plan is edited freely until the first quarter of that year is approved. After
that, every change is a *revision*: it carries its date, reason and legal basis (the pagu
goes to the pagu perubahan beside the murni; other fields are changed with the revision
recorded in the item's history). An approved quarter never changes: it reads its snapshot.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.limits import REASON_MAX, check_date, check_text, max_length

from .models import Agency, LevelChoice, WorkItem

__all__ = [
    "CODE_SHAPES",
    "Revision",
    "check_revision",
    "code_problem",
    "normalise_code",
    "plan_locked",
    "renumber",
    "tree_order",
]

# Kepmendagri 90/2019 (and its updates): urusan . bidang . program . kegiatan . sub kegiatan
#   program       5.03.01            (bidang may be X.XX for a program serving any bidang)
#   kegiatan      5.03.01.2.02
#   sub kegiatan  5.03.01.2.02.0001  (the suffix printed as 2 or 4 digits in exports)
_PART = r"(?:\d{1,2}|X{1,2})"
CODE_SHAPES: dict[str, re.Pattern[str]] = {
    LevelChoice.PROGRAM: re.compile(rf"^{_PART}\.{_PART}\.\d{{2}}$"),
    LevelChoice.KEGIATAN: re.compile(rf"^{_PART}\.{_PART}\.\d{{2}}\.\d\.\d{{2}}$"),
    LevelChoice.SUB_KEGIATAN: re.compile(rf"^{_PART}\.{_PART}\.\d{{2}}\.\d\.\d{{2}}\.\d{{4}}$"),
}


def normalise_code(text: str) -> str:
    """A code as Kinerja stores it: no spaces, dots between parts, ``x`` upper-cased, a sub
    kegiatan's suffix as 4 digits (``5 . 03 . 01 . 2 . 02 . 01`` → ``5.03.01.2.02.0001``).
    Text that is not a code comes back stripped and otherwise unchanged."""
    parts = [p for p in re.split(r"[\s.]+", text.strip()) if p]
    if not parts or not all(re.fullmatch(r"\d+|[xX]+", p) for p in parts):
        return text.strip()
    parts = [p.upper() for p in parts]
    if len(parts) == 6 and parts[5].isdigit() and len(parts[5]) < 4:
        parts[5] = parts[5].zfill(4)
    return ".".join(parts)


def code_problem(code: str, level: str) -> str | None:
    """Why ``code`` is not a Kepmendagri 90 code of ``level`` (in Indonesian), or None. An
    empty code is allowed (the seed lost some; the checklist flags them)."""
    if not code:
        return None
    shape = CODE_SHAPES.get(level)
    if shape is None or shape.match(code):
        return None
    example = {
        LevelChoice.PROGRAM: "5.03.01",
        LevelChoice.KEGIATAN: "5.03.01.2.02",
        LevelChoice.SUB_KEGIATAN: "5.03.01.2.02.0001",
    }[LevelChoice(level)]
    return _(
        "Kode «%(code)s» tidak berbentuk kode %(level)s Kepmendagri 90 (contoh: %(example)s)."
    ) % {
        "code": code,
        "level": LevelChoice(level).label,
        "example": example,
    }


@dataclass(frozen=True, slots=True)
class Revision:
    """What a change after the year's first approval carries."""

    on: date
    reason: str
    legal_basis: str

    def history_reason(self) -> str:
        """The text recorded as the history's reason of every row the revision changes."""
        return _("Revisi %(date)s: %(reason)s (dasar hukum: %(basis)s)") % {
            "date": self.on.strftime("%d-%m-%Y"),
            "reason": self.reason,
            "basis": self.legal_basis,
        }


def plan_locked(agency: Agency | int, year: int) -> bool:
    """True once a quarter of ``year`` is approved: from then on the year's plan changes only
    by revision (the record's rule: an approved quarter's input never changes)."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    agency_id = agency if isinstance(agency, int) else agency.pk
    return QuarterSubmission.objects.filter(
        agency_id=agency_id, year=year, status=SubmissionStatus.APPROVED
    ).exists()


def check_revision(agency: Agency | int, year: int, revision: Revision | None, *,
                   error: type[Exception]) -> Revision | None:  # fmt: skip
    """The revision a change of the year's plan needs: none while the year is edited freely,
    a complete one (date within the year ± 1, reason, legal basis) once a quarter of it is
    approved. Returns it with its texts trimmed; refuses with ``error`` (Indonesian). The one
    place of the rule: the tree editor (renja_edit) and the rencana aksi of the Renja page
    (domain.set_action_plan) both ask it."""
    if revision is None:
        if plan_locked(agency, year):
            raise error(
                _("Triwulan tahun %(year)s sudah ada yang disahkan: setiap perubahan Renja "
                  "adalah revisi. Isi tanggal, alasan dan dasar hukum revisinya.")
                % {"year": year}
            )  # fmt: skip
        return None
    if not revision.reason.strip():
        raise error(_("Tuliskan alasan revisi."))
    if not revision.legal_basis.strip():
        raise error(_("Tuliskan dasar hukum revisi."))
    check_text(revision.reason, label=_("Alasan revisi"), limit=REASON_MAX, error=error)
    check_text(revision.legal_basis, label=_("Dasar hukum"), error=error,
               limit=max_length(WorkItem, "budget_legal_basis"))  # fmt: skip
    check_date(revision.on, label=_("Tanggal revisi"), first_year=year, error=error)
    return Revision(revision.on, revision.reason.strip(), revision.legal_basis.strip())


def tree_order(rows: list[WorkItem]) -> list[WorkItem]:
    """``rows`` (one year's items, by position) in form order: each item, then its further
    indicators, then its children, each list in its current order."""
    children: dict[int | None, list[WorkItem]] = defaultdict(list)
    more: dict[int, list[WorkItem]] = defaultdict(list)
    for row in rows:
        if row.indicator_of_id is not None:
            more[row.indicator_of_id].append(row)
        else:
            children[row.parent_id].append(row)
    ordered: list[WorkItem] = []
    stack = list(reversed(children[None]))
    while stack:
        row = stack.pop()
        ordered.append(row)
        ordered += more[row.pk]
        stack.extend(reversed(children[row.pk]))
    return ordered


@transaction.atomic
def renumber(agency: Agency | int, year: int) -> None:
    """Give the year's items positions 1…N in tree order (a program and its further
    indicators, then each kegiatan with its own and its sub kegiatan, in their current
    order), as the form prints them. Two bulk updates:
    first out of the way, then into place, so the unique (agency, year, position) holds at
    every row on PostgreSQL too (its unique checks are per row, not per statement)."""
    from kinerja.web import fragments

    agency_id = agency if isinstance(agency, int) else agency.pk
    rows = list(
        WorkItem.objects.select_for_update()
        .filter(agency_id=agency_id, year=year)
        .order_by("position")
        .only("pk", "parent_id", "position", "indicator_of_id")
    )
    ordered = tree_order(rows)
    if len(ordered) != len(rows):  # an item whose parent is of another year: keep it last
        seen = {row.pk for row in ordered}
        ordered.extend(row for row in rows if row.pk not in seen)
    moves = [(row, n) for n, row in enumerate(ordered, start=1) if row.position != n]
    if not moves:
        return
    offset = max(row.position for row in rows) + len(rows) + 1
    for row, _n in moves:
        row.position += offset
    rows_moved = [row for row, _n in moves]
    fragments.bulk_update(WorkItem, rows_moved, ["position"], batch_size=500)
    for row, n in moves:
        row.position = n
    fragments.bulk_update(WorkItem, rows_moved, ["position"], batch_size=500)
