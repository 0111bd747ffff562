"""The quarterly entry grid: every row of the form with this quarter's K, Rp and note, its
figures computed live by ``kinerja.core`` while the operator types, and one save for all."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts import rules
from kinerja.core import (
    PREDIKAT_CAPAIAN,
    Form,
    FormRow,
    InvalidNumber,
    Target,
    achievement,
    evaluate_row,
    explain_row,
    format_number,
    format_percent,
)
from kinerja.core.achievement import explain_achievement
from kinerja.core.checks import RULE_TITLES, Finding, Severity
from kinerja.core.grid import children_of, children_sum, grid_findings
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.planning.concurrency import Conflict, ConflictCell
from kinerja.planning.models import ActionPlan, Agency, WorkItem
from kinerja.planning.queries import work_item_label
from kinerja.web.fragments import cached
from kinerja.web.jinja import render_fragment, url_maker
from kinerja.web.params import parse_id

from .domain import EditRefused, check_agency_quarter_editable
from .entry import Change, EntryInvalid, Typed, parse_cell, save_quarter_entries
from .models import Evidence, Realisation, RowNote, SubmissionEvent, SubmissionStatus
from .queries import evaluation_form, evaluation_forms, submission_status

FIELD_LABELS = {"k": "K", "rp": "Rp"}


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("government"), slug=slug)


def _check_quarter(year: int, quarter: int) -> None:
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404(_("Tahun atau triwulan tidak dikenal."))  # as web.views: no such page


@login_required
@require_GET
def grid(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.is_reader_of(request.user, found):
        raise PermissionDenied
    context = grid_context(request.user, found, year=year, quarter=quarter,
                           today=timezone.localdate())  # fmt: skip
    return render(request, "monitoring/grid.html", context)


@login_required
@require_POST
def save(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    entries, reason = posted_entries(request.POST), request.POST.get("reason", "")
    drawn = posted_entries(request.POST, prefix="was-")
    today = timezone.localdate()
    take = parse_id(request.POST.get("pakai-jumlah"))
    if take is not None:  # «pakai jumlah» without script: redrawn with the Σ, nothing saved
        return take_sum(request, found, year=year, quarter=quarter, item=take,
                        entries=entries, drawn=drawn, reason=reason, today=today)  # fmt: skip
    try:
        changes = save_quarter_entries(user=request.user, agency=found, year=year,
                                       quarter=quarter, entries=entries, reason=reason,
                                       today=today, expected=drawn,
                                       units=posted_units(request.POST))  # fmt: skip
    except (EntryInvalid, EditRefused, Conflict) as exc:
        errors = exc.errors if isinstance(exc, EntryInvalid) else {}
        conflicts = {c.key: c for c in exc.cells} if isinstance(exc, Conflict) else {}
        refusal = (
            ngettext(
                "Tidak ada yang disimpan: %(n)s isian Anda telah diubah orang lain sejak "
                "halaman ini dibuka. Nilai mereka tertera di bawah isian bertanda; isian Anda "
                "tetap di formulir. Simpan lagi untuk menimpa dengan isian Anda, atau tekan Esc "
                "pada isian itu untuk memakai nilai mereka.",
                "Tidak ada yang disimpan: %(n)s isian Anda telah diubah orang lain sejak "
                "halaman ini dibuka. Nilai mereka tertera di bawah isian bertanda; isian Anda "
                "tetap di formulir. Simpan lagi untuk menimpa dengan isian Anda, atau tekan Esc "
                "pada isian itu untuk memakai nilai mereka.",
                len(conflicts),
            )
            % {"n": len(conflicts)}
            if conflicts
            else _("Tidak ada yang disimpan. %(why)s") % {"why": exc}
        )
        context = grid_context(request.user, found, year=year, quarter=quarter, today=today,
                               typed=typed_cells(entries, drawn, conflicts), errors=errors,
                               conflicts=conflicts, reason=reason, refusal=refusal)  # fmt: skip
        return render(request, "monitoring/grid.html", context, status=409 if conflicts else 400)
    if changes:
        messages.success(request, describe_changes(changes))
    else:
        messages.info(request, _("Tidak ada nilai yang berubah."))
    return redirect("monitoring:grid", agency=found.slug, year=year, quarter=quarter)


def take_sum(request: HttpRequest, agency: Agency, *, year: int, quarter: int, item: int,
             entries: dict[int, Typed], drawn: dict[int, Typed], reason: str,
             today: Any) -> HttpResponse:  # fmt: skip
    """The grid as typed, with the Σ of ``item``'s children (as typed) in its Rp, and its K
    where that sums; nothing is saved until *Simpan*."""
    pk_of: dict[str, int] = {}
    form = evaluation_form(agency, year=year, quarter=quarter, ids=pk_of)
    label = {pk: rid for rid, pk in pk_of.items()}.get(item)
    if label is None:
        raise Http404(_("Baris tidak dikenal."))
    typed: dict[int, dict[str, Any]] = {}
    for pk, texts in entries.items():
        for field, text in zip(("k", "rp"), texts, strict=False):
            try:
                typed.setdefault(pk, {})[field] = parse_cell(text, money=field == "rp")
            except InvalidNumber:
                continue
    form = with_typed(form, pk_of, typed, quarter)
    row = next(r for r in form.rows if r.id == label)
    total = children_sum(row, children_of(form.rows).get(label, []), quarter)
    k, rp, note = entries.get(item, (None, None, None))
    entries = {**entries, item: (
        format_number(total.k) if total.k is not None else k,
        format_number(total.rp) if total.rp is not None else rp, note)}  # fmt: skip
    context = grid_context(request.user, agency, year=year, quarter=quarter, today=today,
                           typed=typed_cells(entries, drawn, {}), reason=reason)  # fmt: skip
    context["taken"] = _("Jumlah rincian dipakai untuk %(row)s; belum disimpan — tekan "
                         "Simpan.") % {"row": row.code or row.name[:40]}  # fmt: skip
    return render(request, "monitoring/grid.html", context)


@login_required
@require_POST
def preview(request: HttpRequest, agency: str, year: int, quarter: int,
            item: int) -> HttpResponse:  # fmt: skip
    """The figures of the row typed in, of its parents (their Σ of children and findings)
    and the grid's summary of findings, for every value of the grid as typed (htmx,
    out-of-band swaps); the message for a malformed value beside its cell. A malformed value
    in another row counts as it was saved (its own message is already beside it)."""
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    work_item = get_object_or_404(WorkItem, agency=found, year=year, pk=item)
    pk_of: dict[str, int] = {}
    form = evaluation_form(found, year=year, quarter=quarter, ids=pk_of)
    typed: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for pk, texts in posted_entries(request.POST).items():
        for field, text in zip(("k", "rp"), texts, strict=False):
            if text is None:
                continue
            try:
                typed.setdefault(pk, {})[field] = parse_cell(text, money=field == "rp")
            except InvalidNumber as exc:
                if pk == item:
                    errors[field] = str(exc)
    for pk, (unit, _was) in posted_units(request.POST).items():
        typed.setdefault(pk, {})["k_unit"] = " ".join(unit.split()) or None
    form = with_typed(form, pk_of, typed, quarter)
    view = grid_view(form, quarter)
    label = work_item_label(work_item)
    by_id = {r.id: r for r in form.rows}
    shown = [label]
    while by_id[shown[-1]].parent is not None:  # its kegiatan and program: their Σ changed
        shown.append(by_id[shown[-1]].parent)  # type: ignore[arg-type]
    plans = dict(ActionPlan.objects.filter(work_item_id__in=[pk_of[i] for i in shown],
                                           quarter=quarter).values_list("work_item_id", "target_k"))  # fmt: skip
    rows = [
        {"pk": pk_of[i], "fig": figures(by_id[i], quarter, plans.get(pk_of[i]), view.findings.get(i, [])),
         "errors": errors if i == label else {}, "sum": view.sums.get(i), "editable": True,
         "first": i == label}
        for i in shown
    ]  # fmt: skip
    context = {"rows": rows, "s": view.summary(pk_of, by_id), "oob": True, "t": grid_texts()}
    return HttpResponse(render_fragment("monitoring/_preview.jinja", context))


def posted_entries(data: QueryDict, prefix: str = "") -> dict[int, Typed]:
    """{item id: (K, Rp, note)} from the grid's fields ``k-<id>``, ``rp-<id>``, ``note-<id>``
    (``prefix="was-"``: the values the page was drawn with); None for a field not posted."""
    ids = set()
    for key in data:
        if not key.startswith(prefix):
            continue
        field, _sep, text = key.removeprefix(prefix).partition("-")
        pk = parse_id(text)  # not int(): "k-²" is not a row (isdigit() says it is)
        if field in ("k", "rp", "note") and pk is not None:
            ids.add(pk)
    return {
        pk: (data.get(f"{prefix}k-{pk}"), data.get(f"{prefix}rp-{pk}"),
             data.get(f"{prefix}note-{pk}"))
        for pk in sorted(ids)
    }  # fmt: skip


def posted_units(data: QueryDict) -> dict[int, tuple[str, str | None]]:
    """{item id: (unit typed, unit drawn or None)} from the grid's ``unit-<id>`` fields (only
    rows whose quarter has a written unit have one)."""
    out = {}
    for key in data:
        field, _sep, text = key.partition("-")
        pk = parse_id(text)
        if field == "unit" and pk is not None:
            out[pk] = (data.get(key, ""), data.get(f"was-unit-{pk}"))
    return out


def typed_cells(
    entries: dict[int, Typed], drawn: dict[int, Typed], conflicts: dict[Any, ConflictCell]
) -> dict[tuple[int, str], tuple[str, str | None]]:
    """The cells a refused save redraws as typed: {(item id, field): (typed, drawn)} for each
    cell the user changed. Every other cell is redrawn from the database, so a re-save never
    writes back a value someone else has changed meanwhile. A conflicting cell's drawn value
    becomes theirs (None: as saved now), so saving again overwrites them knowingly."""
    out: dict[tuple[int, str], tuple[str, str | None]] = {}
    for pk, texts in entries.items():
        was = drawn.get(pk, (None, None, None))
        for field, text, before in zip(("k", "rp", "note"), texts, was, strict=True):
            if text is None or (before is not None and text.strip() == before.strip()):
                continue
            out[(pk, field)] = (text, None if (pk, field) in conflicts else before)
    return out


def describe_changes(changes: list[Change]) -> str:
    parts = []
    for c in changes:
        where = c.item.code or c.item.name[:40]
        if c.field == "note":
            parts.append(_("%(row)s catatan") % {"row": where})
        elif c.field == "unit":
            parts.append(_("%(row)s satuan «%(old)s» → «%(new)s»")
                         % {"row": where, "old": c.old or "-", "new": c.new or "-"})  # fmt: skip
        else:
            parts.append(f"{where} {FIELD_LABELS[c.field]} {format_number(c.old)} → "
                         f"{format_number(c.new)}")  # fmt: skip
    count = len(changes)
    return ngettext("%(n)s nilai diubah: %(list)s", "%(n)s nilai diubah: %(list)s", count) % {
        "n": count,
        "list": "; ".join(parts),
    }


def figures(row: FormRow, quarter: int, plan_k: Decimal | None,
            findings: list[Finding]) -> dict[str, Any]:  # fmt: skip
    """What the grid shows beside a row, every figure from the core: capaian of the year
    (column 14 K and Rp), of the quarter against the rencana aksi target, the predikat, and
    the row's findings the grid shows (``core.grid.grid_findings``)."""
    result = evaluate_row(row, quarter)
    why = explain_row(result, keys=("col14.k", "col14.rp"))
    actual = row.quarters[quarter - 1].k
    target = Target(plan_k) if plan_k is not None else None
    in_quarter = achievement(target=target, actual=actual, polarity=row.polarity)
    return {
        "year": format_percent(result.col14_k),
        "why_year": why["col14.k"],
        "rp": format_percent(result.col14_rp),
        "why_rp": why["col14.rp"],
        "quarter": format_percent(in_quarter),
        "why_quarter": (
            explain_achievement(
                target=target, actual=actual, polarity=row.polarity, name=_("capaian triwulan")
            )  # fmt: skip
            if target is not None
            else _("Tidak ada target rencana aksi untuk triwulan ini.")
        ),
        "predikat": PREDIKAT_CAPAIAN.label(result.col14_k) or "-",
        "warnings": [
            {"message": f.message, "error": f.severity == Severity.ERROR} for f in findings
        ],  # fmt: skip
    }


