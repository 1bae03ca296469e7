"""Benchmark of the panels (issue #3). One command:

    .venv/bin/python benchmarks/panels.py [--repeat 3]

Imports the reference tables (``$ALLIANCEKIT_TEST_DATA``, default ``../shared/data`` beside
the repository) into a temporary catalog, then runs each case in a fresh Python process and
prints its wall time and peak memory (``ru_maxrss`` of that process):

(a) directed COW dyad-years carried forward to 2025 (~2.25 million rows) + atop, nmc, majors,
    contiguity; (b) COW state-years + nmc, majors; (c) undirected G-W dyad-years;
and the whole ``alliancekit panel dyad-years ...`` command of (a), Python start-up included.

"pipeline" is the time of the create/add steps on tables already read, the first run in the
process; "warm" is a second run in the same process; "load" is the time to read the inputs from
the catalog; "peak" covers the whole process (imports included) up to the end of the first run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("ALLIANCEKIT_TEST_DATA", REPO.parent / "shared" / "data"))
FILES = {
    "atop": "atop_alliance.parquet",
    "nmc": "cow_nmc.parquet",
    "cow_states": "cow_states.parquet",
    "gw_states": "gw_states.parquet",
    "majors": "cow_majors.parquet",
    "contiguity": "cow_contdir.parquet",
}
TARGETS = {"a": 0.3, "b": 0.03, "command": 0.8}  # seconds
PEAK_TARGET_MIB = 600


def run_case(case: str, home: str) -> dict:
    """Runs inside the fresh child process."""
    t0 = time.perf_counter()
    from alliancekit import panels as ps
    from alliancekit.catalog import open_catalog

    t_import = time.perf_counter() - t0
    cat = open_catalog(home)
    t = time.perf_counter()
    if case == "a":
        tables = {n: cat.read(n) for n in ("cow_states", "atop", "nmc", "majors", "contiguity")}
    elif case == "b":
        tables = {n: cat.read(n) for n in ("cow_states", "nmc", "majors")}
    else:
        tables = {"gw_states": cat.read("gw_states")}
    t_load = time.perf_counter() - t

    def pipeline():
        if case == "a":
            df = ps.create_dyadyears(
                "cow", directed=True, extend_to=2025, states=tables["cow_states"]
            )
            df = ps.add_atop_alliance(df, tables["atop"])
            df = ps.add_nmc(df, tables["nmc"])
            df = ps.add_majors(df, tables["majors"])
            return ps.add_contiguity(df, tables["contiguity"])
        if case == "b":
            df = ps.create_stateyears("cow", states=tables["cow_states"])
            df = ps.add_nmc(df, tables["nmc"])
            return ps.add_majors(df, tables["majors"])
        return ps.create_dyadyears("gw", directed=False, states=tables["gw_states"])

    t = time.perf_counter()
    df = pipeline()
    t_pipe = time.perf_counter() - t
    rows, width, size = df.height, df.width, df.estimated_size() / 2**20
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux -> MiB
    del df
    t = time.perf_counter()
    pipeline()  # again in the same process: memory already mapped ("warm")
    t_warm = time.perf_counter() - t
    return {
        "rows": rows,
        "columns": width,
        "import": t_import,
        "load": t_load,
        "pipeline": t_pipe,
        "warm": t_warm,
        "peak_mib": peak,
        "frame_mib": size,
    }


def _child(args: list[str]) -> str:
    """Run a child process; its stdout."""
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{p.stderr}")
    return p.stdout


def _peak_of(args: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS of one child, measured with os.wait4 on that child alone."""
    t = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, rusage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode() if p.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err}")
    return wall, rusage.ru_maxrss / 1024


def setup(home: str) -> None:
    from alliancekit.catalog import open_catalog
    from alliancekit.importers import SOURCES

    missing = [f for f in FILES.values() if not (DATA / f).is_file()]
    if missing:
        raise SystemExit(
            f"reference data missing in {DATA}: {', '.join(missing)} (set ALLIANCEKIT_TEST_DATA)"
        )
    cat = open_catalog(home)
    for name, f in FILES.items():
        src = SOURCES[name]
        cat.store(
            name,
            src.reader(DATA / f),
            source_file=DATA / f,
            version=src.version,
            citation=src.citation,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (fresh process each)")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--home", help=argparse.SUPPRESS)
    ap.add_argument("--setup", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.setup:
        setup(args.setup)
        return
    if args.case:
        print(json.dumps(run_case(args.case, args.home)))
        return
    exe = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        home = str(Path(tmp) / "home")
        # Import in a child too: this parent stays small, so the children's peak memory is
        # their own (a forked child starts with its parent's resident pages counted).
        _child([exe, __file__, "--setup", home])
        print(
            f"reference data: {DATA}\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"best and median of {args.repeat} fresh processes\n"
        )
        names = {
            "a": "(a) directed COW dyad-years to 2025 + atop, nmc, majors, contiguity",
            "b": "(b) COW state-years + nmc, majors",
            "c": "(c) undirected G-W dyad-years",
        }
        ok = True
        for case in ("a", "b", "c"):
            runs = []
            for _ in range(args.repeat):
                out = _child([exe, __file__, "--case", case, "--home", home])
                runs.append(json.loads(out))
            pipe = [r["pipeline"] for r in runs]
            peak = max(r["peak_mib"] for r in runs)
            r0 = runs[0]
            line = (
                f"{names[case]}\n    {r0['rows']:,} rows x {r0['columns']} columns "
                f"({r0['frame_mib']:.0f} MiB); pipeline best {min(pipe):.3f} s, median "
                f"{statistics.median(pipe):.3f} s (warm, same process: "
                f"{statistics.median(r['warm'] for r in runs):.3f} s); load {statistics.median(r['load'] for r in runs):.3f} s; "
                f"imports {statistics.median(r['import'] for r in runs):.3f} s; peak {peak:.0f} MiB"
            )
            if case in TARGETS:
                hit = statistics.median(pipe) < TARGETS[case]
                ok &= hit
                line += f"\n    target pipeline < {TARGETS[case]} s: {'met' if hit else 'MISSED'}"
            if case == "a":
                hit = peak < PEAK_TARGET_MIB
                ok &= hit
                line += f"; peak < {PEAK_TARGET_MIB} MiB: {'met' if hit else 'MISSED'}"
            print(line)
        out = Path(tmp) / "ddy.parquet"
        cli = [
            exe,
            "-m",
            "alliancekit",
            "panel",
            "dyad-years",
            "--system",
            "cow",
            "--directed",
            "--extend-to",
            "2025",
            "--add",
            "atop,nmc,majors,contiguity",
            "-o",
            str(out),
            "--home",
            home,
        ]
        walls, peaks = [], []
        for _ in range(args.repeat):
            w, p = _peak_of(cli)
            walls.append(w)
            peaks.append(p)
        hit = statistics.median(walls) < TARGETS["command"]
        ok &= hit
        print(
            f"whole command: alliancekit panel dyad-years --directed --extend-to 2025 --add "
            f"atop,nmc,majors,contiguity -o ddy.parquet\n    wall best {min(walls):.3f} s, "
            f"median {statistics.median(walls):.3f} s; peak {max(peaks):.0f} MiB; "
            f"{out.stat().st_size / 2**20:.0f} MiB written\n    target < {TARGETS['command']} s: "
            f"{'met' if hit else 'MISSED'}"
        )
        print("\nall targets met" if ok else "\nsome targets missed")


if __name__ == "__main__":
    main()
