"""The read side of the API: what a reader sees in the app, as JSON (docs/api.md).

Every route finds the agency, then asks accounts/rules.is_reader_of — the app's own predicate —
so an operator reads only its agency and nobody reads another pemda's data. Lists are pages
(``limit``/``offset``); figures are strings in plain notation (api/schemas.py)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Path, Query, Router, Schema

from kinerja.accounts import rules
from kinerja.core.numbers import to_plain
from kinerja.monitoring.models import (
    GeneratedReport,
    IndicatorRealisation,
    QuarterSubmission,
    Realisation,
    SubmissionStatus,
)
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    Government,
    Indicator,
    IndicatorTarget,
    PerformanceAgreement,
    StrategicPlan,
    WorkItem,
)

from . import schemas as s
from .errors import ErrorOut, forbidden, not_found
from .versions import (
    INDICATOR_REALISATION_FIELDS,
    REALISATION_FIELDS,
    etag,
    row_version,
)

router = Router(tags=["baca"])

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
# refusals every authenticated route may answer (documented in the OpenAPI document); 400: a
# request refused before its view (a NUL character: web/middleware.py, as JSON by web/errors.py)
REFUSALS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                            422: ErrorOut, 429: ErrorOut}  # fmt: skip


def answers(ok: Any) -> dict[int, Any]:
    return {200: ok, **REFUSALS}


class PageQuery(Schema):
    limit: int = F(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="baris per halaman")
    offset: int = F(0, ge=0, le=10_000_000, description="lewati sekian baris")


Year = Path(..., ge=2000, le=2100, description="tahun anggaran")
Quarter = Path(..., ge=1, le=4, description="triwulan 1–4")
Slug = Path(..., max_length=50, pattern=r"^[-a-zA-Z0-9_]+$", description="kode perangkat daerah")


def page(rows: QuerySet | list, q: PageQuery, out: Any = None) -> dict[str, Any]:
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[q.offset : q.offset + q.limit])
    items = [out(r) for r in chunk] if out else chunk
    return {"count": count, "limit": q.limit, "offset": q.offset, "items": items}


def plain(value: Any) -> str | None:
    return to_plain(value)


def readable_agency(request: HttpRequest, slug: str) -> Agency:
    """The agency of ``slug`` if the caller reads it: 404 unknown, 403 not theirs (as the app)."""
    agency = Agency.objects.select_related("government").filter(slug=slug).first()
    if agency is None:
        raise not_found(_("Perangkat daerah tidak ada."))
    if not rules.is_reader_of(request.user, agency):
        raise forbidden(_("Anda tidak berhak membaca data perangkat daerah ini."))
    return agency


def readable_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies whose pages ``user`` opens: an operator its own, the other roles their
    pemda's, from above the province's or the country's (rules.agencies_read_by: the
    reading rule of rules.is_reader_of, as one query)."""
    agencies = Agency.objects.select_related("government").order_by("name", "pk")
    where = rules.agencies_read_by(user)
    return agencies.none() if where is None else agencies.filter(where)


# ---- governments, agencies --------------------------------------------------------------


def _government(g: Government) -> dict[str, Any]:
    return {"slug": g.slug, "name": g.name, "region": g.region}


@router.get("/governments", response=answers(s.Page[s.GovernmentOut]),
            summary="Pemerintah daerah yang dapat dibaca")  # fmt: skip
def list_governments(request: HttpRequest, q: Query[PageQuery]):
    where = rules.governments_read_by(request.user)
    rows = Government.objects.order_by("pk")
    return page(rows.none() if where is None else rows.filter(where), q, _government)


@router.get("/governments/{slug}", response=answers(s.GovernmentOut),
            summary="Satu pemerintah daerah")  # fmt: skip
def get_government(request: HttpRequest, slug: str = Slug):
    found = Government.objects.filter(slug=slug).first()
    if found is None:
        raise not_found(_("Pemerintah daerah tidak ada."))
    where = rules.governments_read_by(request.user)
    if where is None or not Government.objects.filter(where, pk=found.pk).exists():
        raise forbidden(_("Anda tidak berhak membaca data pemerintah daerah ini."))
    return _government(found)


def _agency(a: Agency) -> dict[str, Any]:
    return {"slug": a.slug, "name": a.name, "abbreviation": a.abbreviation,
            "government": a.government.slug, "is_example": a.is_example}  # fmt: skip


@router.get("/agencies", response=answers(s.Page[s.AgencyOut]),
            summary="Perangkat daerah yang dapat dibaca")  # fmt: skip
