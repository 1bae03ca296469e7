"""Both state systems: COW codes on G-W frames and G-W codes on COW frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit._frames import polars_frames
from alliancekit.panels._inputs import dataset
from alliancekit.panels._lookup import (
    Index,
    assert_rows,
    drop_existing,
    key_array,
    null_mask,
    series_of,
)
from alliancekit.panels._years import spells
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def _members_table(
    system: str, states: pl.DataFrame, last_year: int | None
) -> tuple[Index, np.ndarray]:
    """Which codes of ``system`` are members in which years (a spell covers a day of the
    year): a boolean (year x code) table over an index of those codes, the spells still open
    at the data's end carried to ``last_year`` when it is later."""
    sp = spells(system, states, None)
    data_last = sp["end"].max().year
    if last_year is not None and last_year > data_last:
        sp = spells(system, states, last_year)
    years = sp.select(
        "code",
        pl.int_ranges(pl.col("start").dt.year(), pl.col("end").dt.year() + 1, dtype=pl.Int16).alias(
            "year"
        ),
    ).explode("year")
    index = Index(years["code"].to_numpy(), int(years["year"].min()), int(years["year"].max()))
    table = np.zeros((index.Y + 1, index.k), dtype=bool)
    table.reshape(-1)[index.state_pos(years["code"].to_numpy(), years["year"].to_numpy())] = True
    return index, table


def _translated_columns(
    df: pl.DataFrame, code_cols: list[str], origin: str, target: str, members
) -> list[pl.Series]:
    """The translated codes of the frame's code columns, through one (year x code) table of
    the answers (so the work is per distinct state-year, not per row)."""
    y, ny = key_array(df, "year")
    cols = [key_array(df, c) for c in code_cols]
    allcodes = np.unique(np.concatenate([c for c, _ in cols]))
    allcodes = allcodes[allcodes >= 0]
    if not len(allcodes) or not len(y):
        return [pl.Series(c, [None] * df.height, dtype=pl.Int16) for c in _target_names(code_cols)]
    y_valid = y[y >= 0] if ny is not None else y
    y0, y1 = int(y_valid.min()), int(y_valid.max())
    index = Index(allcodes, y0, y1)
    grid_years = np.repeat(np.arange(y0, y1 + 1, dtype=np.int16), len(allcodes))
    grid_codes = np.tile(allcodes.astype(np.int16), y1 - y0 + 1)
    answers = _translate_grid(grid_codes, grid_years, origin, target, members)
    table = np.full((index.Y + 1) * index.k, -1, dtype=np.int16)
    table[index.state_pos(grid_codes, grid_years)] = answers
    out = []
    for name, (c, nc) in zip(_target_names(code_cols), cols, strict=True):
        values = table[index.state_pos(c, y)]
        out.append(series_of(name, values, pl.Int16, sentinel=-1, nulls=null_mask(nc, ny)))
    return out


def _translate_grid(
    codes: np.ndarray, years: np.ndarray, origin: str, target: str, members
) -> np.ndarray:
    """Each (code, year) of ``origin``'s system as the code of ``target``'s (-1: none): the
    special cases of :data:`alliancekit.codes.OVERRIDES` where they apply, else the same
    code; kept only when the target system has it as a member that year."""
    from alliancekit.codes import OVERRIDES

    index, table = members
    flat = table.reshape(-1)
    scheme = {"cow": "cown", "gw": "gwn"}
    out = np.where(flat[index.state_pos(codes, years)], codes, -1).astype(np.int16)
    rules = OVERRIDES.get((scheme[origin], scheme[target]), {})
    for code, spans in rules.items():
        sel = np.flatnonzero(codes == code)
        if not len(sel):
            continue
        done = np.zeros(len(sel), dtype=bool)
        for first, last, result in spans:
            ys = years[sel]
            cover = ~done
            if first is not None:
                cover &= ys >= first
            if last is not None:
                cover &= ys <= last
            if result is None or not cover.any():
                done |= cover
                continue
            ok = cover & flat[index.state_pos(np.full(len(sel), result, np.int16), ys)]
            out[sel[ok]] = result
            done |= ok
    return out


_CODE_NAMES = {"gwcode": "ccode", "gwcode1": "ccode1", "gwcode2": "ccode2"}
_CODE_NAMES.update({v: k for k, v in _CODE_NAMES.items()})


def _target_names(code_cols: list[str]) -> list[str]:
    return [_CODE_NAMES[c] for c in code_cols]


def _add_other_codes(
    df: pl.DataFrame,
    origin: str,
    states: pl.DataFrame | None,
    catalog: Catalog | None,
    verb: str,
) -> pl.DataFrame:
    target = "cow" if origin == "gw" else "gw"
    own, other = ("gwcode", "ccode") if origin == "gw" else ("ccode", "gwcode")
    cols = set(df.columns)
    if {other, other + "1", other + "2"} & cols:
        raise ParameterError("df", f"the frame already has {target.upper()} codes ({other}...)")
    if {own + "1", own + "2", "year"} <= cols:
        code_cols = [own + "1", own + "2"]
    elif {own, "year"} <= cols:
        code_cols = [own]
    else:
        raise ParameterError(
            "df",
            f"{verb}() needs {origin.upper()} state-years ({own}, year) or dyad-years "
            f"({own}1, {own}2, year): create them with system={origin!r}",
        )
    states = dataset(f"{target}_states", states, catalog)
    last = df.get_column("year").max()
    members = _members_table(target, states, None if last is None else int(last))
    new = _translated_columns(df, code_cols, origin, target, members)
    out = drop_existing(df, [s.name for s in new]).with_columns(new)
    return assert_rows(df, out, verb)


