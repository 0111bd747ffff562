"""Planning screens for a new agency: the Renstra editor (period, tujuan, sasaran, indicators
with their yearly targets), the IKU sheet editor, the PK built from the Renja and the IKU, and
next year prepared from this one. Short views: the permission (``rules.can_edit_plan``), a
form, one function of planning/renstra_edit.py or planning/rollover.py, redirect or render.
Readers get the same pages without forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts import rules
from kinerja.core.numbers import format_number

from . import renstra_edit as edit
from .concurrency import Conflict, user_name
from .forms import IndonesianNumberField
from .items import Revision
from .models import (
    Agency,
    AggregationChoice,
    Goal,
    Indicator,
    Objective,
    PolarityChoice,
    Scale,
    StrategicPlan,
)
from .rollover import RolloverRefused, rollover

# ---- forms ------------------------------------------------------------------------------------


class RevisionFields(forms.Form):
    """The reason of a change; once a year of the period is approved also its date and legal
    basis (the change is then a revision)."""

    rev_reason = forms.CharField(label=_l("Alasan perubahan (dicatat di riwayat)"),
                                 required=False, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    rev_on = forms.DateField(label=_l("Tanggal perubahan"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip
    rev_legal_basis = forms.CharField(label=_l("Dasar hukum perubahan"), max_length=300,
                                      required=False)  # fmt: skip

    def __init__(self, *args: Any, locked: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = locked or []
        if not self.locked:
            del self.fields["rev_on"], self.fields["rev_legal_basis"]
        else:
            self.fields["rev_on"].initial = timezone.localdate()
            self.fields["rev_reason"].label = _l("Alasan revisi")

    def revision(self) -> Revision | None:
        data = self.cleaned_data
        if not self.locked:
            return None
        if not data.get("rev_on"):
            raise edit.PlanRefused(_("Isi tanggal perubahan: ini revisi."))
        return Revision(on=data["rev_on"], reason=data.get("rev_reason", ""),
                        legal_basis=data.get("rev_legal_basis", ""))  # fmt: skip

    def reason(self) -> str:
        return str(self.cleaned_data.get("rev_reason", ""))


class PlanForm(forms.Form):
    start_year = forms.IntegerField(label=_l("Tahun awal"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_l("Tahun akhir"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_l("Catatan (dicatat di riwayat)"), required=False)


class GoalForm(RevisionFields):
    number = forms.IntegerField(label=_l("Nomor tujuan"), min_value=1, max_value=99)
    text = forms.CharField(label=_l("Tujuan"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["number", "text"]


class ObjectiveForm(RevisionFields):
    code = forms.CharField(label=_l("Kode sasaran"), max_length=20)
    text = forms.CharField(label=_l("Sasaran"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["code", "text"]


class RemoveForm(RevisionFields):
    pass


def _scales() -> Any:
    return Scale.objects.order_by("name", "version")


class IndicatorForm(RevisionFields):
    name = forms.CharField(label=_l("Nama indikator"), max_length=300)
    unit = forms.CharField(label=_l("Satuan"), max_length=60, required=False)
    decimals = forms.IntegerField(label=_l("Jumlah desimal"), min_value=0, max_value=6,
                                  required=False, help_text=_l("Kosong: dicetak seperti diisi."))  # fmt: skip
    polarity = forms.ChoiceField(label=_l("Polaritas"), choices=PolarityChoice.choices)
    aggregation = forms.ChoiceField(label=_l("Agregasi triwulan"),
                                    choices=AggregationChoice.choices,
                                    initial=AggregationChoice.LAST)  # fmt: skip
    scale = forms.ModelChoiceField(label=_l("Skala nilai"), queryset=Scale.objects.none(),
                                   required=False, empty_label=_l("— tanpa skala —"))  # fmt: skip
    allows_negative = forms.BooleanField(label=_l("Boleh negatif"), required=False)
    field_order = ["name", "unit", "decimals", "polarity", "aggregation", "scale",
                   "allows_negative"]  # fmt: skip

    def __init__(self, *args: Any, years: range, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = _scales()
        self.years = years
        for y in years:
            self.fields[f"t{y}"] = IndonesianNumberField(label=_l("Target %(y)s") % {"y": y},
                                                         required=False)  # fmt: skip
            self.fields[f"u{y}"] = IndonesianNumberField(
                label=_l("Batas atas %(y)s") % {"y": y}, required=False)  # fmt: skip
            for name in (f"t{y}", f"u{y}"):  # drawn in a table without <label>
                self.fields[name].widget.attrs["aria-label"] = str(self.fields[name].label)

    def target_rows(self, saved: dict[int, Any], locked: list[int]) -> list[dict[str, Any]]:
        """Per year: the stored original and revision beside the inputs."""
        rows = []
        for y in self.years:
            t = saved.get(y)
            rows.append({"year": y, "locked": y in locked, "t": self[f"t{y}"], "u": self[f"u{y}"],
                         "original": _span(t.original, t.original_upper) if t else "-",
                         "revised": _span(t.revised, t.revised_upper)
                         if t and t.revised is not None else ""})  # fmt: skip
        return rows

    def main_fields(self) -> list[Any]:
        return [self[n] for n in self.field_order]


class IkuForm(RevisionFields):
    is_key = forms.BooleanField(label=_l("Indikator Kinerja Utama (IKU)"), required=False)
    definition = forms.CharField(label=_l("Definisi operasional"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    formula = forms.CharField(label=_l("Formulasi"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    data_source = forms.CharField(label=_l("Sumber data"), max_length=300, required=False)
    unit = forms.CharField(label=_l("Satuan"), max_length=60, required=False)
    scale = forms.ModelChoiceField(label=_l("Skala nilai"), queryset=Scale.objects.none(),
                                   required=False, empty_label=_l("— tanpa skala —"))  # fmt: skip
    weights = forms.CharField(
        label=_l("Bobot dimensi/aspek indeks komposit"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("Satu dimensi per baris, misalnya «Kualifikasi: 25»; jumlahnya 100 %. "
                     "Kosongkan bila bukan indeks komposit."))  # fmt: skip
    field_order = ["is_key", "definition", "formula", "data_source", "unit", "scale", "weights"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = _scales()

    def clean_weights(self) -> list[list[Any]]:
        try:
            return edit.parse_weights(self.cleaned_data.get("weights", ""))
        except edit.PlanRefused as exc:
            raise ValidationError(str(exc)) from None


def _span(value: Any, upper: Any) -> str:
    if value is None:
        return "-"
    return format_number(value) + (f"–{format_number(upper)}" if upper is not None else "")


def weights_text(weights: list[list[Any]]) -> str:
    return "\n".join(f"{name}: {weight}" for name, weight in weights or [])


# ---- helpers ----------------------------------------------------------------------------------


def _agency(slug: str, user: Any, *, write: bool = False) -> Agency:
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    allowed = rules.can_edit_plan if write else rules.is_reader_of
    if not allowed(user, found):
        raise PermissionDenied
    return found


def _plan(agency: Agency, pk: int) -> StrategicPlan:
    return get_object_or_404(StrategicPlan.objects.select_related("agency"), agency=agency, pk=pk)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404(_("Tahun tidak dikenal."))


def _text(value: Any) -> str:
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_number(value, missing="")
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, Scale):
        return str(value.pk)
    return str(value)


def _draw(form: forms.Form, names: list[str]) -> forms.Form:
    """The values the form is drawn with, posted back as hidden ``was-<name>`` fields."""
    if form.is_bound:
        form.drawn = {n: form.data.get(f"was-{n}", "") for n in names}  # type: ignore[attr-defined]
    else:
        form.drawn = {n: _text(form[n].value()) for n in names}  # type: ignore[attr-defined]
    return form


def _expected(form: forms.Form, names: list[str]) -> dict[str, Any] | None:
    """The drawn values read by the form's own fields, keyed as the domain names them."""
    out: dict[str, Any] = {}
    for name in names:
        text = form.data.get(f"was-{name}")
        if text is None:
            continue
        field = form.fields[name]
        try:
            value = field.clean(text)
        except ValidationError:
            continue
        if name == "scale":
            out["scale_id"] = value.pk if value else None
        elif name == "weights":
            out["weights"] = value
        else:
            out[name] = value
    return out if out else None


