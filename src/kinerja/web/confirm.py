"""The confirmation before *Ajukan*, *Verifikasi* and *Sahkan* (issue 17: no step is one
click): a page (GET, works without JavaScript) with the quarter's completeness
(``monitoring.completeness``), its *Lembar Pemeriksaan* and the form that takes the step
(posting to ``web:submit`` / ``web:verify`` / ``web:approve``). *Sahkan* with blocking items
asks the reason there (``workflow.approve_quarter(reason=)``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kinerja.accounts import rules
from kinerja.core.numbers import QUARTER_ROMAN, format_number
from kinerja.limits import REASON_MAX
from kinerja.monitoring.completeness import completeness
from kinerja.monitoring.models import SubmissionStatus
from kinerja.monitoring.queries import submission_status
from kinerja.reporting.checklist import build_checklist

S = SubmissionStatus
# action → (who may, the states it starts from, its title, its button, the URL it posts to)
STEPS: dict[str, tuple[Any, tuple[str, ...], Any, Any, str]] = {
    "submit": (rules.can_submit, (S.DRAFT, S.RETURNED), gettext_lazy("Ajukan ke verifikator"),
               gettext_lazy("Ya, ajukan ke verifikator"), "web:submit"),
    "verify": (rules.can_verify, (S.SUBMITTED,), gettext_lazy("Verifikasi"),
               gettext_lazy("Ya, verifikasi"), "web:verify"),
    "approve": (rules.can_approve, (S.VERIFIED,), gettext_lazy("Sahkan"),
                gettext_lazy("Ya, sahkan"), "web:approve"),
}  # fmt: skip


def _n(n: int) -> str:
    return format_number(Decimal(n))


@login_required
@require_GET
def confirm(request: HttpRequest, agency: str, year: int, quarter: int,
            action: str) -> HttpResponse:  # fmt: skip
    from .views import _agency, _check_quarter

    found = _agency(agency)
    _check_quarter(year, quarter)
    allowed, starts, title, button, target = STEPS[action]
    if not allowed(request.user, found):
        raise PermissionDenied
    status = submission_status(found, year=year, quarter=quarter)
    done = completeness(found, year=year, quarter=quarter)
    checklist = build_checklist(found, year, quarter)
    blocking = len(checklist.blocking)
    return render(request, "web/confirm.html", {
        "agency": found, "year": str(year), "year_number": year, "quarter": quarter,
        "quarter_roman": QUARTER_ROMAN[quarter - 1], "status": status, "action": action,
        "title": title, "button": button, "target": target, "possible": status in starts,
        "done": done, "rows_empty": _n(done.rows_empty), "rows": _n(done.rows),
        "iku_missing": _n(len(done.iku_missing)), "indicators": _n(done.indicators),
        "narratives_missing": _n(len(done.narratives_missing)), "subjects": _n(done.subjects),
        "checklist": checklist, "reason_max": REASON_MAX, "blocking": checklist.blocking,
        "others": tuple(i for i in checklist.items if not i.blocks),
        "checklist_count": {"total": _n(len(checklist.items)), "blocking": _n(blocking),
                            "other": _n(len(checklist.items) - blocking)},
    })  # fmt: skip