def list_agencies(request: HttpRequest, q: Query[PageQuery],
                  government: str | None = Query(None, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$",
                                                 description="slug pemerintah daerah")):  # fmt: skip
    rows = readable_agencies(request.user)
    if government is not None:
        rows = rows.filter(government__slug=government)
    return page(rows, q, _agency)


@router.get("/agencies/{slug}", response=answers(s.AgencyOut), summary="Satu perangkat daerah")
def get_agency(request: HttpRequest, slug: str = Slug):
    return _agency(readable_agency(request, slug))


# ---- Renstra, IKU, PK, Renja ------------------------------------------------------------


def _target(t: IndicatorTarget) -> dict[str, Any]:
    return {
        "id": t.pk, "year": t.year, "original": plain(t.original),
        "original_upper": plain(t.original_upper), "revised": plain(t.revised),
        "revised_upper": plain(t.revised_upper), "current": plain(t.current),
        "revised_on": t.revised_on, "revision_reason": t.revision_reason,
        "legal_basis": t.legal_basis,
    }  # fmt: skip


def _indicator(i: Indicator, year: int | None = None) -> dict[str, Any]:
    targets = [t for t in i.targets.all() if year is None or t.year == year]
    return {
        "id": i.pk, "position": i.position, "name": i.name, "unit": i.unit,
        "decimals": i.decimals, "definition": i.definition, "formula": i.formula,
        "data_source": i.data_source, "polarity": i.polarity, "aggregation": i.aggregation,
        "is_key": i.is_key, "derived_from_form": i.derived_from_form, "goal_id": i.goal_id,
        "objective_id": i.objective_id, "targets": [_target(t) for t in targets],
    }  # fmt: skip


@router.get("/agencies/{slug}/renstra", response=answers(list[s.RenstraOut]),
            summary="Renstra: tujuan, sasaran, indikator dan targetnya")  # fmt: skip
def get_renstra(request: HttpRequest, slug: str = Slug):
    agency = readable_agency(request, slug)
    plans = StrategicPlan.objects.filter(agency=agency).order_by("start_year").prefetch_related(
        "goals__objectives",
        Prefetch("indicators", Indicator.objects.order_by("position").prefetch_related("targets")),
    )  # fmt: skip
    out = []
    for plan in plans:
        indicators = list(plan.indicators.all())
        goals = []
        for goal in plan.goals.all():
            objectives = [
                {"id": o.pk, "code": o.code, "text": o.text,
                 "indicators": [_indicator(i) for i in indicators if i.objective_id == o.pk]}
                for o in goal.objectives.all()
            ]  # fmt: skip
            goals.append({
                "id": goal.pk, "number": goal.number, "text": goal.text,
                "narrative": goal.narrative, "objectives": objectives,
                "indicators": [_indicator(i) for i in indicators
                               if i.goal_id == goal.pk and i.objective_id is None],
            })  # fmt: skip
        out.append({"id": plan.pk, "start_year": plan.start_year, "end_year": plan.end_year,
                    "revision_note": plan.revision_note, "goals": goals})  # fmt: skip
    return out


@router.get("/agencies/{slug}/iku", response=answers(list[s.IndicatorOut]),
            summary="Indikator Kinerja Utama dengan targetnya")  # fmt: skip
def list_iku(request: HttpRequest, slug: str = Slug,
             year: int | None = Query(None, ge=2000, le=2100)):  # fmt: skip
    agency = readable_agency(request, slug)
    rows = Indicator.objects.filter(plan__agency=agency, is_key=True)
    if year is not None:
        rows = rows.filter(plan__start_year__lte=year, plan__end_year__gte=year)
    rows = rows.order_by("plan__start_year", "position").prefetch_related("targets")
    return [_indicator(i, year) for i in rows]


@router.get("/agencies/{slug}/years/{year}/pk", response=answers(s.AgreementOut),
            summary="Perjanjian Kinerja setahun")  # fmt: skip
def get_pk(request: HttpRequest, slug: str = Slug, year: int = Year):
    agency = readable_agency(request, slug)
    pk = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
    if pk is None:
        raise not_found(_("Perjanjian Kinerja tahun ini belum ada."))
    return {
        "year": pk.year, "signed_on": pk.signed_on, "place": pk.place,
        "targets": [{"position": t.position, "objective_text": t.objective_text,
                     "indicator_id": t.indicator_id, "indicator_text": t.indicator_text,
                     "target": plain(t.target)} for t in pk.targets.order_by("position")],
        "lines": [{"position": x.position, "level": x.level, "name": x.name,
                   "indicator_text": x.indicator_text, "target": plain(x.target),
                   "target_unit": x.target_unit, "budget": plain(x.budget),
                   "work_item_id": x.work_item_id} for x in pk.lines.order_by("position")],
        "signatories": [{"party": g.party, "title": g.title, "name": g.name, "nip": g.nip,
                         "rank": g.rank, "acting": g.acting}
                        for g in pk.signatories.order_by("party")],
    }  # fmt: skip


