"""The Renja tree editor (issue 15): a year's programs, kegiatan and sub kegiatan as a tree
with each parent's pagu beside the sum of its children's and the planning rules' warnings;
add, change, move and remove rows for those who may edit the plan (``rules.can_edit_plan``),
read-only for every other reader. Short views: permission, form, one domain function of
planning/renja_edit.py, redirect back to the row (``#item-<id>``) or render the refusal.

A row's form also holds its rencana aksi (target per triwulan, in the row's unit) and cash
plan (Rp per triwulan), saved with the row; Σ of the cash plan is shown against the pagu.

An item may have further indicators (``renja_edit.create_indicator``): rows under it in the
tree with their own indicator, unit, target and rencana aksi; their form (``more=True``) has
no code, name, pagu, cash plan, sasaran or unit kerja — those are the item's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts import rules
from kinerja.core.aggregate import known_sum
from kinerja.core.numbers import QUARTER_ROMAN, format_number

from . import renja_edit as edit
from .concurrency import Conflict
from .forms import IndonesianNumberField, add_revision_fields, revision_of
from .items import plan_locked
from .models import (
    Agency,
    AggregationChoice,
    LevelChoice,
    Objective,
    OrgUnit,
    PolarityChoice,
    WorkItem,
)
from .queries import renja_items_for_agency

# ---- forms ----------------------------------------------------------------------------------

# a quarter's rencana aksi and cash plan on the form: q1_target_k, q1_cash_plan, … q4_cash_plan
QUARTER_FIELDS = tuple(edit.plan_key(q, f) for q in edit.QUARTERS for f in edit.PLAN_FIELDS)


class ItemForm(forms.Form):
    """A row of the Renja as the screens edit it. ``locked``: the year has an approved
    quarter, so the form asks for the revision's date, reason and legal basis."""

    code = forms.CharField(label=gettext_lazy("Kode Kepmendagri 90"), max_length=40,
                           required=False,
                           help_text=gettext_lazy("Misalnya 5.03.01 (program), 5.03.01.2.02 "
                                                  "(kegiatan), 5.03.01.2.02.0001 (sub "
                                                  "kegiatan)."))  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=500)
    indicator = forms.CharField(label=gettext_lazy("Indikator"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    unit = forms.CharField(label=gettext_lazy("Satuan target"), max_length=60, required=False)
    target_k = IndonesianNumberField(label=gettext_lazy("Target K"), required=False)
    target_k_upper = IndonesianNumberField(
        label=gettext_lazy("Batas atas target K (bila target berupa rentang)"), required=False
    )
    decimals = forms.IntegerField(label=gettext_lazy("Jumlah desimal"), min_value=0,
                                  max_value=6, required=False,
                                  help_text=gettext_lazy("Kosong: angka dicetak seperti "
                                                         "diisi."))  # fmt: skip
    budget = IndonesianNumberField(label=gettext_lazy("Pagu murni (Rp)"), money=True,
                                   required=False)  # fmt: skip
    objective = forms.ModelChoiceField(label=gettext_lazy("Sasaran Renstra yang didukung"),
                                       queryset=Objective.objects.none(), required=False,
                                       empty_label=gettext_lazy("— tanpa sasaran —"))  # fmt: skip
    polarity = forms.ChoiceField(label=gettext_lazy("Polaritas"),
                                 choices=PolarityChoice.choices)  # fmt: skip
    aggregation = forms.ChoiceField(label=gettext_lazy("Agregasi triwulan"),
                                    choices=AggregationChoice.choices)  # fmt: skip
    responsible_unit = forms.ModelChoiceField(label=gettext_lazy("Unit penanggung jawab"),
                                              queryset=OrgUnit.objects.none(), required=False,
                                              empty_label=gettext_lazy("—"))  # fmt: skip

    def __init__(self, *args: Any, agency: Agency, year: int, locked: bool, more: bool = False,
                 **kwargs: Any):  # fmt: skip
        super().__init__(*args, label_suffix="", **kwargs)
        self.locked, self.more = locked, more
        objectives = edit.objectives_for(agency, year)
        self.fields["objective"].queryset = Objective.objects.filter(
            pk__in=[o.pk for o in objectives]).order_by("goal__number", "code")  # fmt: skip
        self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(agency=agency)
        if not self.fields["responsible_unit"].queryset.exists():
            del self.fields["responsible_unit"]
        for q in edit.QUARTERS:
            roman = QUARTER_ROMAN[q - 1]
            self.fields[edit.plan_key(q, "target_k")] = IndonesianNumberField(
                label=_("Target TW %(q)s") % {"q": roman}, required=False)  # fmt: skip
            self.fields[edit.plan_key(q, "cash_plan")] = IndonesianNumberField(
                label=_("Rencana kas TW %(q)s (Rp)") % {"q": roman}, money=True,
                required=False)  # fmt: skip
        add_revision_fields(self, locked, year)
        if more:  # a further indicator: what is its own only
            for name in (*edit.FOLLOWS_ITEM, "budget",
                         *(k for k in QUARTER_FIELDS if k.endswith("_cash_plan"))):  # fmt: skip
                self.fields.pop(name, None)
            self.fields["indicator"].required = True
        elif locked:
            self.fields["budget"].label = _("Pagu (Rp) — pagu perubahan")
            self.fields["budget"].help_text = _(
                "Pagu yang berlaku. Mengubahnya mencatat pagu perubahan; pagu murni tetap."
            )

    def main_fields(self) -> list[Any]:
        """The row's own fields, in order (the quarters are drawn as a group after the pagu,
        or after the last of a further indicator's fields)."""
        return [field for field in self if field.name not in QUARTER_FIELDS]

    def quarters_after(self) -> str:
        """The field after which the quarters are drawn."""
        return "aggregation" if self.more else "budget"

    def quarter_rows(self) -> list[dict[str, Any]]:
        """TW I–IV, each with its target and cash plan fields."""
        cash = not self.more
        return [{"q": q, "roman": QUARTER_ROMAN[q - 1],
                 "target_k": self[edit.plan_key(q, "target_k")],
                 "cash_plan": self[edit.plan_key(q, "cash_plan")] if cash else None}
                for q in edit.QUARTERS]  # fmt: skip


class RemoveForm(forms.Form):
    def __init__(self, *args: Any, locked: bool, year: int | None = None, **kwargs: Any):
        super().__init__(*args, label_suffix="", **kwargs)
        add_revision_fields(self, locked, year)
        if not locked:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Alasan penghapusan (dicatat di riwayat)")


class MoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=gettext_lazy("Induk baru"),
                                    queryset=WorkItem.objects.none())  # fmt: skip

    def __init__(self, *args: Any, parents: Any, locked: bool, year: int | None = None,
                 **kwargs: Any):  # fmt: skip
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda w: f"{w.code} {w.name}".strip()
        add_revision_fields(self, locked, year)


# ---- helpers ---------------------------------------------------------------------------------


def _agency(slug: str, user: Any, year: int, *, write: bool = False) -> Agency:
    if not 2000 <= year <= 2100:
        raise Http404(_("Tahun tidak dikenal."))
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    allowed = rules.can_edit_plan if write else rules.is_reader_of
    if not allowed(user, found):
        raise PermissionDenied
    return found


def _item(agency: Agency, year: int, pk: Any) -> WorkItem:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("Item Renja tidak dikenal.")) from None
    return get_object_or_404(WorkItem.objects.select_related("agency", "parent"),
                             agency=agency, year=year, pk=key)  # fmt: skip