@dataclasses.dataclass(frozen=True)
class GridView:
    """The checks of a quarter's grid: each row's findings (row id → findings) and each
    parent's Σ of children as shown (row id → {"k", "rp", "shown", "differs"})."""

    findings: dict[str, list[Finding]]
    sums: dict[str, dict[str, Any]]

    def summary(self, pk_of: dict[str, int], by_id: dict[str, FormRow]) -> dict[str, Any]:
        """The counts of errors and warnings and one link per finding, in row order."""
        items = [
            {"pk": pk_of[rid], "code": by_id[rid].code or by_id[rid].name[:40],
             "title": RULE_TITLES.get(f.rule, f.rule), "message": f.message,
             "error": f.severity == Severity.ERROR}
            for rid, found in self.findings.items() for f in found
        ]  # fmt: skip
        errors = sum(1 for i in items if i["error"])
        return {
            "findings": items, "errors": errors, "warnings": len(items) - errors,
            "text": (_("Pemeriksaan: %(e)s galat, %(w)s peringatan.")
                     % {"e": format_number(Decimal(errors)),
                        "w": format_number(Decimal(len(items) - errors))}
                     if items else _("Pemeriksaan: tidak ada temuan pada triwulan ini.")),
        }  # fmt: skip


def grid_view(form: Form, quarter: int) -> GridView:
    """Findings and Σ of children of every row, from ``kinerja.core.grid``."""
    results = [evaluate_row(r, quarter) for r in form.rows]
    findings = grid_findings(form, results, quarter=quarter)
    sums: dict[str, dict[str, Any]] = {}
    children = children_of(form.rows)
    for row in form.rows:
        kids = children.get(row.id)
        if not kids:
            continue
        total, own = children_sum(row, kids, quarter), row.quarters[quarter - 1]
        if total.k is None and total.rp is None:
            continue
        differs = (total.rp is not None and total.rp != own.rp) or (
            total.k is not None and total.k != own.k)  # fmt: skip
        parts = ([f"K {format_number(total.k)}"] if total.k is not None else []) + (
            [f"Rp {format_number(total.rp)}"] if total.rp is not None else [])  # fmt: skip
        sums[row.id] = {"k": format_number(total.k, missing=""),
                        "rp": format_number(total.rp, missing=""),
                        "shown": " · ".join(parts), "differs": differs}  # fmt: skip
    return GridView(findings, sums)


