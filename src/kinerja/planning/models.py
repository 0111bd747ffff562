"""What an agency plans: the pemda and its RPJMD, the agency and its units, the Renstra
(goals, objectives, indicators and their yearly targets, original and revised), the PK, the
Renja/DPA items (program → kegiatan → sub kegiatan) and their rencana aksi, and scales.

Identifiers are English; verbose names are Indonesian (docs/glossary.md).
"""

from __future__ import annotations

import decimal
import unicodedata
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import exceptions
from django.core.validators import (
    EmailValidator,
    MaxValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kinerja.core.achievement import Polarity
from kinerja.core.aggregate import Aggregation
from kinerja.core.form import AverageRule, Level
from kinerja.core.numbers import K_BOUND, RP_BOUND, Bound, quarter_roman, strip_zeros, to_plain

# K values: |K| ≤ 10^12 with 6 decimals (0,25 · 65,63 · 1.895); money: 0 to
# 999.999.999.999.999,99 rupiah with sen. The bounds are kinerja.core.numbers' K_BOUND and
# RP_BOUND; these are the PostgreSQL columns that hold exactly them (numeric(19,6) and
# numeric(17,2)). Both exact, never float (docs/design-notes.md, "Exact numbers").
K_DIGITS = {"max_digits": 19, "decimal_places": K_BOUND.places}
RP_DIGITS = {"max_digits": 17, "decimal_places": RP_BOUND.places}
_CURRENT = {(K_DIGITS["max_digits"], K_DIGITS["decimal_places"]): K_BOUND,
            (RP_DIGITS["max_digits"], RP_DIGITS["decimal_places"]): RP_BOUND}  # fmt: skip


class ExactDecimalField(models.Field):
    """A K or Rp value, stored exactly and read back as the number entered (15, not
    15.000000; 0.25, not 0.250000).

    PostgreSQL keeps it in ``numeric(19,6)`` (K) or ``numeric(17,2)`` (Rp). SQLite has no
    exact decimal type (its NUMERIC affinity keeps 15 significant digits), so there the
    column is an integer holding the value scaled to whole units of its last decimal
    (K × 10^6, Rp × 100), which fits SQLite's 64-bit integers for every value of the bound.
    The field therefore does not call itself a DecimalField: Django's SQLite backend would
    add its float-based decimal converter and cast expressions to NUMERIC.

    Forms read it with kinerja.core.numbers (Indonesian format, the kind's bound). A field
    with the 20-digit parameters of the migrations before ``0004_exact_numbers`` behaves as
    the plain decimal column those migrations created, so the migration history replays
    unchanged and 0004/0005 convert the columns.
    """

    description = _("angka desimal eksak")
    empty_strings_allowed = False

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(verbose_name, name, **kwargs)

    @property
    def bound(self) -> Bound | None:
        """The core's bound this column holds; None for the legacy 20-digit columns."""
        return _CURRENT.get((self.max_digits, self.decimal_places))

    @property
    def money(self) -> bool:
        return self.decimal_places == RP_BOUND.places

    @property
    def context(self) -> decimal.Context:
        # read by Django's SQLite decimal converter for the legacy columns
        return decimal.Context(prec=self.max_digits or 28)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_digits"], kwargs["decimal_places"] = self.max_digits, self.decimal_places
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "ExactDecimalField" if self.bound else "DecimalField"

    def db_type(self, connection: Any) -> str | None:
        if self.bound is None:
            return super().db_type(connection)
        if connection.vendor == "sqlite":
            return "integer"
        return f"numeric({self.max_digits},{self.decimal_places})"

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            value = repr(value)
        try:
            return Decimal(str(value).strip())
        except (decimal.InvalidOperation, ValueError) as exc:
            raise exceptions.ValidationError(
                _("«%(value)s» bukan angka."), code="invalid", params={"value": value}
            ) from exc

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if hasattr(value, "resolve_expression") else self.to_python(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or hasattr(value, "as_sql"):
            return value
        if self.bound is None:
            return connection.ops.adapt_decimalfield_value(value, self.max_digits,
                                                           self.decimal_places)  # fmt: skip
        scaled = value.scaleb(self.decimal_places)
        if not value.is_finite() or scaled != scaled.to_integral_value():
            # PostgreSQL would round it to the column's scale, SQLite's integer cannot hold
            # it: either way not what was given
            raise ValueError(
                f"«{to_plain(value)}»: paling banyak {self.decimal_places} angka di belakang koma."
            )
        return int(scaled) if connection.vendor == "sqlite" else value

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        if self.bound is None or connection.vendor != "sqlite":
            return strip_zeros(value)  # a Decimal from the driver (or the SQLite converter)
        # an integer column's value; a float only where SQLite computed one (AVG)
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return strip_zeros(number.scaleb(-self.decimal_places))

    def value_to_string(self, obj: Any) -> str:
        return to_plain(self.value_from_object(obj)) or ""

    def formfield(self, **kwargs: Any) -> Any:
        from kinerja.planning.forms import IndonesianNumberField

        return super().formfield(form_class=IndonesianNumberField, money=self.money, **kwargs)


def k_field(label: str, **kwargs: object) -> ExactDecimalField:
    return ExactDecimalField(label, null=True, blank=True, **K_DIGITS, **kwargs)


def rp_field(label: str, **kwargs: object) -> ExactDecimalField:
    return ExactDecimalField(label, null=True, blank=True, **RP_DIGITS, **kwargs)


def bounded(model: str, k: tuple[str, ...] = (), rp: tuple[str, ...] = ()) -> list[Any]:
    """CHECK constraints holding each K and Rp column of ``model`` to its bound, so a value
    written around the app (a script, the shell, raw SQL) is refused by the database too."""
    checks = []
    for fields, bound in ((k, K_BOUND), (rp, RP_BOUND)):
        for field in fields:
            checks.append(models.CheckConstraint(
                condition=models.Q(**{f"{field}__gte": bound.low, f"{field}__lte": bound.high})
                | models.Q(**{field: None}),
                name=f"{model}_{field}_in_bound",
            ))  # fmt: skip
    return checks


class PolarityChoice(models.TextChoices):
    HIGHER = Polarity.HIGHER.value, _("makin tinggi makin baik")
    LOWER = Polarity.LOWER.value, _("makin rendah makin baik")


class AggregationChoice(models.TextChoices):
    SUM = Aggregation.SUM.value, _("jumlah triwulan")
    LAST = Aggregation.LAST.value, _("nilai terakhir")
    AVERAGE = Aggregation.AVERAGE.value, _("rata-rata")
    MAX = Aggregation.MAX.value, _("nilai tertinggi")


class LevelChoice(models.TextChoices):
    PROGRAM = Level.PROGRAM.value, _("Program")
    KEGIATAN = Level.KEGIATAN.value, _("Kegiatan")
    SUB_KEGIATAN = Level.SUB_KEGIATAN.value, _("Sub Kegiatan")


class DerivationRule(models.TextChoices):
    """Footer rules of the evaluation form an IKU may be derived from (DESIGN §3)."""

    PROGRAM_MEAN = AverageRule.PROGRAM_MEAN.value, _("rata-rata capaian program")
    ALL_MEAN = AverageRule.ALL_MEAN.value, _("rata-rata capaian semua baris")
    KEGIATAN_MEAN = AverageRule.KEGIATAN_MEAN.value, _("rata-rata capaian kegiatan")
    SUB_KEGIATAN_MEAN = AverageRule.SUB_KEGIATAN_MEAN.value, _("rata-rata capaian sub kegiatan")
    PAGU_WEIGHTED = AverageRule.PAGU_WEIGHTED.value, _("rata-rata berbobot pagu")


# ---- scales -----------------------------------------------------------------------------


class Scale(models.Model):
    code = models.SlugField(_("kode"), max_length=60)
    version = models.PositiveIntegerField(_("versi"), default=1)
    name = models.CharField(_("nama"), max_length=200)
    closed = models.CharField(
        _("batas rentang"),
        max_length=5,
        choices=[("upper", _("(bawah, atas]")), ("lower", _("[bawah, atas)"))],
        default="upper",
    )
    source = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skala")
        verbose_name_plural = _("skala")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scale_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ScaleBand(models.Model):
    scale = models.ForeignKey(
        Scale, on_delete=models.CASCADE, related_name="bands", verbose_name=_("skala")
    )
    position = models.PositiveSmallIntegerField(_("urutan"))
    label = models.CharField(_("kategori"), max_length=60)
    lower = k_field(_("batas bawah"))
    upper = k_field(_("batas atas"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rentang skala")
        verbose_name_plural = _("rentang skala")
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "position"], name="scaleband_position"),
            *bounded("scaleband", k=("lower", "upper")),
        ]

    def __str__(self) -> str:
        return self.label


# ---- pemda, RPJMD, agency ---------------------------------------------------------------


class Province(models.Model):
    """A province (provinsi): the level between the pemda and the country in the roll-ups
    (kinerja.rollup). Its code is the BPS/Kemendagri two-digit code ("35" Jawa Timur)."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Government(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    slug = models.SlugField(_("kode"), unique=True)
    region = models.CharField(_("wilayah"), max_length=100)
    # the province the pemda belongs to (a province's own government has it too); empty for
    # a pemda entered before provinces were (the roll-ups then count it under no province)
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="governments", verbose_name=_("provinsi"))  # fmt: skip
    vision = models.TextField(_("visi"), blank=True)
    public_enabled = models.BooleanField(_("capaian yang disahkan terbuka untuk publik"),
                                         default=False)  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")

    def __str__(self) -> str:
        return self.name


class RpjmdMission(models.Model):
    government = models.ForeignKey(
        Government,
        on_delete=models.CASCADE,
        related_name="missions",
        verbose_name=_("pemerintah daerah"),
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("misi"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("misi RPJMD")
        verbose_name_plural = _("misi RPJMD")
        ordering = ["government", "number"]
        constraints = [
            models.UniqueConstraint(fields=["government", "number"], name="mission_number")
        ]

    def __str__(self) -> str:
        return f"Misi {self.number}"


class RpjmdGoal(models.Model):
    mission = models.ForeignKey(
        RpjmdMission, on_delete=models.CASCADE, related_name="goals", verbose_name=_("misi")
    )
    text = models.TextField(_("tujuan"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tujuan RPJMD")
        verbose_name_plural = _("tujuan RPJMD")

    def __str__(self) -> str:
        return self.text[:80]


class RpjmdObjective(models.Model):
    goal = models.ForeignKey(
        RpjmdGoal,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("tujuan RPJMD"),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.TextField(_("sasaran"))
    indicator = models.CharField(_("indikator"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sasaran RPJMD")
        verbose_name_plural = _("sasaran RPJMD")
        ordering = ["goal", "position"]

    def __str__(self) -> str:
        return self.text[:80]


class Agency(models.Model):
    government = models.ForeignKey(
        Government,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("pemerintah daerah"),
    )
    name = models.CharField(_("nama"), max_length=200)
    abbreviation = models.CharField(_("singkatan"), max_length=40)
    slug = models.SlugField(_("kode"), unique=True)
    is_example = models.BooleanField(_("contoh (data rekaan)"), default=False)
    # opt-in: the quarterly report ends with "Lampiran: Temuan Pemeriksaan", the findings of
    # its Lembar Pemeriksaan in words (reporting/checklist.py); off by default
    findings_appendix = models.BooleanField(
        _("lampirkan temuan pemeriksaan pada laporan"), default=False,
        help_text=_("Laporan triwulan diakhiri lampiran daftar temuan Lembar Pemeriksaan."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.abbreviation or self.name


class OrgUnit(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="units", verbose_name=_("perangkat daerah")
    )
    name = models.CharField(_("nama"), max_length=200)
    abbreviation = models.CharField(_("singkatan"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="orgunit_name")]

    def __str__(self) -> str:
        return self.name


# ---- Renstra ----------------------------------------------------------------------------


class StrategicPlan(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="plans", verbose_name=_("perangkat daerah")
    )
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    serves = models.ManyToManyField(
        RpjmdObjective, blank=True, verbose_name=_("sasaran RPJMD yang didukung")
    )
    revision_note = models.TextField(_("catatan perubahan target"), blank=True)
    history = HistoricalRecords(m2m_fields=["serves"])

    class Meta:
        verbose_name = _("Renstra")
        verbose_name_plural = _("Renstra")
        constraints = [
            models.UniqueConstraint(fields=["agency", "start_year"], name="plan_agency_start")
        ]

    def __str__(self) -> str:
        return f"Renstra {self.agency} {self.start_year}–{self.end_year}"


class Goal(models.Model):
    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("Renstra")
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.TextField(_("tujuan"))
    # the Renstra's explanation of the goal, printed under "Tujuan 1 “…”" in BAB II
    narrative = models.TextField(_("uraian tujuan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tujuan")
        verbose_name_plural = _("tujuan")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="goal_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:70]}"


class Objective(models.Model):
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("tujuan")
    )
    code = models.CharField(_("kode"), max_length=20)
    text = models.TextField(_("sasaran"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sasaran")
        verbose_name_plural = _("sasaran")
        ordering = ["goal", "code"]
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="objective_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:70]}"


class Indicator(models.Model):
    """An indicator of a goal (indikator tujuan) or of an objective (indikator sasaran)."""

    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("Renstra"),
    )
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="indicators", verbose_name=_("tujuan"))  # fmt: skip
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="indicators", verbose_name=_("sasaran"))  # fmt: skip
    position = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("indikator"), max_length=300)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    # *jumlah desimal*: how many decimals its K values print with (0,70); blank: as entered
    decimals = models.PositiveSmallIntegerField(
        _("jumlah desimal"), null=True, blank=True, validators=[MaxValueValidator(6)],
        help_text=_("Kosong: angka dicetak seperti diisi."),
    )  # fmt: skip
    definition = models.TextField(_("definisi operasional"), blank=True)
    formula = models.TextField(_("formulasi"), blank=True)
    data_source = models.CharField(_("sumber data"), max_length=300, blank=True)
    polarity = models.CharField(_("polaritas"), max_length=10, choices=PolarityChoice.choices,
                                default=PolarityChoice.HIGHER)  # fmt: skip
    aggregation = models.CharField(_("agregasi triwulan"), max_length=10,
                                   choices=AggregationChoice.choices,
                                   default=AggregationChoice.LAST)  # fmt: skip
    scale = models.ForeignKey(Scale, null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("skala nilai"))  # fmt: skip
    is_key = models.BooleanField(_("IKU"), default=False)
    # [[dimension or aspect, weight %], …] in the regulation's order (a list: jsonb sorts keys)
    weights = models.JSONField(_("bobot dimensi/aspek"), default=list, blank=True)
    derived_from_form = models.CharField(_("diturunkan dari formulir evaluasi"), max_length=30,
                                         choices=DerivationRule.choices, blank=True)  # fmt: skip
    allows_negative = models.BooleanField(_("boleh negatif"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="indicator_position"),
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False) | models.Q(objective__isnull=False),
                name="indicator_has_goal_or_objective",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The target of an indicator for a year: the original and, once revised, the revision."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indikator")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    original = k_field(_("target awal"))
    original_upper = k_field(_("batas atas target awal"))
    revised = k_field(_("target perubahan"))
    revised_upper = k_field(_("batas atas target perubahan"))
    revised_on = models.DateField(_("tanggal perubahan"), null=True, blank=True)
    revision_reason = models.TextField(_("alasan perubahan"), blank=True)
    legal_basis = models.CharField(_("dasar hukum perubahan"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target indikator")
        verbose_name_plural = _("target indikator")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_indicator_year"),
            *bounded("target", k=("original", "original_upper", "revised", "revised_upper")),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin: the revision's date within the
        Renstra period ± 1 year, its reason ≤ 1.000 characters."""
        from kinerja.limits import REASON_MAX, check_date, check_text, refuse_in_clean

        plan = self.indicator.plan if self.indicator_id else None
        refuse_in_clean(
            lambda: check_text(self.revision_reason, label=_("Alasan perubahan"),
                               limit=REASON_MAX),
            lambda: plan and check_date(self.revised_on, label=_("Tanggal perubahan target"),
                                        first_year=plan.start_year, last_year=plan.end_year),
        )  # fmt: skip

    @property
    def current(self):
        """The target in force: the revision where there is one."""
        return self.revised if self.revised is not None else self.original


# ---- PK ---------------------------------------------------------------------------------


class PerformanceAgreement(models.Model):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("perangkat daerah"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    signed_on = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Perjanjian Kinerja")
        verbose_name_plural = _("Perjanjian Kinerja")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="pk_agency_year")]

    def __str__(self) -> str:
        return f"PK {self.agency} {self.year}"

    def clean(self) -> None:
        """The signing date within the PK's year, one year either side (kinerja.limits)."""
        from django.core.exceptions import ValidationError

        from kinerja.limits import check_date

        if self.year:
            check_date(self.signed_on, label=str(_("Tanggal penandatanganan")),
                       first_year=self.year, error=ValidationError)  # fmt: skip


