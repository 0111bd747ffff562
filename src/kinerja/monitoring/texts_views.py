"""A quarter's IKU realisations (Tabel 3.1) and narratives (factors, follow-up, the report's
own texts): entered in the same flow as the grid."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.core.achievement import Polarity, Target, achievement
from kinerja.core.numbers import InvalidNumber, format_number, format_percent, parse_number
from kinerja.core.scales import PREDIKAT_CAPAIAN
from kinerja.planning.models import Agency, Indicator, IndicatorTarget, WorkItem

from .domain import EditRefused, record_indicator_realisation, save_narratives
from .models import IndicatorRealisation, Narrative

KINDS = ("supporting", "inhibiting", "follow_up")
AGENCY_KINDS = ("foreword", "background", "closing", "recommendation")


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("government"), slug=slug)


def _readable(request: HttpRequest, slug: str, quarter: int) -> Agency:
    agency = _agency(slug)
    if not 1 <= quarter <= 4 or not rules.is_reader_of(request.user, agency):
        raise PermissionDenied
    return agency


@login_required
@require_GET
def iku(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _readable(request, agency, quarter)
    indicators = list(
        Indicator.objects.filter(plan__agency=found, plan__start_year__lte=year,
                                 plan__end_year__gte=year, is_key=True).order_by("position")
    )  # fmt: skip
    targets = {t.indicator_id: t for t in IndicatorTarget.objects.filter(
        indicator__in=indicators, year=year)}  # fmt: skip
    realised = {r.indicator_id: r for r in IndicatorRealisation.objects.filter(
        indicator__in=indicators, year=year, quarter=quarter)}  # fmt: skip
    rows = []
    for ind in indicators:
        t, r = targets.get(ind.pk), realised.get(ind.pk)
        value = t.current if t else None
        capaian = achievement(target=Target(value) if value is not None else None,
                              actual=r.value if r else None, polarity=Polarity(ind.polarity))  # fmt: skip
        rows.append({"indicator": ind, "target": format_number(value), "r": r,
                     "value": format_number(r.value, missing="") if r else "",
                     "capaian": format_percent(capaian),
                     "rating": PREDIKAT_CAPAIAN.label(capaian) or "-"})  # fmt: skip
    return render(request, "monitoring/iku.html", {
        "agency": found, "year": str(year), "year_number": year, "quarter": quarter,
        "rows": rows, "can_edit": rules.can_edit_agency_data(request.user, found)})  # fmt: skip


@login_required
@require_POST
def iku_save(request: HttpRequest, agency: str, year: int, quarter: int,
             indicator: int) -> HttpResponse:  # fmt: skip
    found = _readable(request, agency, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    ind = get_object_or_404(Indicator, pk=indicator, plan__agency=found)
    try:
        value = parse_number(request.POST.get("value", ""))
        measured = request.POST.get("measured_on") or None
        record_indicator_realisation(
            user=request.user, indicator=ind, year=year, quarter=quarter, value=value,
            measured_on=date.fromisoformat(measured) if measured else None,
            source=request.POST.get("source", ""), note=request.POST.get("note", ""),
            reason=request.POST.get("reason", ""), today=timezone.localdate(),
        )  # fmt: skip
    except (InvalidNumber, EditRefused, ValueError) as exc:
        messages.error(request, f"{ind.name}: {exc}")
    else:
        messages.success(request, _("Realisasi %(name)s disimpan.") % {"name": ind.name})
    return redirect("texts:iku", agency=found.slug, year=year, quarter=quarter)


def _subjects(agency: Agency, year: int) -> list[dict[str, object]]:
    indicators = Indicator.objects.filter(plan__agency=agency, is_key=True,
                                          objective__isnull=False).order_by("position")  # fmt: skip
    programs = WorkItem.objects.filter(agency=agency, year=year, level="program").order_by(
        "position")  # fmt: skip
    return [{"key": f"i{i.pk}", "label": i.name, "indicator": i, "work_item": None}
            for i in indicators] + [
        {"key": f"w{p.pk}", "label": p.name, "indicator": None, "work_item": p}
        for p in programs]  # fmt: skip


@login_required
@require_GET
def narratives(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _readable(request, agency, quarter)
    stored: dict[tuple[str, str], list[str]] = {}
    for n in Narrative.objects.filter(agency=found, year=year, quarter=quarter).order_by(
            "position"):  # fmt: skip
        key = f"i{n.indicator_id}" if n.indicator_id else f"w{n.work_item_id}" if \
            n.work_item_id else "a"  # fmt: skip
        stored.setdefault((key, n.kind), []).append(n.text)
    subjects = []
    for s in _subjects(found, year):
        subjects.append({**s, "fields": [
            {"kind": k, "label": Narrative.Kind(k).label, "name": f"{s['key']}-{k}",
             "text": "\n".join(stored.get((str(s["key"]), k), []))} for k in KINDS]})  # fmt: skip
    own = [{"kind": k, "label": Narrative.Kind(k).label, "name": f"a-{k}",
            "text": "\n".join(stored.get(("a", k), []))} for k in AGENCY_KINDS]  # fmt: skip
    return render(request, "monitoring/narratives.html", {
        "agency": found, "year": str(year), "year_number": year, "quarter": quarter,
        "subjects": subjects, "own": own,
        "can_edit": rules.can_edit_agency_data(request.user, found)})  # fmt: skip


@login_required
@require_POST
def narratives_save(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _readable(request, agency, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    reason, today = request.POST.get("reason", ""), timezone.localdate()
    try:
        for s in _subjects(found, year):
            for kind in KINDS:
                name = f"{s['key']}-{kind}"
                if name in request.POST:
                    save_narratives(
                        user=request.user,
                        agency=found,
                        year=year,
                        quarter=quarter,
                        kind=kind,
                        texts=request.POST[name].splitlines(),
                        indicator=s["indicator"],
                        work_item=s["work_item"],
                        reason=reason,
                        today=today,
                    )  # type: ignore[arg-type]
        for kind in AGENCY_KINDS:
            if f"a-{kind}" in request.POST:
                save_narratives(user=request.user, agency=found, year=year, quarter=quarter,
                                kind=kind, texts=request.POST[f"a-{kind}"].splitlines(),
                                reason=reason, today=today)  # fmt: skip
    except EditRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Narasi disimpan."))
    return redirect("texts:narratives", agency=found.slug, year=year, quarter=quarter)
