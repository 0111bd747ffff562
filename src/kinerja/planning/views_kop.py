"""The screen *Kop dan penanda tangan* of an agency's year: the kop surat (address, contacts,
logo) the operator edits, and the PK's signatories with a link to edit each on the PK page.
Readers of the agency (verifikator, evaluator, pimpinan, admin pemda) see it; only its
operator saves (the predicates of the signatory screen)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kinerja.accounts import rules

from . import domain
from .concurrency import Conflict
from .forms import FindingsAppendixForm, KopForm
from .letterhead import KOP_FIELDS, letterhead_of, read_logo, set_letterhead
from .models import Agency, Letterhead, Signatory
from .views import _agency, _check_year, _drawn, _refuse
from .views import _expected as _expected_of

DRAWN = (*KOP_FIELDS, "logo")


def _expected(data: Any) -> dict[str, str] | None:
    """The values the page was drawn with (hidden ``was-<field>``); None from a script."""
    out = {n: data[f"was-{n}"].strip() for n in DRAWN if data.get(f"was-{n}") is not None}
    return out or None


def _kop_page(request: HttpRequest, agency: Agency, year: int, form: KopForm | None = None,
              appendix: FindingsAppendixForm | None = None) -> HttpResponse:  # fmt: skip
    row = letterhead_of(agency, year)
    editable = rules.can_edit_plan(request.user, agency)
    if form is None and editable:
        form = KopForm(initial={f: getattr(row, f) if row else "" for f in KOP_FIELDS})
    if form is not None:
        form.drawn = ({n: form.data.get(f"was-{n}", "") for n in DRAWN} if form.is_bound
                      else {n: getattr(row, n) if row else "" for n in DRAWN})  # fmt: skip
    signatories = sorted(
        Signatory.objects.filter(agreement__agency=agency, agreement__year=year).select_related(
            "agreement"
        ),
        key=lambda s: s.party != Signatory.Party.FIRST,
    )
    if appendix is None and editable:
        appendix = FindingsAppendixForm(auto_id="lampiran-%s",
                                        initial={"findings_appendix": agency.findings_appendix})  # fmt: skip
    conflict = getattr(form, "conflict", False) or getattr(appendix, "conflict", False)
    status = 409 if conflict else 200
    return render(request, "planning/kop.html", {
        "agency": agency, "year": str(year), "letterhead": row, "form": form,
        "appendix_form": _drawn(appendix),
        "editable": editable, "signatories": signatories,
        "agreement": signatories[0].agreement if signatories else None,
        "logo_version": row.logo[4:16] if row and row.logo else ""}, status=status)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def kop(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    _check_year(year)
    found = _agency(agency, request.user, write=request.method == "POST")
    if request.method != "POST":
        return _kop_page(request, found, year)
    form = KopForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            set_letterhead(
                user=request.user, agency=found, year=year,
                **{f: data[f] for f in KOP_FIELDS}, logo=data["logo"],
                remove_logo=data["remove_logo"], reason=data["reason"],
                expected=_expected(request.POST),
            )  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
            if data["logo"] is not None:
                form.add_error("logo", _("Berkas logo belum disimpan; pilih berkasnya lagi."))
        except domain.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kop surat disimpan."))
            return redirect("planning:kop", agency=found.slug, year=year)
    messages.error(request, _("Kop surat belum disimpan; periksa isian di bawah."))
    return _kop_page(request, found, year, form)


@login_required
@require_GET
def kop_logo(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The kop's current logo, for the readers of the agency (never from a public folder)."""
    _check_year(year)
    found = _agency(agency, request.user)
    row: Letterhead | None = letterhead_of(found, year)
    data = read_logo(row.logo) if row is not None else None
    if row is None or data is None:
        raise Http404(_("Logo tidak ada."))
    response = HttpResponse(data, content_type="image/png" if row.logo.endswith(".png")
                            else "image/jpeg")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"  # the URL names the logo's hash
    return response


@login_required
@require_POST
def findings_appendix(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The operator opts the agency in (or out) of the appendix *Lampiran: Temuan
    Pemeriksaan* at the end of its quarterly reports."""
    _check_year(year)
    found = _agency(agency, request.user, write=True)
    form = FindingsAppendixForm(request.POST, auto_id="lampiran-%s")
    if form.is_valid():
        try:
            domain.set_findings_appendix(
                user=request.user, agency=found, enabled=form.cleaned_data["findings_appendix"],
                reason=form.cleaned_data["reason"], expected=_expected_of(form),
            )  # fmt: skip
        except Conflict as exc:
            _refuse(form, exc)
        except domain.RevisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pilihan lampiran temuan pemeriksaan disimpan."))
            return redirect(reverse("planning:kop", args=[found.slug, year]) + "#lampiran-temuan")
    messages.error(request, _("Pilihan lampiran temuan belum disimpan; periksa isian di bawah."))
    return _kop_page(request, found, year, appendix=form)
