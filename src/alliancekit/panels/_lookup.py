"""The lookup engine of the add steps: dense tables indexed by (year, state) or
(year, state, state), gathered by one lazy polars query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from alliancekit.panels._years import PanelWarning
from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    pass


class Index:
    """Dense positions for codes and years, by lookup tables over the 16-bit key space.

    Codes map to 0..K-1 and any other code to K; years y0..y1 map to 0..Y-1 and any other
    year to Y. Tables built on these positions carry an extra code K (a code absent from the
    source: "no record") and an extra year slice Y (outside the source's years).
    """

    def __init__(self, codes: np.ndarray, y0: int, y1: int):
        present = np.zeros(1 << 16, dtype=bool)
        present[u16(np.asarray(codes))] = True
        slots = np.flatnonzero(present)  # the distinct codes, as 16-bit patterns
        self.K = len(slots)
        self.k = self.K + 1
        self.y0, self.y1 = y0, y1
        self.Y = y1 - y0 + 1
        self.clut = np.full(1 << 16, self.K, dtype=np.int32)
        self.clut[slots] = np.arange(self.K, dtype=np.int32)
        self.ylut = np.full(1 << 16, self.Y, dtype=np.int32)
        yrs = np.arange(y0, y1 + 1, dtype=np.int16).view(np.uint16)
        self.ylut[yrs] = np.arange(self.Y, dtype=np.int32)

        # Scaled tables: a position is a sum of gathers, no multiplications per row.
        self._ys = self.ylut * self.k
        self._yd = self._ys * self.k
        self._cd = self.clut * self.k

    def code_pos(self, codes: np.ndarray) -> np.ndarray:
        return self.clut[u16(codes)]

    def year_pos(self, years: np.ndarray) -> np.ndarray:
        return self.ylut[u16(years)]

    def year_base(self, years: np.ndarray) -> np.ndarray:
        """The year's offset in a (year x code) table, to add :meth:`code_pos` to."""
        return self._ys[u16(years)]

    def state_pos(self, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
        return self.year_base(years) + self.code_pos(codes)

    def dyad_pos(self, c1: np.ndarray, c2: np.ndarray, years: np.ndarray) -> np.ndarray:
        pos = self._yd[u16(years)]
        pos += self._cd[u16(c1)]
        pos += self.clut[u16(c2)]
        return pos


def u16(a: np.ndarray) -> np.ndarray:
    """Int16 keys viewed as uint16 (a free reinterpretation); wider ints that do not fit in
    16 bits become -1, which no table knows."""
    if a.dtype == np.int16:
        return a.view(np.uint16)
    a = np.asarray(a)
    a = np.where((a >= -(2**15)) & (a < 2**15), a, -1)
    return a.astype(np.int16).view(np.uint16)


def key_array(df: pl.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A key column as an integer numpy array (nulls as -1) and its null mask (or None)."""
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    s = df.get_column(name)
    if not s.dtype.is_integer():
        raise ParameterError("df", f"column {name!r} must hold integers, not {s.dtype}")
    if s.null_count():
        return s.fill_null(-1).to_numpy(), s.is_null().to_numpy()
    return s.to_numpy(), None


def null_mask(*masks: np.ndarray | None) -> np.ndarray | None:
    out = None
    for m in masks:
        if m is not None:
            out = m if out is None else (out | m)
    return out


def series_of(
    name: str,
    values: np.ndarray,
    dtype,
    sentinel: int | None = None,
    nulls: np.ndarray | None = None,
) -> pl.Series:
    """A polars Series from numpy values; ``sentinel`` cells and ``nulls`` rows become null."""
    s = pl.Series(name, values, dtype=dtype)
    bad = None
    if sentinel is not None:
        hit = values == sentinel
        if hit.any():
            bad = hit
    if nulls is not None:
        bad = nulls if bad is None else (bad | nulls)
    if bad is not None:
        s = pl.select(pl.when(pl.Series(~bad)).then(s)).to_series().alias(name)
    return s


def frame_kind(df: pl.DataFrame) -> str:
    cols = set(df.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        return "dyad"
    if {"ccode", "year"} <= cols:
        return "state"
    if {"gwcode1", "gwcode2"} <= cols or "gwcode" in cols:
        raise ParameterError(
            "df",
            "this step merges on COW codes (ccode, ccode1/ccode2); the frame has G-W codes: "
            "add them first with add_ccode_to_gw(df), or create it with system='cow'",
        )
    raise ParameterError(
        "df",
        "the frame needs ccode1, ccode2 and year (dyad-years) or ccode and year "
        "(state-years): create it with create_dyadyears() or create_stateyears()",
    )


def is_directed(df: pl.DataFrame, a: str = "ccode1", b: str = "ccode2") -> bool:
    return bool((df.get_column(a) > df.get_column(b)).any())


def assert_rows(before: pl.DataFrame, after: pl.DataFrame, step: str) -> pl.DataFrame:
    if after.height != before.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"{step} changed the row count: {before.height} -> {after.height}")
    return after


def drop_existing(df: pl.DataFrame, cols: Iterable[str]) -> pl.DataFrame:
    """``df`` without the columns a step is about to add, saying so when it had them."""
    there = [c for c in cols if c in df.columns]
    if there:
        import warnings

        warnings.warn(
            f"the frame already has {', '.join(there)}: replaced by this step's values",
            PanelWarning,
            stacklevel=3,
        )
    return df.drop(there)


def dyad_keys(df: pl.DataFrame, k1: str = "ccode1", k2: str = "ccode2"):
    c1, n1 = key_array(df, k1)
    c2, n2 = key_array(df, k2)
    y, ny = key_array(df, "year")
    return c1, c2, y, null_mask(n1, n2, ny)


# ---------------------------------------------------------------------------------------------
# add_*
#
# Each step is split in two. ``_plan_<step>`` lays its source out as a dense table over an
# :class:`Index` (numpy, small: years x codes, or years x codes x codes) and returns a
# :class:`Plan` of polars expressions that gather every row's values from it. The rows'
# cells in the tables are computed once for all steps (``cell_columns``: three lookup-table
# gathers on the keys' 16-bit patterns), as every step of one call shares one index, over the
# codes and years of all their sources. :func:`query_of` makes the plans one lazy query: no
# add step does per-row work in numpy or Python, and polars evaluates the columns in
# parallel. ``build_panel`` applies all its steps together (``plan_panel`` hands the query
# over uncollected: the CLI streams it into the file); the public ``add_*`` functions apply
# their own plan alone, over their source's own index.

STREAMING_ROWS = 200_000
U16_COLUMNS = {"year": "__ak_uy", "ccode": "__ak_u", "ccode1": "__ak_u1", "ccode2": "__ak_u2"}
CELL = {"": "__ak_s", "1": "__ak_s1", "2": "__ak_s2", "dyad": "__ak_d"}


class Keys:
    """The frame's kind and key columns (checked: present and integer)."""

    def __init__(self, df: pl.DataFrame):
        self.kind = frame_kind(df)
        self.names = ["ccode1", "ccode2", "year"] if self.kind == "dyad" else ["ccode", "year"]
        self.dtypes = {}
        for name in self.names:
            check_key(df, name)
            self.dtypes[name] = df.schema[name]
        self._df = df
        self._directed: bool | None = None

    def directed(self) -> bool:
        """Whether any row has ccode1 > ccode2 (else the frame is read as undirected); on a
        G-W frame with COW codes added, gwcode1 > gwcode2 (the frame's own order)."""
        if self._directed is None:
            if self.kind == "dyad" and {"gwcode1", "gwcode2"} <= set(self._df.columns):
                self._directed = is_directed(self._df, "gwcode1", "gwcode2")
            else:
                self._directed = is_directed(self._df)
        return self._directed

    def last_year(self) -> int | None:
        """The frame's last year (None when it has none)."""
        if not hasattr(self, "_last"):
            last = self._df.get_column("year").max()
            self._last = None if last is None else int(last)
        return self._last

    def sides(self) -> list[str]:
        """The suffix of each state of a row: "" (state-years) or "1" and "2"."""
        return [""] if self.kind == "state" else ["1", "2"]


def check_key(df: pl.DataFrame, name: str) -> None:
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    dtype = df.schema[name]
    if not dtype.is_integer():
        raise ParameterError(
            "df",
            f"column {name!r} must hold integers, not {dtype} (a pandas column with missing "
            "values is float: give it pandas' nullable 'Int64' dtype)",
        )


def u16_expr(name: str, dtype) -> pl.Expr:
    """A key column as the index of the 16-bit lookup tables (what :func:`u16` does in
    numpy): values that do not fit in 16 bits as 65535 (a pattern no table knows); null
    stays null, so every gather with it is null. (Int16 keys need no conversion: a gather
    counts a negative index from the end of the 65536 entries, which is the key's 16-bit
    pattern.)"""
    c = pl.col(name)
    x = c.cast(pl.Int64, strict=False)
    return (
        pl.when(x.is_between(-(2**15), 2**15 - 1))
        .then(x & 0xFFFF)
        .when(c.is_not_null())
        .then(pl.lit(0xFFFF, pl.Int64))
    )


def lut(values: np.ndarray) -> pl.Expr:
    return pl.lit(pl.Series(values))


def cell_columns(keys: Keys, index: Index) -> list[list[pl.Expr]]:
    """Query stages giving every row its cells in tables over ``index``: ``__ak_s1`` and
    ``__ak_s2`` (or ``__ak_s``) in (year x code) tables, ``__ak_d`` in (year x code x code)
    cubes; null when a key is null."""
    col = {n: n if keys.dtypes[n] == pl.Int16 else U16_COLUMNS[n] for n in keys.names}
    u16 = [u16_expr(n, keys.dtypes[n]).alias(U16_COLUMNS[n]) for n in keys.names if col[n] != n]
    code = {"": "ccode", "1": "ccode1", "2": "ccode2"}
    base = [lut(index._ys).gather(pl.col(col["year"])).alias("__ak_yb")]
    base += [lut(index.clut).gather(pl.col(col[code[s]])).alias("__ak_p" + s) for s in keys.sides()]
    cells = [(pl.col("__ak_yb") + pl.col("__ak_p" + s)).alias(CELL[s]) for s in keys.sides()]
    if keys.kind == "dyad":
        cells.append(
            ((pl.col("__ak_yb") + pl.col("__ak_p1")) * index.k + pl.col("__ak_p2")).alias(
                CELL["dyad"]
            )
        )
    return [u16, base, cells]


class Plan:
    """One add step as lazy query stages, run after the cells are known: ``stages[0]`` (raw
    lookups), then ``stages[1]`` (the output columns), then ``stages[2]`` (columns computed
    from outputs); a stage reads only columns of earlier ones. ``new``: the step's output
    columns, in order."""

    def __init__(self, new: list[str], *stages: list[pl.Expr]):
        self.new = list(new)
        self.stages = [list(s) for s in stages]


def query_of(
    df: pl.DataFrame, keys: Keys | None, index: Index | None, plans: list[Plan]
) -> pl.LazyFrame:
    """The lazy query that adds the ``plans``' columns (tables over ``index``) to ``df`` as
    the add steps one after the other would: a step's columns replace any of the same name
    and go last."""
    lf = df.lazy()
    if not plans:
        return lf
    order = list(df.columns)
    for p in plans:
        order = [c for c in order if c not in p.new] + p.new
    stages = cell_columns(keys, index)
    for i in range(max(len(p.stages) for p in plans)):
        stages.append([e for p in plans if i < len(p.stages) for e in p.stages[i]])
    for stage in stages:
        if stage:
            lf = lf.with_columns(stage)
    return lf.select(order)


def apply_plans(
    df: pl.DataFrame, keys: Keys | None, index: Index | None, plans: list[Plan], step: str
) -> pl.DataFrame:
    if not plans:
        return df
    replaced = [c for p in plans for c in p.new if c in df.columns]
    if replaced:
        import warnings

        warnings.warn(
            f"the frame already has {', '.join(replaced)}: replaced by {step}'s values",
            PanelWarning,
            stacklevel=4,
        )
    # The in-memory engine starts faster (small frames); the streaming engine, which runs
    # the query chunk by chunk on all cores, is faster on large ones (1.5x on 2 million rows).
    engine = "in-memory" if df.height < STREAMING_ROWS else "streaming"
    out = query_of(df, keys, index, plans).collect(engine=engine)
    return assert_rows(df, out, step)


def not_sentinel(values: pl.Expr, sentinel: int) -> pl.Expr:
    """``values``, null where they are the sentinel."""
    return pl.when(values != sentinel).then(values)


def outside_years(index: Index, y0: int, y1: int) -> list[slice]:
    """The year slices of tables over ``index`` that a source covering y0..y1 does not cover
    (the index's extra slice, for years outside the index, included)."""
    return [
        slice(0, index.year_pos(np.array([y0]))[0]),
        slice(index.year_pos(np.array([y1]))[0] + 1, index.Y + 1),
    ]


def extent(step: str, data: pl.DataFrame) -> tuple[np.ndarray, int, int]:
    """The codes and the first and last year of a step's source."""
    if step == "atop":
        return (
            np.concatenate([data["ccode1"].to_numpy(), data["ccode2"].to_numpy()]),
            int(data["year"].min()),
            int(data["year"].max()),
        )
    if step == "nmc":
        return data["ccode"].to_numpy(), int(data["year"].min()), int(data["year"].max())
    if step == "majors":
        return (data["ccode"].to_numpy(), int(data["styear"].min()), int(data["endyear"].max()))
    return (
        np.concatenate([data["ccode1"].to_numpy(), data["ccode2"].to_numpy()]),
        int(data["stdate"].min().year),
        int(data["enddate"].max().year),
    )


MAX_CARRY = 300  # years past its sources' an index reaches to carry values forward


def index_for(sources: dict[str, pl.DataFrame], keys: Keys | None = None) -> Index:
    """One index over the codes and years of all ``sources`` (step -> table), reaching the
    frame's last year (``keys``) when it is later, so that a step can carry its last values
    forward (``mry``) year by year."""
    extents = [extent(step, data) for step, data in sources.items()]
    y0, y1 = min(e[1] for e in extents), max(e[2] for e in extents)
    if keys is not None:
        last = keys.last_year()
        if last is not None and last > y1:
            y1 = min(last, y1 + MAX_CARRY)
    return Index(np.concatenate([e[0] for e in extents]), y0, y1)
