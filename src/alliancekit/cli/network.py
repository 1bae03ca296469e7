"""``alliancekit network …`` (measures, series, export, picture) and ``alliancekit scenario …``
(remove, weaken, add-tie, add-member, gap-fill)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from alliancekit.cli._options import OutputOpt

app = typer.Typer(
    help="Network measures of the alliance system, their time series and exports.",
    no_args_is_help=True,
)
scenario_app = typer.Typer(
    help="Scenarios: remove or weaken an actor, add ties or members, fill the gap without the hub.",
    no_args_is_help=True,
)

YearOpt = typer.Option(
    None, "--year", help="Year (its 31 December; the current year: the as-of date)."
)
DateOpt = typer.Option(None, "--date", help="A day instead of --year, YYYY-MM-DD.")
SourceOpt = typer.Option(
    "curated", "--source", help="curated (default) or atop (imported ATOP obligations, 1815–2018)."
)
HomeOpt = typer.Option(
    None, "--home", help="Catalog folder for --source atop (default: $ALLIANCEKIT_HOME)."
)
ActorsOpt = typer.Option(
    None,
    "--actors",
    help="Keep only these states (comma-separated ids; NATO, IP4 … stand for their members).",
)
KindsOpt = typer.Option(None, "--kinds", help="Keep only these tie kinds (comma-separated).")
TheatreOpt = typer.Option(
    None, "--theatres", help="Keep only states of these theatres (comma-separated)."
)
HubOpt = typer.Option("USA", "--hub", help="The hub whose role is measured.")
UnweightedOpt = typer.Option(
    False, "--unweighted", help="Ignore tie strength (every tie counts 1)."
)
FormatOpt = typer.Option("table", "--format", help="table, csv or json")
ExtraOpt = typer.Option(
    None, "--extra", help="A user's extension file merged into the curated data; repeatable."
)


def _record(what: str, options: dict, source: str, home: Path | None, extra: list[Path] | None):
    """The provenance record of a network output: the curated data (and extension files) or
    the imported ATOP file, and the command's options."""
    from alliancekit import provenance

    inputs = [provenance.file_input(f, "extension") for f in extra or ()]
    refs: list[str] = []
    if source == "atop":
        from alliancekit.catalog import open_catalog

        rec = open_catalog(home).records(["atop"]).get("atop")
        if rec is not None:
            inputs.insert(0, {"dataset": "atop", **rec})
        refs.append("leeds2002atop")
    return provenance.output_record(
        f"network {what}",
        options={k: v for k, v in options.items() if v not in (None, [], ())},
        inputs=inputs,
        references=refs,
        curated=source == "curated" or bool(extra),
    )


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _graph(
    year: int | None,
    date: str | None,
    source: str,
    home: Path | None,
    actors: str | None,
    kinds: str | None,
    theatres: str | None,
    extra: list[Path] | None = None,
):
    """The graph the options describe, and the curated data (None for ATOP)."""
    from alliancekit.schema import ParameterError, choice

    choice(source, ("curated", "atop"), "--source", "source")
    if year is None and date is None:
        raise ParameterError("--year", "give --year (or --date)")
    actor_list = _split(actors)
    if source == "atop":
        from alliancekit.network.series import atop_graphs, stored_atop

        if date is not None:
            raise ParameterError("--date", "ATOP is yearly: use --year")
        if kinds is not None:
            raise ParameterError("--kinds", "ATOP graphs have obligation types, not tie kinds")
        g = atop_graphs(year, year, stored_atop(home))[year]
        if actor_list:
            g = g.subgraph(actor_list)
        if theatres:
            keep = [a for a, t in zip(g.nodes, g.theatre, strict=True) if t in _split(theatres)]
            g = g.subgraph(keep)
        return g, None
    from alliancekit._params import parameters_as
    from alliancekit.data import load
    from alliancekit.network.graphs import build_graph

    data = load(extra or ())
    on = "--date" if date is not None else "--year"
    flags = {"on": on, "kinds": "--kinds", "theatres": "--theatres", "actors": "--actors"}
    with parameters_as(flags):
        g = build_graph(
            data,
            date if date is not None else int(year),
            kinds=_split(kinds),
            theatres=_split(theatres),
            actors=actor_list,
        )
    return g, data


def _shown(df, fmt: str):
    """Round floats for the terminal table (CSV and JSON keep full precision)."""
    import polars as pl

    if fmt != "table":
        return df
    return df.with_columns(pl.col(c).round(4) for c, t in df.schema.items() if t == pl.Float64)


def _data(source: str, extra: list[Path] | None):
    if source != "curated" and not extra:
        return None
    from alliancekit.data import load

    return load(extra or ())


def _emit_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, indent=1, default=_json_default) + "\n")


