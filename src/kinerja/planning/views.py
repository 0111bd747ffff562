"""Planning screens: the Renstra (targets original and revised), the Renja with its rencana
aksi, the IKU sheet and the PK. Short views (STYLE): check the permission with a predicate
from accounts/rules.py, validate with a form, call one domain function, redirect or render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.core.numbers import InvalidNumber, format_number

from . import domain
from .concurrency import Conflict
from .forms import (
    ActionPlanForm,
    AgreementSigningForm,
    FindingsAppendixForm,
    GoalNarrativeForm,
    ReviseBudgetForm,
    ReviseTargetForm,
    SignatoryForm,
    revision_date_default,
    revision_of,
)
from .items import plan_locked
from .models import (
    Agency,
    Goal,
    IndicatorTarget,
    PerformanceAgreement,
    Signatory,
    StrategicPlan,
    WorkItem,
)
from .queries import (
    agreement_for_agency,
    key_indicators_for_agency,
    renja_items_for_agency,
    strategic_plans_for_agency,
)

Bound = tuple[Any, ...] | None  # (kind, pk[, quarter], form) of a form sent back with errors


def _agency(slug: str, user: Any, *, write: bool = False) -> Agency:
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    allowed = rules.can_edit_plan if write else rules.is_reader_of
    if not allowed(user, found):
        raise PermissionDenied
    return found


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404(_("Tahun tidak dikenal."))


def _span(value: Decimal | None, upper: Decimal | None) -> str:
    """A target as read: ``66``, or ``60–70`` for a range."""
    if value is None:
        return "-"
    return format_number(value) + (f"–{format_number(upper)}" if upper is not None else "")


def _bound(bound: Bound, *key: Any) -> Any:
    return bound[-1] if bound is not None and bound[:-1] == key else None


# The fields of each form that hold data (not the revision's date, reason or legal basis):
# the page posts them back as drawn (hidden ``was-<field>``, planning/_form.html), so a save
# writes only what the user changed and is refused where someone else changed it since.
DRAWN: dict[type, tuple[str, ...]] = {
    ReviseTargetForm: ("value", "upper"), ReviseBudgetForm: ("amount",),
    ActionPlanForm: ("target_k", "cash_plan"), SignatoryForm: ("name", "nip", "rank", "acting"),
    GoalNarrativeForm: ("narrative",), AgreementSigningForm: ("signed_on", "place"),
    FindingsAppendixForm: ("findings_appendix",),
}  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, Decimal) or value is None:
        return format_number(value, missing="")
    return str(value)


def _drawn(form: Any) -> Any:
    """Attach the values the form is drawn with (``form.drawn``, rendered as hidden fields):
    a new form's initial values; a form sent back, what it was posted with."""
    if form is not None and not hasattr(form, "drawn"):
        names = DRAWN[type(form)]
        form.drawn = ({n: form.data.get(f"was-{n}", "") for n in names} if form.is_bound
                      else {n: _text(form[n].value()) for n in names})  # fmt: skip
    return form


def _expected(form: Any) -> dict[str, Any] | None:
    """The drawn values a form was posted with, read by the form's own fields; None if the
    post carries none (a script)."""
    out = {}
    for name in DRAWN[type(form)]:
        text = form.data.get(f"was-{name}")
        if text is None:
            continue
        try:
            out[name] = form.fields[name].clean(text)
        except ValidationError:
            continue
    return out or None


def _refuse(form: Any, exc: Conflict) -> None:
    """Show each conflicting cell's message beside it and draw it as theirs, keeping what the
    user typed, so saving again overwrites knowingly."""
    form.data = form.data.copy()
    for cell in exc.cells:
        form.add_error(cell.key, cell.message)
        form.data[f"was-{cell.key}"] = _text(cell.theirs)
    form.add_error(None, _("Tidak disimpan: isian bertanda telah diubah orang lain sejak "
                           "halaman ini dibuka. Isian Anda tetap; simpan lagi untuk menimpa."))  # fmt: skip
    form.conflict = True


# ---- Renstra ------------------------------------------------------------------------------


