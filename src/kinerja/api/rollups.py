"""The quarter's roll-up over the API: the rows of ``kinerja rollup --json``
(kinerja.rollup.quarter_rollup) for a scope the caller sees on the screens (docs/api.md).

The scope is the one the overview pages show (accounts/rules.py): the country to the
national reader (``can_see_national``), a province to its verifikator, evaluator and admin
and to the national reader (``can_see_province``), a pemda to every role of the pemda but
operators and to the users above it (``can_see_pemda_overview``). An operator reads its own
agency only (``is_reader_of``): asked for its pemda, it gets its agency's row and no other.
Without ``province`` or ``pemda`` the scope is the caller's widest; with both, the pemda
(which must lie in that province)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema

from kinerja.accounts import rules
from kinerja.accounts.models import Role
from kinerja.accounts.rules import profile_of
from kinerja.planning.models import Agency, Government, Province
from kinerja.rollup import Figures, quarter_rollup

from . import schemas as s
from .errors import forbidden, not_found
from .read import answers

router = Router(tags=["rekap"])

Visible = Callable[[Figures], bool]


class RollupQuery(Schema):
    year: int = F(..., ge=2000, le=2100, description="tahun anggaran")
    quarter: int = F(..., ge=1, le=4, description="triwulan 1–4")
    province: str | None = F(None, max_length=10, pattern=r"^[-a-zA-Z0-9_.]+$",
                             description="hanya satu provinsi (kode BPS, mis. 35)")  # fmt: skip
    pemda: str | None = F(None, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$",
                          description="hanya satu pemda (slug); dengan province: pemda di "
                                      "provinsi itu")  # fmt: skip


def _every(_row: Figures) -> bool:
    return True


def rollup_scope(user: Any, *, province: str | None,
                 pemda: str | None) -> tuple[str | None, str | None, Visible]:  # fmt: skip
    """(province code, pemda slug, which rows) of the roll-up ``user`` may read; ApiError
    403 for a scope the screens do not show them, 404 for one that does not exist."""
    profile = profile_of(user)
    if profile is None:
        raise forbidden()
    if province is None and pemda is None:  # the caller's widest scope
        if rules.can_see_national(user):
            return None, None, _every
        province = rules.province_code_of(user)
        if province is None:
            if profile.government_id is None:
                raise forbidden()
            pemda = Government.objects.filter(pk=profile.government_id).values_list(
                "slug", flat=True).get()  # fmt: skip
    if pemda is not None:  # (with a province too: a pemda of that province)
        governments = Government.objects.filter(slug=pemda)
        if province is not None:
            governments = governments.filter(province__code=province)
        government = governments.first()
        if government is None:
            raise not_found(_("Pemerintah daerah tidak ada."))
        if rules.can_see_pemda_overview(user, government):
            return None, pemda, _every
        if profile.role == Role.OPERATOR and profile.government_id == government.pk:
            own = Agency.objects.filter(pk=profile.agency_id).values_list("slug", flat=True)
            slug = own.first()
            return None, pemda, lambda row: row.kind == "agency" and row.slug == slug
        raise forbidden(_("Anda tidak berhak membaca rekap pemerintah daerah ini."))
    found = Province.objects.filter(code=province).first()
    if found is None:
        raise not_found(_("Provinsi ini tidak ada."))
    if not rules.can_see_province(user, found):
        raise forbidden(_("Anda tidak berhak membaca rekap provinsi ini."))
    return province, None, _every


@router.get("/rollups", response=answers(s.RollupOut),
            summary="Rekap triwulan per perangkat daerah, pemda, provinsi dan nasional")  # fmt: skip
def get_rollups(request: HttpRequest, q: Query[RollupQuery]):
    """The rows of ``kinerja rollup --year … --quarter … [--province|--pemda] --json`` that
    the caller reads: capaian K and Rp, predikat, serapan kas, peringkat, status."""
    province, pemda, visible = rollup_scope(request.user, province=q.province, pemda=q.pemda)
    rows = quarter_rollup(year=q.year, quarter=q.quarter, province=province, pemda=pemda)
    return {"year": q.year, "quarter": q.quarter,
            "rows": [r.as_json() for r in rows if visible(r)]}  # fmt: skip