def with_typed(form: Form, pk_of: dict[str, int], typed: dict[int, dict[str, Any]],
               quarter: int) -> Form:  # fmt: skip
    """``form`` with this quarter's K, Rp and K unit as typed ({item id: {"k"|"rp"|"k_unit":
    value}})."""
    rows = []
    for row in form.rows:
        values = typed.get(pk_of.get(row.id, -1))
        if values:
            quarters = list(row.quarters)
            quarters[quarter - 1] = dataclasses.replace(quarters[quarter - 1], **values)
            row = dataclasses.replace(row, quarters=tuple(quarters))
        rows.append(row)
    return dataclasses.replace(form, rows=tuple(rows))


def grid_texts() -> SimpleNamespace:
    """The labels of the grid's Jinja2 fragments, translated here (kinerja/web/jinja.py)."""
    return SimpleNamespace(
        history=_("riwayat"), evidence=_("bukti"), why=_("mengapa?"), rp=_("Rp"),
        history_title=_("Riwayat perubahan"), sum=_("Σ rincian"),
        use_sum=_("pakai jumlah"), use_sum_label=_("Pakai jumlah rincian untuk %(code)s"),
        sum_same=_("sama dengan isian"), no_findings=_("Tidak ada temuan."),
        notes=_("Catatan verifikator"), by=_("oleh"), reply=_("Jawaban"),
        reply_label=_("Jawaban untuk catatan ini"), send_reply=_("Kirim jawaban"),
        mark_done=_("Tandai selesai"), reopen=_("Buka lagi"), done=_("Selesai"),
        open=_("Belum selesai"), error=_("Galat"), warning=_("Peringatan"),
        unit=_("satuan"), unit_label=_("Satuan realisasi K TW %(q)s %(code)s"),
        unit_help=_("kosongkan untuk satuan target"),
        more=_("Indikator tambahan"), more_rp=_("Rp pada baris itemnya"),
    )  # fmt: skip


