"""Pages. Short views (STYLE): check the permission with a predicate from accounts/rules.py,
call one domain function, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.monitoring import workflow
from kinerja.monitoring.history import changes_of
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Agency, IndicatorTarget, WorkItem

from .params import is_slug, parse_id, parse_int
from .queries import agency_summaries, quarter_page

ACTIONS: dict[str, Any] = {
    "submit": (rules.can_submit, workflow.submit_quarter, gettext_lazy("Triwulan diajukan.")),
    "return": (rules.can_verify, workflow.return_quarter, gettext_lazy("Triwulan dikembalikan.")),
    "verify": (rules.can_verify, workflow.verify_quarter, gettext_lazy("Triwulan diverifikasi.")),
    "approve": (rules.can_approve, workflow.approve_quarter, gettext_lazy("Triwulan disahkan.")),
    "reopen": (rules.can_reopen, workflow.reopen_quarter, gettext_lazy("Triwulan dibuka kembali.")),
}
HISTORY_KINDS = {"target": IndicatorTarget, "pagu": WorkItem, "realisasi": Realisation}


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("government"), slug=slug)


def _check_quarter(year: int, quarter: int) -> None:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404(_("Tahun atau triwulan tidak dikenal."))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"agencies": agency_summaries(request.user)})


@login_required
@require_GET
def pick(request: HttpRequest) -> HttpResponse:
    """The layout's agency/year/quarter picker: to that quarter's page."""
    agency = request.GET.get("agency", "")
    if not is_slug(agency):
        raise Http404(_("Perangkat daerah tidak ada."))
    year = parse_int(request.GET.get("year"), low=2000, high=2100)
    quarter = parse_int(request.GET.get("quarter"), low=1, high=4)
    if year is None or quarter is None:
        messages.error(request, _("Pilih tahun (2000–2100) dan triwulan (I–IV)."))
        return redirect("web:home")
    return redirect("web:quarter", agency=agency, year=year, quarter=quarter)


@login_required
@require_GET
def quarter(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.is_reader_of(request.user, found):
        raise PermissionDenied
    context = quarter_page(request.user, found, year=year, quarter=quarter)
    return render(request, "web/quarter.html", context)


@login_required
@require_POST
def transition(request: HttpRequest, agency: str, year: int, quarter: int,
               action: str) -> HttpResponse:  # fmt: skip
    found = _agency(agency)
    _check_quarter(year, quarter)
    allowed, run, done = ACTIONS[action]
    if not allowed(request.user, found):
        raise PermissionDenied
    kwargs: dict[str, Any] = {"user": request.user, "agency": found, "year": year,
                              "quarter": quarter}  # fmt: skip
    if action == "submit":
        kwargs["today"] = timezone.localdate()
    if action in ("return", "reopen"):
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        run(**kwargs)
    except workflow.WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("web:quarter", agency=found.slug, year=year, quarter=quarter)


@login_required
@require_POST
def note(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_note(request.user, found):
        raise PermissionDenied
    row = parse_id(request.POST.get("row"))
    if row is None:
        raise Http404(_("Baris tidak dikenal."))
    item = get_object_or_404(WorkItem, agency=found, year=year, pk=row)
    try:
        workflow.add_row_note(user=request.user, work_item=item, quarter=quarter,
                              text=request.POST.get("text", ""))  # fmt: skip
    except workflow.WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Catatan disimpan."))
    return redirect("web:quarter", agency=found.slug, year=year, quarter=quarter)


@login_required
@require_GET
def history(request: HttpRequest, agency: str, kind: str, pk: int) -> HttpResponse:
    found = _agency(agency)
    if not rules.is_reader_of(request.user, found):
        raise PermissionDenied
    model = HISTORY_KINDS.get(kind)
    if model is None:
        raise PermissionDenied(_("Riwayat ini tidak dikenal."))
    scope = {
        "target": {"indicator__plan__agency": found},
        "pagu": {"agency": found},
        "realisasi": {"work_item__agency": found},
    }[kind]
    obj = get_object_or_404(model, pk=pk, **scope)
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    changes = [
        {"change": c, "label": labels.get(c.field, c.field), "old": _shown(c.old),
         "new": _shown(c.new)}
        for c in changes_of(obj)
    ]  # fmt: skip
    return render(request, "web/history.html",
                  {"agency": found, "object": obj, "changes": changes})  # fmt: skip


def _shown(value: Any) -> str:
    """A history value as a reader expects it: 1.905.955.200, 89,95, or "-"."""
    from decimal import Decimal

    from kinerja.core.numbers import format_number

    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(Decimal(value))
    return str(value)


@login_required
@require_GET
def late(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    _check_quarter(year, quarter)
    profile = rules.profile_of(request.user)
    if profile is None or not rules.can_see_overview(request.user):
        raise PermissionDenied
    agencies = workflow.late_agencies(profile.government, year=year, quarter=quarter,
                                      today=timezone.localdate())  # fmt: skip
    return render(request, "web/late.html", {"agencies": agencies, "year": str(year),
                                             "quarter": quarter})  # fmt: skip
