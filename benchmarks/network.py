"""Benchmark of alliancekit.network: one command, prints the figures against the targets.

    ALLIANCEKIT_TEST_DATA=../shared/data .venv/bin/python benchmarks/network.py

Targets (issue #4): every measure for every ATOP year 1815–2018 (204 graphs) < 0.6 s; every
measure for one year of the curated data < 50 ms; gap-filling for 40 allies < 1 s. Times are
the best of ``--repeat`` runs after a warm-up (imports and first calls excluded).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--networkx", action="store_true", help="also time networkx on the ATOP years")
    args = ap.parse_args()

    import polars as pl

    from alliancekit.data import load
    from alliancekit.network import actor_measures, build_graph, graph_measures
    from alliancekit.network.scenarios import gap_fill
    from alliancekit.network.series import atop_graphs

    data = load()
    refdir = os.environ.get("ALLIANCEKIT_TEST_DATA")
    rows = []

    def report(name, seconds, target):
        ok = "ok" if target is None or seconds < target else "MISSED"
        tgt = "" if target is None else f"< {target:g} s"
        rows.append((name, seconds, tgt, ok))
        print(f"{name:<62} {seconds * 1000:9.1f} ms  {tgt:>9}  {ok}", flush=True)

    if refdir and (Path(refdir) / "atop_alliance.parquet").is_file():
        atop = pl.read_parquet(Path(refdir) / "atop_alliance.parquet")
        report(
            "ATOP: build 204 graphs from the dyad-year table",
            best(lambda: atop_graphs(1815, 2018, atop, data), args.repeat),
            None,
        )
        graphs = atop_graphs(1815, 2018, atop, data)

        def fresh():
            from alliancekit.network.series import _strip

            return [_strip(g) for g in graphs.values()]  # no cached results

        for weighted in (True, False):

            def run(weighted=weighted):
                for g in fresh():
                    if g.m:
                        graph_measures(g, weighted=weighted)
                        actor_measures(g, weighted=weighted)

            run()
            label = "weighted" if weighted else "unweighted"
            report(
                f"ATOP: all measures, 204 years, {label}, 1 process", best(run, args.repeat), 0.6
            )
        if args.networkx:
            import networkx as nx

            nxgraphs = [g.to_networkx() for g in graphs.values() if g.m]

            def nxrun():
                for G in nxgraphs:
                    nx.degree_centrality(G)
                    nx.betweenness_centrality(G)
                    nx.closeness_centrality(G)
                    nx.average_clustering(G)
                    nx.density(G)
                    list(nx.connected_components(G))

            report(
                "ATOP: networkx degree/betweenness/closeness/clustering/density/"
                "components, unweighted (reference)",
                best(nxrun, 1),
                None,
            )
    else:
        print("ATOP: skipped (set ALLIANCEKIT_TEST_DATA to the folder of atop_alliance.parquet)")

    year = int(data.info.as_of[:4])

    def curated():
        g = build_graph(data, year)
        graph_measures(g)
        actor_measures(g)

    curated()
    report(f"curated {year}: build + all measures", best(curated, max(args.repeat, 5)), 0.05)

    g = build_graph(data, year)
    allies = g.neighbours("USA")
    print(f"gap-filling: {len(allies)} allies of the USA in {year}")
    for k in (1, 2):
        report(
            f"gap-fill without the USA, curated {year}, {len(allies)} allies, k={k}",
            best(lambda k=k: gap_fill(g, "USA", k=k), args.repeat),
            1.0,
        )
    # A harder case: 40 allies with few ties among them (seeded), all 780 pairs candidates.
    sparse = sparse_allies(40)
    for k in (1, 2):
        r = gap_fill(sparse, "HUB", k=k)
        report(
            f"gap-fill, 40 sparsely tied allies, k={k} ({r.ties.height} new ties)",
            best(lambda k=k: gap_fill(sparse, "HUB", k=k), args.repeat),
            1.0,
        )


def sparse_allies(n: int, seed: int = 1):
    """A hub tied to n allies in two theatres that have about n/2 random ties among them."""
    import numpy as np

    from alliancekit.network.graphs import AllianceGraph

    rng = np.random.default_rng(seed)
    names = ["HUB"] + [f"A{i:02d}" for i in range(n)]
    edges = {(0, i) for i in range(1, n + 1)}
    while len(edges) < n + n // 2:
        i, j = sorted(rng.choice(np.arange(1, n + 1), 2, replace=False).tolist())
        edges.add((i, j))
    src, dst = zip(*sorted(edges), strict=True)
    theatre = ("global",) + tuple("euro_atlantic" if i % 2 else "indo_pacific" for i in range(n))
    return AllianceGraph(
        tuple(names),
        theatre,
        np.array(src),
        np.array(dst),
        rng.integers(1, 6, len(src)).astype(float),
        label="synthetic",
    )


if __name__ == "__main__":
    main()
