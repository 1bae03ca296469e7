"""Tables to the formats researchers use, told by the file's suffix, each with its provenance
record (:mod:`alliancekit.provenance`) where the format holds one:

=================  ==================================================  ======================
suffix             format                                              provenance
=================  ==================================================  ======================
.parquet           Parquet (lz4)                                       key-value metadata
.csv               CSV                                                 sidecar ``<file>.json``
.feather, .arrow   Feather / Arrow IPC (lz4)                           schema metadata
.dta               Stata 14+ (format 118), with variable labels        sidecar ``<file>.json``
.rds               R (``readRDS``), via pyreadr                        sidecar ``<file>.json``
=================  ==================================================  ======================

Stata names (:func:`stata_names`): Stata allows 32 characters. A longer column name becomes
its first 29 characters, ``_`` and a two-digit number (``01``, ``02``, ... in column order
among the shortened names), skipping any number whose result is already a column's name, so
no two columns ever share a name; the full name opens the variable's label
(``tie_information_security_agreement`` -> ``tie_information_security_agre_01``, label
``tie_information_security_agreement (in force, curated tie)``). Names already within 32
characters are kept.
Integers stay integers with missing values (Stata ``.``; R ``NA``: 32-bit integers in R).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

FORMATS = (".parquet", ".csv", ".feather", ".arrow", ".dta", ".rds")
# the formats whose provenance record goes in a sidecar ``<file>.json``
SIDECAR_SUFFIXES = (".csv", ".dta", ".rds")
STATA_MAX = 32
STATA_LABEL_MAX = 80

# variable labels of the panel columns (Stata); others get their name
LABELS = {
    "ccode": "COW state code",
    "ccode1": "COW state code, state 1",
    "ccode2": "COW state code, state 2",
    "gwcode": "Gleditsch-Ward state code",
    "gwcode1": "Gleditsch-Ward state code, state 1",
    "gwcode2": "Gleditsch-Ward state code, state 2",
    "year": "year",
    "statenme": "COW state name",
    "statename": "Gleditsch-Ward state name",
    "atop_alliance": "ATOP: any alliance (a row in ATOP's dyad-years)",
    "atop_defense": "ATOP: defence obligation",
    "atop_offense": "ATOP: offence obligation",
    "atop_neutral": "ATOP: neutrality obligation",
    "atop_nonagg": "ATOP: non-aggression obligation",
    "atop_consul": "ATOP: consultation obligation",
    "cowmaj": "COW major power",
    "cowmaj1": "COW major power, state 1",
    "cowmaj2": "COW major power, state 2",
    "conttype": "COW direct contiguity type (0 none, 1 land, 2-5 water)",
    "cinc_ratio": "cinc1 / (cinc1 + cinc2)",
}
_NMC = {
    "milex": "NMC: military expenditure (thousands of US$)",
    "milper": "NMC: military personnel (thousands)",
    "irst": "NMC: iron and steel production (thousands of tons)",
    "pec": "NMC: primary energy consumption (thousands of coal-ton equivalents)",
    "tpop": "NMC: total population (thousands)",
    "upop": "NMC: urban population (thousands)",
    "cinc": "NMC: composite index of national capability",
}
for _v, _l in _NMC.items():
    LABELS[_v] = _l
    LABELS[_v + "1"] = _l + ", state 1"
    LABELS[_v + "2"] = _l + ", state 2"


def check_suffix(path: str | Path, parameter: str = "path") -> str:
    from alliancekit.schema import ParameterError

    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ParameterError(
            parameter, f"write one of {', '.join(FORMATS)}, not {Path(path).name!r}"
        )
    return suffix


def stata_names(columns: list[str]) -> dict[str, str]:
    """Column name -> Stata name, by the rule in the module notes (unique, <= 32 chars)."""
    taken = {c for c in columns if len(c) <= STATA_MAX}
    out: dict[str, str] = {}
    n = 0
    for c in columns:
        if len(c) <= STATA_MAX:
            out[c] = c
            continue
        while True:
            n += 1
            name = f"{c[: STATA_MAX - 3]}_{n:02d}"
            if name not in taken:
                break
        taken.add(name)
        out[c] = name
    return out


def _stata_label(column: str, renamed: bool) -> str:
    if column in LABELS:
        label = LABELS[column]
    elif column.startswith("tie_"):
        label = column[4:].replace("_", " ") + " (in force, curated tie)"
    else:
        label = column
    if renamed:
        label = f"{column} (in force, curated tie)" if column.startswith("tie_") else column
    return label[:STATA_LABEL_MAX]


def _pandas(df: pl.DataFrame, int32: bool = False):
    """A pandas frame with nullable integer columns (int32: every integer as Int32, R's)."""
    import pandas as pd
    import pyarrow as pa

    if int32:
        df = df.with_columns(pl.col(pl.Int8, pl.Int16, pl.UInt8, pl.UInt16).cast(pl.Int32))
    mapping = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
    }
    return df.to_pandas(types_mapper=mapping.get)


def write_table(df: pl.DataFrame, path: str | Path, record: dict[str, Any] | None = None) -> Path:
    """Write ``df`` in the format its suffix names, with ``record`` (a provenance record)
    where the format holds one, else in a sidecar ``<file>.json``."""
    from alliancekit import provenance

    path = Path(path)
    suffix = check_suffix(path, "path")
    path.parent.mkdir(parents=True, exist_ok=True)
    sidecar = False
    if suffix == ".parquet":
        meta = provenance.parquet_metadata(record) if record else None
        df.write_parquet(path, compression="lz4", statistics=False, metadata=meta)
    elif suffix == ".csv":
        df.write_csv(path)
        sidecar = True
    elif suffix in (".feather", ".arrow"):
        import pyarrow.feather as feather

        table = df.to_arrow()
        if record:
            table = table.replace_schema_metadata(provenance.parquet_metadata(record))
        feather.write_feather(table, path, compression="lz4")
    elif suffix == ".dta":
        names = stata_names(df.columns)
        labels = {names[c]: _stata_label(c, names[c] != c) for c in df.columns}
        what = f"alliancekit {(record or {}).get('output', 'panel')}"
        note = what + (f"; provenance in {path.name}.json" if record else "")
        _pandas(df.rename(names)).to_stata(
            path,
            write_index=False,
            version=118,
            variable_labels=labels,
            data_label=note[:STATA_LABEL_MAX],
        )
        sidecar = True
    else:  # .rds
        try:
            import pyreadr
        except ImportError:  # pragma: no cover - a dependency
            from alliancekit.schema import ParameterError

            raise ParameterError(
                "path", "writing .rds needs the pyreadr package: pip install pyreadr"
            ) from None
        pyreadr.write_rds(str(path), _pandas(df, int32=True), compress="gzip")
        sidecar = True
    if sidecar and record:
        provenance.write_sidecar(path, record)
    return path
