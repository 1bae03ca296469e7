"""Benchmark of burden sharing (issue 5). Run: ``.venv/bin/python benchmarks/burden.py``.

Targets: exact equilibrium of 40 allies, one solve called alone < 100 µs; a vectorised batch of
1,000,000 parameter draws < 5 s (2 cores); all measures for a year < 20 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import timeit

import numpy as np

N_ALLIES = 40
DRAWS = 1_000_000


def bench_single(rng) -> float:
    from alliancekit.burden.equilibrium import solve_public_good

    w = rng.lognormal(0, 1.5, N_ALLIES)
    a = rng.uniform(0.01, 0.3, N_ALLIES)
    solve_public_good(w, a)
    runs = timeit.repeat(lambda: solve_public_good(w, a), number=2000, repeat=7)
    return min(runs) / 2000, statistics.median(runs) / 2000


def bench_batch(rng) -> tuple[float, float]:
    from alliancekit.burden.equilibrium import solve_batch

    w = rng.lognormal(0, 1.5, N_ALLIES)
    t0 = time.perf_counter()
    alpha = rng.uniform(0.01, 0.3, (DRAWS, N_ALLIES))
    t_draw = time.perf_counter() - t0
    solve_batch(w, alpha[:10_000])  # warm up
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        solve_batch(w, alpha)
        best = min(best, time.perf_counter() - t0)
    return best, t_draw


def bench_measures() -> tuple[float, str]:
    import polars as pl

    from alliancekit.burden import burden_table, load_spending
    from alliancekit.data import load

    data = load()
    spending = load_spending()
    label = "curated spending.csv"
    if spending.is_empty():
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
        from tests.test_burden_data import default_rows  # synthetic figures

        spending = pl.DataFrame(default_rows())
        label = "synthetic figures (spending.csv not curated)"
        from alliancekit.burden.data import SPENDING_SCHEMA

        spending = (
            spending.with_columns(
                pl.col("price_basis").replace("", None),
                pl.col("estimate").cast(pl.Boolean),
                pl.col("source_accessed").str.to_date(),
                pl.lit("synthetic").alias("file"),
                pl.int_range(1, pl.len() + 1).alias("row"),
            )
            .select(list(SPENDING_SCHEMA))
            .cast(SPENDING_SCHEMA)
        )
    year = int(spending.filter(pl.col("actor_id") == "USA")["year"].max())
    burden_table(year, "NATO", spending=spending, data=data)
    runs = timeit.repeat(
        lambda: burden_table(year, "NATO", spending=spending, data=data), number=20, repeat=5
    )
    return statistics.median(runs) / 20, f"{label}, NATO {year}"


def main() -> int:
    rng = np.random.default_rng(2025)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"alliancekit burden benchmark — {cores} cores, numpy {np.__version__}")
    ok = True
    best, med = bench_single(rng)
    good = med < 100e-6
    ok &= good
    print(
        f"exact equilibrium, {N_ALLIES} allies, one solve:   {med * 1e6:7.1f} µs median "
        f"({best * 1e6:.1f} best)   target < 100 µs   {'PASS' if good else 'FAIL'}"
    )
    t, t_draw = bench_batch(rng)
    good = t < 5.0
    ok &= good
    print(
        f"batch of {DRAWS:,} draws × {N_ALLIES} allies:    {t:7.2f} s   "
        f"(+ {t_draw:.2f} s to draw the parameters)   target < 5 s   {'PASS' if good else 'FAIL'}"
    )
    t, label = bench_measures()
    good = t < 0.020
    ok &= good
    print(
        f"all measures for a year ({label}): {t * 1e3:.1f} ms   target < 20 ms   {'PASS' if good else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