def _refuse(form: forms.Form, exc: Conflict, field_of: dict[str, str] | None = None) -> None:
    form.data = form.data.copy()
    for cell in exc.cells:
        name = (field_of or {}).get(cell.key, cell.key)
        if name in form.fields:
            form.add_error(name, cell.message)
            form.data[f"was-{name}"] = _text(cell.theirs)
        else:
            form.add_error(None, cell.message)
    form.add_error(None, _("Tidak disimpan: isian bertanda telah diubah orang lain sejak "
                           "halaman ini dibuka. Isian Anda tetap; simpan lagi untuk menimpa."))  # fmt: skip
    form.conflict = True  # type: ignore[attr-defined]


def _status(*forms_: Any) -> int:
    return 409 if any(getattr(f, "conflict", False) for f in forms_ if f is not None) else 200


# ---- Renstra period and tree ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def renstra_new(request: HttpRequest, agency: str) -> HttpResponse:
    found = _agency(agency, request.user, write=True)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = edit.create_plan(user=request.user, agency=found,
                                    start_year=form.cleaned_data["start_year"],
                                    end_year=form.cleaned_data["end_year"],
                                    reason=form.cleaned_data["reason"])  # fmt: skip
        except edit.PlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Renstra %(s)s–%(e)s dibuat; tambahkan tujuannya.")
                             % {"s": plan.start_year, "e": plan.end_year})  # fmt: skip
            return redirect("planning:renstra_edit", agency=found.slug, plan=plan.pk)
    if not form.is_bound:
        year = timezone.localdate().year
        form.initial = {"start_year": year, "end_year": year + 4}
    plans = StrategicPlan.objects.filter(agency=found).order_by("-start_year")
    return render(request, "planning/renstra_new.html",
                  {"agency": found, "form": form, "plans": plans})  # fmt: skip


