"""A quarter's IKU realisations (Tabel 3.1) and narratives (factors, follow-up, the report's
own texts): entered in the same flow as the grid."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.core.achievement import Polarity, Target, achievement
from kinerja.core.numbers import (
    QUARTER_ROMAN,
    InvalidNumber,
    format_number,
    format_percent,
    parse_number,
)
from kinerja.core.scales import PREDIKAT_CAPAIAN
from kinerja.planning.concurrency import Conflict
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


IKU_FIELDS = ("value", "measured_on", "source", "note")


def _iku_texts(r: IndicatorRealisation | None) -> dict[str, str]:
    """An IKU realisation's fields as the page draws them (and posts them back as ``was-``)."""
    if r is None:
        return dict.fromkeys(IKU_FIELDS, "")
    return {"value": format_number(r.value, missing=""),
            "measured_on": r.measured_on.isoformat() if r.measured_on else "",
            "source": r.source, "note": r.note}  # fmt: skip


def _iku_values(texts: dict[str, str]) -> dict[str, object]:
    """Posted IKU texts as values; InvalidNumber or ValueError for a malformed one."""
    out: dict[str, object] = {}
    for field, text in texts.items():
        if field == "value":
            out[field] = parse_number(text)
        elif field == "measured_on":
            out[field] = _parse_date(text)
        else:
            out[field] = text.strip()
    return out


def _parse_date(text: str) -> date | None:
    """A typed date (the date input's YYYY-MM-DD), None for a blank; EditRefused in
    Indonesian for anything else (not Python's English ValueError)."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise EditRefused(_("Tanggal «%(text)s» tidak terbaca; tulis sebagai TTTT-BB-HH.")
                          % {"text": text.strip()[:20]}) from None  # fmt: skip


def redraw(
    typed: dict[str, str], drawn: dict[str, str], saved: dict[str, str], conflicts: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The (shown, drawn) texts of a form a refused save redraws: what the user changed stays
    as typed; everything else is redrawn as saved now; a conflicting field is drawn as theirs,
    so saving again overwrites them knowingly."""
    shown, was = dict(saved), dict(saved)
    for field, text in typed.items():
        before = drawn.get(field)
        if before is not None and text.strip() == before.strip():
            continue
        shown[field] = text
        if before is not None and field not in conflicts:
            was[field] = before
    return shown, was