class AgreementTarget(models.Model):
    """Tabel 2.3: sasaran strategis, indikator and target agreed."""

    agreement = models.ForeignKey(PerformanceAgreement, on_delete=models.CASCADE,
                                  related_name="targets", verbose_name=_("Perjanjian Kinerja"))  # fmt: skip
    position = models.PositiveSmallIntegerField(_("nomor"))
    objective_text = models.TextField(_("sasaran strategis"))
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("indikator")
    )
    indicator_text = models.CharField(_("indikator kinerja"), max_length=300)
    target = k_field(_("target"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target PK")
        verbose_name_plural = _("target PK")
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="pktarget_position"),
            *bounded("pktarget", k=("target",)),
        ]

    def __str__(self) -> str:
        return self.indicator_text


class AgreementLine(models.Model):
    """Tabel 2.4: a program, kegiatan or sub kegiatan of the PK with its target and pagu."""

    agreement = models.ForeignKey(PerformanceAgreement, on_delete=models.CASCADE,
                                  related_name="lines", verbose_name=_("Perjanjian Kinerja"))  # fmt: skip
    position = models.PositiveSmallIntegerField(_("urutan"))
    level = models.CharField(_("tingkat"), max_length=20, choices=LevelChoice.choices)
    name = models.CharField(_("program/kegiatan/sub kegiatan"), max_length=500)
    indicator_text = models.TextField(_("indikator"))
    target = k_field(_("target"))
    target_unit = models.CharField(_("satuan"), max_length=60, blank=True)
    budget = rp_field(_("pagu"))
    context_indicator = models.ForeignKey(Indicator, null=True, blank=True,
                                          on_delete=models.SET_NULL,
                                          verbose_name=_("indikator tujuan/sasaran"))  # fmt: skip
    work_item = models.ForeignKey("WorkItem", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="agreement_lines",
                                  verbose_name=_("item Renja"))  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baris PK")
        verbose_name_plural = _("baris PK")
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="pkline_position"),
            *bounded("pkline", k=("target",), rp=("budget",)),
        ]

    def __str__(self) -> str:
        return self.name


