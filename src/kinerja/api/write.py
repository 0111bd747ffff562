"""The write side of the API (docs/api-write.md): each route calls the same domain function
as the screen that makes the change, under the same predicate (accounts/rules.py), so the
rules are one: the quarter's state and period, one bound per number, history naming the
token's user with the reason.

Optimistic concurrency per row (docs/api.md, "Versions"): a row names the ``version`` it was
read with (a batch: per row; a single row: ``If-Match``). Inside one transaction the rows are
locked, their versions compared, and only then is the domain function called — with the
values the version stands for as the values "drawn", so the domain's own no-lost-update check
holds too. A row whose version is stale is refused (412) unless what it sends is already
stored (a retry). A batch is all or nothing; rows not sent are never touched.

Refusals: 403 the predicate says no; 409 ``refused`` the domain refuses in the record's
state (an approved quarter, a closed period, a transition not allowed now); 412 ``stale``;
422 ``invalid_input`` a value the domain refuses (its bound, its decimals, a text too long),
with the row's place in ``details``; 428 ``precondition_required`` a single-row write
without ``If-Match``."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Path, Status

from kinerja.accounts import rules
from kinerja.core.numbers import InvalidNumber, parse_number, strip_zeros, to_plain
from kinerja.monitoring import workflow
from kinerja.monitoring.domain import (
    EditRefused,
    check_agency_quarter_editable,
    record_indicator_realisation,
    save_narratives,
)
from kinerja.monitoring.entry import EMPTY, EntryInvalid, parse_entries, save_quarter_entries
from kinerja.monitoring.models import IndicatorRealisation, Narrative, Realisation
from kinerja.planning import renja_edit
from kinerja.planning.concurrency import Conflict
from kinerja.planning.domain import RevisionRefused, revise_budget, revise_target
from kinerja.planning.items import Revision
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    Indicator,
    IndicatorTarget,
    Objective,
    OrgUnit,
    WorkItem,
)

from . import read
from . import write_schemas as w
from .errors import ApiError, ErrorOut, forbidden, not_found
from .read import Quarter, Slug, Year, readable_agency
from .versions import (
    INDICATOR_REALISATION_FIELDS,
    REALISATION_FIELDS,
    etag,
    row_version,
    version_of,
)

# the read side's router: a path that is both read and written (…/realisations: GET and POST)
# must be one route, which Django can only match once
router = read.router
TAGS = ["tulis"]

WRITE_REFUSALS: dict[int, Any] = {**read.REFUSALS, 409: ErrorOut, 412: ErrorOut}
ItemId = Path(..., ge=1, le=2**62)
ActionPath = Path(..., description="submit, return, verify, approve atau reopen")
PLAIN = re.compile(r"^-?[0-9]{1,30}(\.[0-9]{1,30})?$")  # the parser then says what is wrong
WORK_ITEM_FIELDS = ("code", "name", "indicator", "unit", "decimals", "target_k",
                    "target_k_upper", "budget_original", "budget_revised", "objective_id",
                    "polarity", "aggregation", "responsible_unit_id")  # fmt: skip
TARGET_FIELDS = ("original", "original_upper", "revised", "revised_upper", "revised_on",
                 "revision_reason", "legal_basis")  # fmt: skip
NARRATIVE_FIELDS = ("text",)


def answers(ok: Any, *extra: int) -> dict[int, Any]:
    out = {200: ok, **WRITE_REFUSALS}
    for status in extra:
        out[status] = ErrorOut
    return out


# ---- shared steps -----------------------------------------------------------------------


def writable_agency(request: HttpRequest, slug: str, allowed: Callable[[Any, Agency], bool],
                    message: str) -> Agency:  # fmt: skip
    """The agency of ``slug`` if the caller may make this change: 404 unknown, 403 when it
    is not a reader or the screen's predicate says no."""
    agency = readable_agency(request, slug)
    if not allowed(request.user, agency):
        raise forbidden(message)
    return agency


def invalid(details: list[dict[str, Any]], message: str | None = None) -> ApiError:
    return ApiError(422, "invalid_input",
                    message or _("Isian permintaan tidak sah; lihat «details»."), details)  # fmt: skip


def refused(exc: Exception) -> ApiError:
    return ApiError(409, "refused", str(exc))


def stale(rows: list[dict[str, Any]]) -> ApiError:
    return ApiError(
        412, "stale",
        _("%(n)s baris telah diubah orang lain sejak versi yang Anda kirim; tidak ada yang "
          "disimpan. Baca nilai dan versinya sekarang di «details», lalu kirim lagi.")
        % {"n": len(rows)}, {"rows": rows},
    )  # fmt: skip


