"""Benchmark of scenario sweeps (issue 15). Run: ``.venv/bin/python benchmarks/simulate.py``
(``--quick`` for a smaller run, ``--ten-million`` to add the 10,000,000-draw memory probe).

Figures: draws per second for 40 allies, burden only and with the network outputs, in this
process, on 2 local worker processes and on a 2-worker dask.distributed LocalCluster; the
scaling efficiency from 1 to 2 workers; the Dask overhead; the whole command for 1,000,000
burden draws (Parquet and summary included); 100,000 draws with the network outputs; peak memory
for 10,000,000 burden draws.

Targets (2 cores): 1,000,000 burden-only draws of 40 allies, whole command, < 4 s on 2 workers;
100,000 draws with network outputs < 60 s; scaling efficiency ≥ 80%; Dask within 20% of local
processes; 10,000,000 draws < 1 GiB peak memory.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BURDEN = ROOT / "examples" / "burden-sweep.toml"
NETWORK = ROOT / "examples" / "us-retrenchment-sweep.toml"
N_ALLIES = 40


def forty_allies(model, n: int = N_ALLIES):
    """The model with synthetic allies added (copies of existing ones at other incomes, same
    burdens) until it has ``n``: the 2025 data have figures for 31 NATO allies."""
    rng = np.random.default_rng(40)
    k = n - len(model.actors)
    if k <= 0:
        return model
    src = rng.choice([i for i in range(len(model.actors)) if i != model.hub], k)
    scale = rng.uniform(0.5, 1.5, k)
    return dataclasses.replace(
        model,
        actors=[*model.actors, *(f"X{i:02d}" for i in range(k))],
        income=np.concatenate([model.income, model.income[src] * scale]),
        spending=np.concatenate([model.spending, model.spending[src] * scale]),
    )


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    quick = "--quick" in sys.argv
    from distributed import Client, LocalCluster

    from alliancekit import simulate
    from alliancekit.data import load
    from alliancekit.simulate.backends import run
    from alliancekit.simulate.engine import prepare

    data = load()
    n_burden = 200_000 if quick else 1_000_000
    n_net = 20_000 if quick else 100_000
    tmp = Path(tempfile.mkdtemp(prefix="ak-sim-bench-"))
    print(f"scenario sweeps — {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    burden = forty_allies(prepare(simulate.load_spec(BURDEN, draws=n_burden), data=data))
    net_spec = simulate.load_spec(NETWORK, draws=n_net)
    network = forty_allies(prepare(net_spec, data=data))
    print(
        f"burden model: {len(burden.actors)} allies, {n_burden:,} draws; network model: "
        f"{len(network.actors)} allies + the 2025 graph, {n_net:,} draws"
    )

    rates: dict[tuple[str, str], float] = {}
    secs: dict[tuple[str, str], float] = {}

    def measure(label, model, be, w, client=None):
        m = model
        if label == "network" and be == "inprocess":  # one process: a fifth of the draws
            m = dataclasses.replace(model, spec=model.spec.model_copy(update={"draws": n_net // 5}))
        kw = {"scheduler": client} if be == "dask" else {"workers": w}
        info = run(m, tmp / f"{label}-{be}{w}.parquet", backend=be, **kw)
        key = (label, f"{be}×{w}")
        rates[key], secs[key] = info.rate, info.seconds
        print(
            f"  {label:8s} {be:10s} workers {w}: {info.draws:>9,} draws in "
            f"{info.seconds:6.2f} s = {info.rate:>10,.0f} draws/s"
        )

    for label, model in (("burden", burden), ("network", network)):
        for be, w in (("inprocess", 1), ("processes", 1), ("processes", 2)):
            measure(label, model, be, w)
    # The cluster runs only for its own measurements (its idle processes would share the cores).
    t0 = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    print(f"  (LocalCluster of 2 workers started in {time.perf_counter() - t0:.1f} s, not counted)")
    try:
        # A cluster lives on between sweeps: the first sweep also pays the workers' imports and
        # network caches (cold), later ones do not (warm). Both are shown; the overhead uses warm.
        for label, model in (("burden", burden), ("network", network)):
            measure(label, model, "dask", 2, client)
            cold = secs[(label, "dask×2")]
            measure(label, model, "dask", 2, client)
            print(f"  {label:8s} dask cold (first sweep on the cluster): {cold:.2f} s")
    finally:
        client.close()
        cluster.close()

    print("\nscaling and overhead")
    for label in ("burden", "network"):
        eff = rates[(label, "processes×2")] / (2 * rates[(label, "processes×1")])
        over = secs[(label, "dask×2")] / secs[(label, "processes×2")] - 1
        print(
            f"  {label:8s} scaling efficiency 1 → 2 workers: {eff:.0%} (target ≥ 80%); "
            f"Dask (warm) vs local processes at 2 workers: {over:+.0%} (target within 20%)"
        )

    print("\nwhole command, 2 workers (process start, data, Parquet and summary included)")
    t = timed(
        lambda: (
            run(burden, tmp / "e2e.parquet", backend="processes", workers=2),
            simulate.summarize(tmp / "e2e.parquet"),
        )
    )
    print(
        f"  {n_burden:,} burden draws of {len(burden.actors)} allies (Python API): {t:.2f} s (target < 4 s for 1,000,000)"
    )
    cli = [str(Path(sys.executable).parent / "alliancekit"), "simulate", "run"]
    t = timed(
        lambda: subprocess.run(
            [
                *cli,
                str(BURDEN),
                "--draws",
                str(n_burden),
                "--workers",
                "2",
                "-o",
                str(tmp / "cli.parquet"),
            ],
            check=True,
            capture_output=True,
        )
    )
    print(
        f"  alliancekit simulate run examples/burden-sweep.toml --draws {n_burden:,} --workers 2 "
        f"(the 31 NATO allies with figures): {t:.2f} s"
    )
    t = timed(
        lambda: subprocess.run(
            [
                *cli,
                str(NETWORK),
                "--draws",
                str(n_net),
                "--workers",
                "2",
                "-o",
                str(tmp / "cli-net.parquet"),
            ],
            check=True,
            capture_output=True,
        )
    )
    print(
        f"  alliancekit simulate run examples/us-retrenchment-sweep.toml --draws {n_net:,} --workers 2: "
        f"{t:.2f} s (target < 60 s for 100,000)"
    )

    if "--ten-million" in sys.argv:
        import psutil

        print("\npeak memory, 10,000,000 burden draws on 2 workers, summary included")
        code = (
            "from alliancekit import simulate\n"
            "if __name__ == '__main__':\n"
            f"    simulate.run({str(BURDEN)!r}, {str(tmp / 'ten.parquet')!r}, draws=10_000_000, workers=2)\n"
            f"    simulate.summarize({str(tmp / 'ten.parquet')!r})\n"
        )
        script = tmp / "ten.py"
        script.write_text(code, encoding="utf-8")
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script)])
        me = psutil.Process(proc.pid)
        peak_main = peak_all = 0
        while proc.poll() is None:
            try:
                rss_main = me.memory_info().rss
                rss_all = rss_main + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                rss_main = rss_all = 0
            peak_main, peak_all = max(peak_main, rss_main), max(peak_all, rss_all)
            time.sleep(0.1)
        mib = 2**20
        print(
            f"  {time.perf_counter() - t0:.1f} s; peak RSS (sampled every 0.1 s): main process "
            f"{peak_main / mib:.0f} MiB, main + forkserver + workers {peak_all / mib:.0f} MiB "
            "(target < 1024 MiB)"
        )
    print(
        f"\n(peak RSS of this benchmark process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