def normalise_nip(value: str) -> str:
    """A NIP as typed — "19700101 199503 1 001" — without its spaces."""
    return "".join(str(value).split())


# a civil servant's NIP: 18 digits (ASCII: \d would take other scripts' digits); a regent or
# another official without one leaves it empty
validate_nip = RegexValidator(
    r"\A[0-9]{18}\Z",
    _("NIP terdiri atas 18 angka (spasi di antaranya boleh); kosongkan bila penanda tangan "
      "tidak memiliki NIP, misalnya bupati."),
    code="nip",
)  # fmt: skip


class Signatory(models.Model):
    class Party(models.TextChoices):
        FIRST = "first", _("pihak pertama")
        SECOND = "second", _("pihak kedua")

    class Acting(models.TextChoices):
        NONE = "", _("definitif")
        PLT = "Plt", _("Pelaksana Tugas (Plt)")
        PLH = "Plh", _("Pelaksana Harian (Plh)")

    agreement = models.ForeignKey(PerformanceAgreement, on_delete=models.CASCADE,
                                  related_name="signatories", verbose_name=_("Perjanjian Kinerja"))  # fmt: skip
    party = models.CharField(_("pihak"), max_length=10, choices=Party.choices)
    title = models.CharField(_("jabatan"), max_length=200)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    # 30 characters: room for the NIP as typed with its spaces; stored as 18 digits
    nip = models.CharField(_("NIP"), max_length=30, blank=True, validators=[validate_nip],
                           help_text=_("18 angka; kosong bila tidak ber-NIP (bupati)"))  # fmt: skip
    rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    acting = models.CharField(_("status"), max_length=3, choices=Acting.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penanda tangan")
        verbose_name_plural = _("penanda tangan")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signatory_party")
        ]

    def __str__(self) -> str:
        return f"{self.acting + ' ' if self.acting else ''}{self.title}"

    def clean_fields(self, exclude: Any = None) -> None:
        """The NIP as typed (with spaces) is stored as its 18 digits, also from the admin."""
        self.nip = normalise_nip(self.nip)
        super().clean_fields(exclude)


