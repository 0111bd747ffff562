"""Report work done in the background (reporting/tasks.py): a batch — one document of one
agency, or a pemda's whole quarter — and its jobs, one per agency × document × format. The
progress a page or `kinerja batch` shows is counted from the jobs' states, which the workers
write; nothing about a batch lives in any process."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import Agency, Government


class ReportBatch(models.Model):
    """What was asked: the reports of one agency (``agency``) or of a pemda (``government``)
    for a quarter."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("pemerintah daerah"))  # fmt: skip
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="report_batches",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("diminta oleh"))  # fmt: skip
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("antrean laporan")
        verbose_name_plural = _("antrean laporan")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["government", "year", "quarter"])]

    def __str__(self) -> str:
        from kinerja.core.numbers import quarter_roman

        return f"{self.agency or self.government} TW {quarter_roman(self.quarter)} {self.year}"

    def progress(self) -> dict[str, int]:
        """``{"total", "queued", "running", "done", "failed"}`` counted from the jobs."""
        states = ReportJob.State
        counts = self.jobs.aggregate(
            total=Count("pk"),
            **{s.value: Count("pk", filter=Q(state=s)) for s in states},
        )
        return {"total": counts["total"], "queued": counts[states.QUEUED],
                "running": counts[states.RUNNING], "done": counts[states.DONE],
                "failed": counts[states.FAILED]}  # fmt: skip


class ReportJob(models.Model):
    """One file to make. ``attempts`` counts the runs started; a run whose worker died is
    retried up to ``settings.TASK_ATTEMPTS`` runs, then failed (reporting/tasks.py)."""

    class State(models.TextChoices):
        QUEUED = "antre", _("dalam antrean")
        RUNNING = "berjalan", _("sedang dibuat")
        DONE = "selesai", _("selesai")
        FAILED = "gagal", _("gagal")

    batch = models.ForeignKey(ReportBatch, on_delete=models.CASCADE, related_name="jobs",
                              verbose_name=_("antrean"))  # fmt: skip
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    document = models.CharField(_("dokumen"), max_length=20)
    format = models.CharField(_("format"), max_length=10)
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices,
                             default=State.QUEUED)  # fmt: skip
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    task_id = models.CharField(_("id tugas"), max_length=64, blank=True)
    worker = models.CharField(_("pekerja"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    report = models.ForeignKey(GeneratedReport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("berkas"))  # fmt: skip

    class Meta:
        verbose_name = _("pekerjaan laporan")
        verbose_name_plural = _("pekerjaan laporan")
        ordering = ["pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.document}.{self.format} {self.agency_id} ({self.state})"