def _tree(plan: StrategicPlan, editable: bool, bound: dict[str, Any]) -> list[dict[str, Any]]:
    locked = edit.locked_years(plan)
    indicators = list(plan.indicators.select_related("scale").prefetch_related("targets")
                      .order_by("position"))  # fmt: skip

    def rows(selected: list[Indicator]) -> list[dict[str, Any]]:
        out = []
        for i in selected:
            by_year = {t.year: t for t in i.targets.all()}
            cells = []
            for y in range(plan.start_year, plan.end_year + 1):
                t = by_year.get(y)
                cells.append({"year": y, "original": format_number(t and t.original),
                              "revised": format_number(t.revised) if t and t.revised is not None
                              else ""})  # fmt: skip
            out.append({"indicator": i, "cells": cells})
        return out

    goals = []
    for goal in plan.goals.prefetch_related("objectives").order_by("number"):
        form = bound.get(f"goal-{goal.pk}")
        if form is None and editable:
            form = GoalForm(locked=locked, prefix=f"g{goal.pk}",
                            initial={"number": goal.number, "text": goal.text})  # fmt: skip
        objectives = []
        for objective in goal.objectives.all():
            oform = bound.get(f"objective-{objective.pk}")
            if oform is None and editable:
                oform = ObjectiveForm(locked=locked, prefix=f"o{objective.pk}",
                                      initial={"code": objective.code, "text": objective.text})  # fmt: skip
            objectives.append({"objective": objective,
                               "form": oform and _draw(oform, ["code", "text"]),
                               "rows": rows([i for i in indicators
                                             if i.objective_id == objective.pk])})  # fmt: skip
        new_objective = bound.get(f"new-objective-{goal.pk}")
        if new_objective is None and editable:
            new_objective = ObjectiveForm(locked=locked, prefix=f"no{goal.pk}")
        goals.append({"goal": goal, "form": form and _draw(form, ["number", "text"]),
                      "objectives": objectives, "new_objective": new_objective,
                      "rows": rows([i for i in indicators if i.goal_id == goal.pk
                                    and i.objective_id is None])})  # fmt: skip
    return goals