# ---- kop surat --------------------------------------------------------------------------


def validate_kop_text(value: str) -> None:
    """A line of the kop: printable text, no control characters (a tab or a line break would
    break the printed line) and no invisible format characters (U+202E turns the printed
    text around, U+200B hides in it)."""
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise exceptions.ValidationError(
            _("Isian kop tidak boleh berisi karakter kendali (tab, baris baru, NUL)."),
            code="control",
        )
    hidden = next((c for c in value if unicodedata.category(c) == "Cf"), None)
    if hidden is not None:
        raise exceptions.ValidationError(
            _("Isian kop tidak boleh berisi karakter format tak terlihat (%(code)s), misalnya "
              "pembalik arah teks; ketik ulang isian tanpa menyalinnya."),
            code="format", params={"code": f"U+{ord(hidden):04X}"},
        )  # fmt: skip


def validate_telephone(value: str) -> None:
    """A telephone as printed: at least one digit, e.g. "(0328) 123456" or "0328-123456"."""
    validate_kop_text(value)
    if value and not any(c in "0123456789" for c in value):
        raise exceptions.ValidationError(
            _("Nomor telepon harus memuat angka, misalnya (0328) 123456."), code="telephone"
        )


validate_kop_email = EmailValidator(
    _("Alamat pos-el tidak sah; tulis seperti nama@instansi.go.id."), code="email"
)


