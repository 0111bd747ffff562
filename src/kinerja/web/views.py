"""Pages. Short views (STYLE): check the permission with a predicate from accounts/rules.py,
call one domain function, redirect or render."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.core.numbers import format_number
from kinerja.monitoring import workflow, worklist
from kinerja.monitoring.history import Change, changes_of
from kinerja.monitoring.models import IndicatorRealisation, Narrative, Realisation
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    Goal,
    IndicatorTarget,
    Letterhead,
    PerformanceAgreement,
    Signatory,
    WorkItem,
)

from .home import start_page
from .params import is_slug, parse_id, parse_int
from .queries import agency_summaries, quarter_page

ACTIONS: dict[str, Any] = {
    "submit": (rules.can_submit, workflow.submit_quarter, gettext_lazy("Triwulan diajukan.")),
    "return": (rules.can_verify, workflow.return_quarter, gettext_lazy("Triwulan dikembalikan.")),
    "verify": (rules.can_verify, workflow.verify_quarter, gettext_lazy("Triwulan diverifikasi.")),
    "approve": (rules.can_approve, workflow.approve_quarter, gettext_lazy("Triwulan disahkan.")),
    "reopen": (rules.can_reopen, workflow.reopen_quarter, gettext_lazy("Triwulan dibuka kembali.")),
}
# kind in the URL → (model, the lookup that ties a record to its agency)
HISTORY_KINDS: dict[str, tuple[type[Any], str]] = {
    "target": (IndicatorTarget, "indicator__plan__agency"),
    "pagu": (WorkItem, "agency"),
    "realisasi": (Realisation, "work_item__agency"),
    "iku": (IndicatorRealisation, "indicator__plan__agency"),
    "narasi": (Narrative, "agency"),
    "rencana-aksi": (ActionPlan, "work_item__agency"),
    "penanda-tangan": (Signatory, "agreement__agency"),
    "kop": (Letterhead, "agency"),
    "tujuan": (Goal, "plan__agency"),
    "pk": (PerformanceAgreement, "agency"),
}
NARRATIVE_PLACE = ("year", "quarter", "kind", "position")


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("government"), slug=slug)


def _check_quarter(year: int, quarter: int) -> None:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404(_("Tahun atau triwulan tidak dikenal."))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The worklist of the user's role, then each agency at the quarter that needs work."""
    today = timezone.localdate()
    page = start_page(request.user, today=today)
    if page["queue"] is not None:  # for the header picker's focus(): not built twice
        setattr(request.user, worklist.BUILT_QUEUE, (today, page["queue"]))
    agencies = agency_summaries(request.user, needs=page["needs"])
    return render(request, "web/home.html", {"work": page["work"], "agencies": agencies})


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
    if action in ("return", "reopen", "approve"):  # approve: why, despite blocking items
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
@require_POST
def report_date(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    """The operator sets the quarter's report date (empty: back to the default)."""
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_submit(request.user, found):
        raise PermissionDenied
    text = request.POST.get("report_date", "").strip()
    try:
        on = date.fromisoformat(text) if text else None
    except ValueError:
        messages.error(request, _("Tanggal laporan «%(text)s» bukan tanggal; tulis TTTT-BB-HH.")
                       % {"text": text[:20]})  # fmt: skip
        return redirect("web:quarter", agency=found.slug, year=year, quarter=quarter)
    try:
        workflow.set_report_date(user=request.user, agency=found, year=year, quarter=quarter,
                                 on=on)  # fmt: skip
    except workflow.WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Tanggal laporan disimpan."))
    return redirect("web:quarter", agency=found.slug, year=year, quarter=quarter)


@login_required
@require_GET
def history(request: HttpRequest, agency: str, kind: str, pk: int) -> HttpResponse:
    """Who changed a record, when, from what to what, and why — also after it was deleted
    (a narrative line removed). A narrative shows every line of its text together."""
    found = _agency(agency)
    if not rules.is_reader_of(request.user, found):
        raise PermissionDenied
    if kind not in HISTORY_KINDS or parse_id(str(pk)) is None:
        raise Http404(_("Riwayat ini tidak dikenal."))
    model, scope = HISTORY_KINDS[kind]
    obj = _record(model, pk, {scope: found})
    records = [obj]
    if kind == "narasi":  # the lines of one text (subject and kind) of the quarter
        same = {f: getattr(obj, f) for f in ("agency_id", "year", "quarter", "kind",
                                             "indicator_id", "work_item_id")}  # fmt: skip
        ids = sorted(set(Narrative.history.filter(**same).values_list("id", flat=True)))
        records = [_record(model, i, {scope: found}) for i in ids]
    labels = {f.name: f for f in model._meta.fields}
    changes = []
    for record in records:
        prefix = _("butir %(n)s: ") % {"n": record.position} if kind == "narasi" else ""
        for c in changes_of(record) + _deletion(model, record.pk):
            if kind == "narasi" and c.old is None and c.field in NARRATIVE_PLACE:
                continue  # where a new line sits, not what it says
            field = labels.get(c.field)
            label = str(field.verbose_name) if field else (c.field or _("seluruh data"))
            changes.append({"change": c, "label": prefix + label,
                            "old": _shown(c.old, field), "new": _shown(c.new, field)})  # fmt: skip
    changes.sort(key=lambda c: c["change"].at, reverse=True)
    return render(request, "web/history.html",
                  {"agency": found, "object": obj, "changes": changes})  # fmt: skip


def _record(model: type[Any], pk: int, scope: dict[str, Any]) -> Any:
    """The record of this agency, or as it was when deleted; 404 for any other."""
    obj = model.objects.filter(pk=pk, **scope).first()
    if obj is None:
        last = model.history.filter(id=pk, **scope).order_by("-history_date").first()
        if last is None:
            raise Http404(_("Data ini tidak ditemukan."))
        obj = last.instance
    return obj


def _deletion(model: type[Any], pk: int) -> list[Change]:
    gone = model.history.filter(id=pk, history_type="-").select_related("history_user")
    return [Change(h.history_date, str(h.history_user) if h.history_user else "sistem",
                   "", str(h.instance), _("(dihapus)"), h.history_change_reason or "")
            for h in gone]  # fmt: skip


def _shown(value: Any, field: Any = None) -> str:
    """A history value as a reader expects it: 1.905.955.200, 89,95, a choice's label, a
    date as 1 Juli 2024, or "-"."""
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(Decimal(value))
    if isinstance(value, date) and not isinstance(value, datetime):
        return date_format(value, "j F Y")
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
