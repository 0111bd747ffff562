"""Snapshots of approved quarters: what the quarter's form, report and dashboard read, frozen
at approval (DESIGN §4a).

The rows of the evaluation form are kept as rows — one per Renja item (``SnapshotRow``) and
one per item and quarter (``SnapshotValue``) — so that database aggregates can read approved
quarters as they read live data. The rest of the input (IKU targets and realisations,
narratives, signatories, the PK, the database-only findings) is kept as JSON in ``payload``.
``data_hash`` is the SHA-256 of the whole input in canonical form (``capture.input_hash``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.numbers import quarter_roman
from kinerja.planning.models import Agency, WorkItem, bounded, k_field, rp_field


class QuarterSnapshot(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="snapshots",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    sequence = models.PositiveIntegerField(_("pengesahan ke"))
    approved_at = models.DateTimeField(_("disahkan pada"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, verbose_name=_("disahkan oleh"))  # fmt: skip
    data_hash = models.CharField(_("hash data"), max_length=64)
    payload = models.JSONField(_("data lain"), default=dict)
    # what changed against the previous approval of the same quarter (empty on the first)
    changes = models.JSONField(_("perubahan terhadap pengesahan sebelumnya"), default=list,
                               blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("rekam pengesahan triwulan")
        verbose_name_plural = _("rekam pengesahan triwulan")
        ordering = ["agency", "year", "quarter", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter", "sequence"], name="snapshot_sequence"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="snapshot_quarter_1_4"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.agency} TW {quarter_roman(self.quarter)} {self.year} #{self.sequence}"


class SnapshotRow(models.Model):
    """A Renja item as the approved quarter read it (columns 2–8, 17 of the form)."""

    snapshot = models.ForeignKey(QuarterSnapshot, on_delete=models.CASCADE, related_name="rows",
                                 verbose_name=_("rekam pengesahan"))  # fmt: skip
    work_item = models.ForeignKey(WorkItem, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("item Renja"))  # fmt: skip
    item_key = models.PositiveIntegerField(_("id item saat disahkan"))
    parent_key = models.PositiveIntegerField(_("id induk saat disahkan"), null=True, blank=True)
    # a further indicator: the key of the item whose indicator it adds (WorkItem.indicator_of)
    continues_key = models.PositiveIntegerField(_("id item yang dilanjutkan saat disahkan"),
                                                null=True, blank=True)  # fmt: skip
    position = models.PositiveIntegerField(_("urutan dalam formulir"))
    level = models.CharField(_("tingkat"), max_length=20)
    code = models.CharField(_("kode"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=500)
    indicator = models.TextField(_("indikator"), blank=True)
    unit = models.CharField(_("satuan target"), max_length=60, blank=True)
    responsible_unit = models.CharField(_("unit penanggung jawab"), max_length=200, blank=True)
    objective = models.TextField(_("sasaran"), blank=True)
    polarity = models.CharField(_("polaritas"), max_length=10)
    aggregation = models.CharField(_("agregasi triwulan"), max_length=10)
    target_k = k_field(_("target K tahun ini"))
    target_k_upper = k_field(_("batas atas target K"))
    budget = rp_field(_("pagu yang berlaku"))
    renstra_target_k = k_field(_("target Renstra akhir periode (K)"))
    renstra_target_rp = rp_field(_("target Renstra akhir periode (Rp)"))
    renstra_target_unit = models.CharField(_("satuan target Renstra"), max_length=60, blank=True)
    renstra_realised_k = k_field(_("realisasi Renstra s.d. tahun lalu (K)"))
    renstra_realised_rp = rp_field(_("realisasi Renstra s.d. tahun lalu (Rp)"))
    renstra_realised_unit = models.CharField(_("satuan realisasi Renstra"), max_length=60,
                                             blank=True)  # fmt: skip
    decimals = models.PositiveSmallIntegerField(_("jumlah desimal"), null=True, blank=True)

    class Meta:
        verbose_name = _("baris rekam pengesahan")
        verbose_name_plural = _("baris rekam pengesahan")
        ordering = ["snapshot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "position"], name="snapshotrow_position"),
            *bounded("snapshotrow", k=("target_k", "target_k_upper", "renstra_target_k",
                                       "renstra_realised_k"),
                     rp=("budget", "renstra_target_rp", "renstra_realised_rp")),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class SnapshotValue(models.Model):
    """An item's quarter as the approved quarter read it: realisation (columns 9–12) and
    rencana aksi (target K, cash plan)."""

    row = models.ForeignKey(SnapshotRow, on_delete=models.CASCADE, related_name="values",
                            verbose_name=_("baris"))  # fmt: skip
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    value_k = k_field(_("realisasi K"))
    value_k_unit = models.CharField(_("satuan realisasi"), max_length=60, blank=True)
    value_rp = rp_field(_("realisasi Rp"))
    note = models.TextField(_("catatan"), blank=True)
    plan_k = k_field(_("target K triwulan"))
    cash_plan = rp_field(_("rencana anggaran kas"))

    class Meta:
        verbose_name = _("nilai triwulan rekam pengesahan")
        verbose_name_plural = _("nilai triwulan rekam pengesahan")
        ordering = ["row", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["row", "quarter"], name="snapshotvalue_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="snapshotvalue_quarter_1_4"
            ),  # fmt: skip
            *bounded("snapshotvalue", k=("value_k", "plan_k"), rp=("value_rp", "cash_plan")),
        ]

    def __str__(self) -> str:
        return f"{self.row} TW {quarter_roman(self.quarter)}"
