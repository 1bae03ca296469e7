"""The lookup engine of the covariate steps: a source's rows found for every frame row through
dense tables over the source's codes and years (numpy), and the gathered columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from alliancekit.schema import ParameterError

if TYPE_CHECKING:
    from alliancekit.catalog import Catalog


def dataset(name: str, given: pl.DataFrame | None, catalog: Catalog | None) -> pl.DataFrame:
    if given is not None:
        return given
    if catalog is None:
        from alliancekit.catalog import open_catalog

        catalog = open_catalog()
    return catalog.read(name)


def frame_kind(df: pl.DataFrame, step: str) -> str:
    cols = set(df.columns)
    if {"ccode1", "ccode2", "year"} <= cols:
        return "dyad"
    if {"ccode", "year"} <= cols:
        return "state"
    raise ParameterError(
        "df",
        f"{step}() merges on COW codes: the frame needs ccode1, ccode2 and year (dyad-years) "
        "or ccode and year (state-years); create it with system='cow'",
    )


def u16(df: pl.DataFrame, name: str) -> np.ndarray:
    """A key column as the 16-bit index of the lookup tables: Int16 values viewed as uint16
    (no copy); values that do not fit in 16 bits and nulls as 65535 (-1), which no source
    holds (codes are 1-999, years 1400-2100)."""
    if name not in df.columns:
        raise ParameterError("df", f"the frame needs a column {name!r}")
    s = df.get_column(name)
    if not s.dtype.is_integer():
        raise ParameterError("df", f"column {name!r} must hold integers, not {s.dtype}")
    if s.dtype != pl.Int16 or s.null_count():
        s = pl.select(
            pl.when(s.cast(pl.Int64).is_between(-(2**15), 2**15 - 1))
            .then(s.cast(pl.Int64))
            .otherwise(-1)
            .fill_null(-1)
            .cast(pl.Int16)
        ).to_series()
    return s.to_numpy().view(np.uint16)


def as_years(u16: np.ndarray) -> np.ndarray:
    return u16.view(np.int16)


def finish(df: pl.DataFrame, new: list[pl.Series], step: str) -> pl.DataFrame:
    names = [s.name for s in new]
    out = df.drop([c for c in names if c in df.columns]).with_columns(new)
    if out.height != df.height:  # pragma: no cover - a bug, never a data problem
        raise AssertionError(f"{step} changed the row count: {df.height} -> {out.height}")
    return out


class Index:
    """Dense positions over a source's codes and years, by lookup tables on the keys' 16-bit
    patterns: codes to 0..K-1 (any other value K), years y0..y1 to 0..Y-1 (any other Y).
    Tables over it hold (Y + 1) x (K + 1) cells (state-years) or (Y + 1) x (K + 1)^2
    (dyad-years): a row's cell is a sum of gathers, no search and no sort."""

    def __init__(self, codes: list[np.ndarray], years: np.ndarray):
        present = np.zeros(1 << 16, dtype=bool)
        for c in codes:
            present[c] = True
        present[0xFFFF] = False  # null / out of range
        slots = np.flatnonzero(present)
        self.K = len(slots)
        self.k = k = self.K + 1
        clut = np.full(1 << 16, self.K, dtype=np.int32)
        clut[slots] = np.arange(self.K, dtype=np.int32)
        yv = as_years(years)
        self.y0, self.y1 = (int(yv.min()), int(yv.max())) if len(yv) else (0, -1)
        self.Y = self.y1 - self.y0 + 1
        ylut = np.full(1 << 16, self.Y, dtype=np.int32)
        ylut[np.arange(self.y0, self.y1 + 1, dtype=np.int16).view(np.uint16)] = np.arange(
            self.Y, dtype=np.int32
        )
        self.clut = clut
        self.cd = clut * k
        self.ys = ylut * k
        self.yd = ylut * (k * k)

    def dyad(self, c1: np.ndarray, c2: np.ndarray, y: np.ndarray) -> np.ndarray:
        pos = self.yd[y]
        pos += self.cd[c1]
        pos += self.clut[c2]
        return pos

    def state(self, c: np.ndarray, y: np.ndarray) -> np.ndarray:
        pos = self.ys[y]
        pos += self.clut[c]
        return pos


