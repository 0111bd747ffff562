"""Admin of planning data: scales, pemda and RPJMD, agencies, Renstra, PK, Renja and rencana aksi.

Models with ``history`` use SimpleHistoryAdmin, so who changed a target or pagu, when, from
what to what and why is one click away. Big foreign keys use autocomplete; list pages name
their joins in ``list_select_related``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


class CompactInline(admin.TabularInline):
    extra = 0
    formfield_overrides = COMPACT_TEXT


# ---- scales -----------------------------------------------------------------------------


class ScaleBandInline(CompactInline):
    model = ScaleBand


@admin.register(Scale)
class ScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "version", "closed", "source")
    search_fields = ("code", "name")
    inlines = [ScaleBandInline]


@admin.register(ScaleBand)
class ScaleBandAdmin(admin.ModelAdmin):
    list_display = ("scale", "position", "label", "lower", "upper")
    list_filter = ("scale",)
    list_select_related = ("scale",)


# ---- pemda, RPJMD, agency ---------------------------------------------------------------


class RpjmdMissionInline(CompactInline):
    model = RpjmdMission


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "region", "public_enabled")
    search_fields = ("name", "region")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RpjmdMissionInline]


class RpjmdGoalInline(CompactInline):
    model = RpjmdGoal


@admin.register(RpjmdMission)
class RpjmdMissionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "government", "text")
    list_filter = ("government",)
    list_select_related = ("government",)
    search_fields = ("text",)
    inlines = [RpjmdGoalInline]


class RpjmdObjectiveInline(CompactInline):
    model = RpjmdObjective


@admin.register(RpjmdGoal)
class RpjmdGoalAdmin(admin.ModelAdmin):
    list_display = ("__str__", "mission")
    list_filter = ("mission__government",)
    list_select_related = ("mission",)
    search_fields = ("text",)
    ordering = ("mission", "pk")
    inlines = [RpjmdObjectiveInline]


@admin.register(RpjmdObjective)
class RpjmdObjectiveAdmin(admin.ModelAdmin):
    list_display = ("__str__", "indicator", "goal")
    list_select_related = ("goal",)
    search_fields = ("text", "indicator")
    autocomplete_fields = ("goal",)


class OrgUnitInline(CompactInline):
    model = OrgUnit


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "slug", "government", "is_example")
    list_filter = ("government", "is_example")
    list_select_related = ("government",)
    search_fields = ("name", "abbreviation", "slug")
    prepopulated_fields = {"slug": ("abbreviation",)}
    inlines = [OrgUnitInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "agency")
    list_filter = ("agency",)
    list_select_related = ("agency",)
    search_fields = ("name", "abbreviation", "agency__abbreviation")


# ---- Renstra ----------------------------------------------------------------------------


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
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
class GoalAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan")
    list_filter = ("plan__agency",)
    list_select_related = ("plan__agency",)
    search_fields = ("text",)
    autocomplete_fields = ("plan",)
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "text", "goal")
    list_filter = ("goal__plan__agency",)
    list_select_related = ("goal",)
    search_fields = ("code", "text")
    autocomplete_fields = ("goal",)


class IndicatorTargetInline(CompactInline):
    model = IndicatorTarget


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "unit", "polarity", "aggregation", "is_key", "plan")
    list_display_links = ("name",)
    list_filter = ("is_key", "polarity", "aggregation", "plan__agency")
    list_select_related = ("plan__agency",)
    search_fields = ("name", "definition")
    autocomplete_fields = ("plan", "goal", "objective")
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
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
class PerformanceAgreementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "agency", "year", "signed_on", "place")
    list_filter = ("year", "agency")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation", "=year")
    ordering = ("agency", "-year")
    inlines = [AgreementTargetInline, AgreementLineInline, SignatoryInline]

    def get_queryset(self, request):  # __str__ names the agency, also in autocomplete
        return super().get_queryset(request).select_related("agency")


@admin.register(AgreementTarget)
class AgreementTargetAdmin(admin.ModelAdmin):
    list_display = ("position", "indicator_text", "target", "agreement")
    list_display_links = ("indicator_text",)
    list_filter = ("agreement__year", "agreement__agency")
    list_select_related = ("agreement__agency",)
    search_fields = ("indicator_text", "objective_text")
    autocomplete_fields = ("agreement", "indicator")


@admin.register(AgreementLine)
class AgreementLineAdmin(admin.ModelAdmin):
    list_display = ("position", "level", "name", "target", "target_unit", "budget", "agreement")
    list_display_links = ("name",)
    list_filter = ("level", "agreement__year", "agreement__agency")
    list_select_related = ("agreement__agency",)
    search_fields = ("name", "indicator_text")
    autocomplete_fields = ("agreement", "context_indicator", "work_item")


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ("title", "name", "nip", "party", "acting", "agreement")
    list_filter = ("party", "acting", "agreement__year")
    list_select_related = ("agreement__agency",)
    search_fields = ("title", "name", "nip")
    autocomplete_fields = ("agreement",)


# ---- Renja / DPA ------------------------------------------------------------------------


class ActionPlanInline(CompactInline):
    model = ActionPlan
    max_num = 4


class RealisationInline(CompactInline):
    model = Realisation
    max_num = 4
    show_change_link = True  # evidence is attached on the realisation's own page


@admin.register(WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
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
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("work_item", "quarter", "target_k", "cash_plan")
    list_filter = ("quarter", "work_item__year", "work_item__agency")
    list_select_related = ("work_item",)
    search_fields = ("work_item__code", "work_item__name")
    autocomplete_fields = ("work_item",)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("document", "agency", "government", "uploaded_at")
    list_filter = ("document", "government")
    list_select_related = ("agency", "government")