def _tree_url(agency: Agency, year: int, anchor: str = "") -> str:
    url = reverse("planning:renja_tree", args=[agency.slug, year])
    return f"{url}#{anchor}" if anchor else url


def _text(value: Any) -> str:
    if isinstance(value, Decimal) or value is None:
        return format_number(value, missing="")
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _initial(item: WorkItem, locked: bool) -> dict[str, Any]:
    out = {"code": item.code, "name": item.name, "indicator": item.indicator,
           "unit": item.unit, "target_k": item.target_k, "target_k_upper": item.target_k_upper,
           "decimals": item.decimals,
           "budget": item.budget if locked else item.budget_original,
           "objective": item.objective_id, "polarity": item.polarity,
           "aggregation": item.aggregation, "responsible_unit": item.responsible_unit_id}  # fmt: skip
    for q, values in edit.plans_of(item).items():
        out.update({edit.plan_key(q, f): v for f, v in values.items()})
    return out


def _drawn(form: ItemForm, item: WorkItem | None) -> dict[str, str]:
    """The values the form is drawn with, posted back as ``was-<field>``: a new page's
    stored values, a page sent back what it was posted with."""
    if item is None:
        return {}
    names = [f for f in (*edit.EDITABLE, *QUARTER_FIELDS) if f in form.fields]
    if form.is_bound:
        return {n: form.data.get(f"was-{n}", "") for n in names}
    return {n: _text(form[n].value()) for n in names}