def if_match(header: str | None) -> str:
    """The version of an ``If-Match`` header (``"v"``, ``W/"v"`` or ``v``); 428 without."""
    if header is None or not header.strip():
        raise ApiError(428, "precondition_required",
                       _("Kirim «If-Match: \"<versi>\"» dengan versi baris yang Anda baca "
                         "(ETag jawaban GET-nya)."))  # fmt: skip
    value = header.strip().split(",")[0].strip()
    return value.removeprefix("W/").strip('"')


def typed(plain: str | None) -> str:
    """A figure in the API's plain notation as the grid types it (the one parser reads
    ``1905955200`` and ``89,95``); "" for null (an emptied cell)."""
    return "" if plain is None else plain.replace(".", ",")


def figure(plain: str | None, loc: list[Any], *, money: bool = False,
           negative: bool = True) -> Decimal | None:  # fmt: skip
    """A plain-notation figure read by the one parser (its bound, its decimals); 422 at
    ``loc`` otherwise."""
    if plain is None:
        return None
    if not PLAIN.match(plain.strip()):
        raise invalid([{"loc": loc, "type": "number_format",
                        "message": _("harus angka dalam notasi biasa, titik sebagai tanda "
                                     "desimal (mis. \"1905955200\" atau \"89.95\")")}])  # fmt: skip
    try:
        return parse_number(typed(plain.strip()), money=money, negative=negative)
    except InvalidNumber as exc:
        raise invalid([{"loc": loc, "type": "number_bound", "message": str(exc)}]) from None


def _check_plain(plain: str | None, loc: list[Any], problems: list[dict[str, Any]]) -> None:
    if plain is not None and not PLAIN.match(plain.strip()):
        problems.append({"loc": loc, "type": "number_format",
                         "message": _("harus angka dalam notasi biasa, titik sebagai tanda "
                                      "desimal (mis. \"1905955200\" atau \"89.95\")")})  # fmt: skip


def _sent(row: Any, field: str) -> bool:
    return field in row.model_fields_set


def _today() -> Any:
    return timezone.localdate()


# ---- realisations of a quarter ------------------------------------------------------------

_REAL_FIELD = {"k": "value_k", "rp": "value_rp", "note": "note"}


def _drawn(row: Realisation | None) -> tuple[str, str, str]:
    """A stored realisation as the grid's ``was-`` fields would post it."""
    if row is None:
        return ("", "", "")
    return (typed(to_plain(strip_zeros(row.value_k))), typed(to_plain(strip_zeros(row.value_rp))),
            row.note)  # fmt: skip


def save_realisations(request: HttpRequest, agency: Agency, *, year: int, quarter: int,
                      rows: list[Any], versions: list[str], reason: str,
                      single: bool = False) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """The grid's save (``entry.save_quarter_entries``) for the rows sent, each against its
    version; returns the number of changed values and the rows as stored."""
    problems: list[dict[str, Any]] = []
    where = (lambda i: ["body"]) if single else (lambda i: ["body", "rows", i])  # noqa: E731
    entries: dict[int, tuple[str | None, str | None, str | None]] = {}
    place: dict[int, int] = {}
    for i, (pk, row) in enumerate(rows):
        if pk in entries:
            problems.append({"loc": [*where(i), "work_item_id"], "type": "duplicate",
                             "message": _("baris ini dikirim dua kali")})  # fmt: skip
            continue
        for field in ("value_k", "value_rp"):
            _check_plain(getattr(row, field), [*where(i), field], problems)
        entries[pk] = tuple(  # type: ignore[assignment]
            (typed(getattr(row, f)) if f != "note" else (row.note or "")) if _sent(row, f) else None
            for f in ("value_k", "value_rp", "note")
        )
        place[pk] = i
    if problems:
        raise invalid(problems)
    try:
        parsed = parse_entries(entries)
    except EntryInvalid as exc:
        raise invalid([{"loc": [*where(place[pk]), _REAL_FIELD[f]], "type": "number",
                        "message": m} for (pk, f), m in exc.errors.items()]) from None  # fmt: skip
    items = {i.pk: i for i in WorkItem.objects.filter(agency=agency, year=year, pk__in=entries)}
    unknown = [pk for pk in entries if pk not in items]
    if unknown and single:
        raise not_found(_("Baris Renja ini tidak ada pada perangkat daerah dan tahun itu."))
    if unknown:
        raise invalid([{"loc": [*where(place[pk]), "work_item_id"], "type": "unknown",
                        "message": _("bukan baris Renja %(agency)s tahun %(year)s")
                        % {"agency": agency, "year": year}} for pk in unknown])  # fmt: skip
    today = _today()
    with transaction.atomic():
        try:  # the quarter's state first (it locks the quarter): approved → 409 whatever else
            check_agency_quarter_editable(user=request.user, agency=agency, year=year,
                                          quarter=quarter, reason=reason, today=today)  # fmt: skip
        except EditRefused as exc:
            raise refused(exc) from None
        stored = {r.work_item_id: r for r in Realisation.objects.select_for_update().filter(
            work_item__in=list(items), quarter=quarter)}  # fmt: skip
        late = []
        for (pk, _row), version in zip(rows, versions, strict=True):
            current = stored.get(pk)
            if row_version(current, REALISATION_FIELDS) == version:
                continue
            now = {f: getattr(current, m) if current else EMPTY[f] for f, m in _REAL_FIELD.items()}
            if any(now[f] != v for f, v in parsed[pk].items()):
                late.append(pk)
        if late:
            raise stale([_realisation_out(items[pk], stored.get(pk), quarter) for pk in late])
        try:
            changes = save_quarter_entries(
                user=request.user, agency=agency, year=year, quarter=quarter, entries=entries,
                reason=reason, today=today,
                expected={pk: _drawn(stored.get(pk)) for pk in entries},
            )  # fmt: skip
        except Conflict as exc:  # someone else's first entry of a cell at the same moment
            keys = list(dict.fromkeys(c.key[0] for c in exc.cells))
            now = {r.work_item_id: r for r in Realisation.objects.filter(
                work_item__in=keys, quarter=quarter)}  # fmt: skip
            raise stale([_realisation_out(items[pk], now.get(pk), quarter)
                         for pk in keys]) from None  # fmt: skip
        except EditRefused as exc:  # a value of a row: a note too long, a negative K, …
            raise invalid([{"loc": ["body"] if single else ["body", "rows"], "type": "refused",
                            "message": str(exc)}], str(exc)) from None  # fmt: skip
    now = {r.work_item_id: r for r in Realisation.objects.filter(work_item__in=list(items),
                                                                 quarter=quarter)}  # fmt: skip
    return len(changes), [_realisation_out(items[pk], now.get(pk), quarter) for pk in entries]