def _work_item(i: WorkItem) -> dict[str, Any]:
    return {
        "id": i.pk, "parent_id": i.parent_id, "indicator_of_id": i.indicator_of_id,
        "position": i.position, "level": i.level,
        "code": i.code, "name": i.name, "indicator": i.indicator, "unit": i.unit,
        "decimals": i.decimals, "polarity": i.polarity, "aggregation": i.aggregation,
        "allows_negative": i.allows_negative, "target_k": plain(i.target_k),
        "target_k_upper": plain(i.target_k_upper), "budget_original": plain(i.budget_original),
        "budget_revised": plain(i.budget_revised), "budget": plain(i.budget),
        "budget_revised_on": i.budget_revised_on, "renstra_target_k": plain(i.renstra_target_k),
        "renstra_target_unit": i.renstra_target_unit,
        "renstra_target_rp": plain(i.renstra_target_rp),
        "renstra_realised_k": plain(i.renstra_realised_k),
        "renstra_realised_unit": i.renstra_realised_unit,
        "renstra_realised_rp": plain(i.renstra_realised_rp),
        "action_plans": [{"quarter": a.quarter, "target_k": plain(a.target_k),
                          "cash_plan": plain(a.cash_plan)} for a in i.action_plans.all()],
    }  # fmt: skip


class LevelQuery(Schema):
    level: str | None = F(None, pattern="^(program|kegiatan|sub_kegiatan)$",
                          description="program, kegiatan atau sub_kegiatan")  # fmt: skip


@router.get("/agencies/{slug}/years/{year}/renja", response=answers(s.Page[s.WorkItemOut]),
            summary="Program, kegiatan dan sub kegiatan Renja setahun")  # fmt: skip
def list_renja(request: HttpRequest, q: Query[PageQuery], f: Query[LevelQuery],
               slug: str = Slug, year: int = Year):  # fmt: skip
    agency = readable_agency(request, slug)
    rows = WorkItem.objects.filter(agency=agency, year=year).order_by("position")
    if f.level:
        rows = rows.filter(level=f.level)
    rows = rows.prefetch_related(Prefetch("action_plans", ActionPlan.objects.order_by("quarter")))
    return page(rows, q, _work_item)


# ---- a quarter: realisations, IKU realisations, submission, evaluation, findings, reports --


def _realisation(item: WorkItem, row: Realisation | None, quarter: int) -> dict[str, Any]:
    return {
        "work_item_id": item.pk, "code": item.code, "level": item.level, "name": item.name,
        "quarter": quarter, "stored": row is not None,
        "value_k": plain(row.value_k) if row else None,
        "value_k_unit": row.value_k_unit if row else "",
        "value_rp": plain(row.value_rp) if row else None, "note": row.note if row else "",
        "version": row_version(row, REALISATION_FIELDS),
    }  # fmt: skip


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/realisations",
            response=answers(s.Page[s.RealisationOut]),
            summary="Realisasi triwulan tiap baris Renja, dengan versinya")  # fmt: skip
def list_realisations(request: HttpRequest, q: Query[PageQuery], slug: str = Slug,
                      year: int = Year, quarter: int = Quarter):  # fmt: skip
    agency = readable_agency(request, slug)
    items = WorkItem.objects.filter(agency=agency, year=year).order_by("position")
    result = page(items, q)
    stored = {r.work_item_id: r for r in Realisation.objects.filter(
        work_item__in=[i.pk for i in result["items"]], quarter=quarter)}  # fmt: skip
    result["items"] = [_realisation(i, stored.get(i.pk), quarter) for i in result["items"]]
    return result


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/realisations/{item_id}",
            response=answers(s.RealisationOut),
            summary="Realisasi triwulan satu baris Renja (ETag: versinya)")  # fmt: skip
