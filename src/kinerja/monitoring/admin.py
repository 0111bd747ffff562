"""Admin of quarterly data: reporting periods, submissions and their timeline, realisations
with evidence, IKU realisations and narratives.

A quarter's status moves only through the submission workflow (its domain functions), so
the admin shows submissions and their timeline read-only. Other records written here carry
the admin as the history user; the workflow screens require a reason where the rules do.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kinerja.planning.admin import COMPACT_TEXT, CompactInline

from .models import (
    Evidence,
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
    SubmissionEvent,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "government", "year", "quarter", "opens_on", "closes_on")
    list_filter = ("government", "year", "quarter")
    list_select_related = ("government",)


class SubmissionEventInline(CompactInline):
    """The timeline, read-only: it records what happened."""

    model = SubmissionEvent
    fields = readonly_fields = ("at", "from_status", "to_status", "actor", "reason")
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarterSubmission)
class QuarterSubmissionAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "quarter", "status", "updated_at")
    list_filter = ("status", "year", "quarter", "agency")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation")
    inlines = [SubmissionEventInline]
    readonly_fields = ("status", "updated_at")

    def get_queryset(self, request):  # __str__ names the agency, also in autocomplete
        return super().get_queryset(request).select_related("agency")


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ("submission", "from_status", "to_status", "actor", "at")
    list_filter = ("to_status", "submission__year", "submission__quarter")
    list_select_related = ("submission__agency", "actor")
    search_fields = ("submission__agency__name", "submission__agency__abbreviation", "reason")
    autocomplete_fields = ("submission", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(CompactInline):
    model = Evidence
    fields = ("file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_at",)
    autocomplete_fields = ("uploaded_by",)


@admin.register(Realisation)
class RealisationAdmin(SimpleHistoryAdmin):
    list_display = ("work_item", "quarter", "value_k", "value_k_unit", "value_rp")
    list_filter = ("quarter", "work_item__year", "work_item__agency")
    list_select_related = ("work_item",)
    search_fields = ("work_item__code", "work_item__name")
    autocomplete_fields = ("work_item",)
    formfield_overrides = COMPACT_TEXT
    inlines = [EvidenceInline]

    def get_queryset(self, request):  # __str__ names the work item, also in autocomplete
        return super().get_queryset(request).select_related("work_item")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "realisation", "uploaded_by", "uploaded_at")
    list_filter = ("realisation__work_item__year", "realisation__quarter")
    list_select_related = ("realisation__work_item", "uploaded_by")
    search_fields = ("file", "realisation__work_item__name")
    autocomplete_fields = ("realisation", "uploaded_by")


@admin.register(IndicatorRealisation)
class IndicatorRealisationAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "year", "quarter", "value", "measured_on", "source")
    list_filter = ("year", "quarter", "indicator__plan__agency")
    list_select_related = ("indicator",)
    search_fields = ("indicator__name", "source")
    autocomplete_fields = ("indicator",)
    formfield_overrides = COMPACT_TEXT


@admin.register(Narrative)
class NarrativeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "agency", "year", "quarter", "position")
    list_filter = ("kind", "year", "quarter", "agency")
    list_select_related = ("agency",)
    search_fields = ("text", "responsible")
    autocomplete_fields = ("indicator", "work_item")
