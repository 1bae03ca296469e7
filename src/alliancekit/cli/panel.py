"""``alliancekit panel state-years|dyad-years``: peacesciencer-style panels from the catalog.

Imports stay inside the command so that the CLI starts fast.
"""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Build state-year and dyad-year panels (COW or G-W) with alliance, "
                       "capability, major-power, contiguity and curated-tie columns.",
                  no_args_is_help=True)

STEPS = ("atop", "nmc", "majors", "contiguity", "ties")
STATE_STEPS = ("nmc", "majors")
NEEDS = {"atop": "atop", "nmc": "nmc", "majors": "majors", "contiguity": "contiguity"}

SystemOpt = typer.Option("cow", "--system", help="State system: cow or gw.")
YearsOpt = typer.Option(None, "--years", help="Keep these years: 1816-2016 or 1990.")
ExtendOpt = typer.Option(None, "--extend-to", help="Carry states still members at the end of "
                                                  "the state data forward to this year.")
AddOpt = typer.Option("", "--add", help="Comma-separated steps: atop,nmc,majors,contiguity,ties.")
OutOpt = typer.Option(..., "-o", "--output", help="Output file: .parquet or .csv.")
HomeOpt = typer.Option(None, "--home", help="Catalog folder (default: $ALLIANCEKIT_HOME, else "
                                            "the user data directory).")


def _steps(add: str, allowed: tuple[str, ...]) -> list[str]:
    from alliancekit.schema import ParameterError

    steps = [s.strip().lower() for s in add.split(",") if s.strip()]
    for s in steps:
        if s not in allowed:
            raise ParameterError("--add", f"unknown or unsupported step {s!r} here; choose from "
                                          f"{', '.join(allowed)}")
    return list(dict.fromkeys(steps))


def _check_output(output: Path) -> str:
    from alliancekit.schema import ParameterError

    suffix = output.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ParameterError("--output", f"write .parquet or .csv, not {output.name!r}")
    return suffix


def build(kind: str, system: str, directed: bool, years: str | None, extend_to: int | None,
          add: str, output: Path, home: Path | None) -> int:
    """Build a panel and write it; returns the number of rows."""
    from alliancekit.cli._output import err_console
    from alliancekit.schema import ParameterError

    if system not in ("cow", "gw"):
        raise ParameterError("--system", f"unknown state system {system!r}; choose cow or gw")
    allowed = STEPS if kind == "dyad" else STATE_STEPS
    steps = _steps(add, allowed)
    if system == "gw" and any(s != "ties" for s in steps):
        raise ParameterError("--add", "atop, nmc, majors and contiguity use COW codes: build the "
                                      "panel with --system cow")
    suffix = _check_output(output)

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from alliancekit.catalog import open_catalog

    cat = open_catalog(home)
    # Fail before any work when an input has not been imported.
    needed = [f"{system}_states"] + [NEEDS[s] for s in steps if s in NEEDS]
    from alliancekit.catalog import MissingImportError

    for name in needed:
        if not cat.has(name):
            raise MissingImportError(name, cat.home)
    from alliancekit import panels

    progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                        console=err_console, transient=True)
    total = 2 + len(steps)
    with progress:
        task = progress.add_task("building the frame", total=total)
        states = cat.read(f"{system}_states")
        if kind == "dyad":
            df = panels.create_dyadyears(system, directed=directed, years=years,
                                         extend_to=extend_to, states=states)
        else:
            df = panels.create_stateyears(system, years=years, extend_to=extend_to, states=states)
        progress.advance(task)
        for step in steps:
            progress.update(task, description=f"adding {step}")
            if step == "atop":
                df = panels.add_atop_alliance(df, cat.read("atop"))
            elif step == "nmc":
                df = panels.add_nmc(df, cat.read("nmc"))
            elif step == "majors":
                df = panels.add_majors(df, cat.read("majors"))
            elif step == "contiguity":
                df = panels.add_contiguity(df, cat.read("contiguity"))
            elif step == "ties":
                df = panels.add_ties(df)
            progress.advance(task)
        progress.update(task, description=f"writing {output.name}")
        output.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            df.write_parquet(output, compression="lz4", statistics=False)
        else:
            df.write_csv(output)
        progress.advance(task)
    return df.height


def _report(n: int, output: Path) -> None:
    from alliancekit.cli._output import err_console

    err_console.print(f"[green]wrote[/] {n:,} rows to {output}")


@app.command("state-years")
def state_years(
    system: str = SystemOpt,
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = typer.Option("", "--add", help="Comma-separated steps: nmc,majors."),
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """State-years of the COW or G-W system, with capability and major-power columns."""
    _report(build("state", system, False, years, extend_to, add, output, home), output)


@app.command("dyad-years")
def dyad_years(
    system: str = SystemOpt,
    directed: bool = typer.Option(False, "--directed/--undirected",
                                  help="Ordered pairs (both directions) or code1 < code2."),
    years: str = YearsOpt,
    extend_to: int = ExtendOpt,
    add: str = AddOpt,
    output: Path = OutOpt,
    home: Path = HomeOpt,
) -> None:
    """Dyad-years of the COW or G-W system, with ATOP, NMC, majors, contiguity and ties."""
    _report(build("dyad", system, directed, years, extend_to, add, output, home), output)