def get_realisation(request: HttpRequest, response: HttpResponse, slug: str = Slug,
                    year: int = Year, quarter: int = Quarter,
                    item_id: int = Path(..., ge=1, le=2**62)):  # fmt: skip
    agency = readable_agency(request, slug)
    item = WorkItem.objects.filter(agency=agency, year=year, pk=item_id).first()
    if item is None:
        raise not_found(_("Baris Renja ini tidak ada pada perangkat daerah dan tahun itu."))
    row = Realisation.objects.filter(work_item=item, quarter=quarter).first()
    out = _realisation(item, row, quarter)
    response["ETag"] = etag(out["version"])
    return out


def _key_indicators(agency: Agency, year: int) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan__agency=agency, plan__start_year__lte=year,
                                    plan__end_year__gte=year, is_key=True).order_by("position")  # fmt: skip


def _indicator_realisation(i: Indicator, row: IndicatorRealisation | None, year: int,
                           quarter: int) -> dict[str, Any]:  # fmt: skip
    return {
        "indicator_id": i.pk, "name": i.name, "unit": i.unit, "year": year, "quarter": quarter,
        "stored": row is not None, "value": plain(row.value) if row else None,
        "measured_on": row.measured_on if row else None, "source": row.source if row else "",
        "note": row.note if row else "",
        "version": row_version(row, INDICATOR_REALISATION_FIELDS),
    }  # fmt: skip


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/iku-realisations",
            response=answers(list[s.IndicatorRealisationOut]),
            summary="Realisasi IKU triwulan, dengan versinya")  # fmt: skip
def list_iku_realisations(request: HttpRequest, slug: str = Slug, year: int = Year,
                          quarter: int = Quarter):  # fmt: skip
    agency = readable_agency(request, slug)
    indicators = list(_key_indicators(agency, year))
    stored = {r.indicator_id: r for r in IndicatorRealisation.objects.filter(
        indicator__in=indicators, year=year, quarter=quarter)}  # fmt: skip
    return [_indicator_realisation(i, stored.get(i.pk), year, quarter) for i in indicators]


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/iku-realisations/{indicator_id}",
            response=answers(s.IndicatorRealisationOut),
            summary="Realisasi satu IKU triwulan (ETag: versinya)")  # fmt: skip
def get_iku_realisation(request: HttpRequest, response: HttpResponse, slug: str = Slug,
                        year: int = Year, quarter: int = Quarter,
                        indicator_id: int = Path(..., ge=1, le=2**62)):  # fmt: skip
    agency = readable_agency(request, slug)
    indicator = _key_indicators(agency, year).filter(pk=indicator_id).first()
    if indicator is None:
        raise not_found(_("IKU ini tidak ada pada perangkat daerah dan tahun itu."))
    row = IndicatorRealisation.objects.filter(indicator=indicator, year=year,
                                              quarter=quarter).first()  # fmt: skip
    out = _indicator_realisation(indicator, row, year, quarter)
    response["ETag"] = etag(out["version"])
    return out


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/submission",
            response=answers(s.SubmissionOut), summary="Status triwulan dan riwayatnya")  # fmt: skip
def get_submission(request: HttpRequest, slug: str = Slug, year: int = Year,
                   quarter: int = Quarter):  # fmt: skip
    from kinerja.monitoring.workflow import timeline

    agency = readable_agency(request, slug)
    found = QuarterSubmission.objects.filter(agency=agency, year=year, quarter=quarter).first()
    status = SubmissionStatus(found.status) if found else SubmissionStatus.DRAFT

    def actor(user: Any) -> str | None:
        return (user.get_full_name() or user.get_username()) if user is not None else None

    return {
        "status": status.value, "status_label": str(status.label),
        "editable": status in SubmissionStatus.editable(),
        "report_date": found.report_date if found else None,
        "timeline": [{"from_status": e.from_status, "to_status": e.to_status,
                      "actor": actor(e.actor), "reason": e.reason,
                      "override_reason": e.override_reason, "blocking_items": e.blocking_items,
                      "at": e.at} for e in timeline(agency, year=year, quarter=quarter)],
    }  # fmt: skip


def evaluation_json(agency: Agency, *, year: int, quarter: int) -> dict[str, Any] | None:
    """The JSON of ``kinerja evaluate --agency … --json``, built by the same functions; None
    when the agency has no Renja rows that year (the command refuses then)."""
    from kinerja.core import evaluate_form
    from kinerja.formoutput import to_json_data
    from kinerja.monitoring.queries import evaluation_form

    form = evaluation_form(agency, year=year, quarter=quarter)
    if not form.rows:
        return None
    return to_json_data(evaluate_form(form))


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/evaluation",
            response=answers(s.Evaluation),
            summary="Evaluasi triwulan: sama dengan «kinerja evaluate --agency … --json»")  # fmt: skip
