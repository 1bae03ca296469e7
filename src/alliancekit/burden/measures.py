"""Burden-sharing measures for a year and an alliance.

For each ally: defence spending and GDP (current US$), the burden (spending as % of GDP), its
share of the alliance's spending and of its GDP, the fair-share ratio (spending share / GDP
share), spending per head (``population_mn`` and ``per_capita_usd``: only where the spending
table gives populations; left out of a table when none of its allies has one), the real
change on the year before, compliance with each NATO
guideline and the money short of it, and whether it is on a straight path to 3.5% by 2035.

Guidelines:

* ``2%`` — the Wales Summit Declaration (2014): 2% of GDP on defence (within a decade).
* ``3.5%`` core — The Hague Summit Declaration (2025): 3.5% of GDP on core defence by 2035.
* ``5%`` in all — The Hague: 3.5% core plus up to 1.5% on defence- and security-related
  spending. NATO's tables do not report the 1.5%, so it is judged only where a source gives
  ``defence_related`` figures, and is otherwise "not measurable".

Figures come one edition per series (:func:`alliancekit.burden.data.pick_editions`). Where a
published burden exists it is used as published; otherwise it is computed from spending and
GDP. GDP missing from the source is derived as spending / burden and flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.burden.data import chosen_editions, load_spending, pick_editions
from alliancekit.schema import ParameterError, choice

GUIDELINE_2 = 2.0
GUIDELINE_CORE = 3.5
GUIDELINE_TOTAL = 5.0
DEFENCE_RELATED_CAP = 1.5
PATH_START, PATH_END = 2025, 2035
GUIDELINES = {
    "2pct": (GUIDELINE_2, "Wales Summit Declaration, 2014: 2% of GDP on defence"),
    "3.5pct_core": (
        GUIDELINE_CORE,
        "The Hague Summit Declaration, 2025: 3.5% of GDP on core defence by 2035",
    ),
    "5pct_total": (
        GUIDELINE_TOTAL,
        "The Hague Summit Declaration, 2025: 5% in all, of which up to "
        "1.5% defence- and security-related",
    ),
}
IP4 = ("AUS", "JPN", "NZL", "KOR")
NAMED_GROUPS = {"IP4": IP4}
NOT_MEASURABLE = "not measurable"


# ---------------------------------------------------------------------------------------------
# Who is in the alliance


def members(alliance: str | Sequence[str], year: int, data=None) -> list[str]:
    """The allies of ``alliance`` during ``year``.

    ``alliance``: an organisation or framework id (``NATO``, ``AUKUS``, ``QUAD``, …: its member
    ties in force during the year), ``IP4`` (Australia, Japan, New Zealand, Republic of Korea),
    actor ids, or several of these joined by ``+`` or ``,`` (``NATO+IP4``); a list works too.

    Parameters
    ----------
    alliance : str or sequence of str
        ``NATO``, ``IP4``, another named group or organisation, or actor ids.
    year : int
        Members in that year.
    data : Dataset, optional
        The curated tables.

    Returns
    -------
    list of str

    Raises
    ------
    ParameterError
        For an unknown alliance.

    Examples
    --------
    >>> from alliancekit.burden import members
    >>> members("IP4", 2025)
    ['AUS', 'JPN', 'NZL', 'KOR']
    >>> len(members("NATO", 2025))
    32
    """
    from alliancekit.data import in_force_during, load

    parts: list[str]
    if isinstance(alliance, str):
        parts = [p.strip() for p in alliance.replace("+", ",").split(",") if p.strip()]
    else:
        parts = list(alliance)
    if not parts:
        raise ParameterError("alliance", "name an alliance (NATO, IP4, …) or actor ids")
    data = data or load()
    kinds = dict(zip(data.actors["actor_id"].to_list(), data.actors["kind"].to_list(), strict=True))
    out: list[str] = []
    ties = None
    for p in parts:
        key = p.upper()
        if key in NAMED_GROUPS:
            out += NAMED_GROUPS[key]
        elif kinds.get(key) in ("organisation", "framework"):
            if ties is None:
                ties = in_force_during(
                    data.ties.select("kind", "actor_a", "actor_b", "start", "end").filter(
                        pl.col("kind") == "member"
                    ),
                    year,
                )
            out += sorted(ties.filter(pl.col("actor_b") == key)["actor_a"].to_list())
        elif kinds.get(key) == "state":
            out.append(key)
        else:
            raise ParameterError(
                "alliance",
                f"unknown alliance or actor {p!r}; use NATO, IP4, an "
                "organisation or framework id, or actor ids",
            )
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# The year's figures, one row per actor


_FIG_SCHEMA = {
    "actor_id": pl.String,
    "spending_usd_mn": pl.Float64,
    "gdp_usd_mn": pl.Float64,
    "burden_pct": pl.Float64,
    "burden_published": pl.Boolean,
    "gdp_derived": pl.Boolean,
    "spending_derived": pl.Boolean,
    "population_mn": pl.Float64,
    "real_change_pct": pl.Float64,
    "defence_related_pct": pl.Float64,
    "estimate": pl.Boolean,
    "edition": pl.String,
    "source_url": pl.String,
    "year": pl.Int32,
}
_COLS = (
    "actor_id",
    "year",
    "measure",
    "unit",
    "price_basis",
    "value",
    "estimate",
    "edition",
    "source_url",
)


def _figure_rows(sel: pl.DataFrame, edition: str | None) -> list[tuple]:
    """The rows (:data:`_COLS`) of ``sel`` as :func:`pick_editions` sees them (US$ bn as US$
    mn), after its check of ``edition`` against the editions of ``sel``."""
    rows = [
        (a, y, m, "usd_mn", b, v * 1000, *rest) if u == "usd_bn" else (a, y, m, u, b, v, *rest)
        for a, y, m, u, b, v, *rest in sel.select(_COLS).rows()
    ]
    if edition is not None and rows:
        choice(edition, sorted(set(sel["edition"].unique().to_list())), "edition", "edition")
    return rows


def _picked(rows: list[tuple], years: set[int], edition: str | None) -> list[tuple]:
    """``pick_editions(sel, years, edition)`` on the rows of :func:`_figure_rows`, in order."""
    of = [r for r in rows if r[1] in years]
    if edition is not None:
        return [r for r in of if r[7] == edition]
    keep = (
        chosen_editions(
            [r[0] for r in of],
            [r[2] for r in of],
            [r[3] for r in of],
            [r[4] for r in of],
            [r[7] for r in of],
            [r[1] for r in of],
        )
        if of
        else None
    )
    return of if keep is None else [r for r, k in zip(of, keep, strict=True) if k]


def year_figures(
    spending: pl.DataFrame,
    year: int,
    actors: Iterable[str] | None = None,
    edition: str | None = None,
) -> pl.DataFrame:
    """Wide figures of one year: spending and GDP (US$ mn, current), burden (%), population,
    real change, defence-related spending (% of GDP), estimate flag, editions and sources.

    Real change: as published, else from one edition's constant-price series (this year and the
    one before, the latest price base).

    Parameters
    ----------
    spending : polars.DataFrame
        The spending table.
    year : int
        The year.
    actors : iterable of str, optional
        Only these actors.
    edition : str, optional
        Only this edition.

    Returns
    -------
    polars.DataFrame
        One row per actor: spending, GDP, burden and where each came from.

    Examples
    --------
    >>> from alliancekit.burden import load_spending, year_figures
    >>> year_figures(load_spending(), 2025, ["JPN"])["burden_pct"].to_list()
    [1.4]
    """
    wanted = list(dict.fromkeys(actors)) if actors is not None else None
    # the columns used, then one filter: the long text columns are not copied
    when = pl.col("year").is_in([year - 1, year])
    sel = spending.select(_COLS).filter(
        when if wanted is None else when & pl.col("actor_id").is_in(wanted)
    )
    # pick_editions(sel, [year]) and pick_editions(sel, [year - 1, year]), on the rows in
    # Python: the two years' figures are a few hundred rows, and a burden table series asks
    # for two dozen of them (the polars calls cost more than the work).
    rows = _figure_rows(sel, edition)

    def picked(years: set[int]) -> list[tuple]:
        return _picked(rows, years, edition)

    now = picked({year})
    pair = [
        r
        for r in picked({year - 1, year})
        if r[2] == "defence_expenditure" and r[4] is not None and r[4].startswith("constant_")
    ]
    return _figures(now, pair, year, wanted)


def _figures(
    now: list[tuple], pair: list[tuple], year: int, wanted: list[str] | None
) -> pl.DataFrame:
    """The wide figures of :func:`year_figures` from the rows it picked: ``now`` (the year's
    figures) and ``pair`` (constant-price spending of the year and the one before)."""
    fig: dict[str, dict] = {a: {} for a in (wanted or [])}
    for aid, _y, measure, unit, basis, value, est, ed, url in now:
        key = {
            ("defence_expenditure", "usd_mn", "current"): "spending",
            ("gdp", "usd_mn", "current"): "gdp",
            ("burden", "pct_gdp", None): "burden",
            ("population", "mn_people", None): "population",
            ("real_change", "pct", None): "real_change",
            ("defence_related", "pct_gdp", None): "related_pct",
            ("defence_related", "usd_mn", "current"): "related_usd",
        }.get((measure, unit, basis))
        if key is None and measure == "real_change":
            key = "real_change"
        if key is None:
            continue
        f = fig.setdefault(aid, {})
        f[key] = value
        f.setdefault("_est", []).append(bool(est)) if key in ("spending", "gdp", "burden") else None
        if key in ("spending", "burden", "gdp"):
            f.setdefault("_ed", []).append(ed)
            f.setdefault("_src", []).append(url)
    const: dict[tuple[str, str, str], dict[int, float]] = {}
    for aid, y, _m, _u, basis, value, _e, ed, _s in pair:
        const.setdefault((aid, basis, ed), {})[y] = value
    real_calc: dict[str, tuple[str, float]] = {}
    for (aid, basis, _ed), by_year in const.items():
        if year in by_year and year - 1 in by_year and by_year[year - 1] > 0:
            if aid not in real_calc or basis > real_calc[aid][0]:
                real_calc[aid] = (basis, 100 * (by_year[year] / by_year[year - 1] - 1))
    cols: dict[str, list] = {k: [] for k in _FIG_SCHEMA}
    for aid in sorted(fig):
        f = fig[aid]
        s, g, b = f.get("spending"), f.get("gdp"), f.get("burden")
        g_out = g if g is not None else (100 * s / b if s is not None and b else None)
        s_out = s if s is not None else (b * g / 100 if b is not None and g is not None else None)
        b_out = (
            b if b is not None else (100 * s_out / g_out if s_out is not None and g_out else None)
        )
        rel = f.get("related_pct")
        if rel is None and f.get("related_usd") is not None and g_out:
            rel = 100 * f["related_usd"] / g_out
        rc = f.get("real_change")
        if rc is None and aid in real_calc:
            rc = real_calc[aid][1]
        eds = list(dict.fromkeys(f.get("_ed", [])))
        for k, v in (
            ("actor_id", aid),
            ("spending_usd_mn", s_out),
            ("gdp_usd_mn", g_out),
            ("burden_pct", b_out),
            ("burden_published", b is not None),
            ("gdp_derived", g is None and g_out is not None),
            ("spending_derived", s is None and s_out is not None),
            ("population_mn", f.get("population")),
            ("real_change_pct", rc),
            ("defence_related_pct", rel),
            ("estimate", any(f["_est"]) if f.get("_est") else None),
            ("edition", ";".join(eds) or None),
            ("source_url", (f.get("_src") or [None])[0]),
            ("year", year),
        ):
            cols[k].append(v)
    return pl.DataFrame(cols, schema=_FIG_SCHEMA)


def _gap(guideline: float) -> pl.Expr:
    """Money short of a guideline (US$ mn, the year's prices): the missing share of GDP times GDP,
    so that it agrees with compliance judged on the (published) burden; 0 when met, null without
    figures."""
    short = (guideline - pl.col("burden_pct")) / 100 * pl.col("gdp_usd_mn")
    return pl.when(short.is_null()).then(None).otherwise(pl.max_horizontal(pl.lit(0.0), short))


@dataclass
class BurdenTable:
    """The measures of one year for one alliance, and the alliance's totals."""

    year: int
    alliance: str
    table: pl.DataFrame
    totals: dict
    missing: list[str]


def given_table(table: object, year: int, alliance: str | Sequence[str]) -> BurdenTable:
    """``table``, a :class:`BurdenTable` a caller computed already, checked to be the one of
    ``year`` and ``alliance``; functions that take one (``table=``) use it instead of
    computing the same table again.

    Parameters
    ----------
    table : BurdenTable
        A table from :func:`burden_table`.
    year : int
        The year it must be of.
    alliance : str or sequence of str
        The alliance it must be of.

    Returns
    -------
    BurdenTable
        ``table`` itself.

    Raises
    ------
    ParameterError
        Naming ``table``, for anything but a :class:`BurdenTable` of that year and alliance.

    Examples
    --------
    >>> from alliancekit.burden import burden_table
    >>> from alliancekit.burden.measures import given_table
    >>> bt = burden_table(2025, "NATO")
    >>> given_table(bt, 2025, "NATO") is bt
    True
    >>> given_table(bt, 2024, "NATO")
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter 'table': the burden table given is NATO's of 2025, not NATO's of 2024
    """
    name = alliance if isinstance(alliance, str) else "+".join(alliance)
    if not isinstance(table, BurdenTable):
        raise ParameterError(
            "table", f"expected a BurdenTable (from burden_table), not {type(table).__name__}"
        )
    if table.year != year or table.alliance != name:
        raise ParameterError(
            "table",
            f"the burden table given is {table.alliance}'s of {table.year}, not {name}'s of {year}",
        )
    return table


@polars_frames("spending")
def burden_table(
    year: int,
    alliance: str | Sequence[str] = "NATO",
    *,
    spending: pl.DataFrame | None = None,
    data=None,
    hub: str = "USA",
    edition: str | None = None,
    member_ids: Sequence[str] | None = None,
) -> BurdenTable:
    """Every measure of ``year`` for the allies of ``alliance`` (see the module docstring).

    ``spending``: the long spending table (default: the curated figures); ``member_ids``
    overrides the membership lookup. Allies without figures stay in the table with empty
    measures and are listed in ``missing``.

    Parameters
    ----------
    year : int
        The year.
    alliance : str or sequence of str
        The group.
    spending : polars.DataFrame, optional
        The spending table (default: the curated figures).
    data : Dataset, optional
        The curated tables.
    hub : str
        The ally whose shares the totals give.
    edition : str, optional
        Only this edition.
    member_ids : sequence of str, optional
        The members, when they are not the alliance's in that year.

    Returns
    -------
    BurdenTable
        ``.table`` (one row per ally), ``.totals`` and ``.missing``.

    Raises
    ------
    ParameterError
        For a year without figures or an unknown alliance.

    Examples
    --------
    >>> from alliancekit.burden import burden_table
    >>> bt = burden_table(2025, "NATO")
    >>> bt.totals["with_figures"], round(bt.totals["hub_share_spending_pct"], 1), bt.missing
    (31, 59.9, ['ISL'])
    """
    if spending is None:
        spending = load_spending()
    ids = list(member_ids) if member_ids is not None else members(alliance, year, data)
    fig = year_figures(spending, year, ids, edition)
    fig = fig.filter(pl.col("actor_id").is_in(ids))
    have = fig.filter(pl.col("spending_usd_mn").is_not_null() & pl.col("gdp_usd_mn").is_not_null())
    tot_s = float(have["spending_usd_mn"].sum()) if have.height else None
    tot_g = float(have["gdp_usd_mn"].sum()) if have.height else None
    in_path = PATH_START < year <= PATH_END
    t = fig.with_columns(
        share_spending_pct=100 * pl.col("spending_usd_mn") / tot_s
        if tot_s
        else pl.lit(None, pl.Float64),
        share_gdp_pct=100 * pl.col("gdp_usd_mn") / tot_g if tot_g else pl.lit(None, pl.Float64),
        per_capita_usd=pl.col("spending_usd_mn") / pl.col("population_mn"),
        meets_2pct=pl.col("burden_pct") >= GUIDELINE_2,
        gap_2pct_usd_mn=_gap(GUIDELINE_2),
        meets_3_5pct=pl.col("burden_pct") >= GUIDELINE_CORE,
        gap_3_5pct_usd_mn=_gap(GUIDELINE_CORE),
        # Only where a source gives defence-related spending; counted up to 1.5% of GDP.
        total_5pct_pct=pl.when(pl.col("defence_related_pct").is_null())
        .then(None)
        .otherwise(
            pl.col("burden_pct")
            + pl.min_horizontal(pl.col("defence_related_pct"), pl.lit(DEFENCE_RELATED_CAP))
        ),
    ).with_columns(
        fair_share_ratio=pl.col("share_spending_pct") / pl.col("share_gdp_pct"),
        meets_5pct=pl.when(pl.col("total_5pct_pct").is_null())
        .then(pl.lit(NOT_MEASURABLE))
        .when(pl.col("total_5pct_pct") >= GUIDELINE_TOTAL)
        .then(pl.lit("met"))
        .otherwise(pl.lit("not met")),
    )
    # Straight path from each ally's 2025 burden to 3.5% in 2035.
    if in_path:
        base = year_figures(spending, PATH_START, ids, None).select(
            "actor_id", pl.col("burden_pct").alias("burden_2025")
        )
        t = (
            t.join(base, on="actor_id", how="left")
            .with_columns(
                path_3_5_required_pct=pl.when(pl.col("burden_2025") >= GUIDELINE_CORE)
                .then(pl.lit(GUIDELINE_CORE))
                .otherwise(
                    pl.col("burden_2025")
                    + (GUIDELINE_CORE - pl.col("burden_2025"))
                    * (year - PATH_START)
                    / (PATH_END - PATH_START)
                )
            )
            .with_columns(
                on_path_3_5=pl.col("burden_pct") >= pl.col("path_3_5_required_pct") - 1e-9
            )
            .drop("burden_2025")
        )
    elif year == PATH_START:
        t = t.with_columns(
            path_3_5_required_pct=pl.col("burden_pct"),
            on_path_3_5=pl.when(pl.col("burden_pct").is_not_null()).then(True),
        )
    else:
        t = t.with_columns(
            path_3_5_required_pct=pl.lit(None, pl.Float64), on_path_3_5=pl.lit(None, pl.Boolean)
        )
    names = _names(data)
    t = t.with_columns(name=pl.col("actor_id").replace_strict(names, default=pl.col("actor_id")))
    order = [
        "actor_id",
        "name",
        "year",
        "spending_usd_mn",
        "gdp_usd_mn",
        "burden_pct",
        "share_spending_pct",
        "share_gdp_pct",
        "fair_share_ratio",
        "population_mn",
        "per_capita_usd",
        "real_change_pct",
        "meets_2pct",
        "gap_2pct_usd_mn",
        "meets_3_5pct",
        "gap_3_5pct_usd_mn",
        "path_3_5_required_pct",
        "on_path_3_5",
        "defence_related_pct",
        "total_5pct_pct",
        "meets_5pct",
        "estimate",
        "burden_published",
        "gdp_derived",
        "spending_derived",
        "edition",
        "source_url",
    ]
    t = t.select(order).sort("spending_usd_mn", descending=True, nulls_last=True)
    if t["population_mn"].null_count() == t.height:
        # no population figures for these allies: no columns that could only be empty
        t = t.drop("population_mn", "per_capita_usd")
    missing = sorted(set(ids) - set(have["actor_id"].to_list()))
    hub_row = have.filter(pl.col("actor_id") == hub)
    totals = {
        "year": year,
        "alliance": alliance if isinstance(alliance, str) else "+".join(alliance),
        "members": len(ids),
        "with_figures": have.height,
        "spending_usd_mn": tot_s,
        "gdp_usd_mn": tot_g,
        "burden_pct": 100 * tot_s / tot_g if tot_s and tot_g else None,
        "hub": hub,
        "hub_share_spending_pct": (100 * float(hub_row["spending_usd_mn"][0]) / tot_s)
        if hub_row.height and tot_s
        else None,
        "hub_share_gdp_pct": (100 * float(hub_row["gdp_usd_mn"][0]) / tot_g)
        if hub_row.height and tot_g
        else None,
        "meeting_2pct": int(t["meets_2pct"].sum() or 0),
        "meeting_3_5pct": int(t["meets_3_5pct"].sum() or 0),
        "gap_2pct_usd_mn": float(t["gap_2pct_usd_mn"].sum()) if have.height else None,
        "gap_3_5pct_usd_mn": float(t["gap_3_5pct_usd_mn"].sum()) if have.height else None,
        "missing": missing,
    }
    # The alliance's own published total, where the figures carry one (actor_id NATO), beside ours.
    if isinstance(alliance, str) and alliance.upper() in ("NATO",):
        pub = _picked(
            _figure_rows(
                spending.select(_COLS).filter(
                    (pl.col("actor_id") == alliance.upper())
                    & (pl.col("year") == year)
                    & (pl.col("measure") == "defence_expenditure")
                    & (pl.col("price_basis") == "current")
                    & pl.col("unit").is_in(["usd_mn", "usd_bn"])
                ),
                edition,
            ),
            {year},
            edition,
        )
        totals["published_total_usd_mn"] = float(pub[0][5]) if pub else None
    return BurdenTable(year, totals["alliance"], t, totals, missing)


def _names(data=None) -> dict[str, str]:
    from alliancekit.data import load

    d = data or load()
    return dict(zip(d.actors["actor_id"].to_list(), d.actors["name"].to_list(), strict=True))


@polars_frames("spending")
def hub_share_series(
    years: Iterable[int],
    alliance: str | Sequence[str] = "NATO",
    *,
    spending: pl.DataFrame | None = None,
    data=None,
    hub: str = "USA",
) -> pl.DataFrame:
    """The alliance's total spending and GDP, its burden and the hub's shares, year by year.

    Membership follows each year (accessions count from the year they take effect). Each
    series keeps one edition over the whole span (:func:`pick_editions` over all the years).

    Parameters
    ----------
    years : iterable of int
        The years.
    alliance : str or sequence of str
        The group.
    spending : polars.DataFrame, optional
        The spending table.
    data : Dataset, optional
        The curated tables.
    hub : str
        The ally whose share is given.

    Returns
    -------
    polars.DataFrame
        One row per year: totals, burden, the hub's shares, allies meeting each guideline.

    Examples
    --------
    >>> from alliancekit.burden import hub_share_series
    >>> s = hub_share_series([2014, 2025])
    >>> [round(v, 1) for v in s["hub_share_spending_pct"]]
    [69.3, 59.9]
    """
    if spending is None:
        spending = load_spending()
    years = sorted(set(int(y) for y in years))
    if not years:
        raise ParameterError("years", "give at least one year")
    rows = []
    consistent = pick_editions(spending, years)
    for y in years:
        ids = members(alliance, y, data)
        bt = burden_table(y, alliance, spending=consistent, data=data, hub=hub, member_ids=ids)
        tot = bt.totals
        rows.append(
            {
                k: tot[k]
                for k in (
                    "year",
                    "members",
                    "with_figures",
                    "spending_usd_mn",
                    "gdp_usd_mn",
                    "burden_pct",
                    "hub_share_spending_pct",
                    "hub_share_gdp_pct",
                    "meeting_2pct",
                    "meeting_3_5pct",
                    "gap_2pct_usd_mn",
                )
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "year": pl.Int32,
            "members": pl.Int32,
            "with_figures": pl.Int32,
            "spending_usd_mn": pl.Float64,
            "gdp_usd_mn": pl.Float64,
            "burden_pct": pl.Float64,
            "hub_share_spending_pct": pl.Float64,
            "hub_share_gdp_pct": pl.Float64,
            "meeting_2pct": pl.Int32,
            "meeting_3_5pct": pl.Int32,
            "gap_2pct_usd_mn": pl.Float64,
        },
    )