def validate_website(value: str) -> None:
    """A website: ``https://…`` or ``http://…``, or a bare domain (``instansi.go.id``),
    printed as typed."""
    message = _("Situs web tidak sah; tulis seperti https://instansi.go.id atau instansi.go.id.")
    if not value:
        return
    validate_kop_text(value)
    has_scheme = "://" in value
    if has_scheme and not value.lower().startswith(("http://", "https://")):
        raise exceptions.ValidationError(message, code="website")
    try:
        URLValidator(schemes=["http", "https"])(value if has_scheme else f"https://{value}")
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError(message, code="website") from exc


class Letterhead(models.Model):
    """The kop surat of an agency's year: printed on the report's cover, the PK and the form
    beside the pemda's and the agency's names. ``logo`` is the storage name of its logo,
    content-addressed (``kop/<sha256>.<png|jpg>``, written by planning/letterhead.py) so a
    quarter's approved snapshot that names it always reads the same image; "" for none."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="letterheads",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    address = models.CharField(_("alamat"), max_length=300, blank=True,
                               validators=[validate_kop_text])  # fmt: skip
    telephone = models.CharField(_("telepon"), max_length=60, blank=True,
                                 validators=[validate_telephone])  # fmt: skip
    email = models.CharField(_("pos-el"), max_length=254, blank=True,
                             validators=[validate_kop_text, validate_kop_email])  # fmt: skip
    website = models.CharField(_("situs web"), max_length=200, blank=True,
                               validators=[validate_website])  # fmt: skip
    logo = models.CharField(_("logo"), max_length=100, blank=True, editable=False)
    is_example = models.BooleanField(_("contoh (data rekaan)"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        ordering = ["agency", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="letterhead_agency_year")
        ]

    def __str__(self) -> str:
        return f"Kop {self.agency} {self.year}"


# ---- Renja / DPA ------------------------------------------------------------------------


class WorkItem(models.Model):
    """A program, kegiatan or sub kegiatan of the Renja/DPA, as a row of the evaluation form.

    Keyed by agency, year, parent and position: Kepmendagri codes repeat in real data.
    """

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="work_items",
        verbose_name=_("perangkat daerah"),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children", verbose_name=_("induk"))  # fmt: skip
    position = models.PositiveIntegerField(_("urutan dalam formulir"))
    # a further indicator of ``indicator_of``: at its level under its parent, with its code and
    # name, printed on a continuation row of the form — its own indicator, unit, K target,
    # rencana aksi and realisations; no pagu, cash plan or Rp (those are the item's)
    indicator_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="more_indicators",
                                     verbose_name=_("indikator tambahan dari"))  # fmt: skip
    level = models.CharField(_("tingkat"), max_length=20, choices=LevelChoice.choices)
    code = models.CharField(_("kode Kepmendagri"), max_length=40, blank=True)
    name = models.CharField(_("nama"), max_length=500)
    indicator = models.TextField(_("indikator"), blank=True)
    unit = models.CharField(_("satuan target"), max_length=60, blank=True)
    # *jumlah desimal*: how many decimals its K values print with (0,70); blank: as entered
    decimals = models.PositiveSmallIntegerField(
        _("jumlah desimal"), null=True, blank=True, validators=[MaxValueValidator(6)],
        help_text=_("Kosong: angka dicetak seperti diisi."),
    )  # fmt: skip
    responsible_unit = models.ForeignKey(OrgUnit, null=True, blank=True,
                                         on_delete=models.SET_NULL,
                                         verbose_name=_("unit penanggung jawab"))  # fmt: skip
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL,
                                  verbose_name=_("sasaran"))  # fmt: skip
    polarity = models.CharField(_("polaritas"), max_length=10, choices=PolarityChoice.choices,
                                default=PolarityChoice.HIGHER)  # fmt: skip
    aggregation = models.CharField(_("agregasi triwulan"), max_length=10,
                                   choices=AggregationChoice.choices,
                                   default=AggregationChoice.SUM)  # fmt: skip
    allows_negative = models.BooleanField(_("boleh negatif"), default=False)
    # column 8: this year's target and pagu (murni = original, perubahan = revised)
    target_k = k_field(_("target K tahun ini"))
    target_k_upper = k_field(_("batas atas target K"))
    budget_original = rp_field(_("pagu murni"))
    budget_revised = rp_field(_("pagu perubahan"))
    budget_revised_on = models.DateField(_("tanggal perubahan pagu"), null=True, blank=True)
    budget_revision_reason = models.TextField(_("alasan perubahan pagu"), blank=True)
    budget_legal_basis = models.CharField(_("dasar hukum perubahan pagu"), max_length=300,
                                          blank=True)  # fmt: skip
    # column 6: Renstra target at the end of the period
    renstra_target_k = k_field(_("target Renstra akhir periode (K)"))
    renstra_target_unit = models.CharField(_("satuan target Renstra"), max_length=60, blank=True)
    renstra_target_rp = rp_field(_("target Renstra akhir periode (Rp)"))
    # column 7: Renstra realisation up to last year
    renstra_realised_k = k_field(_("realisasi Renstra s.d. tahun lalu (K)"))
    renstra_realised_unit = models.CharField(_("satuan realisasi Renstra"), max_length=60,
                                             blank=True)  # fmt: skip
    renstra_realised_rp = rp_field(_("realisasi Renstra s.d. tahun lalu (Rp)"))
    note = models.TextField(_("catatan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program/kegiatan/sub kegiatan")
        verbose_name_plural = _("program/kegiatan/sub kegiatan (Renja)")
        ordering = ["agency", "year", "position"]
        # the roll-ups (kinerja.rollup) read one year's program rows of every agency
        indexes = [models.Index(fields=["year", "level", "agency"], name="workitem_year_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "position"], name="workitem_form_position"
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(indicator_of__isnull=True)
                | models.Q(
                    budget_original__isnull=True,
                    budget_revised__isnull=True,
                    renstra_target_rp__isnull=True,
                    renstra_realised_rp__isnull=True,
                ),
                name="workitem_more_indicator_no_rp",
            ),  # fmt: skip
            *bounded(
                "workitem",
                k=("target_k", "target_k_upper", "renstra_target_k", "renstra_realised_k"),
                rp=(
                    "budget_original",
                    "budget_revised",
                    "renstra_target_rp",
                    "renstra_realised_rp",
                ),
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        """The limits of kinerja.limits also for the admin: the pagu revision's date within
        the year ± 1, its reason ≤ 1.000 characters, the row's note ≤ 5.000."""
        from kinerja.limits import NOTE_MAX, REASON_MAX, check_date, check_text, refuse_in_clean

        refuse_in_clean(
            lambda: check_text(self.budget_revision_reason, label=_("Alasan perubahan pagu"),
                               limit=REASON_MAX),
            lambda: check_text(self.note, label=_("Catatan"), limit=NOTE_MAX),
            lambda: self.year and check_date(self.budget_revised_on, first_year=self.year,
                                             label=_("Tanggal perubahan pagu")),
        )  # fmt: skip

    @property
    def is_more_indicator(self) -> bool:
        """Whether this row is a further indicator of another item (no pagu of its own)."""
        return self.indicator_of_id is not None

    @property
    def budget(self):
        """The pagu in force: the revised one where there is one."""
        return self.budget_revised if self.budget_revised is not None else self.budget_original