def _json_default(v):
    import math

    if isinstance(v, float) and math.isnan(v):
        return None
    return str(v)


def _clean(obj):
    import math

    if isinstance(obj, float):
        return None if math.isnan(obj) else obj
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


@app.command()
def measures(
    year: int = YearOpt,
    date: str = DateOpt,
    level: str = typer.Option(
        "graph",
        "--level",
        help="graph (hub dependence, hub-and-spoke, linkage …) or actor (centralities).",
    ),
    actors: str = ActorsOpt,
    kinds: str = KindsOpt,
    theatres: str = TheatreOpt,
    hub: str = HubOpt,
    unweighted: bool = UnweightedOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
    output: Path = OutputOpt,
) -> None:
    """The measures of the graph on a date: graph-level, or per actor."""
    from alliancekit.cli._output import check_format, emit
    from alliancekit.network.measures import actor_measures, graph_measures, graph_table
    from alliancekit.schema import choice

    check_format(fmt)
    choice(level, ("graph", "actor"), "--level", "level")
    g, data = _graph(year, date, source, home, actors, kinds, theatres, extra)
    g.require_edges()
    _check_hub(hub, data)
    if level == "actor":
        df = actor_measures(g, weighted=not unweighted)
    else:
        df = graph_table(graph_measures(g, hub, weighted=not unweighted))
    if output is not None:
        from alliancekit.cli._output import write_output

        opts = {"year": year, "date": date, "level": level, "actors": actors, "kinds": kinds}
        opts |= {"theatres": theatres, "hub": hub, "weighted": not unweighted, "source": source}
        opts["graph"] = g.label
        write_output(df, output, fmt, _record(f"{level} measures", opts, source, home, extra))
        return
    caption = g.label + (f" · {data.info.label()}" if data is not None else "")
    emit(_shown(df, fmt), fmt, title=f"{level} measures: {g.n} states, {g.m} ties", caption=caption)


def _check_hub(hub: str, data) -> None:
    """An unknown hub is an error (not a column of NaN); a known one may lack ties that year."""
    from alliancekit.schema import ParameterError

    if data is not None and hub not in data.actor_ids():
        raise ParameterError(
            "--hub", f"unknown actor {hub!r}; see 'alliancekit data show actors' for the ids"
        )


@app.command("list-measures")
def list_measures() -> None:
    """What each graph measure of 'measures' and 'series' means."""
    import polars as pl

    from alliancekit.cli._output import emit
    from alliancekit.network.measures import DEFAULT_BLOCS, GRAPH_MEASURE_DOCS

    rows = list(GRAPH_MEASURE_DOCS.items())
    for b in DEFAULT_BLOCS:
        rows.append((f"cohesion_{b}_density", f"density of ties among the members of {b}"))
        rows.append(
            (f"cohesion_{b}_strength", f"tie strength per possible pair among the members of {b}")
        )
    emit(pl.DataFrame(rows, schema=["measure", "meaning"], orient="row"), "table")


@app.command()
def series(
    start: int = typer.Option(..., "--from", help="First year."),
    end: int = typer.Option(..., "--to", help="Last year."),
    names: str = typer.Option(None, "--measures", help="Comma-separated measures (default: all)."),
    hub: str = HubOpt,
    unweighted: bool = UnweightedOpt,
    kinds: str = KindsOpt,
    theatres: str = TheatreOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = typer.Option("csv", "--format", help="table, csv or json"),
    extra: list[Path] = ExtraOpt,
    output: Path = OutputOpt,
) -> None:
    """Every graph measure year by year, as a table."""
    from rich.progress import Progress

    from alliancekit.cli._output import check_format, emit, err_console
    from alliancekit.network.series import series as run
    from alliancekit.network.series import stored_atop

    check_format(fmt)
    if start > end:
        from alliancekit.schema import ParameterError

        raise ParameterError("--from", f"--from {start} is after --to {end}")
    options = {}
    atop = None
    if source == "atop":
        atop = stored_atop(home)
        if kinds or theatres:
            from alliancekit.schema import ParameterError

            raise ParameterError("--kinds", "ATOP series take no --kinds or --theatres filter")
    else:
        options = {"kinds": _split(kinds), "theatres": _split(theatres)}
    data = _data(source, extra)
    _check_hub(hub, data)
    from alliancekit._params import parameters_as

    flags = {"start": "--from", "end": "--to", "measures": "--measures", "hub": "--hub"}
    with Progress(console=err_console, transient=True) as progress, parameters_as(flags):
        task = progress.add_task("measuring", total=max(end - start + 1, 1))
        df = run(
            start,
            end,
            _split(names),
            source=source,
            atop=atop,
            hub=hub,
            data=data,
            weighted=not unweighted,
            progress=lambda _y: progress.advance(task),
            **options,
        )
    if output is not None:
        from alliancekit.cli._output import write_output

        opts = {"from": start, "to": end, "measures": _split(names), "hub": hub}
        opts |= {"weighted": not unweighted, "kinds": kinds, "theatres": theatres}
        opts["source"] = source
        write_output(df, output, fmt, _record("series", opts, source, home, extra), "csv")
        return
    emit(_shown(df, fmt), fmt, title=f"network measures {start}–{end} ({source})")