def latest_return(agency: Agency, *, year: int, quarter: int) -> SubmissionEvent | None:
    """The latest event that returned the quarter to the operator (its reason, who, when)."""
    return (
        SubmissionEvent.objects.filter(submission__agency=agency, submission__year=year,
                                       submission__quarter=quarter,
                                       to_status=SubmissionStatus.RETURNED)
        .select_related("actor").order_by("-at", "-pk").first()
    )  # fmt: skip


SUMMARY_MARK = "<!--grid-summary-->"


def grid_context(
    user: Any,
    agency: Agency,
    *,
    year: int,
    quarter: int,
    today: Any,
    typed: dict[tuple[int, str], tuple[str, str | None]] | None = None,
    errors: dict[tuple[int, str], str] | None = None,
    conflicts: dict[Any, ConflictCell] | None = None,
    reason: str = "",
    refusal: str = "",
) -> dict[str, Any]:
    """The grid page: its state and the rows. The rows as saved are kept as a fragment until
    the data changes (``kinerja.web.fragments``); rows as typed (a refused save) never are."""
    typed, errors, conflicts = typed or {}, errors or {}, conflicts or {}
    status = submission_status(agency, year=year, quarter=quarter)
    editable, locked = False, ""
    if rules.can_edit_agency_data(user, agency):
        try:
            check_agency_quarter_editable(user=user, agency=agency, year=year, quarter=quarter,
                                          reason="-", today=today, status=status)  # fmt: skip
            editable = True
        except EditRefused as exc:
            locked = str(exc)
    may = {"reply": rules.can_reply_note(user, agency),
           "settle": rules.can_settle_note(user, agency)}  # fmt: skip

    def render() -> str:
        return grid_rows(agency, year=year, quarter=quarter, editable=editable, typed=typed,
                         errors=errors, conflicts=conflicts, may=may)  # fmt: skip

    if typed or errors or conflicts:
        both = mark_safe(render())  # noqa: S308 - escaped by Jinja2
    else:
        both = cached(("grid", agency.pk, year, quarter, editable, may["reply"],
                       may["settle"]), render)  # fmt: skip
    rows_html, _sep, summary_html = both.partition(SUMMARY_MARK)
    editable = editable and bool(rows_html.strip())  # nothing to save in an empty Renja
    returned = (latest_return(agency, year=year, quarter=quarter)
                if status == SubmissionStatus.RETURNED else None)  # fmt: skip
    open_notes = list(
        RowNote.objects.filter(work_item__agency=agency, year=year, quarter=quarter,
                               done_at__isnull=True)
        .order_by("work_item__position").values_list("work_item_id", "work_item__code")
        .distinct()
    )  # fmt: skip
    return {
        "agency": agency, "year": str(year), "year_number": year, "quarter": quarter,
        "quarter_roman": ROMAN[quarter - 1], "before_roman": ROMAN[: quarter - 1],
        "status": status, "editable": editable, "locked": locked,
        "needs_reason": editable and status == SubmissionStatus.RETURNED, "reason": reason,
        "refusal": refusal, "error_count": len(errors), "rows_html": mark_safe(rows_html),  # noqa: S308
        "summary_html": mark_safe(summary_html), "returned": returned,  # noqa: S308
        "may_notes": may["reply"] or may["settle"],
        "open_notes": [{"pk": pk, "code": code or pk} for pk, code in open_notes],
    }  # fmt: skip