def _plan_sections(plan: StrategicPlan, editable: bool, bound: Bound) -> list[dict[str, Any]]:
    """The plan as goal and objective sections, each with its indicators' yearly targets."""

    def rows(indicators: list[Any]) -> list[dict[str, Any]]:
        out = []
        for indicator in indicators:
            targets = []
            for t in indicator.targets.all():
                form = _bound(bound, "target", t.pk)
                if form is None and editable:
                    form = ReviseTargetForm(auto_id=f"t{t.pk}-%s",
                                            initial={"value": t.current, "upper": t.revised_upper,
                                                     "on": revision_date_default(t.year)})  # fmt: skip
                form = _drawn(form)
                targets.append({"target": t, "original": _span(t.original, t.original_upper),
                                "revised": _span(t.revised, t.revised_upper)
                                if t.revised is not None else "",
                                "changed": t.revised is not None and (
                                    t.revised, t.revised_upper) != (t.original, t.original_upper),
                                "form": form})  # fmt: skip
            out.append({"indicator": indicator, "targets": targets})
        return out

    indicators = list(plan.indicators.all())
    sections = []
    for goal in plan.goals.all():
        form = _bound(bound, "goal", goal.pk)
        if form is None and editable:
            form = GoalNarrativeForm(auto_id=f"g{goal.pk}-%s",
                                     initial={"narrative": goal.narrative})  # fmt: skip
        sections.append({"kind": _("Tujuan"), "code": goal.number, "text": goal.text,
                         "goal": goal, "form": _drawn(form),
                         "rows": rows([i for i in indicators if i.goal_id == goal.pk
                                       and i.objective_id is None])})  # fmt: skip
        for objective in goal.objectives.all():
            sections.append({"kind": _("Sasaran"), "code": objective.code,
                             "text": objective.text,
                             "rows": rows([i for i in indicators
                                           if i.objective_id == objective.pk])})  # fmt: skip
    return sections


def _renstra_page(request: HttpRequest, agency: Agency, bound: Bound = None,
                  status: int = 200) -> HttpResponse:  # fmt: skip
    editable = rules.can_edit_plan(request.user, agency)
    plans = [
        {"plan": p, "years": range(p.start_year, p.end_year + 1),
         "sections": _plan_sections(p, editable, bound)}
        for p in strategic_plans_for_agency(agency)
    ]  # fmt: skip
    return render(request, "planning/renstra.html",
                  {"agency": agency, "plans": plans, "editable": editable}, status=status)  # fmt: skip


@login_required
@require_GET
def renstra(request: HttpRequest, agency: str) -> HttpResponse:
    return _renstra_page(request, _agency(agency, request.user))


@login_required
@require_POST
def revise_target(request: HttpRequest, agency: str, pk: int) -> HttpResponse:
    found = _agency(agency, request.user, write=True)
    target = get_object_or_404(
        IndicatorTarget.objects.select_related("indicator__plan__agency"),
        pk=pk, indicator__plan__agency=found,
    )  # fmt: skip
    form = ReviseTargetForm(request.POST, auto_id=f"t{pk}-%s")
    if form.is_valid():
        try:
            domain.revise_target(user=request.user, target=target, **form.cleaned_data,
                                 expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except (domain.RevisionRefused, InvalidNumber) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Target %(name)s %(year)s direvisi; target awal tetap "
                                        "tersimpan.") % {"name": target.indicator,
                                                         "year": target.year})  # fmt: skip
            return redirect(reverse("planning:renstra", args=[found.slug]) + f"#target-{pk}")
    messages.error(request, _("Revisi target belum disimpan; periksa isian di bawah."))
    return _renstra_page(request, found, ("target", target.pk, form),
                         status=409 if hasattr(form, "conflict") else 200)  # fmt: skip