def _expected(form: ItemForm) -> dict[str, Any] | None:
    out = {}
    for name in edit.EDITABLE:
        text = form.data.get(f"was-{name}")
        if text is None or name not in form.fields:
            continue
        try:
            out[name] = form.fields[name].clean(text)
        except ValidationError:
            continue
    return out or None


def _changes(form: ItemForm) -> dict[str, Any]:
    return {f: form.cleaned_data.get(f) for f in edit.EDITABLE if f in form.fields}


def _posted_quarters(form: ItemForm) -> list[int]:
    """The quarters the post carries (a script that sends none leaves them as they are)."""
    return [q for q in edit.QUARTERS
            if any(edit.plan_key(q, f) in form.data for f in edit.PLAN_FIELDS)]  # fmt: skip


def _plans(form: ItemForm) -> dict[int, dict[str, Any]]:
    """The rencana aksi and cash plan per quarter as posted and read."""
    return {q: {f: form.cleaned_data.get(edit.plan_key(q, f)) for f in edit.PLAN_FIELDS}
            for q in _posted_quarters(form)}  # fmt: skip


def _expected_plans(form: ItemForm) -> dict[int, dict[str, Any]] | None:
    """The quarters' values the page was drawn with (``was-q1_cash_plan`` …)."""
    out: dict[int, dict[str, Any]] = {}
    for q in edit.QUARTERS:
        for f in edit.PLAN_FIELDS:
            key = edit.plan_key(q, f)
            text = form.data.get(f"was-{key}")
            if text is None:
                continue
            try:
                out.setdefault(q, {})[f] = form.fields[key].clean(text)
            except ValidationError:
                continue
    return out or None


def _typed(form: ItemForm) -> dict[str, Any]:
    """What of the form can be read as typed (for the warnings of a form sent back)."""
    out: dict[str, Any] = {}
    for name in ("code", "unit", "target_k", "budget", "objective"):
        if name not in form.fields:
            continue
        try:
            out[name] = form.fields[name].clean(form.data.get(name, ""))
        except ValidationError:
            continue
    try:
        out["cash_plan"] = [form.fields[key].clean(form.data.get(key, ""))
                            for key in QUARTER_FIELDS
                            if key.endswith("_cash_plan") and key in form.fields]  # fmt: skip
    except ValidationError:
        pass  # a quarter not readable as typed: its error says why; Σ is not judged
    return out


def _cash_sum(values: dict[str, Any]) -> str:
    """Σ of the cash plan as typed, for the form's line «Σ rencana kas TW I–IV»."""
    if "cash_plan" not in values:
        return "?"
    return format_number(known_sum(values["cash_plan"]))


def _warnings(agency: Agency, year: int, level: str, parent: WorkItem | None,
              item: WorkItem | None, form: ItemForm) -> list[str]:  # fmt: skip
    values = _typed(form) if form.is_bound else {
        "code": item.code, "unit": item.unit, "target_k": item.target_k,
        "budget": item.budget, "objective": item.objective,
        "cash_plan": [p["cash_plan"] for p in edit.plans_of(item).values()]} if item else {}  # fmt: skip
    if not values:
        return []
    return edit.draft_warnings(agency=agency, year=year, level=level, parent=parent,
                               item=item, values=values)  # fmt: skip


# ---- the tree --------------------------------------------------------------------------------