def dyad_rows(
    keys: tuple[np.ndarray, np.ndarray, np.ndarray],
    src: tuple[np.ndarray, np.ndarray, np.ndarray],
    symmetric: bool = False,
) -> np.ndarray:
    """For each frame row (c1, c2, year) of ``keys``, the row of the source ``src`` with the
    same keys (keys unique in the source), -1 if none. ``symmetric``: the source lists each
    pair once, in either order, and is read in both. One int32 table of row numbers over
    the source's codes and years (a few tens of MB, freed on return)."""
    s1, s2, sy = src
    if len(sy) == 0:
        return np.full(len(keys[0]), -1, dtype=np.int32)
    ix = Index([s1, s2], sy)
    c1, c2, y = keys
    ordered = symmetric and bool((s1 < s2).all())  # smaller code first, as importers store it
    if ordered:
        c1, c2 = np.minimum(c1, c2), np.maximum(c1, c2)  # (a null, 65535, stays unknown)
    if (ix.Y + 1) * ix.k * ix.k > MAX_TABLE:
        return sorted_rows((c1, c2, y), src, symmetric and not ordered)
    table = np.full((ix.Y + 1) * ix.k * ix.k, -1, dtype=np.int32)
    rows = np.arange(len(sy), dtype=np.int32)
    table[ix.dyad(s1, s2, sy)] = rows
    if symmetric and not ordered:
        table[ix.dyad(s2, s1, sy)] = rows
    return table[ix.dyad(c1, c2, y)]


MAX_TABLE = 64_000_000  # cells (256 MB of int32): beyond, a source is searched instead


def sorted_rows(keys, src, both: bool) -> np.ndarray:
    """:func:`dyad_rows` by binary search on the sorted source keys, for sources whose
    dense table would be too large (thousands of distinct codes)."""

    def pack(a, b, y):
        return (y.astype(np.int64) << 32) | (a.astype(np.int64) << 16) | b.astype(np.int64)

    s1, s2, sy = src
    skeys = [pack(s1, s2, sy)] + ([pack(s2, s1, sy)] if both else [])
    srows = [np.arange(len(sy))] * len(skeys)
    sk, sr = np.concatenate(skeys), np.concatenate(srows)
    order = np.argsort(sk, kind="stable")
    sk, sr = sk[order], sr[order]
    fk = pack(*keys)
    at = np.minimum(np.searchsorted(sk, fk), len(sk) - 1)
    return np.where(sk[at] == fk, sr[at], -1).astype(np.int32)


def state_rows(
    keys: tuple[np.ndarray, np.ndarray], src: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """For each frame row (code, year), the source row with the same keys, -1 if none."""
    sc, sy = src
    if len(sy) == 0:
        return np.full(len(keys[0]), -1, dtype=np.int32)
    ix = Index([sc], sy)
    table = np.full((ix.Y + 1) * ix.k, -1, dtype=np.int32)
    table[ix.state(sc, sy)] = np.arange(len(sy), dtype=np.int32)
    return table[ix.state(*keys)]


def dyad_keys(df: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return u16(df, "ccode1"), u16(df, "ccode2"), u16(df, "year")


def state_keys(df: pl.DataFrame, code: str = "ccode") -> tuple[np.ndarray, np.ndarray]:
    return u16(df, code), u16(df, "year")


def take(
    values: pl.Series,
    rows: np.ndarray,
    fill: Any = None,
    where: np.ndarray | None = None,
    name: str | None = None,
) -> pl.Series:
    """``values`` at the source ``rows`` (-1: none); a row with none is null, or ``fill``
    where ``where`` holds (everywhere when ``where`` is None). One gather: the fill and the
    null are appended to the values, in numpy where a sentinel can stand for null."""
    n = len(values)
    name = name or values.name
    if fill is None:
        idx = np.where(rows >= 0, rows, n + 1)
    elif where is None:
        idx = np.where(rows >= 0, rows, n)
    else:
        idx = np.where(rows >= 0, rows, np.where(where, n, n + 1))
    dtype = values.dtype
    if not values.null_count() and (dtype.is_float() or dtype.is_integer()):
        arr = values.to_numpy()
        if dtype.is_float():
            ext = np.append(arr, [np.nan if fill is None else fill, np.nan])
            return pl.Series(name, ext[idx], dtype=dtype, nan_to_null=True)
        low = np.iinfo(arr.dtype).min
        if not n or arr.min() > low:
            ext = np.append(arr, [low if fill is None else fill, low]).astype(arr.dtype)
            out = pl.Series(name, ext[idx], dtype=dtype)
            return pl.select(pl.when(out != low).then(out)).to_series().alias(name)
    ext = values.extend_constant(fill, 1).extend_constant(None, 1)
    return ext.gather(pl.Series(idx.astype(np.uint32))).alias(name)


def within(y: np.ndarray, y0: int, y1: int) -> np.ndarray:
    yv = as_years(y)
    return (yv >= y0) & (yv <= y1)