class ActionPlan(models.Model):
    """Rencana aksi: the quarter's target K and cash plan (anggaran kas) of an item."""

    work_item = models.ForeignKey(
        WorkItem,
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("program/kegiatan/sub kegiatan"),
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    target_k = k_field(_("target K triwulan"))
    cash_plan = rp_field(_("rencana anggaran kas"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["work_item", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "quarter"], name="actionplan_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="actionplan_quarter_1_4"
            ),  # fmt: skip
            *bounded("actionplan", k=("target_k",), rp=("cash_plan",)),
        ]

    def __str__(self) -> str:
        return f"{self.work_item} TW {quarter_roman(self.quarter)}"


class ReportTemplate(models.Model):
    """An agency's own Word template for a document (or the pemda's, for all its agencies),
    kept through Django's storage API; without one, Kinerja's shipped template is used."""

    class Document(models.TextChoices):
        LAPORAN = "laporan", _("Laporan Capaian Kinerja Triwulan")
        PK = "pk", _("Perjanjian Kinerja")

    government = models.ForeignKey(Government, on_delete=models.CASCADE,
                                   verbose_name=_("pemerintah daerah"))  # fmt: skip
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE,
                               verbose_name=_("perangkat daerah"),
                               help_text=_("kosongkan untuk semua perangkat daerah"))  # fmt: skip
    document = models.CharField(_("dokumen"), max_length=20, choices=Document.choices)
    file = models.FileField(_("templat Word (.docx)"), upload_to="templat/")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("templat laporan")
        verbose_name_plural = _("templat laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "agency", "document"], name="reporttemplate_scope"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} — {self.agency or self.government}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.file and not self.file._committed:  # new content: checked before it is stored
            self.check_file()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.check_file()

    def check_file(self) -> None:
        """A Word template runs on the server: refuse one that is not a bounded .docx, does
        not render the sample data, or reaches beyond the report's fields (the sandbox of
        reporting/template_check.py). Refused, nothing is stored."""
        from kinerja.reporting.template_check import TemplateRefused, check_template_file

        if not self.file or self.document not in self.Document.values:
            return
        try:
            check_template_file(self.file, self.document)
        except TemplateRefused as exc:
            raise exceptions.ValidationError({"file": str(exc)}) from exc


class PlanImportJob(models.Model):
    """A confirmed import written by a task worker (planning/import_task.py): a plan file
    (*Impor rencana*, ``kind`` «rencana») or a filled evaluation form with its realisations up
    to ``quarter`` (*Mulai dari formulir*, «formulir»). The upload page's preview kept the file
    in the default storage (``file``, its ``sha256``), the user confirmed, and a worker reads it
    from there and writes it in one transaction. ``stage`` says how far the run got,
    ``heartbeat_at`` that its worker is alive (``attempts``: runs so far); the result (counts)
    or the Indonesian reason it was refused stays on the row for the job's page. The preview
    itself is a run of the job too (``confirmed`` False): the worker reads and compares, keeps
    what the page shows in ``preview`` and waits («siap») for the user's confirmation."""

    class Kind(models.TextChoices):
        PLAN = "rencana", _("impor rencana")
        FORM = "formulir", _("mulai dari formulir")

    class State(models.TextChoices):
        QUEUED = "antre", _("dalam antrean")
        RUNNING = "berjalan", _("sedang berjalan")
        READY = "siap", _("pratinjau siap, menunggu persetujuan")
        DONE = "selesai", _("selesai")
        FAILED = "gagal", _("gagal")
        CANCELLED = "batal", _("dibatalkan")

    class Stage(models.TextChoices):
        READ = "baca", _("membaca berkas")
        COMPARE = "banding", _("membandingkan dengan basis data")
        WRITE = "tulis", _("menulis dalam satu transaksi")

    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.PLAN)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plan_imports",
                               verbose_name=_("perangkat daerah"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("diminta oleh"))  # fmt: skip
    file = models.CharField(_("berkas tersimpan"), max_length=255)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("sha256 berkas"), max_length=64)
    pagu_column = models.CharField(_("kolom pagu"), max_length=200, blank=True)
    digest = models.CharField(_("ringkasan pratinjau"), max_length=64)
    revision_on = models.DateField(_("tanggal revisi"), null=True, blank=True)
    revision_reason = models.TextField(_("alasan revisi"), blank=True)
    revision_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices,
                             default=State.QUEUED)  # fmt: skip
    # False: the run reads and compares only (the preview, kept in ``preview`` with its
    # ``digest``); True once the user confirmed that preview: the run writes
    confirmed = models.BooleanField(_("disetujui"), default=False)
    preview = models.JSONField(_("pratinjau"), null=True, blank=True)
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices, blank=True)
    task_id = models.CharField(_("id tugas"), max_length=64, blank=True)
    worker = models.CharField(_("pekerja"), max_length=200, blank=True)
    created = models.PositiveIntegerField(_("dibuat"), null=True, blank=True)
    changed = models.PositiveIntegerField(_("diubah"), null=True, blank=True)
    realisations_created = models.PositiveIntegerField(_("realisasi dibuat"), null=True,
                                                       blank=True)  # fmt: skip
    realisations_changed = models.PositiveIntegerField(_("realisasi diubah"), null=True,
                                                       blank=True)  # fmt: skip
    error = models.TextField(_("kesalahan"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("impor rencana di latar belakang")
        verbose_name_plural = _("impor rencana di latar belakang")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.agency} {self.year} ({self.state})"