def _realisation_out(item: WorkItem, row: Realisation | None, quarter: int) -> dict[str, Any]:
    return read._realisation(item, row, quarter)


QUARTER = "/agencies/{slug}/years/{year}/quarters/{quarter}"


def EDITOR() -> str:  # noqa: N802 (a message, translated when asked)
    return _("Hanya operator perangkat daerah ini yang dapat mengubah datanya.")


@router.post(f"{QUARTER}/realisations", tags=TAGS, response=answers(w.RealisationBatchOut),
             summary="Simpan realisasi triwulan sekaligus (semua atau tidak sama sekali)")  # fmt: skip
def post_realisations(request: HttpRequest, payload: w.RealisationBatchIn, slug: str = Slug,
                      year: int = Year, quarter: int = Quarter):  # fmt: skip
    """Each row: ``work_item_id``, the ``version`` it was read with, and the values to write
    (a value left out stays; ``null`` empties it). One stale row: 412 and nothing written."""
    agency = writable_agency(request, slug, rules.can_edit_agency_data, EDITOR())
    changed, rows = save_realisations(
        request, agency, year=year, quarter=quarter,
        rows=[(r.work_item_id, r) for r in payload.rows],
        versions=[r.version for r in payload.rows], reason=payload.reason,
    )  # fmt: skip
    return {"changed": changed, "rows": rows}


@router.put(f"{QUARTER}/realisations/{{item_id}}", tags=TAGS, response=answers(read.s.RealisationOut, 428),
            summary="Simpan realisasi satu baris (If-Match: versinya)")  # fmt: skip
def put_realisation(request: HttpRequest, response: HttpResponse, payload: w.RealisationPutIn,
                    slug: str = Slug, year: int = Year, quarter: int = Quarter,
                    item_id: int = ItemId,
                    if_match_header: str | None = Header(None, alias="If-Match")):  # fmt: skip
    agency = writable_agency(request, slug, rules.can_edit_agency_data, EDITOR())
    version = if_match(if_match_header)
    _changed, [row] = save_realisations(request, agency, year=year, quarter=quarter,
                                        rows=[(item_id, payload)], versions=[version],
                                        reason=payload.reason, single=True)  # fmt: skip
    response["ETag"] = etag(row["version"])
    return row


# ---- IKU realisations ---------------------------------------------------------------------