def _editor_page(request: HttpRequest, agency: Agency, plan: StrategicPlan,
                 bound: dict[str, Any] | None = None) -> HttpResponse:  # fmt: skip
    bound = bound or {}
    editable = rules.can_edit_plan(request.user, agency)
    locked = edit.locked_years(plan)
    new_goal = bound.get("new-goal")
    if new_goal is None and editable:
        last = plan.goals.order_by("-number").first()
        new_goal = GoalForm(locked=locked, prefix="ng",
                            initial={"number": (last.number if last else 0) + 1})  # fmt: skip
    context = {"agency": agency, "plan": plan, "editable": editable, "locked": locked,
               "years": range(plan.start_year, plan.end_year + 1),
               "goals": _tree(plan, editable, bound), "new_goal": new_goal,
               "remove": RemoveForm(locked=locked, prefix="rm") if editable else None}  # fmt: skip
    return render(request, "planning/renstra_edit.html", context,
                  status=_status(*bound.values()))  # fmt: skip


@login_required
def renstra_edit(request: HttpRequest, agency: str, plan: int) -> HttpResponse:
    if request.method != "GET":
        raise Http404
    found = _agency(agency, request.user)
    return _editor_page(request, found, _plan(found, plan))


def _done(request: HttpRequest, agency: Agency, plan: StrategicPlan, text: str,
          anchor: str = "") -> HttpResponse:  # fmt: skip
    messages.success(request, text)
    url = reverse("planning:renstra_edit", args=[agency.slug, plan.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def goal_save(request: HttpRequest, agency: str, plan: int, pk: int | None = None) -> HttpResponse:
    found = _agency(agency, request.user, write=True)
    the_plan = _plan(found, plan)
    goal = get_object_or_404(Goal, plan=the_plan, pk=pk) if pk else None
    key, prefix = (f"goal-{pk}", f"g{pk}") if pk else ("new-goal", "ng")
    form = GoalForm(request.POST, locked=edit.locked_years(the_plan), prefix=prefix)
    if form.is_valid():
        try:
            saved = edit.save_goal(user=request.user, plan=the_plan, goal=goal,
                                   number=form.cleaned_data["number"],
                                   text=form.cleaned_data["text"],
                                   expected=_expected(form, ["number", "text"]) if goal else None,
                                   revision=form.revision(), reason=form.reason())  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except edit.PlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, found, the_plan, _("Tujuan %(n)s disimpan.")
                         % {"n": saved.number}, f"goal-{saved.pk}")  # fmt: skip
    messages.error(request, _("Tujuan belum disimpan; periksa isian di bawah."))
    return _editor_page(request, found, the_plan, {key: form})


@login_required
@require_POST
def objective_save(request: HttpRequest, agency: str, plan: int, goal: int,
                   pk: int | None = None) -> HttpResponse:  # fmt: skip
    found = _agency(agency, request.user, write=True)
    the_plan = _plan(found, plan)
    the_goal = get_object_or_404(Goal, plan=the_plan, pk=goal)
    objective = get_object_or_404(Objective, goal=the_goal, pk=pk) if pk else None
    key, prefix = (f"objective-{pk}", f"o{pk}") if pk else (f"new-objective-{goal}", f"no{goal}")
    form = ObjectiveForm(request.POST, locked=edit.locked_years(the_plan), prefix=prefix)
    if form.is_valid():
        try:
            saved = edit.save_objective(
                user=request.user, goal=the_goal, objective=objective,
                code=form.cleaned_data["code"], text=form.cleaned_data["text"],
                expected=_expected(form, ["code", "text"]) if objective else None,
                revision=form.revision(), reason=form.reason())  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except edit.PlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, found, the_plan, _("Sasaran %(c)s disimpan.")
                         % {"c": saved.code}, f"objective-{saved.pk}")  # fmt: skip
    messages.error(request, _("Sasaran belum disimpan; periksa isian di bawah."))
    return _editor_page(request, found, the_plan, {key: form})


