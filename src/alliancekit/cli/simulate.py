"""``alliancekit simulate …``: Monte Carlo sweeps over a TOML spec, their summaries, Sobol'
sensitivity and PRIM scenario discovery."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

app = typer.Typer(
    help="Scenario sweeps: Monte Carlo over uncertain futures, sensitivity, scenario discovery.",
    no_args_is_help=True,
)

FormatOpt = typer.Option("table", "--format", help="table, csv or json")


def _json(payload) -> None:
    sys.stdout.write(json.dumps(payload, indent=1, default=_clean) + "\n")


def _clean(v):
    return None if v is None else str(v)


def _nan_to_none(rows: list[dict]) -> list[dict]:
    import math

    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in rows
    ]


def _frame(rows: list[dict], schema: dict | None = None):
    import polars as pl

    return pl.DataFrame(_nan_to_none(rows), schema=schema, infer_schema_length=None)


def _round(df, digits: int = 4):
    import polars as pl

    return df.with_columns(pl.col(pl.Float64).round_sig_figs(digits))


@app.command("run")
def run_cmd(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="The sweep spec (TOML)."),
    output: Path = typer.Option(..., "-o", "--output", help="Parquet file of the draws."),
    draws: int = typer.Option(None, "--draws", help="Number of draws (default: the spec's)."),
    workers: int = typer.Option(
        None, "--workers", help="Local worker processes (default: every core; 1 runs here)."
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="A Dask scheduler address, e.g. tcp://HOST:8786."
    ),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar and no summary."),
) -> None:
    """Run a sweep: every draw's parameters and outputs to a Parquet table, then the summary."""
    from alliancekit import simulate

    if scheduler is None and workers != 1:
        # First of all: the workers' fork server imports the engine while this process
        # imports it too, reads the data and prepares the sweep.
        simulate.start_processes()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from alliancekit.cli._output import console, err_console
    from alliancekit.schema import ParameterError

    if workers is not None and scheduler is not None:
        raise ParameterError("--workers", "give --workers or --scheduler, not both")
    if workers is not None and workers < 1:
        raise ParameterError("--workers", "must be at least 1")
    spec = simulate.load_spec(spec_path, draws=draws)
    backend = "dask" if scheduler else ("inprocess" if workers == 1 else "processes")
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("draws", total=spec.draws, rate="")
        import time

        start = time.perf_counter()

        def step(done: int) -> None:
            el = time.perf_counter() - start
            rate = f"{done / el:,.0f} draws/s" if el > 0 else ""
            progress.update(task, completed=done, rate=rate)

        from alliancekit._params import parameters_as

        with parameters_as({"workers": "--workers", "scheduler": "--scheduler"}):
            info = simulate.run(
                spec,
                output,
                backend=backend,
                workers=workers,
                scheduler=scheduler,
                progress=step,
                summary=None if quiet else "outputs",
            )
    if quiet:
        return
    where = f"{info.workers} worker{'s' if info.workers != 1 else ''}"
    if info.backend == "dask":
        where += f" of the Dask cluster at {scheduler}"
    elif info.backend == "inprocess":
        where = "this process"
    console.print(
        f"wrote {info.draws:,} draws to {info.path} in {info.seconds:.2f} s "
        f"({info.rate:,.0f} draws/s, {where})",
        highlight=False,
    )
    # The outputs only (the parameters' rows are not computed here), from the columns as the
    # sweep wrote them: the numbers of `simulate summary` without reading the table again.
    _print_summary(info.summary, "table")


def _print_summary(s: dict, fmt: str) -> None:
    from alliancekit.cli._output import console, emit

    if fmt == "json":
        _json(
            {
                **s,
                "columns": _nan_to_none(s["columns"]),
                "thresholds": _nan_to_none(s["thresholds"]),
            }
        )
        return
    keep = ["column", "role", "n", "mean", "sd", "mcse_mean", "q05", "q50", "q95"]
    table = _frame([{k: r.get(k) for k in keep} for r in s["columns"]])
    probs = (
        _frame(s["thresholds"]).select("threshold", "p", "mcse", "n") if s["thresholds"] else None
    )
    if fmt == "csv":
        emit(table, "csv")
        if probs is not None:
            sys.stdout.write("\n")
            emit(probs, "csv")
        return
    emit(
        _round(table.filter(table["role"] == "output").drop("role")),
        "table",
        title=f"{s['title'] or 'sweep'}: {s['draws']:,} draws (seed {s['seed']})",
        caption="over the draws; mcse_mean: Monte Carlo standard error of the mean",
    )
    if probs is not None:
        emit(
            _round(probs),
            "table",
            title="threshold probabilities (mcse: Monte Carlo standard error)",
        )
    console.print()


@app.command("summary")
def summary_cmd(
    results: Path = typer.Argument(..., help="A sweep table (Parquet) from 'simulate run'."),
    fmt: str = FormatOpt,
) -> None:
    """Mean, sd, quantiles (with Monte Carlo standard errors) and threshold probabilities."""
    from alliancekit import simulate
    from alliancekit.cli._output import check_format

    check_format(fmt)
    _print_summary(simulate.summarize(results), fmt)