def save_iku(request: HttpRequest, agency: Agency, *, year: int, quarter: int,
             rows: list[Any], versions: list[str], reason: str,
             single: bool = False) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """The IKU page's save (``domain.record_indicator_realisation`` per indicator), every
    indicator or none, each against its version."""
    where = (lambda i: ["body"]) if single else (lambda i: ["body", "rows", i])  # noqa: E731
    indicators = {i.pk: i for i in read._key_indicators(agency, year).filter(
        pk__in=[pk for pk, _r in rows]).select_related("plan__agency")}  # fmt: skip
    seen: set[int] = set()
    problems = []
    for i, (pk, _row) in enumerate(rows):
        if pk in seen:
            problems.append({"loc": [*where(i), "indicator_id"], "type": "duplicate",
                             "message": _("IKU ini dikirim dua kali")})  # fmt: skip
        seen.add(pk)
        if pk not in indicators:
            if single:
                raise not_found(_("IKU ini tidak ada pada perangkat daerah dan tahun itu."))
            problems.append({"loc": [*where(i), "indicator_id"], "type": "unknown",
                             "message": _("bukan IKU %(agency)s tahun %(year)s")
                             % {"agency": agency, "year": year}})  # fmt: skip
    if problems:
        raise invalid(problems)
    values: dict[int, dict[str, Any]] = {}
    for i, (pk, row) in enumerate(rows):
        sent = {f: getattr(row, f) for f in INDICATOR_REALISATION_FIELDS if _sent(row, f)}
        if "value" in sent:
            sent["value"] = figure(sent["value"], [*where(i), "value"],
                                   negative=indicators[pk].allows_negative)  # fmt: skip
        for text in ("source", "note"):
            if text in sent:
                sent[text] = (sent[text] or "").strip()
        values[pk] = sent
    today, changed = _today(), 0
    with transaction.atomic():
        try:
            check_agency_quarter_editable(user=request.user, agency=agency, year=year,
                                          quarter=quarter, reason=reason, today=today)  # fmt: skip
        except EditRefused as exc:
            raise refused(exc) from None
        stored = {r.indicator_id: r for r in IndicatorRealisation.objects.select_for_update()
                  .filter(indicator__in=list(indicators), year=year, quarter=quarter)}  # fmt: skip
        late = []
        for (pk, _row), version in zip(rows, versions, strict=True):
            now = _iku_values(stored.get(pk))
            if row_version(stored.get(pk), INDICATOR_REALISATION_FIELDS) != version and any(
                now[f] != v for f, v in values[pk].items()
            ):
                late.append(pk)
        if late:
            raise stale([read._indicator_realisation(indicators[pk], stored.get(pk), year,
                                                     quarter) for pk in late])  # fmt: skip
        for i, (pk, _row) in enumerate(rows):
            now = _iku_values(stored.get(pk))
            new = {**now, **values[pk]}
            if new == now:
                continue
            try:
                record_indicator_realisation(user=request.user, indicator=indicators[pk],
                                             year=year, quarter=quarter, **new, reason=reason,
                                             today=today, expected=now)  # fmt: skip
            except Conflict:
                current = IndicatorRealisation.objects.filter(indicator_id=pk, year=year,
                                                              quarter=quarter).first()  # fmt: skip
                raise stale([read._indicator_realisation(indicators[pk], current, year,
                                                         quarter)]) from None  # fmt: skip
            except EditRefused as exc:
                raise invalid([{"loc": where(i), "type": "refused", "message": str(exc)}],
                              str(exc)) from None  # fmt: skip
            changed += 1
    now_rows = {r.indicator_id: r for r in IndicatorRealisation.objects.filter(
        indicator__in=list(indicators), year=year, quarter=quarter)}  # fmt: skip
    return changed, [read._indicator_realisation(indicators[pk], now_rows.get(pk), year, quarter)
                     for pk, _r in rows]  # fmt: skip


def _iku_values(row: IndicatorRealisation | None) -> dict[str, Any]:
    if row is None:
        return {"value": None, "measured_on": None, "source": "", "note": ""}
    return {f: getattr(row, f) for f in INDICATOR_REALISATION_FIELDS}


@router.post(f"{QUARTER}/iku-realisations", tags=TAGS, response=answers(w.IndicatorRealisationBatchOut),
             summary="Simpan realisasi IKU triwulan sekaligus (semua atau tidak sama sekali)")  # fmt: skip
def post_iku_realisations(request: HttpRequest, payload: w.IndicatorRealisationBatchIn,
                          slug: str = Slug, year: int = Year, quarter: int = Quarter):  # fmt: skip
    agency = writable_agency(request, slug, rules.can_edit_agency_data, EDITOR())
    changed, rows = save_iku(request, agency, year=year, quarter=quarter,
                             rows=[(r.indicator_id, r) for r in payload.rows],
                             versions=[r.version for r in payload.rows], reason=payload.reason)  # fmt: skip
    return {"changed": changed, "rows": rows}


