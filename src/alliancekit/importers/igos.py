"""COW intergovernmental organisations, version 3 (Pevehouse et al. 2020): dyad-years and
state-years.

Dyad-years (:func:`read_igos`), layouts:

- ``peacesciencer``: ccode1, ccode2, year, dyadigos (non-directed, ccode1 < ccode2; the
  ``cow_igo_ndy`` table);
- ``cow``: the publisher's ``dyadic_formatv3.csv``: dyadid, ccode1, state1, ccode2, state2,
  year and one column per IGO coded 1 = joint full membership, 0 = none, -9 = missing,
  -1 = a state not a system member (COW IGO v3 codebook). ``dyadigos`` is derived as
  peacesciencer derives it: the sum over the IGO columns of the values that are not negative,
  i.e. the number of IGOs in which both states are full members. Its dyads are stored with the
  smaller code first.

State-years (:func:`read_igos_states`), layouts:

- ``peacesciencer``: ccode, year, sum_igo_full, sum_igo_associate, sum_igo_observer,
  sum_igo_anytype (the ``cow_igo_sy`` table);
- ``cow``: the publisher's ``state_year_formatv3.csv``: ccode, year, state and one column per
  IGO coded 1 = full member, 2 = associate, 3 = observer, 0 = none, -9 = missing, -1 = not a
  system member; the four counts are derived as peacesciencer derives them (negative codes
  count as nothing; ``anytype`` counts codes 1-3).

A repeated dyad-year (state-year) is an error.

The publisher's files are large (the dyadic one holds some 900,000 rows of 530 IGO columns):
a text file in the publisher's layout is first read as typed integers and summed in one
streamed pass; only when that fails (a cell that is not an integer or not a known code) is
it read again cell by cell to name every bad cell's row and column.
"""

from __future__ import annotations

import gzip
from collections.abc import Collection
from pathlib import Path

import polars as pl

from alliancekit.importers._columns import check_duplicates, finish, int_column
from alliancekit.importers._pairs import check_order, check_two_states, code_column, year_column
from alliancekit.importers._raw import IssueList, RawTable, find_layout, read_raw

DYAD_COLUMNS = ("ccode1", "ccode2", "year", "dyadigos")
STATE_SUMS = ("sum_igo_full", "sum_igo_associate", "sum_igo_observer", "sum_igo_anytype")
STATE_COLUMNS = ("ccode", "year", *STATE_SUMS)
DYAD_LAYOUTS = {"peacesciencer": DYAD_COLUMNS, "cow": ("ccode1", "ccode2", "year")}
STATE_LAYOUTS = {"peacesciencer": STATE_COLUMNS, "cow": ("ccode", "year")}
DYAD_IDS = {"dyadid", "ccode1", "ccode2", "state1", "state2", "year", "version"}
STATE_IDS = {"ccode", "year", "state", "stateabb", "version"}
FAST_MIN_IGOS = 50  # publisher's files with this many IGO columns take the typed pass
VERSION = "3.0"
CITATION = (
    "Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison. "
    "2020. Tracking Organizations in the World: The Correlates of War IGO Version 3.0 Datasets. "
    "Journal of Peace Research 57(3): 492-503. https://correlatesofwar.org/data-sets/igos/"
)


def _igo_counts(raw, ids: set[str], issues: IssueList, codes: dict[str, tuple]) -> dict:
    """Counts over the publisher's IGO columns (every column not in ``ids``): for each output
    name, the number of IGO columns whose code is in its tuple."""
    igo_cols = [c for c in raw.df.columns if c not in ids]
    if not igo_cols:
        from alliancekit.importers._raw import fail

        raise fail(raw.name, "wrong_columns", "no IGO columns found beside the identifiers", 0)
    allowed = sorted({-9, -1, 0, *(v for vals in codes.values() for v in vals)})
    sums = {name: pl.Series(name, [0] * raw.df.height, dtype=pl.Int32) for name in codes}
    for c in igo_cols:
        v = int_column(raw, c, issues, allowed=allowed, required=False)
        for name, vals in codes.items():
            sums[name] = sums[name] + v.is_in(list(vals)).fill_null(False).cast(pl.Int32)
    return sums


