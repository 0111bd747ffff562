"""Forms of the planning pages. Numbers are typed the Indonesian way (1.905.955.200 and
89,95) and parsed by ``kinerja.core.numbers``; its Indonesian message is shown beside the
field. Forms only validate: the writes are the domain functions of planning/domain.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.core.numbers import InvalidNumber, check_value, format_number, parse_number
from kinerja.limits import date_range

from .items import Revision
from .models import Signatory


class IndonesianNumberField(forms.CharField):
    """A number in Indonesian format, read by ``kinerja.core.numbers`` within its kind's
    bound: rupiah (``money=True``) or K; ``negative=False`` also refuses a negative K. The
    form field of every K and Rp model field (``ExactDecimalField.formfield``), so the admin
    reads and shows numbers the same way."""

    def __init__(self, *, money: bool = False, negative: bool = True, **kwargs: Any) -> None:
        self.money, self.negative = money, negative
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal",
                                                           "class": "number"}))  # fmt: skip
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_number(value, missing="") if isinstance(value, Decimal) else value

    def to_python(self, value: Any) -> Decimal | None:
        try:
            if isinstance(value, Decimal):  # an initial value, already a number
                return check_value(value, money=self.money, negative=self.negative)
            text = super().to_python(value)
            return parse_number(text, money=self.money, negative=self.negative)
        except InvalidNumber as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


def _date() -> forms.DateField:
    return forms.DateField(label=_("Tanggal perubahan"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))  # fmt: skip


def _reason(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


# The Renja page draws a pagu form and four rencana aksi forms on every row (~300 forms, ~1.500
# fields for the seed's 61 rows). Django ships its widget templates for Jinja2 too: the same
# markup (tests/planning/test_renja_page_render.py) in about half the time: the whole page,
# warm, DEBUG=0, 1,45–1,85 s → 0,58–0,96 s on this 2-core machine while a synth ran beside it.
# Only these forms: the admin's widgets exist as Django templates only.
_REPEATED_ROWS = Jinja2()


class ReviseTargetForm(forms.Form):
    value = IndonesianNumberField(label=_("Target perubahan"))
    upper = IndonesianNumberField(label=_("Batas atas (bila target berupa rentang)"),
                                  required=False)  # fmt: skip
    on = _date()
    reason = _reason(_("Alasan perubahan"))
    legal_basis = forms.CharField(label=_("Dasar hukum perubahan"), max_length=300)


class ReviseBudgetForm(forms.Form):
    default_renderer = _REPEATED_ROWS
    amount = IndonesianNumberField(label=_("Pagu perubahan (Rp)"), money=True)
    on = _date()
    reason = _reason(_("Alasan perubahan pagu"))
    legal_basis = forms.CharField(label=_("Dasar hukum perubahan pagu"), max_length=300,
                                  help_text=_("Misalnya Perda APBD Perubahan atau Perkada "
                                              "penjabarannya."))  # fmt: skip


class ActionPlanForm(forms.Form):
    """A quarter's rencana aksi on the Renja page. ``locked``: the year has an approved
    quarter, so it asks for the revision's date, reason and legal basis as the tree editor's
    form does (``add_revision_fields``); before that, an optional reason."""

    default_renderer = _REPEATED_ROWS
    target_k = IndonesianNumberField(label=_("Target K triwulan"), required=False)
    cash_plan = IndonesianNumberField(label=_("Rencana anggaran kas (Rp)"), money=True,
                                      required=False)  # fmt: skip

    def __init__(self, *args: Any, locked: bool = False, more: bool = False,
                 year: int | None = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.locked = locked
        if more:  # a further indicator: its cash plan is its item's
            del self.fields["cash_plan"]
        add_revision_fields(self, locked, year)


def revision_date_default(year: int | None) -> date:
    """The revision date a form offers: today, or — for a year whose accepted range
    (``limits.date_range``: the year ± 1) today has left — the last day of that range."""
    today = timezone.localdate()
    if year is None:
        return today
    low, high = date_range(year, year)
    return min(max(today, low), high)


def add_revision_fields(form: forms.Form, locked: bool, year: int | None = None) -> None:
    """After the year's first approval: the revision's date (offered within the dates the
    plan's ``year`` accepts), reason and legal basis; before it, an optional reason for the
    history. The Renja tree editor's forms and the Renja page's rencana aksi ask the same."""
    if locked:
        attrs = {"type": "date"}
        if year is not None:
            low, high = date_range(year, year)
            attrs |= {"min": low.isoformat(), "max": high.isoformat()}
        form.fields["revision_on"] = forms.DateField(
            label=_("Tanggal revisi"), initial=revision_date_default(year),
            widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"))  # fmt: skip
        form.fields["revision_reason"] = forms.CharField(
            label=_("Alasan revisi"), widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
        form.fields["revision_legal_basis"] = forms.CharField(
            label=_("Dasar hukum revisi"), max_length=300,
            help_text=_("Misalnya Perda APBD Perubahan atau Perkada penjabarannya."))  # fmt: skip
    else:
        form.fields["reason"] = forms.CharField(
            label=_("Alasan (dicatat di riwayat)"), required=False,
            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def revision_of(form: forms.Form) -> Revision | None:
    """The revision a valid form with ``add_revision_fields`` carries (None before approval)."""
    data = form.cleaned_data
    if "revision_on" not in form.fields or data.get("revision_on") is None:
        return None
    return Revision(data["revision_on"], data.get("revision_reason", ""),
                    data.get("revision_legal_basis", ""))  # fmt: skip


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)
    rank = forms.CharField(label=_("Pangkat/golongan"), max_length=100, required=False)
    acting = forms.ChoiceField(label=_("Status"), choices=Signatory.Acting.choices,
                               required=False)  # fmt: skip
    reason = _reason(_("Alasan (dicatat di riwayat)"), required=False)


class KopForm(forms.Form):
    """The kop surat of an agency's year. The model's validators check each field (one
    Indonesian message each); the logo is read here and checked by planning/letterhead.py."""

    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    telephone = forms.CharField(label=_("Telepon"), max_length=60, required=False)
    email = forms.CharField(label=_("Pos-el"), max_length=254, required=False)
    website = forms.CharField(label=_("Situs web"), max_length=200, required=False)
    logo = forms.FileField(label=_("Logo baru (PNG atau JPG, paling besar 2 MB)"),
                           required=False,
                           widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg"}))  # fmt: skip
    remove_logo = forms.BooleanField(label=_("Hapus logo (kop dicetak tanpa logo)"),
                                     required=False)  # fmt: skip
    reason = _reason(_("Alasan (dicatat di riwayat)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Letterhead

        super().__init__(*args, **kwargs)
        for name in ("address", "telephone", "email", "website"):
            self.fields[name].validators += Letterhead._meta.get_field(name).validators

    def clean_logo(self) -> bytes | None:
        from .letterhead import LOGO_MAX_BYTES, LogoRefused, check_logo

        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Berkas logo lebih dari %(n)s MB.")
                                        % {"n": LOGO_MAX_BYTES >> 20})  # fmt: skip
        data: bytes = upload.read()
        try:
            check_logo(data)
        except LogoRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class DateTextField(forms.DateField):
    """A date typed as 2024-01-31 (what a date input sends) or 31-01-2024; anything else is
    refused in Indonesian, naming what was typed."""

    input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                _("%(label)s «%(value)s» bukan tanggal; tulis TTTT-BB-HH, misalnya 2024-01-31."),
                code="invalid", params={"label": self.label, "value": str(value).strip()[:40]},
            ) from exc  # fmt: skip


class GoalNarrativeForm(forms.Form):
    narrative = forms.CharField(label=_("Uraian tujuan"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Dicetak di bawah tujuan ini pada BAB II laporan "
                                            "triwulan; kosong: tidak dicetak."))  # fmt: skip
    reason = _reason(_("Alasan (dicatat di riwayat)"), required=False)


class AgreementSigningForm(forms.Form):
    signed_on = DateTextField(label=_("Tanggal penandatanganan"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              help_text=_("Kosong: Perjanjian Kinerja dicetak sebagai DRAF."))  # fmt: skip
    place = forms.CharField(label=_("Tempat"), max_length=100, required=False,
                            help_text=_("Kosong: nama kabupaten/kota."))  # fmt: skip
    reason = _reason(_("Alasan (dicatat di riwayat)"), required=False)


class FindingsAppendixForm(forms.Form):
    findings_appendix = forms.BooleanField(
        label=_("Lampirkan temuan Lembar Pemeriksaan pada akhir laporan triwulan"),
        required=False,
    )  # fmt: skip
    reason = _reason(_("Alasan (dicatat di riwayat)"), required=False)