@router.put(f"{QUARTER}/iku-realisations/{{indicator_id}}",
            response=answers(read.s.IndicatorRealisationOut, 428),
            summary="Simpan realisasi satu IKU (If-Match: versinya)")  # fmt: skip
def put_iku_realisation(request: HttpRequest, response: HttpResponse,
                        payload: w.IndicatorRealisationPutIn, slug: str = Slug,
                        year: int = Year, quarter: int = Quarter, indicator_id: int = ItemId,
                        if_match_header: str | None = Header(None, alias="If-Match")):  # fmt: skip
    agency = writable_agency(request, slug, rules.can_edit_agency_data, EDITOR())
    version = if_match(if_match_header)
    _changed, [row] = save_iku(request, agency, year=year, quarter=quarter,
                               rows=[(indicator_id, payload)], versions=[version],
                               reason=payload.reason, single=True)  # fmt: skip
    response["ETag"] = etag(row["version"])
    return row


# ---- narratives ---------------------------------------------------------------------------


def _narrative_slots(agency: Agency, year: int) -> dict[tuple[str, int | None, int | None],
                                                         tuple[Any, Any, str]]:  # fmt: skip
    """The texts the narratives page edits, as the page lists them (texts_views): each IKU
    with a sasaran and each program of the year × factors/follow-up, then the report's own."""
    from kinerja.monitoring.texts_views import AGENCY_KINDS, KINDS, _subjects

    slots: dict[tuple[str, int | None, int | None], tuple[Any, Any, str]] = {}
    for s in _subjects(agency, year):
        ind, item = s["indicator"], s["work_item"]
        for kind in KINDS:
            slots[(kind, ind.pk if ind else None, item.pk if item else None)] = (
                ind,
                item,
                str(s["label"]),
            )
    for kind in AGENCY_KINDS:
        slots[(kind, None, None)] = (None, None, "")
    return slots


def _narratives_out(agency: Agency, year: int, quarter: int,
                    only: set[tuple[str, int | None, int | None]] | None = None
                    ) -> list[dict[str, Any]]:  # fmt: skip
    lines: dict[tuple[str, int | None, int | None], list[str]] = {}
    for n in Narrative.objects.filter(agency=agency, year=year, quarter=quarter).order_by(
            "position"):  # fmt: skip
        lines.setdefault((n.kind, n.indicator_id, n.work_item_id), []).append(n.text)
    out = []
    for key, (_ind, _item, subject) in _narrative_slots(agency, year).items():
        if only is not None and key not in only:
            continue
        text = "\n".join(lines.get(key, []))
        out.append({"kind": key[0], "kind_label": str(Narrative.Kind(key[0]).label),
                    "indicator_id": key[1], "work_item_id": key[2], "subject": subject,
                    "text": text, "version": version_of({"text": text}, NARRATIVE_FIELDS)})  # fmt: skip
    return out


@router.get(f"{QUARTER}/narratives", tags=TAGS, response=answers(list[w.NarrativeOut]),
            summary="Narasi triwulan (faktor, tindak lanjut, teks laporan), dengan versinya")  # fmt: skip
def list_narratives(request: HttpRequest, slug: str = Slug, year: int = Year,
                    quarter: int = Quarter):  # fmt: skip
    return _narratives_out(readable_agency(request, slug), year, quarter)


@router.put(f"{QUARTER}/narratives", tags=TAGS, response=answers(list[w.NarrativeOut]),
            summary="Simpan narasi triwulan (semua atau tidak sama sekali)")  # fmt: skip
