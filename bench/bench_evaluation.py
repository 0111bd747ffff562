"""Benchmark: the evaluation core on generated forms of 1,000 and 100,000 rows.

Reports rows/s and peak memory of ``evaluate_form`` (columns 13–16 of every row, the footer
and all form-data checks; explanations are lazy and not built), and the ratio to a bare loop
in the same process that computes the same columns 13–16 with plain Decimal arithmetic
(no None handling, no polarity, no checks, no explanations).

Run:  make bench      (or: .venv/bin/python bench/bench_evaluation.py [--sizes 1000,100000])
Goal: ≥ 50.000 rows/s and ≤ 3× the bare loop.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc
from decimal import Decimal

from kinerja.core import (
    Form,
    FormRow,
    Level,
    Pair,
    RowResult,
    evaluate_form,
    evaluate_row,
    format_number,
)
from kinerja.core.achievement import Polarity

D = Decimal
QUARTER = 4


def _row(rnd: random.Random, i: int, level: Level, parent: str | None) -> FormRow:
    pagu = D(rnd.randrange(10_000_000, 2_000_000_000))
    target = D(rnd.randrange(1, 200))
    return FormRow(
        id=f"r{i}",
        level=level,
        name=f"Baris {i}",
        parent=parent,
        quarters=tuple(  # type: ignore[arg-type]
            Pair(k=D(rnd.randrange(0, 60)), rp=(pagu * rnd.randrange(5, 20)) // 100)
            for _ in range(4)
        ),
        polarity=Polarity.LOWER if i % 10 == 9 else Polarity.HIGHER,
        renstra_target=Pair(k=target * 5, rp=pagu * 5),
        renstra_realised_before=Pair(k=target * 2, rp=pagu * 2),
        year_target=Pair(k=target, rp=pagu),
    )


def _with_sums(row: FormRow, kids: list[FormRow]) -> FormRow:
    """The parent's Rp as the sum of its children's, as in a consistent Renja."""

    def total(get):  # type: ignore[no-untyped-def]
        return sum((get(k) for k in kids), D(0))

    def pair(old: Pair, get) -> Pair:  # type: ignore[no-untyped-def]
        return Pair(k=old.k, rp=total(get))

    return FormRow(
        id=row.id, level=row.level, name=row.name, parent=row.parent, polarity=row.polarity,
        quarters=tuple(  # type: ignore[arg-type]
            pair(q, lambda k, i=i: k.quarters[i].rp) for i, q in enumerate(row.quarters)
        ),
        renstra_target=pair(row.renstra_target, lambda k: k.renstra_target.rp),
        renstra_realised_before=pair(
            row.renstra_realised_before, lambda k: k.renstra_realised_before.rp
        ),
        year_target=pair(row.year_target, lambda k: k.year_target.rp),
    )  # fmt: skip


def generate(n: int, seed: int = 7) -> Form:
    """A consistent form of ``n`` rows: programs of 4 kegiatan of 5 sub-kegiatan, every input
    present, parents' Rp the sum of their children's, no spending above pagu."""
    rnd = random.Random(seed)
    rows: list[FormRow] = []
    i = 0
    while len(rows) < n:
        program = _row(rnd, i, Level.PROGRAM, None)
        i += 1
        block: list[FormRow] = []
        kegiatan_rows = []
        for _ in range(4):
            kegiatan = _row(rnd, i, Level.KEGIATAN, program.id)
            i += 1
            subs = [_row(rnd, i + j, Level.SUB_KEGIATAN, kegiatan.id) for j in range(5)]
            i += 5
            kegiatan = _with_sums(kegiatan, subs)
            kegiatan_rows.append(kegiatan)
            block += [kegiatan, *subs]
        rows += [_with_sums(program, kegiatan_rows), *block]
    return Form(year=2025, quarter=QUARTER, rows=tuple(rows[:n]))


def bare_loop(form: Form) -> list[tuple[Decimal, ...]]:
    """Columns 13–16 with plain Decimal arithmetic: the floor the core is compared with."""
    hundred = D(100)
    out = []
    for row in form.rows:
        q = row.quarters
        c13k = q[0].k + q[1].k + q[2].k + q[3].k  # type: ignore[operator]
        c13rp = q[0].rp + q[1].rp + q[2].rp + q[3].rp  # type: ignore[operator]
        c14k = c13k * hundred / row.year_target.k  # type: ignore[operator]
        c14rp = c13rp * hundred / row.year_target.rp  # type: ignore[operator]
        c15k = row.renstra_realised_before.k + c13k  # type: ignore[operator]
        c15rp = row.renstra_realised_before.rp + c13rp  # type: ignore[operator]
        c16k = c15k * hundred / row.renstra_target.k  # type: ignore[operator]
        c16rp = c15rp * hundred / row.renstra_target.rp  # type: ignore[operator]
        out.append((c13k, c13rp, c14k, c14rp, c15k, c15rp, c16k, c16rp))
    return out


def best_of(fn, arg, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Best time per call over ``repeat`` samples of at least 0,2 s each (small forms are
    evaluated many times per sample, so timer noise does not decide the ratio)."""
    start = time.perf_counter()
    fn(arg)
    once = time.perf_counter() - start
    loops = max(1, int(0.2 / max(once, 1e-6)))
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for _ in range(loops):
            fn(arg)
        times.append((time.perf_counter() - start) / loops)
    return min(times)


def peak_mib(fn, arg) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    result = fn(arg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        "baris; evaluasi lengkap (kolom 13–16, rata-rata, 8 pemeriksaan) baris/dtk; kolom 13–16 "
        "saja baris/dtk; loop polos baris/dtk; rasio lengkap; rasio kolom saja; puncak memori"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        form = generate(n)
        # sanity: the core and the bare loop agree on every figure of the generated rows
        evaluation = evaluate_form(form)
        assert not evaluation.findings  # a consistent form: no finding formatting in the timing
        bare = bare_loop(form)
        for r, b in zip(evaluation.rows, bare, strict=True):
            if r.row.polarity is Polarity.HIGHER:
                assert (r.col13_k, r.col14_k, r.col15_k, r.col16_k) == (b[0], b[2], b[4], b[6])
            assert (r.col13_rp, r.col14_rp, r.col15_rp, r.col16_rp) == (b[1], b[3], b[5], b[7])
        full = best_of(evaluate_form, form, args.repeat)
        columns = best_of(columns_only, form, args.repeat)
        floor = best_of(bare_loop, form, args.repeat)
        mem = peak_mib(evaluate_form, form)
        rate = [format_number(D(n) / D(t), 0) for t in (full, columns, floor)]
        print(
            f"{format_number(D(n))}; {rate[0]}; {rate[1]}; {rate[2]}; "
            f"{format_number(D(full / floor), 2)}×; {format_number(D(columns / floor), 2)}×; "
            f"{format_number(D(mem), 1)} MiB"
        )


def columns_only(form: Form) -> list[RowResult]:
    """The core's columns 13–16 alone: the like-for-like comparison with the bare loop."""
    q = form.quarter
    return [evaluate_row(row, q) for row in form.rows]


if __name__ == "__main__":
    main()
