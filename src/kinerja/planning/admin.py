"""Admin of planning data: scales, pemda and RPJMD, agencies, Renstra, PK, Renja and rencana aksi.

Every model here keeps its history (DESIGN §4a), and every admin is a ``HistoryAdmin``: each
add, change or delete asks for a reason ("Alasan perubahan") that the history records with
the admin's name, the time and the old and new values — also for the rows of its inlines and
for what a delete takes with it. Big foreign keys use autocomplete; list pages name their
joins in ``list_select_related``.

Every admin and inline is scoped to a pemda (``kinerja.accounts.admin_scope``): an admin pemda
sees and chooses only its pemda's rows (``pemda_path``: the way from a model to its
Government); the scales are national and read-only to it; the platform superuser sees all.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kinerja.accounts.admin_scope import PemdaScoped, ScopedChoices
from kinerja.core.numbers import format_number
from kinerja.limits import REASON_MAX
from kinerja.monitoring.models import Realisation

from .models import (
    ActionPlan,
    Agency,
    AgreementLine,
    AgreementTarget,
    Goal,
    Government,
    Indicator,
    IndicatorTarget,
    Letterhead,
    Objective,
    OrgUnit,
    PerformanceAgreement,
    ReportTemplate,
    RpjmdGoal,
    RpjmdMission,
    RpjmdObjective,
    Scale,
    ScaleBand,
    Signatory,
    StrategicPlan,
    WorkItem,
)

# Two-line text areas in tabular inlines, so a row stays a row.
COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class CompactInline(ScopedChoices, admin.TabularInline):
    extra = 0
    formfield_overrides = COMPACT_TEXT


# ---- the reason of every admin change -------------------------------------------------------

REASON = "change_reason"
# (user, reason) of the admin request being saved or deleted: rows saved by inlines and rows a
# delete cascades to get the same reason as the object itself
_admin_change: ContextVar[tuple[Any, str] | None] = ContextVar("admin_change", default=None)


@receiver(pre_save, dispatch_uid="kinerja-admin-reason-save")
@receiver(pre_delete, dispatch_uid="kinerja-admin-reason-delete")
def _give_admin_reason(sender: Any, instance: Any, **kwargs: Any) -> None:
    current = _admin_change.get()
    if current is not None and not getattr(instance, "_change_reason", None):
        instance._history_user, instance._change_reason = current


class ReasonForm(forms.ModelForm):
    """Every admin form: the model's fields and the reason the history records."""

    change_reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=REASON_MAX,  # the bound of every reason (kinerja.limits)
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Wajib. Dicatat di riwayat bersama nama Anda, waktu, nilai lama dan baru."),
    )