def put_narratives(request: HttpRequest, payload: w.NarrativesIn, slug: str = Slug,
                   year: int = Year, quarter: int = Quarter):  # fmt: skip
    """Each text replaces the lines of its kind and subject (``indicator_id`` or
    ``work_item_id``, none for the report's own texts), against its ``version``."""
    agency = writable_agency(request, slug, rules.can_edit_agency_data, EDITOR())
    slots = _narrative_slots(agency, year)
    keys = [(t.kind, t.indicator_id, t.work_item_id) for t in payload.texts]
    problems = [{"loc": ["body", "texts", i], "type": "unknown",
                 "message": _("bukan isian narasi halaman ini (jenis dan IKU/program)")}
                for i, k in enumerate(keys) if k not in slots]  # fmt: skip
    problems += [{"loc": ["body", "texts", i], "type": "duplicate",
                  "message": _("isian ini dikirim dua kali")}
                 for i, k in enumerate(keys) if k in keys[:i]]  # fmt: skip
    if problems:
        raise invalid(problems)
    today = _today()
    with transaction.atomic():
        try:
            check_agency_quarter_editable(user=request.user, agency=agency, year=year,
                                          quarter=quarter, reason=payload.reason, today=today)  # fmt: skip
        except EditRefused as exc:
            raise refused(exc) from None
        list(Narrative.objects.select_for_update().filter(agency=agency, year=year,
                                                          quarter=quarter).values_list("pk"))  # fmt: skip
        current = {(o["kind"], o["indicator_id"], o["work_item_id"]): o
                   for o in _narratives_out(agency, year, quarter, set(keys))}  # fmt: skip
        late = [current[k] for k, t in zip(keys, payload.texts, strict=True)
                if current[k]["version"] != t.version
                and _lines(current[k]["text"]) != _lines(t.text)]  # fmt: skip
        if late:
            raise stale(late)
        for i, (key, t) in enumerate(zip(keys, payload.texts, strict=True)):
            indicator, item, _subject = slots[key]
            try:
                save_narratives(user=request.user, agency=agency, year=year, quarter=quarter,
                                kind=t.kind, texts=t.text.splitlines(), indicator=indicator,
                                work_item=item, reason=payload.reason, today=today,
                                expected=current[key]["text"].splitlines())  # fmt: skip
            except Conflict:  # pragma: no cover - the texts are locked above
                raise stale([current[key]]) from None
            except EditRefused as exc:
                raise invalid([{"loc": ["body", "texts", i], "type": "refused",
                                "message": str(exc)}], str(exc)) from None  # fmt: skip
    return _narratives_out(agency, year, quarter, set(keys))


def _lines(text: str) -> list[str]:
    return [t.strip() for t in text.splitlines() if t.strip()]


# ---- Renja items, pagu and Renstra targets ------------------------------------------------


def PLANNER() -> str:  # noqa: N802
    return _("Hanya operator perangkat daerah ini (atau admin pemdanya) yang dapat mengubah "
             "rencananya.")  # fmt: skip


def work_item_version(item: WorkItem) -> str:
    return version_of({f: getattr(item, f) for f in WORK_ITEM_FIELDS}, WORK_ITEM_FIELDS)


def _work_item_out(item: WorkItem) -> dict[str, Any]:
    item = WorkItem.objects.prefetch_related(
        Prefetch("action_plans", ActionPlan.objects.order_by("quarter"))).get(pk=item.pk)  # fmt: skip
    return {**read._work_item(item), "version": work_item_version(item)}


def _item_of(agency: Agency, year: int, item_id: int, *, lock: bool = False) -> WorkItem:
    rows = WorkItem.objects.select_for_update() if lock else WorkItem.objects
    item = rows.filter(agency=agency, year=year, pk=item_id).first()
    if item is None:
        raise not_found(_("Baris Renja ini tidak ada pada perangkat daerah dan tahun itu."))
    return item


def _item_values(agency: Agency, fields: w.WorkItemFields, sent: set[str],
                 prefix: list[Any], *, negative: bool) -> dict[str, Any]:  # fmt: skip
    """The sent fields as ``renja_edit`` takes them (figures as Decimal, objects by id)."""
    out: dict[str, Any] = {}
    for name in sent:
        value = getattr(fields, name)
        if name in ("target_k", "target_k_upper"):
            out[name] = figure(value, [*prefix, name], negative=negative)
        elif name == "budget":
            out[name] = figure(value, [*prefix, name], money=True)
        elif name == "objective_id":
            found = Objective.objects.filter(pk=value).first() if value is not None else None
            if value is not None and found is None:
                raise invalid([{"loc": [*prefix, name], "type": "unknown",
                                "message": _("sasaran tidak dikenal")}])  # fmt: skip
            out["objective"] = found
        elif name == "responsible_unit_id":
            found = OrgUnit.objects.filter(pk=value).first() if value is not None else None
            if value is not None and found is None:
                raise invalid([{"loc": [*prefix, name], "type": "unknown",
                                "message": _("unit kerja tidak dikenal")}])  # fmt: skip
            out["responsible_unit"] = found
        elif name in ("code", "name", "indicator", "unit", "polarity", "aggregation"):
            out[name] = value if value is not None else ""
        else:
            out[name] = value
    return out


def _revision(payload: Any) -> Revision | None:
    r = payload.revision
    return Revision(r.on, r.reason, r.legal_basis) if r is not None else None


RENJA = "/agencies/{slug}/years/{year}/renja"


@router.get(f"{RENJA}/{{item_id}}", tags=TAGS, response=answers(w.WorkItemOutV),
            summary="Satu baris Renja, dengan versinya (ETag)")  # fmt: skip
def get_work_item(request: HttpRequest, response: HttpResponse, slug: str = Slug,
                  year: int = Year, item_id: int = ItemId):  # fmt: skip
    out = _work_item_out(_item_of(readable_agency(request, slug), year, item_id))
    response["ETag"] = etag(out["version"])
    return out