@login_required
@require_POST
def remove(request: HttpRequest, agency: str, plan: int, kind: str, pk: int) -> HttpResponse:
    found = _agency(agency, request.user, write=True)
    the_plan = _plan(found, plan)
    form = RemoveForm(request.POST, locked=edit.locked_years(the_plan), prefix="rm")
    if kind == "tujuan":
        obj: Any = get_object_or_404(Goal, plan=the_plan, pk=pk)
        action, label = edit.remove_goal, _("Tujuan %(n)s dihapus.") % {"n": obj.number}
        kwargs = {"goal": obj}
    elif kind == "sasaran":
        obj = get_object_or_404(Objective, goal__plan=the_plan, pk=pk)
        action, label = edit.remove_objective, _("Sasaran %(c)s dihapus.") % {"c": obj.code}
        kwargs = {"objective": obj}
    elif kind == "indikator":
        obj = get_object_or_404(Indicator, plan=the_plan, pk=pk)
        action, label = edit.remove_indicator, _("Indikator «%(n)s» dihapus.") % {"n": obj.name}
        kwargs = {"indicator": obj}
    else:
        raise Http404
    if form.is_valid():
        try:
            action(user=request.user, revision=form.revision(), reason=form.reason(), **kwargs)
        except edit.PlanRefused as exc:
            messages.error(request, str(exc))
        else:
            return _done(request, found, the_plan, label)
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    return redirect(reverse("planning:renstra_edit", args=[found.slug, the_plan.pk])
                    + f"#{kind}-{pk}")  # fmt: skip


# ---- one indicator with its yearly targets ----------------------------------------------------

INDICATOR_NAMES = ["name", "unit", "decimals", "polarity", "aggregation", "scale",
                   "allows_negative"]  # fmt: skip


def target_warnings(values: Any, years: range,
                    in_force: dict[int, Any] | None = None) -> list[str]:  # fmt: skip
    """The planning rule on an indicator's yearly targets as typed (or stored): the series in
    force steps back — falls for higher-is-better, rises for lower-is-better — by the core's
    check. ``values``: the form's fields by name (``name``, ``polarity``, ``decimals``,
    ``t2024`` …); a value that does not read as a number is left out (the form says why on
    save). ``in_force``: a year's stored revision where the typed field is not what is in
    force (a year without an approved quarter edits its original; its revision stays)."""
    from kinerja.core.achievement import Polarity
    from kinerja.core.checks import check_target_series

    field = IndonesianNumberField(required=False)
    series = []
    for year in years:
        raw = values.get(f"t{year}")
        try:
            value = raw if raw is None or not isinstance(raw, str) else field.clean(raw)
        except ValidationError:
            continue
        if in_force and year in in_force:
            value = in_force[year]
        if value is not None:
            series.append((year, value))
    polarity = values.get("polarity")
    polarity = polarity if polarity in PolarityChoice.values else PolarityChoice.HIGHER
    decimals = values.get("decimals")
    try:
        decimals = None if decimals in (None, "") else min(max(int(decimals), 0), 6)
    except (TypeError, ValueError):
        decimals = None
    name = str(values.get("name") or "").strip()[:300] or _("indikator ini")
    finding = check_target_series(row=name, name=name, polarity=Polarity(polarity),
                                  series=series, decimals=decimals, what=_("Target"))  # fmt: skip
    return [finding.message] if finding else []


@login_required
@require_http_methods(["GET"])
def indicator_check(request: HttpRequest, agency: str, plan: int) -> JsonResponse:
    """The targets rule as the user types, for the indicator form's script: the same
    function the page shows after a save without script."""
    found = _agency(agency, request.user, write=True)
    the_plan = _plan(found, plan)
    years = range(the_plan.start_year, the_plan.end_year + 1)
    pk = request.GET.get("indikator")
    indicator = (get_object_or_404(Indicator, plan=the_plan, pk=pk)
                 if pk and pk.isdigit() else None)  # fmt: skip
    in_force = _revised_in_force(indicator, edit.locked_years(the_plan))
    return JsonResponse({"warnings": target_warnings(request.GET, years, in_force)})