@polars_frames("df", "cow_states")
def add_ccode_to_gw(
    df: pl.DataFrame, cow_states: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add COW codes to G-W state-years or dyad-years, year by year.

    ``ccode`` (or ``ccode1``/``ccode2``), so that every COW step (ATOP, NMC, majors,
    contiguity) can follow; the G-W codes stay. A G-W state-year gets the same code where COW
    has it as a member that year (a spell covering a day of it; COW states still members in
    2016 count as members after it), and the special cases where the systems differ (see
    :data:`alliancekit.codes.OVERRIDES`): G-W 340 (Serbia) is COW 345; G-W 260 (the FRG) is
    COW 260 to 1990 and 255 (Germany) from 1991; G-W 678 (Yemen) is COW 678 to 1990 and 679
    from 1991. Null where COW has no member: e.g. Great Colombia (99), Tibet (711), and G-W
    states in years outside COW's spells (Japan 1945-1951).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        G-W state-years (gwcode, year) or dyad-years (gwcode1, gwcode2, year).
    cow_states : polars.DataFrame or pandas.DataFrame, optional
        The COW state list; default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int16 COW code column(s) added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` has no G-W keys or already has COW codes.

    Examples
    --------
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> states = pl.DataFrame({"ccode": [2, 200, 740], "statenme": ["USA", "UK", "Japan"],
    ...     "styear": [1816, 1816, 1952], "stmonth": [1, 1, 4], "stday": [1, 1, 28],
    ...     "endyear": [2016] * 3, "endmonth": [12] * 3, "endday": [31] * 3})
    >>> gw = pl.DataFrame({"gwcode": [260, 260, 740], "year": [1990, 1991, 1950]})
    >>> cow = pl.concat([states, pl.DataFrame({"ccode": [255, 260], "statenme": ["Germany",
    ...     "GFR"], "styear": [1990, 1955], "stmonth": [10, 5], "stday": [3, 5],
    ...     "endyear": [2016, 1990], "endmonth": [12, 10], "endday": [31, 2]})])
    >>> ps.add_ccode_to_gw(gw, cow)["ccode"].to_list()
    [260, 255, None]

    References
    ----------
    Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States since the Congress of Vienna. International Interactions 25(4): 393-413.
    Correlates of War Project. 2017. State System Membership List, v2016.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    return _add_other_codes(df, "gw", cow_states, catalog, "add_ccode_to_gw")


@polars_frames("df", "gw_states")
def add_gwcode_to_cow(
    df: pl.DataFrame, gw_states: pl.DataFrame | None = None, *, catalog: Catalog | None = None
) -> pl.DataFrame:
    """Add G-W codes to COW state-years or dyad-years, year by year.

    ``gwcode`` (or ``gwcode1``/``gwcode2``), the reverse of :func:`add_ccode_to_gw`: COW 255
    is G-W 260 from 1990 (G-W keeps the FRG's code for unified Germany); COW 345 is G-W 345
    (Yugoslavia) in 1918-2005 and 340 (Serbia) otherwise; COW 679 (Yemen) is G-W 678. Null
    where G-W has no member (the microstates COW lists, e.g. 221 Monaco, 232 Andorra, and the
    Pacific states).

    Parameters
    ----------
    df : polars.DataFrame or pandas.DataFrame
        COW state-years or dyad-years.
    gw_states : polars.DataFrame or pandas.DataFrame, optional
        The G-W state list; default: the catalog's.
    catalog : Catalog, optional
        The catalog to read from.

    Returns
    -------
    polars.DataFrame
        ``df`` with the Int16 G-W code column(s) added (rows unchanged).

    Raises
    ------
    ParameterError
        When ``df`` has no COW keys or already has G-W codes.

    Examples
    --------
    >>> import datetime as dt
    >>> import polars as pl
    >>> from alliancekit import panels as ps
    >>> gw_states = pl.DataFrame({"gwcode": [2, 260], "statename": ["USA", "Germany"],
    ...     "startdate": [dt.date(1816, 1, 1), dt.date(1949, 9, 21)],
    ...     "enddate": [dt.date(2017, 12, 31)] * 2})
    >>> cow = pl.DataFrame({"ccode": [255, 255, 2], "year": [1991, 1938, 2000]})
    >>> ps.add_gwcode_to_cow(cow, gw_states)["gwcode"].to_list()
    [260, None, 2]

    References
    ----------
    Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States since the Congress of Vienna. International Interactions 25(4): 393-413.
    Correlates of War Project. 2017. State System Membership List, v2016.
    Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science Research. Journal of Peace Research 59(4): 651-660.
    """
    return _add_other_codes(df, "cow", gw_states, catalog, "add_gwcode_to_cow")
