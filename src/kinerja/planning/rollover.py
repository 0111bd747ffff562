"""Next year from this one: ``rollover(agency, to_year)`` prepares the Renja of ``to_year``
from the Renja of ``to_year - 1``.

- The structure is copied: program → kegiatan → sub kegiatan with their codes, names,
  indicators, units, decimals, polarities, aggregations, sasaran links and responsible units.
- Target K (column 8): from the Renstra where the item *measures* one of its indicators (the
  item's indicator is that indicator, by name), the indicator's target for ``to_year`` in
  force (the revision where there is one); otherwise left empty and listed.
- Column 6 (the Renstra's end-of-period target) is carried while the same Renstra covers both
  years; column 7 (realisasi s.d. tahun lalu) is last year's column 15 as the core computes
  it (``core.evaluation.evaluate_row`` over the four quarters recorded: column 7 plus the
  year's realisation by the row's aggregation).
- Pagu is left for the user; every item without a pagu or a target is listed.
- Each item is also listed with the tujuan/sasaran indicator it serves (last year's PK line
  beside it, or its sasaran) and that indicator's target for ``to_year`` in force — the
  figure the year's PK prints beside it.

Idempotent: an item of ``to_year`` with the same level, code and name under the same parent
is the same item and is left alone (listed as existing); a second run creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.evaluation import evaluate_row
from kinerja.core.numbers import format_number, quarter_roman

from .models import Agency, AgreementLine, Indicator, IndicatorTarget, StrategicPlan, WorkItem
from .queries import name_key

__all__ = ["RolloverRefused", "RolloverResult", "RolloverRow", "rollover"]


class RolloverRefused(Exception):
    """A rollover the rules do not allow; ``str()`` is the Indonesian reason."""


@dataclass
class RolloverRow:
    """One item of the new year: what it is, and what it takes or still needs."""

    level: str
    code: str
    name: str
    status: str  # "create" or "exists"
    target_k: Decimal | None = None
    target_from: str = ""  # the Renstra indicator its target comes from
    realised_k: Decimal | None = None
    realised_rp: Decimal | None = None
    context: str = ""  # the tujuan/sasaran indicator it serves, with its target
    context_target: Decimal | None = None
    needs: list[str] = field(default_factory=list)
    pk: int | None = None

    def as_json(self) -> dict[str, Any]:
        def plain(v: Decimal | None) -> str | None:
            return None if v is None else format(v, "f")

        return {"tingkat": self.level, "kode": self.code, "nama": self.name,
                "status": "dibuat" if self.status == "create" else "sudah ada",
                "target_k": plain(self.target_k), "target_dari": self.target_from or None,
                "kolom_7_k": plain(self.realised_k), "kolom_7_rp": plain(self.realised_rp),
                "konteks_renstra": self.context or None,
                "target_konteks": plain(self.context_target), "perlu": self.needs}  # fmt: skip


@dataclass
class RolloverResult:
    from_year: int
    to_year: int
    dry_run: bool
    rows: list[RolloverRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def created(self) -> list[RolloverRow]:
        return [r for r in self.rows if r.status == "create"]

    @property
    def existing(self) -> list[RolloverRow]:
        return [r for r in self.rows if r.status == "exists"]

    @property
    def needing(self) -> list[RolloverRow]:
        return [r for r in self.rows if r.needs]

    def as_json(self) -> dict[str, Any]:
        return {"dari_tahun": self.from_year, "ke_tahun": self.to_year,
                "uji_coba": self.dry_run, "dibuat": len(self.created),
                "sudah_ada": len(self.existing), "perlu_dilengkapi": len(self.needing),
                "peringatan": self.warnings, "item": [r.as_json() for r in self.rows]}  # fmt: skip

    def lines(self) -> list[str]:
        """The result as read on a terminal, in Indonesian."""
        verb = _("akan dibuat") if self.dry_run else _("dibuat")
        out = [_("Renja %(to)s dari Renja %(fr)s: %(n)s item %(verb)s, %(e)s sudah ada.") % {
            "to": self.to_year, "fr": self.from_year, "n": len(self.created), "verb": verb,
            "e": len(self.existing)}]  # fmt: skip
        out += [_("Peringatan: %(w)s") % {"w": w} for w in self.warnings]
        for row in self.rows:
            mark = "+" if row.status == "create" else "="
            bits = [f"{mark} {row.code or '-'} {row.name}"]
            if row.target_k is not None:
                bits.append(_("target %(t)s dari Renstra (%(i)s)")
                            % {"t": format_number(row.target_k), "i": row.target_from})  # fmt: skip
            if row.realised_k is not None or row.realised_rp is not None:
                bits.append(_("kolom 7: K %(k)s, Rp %(rp)s") % {
                    "k": format_number(row.realised_k), "rp": format_number(row.realised_rp)})  # fmt: skip
            if row.context:
                bits.append(_("konteks %(c)s: target %(t)s") % {
                    "c": row.context, "t": format_number(row.context_target)})  # fmt: skip
            if row.needs:
                bits.append(_("perlu %(n)s") % {"n": ", ".join(row.needs)})
            out.append("; ".join(bits))
        if self.needing:
            out.append(_("%(n)s item masih perlu target atau pagu.") % {"n": len(self.needing)})
        return out


def _in_force(target: IndicatorTarget | None) -> tuple[Decimal | None, Decimal | None]:
    if target is None:
        return None, None
    if target.revised is not None:
        return target.revised, target.revised_upper
    return target.original, target.original_upper


def _column_7(agency: Agency, year: int) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """Each item's column 15 of ``year`` over its four quarters, as the core computes it:
    the realisation up to that year, which is next year's column 7. Where the year's column
    7 is empty and the year has realisations, the year's realisation alone."""
    from kinerja.monitoring.queries import evaluation_form

    ids: dict[str, int] = {}
    form = evaluation_form(agency, year=year, quarter=4, ids=ids)
    out = {}
    for row in form.rows:
        result = evaluate_row(row, 4)
        k, rp = result.col15_k, result.col15_rp
        if k is None and row.renstra_realised_before.k is None:
            k = result.col13_k
        if rp is None and row.renstra_realised_before.rp is None:
            rp = result.col13_rp
        out[ids[row.id]] = (k, rp)
    return out