def _revised_in_force(indicator: Indicator | None, locked: list[int]) -> dict[int, Any]:
    """The stored revisions of the years whose field edits the original (no approved quarter
    yet): the revision, not the typed original, is the target in force there."""
    if indicator is None:
        return {}
    return {t.year: t.revised for t in indicator.targets.all()
            if t.revised is not None and t.year not in locked}  # fmt: skip


def _indicator_initial(indicator: Indicator | None, plan: StrategicPlan,
                       locked: list[int]) -> dict[str, Any]:  # fmt: skip
    if indicator is None:
        return {"aggregation": AggregationChoice.LAST, "polarity": PolarityChoice.HIGHER}
    initial: dict[str, Any] = {"name": indicator.name, "unit": indicator.unit,
                               "decimals": indicator.decimals, "polarity": indicator.polarity,
                               "aggregation": indicator.aggregation, "scale": indicator.scale,
                               "allows_negative": indicator.allows_negative}  # fmt: skip
    for t in indicator.targets.all():
        if t.year in locked and t.original is not None:
            value = t.current
            upper = t.revised_upper if t.revised is not None else t.original_upper
        else:
            value, upper = t.original, t.original_upper
        initial[f"t{t.year}"], initial[f"u{t.year}"] = value, upper
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, agency: str, plan: int,
                   pk: int | None = None) -> HttpResponse:  # fmt: skip
    write = request.method == "POST" or pk is None
    found = _agency(agency, request.user, write=write)
    the_plan = _plan(found, plan)
    indicator = get_object_or_404(Indicator, plan=the_plan, pk=pk) if pk else None
    goal = objective = None
    if indicator is None:
        where = request.GET.get("sasaran") or request.POST.get("sasaran")
        if where:
            objective = get_object_or_404(Objective, goal__plan=the_plan, pk=where)
        else:
            goal = get_object_or_404(Goal, plan=the_plan, pk=request.GET.get("tujuan")
                                     or request.POST.get("tujuan") or 0)  # fmt: skip
    years = range(the_plan.start_year, the_plan.end_year + 1)
    locked = edit.locked_years(the_plan)
    names = INDICATOR_NAMES + [f"{p}{y}" for y in years for p in "tu"]
    editable = rules.can_edit_plan(request.user, found)
    form = IndicatorForm(request.POST or None, years=years, locked=locked,
                         initial=_indicator_initial(indicator, the_plan, locked))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        targets = {y: edit.TargetInput(data[f"t{y}"], data[f"u{y}"]) for y in years}
        try:
            saved = edit.save_indicator(
                user=request.user, plan=the_plan, indicator=indicator, goal=goal,
                objective=objective, name=data["name"], unit=data["unit"],
                decimals=data["decimals"], polarity=data["polarity"],
                aggregation=data["aggregation"], scale=data["scale"],
                allows_negative=data["allows_negative"], targets=targets,
                expected=_expected(form, names) if indicator else None,
                revision=form.revision(), reason=form.reason())  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except edit.PlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _done(request, found, the_plan, _("Indikator «%(n)s» disimpan.")
                         % {"n": saved.name}, f"indikator-{saved.pk}")  # fmt: skip
        messages.error(request, _("Indikator belum disimpan; periksa isian di bawah."))
    elif request.method == "POST":
        messages.error(request, _("Indikator belum disimpan; periksa isian di bawah."))
    history = [{"when": h.history_date, "who": user_name(h.history_user),
                "reason": h.history_change_reason}
               for h in (indicator.history.select_related("history_user")
                         .order_by("-history_date")[:10] if indicator else [])]  # fmt: skip
    typed = form.data if form.is_bound else form.initial
    context = {"agency": found, "plan": the_plan, "indicator": indicator, "goal": goal,
               "target_warnings": target_warnings(typed, years,
                                                  _revised_in_force(indicator, locked)),
               "objective": objective, "form": _draw(form, names) if editable else None,
               "locked": locked, "history": history, "editable": editable,
               "target_rows": form.target_rows(
                   {t.year: t for t in indicator.targets.all()} if indicator else {}, locked)}  # fmt: skip
    return render(request, "planning/renstra_indicator.html", context, status=_status(form))