@app.command()
def export(
    year: int = YearOpt,
    date: str = DateOpt,
    fmt: str = typer.Option(
        ..., "--format", help="graphml, gexf, json (node-link) or csv (edge list)"
    ),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    two_mode: bool = typer.Option(
        False, "--two-mode", help="States and organisations as nodes (curated data only)."
    ),
    actors: str = ActorsOpt,
    kinds: str = KindsOpt,
    theatres: str = TheatreOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Write the graph of a date as GraphML, GEXF, node-link JSON or a CSV edge list."""
    from alliancekit.cli._output import console
    from alliancekit.network.export import EXPORT_FORMATS, write_graph
    from alliancekit.schema import ParameterError, choice

    choice(fmt, EXPORT_FORMATS, "--format", "export format")
    if two_mode:
        if source != "curated":
            raise ParameterError(
                "--two-mode", "the two-mode graph is built from the curated ties only"
            )
        from alliancekit._params import parameters_as
        from alliancekit.data import load
        from alliancekit.network.graphs import build_graph
        from alliancekit.network.graphs import two_mode as build_two_mode

        data = load(extra or ())
        with parameters_as({"on": "--date" if date is not None else "--year"}):
            build_graph(data, date if date is not None else year, kinds=["member"])  # the year
        g = build_two_mode(data, date if date is not None else int(year))
    else:
        g, _ = _graph(year, date, source, home, actors, kinds, theatres, extra)
    g.require_edges()
    opts = {"year": year, "date": date, "format": fmt, "two_mode": two_mode, "actors": actors}
    opts |= {"kinds": kinds, "theatres": theatres, "source": source, "graph": g.label}
    record = _record("graph", opts, source, home, extra)
    from alliancekit._params import parameters_as

    with parameters_as({"fmt": "--format", "path": "--output"}):
        path = write_graph(g, output, fmt, record)
    console.print(f"wrote {path}: {g.n} nodes, {g.m} ties ({g.label})", highlight=False)


@app.command()
def picture(
    year: int = YearOpt,
    date: str = DateOpt,
    output: Path = typer.Option(..., "-o", "--output", help="PNG or SVG file to write."),
    actors: str = ActorsOpt,
    kinds: str = KindsOpt,
    theatres: str = TheatreOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Draw the network of a date, nodes coloured by theatre."""
    from alliancekit.cli._output import console
    from alliancekit.network.picture import save

    g, _ = _graph(year, date, source, home, actors, kinds, theatres, extra)
    g.require_edges()
    from alliancekit._params import parameters_as

    with parameters_as({"path": "--output"}):
        path = save(g, output)
    console.print(f"wrote {path}", highlight=False)


# ---------------------------------------------------------------------------------------------
# Scenarios


def _emit_scenario(result, fmt: str) -> None:
    from alliancekit.cli._output import check_format, console, emit

    check_format(fmt)
    if fmt == "json":
        _emit_json(_clean(result.to_dict()))
        return
    emit(
        _shown(result.table, fmt),
        fmt,
        title=f"scenario: {result.name}",
        caption=result.before.label,
    )
    if fmt == "table":
        for note in result.notes:
            console.print(note, highlight=False)


@scenario_app.command()
def remove(
    actor: str = typer.Option("USA", "--actor", help="The actor to remove."),
    year: int = YearOpt,
    date: str = DateOpt,
    hub: str = HubOpt,
    unweighted: bool = UnweightedOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Remove an actor: every graph measure before, after and the change."""
    from alliancekit.cli._output import check_format
    from alliancekit.network.scenarios import remove as run

    check_format(fmt)
    g, _ = _graph(year, date, source, home, None, None, None, extra)
    g.require_edges()
    g.require(actor)
    _emit_scenario(run(g, actor, hub=hub, weighted=not unweighted), fmt)


@scenario_app.command()
def weaken(
    actor: str = typer.Option("USA", "--actor", help="The actor whose ties weaken."),
    factor: float = typer.Option(
        0.5, "--factor", help="Multiply the strength of its ties by this (≥ 0)."
    ),
    year: int = YearOpt,
    date: str = DateOpt,
    hub: str = HubOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Weaken an actor's ties (multiply their strength): measures before and after."""
    from alliancekit.cli._output import check_format
    from alliancekit.network.scenarios import weaken as run

    check_format(fmt)
    g, _ = _graph(year, date, source, home, None, None, None, extra)
    g.require_edges()
    _emit_scenario(run(g, actor, factor, hub=hub), fmt)


def _parse_tie(text: str) -> tuple[str, str, float]:
    from alliancekit.schema import ParameterError

    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise ParameterError("--tie", f"a tie is A:B or A:B:STRENGTH, not {text!r}")
    try:
        s = float(parts[2]) if len(parts) == 3 else 3.0
    except ValueError:
        raise ParameterError("--tie", f"the strength in {text!r} is not a number") from None
    return parts[0].strip(), parts[1].strip(), s


def _theatres_of(data, names, option: str = "--tie") -> dict[str, str]:
    if data is None:
        return {}
    from alliancekit.schema import ParameterError

    known = dict(zip(data.actors["actor_id"], data.actors["theatre"], strict=True))
    for n in names:
        if n not in known:
            raise ParameterError(option, f"unknown actor {n!r}; see 'alliancekit data show actors'")
    return {n: known[n] for n in names}


@scenario_app.command("add-tie")
def add_tie(
    ties: list[str] = typer.Option(
        ..., "--tie", help="A:B[:STRENGTH] (default strength 3); repeatable."
    ),
    year: int = YearOpt,
    date: str = DateOpt,
    hub: str = HubOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Add ties: measures before and after."""
    from alliancekit.cli._output import check_format
    from alliancekit.network.scenarios import connect

    check_format(fmt)
    g, data = _graph(year, date, source, home, None, None, None, extra)
    g.require_edges()
    parsed = [_parse_tie(t) for t in ties]
    names = {x for a, b, _ in parsed for x in (a, b)}
    _emit_scenario(connect(g, parsed, hub=hub, theatres=_theatres_of(data, names)), fmt)


@scenario_app.command("add-member")
def add_member(
    organisation: str = typer.Option(
        ..., "--organisation", help="NATO, EU, QUAD, AUKUS, GCAP, US_JPN_KOR …"
    ),
    actors: str = typer.Option(..., "--actors", help="New members, comma-separated."),
    strength: float = typer.Option(
        None, "--strength", help="Strength of the co-member ties (default: the organisation's)."
    ),
    year: int = YearOpt,
    date: str = DateOpt,
    hub: str = HubOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Add members to an organisation or framework (curated data): measures before and after."""
    from alliancekit.cli._output import check_format
    from alliancekit.network.scenarios import add_members

    check_format(fmt)
    g, data = _graph(year, date, "curated", None, None, None, None, extra)
    g.require_edges()
    new = _split(actors) or []
    _emit_scenario(
        add_members(
            g, organisation, new, strength, hub=hub, theatres=_theatres_of(data, new, "--actors")
        ),
        fmt,
    )


@scenario_app.command("gap-fill")
def gap_fill(
    hub: str = HubOpt,
    theatre: str = typer.Option(None, "--theatre", help="Only the hub's allies in this theatre."),
    allies: str = typer.Option(
        None, "--allies", help="The allies to reconnect (default: the hub's partners)."
    ),
    k: int = typer.Option(1, "--k", help="1: connected; 2: 2-edge-connected."),
    year: int = YearOpt,
    date: str = DateOpt,
    source: str = SourceOpt,
    home: Path = HomeOpt,
    fmt: str = FormatOpt,
    extra: list[Path] = ExtraOpt,
) -> None:
    """Without the hub, the cheapest new ties that keep its allies connected (k=1) or
    2-edge-connected (k=2)."""
    from alliancekit.cli._output import check_format, console, emit
    from alliancekit.network.gapfill import gap_fill as run

    check_format(fmt)
    g, _ = _graph(year, date, source, home, None, None, None, extra)
    g.require_edges()
    result = run(g, hub, theatre=theatre, allies=_split(allies), k=k)
    if fmt == "json":
        _emit_json(_clean(result.to_dict()))
        return
    goal = "connected" if k == 1 else "2-edge-connected"
    emit(
        _shown(result.ties, fmt),
        fmt,
        title=f"{result.ties.height} new ties keep {len(result.allies)} allies "
        f"{goal} without {hub} (total cost {result.total_cost:.2f})",
        caption=result.label,
    )
    if fmt == "table":
        console.print(f"allies: {', '.join(result.allies)}", highlight=False)
        console.print(
            f"without {hub}: {result.components_before} component(s); isolated: "
            f"{', '.join(result.isolated_before) or 'none'}",
            highlight=False,
        )
        console.print(f"cost rule: {result.cost_rule}", highlight=False)