@router.patch(f"{RENJA}/{{item_id}}", tags=TAGS, response=answers(w.WorkItemOutV, 428),
              summary="Ubah baris Renja (If-Match: versinya; revisi setelah pengesahan)")  # fmt: skip
def patch_work_item(request: HttpRequest, response: HttpResponse, payload: w.WorkItemPatchIn,
                    slug: str = Slug, year: int = Year, item_id: int = ItemId,
                    if_match_header: str | None = Header(None, alias="If-Match")):  # fmt: skip
    """The Renja screen's change (``renja_edit.update_item``): the fields sent in
    ``changes``; once a quarter of the year is approved, a ``revision`` (date, reason, legal
    basis) — a changed pagu is then the pagu perubahan."""
    agency = writable_agency(request, slug, rules.can_edit_plan, PLANNER())
    version = if_match(if_match_header)
    with transaction.atomic():
        item = _item_of(agency, year, item_id, lock=True)
        if work_item_version(item) != version:
            raise stale([_work_item_out(item)])
        changes = _item_values(agency, payload.changes, payload.changes.model_fields_set,
                               ["body", "changes"], negative=item.allows_negative)  # fmt: skip
        try:
            item = renja_edit.update_item(user=request.user, item=item, changes=changes,
                                          revision=_revision(payload), reason=payload.reason)  # fmt: skip
        except renja_edit.PlanEditRefused as exc:
            raise invalid([{"loc": ["body"], "type": "refused", "message": str(exc)}],
                          str(exc)) from None  # fmt: skip
    out = _work_item_out(item)
    response["ETag"] = etag(out["version"])
    return out


@router.post(RENJA, tags=TAGS, response={201: w.WorkItemOutV, **WRITE_REFUSALS},
             summary="Tambah program, kegiatan atau sub kegiatan")  # fmt: skip
def post_work_item(request: HttpRequest, response: HttpResponse, payload: w.WorkItemCreateIn,
                   slug: str = Slug, year: int = Year):  # fmt: skip
    """The Renja screen's add (``renja_edit.create_item``) under ``parent_id`` (none: a
    program), after the sibling ``after_id``."""
    agency = writable_agency(request, slug, rules.can_edit_plan, PLANNER())
    parent = _item_of(agency, year, payload.parent_id) if payload.parent_id else None
    after = _item_of(agency, year, payload.after_id) if payload.after_id else None
    sent = payload.model_fields_set & set(w.WorkItemFields.model_fields)
    values = _item_values(agency, payload, sent, ["body"], negative=False)
    if "budget" in values:
        values["budget_original"] = values.pop("budget")
    values = {k: v for k, v in values.items() if v is not None or k in (
        "objective", "responsible_unit", "decimals", "target_k", "target_k_upper",
        "budget_original")}  # fmt: skip
    try:
        item = renja_edit.create_item(user=request.user, agency=agency, year=year, parent=parent,
                                      level=payload.level, after=after,
                                      revision=_revision(payload), reason=payload.reason,
                                      **{"name": "", **values})  # fmt: skip
    except renja_edit.PlanEditRefused as exc:
        raise invalid([{"loc": ["body"], "type": "refused", "message": str(exc)}],
                      str(exc)) from None  # fmt: skip
    out = _work_item_out(item)
    response["ETag"] = etag(out["version"])
    return Status(201, out)


@router.put(f"{RENJA}/{{item_id}}/budget-revision", tags=TAGS, response=answers(w.WorkItemOutV, 428),
            summary="Pagu perubahan satu baris Renja (If-Match: versi barisnya)")  # fmt: skip
def put_budget_revision(request: HttpRequest, response: HttpResponse,
                        payload: w.BudgetRevisionIn, slug: str = Slug, year: int = Year,
                        item_id: int = ItemId,
                        if_match_header: str | None = Header(None, alias="If-Match")):  # fmt: skip
    """``domain.revise_budget``, as the pagu revision form: amount, date, reason, legal basis."""
    agency = writable_agency(request, slug, rules.can_edit_plan, PLANNER())
    version = if_match(if_match_header)
    amount = figure(payload.amount, ["body", "amount"], money=True)
    with transaction.atomic():
        item = _item_of(agency, year, item_id, lock=True)
        if work_item_version(item) != version:
            raise stale([_work_item_out(item)])
        try:
            item = revise_budget(user=request.user, work_item=item, amount=amount,  # type: ignore[arg-type]
                                 on=payload.on, reason=payload.reason,
                                 legal_basis=payload.legal_basis)  # fmt: skip
        except (RevisionRefused, InvalidNumber, ValueError) as exc:
            raise invalid([{"loc": ["body"], "type": "refused", "message": str(exc)}],
                          str(exc)) from None  # fmt: skip
    out = _work_item_out(item)
    response["ETag"] = etag(out["version"])
    return out