def _plan_of(agency: Agency, year: int) -> StrategicPlan | None:
    return StrategicPlan.objects.filter(agency=agency, start_year__lte=year,
                                        end_year__gte=year).first()  # fmt: skip


def rollover(agency: Agency, to_year: int, *, dry_run: bool, user: Any = None) -> RolloverResult:
    """Prepare the Renja of ``to_year`` from that of ``to_year - 1`` (see the module's text).
    ``user=None`` acts as the system (the CLI); a user must be allowed to edit the plan."""
    from kinerja.accounts.rules import can_edit_plan

    if user is not None and not can_edit_plan(user, agency):
        raise RolloverRefused(_("Hanya operator %(a)s atau admin pemdanya yang dapat menyiapkan "
                                "rencana tahun berikutnya.") % {"a": agency})  # fmt: skip
    if not 2001 <= to_year <= 2100:
        raise RolloverRefused(_("Tahun tujuan harus antara 2001 dan 2100."))
    with transaction.atomic():
        result = _rollover(agency, to_year, dry_run=dry_run, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _rollover(agency: Agency, to_year: int, *, dry_run: bool, user: Any) -> RolloverResult:
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    from .items import renumber

    from_year = to_year - 1
    list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
    source = list(WorkItem.objects.filter(agency=agency, year=from_year)
                  .select_related("objective").order_by("position"))  # fmt: skip
    if not source:
        raise RolloverRefused(_("Renja %(y)s belum berisi item; tidak ada yang dapat disalin ke "
                                "%(to)s.") % {"y": from_year, "to": to_year})  # fmt: skip
    result = RolloverResult(from_year=from_year, to_year=to_year, dry_run=dry_run)
    plan = _plan_of(agency, to_year)
    same_plan = plan is not None and plan.start_year <= from_year <= plan.end_year
    if plan is None:
        result.warnings.append(_("Tahun %(y)s di luar periode Renstra mana pun: target tidak "
                                 "dapat diambil dari Renstra.") % {"y": to_year})  # fmt: skip
    elif not same_plan:
        result.warnings.append(_("Tahun %(y)s masuk Renstra %(s)s–%(e)s yang lain dari tahun "
                                 "%(f)s: kolom 6 (target akhir Renstra) dikosongkan.") % {
            "y": to_year, "s": plan.start_year, "e": plan.end_year, "f": from_year})  # fmt: skip
    approved = set(QuarterSubmission.objects.filter(
        agency=agency, year=from_year, status=SubmissionStatus.APPROVED
    ).values_list("quarter", flat=True))  # fmt: skip
    if approved != {1, 2, 3, 4}:
        waiting = ", ".join(_("Triwulan %(q)s") % {"q": quarter_roman(q)}
                            for q in range(1, 5) if q not in approved)  # fmt: skip
        result.warnings.append(_(
            "Triwulan tahun %(y)s yang belum disahkan: %(q)s; kolom 7 dihitung dari realisasi "
            "yang tercatat sekarang.") % {"y": from_year, "q": waiting})  # fmt: skip

    indicators = list(Indicator.objects.filter(plan=plan).order_by("position")) if plan else []
    by_name = {name_key(i.name): i for i in indicators}
    targets = {t.indicator_id: t for t in IndicatorTarget.objects.filter(
        indicator__in=indicators, year=to_year)}  # fmt: skip
    context_of = {
        line.work_item_id: line.context_indicator
        for line in AgreementLine.objects.filter(agreement__agency=agency,
                                                 agreement__year=from_year,
                                                 work_item__isnull=False,
                                                 context_indicator__isnull=False)
        .select_related("context_indicator")
    }  # fmt: skip
    column_7 = _column_7(agency, from_year)
    existing = list(WorkItem.objects.filter(agency=agency, year=to_year).order_by("position"))
    key_of = {_key(w, w.parent_id, w.indicator_of_id): w for w in existing}
    next_position = max([w.position for w in existing] or [0]) + 1
    mapped: dict[int, WorkItem] = {}
    reason = _("Disiapkan dari Renja %(y)s.") % {"y": from_year}
    for item in source:
        parent = mapped.get(item.parent_id) if item.parent_id else None
        if item.parent_id and parent is None:
            continue  # its parent was not carried (it was of another year)
        host = mapped.get(item.indicator_of_id) if item.indicator_of_id else None
        if item.indicator_of_id and host is None:
            continue  # a further indicator of an item not carried
        key = _key(item, parent.pk if parent else None, host.pk if host else None)
        found = key_of.get(key) if (parent is None or parent.pk) else None
        row = RolloverRow(level=item.level, code=item.code, name=item.name,
                          status="exists" if found else "create")  # fmt: skip
        context = _context(item, context_of, indicators)
        if context is not None:
            row.context = context.name
            row.context_target = _in_force(targets.get(context.pk))[0] if plan else None
        if found is not None:
            mapped[item.pk] = found
            row.pk, row.target_k = found.pk, found.target_k
            row.realised_k, row.realised_rp = found.renstra_realised_k, found.renstra_realised_rp
            row.needs = _needs(found.target_k, found.budget, more=host is not None)
            result.rows.append(row)
            continue
        measured = by_name.get(name_key(item.indicator)) if item.indicator else None
        target_k, upper = _in_force(targets.get(measured.pk)) if measured else (None, None)
        if target_k is not None:
            row.target_k, row.target_from = target_k, measured.name  # type: ignore[union-attr]
        row.realised_k, row.realised_rp = column_7.get(item.pk, (None, None))
        if host is not None:  # a further indicator holds no Rp: its item's row does
            row.realised_rp = None
        row.needs = _needs(target_k, None, more=host is not None)
        new = WorkItem(
            agency=agency, year=to_year, parent=parent, position=next_position,
            indicator_of=host,
            level=item.level, code=item.code, name=item.name, indicator=item.indicator,
            unit=item.unit, decimals=item.decimals, responsible_unit_id=item.responsible_unit_id,
            objective=item.objective if same_plan else None, polarity=item.polarity,
            aggregation=item.aggregation, allows_negative=item.allows_negative,
            target_k=target_k, target_k_upper=upper if target_k is not None else None,
            renstra_target_k=item.renstra_target_k if same_plan else None,
            renstra_target_unit=item.renstra_target_unit if same_plan else "",
            renstra_target_rp=item.renstra_target_rp if same_plan and host is None else None,
            renstra_realised_k=row.realised_k, renstra_realised_rp=row.realised_rp,
            renstra_realised_unit=(item.renstra_realised_unit or item.unit)
            if row.realised_k is not None else "",
        )  # fmt: skip
        if measured is not None and target_k is not None and same_plan is False and plan:
            end = IndicatorTarget.objects.filter(indicator=measured, year=plan.end_year).first()
            new.renstra_target_k = _in_force(end)[0]
            new.renstra_target_unit = measured.unit
        next_position += 1
        new._change_reason = reason  # type: ignore[attr-defined]
        new._history_user = user  # type: ignore[attr-defined]
        new.save()
        row.pk = new.pk
        mapped[item.pk] = new
        result.rows.append(row)
    if result.created:
        renumber(agency, to_year)
    return result


def _context(item: WorkItem, context_of: dict[int, Indicator | None],
             indicators: list[Indicator]) -> Indicator | None:  # fmt: skip
    """The tujuan/sasaran indicator an item serves: the one last year's PK prints beside it,
    else the first indicator of its sasaran (in the Renstra covering the new year)."""
    wanted = context_of.get(item.pk)
    if wanted is not None:
        return next((i for i in indicators if name_key(i.name) == name_key(wanted.name)), None)
    if item.objective_id is not None:
        return next((i for i in indicators if i.objective_id == item.objective_id), None)
    return None


def _key(item: WorkItem, parent_id: int | None, host_id: int | None) -> tuple[Any, ...]:
    """What makes an item of the new year the same as one of the old: its parent, level,
    code and name; a further indicator's: its item and its indicator."""
    if host_id is not None or item.indicator_of_id is not None:
        return ("indikator", host_id, name_key(item.indicator))
    return (parent_id, item.level, item.code, name_key(item.name))


def _needs(target: Decimal | None, budget: Decimal | None, *, more: bool = False) -> list[str]:
    """What the user still fills in: the target K, and the pagu (not of a further indicator,
    which has none)."""
    needs = []
    if target is None:
        needs.append(_("target K"))
    if budget is None and not more:
        needs.append(_("pagu"))
    return needs


def cli_rollover(args: Any) -> int:
    """``kinerja plan rollover --agency SLUG --to YYYY [--dry-run] [--json]``: 0 done, 2
    refused (one Indonesian line on stderr)."""
    import json
    import sys

    agency = Agency.objects.filter(slug=args.agency).first()
    if agency is None:
        print(f"kinerja: perangkat daerah «{args.agency}» tidak ada.", file=sys.stderr)
        return 2
    try:
        result = rollover(agency, args.to, dry_run=args.dry_run)
    except RolloverRefused as exc:
        print(f"kinerja: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        if args.dry_run:
            print(_("Uji coba: tidak ada yang ditulis."))
        print("\n".join(result.lines()))
    return 0
