"""What an agency records each quarter: realisations of its Renja items and IKU, narratives,
evidence; and when and in which state a quarter is (reporting periods, submissions)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.core.numbers import quarter_roman
from kinerja.monitoring.evidence_files import (
    EVIDENCE_TYPES,
    display_name,
    evidence_upload_to,
    validate_evidence,
)
from kinerja.planning.models import (
    Agency,
    Government,
    Indicator,
    WorkItem,
    bounded,
    k_field,
    rp_field,
)


def tw(quarter: int | None) -> str:
    """The short name of a quarter, TW II for 2 (issue 17: one naming everywhere)."""
    return f"TW {quarter_roman(quarter)}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    VERIFIED = "verified", _("Diverifikasi")
    APPROVED = "approved", _("Disahkan")

    @classmethod
    def editable(cls) -> tuple[SubmissionStatus, ...]:
        """States in which the operator may still change the quarter's data."""
        return (cls.DRAFT, cls.RETURNED)


class ReportingPeriod(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE,
                                   related_name="reporting_periods", verbose_name=_("pemerintah daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periode pelaporan")
        verbose_name_plural = _("periode pelaporan")
        ordering = ["government", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "year", "quarter"], name="period_quarter"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="period_closes_after_opening",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{tw(self.quarter)} {self.year}"

    def unique_error_message(self, model_class: Any, unique_check: Any) -> Any:
        """A second period of the same quarter, said in Indonesian (Django's own catalogue
        reads «… ini tidak ada» where it means «sudah ada»)."""
        if tuple(unique_check) == ("government", "year", "quarter"):
            from django.core.exceptions import ValidationError

            return ValidationError(
                _("Periode pelaporan Triwulan %(q)s %(y)s untuk %(government)s sudah ada; ubah "
                  "periode itu, jangan menambah yang baru.")
                % {"q": quarter_roman(self.quarter),
                   "y": self.year, "government": self.government}, code="unique_together",
            )  # fmt: skip
        return super().unique_error_message(model_class, unique_check)


class QuarterSubmission(models.Model):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("perangkat daerah"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)  # fmt: skip
    # The date the quarter's report, form and PK are signed; empty: the approval date once
    # approved, else the reporting period's closing date (reporting.generate.report_date).
    report_date = models.DateField(_("tanggal laporan"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("pengajuan triwulan")
        verbose_name_plural = _("pengajuan triwulan")
        ordering = ["agency", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"], name="submission_quarter"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.agency} {tw(self.quarter)} {self.year}: {self.get_status_display()}"


class SubmissionEvent(models.Model):
    """One transition of a quarter's submission: the timeline."""

    submission = models.ForeignKey(QuarterSubmission, on_delete=models.CASCADE,
                                   related_name="events", verbose_name=_("pengajuan"))  # fmt: skip
    from_status = models.CharField(_("dari"), max_length=12, choices=SubmissionStatus.choices,
                                   blank=True)  # fmt: skip
    to_status = models.CharField(_("menjadi"), max_length=12, choices=SubmissionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, verbose_name=_("pelaku"))  # fmt: skip
    reason = models.TextField(_("alasan"), blank=True)
    # an approval while the Lembar Pemeriksaan had blocking items: why, and how many
    override_reason = models.TextField(_("alasan pengesahan dengan temuan"), blank=True)
    blocking_items = models.PositiveIntegerField(_("temuan yang menghambat"), default=0)
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pengajuan")
        verbose_name_plural = _("riwayat pengajuan")
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Realisation(models.Model):
    """Columns 9–12: what a Renja item realised in one quarter (per quarter, not cumulative)."""

    work_item = models.ForeignKey(
        WorkItem,
        on_delete=models.CASCADE,
        related_name="realisations",
        verbose_name=_("program/kegiatan/sub kegiatan"),
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    value_k = k_field(_("realisasi K"))
    value_k_unit = models.CharField(_("satuan realisasi"), max_length=60, blank=True)
    value_rp = rp_field(_("realisasi Rp"))
    note = models.TextField(_("catatan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["work_item", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "quarter"], name="realisation_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="realisation_quarter_1_4"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(value_rp__gte=0) | models.Q(value_rp=None),
                name="realisation_rp_not_negative",
            ),  # fmt: skip
            *bounded("realisation", k=("value_k",), rp=("value_rp",)),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} {tw(self.quarter)}"

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin."""
        from kinerja.limits import NOTE_MAX, check_text, refuse_in_clean

        refuse_in_clean(lambda: check_text(self.note, label=_("Catatan"), limit=NOTE_MAX))


class Evidence(models.Model):
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE,
                                    related_name="evidence", verbose_name=_("realisasi"))  # fmt: skip
    # stored under a generated name (bukti/<year>/<uuid>.<ext>), checked by its structure also
    # when added in the admin (evidence_files.py); served only by texts:evidence_file
    file = models.FileField(_("berkas"), upload_to=evidence_upload_to, max_length=255,
                            validators=[validate_evidence])  # fmt: skip
    original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True,
                                     help_text=_("Hanya untuk ditampilkan."))  # fmt: skip
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, verbose_name=_("pengunggah"))  # fmt: skip
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self) -> str:
        return self.shown_name

    def save(self, *args, **kwargs):
        if not self.original_name and self.file and not self.file._committed:
            self.original_name = display_name(self.file.name)  # an upload in the admin
        super().save(*args, **kwargs)

    @property
    def shown_name(self) -> str:
        """The uploaded name as text (sanitised); never a path to the file."""
        return self.original_name or display_name(self.file.name)

    @property
    def extension(self) -> str:
        ext = self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""
        return f".{ext}" if f".{ext}" in EVIDENCE_TYPES else ".bin"

    def download_name(self, code: str, quarter: int) -> str:
        """bukti-<code>-tw<q>-<id>.<ext>: derived from the record, never the uploaded name."""
        safe = "".join(c if c.isascii() and (c.isalnum() or c in ".-") else "-" for c in code)
        return f"bukti-{safe.strip('.-') or 'item'}-tw{quarter}-{self.pk}{self.extension}"


class IndicatorRealisation(models.Model):
    """Tabel 3.1: the realisation of an indicator (IKU), as entered, with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE,
                                  related_name="realisations", verbose_name=_("indikator"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    value = k_field(_("realisasi"))
    measured_on = models.DateField(_("tanggal pengukuran"), null=True, blank=True)
    source = models.CharField(_("sumber data"), max_length=300, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi indikator")
        verbose_name_plural = _("realisasi indikator (IKU)")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="indicator_realisation_quarter"
            ),  # fmt: skip
            *bounded("indicatorrealisation", k=("value",)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {tw(self.quarter)} {self.year}"

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin."""
        from kinerja.limits import NOTE_MAX, check_date, check_text, refuse_in_clean

        refuse_in_clean(
            lambda: check_text(self.note, label=_("Keterangan"), limit=NOTE_MAX),
            lambda: self.year and check_date(self.measured_on, label=_("Tanggal pengukuran"),
                                             first_year=self.year),
        )  # fmt: skip


class Narrative(models.Model):
    """Texts of a quarter: factors per indicator or program, recommendations, and the
    report's own paragraphs (pengantar, latar belakang, penutup)."""

    class Kind(models.TextChoices):
        SUPPORTING = "supporting", _("faktor pendukung")
        INHIBITING = "inhibiting", _("faktor penghambat")
        FOLLOW_UP = "follow_up", _("tindak lanjut")
        RECOMMENDATION = "recommendation", _("rekomendasi")
        FOREWORD = "foreword", _("kata pengantar")
        BACKGROUND = "background", _("latar belakang")
        CLOSING = "closing", _("penutup")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="narratives",
        verbose_name=_("perangkat daerah"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("indikator")
    )
    work_item = models.ForeignKey(
        WorkItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("program/kegiatan/sub kegiatan"),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.TextField(_("isi"))
    responsible = models.TextField(_("penanggung jawab"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("narasi")
        verbose_name_plural = _("narasi")
        ordering = ["agency", "year", "quarter", "kind", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin."""
        from kinerja.limits import NOTE_MAX, SHORT_MAX, check_text, refuse_in_clean

        refuse_in_clean(
            lambda: check_text(self.text, label=_("Isi"), limit=NOTE_MAX),
            lambda: check_text(self.responsible, label=_("Penanggung jawab"), limit=SHORT_MAX),
        )


class RowNote(models.Model):
    """A verifikator's note on one row (Renja item) of a quarter, in any state."""

    work_item = models.ForeignKey(
        WorkItem,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("program/kegiatan/sub kegiatan"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, verbose_name=_("penulis"))  # fmt: skip
    text = models.TextField(_("catatan"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    # the operator's answer (the latest; earlier ones stay in the history), and the
    # verifikator's mark that the note is settled (workflow.reply_row_note, mark_row_note_done)
    reply = models.TextField(_("jawaban"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("dijawab oleh"))  # fmt: skip
    replied_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("diselesaikan oleh"))  # fmt: skip
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catatan baris")
        verbose_name_plural = _("catatan baris")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="row_note_quarter_1_4"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.work_item} {tw(self.quarter)} {self.year}: {self.text[:60]}"

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin."""
        from kinerja.limits import NOTE_MAX, check_text, refuse_in_clean

        refuse_in_clean(lambda: check_text(self.text, label=_("Catatan"), limit=NOTE_MAX))


class GeneratedReport(models.Model):
    """A report file made on the reports page, kept with its provenance (the hashes)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="generated_reports",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    document = models.CharField(_("dokumen"), max_length=20)
    format = models.CharField(_("format"), max_length=10)
    file = models.FileField(_("berkas"), upload_to="laporan/%Y/", max_length=255)
    data_hash = models.CharField(_("hash data"), max_length=64)
    template_hash = models.CharField(_("hash templat"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, verbose_name=_("dibuat oleh"))  # fmt: skip
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("laporan yang dibuat")
        verbose_name_plural = _("laporan yang dibuat")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document}.{self.format} {self.agency} {tw(self.quarter)} {self.year}"