@login_required
@require_GET
def iku(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    return _iku_page(request, _readable(request, agency, quarter), year, quarter)


def _iku_indicators(agency: Agency, year: int) -> list[Indicator]:
    return list(
        Indicator.objects.filter(plan__agency=agency, plan__start_year__lte=year,
                                 plan__end_year__gte=year, is_key=True).order_by("position")
    )  # fmt: skip


def _iku_page(request: HttpRequest, found: Agency, year: int, quarter: int,
              refused: dict[str, object] | None = None) -> HttpResponse:  # fmt: skip
    """The IKU page, one form for every indicator; ``refused``: a refused save's typed and
    drawn texts per indicator, the conflicting cells' messages and why."""
    indicators = _iku_indicators(found, year)
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
        saved = _iku_texts(r)
        shown, was, conflicts = saved, saved, {}
        if refused is not None:
            conflicts = refused["conflicts"].get(ind.pk, {})  # type: ignore[attr-defined]
            shown, was = redraw(refused["typed"].get(ind.pk, {}),  # type: ignore[attr-defined]
                                refused["drawn"].get(ind.pk, {}),  # type: ignore[attr-defined]
                                saved, set(conflicts))  # fmt: skip
        rows.append({"indicator": ind, "target": format_number(value), "r": r,
                     "value": format_number(r.value, missing="") if r else "",
                     "shown": shown, "was": was, "conflicts": conflicts,
                     "capaian": format_percent(capaian),
                     "rating": PREDIKAT_CAPAIAN.label(capaian) or "-"})  # fmt: skip
    return render(request, "monitoring/iku.html", {
        "agency": found, "year": str(year), "year_number": year, "quarter": quarter,
        "quarter_roman": QUARTER_ROMAN[quarter - 1],
        "rows": rows, "can_edit": rules.can_edit_agency_data(request.user, found),
        "refusal": refused["message"] if refused else "",
        "reason": request.POST.get("reason", "")},
        status=refused.get("status", 409) if refused else 200)  # fmt: skip


def _iku_posted(post: Any, pk: int, prefix: str = "") -> dict[str, str]:
    return {f: post[f"{prefix}{f}-{pk}"] for f in IKU_FIELDS if f"{prefix}{f}-{pk}" in post}


def _iku_changed(typed: dict[str, str], drawn: dict[str, str]) -> bool:
    return any(text.strip() != drawn.get(f, "").strip() for f, text in typed.items())


@login_required
@require_POST
def iku_save(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    """Every indicator of the page in one save, all or nothing: an indicator whose fields
    were not changed since the page was drawn is left alone; a changed one is written where
    it differs from what was drawn (Conflict where someone else changed it since)."""
    found = _readable(request, agency, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    typed = {i.pk: _iku_posted(request.POST, i.pk) for i in _iku_indicators(found, year)}
    drawn = {pk: _iku_posted(request.POST, pk, "was-") for pk in typed}
    names = {i.pk: i for i in _iku_indicators(found, year)}
    reason, today = request.POST.get("reason", ""), timezone.localdate()
    conflicts: dict[int, dict[str, str]] = {}
    saved_names: list[str] = []
    current = None
    try:
        with transaction.atomic():  # every indicator or none
            for pk, texts in typed.items():
                if not texts or not _iku_changed(texts, drawn[pk]):
                    continue
                current = names[pk]
                try:
                    _save_iku(request.user, current, year, quarter, texts, drawn[pk],
                              reason=reason, today=today)  # fmt: skip
                except Conflict as exc:
                    conflicts[pk] = {c.field: c.message for c in exc.cells}
                saved_names.append(current.name)
            current = None
            if conflicts:
                raise Conflict([])
    except Conflict:
        return _iku_page(request, found, year, quarter, refused={
            "typed": typed, "drawn": drawn, "conflicts": conflicts,
            "message": _("Tidak ada realisasi IKU yang disimpan: %(n)s indikator telah diubah "
                         "orang lain sejak halaman ini dibuka. Isian Anda tetap di formulir; "
                         "simpan lagi untuk menimpa.") % {"n": len(conflicts)}})  # fmt: skip
    except (InvalidNumber, EditRefused, ValueError) as exc:
        # refused as typed: the page again with everything the user typed, and why
        where = f"{current.name}: " if current is not None else ""
        return _iku_page(request, found, year, quarter, refused={
            "typed": typed, "drawn": drawn, "conflicts": {},
            "message": _("Tidak ada realisasi IKU yang disimpan. %(why)s")
            % {"why": f"{where}{exc}"}, "status": 200})  # fmt: skip
    if saved_names:
        messages.success(request, _("Realisasi IKU disimpan: %(names)s.")
                         % {"names": "; ".join(saved_names)})  # fmt: skip
    else:
        messages.info(request, _("Tidak ada realisasi IKU yang berubah."))
    return redirect("texts:iku", agency=found.slug, year=year, quarter=quarter)


def _save_iku(user: Any, ind: Indicator, year: int, quarter: int, typed: dict[str, str],
              drawn: dict[str, str], *, reason: str, today: date) -> None:  # fmt: skip
    new, expected = _iku_values(typed), _iku_values(drawn)
    stored = IndicatorRealisation.objects.filter(indicator=ind, year=year,
                                                 quarter=quarter).first()  # fmt: skip
    saved = _iku_values(_iku_texts(stored))
    record_indicator_realisation(
        user=user, indicator=ind, year=year, quarter=quarter,
        **{f: new.get(f, saved[f]) for f in IKU_FIELDS},  # type: ignore[arg-type]
        reason=reason, today=today,
        expected={f: expected.get(f, saved[f]) for f in IKU_FIELDS},
    )  # fmt: skip


def _subjects(agency: Agency, year: int) -> list[dict[str, object]]:
    indicators = Indicator.objects.filter(plan__agency=agency, is_key=True,
                                          objective__isnull=False).order_by("position")  # fmt: skip
    programs = WorkItem.objects.filter(agency=agency, year=year, level="program",
                                       indicator_of__isnull=True).order_by("position")  # fmt: skip
    return [{"key": f"i{i.pk}", "label": i.name, "indicator": i, "work_item": None}
            for i in indicators] + [
        {"key": f"w{p.pk}", "label": p.name, "indicator": None, "work_item": p}
        for p in programs]  # fmt: skip


@login_required
@require_GET
def narratives(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    return _narratives_page(request, _readable(request, agency, quarter), year, quarter)


def _narratives_page(request: HttpRequest, found: Agency, year: int, quarter: int,
                     refused: dict[str, object] | None = None) -> HttpResponse:  # fmt: skip
    """The narratives page; ``refused``: a refused save's typed and drawn texts by field name
    and the conflicting fields' messages."""
    stored: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], int] = {}  # a line of each text: the text's history page
    for n in Narrative.objects.filter(agency=found, year=year, quarter=quarter).order_by(
            "position"):  # fmt: skip
        key = f"i{n.indicator_id}" if n.indicator_id else f"w{n.work_item_id}" if \
            n.work_item_id else "a"  # fmt: skip
        stored.setdefault((key, n.kind), []).append(n.text)
        first.setdefault((key, n.kind), n.pk)
    subjects = []
    for s in _subjects(found, year):
        subjects.append({**s, "fields": [
            {"kind": k, "label": Narrative.Kind(k).label, "name": f"{s['key']}-{k}",
             "text": "\n".join(stored.get((str(s["key"]), k), []))} for k in KINDS]})  # fmt: skip
    own = [{"kind": k, "label": Narrative.Kind(k).label, "name": f"a-{k}",
            "text": "\n".join(stored.get(("a", k), []))} for k in AGENCY_KINDS]  # fmt: skip
    fields = [f for s in subjects for f in s["fields"]] + own  # type: ignore[attr-defined]
    for f in fields:
        f["was"] = f["text"]
        f["history"] = first.get(tuple(f["name"].split("-", 1)))  # type: ignore[arg-type]
    if refused is not None:
        saved = {f["name"]: f["text"] for f in fields}
        conflicts: dict[str, str] = refused["conflicts"]  # type: ignore[assignment]
        shown, was = redraw(refused["typed"], refused["drawn"], saved, set(conflicts))  # type: ignore[arg-type]
        for f in fields:
            f["text"], f["was"] = shown[f["name"]], was[f["name"]]
            f["conflict"] = conflicts.get(f["name"], "")
    return render(request, "monitoring/narratives.html", {
        "agency": found, "year": str(year), "year_number": year, "quarter": quarter,
        "subjects": subjects, "own": own,
        "can_edit": rules.can_edit_agency_data(request.user, found),
        "refusal": refused["message"] if refused else "",
        "reason": request.POST.get("reason", "")},
        status=refused.get("status", 409) if refused else 200)  # fmt: skip


@login_required
@require_POST
def narratives_save(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _readable(request, agency, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    reason, today = request.POST.get("reason", ""), timezone.localdate()
    fields = [(f"{s['key']}-{kind}", kind, s["indicator"], s["work_item"])
              for s in _subjects(found, year) for kind in KINDS]  # fmt: skip
    fields += [(f"a-{kind}", kind, None, None) for kind in AGENCY_KINDS]
    typed = {name: request.POST[name] for name, *_rest in fields if name in request.POST}
    drawn = {name: request.POST[f"was-{name}"] for name, *_rest in fields
             if f"was-{name}" in request.POST}  # fmt: skip
    try:
        with transaction.atomic():  # every text or none
            conflicts = {}
            for name, kind, indicator, work_item in fields:
                if name not in typed:
                    continue
                try:
                    save_narratives(
                        user=request.user, agency=found, year=year, quarter=quarter,
                        kind=kind, texts=typed[name].splitlines(), indicator=indicator,
                        work_item=work_item, reason=reason, today=today,
                        expected=drawn[name].splitlines() if name in drawn else None,
                    )  # fmt: skip
                except Conflict as exc:
                    conflicts[name] = exc.cells[0].message
            if conflicts:
                raise Conflict([])
    except Conflict:
        return _narratives_page(request, found, year, quarter, refused={
            "typed": typed, "drawn": drawn, "conflicts": conflicts,
            "message": _("Tidak ada narasi yang disimpan: %(n)s isian telah diubah orang lain "
                         "sejak halaman ini dibuka. Isian Anda tetap di formulir; simpan lagi "
                         "untuk menimpa.") % {"n": len(conflicts)}})  # fmt: skip
    except EditRefused as exc:  # refused as typed: the page again with every text kept
        return _narratives_page(request, found, year, quarter, refused={
            "typed": typed, "drawn": drawn, "conflicts": {}, "message": str(exc),
            "status": 200})  # fmt: skip
    else:
        messages.success(request, _("Narasi disimpan."))
    return redirect("texts:narratives", agency=found.slug, year=year, quarter=quarter)