@login_required
@require_POST
def goal_narrative(request: HttpRequest, agency: str, pk: int) -> HttpResponse:
    """The operator sets a Tujuan's explanation, printed under it in BAB II of the report."""
    found = _agency(agency, request.user, write=True)
    goal = get_object_or_404(Goal.objects.select_related("plan__agency"), pk=pk,
                             plan__agency=found)  # fmt: skip
    form = GoalNarrativeForm(request.POST, auto_id=f"g{pk}-%s")
    if form.is_valid():
        try:
            domain.set_goal_narrative(user=request.user, goal=goal, **form.cleaned_data,
                                      expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except domain.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uraian tujuan %(n)s disimpan.") % {"n": goal.number})
            return redirect(reverse("planning:renstra", args=[found.slug]) + f"#tujuan-{pk}")
    messages.error(request, _("Uraian tujuan belum disimpan; periksa isian di bawah."))
    return _renstra_page(request, found, ("goal", goal.pk, form),
                         status=409 if hasattr(form, "conflict") else 200)  # fmt: skip


# ---- Renja and rencana aksi ---------------------------------------------------------------


def _renja_rows(items: list[WorkItem], editable: bool, bound: Bound,
                locked: bool) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for item in items:
        plans = {p.quarter: p for p in item.action_plans.all()}
        quarters = []
        for q in range(1, 5):
            plan = plans.get(q)
            form = _bound(bound, "plan", item.pk, q)
            if form is None and editable:
                form = ActionPlanForm(auto_id=f"w{item.pk}q{q}-%s", locked=locked,
                                      more=item.indicator_of_id is not None, year=item.year,
                                      initial={"target_k": plan and plan.target_k,
                                               "cash_plan": plan and plan.cash_plan})  # fmt: skip
            quarters.append({"q": q, "roman": ROMAN[q - 1], "form": _drawn(form), "plan": plan,
                             "target_k": format_number(plan and plan.target_k),
                             "cash_plan": format_number(plan and plan.cash_plan)})  # fmt: skip
        budget_form = _bound(bound, "budget", item.pk)
        if budget_form is None and editable and item.indicator_of_id is None:  # an item's own
            budget_form = ReviseBudgetForm(auto_id=f"w{item.pk}-%s",
                                           initial={"amount": item.budget,
                                                    "on": revision_date_default(item.year)})  # fmt: skip
        out.append({"item": item, "target": _span(item.target_k, item.target_k_upper),
                    "budget_original": format_number(item.budget_original),
                    "budget_revised": format_number(item.budget_revised, missing=""),
                    "budget_form": _drawn(budget_form), "quarters": quarters})  # fmt: skip
    return out


def _renja_page(request: HttpRequest, agency: Agency, year: int,
                bound: Bound = None) -> HttpResponse:  # fmt: skip
    status = 409 if bound is not None and hasattr(bound[-1], "conflict") else 200
    editable = rules.can_edit_plan(request.user, agency)
    locked = plan_locked(agency, year)
    rows = _renja_rows(renja_items_for_agency(agency, year=year), editable, bound, locked)
    context = {"agency": agency, "year": str(year), "rows": rows, "editable": editable,
               "roman": ROMAN, "locked": locked}  # fmt: skip
    return render(request, "planning/renja.html", context, status=status)


@login_required
@require_GET
def renja(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    _check_year(year)
    return _renja_page(request, _agency(agency, request.user), year)


def _work_item(agency: Agency, year: int, pk: int) -> WorkItem:
    return get_object_or_404(WorkItem.objects.select_related("agency"), agency=agency,
                             year=year, pk=pk)  # fmt: skip


@login_required
@require_POST
def revise_budget(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    item = _work_item(found, year, pk)
    form = ReviseBudgetForm(request.POST, auto_id=f"w{pk}-%s")
    if form.is_valid():
        try:
            domain.revise_budget(user=request.user, work_item=item, **form.cleaned_data,
                                 expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except (domain.RevisionRefused, InvalidNumber) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pagu perubahan %(item)s disimpan; pagu murni tetap "
                                        "tersimpan.") % {"item": item})  # fmt: skip
            return redirect(reverse("planning:renja", args=[found.slug, year]) + f"#item-{pk}")
    messages.error(request, _("Pagu perubahan belum disimpan; periksa isian di bawah."))
    return _renja_page(request, found, year, ("budget", item.pk, form))


@login_required
@require_POST
def action_plan(request: HttpRequest, agency: str, year: int, pk: int,
                quarter: int) -> HttpResponse:  # fmt: skip
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    if not 1 <= quarter <= 4:
        raise Http404(_("Triwulan tidak dikenal."))
    item = _work_item(found, year, pk)
    form = ActionPlanForm(request.POST, auto_id=f"w{pk}q{quarter}-%s",
                          locked=plan_locked(found, year), year=year,
                          more=item.indicator_of_id is not None)  # fmt: skip
    if form.is_valid():
        data = form.cleaned_data
        try:
            domain.set_action_plan(user=request.user, work_item=item, quarter=quarter,
                                   target_k=data["target_k"], cash_plan=data.get("cash_plan"),
                                   reason=data.get("reason", ""), revision=revision_of(form),
                                   expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except (domain.RevisionRefused, InvalidNumber) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rencana aksi Triwulan %(q)s %(item)s disimpan.")
                             % {"q": ROMAN[quarter - 1], "item": item})  # fmt: skip
            return redirect(reverse("planning:renja", args=[found.slug, year]) + f"#item-{pk}")
    messages.error(request, _("Rencana aksi belum disimpan; periksa isian di bawah."))
    return _renja_page(request, found, year, ("plan", item.pk, quarter, form))


# ---- IKU and PK ---------------------------------------------------------------------------


@login_required
@require_GET
def iku(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user)
    rows = []
    for indicator in key_indicators_for_agency(found, year=year):
        target = indicator.year_targets[0] if indicator.year_targets else None
        bands = indicator.scale.bands.all() if indicator.scale else []
        rows.append({"indicator": indicator,
                     "original": _span(target.original, target.original_upper) if target else "-",
                     "revised": _span(target.revised, target.revised_upper)
                     if target and target.revised is not None else "",
                     "weights": [(name, format_number(Decimal(str(w)))) for name, w in
                                 indicator.weights],
                     "bands": [(b.label, format_number(b.lower, missing=""),
                                format_number(b.upper, missing="")) for b in bands]})  # fmt: skip
    return render(request, "planning/iku.html", {"agency": found, "year": str(year), "rows": rows})


@login_required
@require_GET
def agreement(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user)
    return _pk_page(request, found, year)


def _pk_page(request: HttpRequest, agency: Agency, year: int,
             bound: Bound = None) -> HttpResponse:  # fmt: skip
    agreement = agreement_for_agency(agency, year=year)
    editable = rules.can_edit_plan(request.user, agency)
    lines, signatories = [], []
    if agreement is not None:
        for line in agreement.lines.all():
            item = line.work_item
            renja = (_span(item.target_k, item.target_k_upper), item.unit,
                     format_number(item.budget)) if item else None  # fmt: skip
            mine = (format_number(line.target), line.target_unit, format_number(line.budget))
            lines.append({"line": line, "target": mine[0], "budget": mine[2], "renja": renja,
                          "differs": renja is not None and (renja[0], renja[2]) !=
                          (mine[0], mine[2])})  # fmt: skip
        for s in sorted(agreement.signatories.all(), key=lambda s: s.party != "first"):
            form = _bound(bound, "signatory", s.pk)
            if form is None and editable:
                form = SignatoryForm(auto_id=f"s{s.pk}-%s", initial={
                    "name": s.name, "nip": s.nip, "rank": s.rank, "acting": s.acting})  # fmt: skip
            signatories.append({"signatory": s, "form": _drawn(form)})
    signing = _bound(bound, "signing", agreement.pk) if agreement is not None else None
    if signing is None and editable and agreement is not None:
        signing = AgreementSigningForm(auto_id="pk-%s", initial={
            "signed_on": agreement.signed_on, "place": agreement.place})  # fmt: skip
    status = 409 if bound is not None and hasattr(bound[-1], "conflict") else 200
    return render(request, "planning/pk.html", {
        "agency": agency, "year": str(year), "agreement": agreement, "lines": lines,
        "signatories": signatories, "editable": editable,
        "signing_form": _drawn(signing)}, status=status)  # fmt: skip


@login_required
@require_POST
def agreement_signing(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The operator sets the PK's signing date and place; without a date the PK is a draft."""
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    pk = get_object_or_404(PerformanceAgreement.objects.select_related("agency"),
                           agency=found, year=year)  # fmt: skip
    form = AgreementSigningForm(request.POST, auto_id="pk-%s")
    if form.is_valid():
        try:
            domain.set_agreement_signing(user=request.user, agreement=pk, **form.cleaned_data,
                                         expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except domain.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Tanggal dan tempat penandatanganan PK disimpan."))
            return redirect(reverse("planning:pk", args=[found.slug, year]) + "#penandatanganan")
    messages.error(request, _("Tanggal penandatanganan belum disimpan; periksa isian di bawah."))
    return _pk_page(request, found, year, ("signing", pk.pk, form))


@login_required
@require_POST
def signatory(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    signer = get_object_or_404(Signatory.objects.select_related("agreement__agency"), pk=pk,
                               agreement__agency=found, agreement__year=year)  # fmt: skip
    form = SignatoryForm(request.POST, auto_id=f"s{pk}-%s")
    if form.is_valid():
        try:
            domain.set_signatory(user=request.user, signatory=signer, **form.cleaned_data,
                                 expected=_expected(form))  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except domain.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Penanda tangan disimpan."))
            return redirect("planning:pk", agency=found.slug, year=year)
    messages.error(request, _("Penanda tangan belum disimpan; periksa isian di bawah."))
    return _pk_page(request, found, year, ("signatory", signer.pk, form))