@app.command("sensitivity")
def sensitivity_cmd(
    spec_path: Path = typer.Argument(..., metavar="SPEC", help="The sweep spec (TOML)."),
    samples: int = typer.Option(
        1024, "--samples", help="Saltelli base sample N (a power of two): N × (k + 2) runs."
    ),
    output: list[str] = typer.Option(
        None, "--output", help="Analyse only this output; repeatable (default: every output)."
    ),
    fmt: str = FormatOpt,
) -> None:
    """Sobol' first-order (S1) and total (ST) indices of each output, with 95% confidence
    intervals (SALib, Saltelli sampling): which assumption decides the answer."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from alliancekit import simulate
    from alliancekit.cli._output import check_format, console, emit, err_console
    from alliancekit.simulate.sensitivity import spec_sensitivity

    check_format(fmt)
    spec = simulate.load_spec(spec_path)
    with Progress(
        TextColumn("[bold]Saltelli runs"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} runs"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=fmt != "table",
    ) as progress:
        task = progress.add_task("runs", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        from alliancekit._params import parameters_as

        with parameters_as({"samples": "--samples", "outputs": "--output"}):
            res = spec_sensitivity(spec, samples=samples, outputs=output or None, progress=step)
    if fmt == "json":
        _json({**res, "rows": _nan_to_none(res["rows"])})
        return
    schema = {
        "output": None,
        "parameter": None,
        "S1": None,
        "S1_conf": None,
        "ST": None,
        "ST_conf": None,
        "note": None,
    }
    rows = [{k: r.get(k) for k in schema} for r in res["rows"]]
    import polars as pl

    df = pl.DataFrame(
        _nan_to_none(rows),
        schema={
            "output": pl.String,
            "parameter": pl.String,
            "S1": pl.Float64,
            "S1_conf": pl.Float64,
            "ST": pl.Float64,
            "ST_conf": pl.Float64,
            "note": pl.String,
        },
    )
    if fmt == "csv":
        emit(df, "csv")
        return
    df = df.sort(["output", "ST"], descending=[False, True], nulls_last=True)
    emit(
        _round(df, 3),
        "table",
        title=f"Sobol' indices, {res['evaluations']:,} runs (N = {res['samples']})",
        caption="S1: first order; ST: total (with interactions); conf: half-width of the 95% interval",
    )
    for n in res["notes"]:
        console.print(n, highlight=False)


@app.command("discover")
def discover_cmd(
    results: Path = typer.Argument(..., help="A sweep table (Parquet) from 'simulate run'."),
    where: str = typer.Option(
        ..., "--where", help='The outcome of interest, e.g. "filled_share < 0.5".'
    ),
    density: float = typer.Option(
        0.8, "--density", help="PRIM's density threshold: peel until this share of the box hits."
    ),
    boxes: int = typer.Option(3, "--boxes", help="Find at most this many boxes."),
    fmt: str = FormatOpt,
) -> None:
    """PRIM scenario discovery: the boxes of parameter ranges where the outcome holds, with
    coverage (share of the cases inside) and density (share of the box that are cases)."""
    from alliancekit.cli._output import check_format, console, emit
    from alliancekit.simulate.discovery import box_sentence, discover

    check_format(fmt)
    from alliancekit._params import parameters_as

    with parameters_as({"where": "--where", "density": "--density"}):
        res = discover(results, where, density=density, boxes=boxes)
    if fmt == "json":
        _json(res)
        return
    rows = [
        {
            "box": b["box"],
            "coverage": b["coverage"],
            "density": b["density"],
            "mass": b["mass"],
            "parameter": r["parameter"],
            "low": r["low"],
            "high": r["high"],
            "full_low": r["full_low"],
            "full_high": r["full_high"],
        }
        for b in res["boxes"]
        for r in (
            b["restricted"]
            or [{"parameter": None, "low": None, "high": None, "full_low": None, "full_high": None}]
        )
    ]
    import polars as pl

    schema = {
        "box": pl.Int64,
        "coverage": pl.Float64,
        "density": pl.Float64,
        "mass": pl.Float64,
        "parameter": pl.String,
        "low": pl.Float64,
        "high": pl.Float64,
        "full_low": pl.Float64,
        "full_high": pl.Float64,
    }
    df = pl.DataFrame(rows, schema=schema)
    if fmt == "csv":
        emit(df, "csv")
        return
    console.print(
        f"{where}: {res['cases']:,} of {res['rows']:,} draws ({res['share']:.1%})", highlight=False
    )
    if df.height:
        emit(_round(df, 4), "table", title="PRIM boxes")
    for b in res["boxes"]:
        console.print(f"box {b['box']}: " + box_sentence(b, where), highlight=False)
    for n in res["notes"]:
        console.print(n, highlight=False)
