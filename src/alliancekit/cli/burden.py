"""``alliancekit burden …``: burden-sharing measures, the exploitation test, the equilibrium model.
``alliancekit data import sipri PATH`` is one of the importers of :mod:`alliancekit.cli.catalog`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from alliancekit.cli._options import OutputOpt

app = typer.Typer(
    help="Burden sharing: spending measures, the exploitation test, the equilibrium model.",
    no_args_is_help=True,
)

SourceOpt = typer.Option(
    "curated", "--source", help="curated (shipped figures) or sipri (imported workbook)."
)
SpendingOpt = typer.Option(
    None, "--spending", help="A spending file in the curated format, instead of the shipped one."
)
HomeOpt = typer.Option(
    None, "--home", help="Catalog folder (default: $ALLIANCEKIT_HOME or the user data dir)."
)
AllianceOpt = typer.Option(
    "NATO", "--alliance", help="NATO, IP4, an organisation/framework id, actor ids; join with '+'."
)
FormatOpt = typer.Option("table", "--format", help="table, csv or json")


def _spending(source: str, spending: Path | None, home: Path | None):
    from alliancekit.burden import get_spending
    from alliancekit.schema import ParameterError

    if spending is not None and source != "curated":
        raise ParameterError(
            "--spending",
            "a spending file replaces the curated figures; use it with --source curated",
        )
    return get_spending(source, path=spending, home=home)


def _record(what: str, options: dict, source: str, spending_file, home, frame, editions=None):
    """The provenance record of a burden output: the spending figures (the shipped table, a
    user's file or the imported SIPRI workbook) with the publishers of the editions used."""
    from alliancekit import provenance

    inputs = []
    if spending_file is not None:
        inputs.append(provenance.file_input(spending_file, "spending"))
    if source == "sipri":
        from alliancekit.catalog import open_catalog

        rec = open_catalog(home).records(["sipri"]).get("sipri")
        if rec is not None:
            inputs.append({"dataset": "sipri", **rec})
    return provenance.output_record(
        f"burden {what}",
        options={k: v for k, v in options.items() if v is not None} | {"source": source},
        inputs=inputs,
        sources=provenance.spending_sources(frame, editions),
        curated=source == "curated" and spending_file is None,
    )


def _editions(df) -> list[str] | None:
    return sorted(set(df["edition"].drop_nulls())) if "edition" in df.columns else None


def _json(payload) -> None:
    sys.stdout.write(json.dumps(payload, indent=1, default=str) + "\n")


@app.command("table")
def table_cmd(
    year: int = typer.Option(..., "--year", help="The year."),
    alliance: str = AllianceOpt,
    fmt: str = FormatOpt,
    source: str = SourceOpt,
    spending: Path = SpendingOpt,
    edition: str = typer.Option(
        None, "--edition", help="Use only this edition, e.g. 'NATO 2025-08'."
    ),
    home: Path = HomeOpt,
    output: Path = OutputOpt,
) -> None:
    """Every measure of a year, one row per ally: spending, GDP, burden, shares, fair-share ratio,
    per head, real change, the guidelines (2%, 3.5% core, 5% in all) and the money short of them."""
    from alliancekit.burden import burden_table
    from alliancekit.cli._output import check_format, console, emit

    check_format(fmt)
    frame = _spending(source, spending, home)
    bt = burden_table(year, alliance, spending=frame, edition=edition)
    if output is not None:
        from alliancekit.cli._output import write_output

        opts = {"year": year, "alliance": alliance, "edition": edition, "totals": bt.totals}
        rec = _record("table", opts, source, spending, home, frame, _editions(bt.table))
        write_output(bt.table, output, fmt, rec)
        return
    if fmt == "json":
        _json({"totals": bt.totals, "allies": bt.table.to_dicts()})
        return
    if fmt == "csv":
        emit(bt.table, "csv")
        return
    import polars as pl

    labels = {
        "actor_id": "ally",
        "spending_usd_mn": "spend $mn",
        "gdp_usd_mn": "GDP $bn",
        "burden_pct": "%GDP",
        "share_spending_pct": "share%",
        "fair_share_ratio": "fair",
        "real_change_pct": "real%",
        "meets_2pct": "2%",
        "gap_2pct_usd_mn": "gap2 $mn",
        "meets_3_5pct": "3.5%",
        "gap_3_5pct_usd_mn": "gap3.5 $mn",
        "on_path_3_5": "path",
        "meets_5pct": "5%",
        "estimate": "est",
    }
    shown = (
        bt.table.select(list(labels))
        .with_columns(
            pl.col("gdp_usd_mn") / 1000,
            pl.col("meets_5pct").replace({"not measurable": "n/m", "not met": "no", "met": "yes"}),
        )
        .with_columns(
            pl.col(pl.Float64).round(1),
            pl.col(pl.Boolean).replace_strict({True: "yes", False: "no"}, return_dtype=pl.String),
        )
        .rename(labels)
    )
    t = bt.totals
    share = t["hub_share_spending_pct"]
    hub_part = (
        f"{t['hub']} share {share:.1f}%"
        if share is not None
        else f"{t['hub']} not among these allies with figures"
    )
    cap = (
        f"{t['with_figures']} of {t['members']} allies with figures; total US$ {t['spending_usd_mn'] or 0:,.0f} mn; "
        f"{hub_part}; current prices; "
        "5%: n/m = not measurable (no defence-related figures)"
    )
    emit(shown, "table", title=f"Burden sharing, {bt.alliance} {year}", caption=cap)
    if bt.missing:
        console.print(f"no figures for: {', '.join(bt.missing)}", highlight=False)


@app.command("series")
def series_cmd(
    first: int = typer.Option(2014, "--from", help="First year."),
    last: int = typer.Option(2025, "--to", help="Last year."),
    alliance: str = AllianceOpt,
    fmt: str = FormatOpt,
    source: str = SourceOpt,
    spending: Path = SpendingOpt,
    home: Path = HomeOpt,
    output: Path = OutputOpt,
) -> None:
    """The alliance's spending, burden and the US share, year by year (one edition per series)."""
    from alliancekit.burden import hub_share_series
    from alliancekit.cli._output import check_format, emit
    from alliancekit.schema import ParameterError

    check_format(fmt)
    if last < first:
        raise ParameterError("--to", f"last year {last} is before first year {first}")
    frame = _spending(source, spending, home)
    df = hub_share_series(range(first, last + 1), alliance, spending=frame)
    if output is not None:
        from alliancekit.cli._output import write_output

        opts = {"from": first, "to": last, "alliance": alliance}
        write_output(
            df, output, fmt, _record("series", opts, source, spending, home, frame, _editions(df))
        )
        return
    if fmt == "table":
        import polars as pl

        df = df.with_columns(pl.col(pl.Float64).round(2))
    emit(df, fmt, title=f"{alliance} {first}–{last}: US$ mn, current prices")


@app.command("exploitation")
def exploitation_cmd(
    year: int = typer.Option(
        None, "--year", help="Test one year of the curated (or imported) figures."
    ),
    first: int = typer.Option(None, "--from", help="With --to: test each year of a span."),
    last: int = typer.Option(None, "--to", help="Last year of the span."),
    input_file: Path = typer.Option(
        None, "--input", help="A CSV table: actor, gdp, and burden (% of GDP) or spending."
    ),
    any_actor: bool = typer.Option(
        False, "--any-actor", help="Accept actor names not in the actors table (historical tables)."
    ),
    alliance: str = AllianceOpt,
    cov_type: str = typer.Option(
        "HC1", "--cov-type", help="Robust standard errors: HC0, HC1, HC2 or HC3."
    ),
    fmt: str = FormatOpt,
    source: str = SourceOpt,
    spending: Path = SpendingOpt,
    home: Path = HomeOpt,
    output: Path = OutputOpt,
) -> None:
    """The Olson–Zeckhauser exploitation test: do the large allies carry the small ones?"""
    import polars as pl

    from alliancekit.burden import (
        exploitation_for_year,
        exploitation_from_file,
        exploitation_series,
    )
    from alliancekit.burden.exploitation import RESULT_SCHEMA
    from alliancekit.cli._output import check_format, console, emit
    from alliancekit.schema import ParameterError

    check_format(fmt)
    chosen = sum(
        x is not None
        for x in (year, input_file, first if first is not None or last is not None else None)
    )
    if chosen != 1:
        raise ParameterError("--year", "give exactly one of --year, --input FILE or --from/--to")
    if input_file is not None:
        from alliancekit._params import parameters_as

        with parameters_as({"any_actor": "--any-actor", "cov_type": "--cov-type"}):
            res, used = exploitation_from_file(input_file, any_actor=any_actor, cov_type=cov_type)
        label = str(input_file)
    elif year is not None:
        from alliancekit._params import parameters_as

        frame = _spending(source, spending, home)  # read once: the test and its record
        with parameters_as({"year": "--year", "cov_type": "--cov-type"}):
            res, used = exploitation_for_year(year, alliance, spending=frame, cov_type=cov_type)
        label = f"{alliance} {year}"
    else:
        if first is None or last is None:
            raise ParameterError("--from", "a span needs both --from and --to")
        if first > last:
            raise ParameterError("--from", f"--from {first} is after --to {last}")
        frame = _spending(source, spending, home)
        df = exploitation_series(
            range(first, last + 1), alliance, spending=frame, cov_type=cov_type
        )
        if output is not None:
            from alliancekit.cli._output import write_output

            opts = {"from": first, "to": last, "alliance": alliance, "cov_type": cov_type}
            write_output(
                df, output, fmt, _record("exploitation", opts, source, spending, home, frame)
            )
            return
        if fmt == "table":
            df = df.with_columns(pl.col(pl.Float64).round(3))
        emit(df, fmt, title=f"Exploitation test, {alliance} {first}–{last}")
        return
    df = pl.DataFrame([res], schema=RESULT_SCHEMA)
    if output is not None:
        from alliancekit import provenance
        from alliancekit.cli._output import write_output

        opts = {"year": year, "alliance": alliance, "cov_type": cov_type}
        if input_file is not None:
            rec = provenance.output_record(
                "burden exploitation",
                options={"input": input_file.name, "any_actor": any_actor, "cov_type": cov_type},
                inputs=[provenance.file_input(input_file, "exploitation table")],
                curated=False,
            )
        else:
            rec = _record("exploitation", opts, source, spending, home, frame, _editions(used))
        write_output(df, output, fmt, rec)
        return
    if fmt == "json":
        _json({"test": res, "data": used.to_dicts()})
        return
    if fmt == "csv":
        emit(df, "csv")
        return
    emit(
        df.drop("year")
        .transpose(include_header=True, header_name="statistic", column_names=["value"])
        .with_columns(pl.col("value").cast(pl.String)),
        "table",
        title=f"Exploitation test: {label}",
    )
    verdict = "supports" if res["supports_exploitation"] else "does not support"
    console.print(
        f"Spearman rho {res['spearman_rho']:.3f} (p {res['spearman_p']:.3g}), n = {res['n']}: "
        f"the data {verdict} the exploitation hypothesis (large allies carry a higher burden).",
        highlight=False,
    )


def _pledges(values: list[str] | None) -> dict[str, float]:
    from alliancekit.schema import ParameterError

    out: dict[str, float] = {}
    for v in values or []:
        actor, sep, pct = v.partition("=")
        try:
            if not sep:
                raise ValueError
            out[actor.strip().upper()] = float(pct)
        except ValueError:
            raise ParameterError(
                "--pledge", f"write ACTOR=PERCENT, e.g. DEU=3.5 (got {v!r})"
            ) from None
    return out


@app.command("equilibrium")
def equilibrium_cmd(
    year: int = typer.Option(..., "--year", help="The year whose spending calibrates the model."),
    alliance: str = AllianceOpt,
    us_cap: float = typer.Option(None, "--us-cap", help="The US spends at most this % of GDP."),
    us_cut: float = typer.Option(None, "--us-cut", help="The US cuts its spending by this %."),
    pledge: list[str] = typer.Option(
        None, "--pledge", help="ACTOR=PERCENT: an ally spends at least this % of GDP; repeatable."
    ),
    private_share: float = typer.Option(
        0.0, "--private-share", help="Joint products: private share of defence benefits, 0–<1."
    ),
    hub: str = typer.Option("USA", "--hub", help="The ally the cap or cut applies to."),
    fmt: str = FormatOpt,
    source: str = SourceOpt,
    spending: Path = SpendingOpt,
    home: Path = HomeOpt,
) -> None:
    """Alliance defence as a public good: calibrate to a year, then cap or cut US spending (or
    take allies' pledges) and report each ally's new spending and who fills the gap."""
    import polars as pl

    from alliancekit._params import parameters_as
    from alliancekit.burden import equilibrium_for_year
    from alliancekit.cli._output import check_format, console, emit

    check_format(fmt)
    names = {"us_cap_pct": "--us-cap", "us_cut_pct": "--us-cut", "pledges_pct": "--pledge"}
    names |= {"hub": "--hub", "year": "--year", "private_share": "--private-share"}
    with parameters_as(names):
        res = equilibrium_for_year(
            year,
            alliance,
            spending=_spending(source, spending, home),
            hub=hub,
            us_cap_pct=us_cap,
            us_cut_pct=us_cut,
            pledges_pct=_pledges(pledge),
            private_share=private_share,
        )
    if fmt == "json":
        _json(res.to_dict())
        return
    if fmt == "csv":
        emit(res.table(), "csv")
        return
    s = res.summary()
    emit(
        res.table().drop("alpha", "beta").with_columns(pl.col(pl.Float64).round(2)),
        "table",
        title=f"Equilibrium, {alliance} {year}: {s['scenario']}",
        caption="US$ mn, current prices",
    )
    fill = (
        ""
        if s["fill_ratio"] is None
        else f"; allies fill {100 * s['fill_ratio']:.1f}% of the {hub} cut"
    )
    console.print(
        f"total provision {s['total_before']:,.0f} → {s['total_after']:,.0f} (US$ mn){fill}",
        highlight=False,
    )
    for n in s["notes"]:
        console.print(n, highlight=False)