def _rows(items: list[WorkItem]) -> list[dict[str, Any]]:
    sums = edit.children_sums(items)
    warnings = edit.tree_warnings(items)
    siblings: dict[int | None, list[int]] = {}
    for item in items:
        if item.indicator_of_id is None:
            siblings.setdefault(item.parent_id, []).append(item.pk)
    out = []
    for item in items:
        more = item.indicator_of_id is not None
        kin = [item.pk] if more else siblings[item.parent_id]
        plans = {p.quarter: p for p in item.action_plans.all()}
        quarters = [{"roman": QUARTER_ROMAN[q - 1],
                     "target_k": format_number(plans[q].target_k) if q in plans else "-",
                     "cash_plan": format_number(plans[q].cash_plan) if q in plans else "-"}
                    for q in edit.QUARTERS] if plans else []  # fmt: skip
        cash = [plans[q].cash_plan if q in plans else None for q in edit.QUARTERS]
        out.append({
            "item": item,
            "depth": {"program": 0, "kegiatan": 1}.get(item.level, 2),
            "target": format_number(item.target_k)
            + (f"–{format_number(item.target_k_upper)}" if item.target_k_upper is not None
               else ""),
            "budget_original": format_number(item.budget_original),
            "budget_revised": format_number(item.budget_revised, missing=""),
            "children_sum": format_number(sums[item.pk]) if item.pk in sums else "",
            "sum_differs": item.pk in sums and (item.budget or 0) != sums[item.pk],
            "warnings": warnings[item.pk],
            "quarters": quarters,
            "cash_sum": format_number(known_sum(cash), missing=""),
            "cash_differs": edit.cash_plan_warning(item.budget, cash) is not None,
            "first": kin[0] == item.pk, "last": kin[-1] == item.pk,
            "child_level": None if more else edit.child_level(item),
            "more": more,
        })  # fmt: skip
    return out