def _fast_publisher(
    path: str | Path, ids: set[str], codes: dict[str, tuple], needed: tuple[str, ...]
) -> tuple[RawTable, dict[str, pl.Series]] | None:
    """The publisher's text file read as typed integers and summed in one pass: its id
    columns (as a RawTable) and the counts; None when the file is not such a file or any
    cell fails (the cell-by-cell path then names them)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            magic = fh.read(4)
        if magic == b"PAR1":
            return None  # parquet is typed already
        opener = gzip.open if magic[:2] == b"\x1f\x8b" else open
        with opener(p, "rt", encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline().rstrip("\r\n")
        sep = "\t" if ("\t" in header and "," not in header) else ","
        names = [h.strip().strip('"') for h in header.split(sep)]
        lower = [n.lower() for n in names]
        if any(c not in lower for c in needed) or any(c in lower for c in codes):
            return None
        igo = [n for n, low in zip(names, lower, strict=True) if low not in ids]
        if len(igo) < FAST_MIN_IGOS:
            return None
        allowed = sorted({-9, -1, 0, *(v for vals in codes.values() for v in vals)})
        types = dict.fromkeys(igo, pl.Int16)
        id_cols = [n for n, low in zip(names, lower, strict=True) if low in ids]
        exprs = [pl.col(c).cast(pl.String).alias(c.lower()) for c in id_cols]
        exprs += [
            pl.sum_horizontal([pl.col(c).is_in(list(vals)).cast(pl.Int32) for c in igo]).alias(k)
            for k, vals in codes.items()
        ]
        bad = pl.any_horizontal([~pl.col(c).is_in(allowed) for c in igo]).fill_null(False)
        exprs.append(bad.alias("__ak_bad"))
        if opener is open:
            lf = pl.scan_csv(p, separator=sep, schema_overrides=types, infer_schema=False)
            df = lf.select(exprs).collect(engine="streaming")
        else:
            df = pl.read_csv(p, separator=sep, schema_overrides=types, infer_schema=False)
            df = df.select(exprs)
    except Exception:  # polars' parse errors: read cell by cell to name them
        return None
    if df.height == 0 or df["__ak_bad"].any():
        return None
    sums = {k: df.get_column(k) for k in codes}
    raw = RawTable(str(p), df.select(c.lower() for c in id_cols), None, True)
    return raw, sums


def read_igos(path: str | Path, *, known_codes: Collection[int] | None = None) -> pl.DataFrame:
    """Read and validate COW IGO dyad-years (either layout): ccode1 < ccode2, year, dyadigos."""
    fast = _fast_publisher(path, DYAD_IDS, {"dyadigos": (1,)}, DYAD_LAYOUTS["cow"])
    if fast is not None:
        raw, sums = fast
        layout = "cow"
    else:
        raw = read_raw(path)
        layout = find_layout(raw, DYAD_LAYOUTS, "a COW IGO dyad-year file")
    issues = IssueList()
    c1 = code_column(raw, "ccode1", issues, known_codes)
    c2 = code_column(raw, "ccode2", issues, known_codes)
    year = year_column(raw, "year", issues)
    check_two_states(raw, c1, c2, "ccode2", issues)
    if layout == "peacesciencer":
        check_order(raw, c1, c2, "ccode1", issues)
        n = int_column(raw, "dyadigos", issues, lo=0, required=False)
    else:
        if fast is None:
            sums = _igo_counts(raw, DYAD_IDS, issues, {"dyadigos": (1,)})
        n = sums["dyadigos"]
        lo, hi = pl.min_horizontal, pl.max_horizontal
        swapped = pl.DataFrame({"a": c1, "b": c2}).select(
            lo("a", "b").alias("a"), hi("a", "b").alias("b")
        )
        c1, c2 = swapped["a"].alias("ccode1"), swapped["b"].alias("ccode2")
    df = pl.DataFrame([c1, c2, year, n.cast(pl.Int16, strict=False).alias("dyadigos")])
    if not issues:
        check_duplicates(raw.name, df, ["ccode1", "ccode2", "year"], issues)
    return finish(raw, df, issues)


def read_igos_states(
    path: str | Path, *, known_codes: Collection[int] | None = None
) -> pl.DataFrame:
    """Read and validate COW IGO state-years (either layout): ccode, year and the four
    membership counts."""
    codes = {
        "sum_igo_full": (1,),
        "sum_igo_associate": (2,),
        "sum_igo_observer": (3,),
        "sum_igo_anytype": (1, 2, 3),
    }
    fast = _fast_publisher(path, STATE_IDS, codes, STATE_LAYOUTS["cow"])
    if fast is not None:
        raw, sums = fast
        layout = "cow"
    else:
        raw = read_raw(path)
        layout = find_layout(raw, STATE_LAYOUTS, "a COW IGO state-year file")
    issues = IssueList()
    cols = {
        "ccode": code_column(raw, "ccode", issues, known_codes),
        "year": year_column(raw, "year", issues),
    }
    if layout == "peacesciencer":
        for c in STATE_SUMS:
            cols[c] = int_column(raw, c, issues, lo=0, required=False)
    else:
        cols.update(sums if fast is not None else _igo_counts(raw, STATE_IDS, issues, codes))
    df = pl.DataFrame(
        [cols["ccode"], cols["year"]] + [cols[c].cast(pl.Int16, strict=False) for c in STATE_SUMS]
    )
    if not issues:
        check_duplicates(raw.name, df, ["ccode", "year"], issues)
    return finish(raw, df, issues)