# ---- IKU sheet --------------------------------------------------------------------------------

IKU_NAMES = ["is_key", "definition", "formula", "data_source", "unit", "scale", "weights"]


@login_required
@require_http_methods(["GET", "POST"])
def iku_edit(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan", "scale"), pk=pk, plan__agency=found,
        plan__start_year__lte=year, plan__end_year__gte=year)  # fmt: skip
    locked = edit.locked_years(indicator.plan)
    initial = {"is_key": indicator.is_key, "definition": indicator.definition,
               "formula": indicator.formula, "data_source": indicator.data_source,
               "unit": indicator.unit, "scale": indicator.scale,
               "weights": weights_text(indicator.weights)}  # fmt: skip
    form = IkuForm(request.POST or None, locked=locked, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                edit.save_iku_sheet(
                    user=request.user, indicator=indicator, is_key=data["is_key"],
                    definition=data["definition"], formula=data["formula"],
                    data_source=data["data_source"], unit=data["unit"], scale=data["scale"],
                    weights=data["weights"], expected=_expected(form, IKU_NAMES),
                    revision=form.revision(), reason=form.reason())  # fmt: skip
            except Conflict as exc:
                _refuse(form, exc)
            except edit.PlanRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Lembar IKU «%(n)s» disimpan.") % {"n": indicator})
                return redirect(reverse("planning:iku", args=[found.slug, year])
                                + f"#iku-{indicator.pk}")  # fmt: skip
        messages.error(request, _("Lembar IKU belum disimpan; periksa isian di bawah."))
    return render(request, "planning/iku_edit.html",
                  {"agency": found, "year": str(year), "indicator": indicator,
                   "form": _draw(form, IKU_NAMES), "locked": locked},
                  status=_status(form))  # fmt: skip


@login_required
def iku_candidates(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """Every indicator of the Renstra covering the year, to open its IKU sheet (an IKU is
    made by ticking its flag there)."""
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    indicators = (Indicator.objects.filter(plan__agency=found, plan__start_year__lte=year,
                                           plan__end_year__gte=year)
                  .select_related("goal", "objective").order_by("position"))  # fmt: skip
    return render(request, "planning/iku_list.html",
                  {"agency": found, "year": str(year), "indicators": indicators})  # fmt: skip


# ---- PK from the Renja and the IKU ------------------------------------------------------------


@login_required
@require_POST
def pk_build(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    try:
        result = edit.build_agreement(user=request.user, agency=found, year=year)
    except edit.PlanRefused as exc:
        messages.error(request, str(exc))
        return redirect("planning:pk", agency=found.slug, year=year)
    return render(request, "planning/pk_build.html",
                  {"agency": found, "year": str(year), "result": result})  # fmt: skip


# ---- next year from this one ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rollover_view(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """GET: what preparing ``year`` from ``year - 1`` would create (a dry run); POST: do it."""
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    dry_run = request.method == "GET"
    try:
        result = rollover(found, year, dry_run=dry_run, user=request.user)
    except RolloverRefused as exc:
        messages.error(request, str(exc))
        return redirect("planning:renja", agency=found.slug, year=year - 1)
    if not dry_run:
        messages.success(request, _("Rencana %(y)s disiapkan: %(n)s item dibuat.")
                         % {"y": year, "n": len(result.created)})  # fmt: skip
    rows = [{"row": r, "target": format_number(r.target_k, missing=""),
             "realised_k": format_number(r.realised_k, missing=""),
             "realised_rp": format_number(r.realised_rp, missing=""),
             "context_target": format_number(r.context_target)} for r in result.rows]  # fmt: skip
    return render(request, "planning/rollover.html",
                  {"agency": found, "year": str(year), "from_year": str(year - 1),
                   "result": result, "dry_run": dry_run, "rows": rows})  # fmt: skip