@login_required
@require_GET
def renja_tree(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = _agency(agency, request.user, year)
    items = renja_items_for_agency(found, year=year)
    rows = _rows(items)
    editable = rules.can_edit_plan(request.user, found)
    context = {"agency": found, "year": str(year), "rows": rows, "editable": editable,
               "locked": plan_locked(found, year),
               "warned": sum(1 for r in rows if r["warnings"]),
               "level_labels": dict(LevelChoice.choices)}  # fmt: skip
    return render(request, "planning/renja_tree.html", context)


# ---- add and edit ---------------------------------------------------------------------------


def _form_page(request: HttpRequest, agency: Agency, year: int, form: ItemForm, *,
               item: WorkItem | None, parent: WorkItem | None, level: str,
               after: WorkItem | None = None, of: WorkItem | None = None,
               status: int = 200) -> HttpResponse:  # fmt: skip
    if item is not None and item.indicator_of_id is not None:
        of = item.indicator_of
    context = {"agency": agency, "year": str(year), "form": form, "item": item, "of": of,
               "parent": parent, "level": level, "level_label": LevelChoice(level).label,
               "after": after, "drawn": _drawn(form, item), "locked": form.locked,
               "warnings": _warnings(agency, year, level, parent, item, form),
               "cash_sum": _cash_sum(_typed(form) if form.is_bound else {
                   "cash_plan": [form.initial.get(k) for k in QUARTER_FIELDS
                                 if k.endswith("_cash_plan")]})}  # fmt: skip
    return render(request, "planning/renja_item.html", context, status=status)


def _saved(request: HttpRequest, agency: Agency, year: int, item: WorkItem,
           text: str) -> HttpResponse:  # fmt: skip
    messages.success(request, text)
    items = list(WorkItem.objects.filter(agency=agency, year=year))
    for warning in edit.tree_warnings(items).get(item.pk, []):
        messages.warning(request, _("Peringatan %(item)s: %(w)s") % {"item": item, "w": warning})
    return redirect(_tree_url(agency, year, f"item-{item.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def renja_add(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = _agency(agency, request.user, year, write=True)
    parent = _item(found, year, request.GET["induk"]) if request.GET.get("induk") else None
    after = _item(found, year, request.GET["setelah"]) if request.GET.get("setelah") else None
    level = edit.child_level(parent)
    if level is None:
        raise Http404(_("Sub kegiatan tidak memiliki rincian."))
    locked = plan_locked(found, year)
    if request.method == "GET":
        form = ItemForm(agency=found, year=year, locked=locked,
                        initial={"polarity": PolarityChoice.HIGHER,
                                 "aggregation": AggregationChoice.SUM})  # fmt: skip
        return _form_page(request, found, year, form, item=None, parent=parent, level=level,
                          after=after)  # fmt: skip
    form = ItemForm(request.POST, agency=found, year=year, locked=locked)
    if form.is_valid():
        if after is None and parent is not None:
            kids = list(parent.children.order_by("position"))
            after = kids[-1] if kids else None
        elif after is None:
            tops = list(WorkItem.objects.filter(agency=found, year=year, parent=None)
                        .order_by("position"))  # fmt: skip
            after = tops[-1] if tops else None
        values = _changes(form)
        values["budget_original"] = values.pop("budget")
        try:
            item = edit.create_item(user=request.user, agency=found, year=year, parent=parent,
                                    level=level, after=after, revision=revision_of(form),
                                    reason=form.cleaned_data.get("reason", ""),
                                    plans=_plans(form), **values)  # fmt: skip
        except edit.PlanEditRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, found, year, item,
                          _("%(level)s %(item)s ditambahkan.") % {"level": item.get_level_display(),
                                                                   "item": item})  # fmt: skip
    return _form_page(request, found, year, form, item=None, parent=parent, level=level,
                      after=after)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def renja_add_indicator(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    """A further indicator for the item ``pk`` (its own indicator, unit, target and rencana
    aksi), placed after the item's last one."""
    found = _agency(agency, request.user, year, write=True)
    item = _item(found, year, pk)
    if item.indicator_of_id is not None:
        item = _item(found, year, item.indicator_of_id)
    locked = plan_locked(found, year)
    if request.method == "GET":
        form = ItemForm(agency=found, year=year, locked=locked, more=True,
                        initial={"unit": item.unit, "polarity": item.polarity,
                                 "aggregation": item.aggregation})  # fmt: skip
        return _form_page(request, found, year, form, item=None, parent=item.parent,
                          level=item.level, of=item)  # fmt: skip
    form = ItemForm(request.POST, agency=found, year=year, locked=locked, more=True)
    if form.is_valid():
        values = {f: form.cleaned_data.get(f) for f in edit.INDICATOR_EDITABLE}
        plans = {q: {"target_k": p["target_k"]} for q, p in _plans(form).items()}
        try:
            row = edit.create_indicator(user=request.user, item=item, plans=plans,
                                        revision=revision_of(form),
                                        reason=form.cleaned_data.get("reason", ""), **values)  # fmt: skip
        except edit.PlanEditRefused as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, found, year, row,
                          _("Indikator «%(ind)s» ditambahkan pada %(item)s.")
                          % {"ind": row.indicator, "item": item})  # fmt: skip
    return _form_page(request, found, year, form, item=None, parent=item.parent,
                      level=item.level, of=item)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def renja_edit(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    found = _agency(agency, request.user, year, write=True)
    item = _item(found, year, pk)
    locked = plan_locked(found, year)
    more = item.indicator_of_id is not None
    if request.method == "GET":
        form = ItemForm(agency=found, year=year, locked=locked, more=more,
                        initial=_initial(item, locked))  # fmt: skip
        return _form_page(request, found, year, form, item=item, parent=item.parent,
                          level=item.level)  # fmt: skip
    form = ItemForm(request.POST, agency=found, year=year, locked=locked, more=more)
    status = 200
    if form.is_valid():
        try:
            edit.update_item(user=request.user, item=item, changes=_changes(form),
                             expected=_expected(form), revision=revision_of(form),
                             reason=form.cleaned_data.get("reason", ""),
                             plans=_plans(form), expected_plans=_expected_plans(form))  # fmt: skip
        except Conflict as exc:
            form.data = form.data.copy()
            now = _initial(WorkItem.objects.get(pk=item.pk), locked)
            for cell in exc.cells:
                form.add_error(cell.key, cell.message)
                form.data[f"was-{cell.key}"] = _text(now[cell.key])
            form.add_error(None, _("Tidak disimpan: isian bertanda telah diubah orang lain sejak "
                                   "halaman ini dibuka. Isian Anda tetap; simpan lagi untuk "
                                   "menimpa."))  # fmt: skip
            status = 409
        except edit.PlanEditRefused as exc:
            form.add_error(None, str(exc))
        else:
            item.refresh_from_db()
            return _saved(request, found, year, item, _("%(item)s disimpan.") % {"item": item})
    return _form_page(request, found, year, form, item=item, parent=item.parent,
                      level=item.level, status=status)  # fmt: skip


@login_required
@require_GET
def renja_check(request: HttpRequest, agency: str, year: int) -> JsonResponse:
    """The planning rules' warnings of a row as typed, for the form's script: the same
    function the page shows after a save without script."""
    found = _agency(agency, request.user, year, write=True)
    item = _item(found, year, request.GET["item"]) if request.GET.get("item") else None
    parent = item.parent if item else (
        _item(found, year, request.GET["induk"]) if request.GET.get("induk") else None)  # fmt: skip
    level = item.level if item else edit.child_level(parent)
    of = item.indicator_of if item and item.indicator_of_id else (
        _item(found, year, request.GET["indikator_dari"])
        if request.GET.get("indikator_dari") else None)  # fmt: skip
    if of is not None:  # a further indicator: judged as what is its own, at its item's level
        level, parent = of.level, None
    if level is None:
        raise Http404
    form = ItemForm(request.GET, agency=found, year=year, locked=plan_locked(found, year),
                    more=of is not None)  # fmt: skip
    errors = {}
    for name in ("target_k", "target_k_upper", "budget", *QUARTER_FIELDS):
        if name not in form.fields:
            continue
        try:
            form.fields[name].clean(request.GET.get(name, ""))
        except ValidationError as exc:
            errors[name] = " ".join(exc.messages)
    typed = _typed(form)
    if of is not None:
        typed["code"] = of.code
    warnings = edit.draft_warnings(agency=found, year=year, level=level, parent=parent,
                                   item=item, values=typed)  # fmt: skip
    return JsonResponse({"warnings": warnings, "errors": errors, "cash_sum": _cash_sum(typed)})


# ---- move and remove ------------------------------------------------------------------------


def _parents(agency: Agency, year: int, item: WorkItem) -> Any:
    above = {LevelChoice.KEGIATAN: LevelChoice.PROGRAM,
             LevelChoice.SUB_KEGIATAN: LevelChoice.KEGIATAN}.get(item.level)  # fmt: skip
    if above is None:
        return WorkItem.objects.none()
    return WorkItem.objects.filter(agency=agency, year=year, level=above).order_by("position")


@login_required
@require_http_methods(["GET", "POST"])
def renja_move(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    found = _agency(agency, request.user, year, write=True)
    item = _item(found, year, pk)
    locked = plan_locked(found, year)
    step = request.POST.get("step")
    form = MoveForm(request.POST if request.method == "POST" and not step else None,
                    parents=_parents(found, year, item), locked=locked, year=year,
                    initial={"parent": item.parent_id})  # fmt: skip
    if request.method == "POST" and step in ("up", "down"):
        try:
            edit.move_step(user=request.user, item=item, step=-1 if step == "up" else 1)
        except edit.PlanEditRefused as exc:
            messages.error(request, str(exc))
            return redirect(_tree_url(found, year, f"item-{item.pk}"))
        return redirect(_tree_url(found, year, f"{step}-{item.pk}"))
    if request.method == "POST" and form.is_valid():
        parent = form.cleaned_data["parent"]
        kids = list(parent.children.exclude(pk=item.pk).order_by("position"))
        try:
            warnings = edit.move_item(user=request.user, item=item, new_parent=parent,
                                      after=kids[-1] if kids else None,
                                      revision=revision_of(form),
                                      reason=form.cleaned_data.get("reason", ""))  # fmt: skip
        except edit.PlanEditRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(item)s dipindahkan ke bawah %(parent)s.")
                             % {"item": item, "parent": parent})  # fmt: skip
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(_tree_url(found, year, f"item-{item.pk}"))
    return render(request, "planning/renja_move.html",
                  {"agency": found, "year": str(year), "item": item, "form": form,
                   "locked": locked})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def renja_remove(request: HttpRequest, agency: str, year: int, pk: int) -> HttpResponse:
    found = _agency(agency, request.user, year, write=True)
    item = _item(found, year, pk)
    locked = plan_locked(found, year)
    form = RemoveForm(request.POST if request.method == "POST" else None, locked=locked,
                      year=year)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            removed = edit.remove_item(user=request.user, item=item, revision=revision_of(form),
                                       reason=form.cleaned_data.get("reason", ""))  # fmt: skip
        except edit.PlanEditRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(item)s dihapus (%(n)s baris).")
                             % {"item": item, "n": removed})  # fmt: skip
            anchor = f"item-{item.parent_id}" if item.parent_id else ""
            return redirect(_tree_url(found, year, anchor))
    descendants = WorkItem.objects.filter(parent=item).count() + WorkItem.objects.filter(
        parent__parent=item).count()  # fmt: skip
    return render(request, "planning/renja_remove.html",
                  {"agency": found, "year": str(year), "item": item, "form": form,
                   "problem": edit.removal_problem(item), "descendants": descendants,
                   "locked": locked})  # fmt: skip
