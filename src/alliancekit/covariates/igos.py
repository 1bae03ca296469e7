"""COW IGO memberships (``add_igos``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from alliancekit.covariates._engine import (
    dataset,
    dyad_keys,
    dyad_rows,
    finish,
    frame_kind,
    state_keys,
    state_rows,
    take,
)
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def add_igos(
    df: pl.DataFrame, igos: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add COW IGO 3.0 counts: ``dyadigos`` (dyad-years) or the state-year sums.

    ``dyadigos``: the IGOs both states are full members of (the non-directed table, either
    order); state-years: ``sum_igo_full``, ``sum_igo_associate``, ``sum_igo_observer``,
    ``sum_igo_anytype``. Null where the source has no row (no zero-fill).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW dyad-years or state-years.
    igos : polars.DataFrame or pandas.DataFrame, optional
        The IGO dyad-years (``igos``) or state-years (``igos_states``); default: the
        catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the count column(s) added; rows unchanged.

    Raises
    ------
    ParameterError
        When the table is not the one the frame needs.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> df = pl.DataFrame({"ccode1": [2, 2, 2, 2], "ccode2": [365, 365, 365, 365],
    ...     "year": [1990, 1991, 1992, 2015]})
    >>> igos = pl.DataFrame({"ccode1": [2, 2], "ccode2": [365, 365], "year": [1990, 1991],
    ...     "dyadigos": [40, 42]})
    >>> ps.add_igos(df, igos)["dyadigos"].to_list()
    [40, 42, None, None]

    References
    ----------
    Pevehouse, Jon C. W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison.
    2020. Tracking Organizations in the World: The Correlates of War IGO Version 3.0
    Datasets. Journal of Peace Research 57(3): 492-503.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    kind = frame_kind(df, "add_igos")
    if kind == "dyad":
        igos = dataset("igos", igos, catalog)
        if "dyadigos" not in igos.columns:
            raise ParameterError("igos", "dyad-years need the IGO dyad-year table (dyadigos)")
        rows = dyad_rows(dyad_keys(df), dyad_keys(igos), symmetric=True)
        new = [take(igos.get_column("dyadigos"), rows)]
    else:
        from alliancekit.importers.igos import STATE_SUMS

        igos = dataset("igos_states", igos, catalog)
        for c in STATE_SUMS:
            if c not in igos.columns:
                raise ParameterError("igos", f"state-years need the IGO state-year table ({c})")
        rows = state_rows(state_keys(df), state_keys(igos))
        new = [take(igos.get_column(c), rows) for c in STATE_SUMS]
    return finish(df, new, "add_igos")
