"""Benchmark of the dashboard and its API (issue #12): one command, prints figures and targets.

    .venv/bin/python benchmarks/app.py                 # --clients 20 --duration 20

Starts ``alliancekit serve`` on a free loopback port (a separate process, as a user would) and:

1. the dashboard's time to first render of the network in Chromium (Debian's, via Playwright):
   from the start of navigation in a fresh browser context (empty cache) to the moment the
   network is drawn (the page's ``network-drawn`` performance mark); the first load hits a
   server that has computed nothing yet;
2. ``--clients`` concurrent clients (httpx + asyncio, one connection each) for ``--duration``
   seconds against the measures, graph and scenario (remove the US, with gap-filling)
   endpoints; each request picks a year at random (measures and graph: 1949 to today;
   scenario: 1990 to today), so the first request of each year pays for its computation
   and later ones are served from the server's cache. Prints p50/p95/p99 latency, requests
   per second and errors per endpoint.

Targets: p95 < 50 ms for measures and graph, < 250 ms for the scenario with gap-filling; zero
errors; network drawn < 1.5 s from a cold start of the page. The load clients run on the same
machine as the server (loopback), so on 2 cores they compete with it for CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHROMIUM = os.environ.get("ALLIANCEKIT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS_MS = {"measures": 50.0, "graph": 50.0, "scenario": 250.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("alliancekit")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "alliancekit"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stdout.read().decode()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/meta", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def server_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_render(base: str, loads: int) -> list[float]:
    """Milliseconds from navigation start to the network drawn, one per fresh page load."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for _ in range(loads):
                ctx = browser.new_context(viewport={"width": 1500, "height": 980})
                page = ctx.new_page()
                page.goto(base + "/")
                page.wait_for_function(
                    "() => performance.getEntriesByName('network-drawn').length > 0",
                    timeout=30_000,
                )
                out.append(
                    page.evaluate(
                        "() => performance.getEntriesByName('network-drawn')[0].startTime"
                    )
                )
                ctx.close()
        finally:
            browser.close()
    return out


async def load_test(base: str, clients: int, duration: float, last_year: int, seed: int):
    import httpx

    rng = random.Random(seed)
    kinds = ("measures", "graph", "scenario")
    lat: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, int] = {k: 0 for k in kinds}
    server: dict[str, list[float]] = {k: [] for k in kinds}
    codes: dict[int, int] = {}

    def request(kind: str) -> str:
        if kind == "measures":
            return f"/api/network/measures?year={rng.randint(1949, last_year)}"
        if kind == "graph":
            return f"/api/network/graph?year={rng.randint(1949, last_year)}"
        return f"/api/scenario/remove?year={rng.randint(1990, last_year)}&actor=USA&gap_fill=true"

    stop = time.perf_counter() + duration

    async def client(i: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            n = i
            while time.perf_counter() < stop:
                kind = kinds[n % 3]
                n += 1
                url = request(kind)
                t = time.perf_counter()
                try:
                    r = await c.get(url)
                    await r.aread()
                    ok = r.status_code == 200
                    timing = r.headers.get("server-timing", "")
                    if timing.startswith("app;dur="):
                        server[kind].append(float(timing[8:]))
                    codes[r.status_code] = codes.get(r.status_code, 0) + 1
                except httpx.HTTPError:
                    ok = False
                lat[kind].append(time.perf_counter() - t)
                if not ok:
                    errors[kind] += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return lat, errors, codes, server, time.perf_counter() - t0


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--loads", type=int, default=5, help="cold page loads for the render time")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument(
        "--warm", action="store_true", help="request every URL of the mix once before the load"
    )
    args = ap.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t = time.perf_counter()
    proc = start_server(port)
    print(f"server up in {time.perf_counter() - t:.2f} s at {base} (cores: {os.cpu_count()})")
    try:
        import httpx

        last_year = httpx.get(base + "/api/meta").json()["last_year"]
        if not args.no_browser and Path(CHROMIUM).is_file():
            ms = first_render(base, args.loads)
            print(
                f"dashboard, network drawn from a cold page: first load (cold server) "
                f"{ms[0]:.0f} ms; next {len(ms) - 1} loads median "
                f"{statistics.median(ms[1:]) if len(ms) > 1 else float('nan'):.0f} ms, "
                f"max {max(ms[1:]) if len(ms) > 1 else float('nan'):.0f} ms (target < 1500 ms)"
            )
        if args.warm:
            t = time.perf_counter()
            with httpx.Client(base_url=base, timeout=60) as c:
                for y in range(1949, last_year + 1):
                    c.get(f"/api/network/measures?year={y}")
                    c.get(f"/api/network/graph?year={y}")
                    if y >= 1990:
                        c.get(f"/api/scenario/remove?year={y}&actor=USA&gap_fill=true")
            print(f"warmed every year of the mix in {time.perf_counter() - t:.1f} s (one client)")
        cpu0, own0 = server_cpu(proc.pid), time.process_time()
        lat, errors, codes, server, wall = asyncio.run(
            load_test(base, args.clients, args.duration, last_year, args.seed)
        )
        cpu1, own1 = server_cpu(proc.pid), time.process_time()
        total = sum(len(v) for v in lat.values())
        print(
            f"\n{args.clients} clients for {wall:.1f} s: {total} requests, "
            f"{total / wall:.0f} req/s, status codes {dict(sorted(codes.items()))}"
        )
        if cpu0 is not None:
            print(
                f"CPU during the load: server {cpu1 - cpu0:.1f} s "
                f"({1000 * (cpu1 - cpu0) / max(total, 1):.2f} ms a request), "
                f"load clients {own1 - own0:.1f} s; machine load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
        print(
            f"{'endpoint':<10} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8} {'errors':>6}  target p95"
        )
        for k, xs in lat.items():
            ms = [x * 1000 for x in xs]
            p95 = pct(ms, 95)
            verdict = "ok" if p95 < TARGETS_MS[k] and not errors[k] else "MISSED"
            print(
                f"{k:<10} {len(ms):>6} {len(ms) / wall:>7.0f} {pct(ms, 50):>8.1f} {p95:>8.1f} "
                f"{pct(ms, 99):>8.1f} {max(ms):>8.1f} {errors[k]:>6}  < {TARGETS_MS[k]:.0f} ms {verdict}"
            )
        print("time inside the server (Server-Timing, ms):")
        for k, ms in server.items():
            print(
                f"  {k:<10} p50 {pct(ms, 50):.2f}  p95 {pct(ms, 95):.2f}  p99 {pct(ms, 99):.2f}  "
                f"max {max(ms) if ms else float('nan'):.1f}"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
