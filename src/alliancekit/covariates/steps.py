"""The covariates as steps of :func:`alliancekit.panels.build_panel`: their names, options,
datasets, and how each runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import polars as pl

from alliancekit.covariates.disputes import add_gml_mids
from alliancekit.covariates.distances import add_capital_distance, add_minimum_distance
from alliancekit.covariates.igos import add_igos
from alliancekit.covariates.rivalries import add_strategic_rivalries
from alliancekit.covariates.spells import add_peace_years

if TYPE_CHECKING:
    pass

STEPS = ("gml_mids", "peace_years", "igos", "mindist", "capdist", "rivalries", "fpsim")


STATE_STEPS = ("igos", "mindist", "rivalries")


STEP_OPTIONS = {
    "gml_mids": ("keep",),
    "fpsim": ("source", "valuation", "metric", "measures"),
}


def datasets(
    steps: Iterable[str], kind: str, options: dict[str, dict[str, Any]] | None = None
) -> list[str]:
    """The catalog datasets the covariate ``steps`` read (``fpsim``: those of its
    ``options``, see :func:`alliancekit.fpsim.datasets`)."""
    need = {
        "gml_mids": ["gml_mids"],
        "igos": ["igos" if kind == "dyad" else "igos_states"],
        "mindist": ["mindist"],
        "capdist": ["capitals"],
        "rivalries": ["rivalries"],
    }
    out = []
    for s in steps:
        if s == "fpsim":
            from alliancekit.fpsim import datasets as fpsim_datasets

            out += fpsim_datasets((options or {}).get("fpsim"))
        else:
            out += need.get(s, [])
    return out


def apply(
    step: str, df: pl.DataFrame, tables: dict[str, pl.DataFrame], **options: Any
) -> pl.DataFrame:
    """Run the covariate ``step`` on ``df`` with the datasets in ``tables`` and the step's
    ``options`` (:data:`STEP_OPTIONS`)."""
    kind = "dyad" if "ccode1" in df.columns else "state"
    if step == "peace_years":
        return add_peace_years(df)
    if step == "fpsim":
        from alliancekit import fpsim

        return fpsim.apply(df, tables, **options)
    data: Any = tables[datasets([step], kind)[0]]
    fn = {
        "gml_mids": add_gml_mids,
        "igos": add_igos,
        "mindist": add_minimum_distance,
        "capdist": add_capital_distance,
        "rivalries": add_strategic_rivalries,
    }[step]
    return fn(df, data, **options)