def grid_rows(
    agency: Agency,
    *,
    year: int,
    quarter: int,
    editable: bool,
    typed: dict[tuple[int, str], tuple[str, str | None]],
    errors: dict[tuple[int, str], str],
    conflicts: dict[Any, ConflictCell] | None = None,
    may: dict[str, bool] | None = None,
) -> str:
    """The grid's rows in the form's order, as HTML, then ``SUMMARY_MARK`` and the summary of
    findings; a constant number of queries for any size. Each cell carries the value it was
    drawn with (``was-k-<id>`` …, hidden) so a save writes only what the user changed
    (``entry.save_quarter_entries``). ``typed``: cells a refused save redraws as the user
    typed them, {(id, field): (typed, drawn or None)}. ``may``: whether the reader answers
    notes ("reply", the operator) or marks them done ("settle", the verifikator)."""
    conflicts, may = conflicts or {}, may or {}
    pk_of: dict[str, int] = {}
    frozen: dict[int, Any] = {}
    form = evaluation_forms([agency.pk], year=year, quarter=quarter, ids=pk_of,
                            frozen_inputs=frozen).get(agency.pk) or Form(
        year=year, quarter=quarter, rows=())  # fmt: skip
    item_ids = list(pk_of.values())  # filtering by id spares the ORM two joins per query
    plans = dict(
        ActionPlan.objects.filter(work_item_id__in=item_ids, quarter=quarter).values_list(
            "work_item_id", "target_k"
        )
    )
    saved = {
        wid: (pk, note)
        for wid, pk, note in Realisation.objects.filter(
            work_item_id__in=item_ids, quarter=quarter
        ).values_list("work_item_id", "pk", "note")
    }
    evidence_count = dict(
        Evidence.objects.filter(realisation__work_item_id__in=item_ids,
                                realisation__quarter=quarter)
        .values("realisation__work_item_id").annotate(n=Count("pk"))
        .values_list("realisation__work_item_id", "n")
    )  # fmt: skip
    notes: dict[int, list[RowNote]] = {}
    for n in RowNote.objects.filter(work_item_id__in=item_ids, year=year, quarter=quarter
                                    ).select_related("author", "replied_by", "done_by"):  # fmt: skip
        notes.setdefault(n.work_item_id, []).append(n)
    if agency.pk in frozen:  # approved: its rencana aksi and notes as approved, like its figures
        items = frozen[agency.pk].items
        plans = {i.key: i.quarters[quarter - 1].plan_k for i in items}
        saved = {i.key: (saved.get(i.key, (None, ""))[0], i.quarters[quarter - 1].note)
                 for i in items}  # fmt: skip
    view = grid_view(form, quarter)
    by_id = {r.id: r for r in form.rows}
    rows = []
    label = {
        "k": _("Realisasi K TW %(q)s %(code)s"),
        "rp": _("Realisasi Rp TW %(q)s %(code)s"),
        "note": _("Catatan TW %(q)s %(code)s"),
    }
    t = grid_texts()
    roman = ROMAN[quarter - 1]
    for fr in form.rows:
        pk = pk_of[fr.id]
        pair = fr.quarters[quarter - 1]
        realisation_pk, note = saved.get(pk, (None, ""))
        initial_k, initial_rp = (
            format_number(pair.k, missing=""),
            format_number(pair.rp, missing=""),
        )
        saved_texts = {"k": initial_k, "rp": initial_rp, "note": note}
        shown, was = {}, {}
        for f, now in saved_texts.items():
            text, before = typed.get((pk, f), (now, now))
            shown[f], was[f] = text, now if before is None else before
        target = fr.year_target
        code = fr.code or ""
        more = fr.continues is not None  # a further indicator: K only, its Rp is the item's
        names = {"q": roman, "code": f"{code} ({fr.indicator})" if more else code}
        rows.append(SimpleNamespace(**{
            "pk": pk, "code": code, "name": fr.name, "level": fr.level.value, "more": more,
            "indicator": fr.indicator or "", "unit": fr.unit or "",
            "target_k": format_number(target.k) + (
                f"–{format_number(target.k_upper)}" if target.k_upper is not None else ""),
            "pagu": format_number(target.rp),
            "plan_k": format_number(plans.get(pk)),
            "before": [(ROMAN[i], format_number(p.k), format_number(p.rp))
                       for i, p in enumerate(fr.quarters[: quarter - 1])],
            "k": shown["k"], "rp": shown["rp"], "note": shown["note"],
            "initial_k": was["k"], "initial_rp": was["rp"], "initial_note": was["note"],
            "saved_k": initial_k or "-", "saved_rp": initial_rp or "-",
            "label_k": label["k"] % names, "label_rp": label["rp"] % names,
            "label_note": label["note"] % names,
            "k_unit": pair.k_unit or "", "target_unit": target.k_unit or fr.unit or "",
            "label_unit": t.unit_label % names,
            "realisation_pk": realisation_pk, "evidence_count": evidence_count.get(pk, 0),
            "fig": figures(fr, quarter, plans.get(pk), view.findings.get(fr.id, [])),
            "sum": view.sums.get(fr.id), "editable": editable,
            "use_sum_label": t.use_sum_label % {"code": code or fr.name[:40]},
            "notes": [_note(n) for n in notes.get(pk, [])],
            "errors": {f: errors[(pk, f)] for f in ("k", "rp") if (pk, f) in errors},
            "conflicts": {f: conflicts[(pk, f)].message for f in ("k", "rp", "note")
                          if (pk, f) in conflicts},
        }))  # fmt: skip
    url = {"agency": agency.slug, "year": year, "quarter": quarter}
    rows_html = render_fragment("monitoring/grid_rows.jinja", {
        "rows": rows, "editable": editable, "may": may, "t": t,
        "columns": 10 + 2 * (quarter - 1),
        "preview_url": url_maker("monitoring:preview", **url),
        "evidence_url": url_maker("texts:evidence", **url),
        "history_url": url_maker("web:history", item="pk", agency=agency.slug,
                                 kind="realisasi"),
        "reply_url": url_maker("monitoring:note_reply", item="note", **url),
        "done_url": url_maker("monitoring:note_done", item="note", **url),
    })  # fmt: skip
    summary_html = render_fragment("monitoring/_grid_summary.jinja", {
        "s": view.summary(pk_of, by_id), "t": t, "oob": False})  # fmt: skip
    return rows_html + SUMMARY_MARK + summary_html


def _note(n: RowNote) -> dict[str, Any]:
    def who(user: Any) -> str:
        return (user.get_full_name() or user.username) if user else _("sistem")

    def when(at: Any) -> str:
        return date_format(timezone.localtime(at), "j F Y H.i") if at else ""

    return {"pk": n.pk, "text": n.text, "author": who(n.author), "at": when(n.created_at),
            "reply": n.reply, "replied_by": who(n.replied_by) if n.reply else "",
            "replied_at": when(n.replied_at), "done": n.done_at is not None,
            "done_by": who(n.done_by) if n.done_at else "", "done_at": when(n.done_at)}  # fmt: skip
