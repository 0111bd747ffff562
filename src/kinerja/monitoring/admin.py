"""Admin of quarterly data: reporting periods, submissions and their timeline, realisations
with evidence, IKU realisations and narratives.

A quarter's status moves only through the submission workflow (its domain functions), so
the admin shows submissions and their timeline read-only and deletes neither. Every other
change here asks for a reason that the history records with the admin's name (HistoryAdmin).
Realisations, IKU realisations, narratives and evidence of a quarter that is submitted,
verified or approved are read-only here, with a note why: changing them means reopening the
quarter with a reason (*Buka kembali*). An admin pemda sees only its pemda's rows here
(``kinerja.accounts.admin_scope``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.admin_scope import PemdaScoped
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.planning.admin import COMPACT_TEXT, CompactInline, HistoryAdmin, ReasonForm

from .models import (
    Evidence,
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
    SubmissionEvent,
    SubmissionStatus,
)
from .queries import submission_status


def quarter_locked_note(agency: Any, year: int | None, quarter: int | None) -> str | None:
    """Why a quarter's data may not be changed in the admin; None while it may."""
    if agency is None or year is None or quarter is None:
        return None
    status = submission_status(agency, year=year, quarter=quarter)
    if status in SubmissionStatus.editable():
        return None
    return _("Triwulan %(q)s %(y)s %(agency)s berstatus %(status)s, sehingga datanya hanya "
             "dapat dibaca di sini. Untuk mengubahnya, admin membuka kembali triwulan itu "
             "dengan alasan (Buka kembali di halaman triwulan).") % {
        "q": ROMAN[quarter - 1], "y": year, "agency": agency, "status": status.label}  # fmt: skip


class ReportingPeriodForm(ReasonForm):
    """A period in Indonesian words: the quarter is I–IV (1–4), it closes on or after the day
    it opens (not the constraint's name), and a second period of a quarter «sudah ada»
    (``ReportingPeriod.unique_error_message``)."""

    def clean_quarter(self) -> int | None:
        quarter = self.cleaned_data.get("quarter")
        if quarter is not None and not 1 <= quarter <= 4:
            raise forms.ValidationError(
                _("Triwulan harus 1 sampai 4 (Triwulan I–IV), bukan %(q)s.") % {"q": quarter}
            )
        return quarter

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens is not None and closes is not None and closes < opens:
            # a field error: the check constraint is then not validated again by its name
            self.add_error("closes_on", _(
                "Tanggal ditutup (%(closes)s) tidak boleh sebelum tanggal dibuka (%(opens)s)."
            ) % {"closes": closes.strftime("%d-%m-%Y"), "opens": opens.strftime("%d-%m-%Y")})  # fmt: skip
        return data


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    form = ReportingPeriodForm
    pemda_path = "government"
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
class QuarterSubmissionAdmin(PemdaScoped, admin.ModelAdmin):
    list_display = ("agency", "year", "quarter", "status", "updated_at")
    list_filter = ("status", "year", "quarter", "agency")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__abbreviation")
    inlines = [SubmissionEventInline]
    readonly_fields = ("status", "updated_at")

    def has_add_permission(self, request):  # the workflow creates a quarter's submission
        return False

    def has_change_permission(self, request, obj=None):  # its state moves by the workflow
        return False

    def has_delete_permission(self, request, obj=None):  # deleting one would unlock it
        return False

    def get_queryset(self, request):  # __str__ names the agency, also in autocomplete
        return super().get_queryset(request).select_related("agency")


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(PemdaScoped, admin.ModelAdmin):
    pemda_path = "submission__agency__government"
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

    def has_delete_permission(self, request, obj=None):  # the timeline is the record
        return False


def evidence_download(obj: Evidence) -> str:
    """A link to the evidence through the download view (with its read permission); the media
    folder itself is never served."""
    if not obj.pk or not obj.realisation_id:
        return "-"
    r = obj.realisation
    url = reverse("texts:evidence_file", kwargs={
        "agency": r.work_item.agency.slug, "year": r.work_item.year, "quarter": r.quarter,
        "item": r.work_item_id, "evidence": obj.pk})  # fmt: skip
    return format_html('<a href="{}">{}</a>', url, _("unduh"))


class EvidenceInline(CompactInline):
    model = Evidence
    fields = ("file", "download", "uploaded_by", "uploaded_at")
    readonly_fields = ("download", "uploaded_at")

    @admin.display(description=gettext_lazy("unduh"))
    def download(self, obj: Evidence) -> str:
        return evidence_download(obj)

    autocomplete_fields = ("uploaded_by",)

    def _editable(self, realisation: Any) -> bool:
        return realisation is None or _realisation_note(realisation) is None

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def _realisation_note(realisation: Realisation) -> str | None:
    item = realisation.work_item if realisation.work_item_id else None
    return quarter_locked_note(item and item.agency, item and item.year, realisation.quarter)


@admin.register(Realisation)
class RealisationAdmin(HistoryAdmin):
    pemda_path = "work_item__agency__government"
    list_display = ("work_item", "quarter", "value_k", "value_k_unit", "value_rp")
    list_filter = ("quarter", "work_item__year", "work_item__agency")
    list_select_related = ("work_item",)
    search_fields = ("work_item__code", "work_item__name")
    autocomplete_fields = ("work_item",)
    formfield_overrides = COMPACT_TEXT
    inlines = [EvidenceInline]

    def get_queryset(self, request):  # __str__ names the work item, also in autocomplete
        return super().get_queryset(request).select_related("work_item")

    def locked_note(self, obj: Realisation) -> str | None:
        return _realisation_note(obj)


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    pemda_path = "realisation__work_item__agency__government"
    list_display = ("__str__", "realisation", "download", "uploaded_by", "uploaded_at")
    readonly_fields = ("download",)

    @admin.display(description=gettext_lazy("unduh"))
    def download(self, obj: Evidence) -> str:
        return evidence_download(obj)

    list_filter = ("realisation__work_item__year", "realisation__quarter")
    list_select_related = ("realisation__work_item", "uploaded_by")
    search_fields = ("file", "realisation__work_item__name")
    autocomplete_fields = ("realisation", "uploaded_by")

    def locked_note(self, obj: Evidence) -> str | None:
        return _realisation_note(obj.realisation) if obj.realisation_id else None


@admin.register(IndicatorRealisation)
class IndicatorRealisationAdmin(HistoryAdmin):
    pemda_path = "indicator__plan__agency__government"
    list_display = ("indicator", "year", "quarter", "value", "measured_on", "source")
    list_filter = ("year", "quarter", "indicator__plan__agency")
    list_select_related = ("indicator",)
    search_fields = ("indicator__name", "source")
    autocomplete_fields = ("indicator",)
    formfield_overrides = COMPACT_TEXT

    def locked_note(self, obj: IndicatorRealisation) -> str | None:
        agency = obj.indicator.plan.agency if obj.indicator_id else None
        return quarter_locked_note(agency, obj.year, obj.quarter)


@admin.register(Narrative)
class NarrativeAdmin(HistoryAdmin):
    list_display = ("__str__", "agency", "year", "quarter", "position")
    list_filter = ("kind", "year", "quarter", "agency")
    list_select_related = ("agency",)
    search_fields = ("text", "responsible")
    autocomplete_fields = ("indicator", "work_item")

    def locked_note(self, obj: Narrative) -> str | None:
        return quarter_locked_note(obj.agency if obj.agency_id else None, obj.year, obj.quarter)
