"""One row per agency × year × quarter: its footer and the terms the roll-up adds up above it.

``data_token`` names the agency's year as it is: every write of one of its inputs (a
realisation, a Renja item, a rencana aksi, the quarter's state — ``stale.written``) draws a
new one in the writing transaction. ``figures_token`` is the ``data_token`` a refresh read
*before* it read the data it computed the figures from. So the figures are those of the data
as it is exactly when the two are equal; the roll-up reads only such rows and computes the
others in line (``kinerja.rollup``). Numbers are kept as the core's Decimal text, to the last
digit (a mean of K has up to 28 significant digits; no numeric column would give it back
unchanged on both databases)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


def to_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


class AgencyQuarterFigures(models.Model):
    agency = models.ForeignKey("planning.Agency", on_delete=models.CASCADE,
                               related_name="+")  # fmt: skip
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    # the footer: K (rule program_mean) and Rp (program_ratio) with Rp's terms
    # None: no figure (missing is not zero), never an empty text
    k = models.CharField(max_length=64, null=True)  # noqa: DJ001
    rp = models.CharField(max_length=64, null=True)  # noqa: DJ001
    realised = models.CharField(max_length=64, default="0")
    pagu = models.CharField(max_length=64, default="0")
    rp_terms = models.PositiveIntegerField(default=0)
    # Tabel 3.2's total line: realisation of every program, its complete cash plans to Q
    realised_all = models.CharField(max_length=64, null=True)  # noqa: DJ001
    cash_plan = models.CharField(max_length=64, null=True)  # noqa: DJ001
    status = models.CharField(max_length=16, default="")
    data_token = models.CharField(max_length=32)
    figures_token = models.CharField(max_length=32, default="")
    computed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "agency"],
                                    name="rollup_figures_unique"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} TW {self.quarter}"

    @property
    def fresh(self) -> bool:
        return self.figures_token == self.data_token