def target_version(t: IndicatorTarget) -> str:
    return row_version(t, TARGET_FIELDS)


def _target_out(t: IndicatorTarget) -> dict[str, Any]:
    return {**read._target(t), "indicator_id": t.indicator_id, "version": target_version(t)}


def _target_of(agency: Agency, target_id: int, *, lock: bool = False) -> IndicatorTarget:
    rows = IndicatorTarget.objects.select_for_update() if lock else IndicatorTarget.objects
    found = rows.filter(pk=target_id, indicator__plan__agency=agency).first()
    if found is None:
        raise not_found(_("Target ini tidak ada pada Renstra perangkat daerah itu."))
    return found


@router.get("/agencies/{slug}/targets/{target_id}", tags=TAGS, response=answers(w.TargetOutV),
            summary="Satu target tahunan indikator Renstra, dengan versinya (ETag)")  # fmt: skip
def get_target(request: HttpRequest, response: HttpResponse, slug: str = Slug,
               target_id: int = ItemId):  # fmt: skip
    out = _target_out(_target_of(readable_agency(request, slug), target_id))
    response["ETag"] = etag(out["version"])
    return out


@router.put("/agencies/{slug}/targets/{target_id}/revision",
            response=answers(w.TargetOutV, 428),
            summary="Target perubahan (If-Match: versi targetnya)")  # fmt: skip
def put_target_revision(request: HttpRequest, response: HttpResponse,
                        payload: w.TargetRevisionIn, slug: str = Slug, target_id: int = ItemId,
                        if_match_header: str | None = Header(None, alias="If-Match")):  # fmt: skip
    """``domain.revise_target``, as the Renstra target revision: the revised target (and its
    upper bound for a range), date, reason, legal basis."""
    agency = writable_agency(request, slug, rules.can_edit_plan, PLANNER())
    version = if_match(if_match_header)
    with transaction.atomic():
        target = _target_of(agency, target_id, lock=True)
        negative = Indicator.objects.get(pk=target.indicator_id).allows_negative
        value = figure(payload.value, ["body", "value"], negative=negative)
        upper = figure(payload.upper, ["body", "upper"], negative=negative)
        if target_version(target) != version:
            raise stale([_target_out(target)])
        try:
            target = revise_target(user=request.user, target=target, value=value,  # type: ignore[arg-type]
                                   upper=upper, on=payload.on, reason=payload.reason,
                                   legal_basis=payload.legal_basis)  # fmt: skip
        except (RevisionRefused, InvalidNumber, ValueError) as exc:
            raise invalid([{"loc": ["body"], "type": "refused", "message": str(exc)}],
                          str(exc)) from None  # fmt: skip
    out = _target_out(target)
    response["ETag"] = etag(out["version"])
    return out


# ---- the quarter's workflow ---------------------------------------------------------------


def _actions() -> Mapping[str, Any]:
    from kinerja.web.views import ACTIONS  # the quarter page's own (predicate, domain function)

    return ACTIONS


@router.post(f"{QUARTER}/actions/{{action}}", tags=TAGS, response=answers(w.ActionOut),
             summary="Ajukan, kembalikan, verifikasi, sahkan atau buka kembali triwulan")  # fmt: skip
def post_action(request: HttpRequest, payload: w.ActionIn, action: w.Action = ActionPath,
                slug: str = Slug, year: int = Year, quarter: int = Quarter):  # fmt: skip
    """The quarter page's buttons (``monitoring.workflow``): ``submit`` (operator),
    ``return`` with a reason and ``verify`` (verifikator), ``approve`` (pimpinan; a reason
    approves despite blocking findings of the Lembar Pemeriksaan), ``reopen`` with a reason
    (admin pemda). A transition the state does not allow: 409."""
    allowed, run, _done = _actions()[action]
    agency = writable_agency(request, slug, allowed,
                             _("Peran Anda tidak dapat melakukan tindakan ini pada triwulan "
                               "perangkat daerah ini."))  # fmt: skip
    kwargs: dict[str, Any] = {"user": request.user, "agency": agency, "year": year,
                              "quarter": quarter}  # fmt: skip
    if action == "submit":
        kwargs["today"] = _today()
    if action in ("return", "reopen", "approve"):
        kwargs["reason"] = payload.reason
    try:
        run(**kwargs)
    except workflow.WorkflowRefused as exc:
        raise refused(exc) from None
    return read.get_submission(request, slug=slug, year=year, quarter=quarter)