class HistoryAdmin(PemdaScoped, SimpleHistoryAdmin):
    """The admin of a model with history: each add, change and delete asks for a reason.
    Its rows are those of the admin's pemda (PemdaScoped; ``pemda_path`` says how to reach
    the Government from the model, by default through its agency).

    ``locked_note(obj)`` says why an object may not be changed here (None: it may); such an
    object is shown read-only with that note, and no form saves into that state."""

    form = ReasonForm
    change_form_template = "planning/admin_change_form.html"
    delete_confirmation_template = "planning/admin_delete_confirmation.html"

    def locked_note(self, obj: Any) -> str | None:
        return None

    def _locked(self, obj: Any) -> bool:
        return obj is not None and obj.pk is not None and self.locked_note(obj) is not None

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # one delete at a time, each with its reason (the bulk action has no reason field)
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        names = flatten_fieldsets(fieldsets)
        if obj is not None and not self.has_change_permission(request, obj):
            return [(n, {**o, "fields": [f for f in o["fields"] if f != REASON]})
                    for n, o in fieldsets]  # fmt: skip
        if REASON not in names:
            fieldsets.append((_("Alasan perubahan"), {"fields": [REASON]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        note: Callable[[Any], str | None] = self.locked_note

        class Form(form):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                message = note(self.instance)  # also where an edit would move it into a lock
                if message:
                    self.add_error(None, message)

        return Form

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON]
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        note = self.locked_note(obj) if obj is not None else None
        extra_context = {**(extra_context or {}), "kinerja_locked_note": note}
        with _reason_of(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with _reason_of(request):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        reason = request.POST.get(REASON, "").strip()
        if request.method == "POST" and (not 0 < len(reason) <= REASON_MAX or "\x00" in reason):
            limit = format_number(Decimal(REASON_MAX))
            self.message_user(request, _("Tuliskan alasan penghapusan (paling banyak %(n)s "
                                         "karakter).") % {"n": limit}, messages.ERROR)  # fmt: skip
            return HttpResponseRedirect(request.path)
        with _reason_of(request):
            return super().delete_view(request, object_id, extra_context)


class _reason_of:  # noqa: N801 - used as a context manager
    def __init__(self, request: Any) -> None:
        reason = request.POST.get(REASON, "").strip() if request.method == "POST" else ""
        self.value = (request.user, reason) if reason else None

    def __enter__(self) -> None:
        self.token = _admin_change.set(self.value)

    def __exit__(self, *exc: object) -> None:
        _admin_change.reset(self.token)


# ---- scales -----------------------------------------------------------------------------


class ScaleBandInline(CompactInline):
    model = ScaleBand


@admin.register(Scale)
class ScaleAdmin(HistoryAdmin):
    pemda_path = None  # national: read-only to an admin pemda
    list_display = ("name", "code", "version", "closed", "source")
    search_fields = ("code", "name")
    inlines = [ScaleBandInline]


@admin.register(ScaleBand)
class ScaleBandAdmin(HistoryAdmin):
    pemda_path = None
    list_display = ("scale", "position", "label", "lower", "upper")
    list_filter = ("scale",)
    list_select_related = ("scale",)


# ---- pemda, RPJMD, agency ---------------------------------------------------------------


class RpjmdMissionInline(CompactInline):
    model = RpjmdMission


@admin.register(Government)
class GovernmentAdmin(HistoryAdmin):
    pemda_path = ""
    list_display = ("name", "slug", "region", "public_enabled")
    search_fields = ("name", "region")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RpjmdMissionInline]


class RpjmdGoalInline(CompactInline):
    model = RpjmdGoal


@admin.register(RpjmdMission)
class RpjmdMissionAdmin(HistoryAdmin):
    pemda_path = "government"
    list_display = ("__str__", "government", "text")
    list_filter = ("government",)
    list_select_related = ("government",)
    search_fields = ("text",)
    inlines = [RpjmdGoalInline]


class RpjmdObjectiveInline(CompactInline):
    model = RpjmdObjective


@admin.register(RpjmdGoal)
class RpjmdGoalAdmin(HistoryAdmin):
    pemda_path = "mission__government"
    list_display = ("__str__", "mission")
    list_filter = ("mission__government",)
    list_select_related = ("mission",)
    search_fields = ("text",)
    ordering = ("mission", "pk")
    inlines = [RpjmdObjectiveInline]


@admin.register(RpjmdObjective)
class RpjmdObjectiveAdmin(HistoryAdmin):
    pemda_path = "goal__mission__government"
    list_display = ("__str__", "indicator", "goal")
    list_select_related = ("goal",)
    search_fields = ("text", "indicator")
    autocomplete_fields = ("goal",)


class OrgUnitInline(CompactInline):
    model = OrgUnit


@admin.register(Agency)
class AgencyAdmin(HistoryAdmin):
    pemda_path = "government"
    list_display = ("name", "abbreviation", "slug", "government", "is_example")
    list_filter = ("government", "is_example")
    list_select_related = ("government",)
    search_fields = ("name", "abbreviation", "slug")
    prepopulated_fields = {"slug": ("abbreviation",)}
    inlines = [OrgUnitInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(HistoryAdmin):
    list_display = ("name", "abbreviation", "agency")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    search_fields = ("name", "abbreviation", "agency__abbreviation")


# ---- Renstra ----------------------------------------------------------------------------


@admin.register(StrategicPlan)
class StrategicPlanAdmin(HistoryAdmin):
    list_display = ("__str__", "agency", "start_year", "end_year")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation", "=start_year")
    ordering = ("agency", "-start_year")
    autocomplete_fields = ("serves",)

    def get_queryset(self, request):  # __str__ names the agency, also in autocomplete
        return super().get_queryset(request).select_related("agency")


class ObjectiveInline(CompactInline):
    model = Objective


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    pemda_path = "plan__agency__government"
    list_display = ("__str__", "plan")
    list_filter = ("plan__agency",)
    list_select_related = ("plan__agency",)
    search_fields = ("text",)
    autocomplete_fields = ("plan",)
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(HistoryAdmin):
    pemda_path = "goal__plan__agency__government"
    list_display = ("code", "text", "goal")
    list_filter = ("goal__plan__agency",)
    list_select_related = ("goal",)
    search_fields = ("code", "text")
    autocomplete_fields = ("goal",)


class IndicatorTargetInline(CompactInline):
    model = IndicatorTarget


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    pemda_path = "plan__agency__government"
    list_display = ("position", "name", "unit", "polarity", "aggregation", "is_key", "plan")
    list_display_links = ("name",)
    list_filter = ("is_key", "polarity", "aggregation", "plan__agency")
    list_select_related = ("plan__agency",)
    search_fields = ("name", "definition")
    autocomplete_fields = ("plan", "goal", "objective")
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(HistoryAdmin):
    pemda_path = "indicator__plan__agency__government"
    list_display = ("indicator", "year", "original", "revised", "revised_on")
    list_filter = ("year", "indicator__plan__agency")
    list_select_related = ("indicator",)
    search_fields = ("indicator__name",)
    autocomplete_fields = ("indicator",)


# ---- PK ---------------------------------------------------------------------------------


class AgreementTargetInline(CompactInline):
    model = AgreementTarget
    autocomplete_fields = ("indicator",)


class AgreementLineInline(CompactInline):
    model = AgreementLine
    autocomplete_fields = ("context_indicator", "work_item")


class SignatoryInline(CompactInline):
    model = Signatory
    max_num = 2


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(HistoryAdmin):
    list_display = ("__str__", "agency", "year", "signed_on", "place")
    list_filter = ("year", "agency")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation", "=year")
    ordering = ("agency", "-year")
    inlines = [AgreementTargetInline, AgreementLineInline, SignatoryInline]

    def get_queryset(self, request):  # __str__ names the agency, also in autocomplete
        return super().get_queryset(request).select_related("agency")


@admin.register(AgreementTarget)
class AgreementTargetAdmin(HistoryAdmin):
    pemda_path = "agreement__agency__government"
    list_display = ("position", "indicator_text", "target", "agreement")
    list_display_links = ("indicator_text",)
    list_filter = ("agreement__year", "agreement__agency")
    list_select_related = ("agreement__agency",)
    search_fields = ("indicator_text", "objective_text")
    autocomplete_fields = ("agreement", "indicator")


@admin.register(AgreementLine)
class AgreementLineAdmin(HistoryAdmin):
    pemda_path = "agreement__agency__government"
    list_display = ("position", "level", "name", "target", "target_unit", "budget", "agreement")
    list_display_links = ("name",)
    list_filter = ("level", "agreement__year", "agreement__agency")
    list_select_related = ("agreement__agency",)
    search_fields = ("name", "indicator_text")
    autocomplete_fields = ("agreement", "context_indicator", "work_item")


@admin.register(Signatory)
class SignatoryAdmin(HistoryAdmin):
    pemda_path = "agreement__agency__government"
    list_display = ("title", "name", "nip", "party", "acting", "agreement")
    list_filter = ("party", "acting", "agreement__year")
    list_select_related = ("agreement__agency",)
    search_fields = ("title", "name", "nip")
    autocomplete_fields = ("agreement",)


class LetterheadForm(ReasonForm):
    """The kop's fields, and its logo as an upload (checked and stored by
    planning/letterhead.py under its content-addressed name) or removed."""

    logo_file = forms.FileField(label=_("Unggah logo baru (PNG atau JPG, paling besar 2 MB)"),
                                required=False)  # fmt: skip
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)

    def clean_logo_file(self) -> bytes | None:
        from .letterhead import LOGO_MAX_BYTES, LogoRefused, check_logo

        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Berkas logo lebih dari 2 MB."))
        data: bytes = upload.read()
        try:
            check_logo(data)
        except LogoRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


@admin.register(Letterhead)
class LetterheadAdmin(HistoryAdmin):
    form = LetterheadForm
    list_display = ("agency", "year", "address", "telephone", "has_logo", "is_example")
    list_filter = ("year", "is_example", "agency")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation", "address")
    autocomplete_fields = ("agency",)
    readonly_fields = ("logo",)
    fields = ("agency", "year", "address", "telephone", "email", "website", "logo",
              "logo_file", "remove_logo", "is_example")  # fmt: skip

    @admin.display(description=_("logo"), boolean=True)
    def has_logo(self, obj: Letterhead) -> bool:
        return bool(obj.logo)

    def save_model(self, request, obj, form, change):
        from .letterhead import store_logo

        data = form.cleaned_data.get("logo_file")
        if data:
            obj.logo = store_logo(data)
        elif form.cleaned_data.get("remove_logo"):
            obj.logo = ""
        super().save_model(request, obj, form, change)


# ---- Renja / DPA ------------------------------------------------------------------------


class ActionPlanInline(CompactInline):
    model = ActionPlan
    max_num = 4


class RealisationInline(CompactInline):
    """Read-only here: a realisation is changed on its own page, which asks for the reason
    and refuses the quarters that are no longer editable."""

    model = Realisation
    max_num = 4
    show_change_link = True  # evidence is attached on the realisation's own page
    fields = readonly_fields = ("quarter", "value_k", "value_k_unit", "value_rp", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkItem)
class WorkItemAdmin(HistoryAdmin):
    list_display = ("position", "level", "code", "name", "target_k", "unit", "pagu", "agency")
    list_display_links = ("name",)
    list_filter = ("year", "level", "agency")
    list_select_related = ("agency",)
    search_fields = ("code", "name", "indicator")
    autocomplete_fields = ("parent", "responsible_unit", "objective")
    inlines = [ActionPlanInline, RealisationInline]
    formfield_overrides = COMPACT_TEXT
    fieldsets = [
        (None, {"fields": [("agency", "year"), ("parent", "position", "level"), ("code", "name"),
                           "indicator", ("unit", "responsible_unit"),
                           ("objective", "polarity", "aggregation"), "note"]}),
        (_("Kolom 6: target Renstra akhir periode"),
         {"fields": [("renstra_target_k", "renstra_target_unit", "renstra_target_rp")]}),
        (_("Kolom 7: realisasi Renstra s.d. tahun lalu"),
         {"fields": [("renstra_realised_k", "renstra_realised_unit", "renstra_realised_rp")]}),
        (_("Kolom 8: target dan pagu tahun ini"),
         {"fields": [("target_k", "target_k_upper"), ("budget_original", "budget_revised"),
                     "budget_revised_on", "budget_revision_reason", "budget_legal_basis"]}),
    ]  # fmt: skip

    @admin.display(description=_("pagu yang berlaku"))
    def pagu(self, item: WorkItem):
        return item.budget


@admin.register(ActionPlan)
class ActionPlanAdmin(HistoryAdmin):
    pemda_path = "work_item__agency__government"
    list_display = ("work_item", "quarter", "target_k", "cash_plan")
    list_filter = ("quarter", "work_item__year", "work_item__agency")
    list_select_related = ("work_item",)
    search_fields = ("work_item__code", "work_item__name")
    autocomplete_fields = ("work_item",)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(HistoryAdmin):
    pemda_path = "government"
    list_display = ("document", "agency", "government", "uploaded_at")
    list_filter = ("document", "government")
    list_select_related = ("agency", "government")
