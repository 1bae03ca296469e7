"""Benchmark of the main job (issue 12): ``alliancekit report`` whole command, and per section.

Run: ``.venv/bin/python benchmarks/report.py`` (``--repeat N``, default 3).

Target: the whole command under 2 s on this 2-core machine (best of the runs). Each run is a
fresh process, so Python's start-up and every import are counted, as a user meets them. The
per-section figures come from one more fresh process that builds the sections one by one
(each section's lazy imports are counted in the first section that needs them). CPU time
(user + system of the process) is printed beside wall time: on a shared machine it is the
steadier of the two.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0

SECTIONS = r"""
import json, sys, time
t0 = time.perf_counter()
from alliancekit.data import load
from alliancekit.report import SECTION_MODULES, build_sections
from alliancekit.report.html import render_page
t1 = time.perf_counter()
data = load()
t2 = time.perf_counter()
marks = []
sections = build_sections(data, on_section=lambda name: marks.append((name, time.perf_counter())))
t3 = time.perf_counter()
html = render_page(sections, data.info)
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(html)
t4 = time.perf_counter()
out = {"imports": t1 - t0, "load data": t2 - t1}
ends = [t for _, t in marks[1:]] + [t3]
for (name, start), end in zip(marks, ends):
    out[name] = end - start
out["render and write"] = t4 - t3
print(json.dumps(out))
"""


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("alliancekit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "alliancekit"]


def whole_command(out: Path, env: dict | None = None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([*_cli(), "report", "-o", str(out)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"alliancekit report failed:\n{r.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def per_section(out: Path) -> dict[str, float]:
    r = subprocess.run(
        [sys.executable, "-c", SECTIONS, str(out)], capture_output=True, text=True, check=True
    )
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ak-report-bench-"))
    try:
        out = tmp / "report.html"
        load = os.getloadavg()[0]
        runs = [whole_command(out) for _ in range(args.repeat)]
        size = out.stat().st_size
        # As an installed package runs: Python keeps compiled bytecode (this machine sets
        # PYTHONDONTWRITEBYTECODE, so every run above compiles alliancekit's modules again).
        # The cache goes to a temporary folder; one run first fills it.
        cached_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached_env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        whole_command(out, cached_env)
        cached = [whole_command(out, cached_env) for _ in range(args.repeat)]
        sections = [per_section(tmp / "sections.html") for _ in range(args.repeat)]
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    walls = sorted(w for w, _ in runs)
    cpus = sorted(c for _, c in runs)
    cwalls = sorted(w for w, _ in cached)
    ccpus = sorted(c for _, c in cached)
    print(f"load average (1 min) {load:.1f} before, {load_after:.1f} after; {os.cpu_count()} cores")
    print(f"report: {size / 1024:,.0f} KiB")
    print(
        f"whole command `alliancekit report -o report.html`, {args.repeat} fresh processes: "
        f"wall best {walls[0]:.2f} s, median {walls[len(walls) // 2]:.2f} s; "
        f"CPU best {cpus[0]:.2f} s — target < {TARGET_S:.0f} s wall: "
        + ("met" if walls[0] < TARGET_S else "missed")
    )
    print(
        f"the same with Python's bytecode cache (as installed; PYTHONDONTWRITEBYTECODE unset): "
        f"wall best {cwalls[0]:.2f} s, median {cwalls[len(cwalls) // 2]:.2f} s; "
        f"CPU best {ccpus[0]:.2f} s"
    )
    print("per section (best of the fresh processes, s):")
    for key in sections[0]:
        best = min(s[key] for s in sections)
        print(f"  {key:<18} {best:6.3f}")
    print(f"  {'total':<18} {min(sum(s.values()) for s in sections):6.3f}")


if __name__ == "__main__":
    main()