def get_evaluation(request: HttpRequest, slug: str = Slug, year: int = Year,
                   quarter: int = Quarter):  # fmt: skip
    agency = readable_agency(request, slug)
    data = evaluation_json(agency, year=year, quarter=quarter)
    if data is None:
        raise not_found(_("%(agency)s belum punya program/kegiatan untuk tahun %(year)s.")
                        % {"agency": agency, "year": year})  # fmt: skip
    # the command's own bytes, parsed: json.dumps drops nothing and adds nothing
    return json.loads(json.dumps(data, ensure_ascii=False))


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/findings",
            response=answers(s.FindingsOut),
            summary="Temuan Lembar Pemeriksaan sebelum penandatanganan")  # fmt: skip
def get_findings(request: HttpRequest, slug: str = Slug, year: int = Year,
                 quarter: int = Quarter):  # fmt: skip
    from kinerja.reporting.checklist import build_checklist

    agency = readable_agency(request, slug)
    checklist = build_checklist(agency, year, quarter)
    override = checklist.override
    return {
        "status": checklist.status, "draft": checklist.draft, "signed_on": checklist.signed_on,
        "blocking": len(checklist.blocking),
        "items": [{"rule": i.rule, "title": i.title, "row": i.row, "message": i.message,
                   "action": i.action, "severity": i.severity, "blocks": i.blocks}
                  for i in checklist.items],
        "override": None if override is None else {
            "reason": override.reason, "by": override.by, "at": override.at,
            "blocking": override.blocking},
    }  # fmt: skip


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/reports",
            response=answers(s.ReportsOut),
            summary="Laporan: tautan pembuatan di aplikasi dan berkas yang sudah dibuat")  # fmt: skip
def list_reports(request: HttpRequest, slug: str = Slug, year: int = Year,
                 quarter: int = Quarter):  # fmt: skip
    from kinerja.web.reports import report_offers

    agency = readable_agency(request, slug)
    where = {"agency": agency.slug, "year": year, "quarter": quarter}
    offers = [
        {"document": o["document"], "label": str(o["label"]), "format": fmt,
         "url": request.build_absolute_uri(
             reverse("web:download", kwargs={**where, "document": o["document"], "fmt": fmt}))}
        for o in report_offers() for fmt, _label in o["formats"]
    ]  # fmt: skip
    files = []
    made = GeneratedReport.objects.filter(agency=agency, year=year, quarter=quarter)
    for row in made.select_related("created_by"):
        app = reverse("web:download", kwargs={**where, "document": row.document, "fmt": row.format})
        by = row.created_by
        files.append({
            "id": row.pk, "document": row.document, "format": row.format,
            "filename": row.file.name.rsplit("/", 1)[-1], "created_at": row.created_at,
            "created_by": (by.get_full_name() or by.get_username()) if by else None,
            "data_hash": row.data_hash, "template_hash": row.template_hash,
            "url": request.build_absolute_uri(f"{app}?berkas={row.pk}"),
            "api_url": request.build_absolute_uri(
                reverse("api:get_report_file", kwargs={"slug": agency.slug, "year": year,
                                                   "quarter": quarter, "file_id": row.pk})),
        })  # fmt: skip
    return {"offers": offers, "files": files}


@router.get("/agencies/{slug}/years/{year}/quarters/{quarter}/reports/files/{file_id}",
            response={200: None, **REFUSALS}, summary="Unduh berkas laporan yang sudah dibuat",
            openapi_extra={"responses": {200: {"description": "berkas (lampiran)", "content": {
                "application/octet-stream": {"schema": {"type": "string",
                                                        "format": "binary"}}}}}})  # fmt: skip
def get_report_file(request: HttpRequest, slug: str = Slug, year: int = Year,
                    quarter: int = Quarter, file_id: int = Path(..., ge=1, le=2**62)):  # fmt: skip
    from kinerja.reporting.renderers import UnsupportedFormat, renderer_for

    agency = readable_agency(request, slug)
    row = GeneratedReport.objects.filter(pk=file_id, agency=agency, year=year,
                                         quarter=quarter).first()  # fmt: skip
    if row is None:
        raise not_found(_("Berkas laporan tidak ada."))
    try:
        content_type = renderer_for(row.document, row.format).content_type
    except UnsupportedFormat:
        content_type = "application/octet-stream"
    name = row.file.name.rsplit("/", 1)[-1]
    response = FileResponse(row.file.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
