"""Burden sharing: defence spending figures, measures, the exploitation test and an equilibrium
model of alliance defence as a public good.

    >>> from alliancekit import burden
    >>> bt = burden.burden_table(2025, "NATO")          # every measure, one row per ally
    >>> res, allies = burden.exploitation_for_year(2025, "NATO")  # Olson & Zeckhauser's test
    >>> burden.equilibrium_for_year(2025, us_cut_pct=25).summary()["scenario"]
    'USA cuts its spending by 25%'

Figures come from the curated ``spending.csv`` (``source="curated"``) or from a SIPRI workbook
imported into the local catalog (``source="sipri"``); see :func:`get_spending`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliancekit.schema import ParameterError, choice

if TYPE_CHECKING:
    from alliancekit.burden.data import (
        check_series,
        load_spending,
        pick_editions,
        read_spending,
    )
    from alliancekit.burden.equilibrium import (
        Equilibrium,
        ScenarioResult,
        calibrate,
        iterate_best_responses,
        scenario,
        solve,
        solve_batch,
        solve_joint_product,
        solve_public_good,
    )
    from alliancekit.burden.exploitation import (
        exploitation_for_year,
        exploitation_from_file,
        exploitation_series,
        exploitation_test,
        read_table,
    )
    from alliancekit.burden.measures import (
        GUIDELINES,
        IP4,
        BurdenTable,
        burden_table,
        hub_share_series,
        members,
        year_figures,
    )

# The names of the modules load with their module, when first used: the sweep workers' fork
# server imports the batched solvers (alliancekit.burden.batch) without the spending data's
# polars (a third of a second before it can start a worker).
_LAZY = {
    "alliancekit.burden.data": ("check_series", "load_spending", "pick_editions", "read_spending"),
    "alliancekit.burden.equilibrium": (
        "Equilibrium",
        "ScenarioResult",
        "calibrate",
        "iterate_best_responses",
        "scenario",
        "solve",
        "solve_batch",
        "solve_joint_product",
        "solve_public_good",
    ),
    "alliancekit.burden.exploitation": (
        "exploitation_for_year",
        "exploitation_from_file",
        "exploitation_series",
        "exploitation_test",
        "read_table",
    ),
    "alliancekit.burden.measures": (
        "GUIDELINES",
        "IP4",
        "BurdenTable",
        "burden_table",
        "hub_share_series",
        "members",
        "year_figures",
    ),
}
_MODULE_OF = {name: mod for mod, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    mod = _MODULE_OF.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(mod), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


SOURCES = ("curated", "sipri")


def get_spending(source: str = "curated", *, path=None, home=None):
    """The long spending table: ``curated`` (the shipped figures, or ``path``, a file in the
    same format) or ``sipri`` (the workbook imported with ``alliancekit data import sipri``).

    Parameters
    ----------
    source : {"curated", "sipri"}
        The shipped figures, or the imported SIPRI workbook.
    path : str or Path, optional
        For ``curated``: a spending file of your own in the same format.
    home : str or Path, optional
        For ``sipri``: the catalog folder (default: ``$ALLIANCEKIT_HOME`` or the user data folder).

    Returns
    -------
    polars.DataFrame
        One published figure per row (actor_id, year, measure, value, unit, edition, source ...).

    Raises
    ------
    ParameterError
        For an unknown source.
    DataValidationError
        For a spending file that breaks a rule (naming file, row and column).
    MissingImportError
        For ``sipri`` when the workbook was never imported.

    Examples
    --------
    >>> from alliancekit.burden import get_spending
    >>> sp = get_spending()
    >>> sp.columns[:4]
    ['actor_id', 'year', 'measure', 'value']
    """
    if source == "curated":
        from alliancekit.burden.data import load_spending

        return load_spending(path)
    if source == "sipri":
        from alliancekit.importers.sipri import load_sipri_spending

        return load_sipri_spending(home)
    choice(source, SOURCES, "source", "source")
    raise AssertionError(source)  # pragma: no cover  (every source is read above)


def equilibrium_for_year(
    year: int,
    alliance: str = "NATO",
    *,
    spending=None,
    data=None,
    hub: str = "USA",
    us_cap_pct: float | None = None,
    us_cut_pct: float | None = None,
    pledges_pct: dict[str, float] | None = None,
    private_share: float = 0.0,
    table: BurdenTable | None = None,
) -> ScenarioResult:
    """Calibrate the equilibrium model to ``year``'s observed spending of the allies with
    figures (current US$), then run the scenario (see :func:`scenario`).

    Parameters
    ----------
    year : int
        The year whose figures calibrate the model.
    alliance : str
        ``NATO``, ``IP4`` or another named group.
    spending : polars.DataFrame, optional
        The spending table (default: the curated figures).
    data : Dataset, optional
        The curated tables (for the members).
    hub : str
        The ally whose spending the scenario changes.
    us_cap_pct, us_cut_pct : float, optional
        Cap the hub's burden at this % of GDP, or cut its spending by this %.
    pledges_pct : dict of str to float, optional
        Allies' pledged burdens (% of GDP), held fixed.
    private_share : float
        The joint-product share: the part of spending that benefits only the ally.
    table : BurdenTable, optional
        The year's :func:`burden_table` of ``alliance`` with ``hub`` when the caller has it
        (from the same ``spending`` and ``data``): used instead of computing it again.

    Returns
    -------
    ScenarioResult
        The equilibrium before and after (``.table()``, ``.summary()``).

    Raises
    ------
    ParameterError
        For a year without figures, an unknown alliance or hub, or an out-of-range parameter.

    Examples
    --------
    >>> from alliancekit.burden import equilibrium_for_year
    >>> s = equilibrium_for_year(2025, us_cut_pct=25).summary()
    >>> s["scenario"], round(s["fill_ratio"], 2)
    ('USA cuts its spending by 25%', 0.94)
    """
    import polars as pl

    from alliancekit.burden.equilibrium import scenario
    from alliancekit.burden.measures import burden_table, given_table

    if table is not None:
        bt = given_table(table, year, alliance)
    else:
        bt = burden_table(year, alliance, spending=spending, data=data, hub=hub)
    used = bt.table.filter(
        pl.col("spending_usd_mn").is_not_null()
        & pl.col("gdp_usd_mn").is_not_null()
        & (pl.col("gdp_usd_mn") > 0)
    )
    if used.height < 2:
        raise ParameterError(
            "year", f"fewer than two allies of {alliance} have spending and GDP for {year}"
        )
    from alliancekit._params import parameters_as

    # this function's names for the scenario's parameters
    with parameters_as({"hub_cap_pct": "us_cap_pct", "hub_cut_pct": "us_cut_pct"}):
        res = scenario(
            used["actor_id"].to_list(),
            used["gdp_usd_mn"].to_numpy(),
            used["spending_usd_mn"].to_numpy(),
            hub=hub,
            hub_cap_pct=us_cap_pct,
            hub_cut_pct=us_cut_pct,
            pledges_pct=pledges_pct,
            private_share=private_share,
        )
    res.notes.append(
        f"{year}, {bt.alliance}: {used.height} of {bt.totals['members']} allies with figures "
        "(US$ mn, current prices)"
    )
    if bt.missing:
        res.notes.append("left out (no figures): " + ", ".join(bt.missing))
    return res


__all__ = [
    "GUIDELINES",
    "IP4",
    "SOURCES",
    "BurdenTable",
    "Equilibrium",
    "ScenarioResult",
    "burden_table",
    "calibrate",
    "check_series",
    "equilibrium_for_year",
    "exploitation_for_year",
    "exploitation_from_file",
    "exploitation_series",
    "exploitation_test",
    "get_spending",
    "hub_share_series",
    "iterate_best_responses",
    "load_spending",
    "members",
    "pick_editions",
    "read_spending",
    "read_table",
    "scenario",
    "solve",
    "solve_batch",
    "solve_joint_product",
    "solve_public_good",
    "year_figures",
]
