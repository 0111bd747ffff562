"""*Periksa formulir*: upload an agency's filled evaluation form (XLSX) and read the same audit
as `kinerja check` — printed figures against the core's recomputation, every finding by cell.

Any logged-in user may use it (it reads nothing from the database). The file is never kept:
Django holds a small upload in memory and a large one in a temporary file that is deleted when
the upload is closed, which this view does before it answers; nothing goes to the storage.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.audit import AUDIT_RULES, ReadError, audit_workbook
from kinerja.audit.reader import MAX_BYTES
from kinerja.core.numbers import format_number

from .params import parse_int

SEVERITY = {"error": "kesalahan", "warning": "peringatan", "info": "info"}


@login_required
@require_http_methods(["GET", "POST"])
def check_form(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"max_mb": MAX_BYTES // 1024 // 1024, "quarters": (1, 2, 3, 4)}
    if request.method != "POST":
        return render(request, "web/formcheck.html", context)
    length = parse_int(request.META.get("CONTENT_LENGTH"), low=0, high=10**12) or 0
    if length > MAX_BYTES + 64 * 1024:
        context["error"] = _("Berkas lebih dari %(mb)s MB.") % {"mb": context["max_mb"]}
        return render(request, "web/formcheck.html", context, status=400)
    upload = request.FILES.get("berkas")
    sheet = (request.POST.get("lembar") or "").strip()[:100] or None
    quarter = parse_int(request.POST.get("triwulan"), low=1, high=4)
    context.update(sheet=sheet or "", quarter=quarter)
    if upload is None:
        context["error"] = _("Pilih berkas formulir (.xlsx).")
        return render(request, "web/formcheck.html", context, status=400)
    context["filename"] = upload.name
    if upload.size is not None and upload.size > MAX_BYTES:
        upload.close()
        context["error"] = _("Berkas lebih dari %(mb)s MB.") % {"mb": context["max_mb"]}
        return render(request, "web/formcheck.html", context, status=400)
    try:
        audit = audit_workbook(upload.read(), sheet=sheet, quarter=quarter)
    except ReadError as exc:
        context["error"] = _("Berkas tidak dapat diperiksa: %(reason)s.") % {"reason": exc}
        return render(request, "web/formcheck.html", context, status=400)
    finally:
        upload.close()
    context["audit"] = audit
    context["footer"] = [
        _footer(_("K"), audit.footer.printed_k, audit.footer.computed_k, audit.footer.rule_k,
                audit.footer.basis_k, audit.footer.cell_k),
        _footer(_("Rp"), audit.footer.printed_rp, audit.footer.computed_rp, audit.footer.rule_rp,
                audit.footer.basis_rp, audit.footer.cell_rp),
    ]  # fmt: skip
    context["findings"] = [
        {
            "severity": f.severity,
            "severity_label": _(SEVERITY[f.severity]),
            "rule": f.rule,
            "title": AUDIT_RULES[f.rule][1] or f.rule,
            "row": f.row or "",
            "cell": f.cell or "",
            "printed": format_number(f.printed, None, missing=""),
            "computed": format_number(f.computed, 2 if _is_share(f.computed) else None, missing=""),
            "message": f.message,
        }
        for f in audit.findings
    ]
    context["counts"] = {s: sum(1 for f in audit.findings if f.severity == s) for s in SEVERITY}
    return render(request, "web/formcheck.html", context)


def _is_share(value: Any) -> bool:
    """A computed percentage with many decimals is shown with two; an amount as it is."""
    return value is not None and value != value.to_integral_value() and abs(value) < 10**6


def _footer(what: str, printed: Any, computed: Any, rule: str | None, basis: str | None,
            cell: str | None) -> dict[str, str]:  # fmt: skip
    if rule:
        how = (_("dihasilkan aturan %(rule)s dari angka tercetak") if basis == "printed"
               else _("dihasilkan aturan %(rule)s dari angka yang dihitung ulang")) % {"rule": rule}  # fmt: skip
    elif printed is not None:
        how = _("tidak dihasilkan aturan mana pun")
    else:
        how = _("rata-rata tercetak tidak ditemukan")
    return {
        "what": what,
        "printed": format_number(printed, None, missing="-"),
        "computed": format_number(computed, 2),
        "how": how,
        "cell": cell or "",
    }
