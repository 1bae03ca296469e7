"""Where an output came from, written with it, and how to cite what it used.

A panel written by ``alliancekit panel ...`` carries a provenance record: alliancekit's
version, the curated dataset's version and as-of date, each imported file (dataset, file name,
SHA-256, rows, version), the steps with their options and the citations. Parquet files hold it
as key-value metadata under the key ``alliancekit`` (JSON), Feather/Arrow files as schema
metadata; CSV, Stata and R files get a sidecar ``<file>.json`` (``panel.csv`` ->
``panel.csv.json``; see :mod:`alliancekit.writers`). There is no timestamp: the same inputs
give the same record.

``alliancekit cite --for FILE`` reads the record back and prints BibTeX (or text) for every
source and step it names; ``alliancekit cite --steps atop,nmc --format bibtex|text`` does the
same for steps named directly, as peacesciencer's ``ps_cite()`` does. In Python:
:func:`read`, :func:`cite`. The references themselves (text and BibTeX of every source and
what each step cites) are in :mod:`alliancekit.provenance.references`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alliancekit.provenance.references import (
    CITE_FORMATS,
    REFERENCES,
    STEP_REFERENCES,
    citations,
    dataset_meta,
    formatted,
    references_for,
)

METADATA_KEY = "alliancekit"

# steps that read more than one dataset (or one of two): every one present is recorded
STEP_DATASETS = {"igos": ("igos", "igos_states"), "fpsim": ("atop", "nmc")}
STEP_DATA = {
    "atop": "atop",
    "nmc": "nmc",
    "majors": "majors",
    "contiguity": "contiguity",
    "cow": "cow_states",
    "gw": "gw_states",
    "gml_mids": "gml_mids",
    "mindist": "mindist",
    "capdist": "capitals",
    "rivalries": "rivalries",
}


def cite(
    steps: Iterable[str] | None = None, *, file: str | Path | None = None, fmt: str = "bibtex"
) -> str:
    """BibTeX (``fmt="bibtex"``) or plain text for every source and step used: the steps
    named, or those recorded in ``file`` (an output of alliancekit)."""
    from alliancekit.schema import ParameterError, choice

    choice(fmt, CITE_FORMATS, "format", "format")
    if (steps is None) == (file is None):
        raise ParameterError(
            "steps", "give the steps or a file, one of them (not both, not neither)"
        )
    if file is not None:
        record = read(file)
        keys = record.get("references") or references_for(
            [s["step"] for s in record.get("steps", []) if s["step"] in STEP_REFERENCES]
        )
    else:
        keys = references_for(list(steps))
    return formatted(keys, fmt)


def panel_record(
    *,
    kind: str,
    system: str,
    directed: bool | None,
    years: Any,
    extend_to: int | None,
    steps: list[str],
    options: dict[str, dict[str, Any]],
    imports: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """The provenance record of a panel. ``imports``: dataset -> its catalog record (file,
    sha256, rows, version, citation)."""
    from alliancekit import __version__

    frame = {"step": f"create_{kind}years", "system": system, "years": years}
    if kind == "dyad":
        frame["directed"] = directed
    frame["extend_to"] = extend_to
    used = [system, *steps]
    if system == "gw" and any(s in STEP_DATA or s in STEP_DATASETS for s in steps):
        used.insert(1, "cow")  # the G-W frame took COW codes
    inputs = []
    for step in used:
        names = STEP_DATASETS.get(step) or ((STEP_DATA[step],) if step in STEP_DATA else ())
        for name in names:
            rec = imports.get(name)
            if rec is None:
                continue
            inputs.append(
                {
                    "dataset": name,
                    "file": rec.get("file"),
                    "sha256": rec.get("sha256"),
                    "rows": rec.get("rows"),
                    "version": rec.get("version"),
                    "citation": rec.get("citation"),
                }
            )
    refs = references_for(dict.fromkeys(used))
    return {
        "alliancekit_version": __version__,
        "dataset": dataset_meta(),
        "output": "state-year panel" if kind == "state" else "dyad-year panel",
        "steps": [frame, *({"step": s, "options": options.get(s, {})} for s in steps)],
        "inputs": list({i["dataset"]: i for i in inputs}.values()),
        "references": refs,
        "citations": citations(refs),
    }


def file_input(path: str | Path, dataset: str) -> dict[str, Any]:
    """What an output records of a user's file it read (an extension file, a spending file):
    its name, SHA-256 and number of data rows (lines after the header)."""
    import hashlib

    raw = Path(path).read_bytes()
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1)
    return {
        "dataset": dataset,
        "file": Path(path).name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "rows": max(lines - 1, 0),
        "version": None,
        "citation": None,
    }


def spending_sources(spending: Any, editions: Iterable[str] | None = None) -> list[dict[str, str]]:
    """The publishers behind a spending table's figures, one entry per edition: edition,
    publisher, URL and date accessed (the first row of the edition that names them), for the
    ``editions`` an output used (all when None)."""
    import polars as pl

    cols = ["edition", "source_publisher", "source_url", "source_accessed"]
    if not set(cols) <= set(spending.columns):
        return []
    rows = spending.select(cols).unique(subset=["edition"], keep="first", maintain_order=True)
    if editions is not None:
        rows = rows.filter(pl.col("edition").is_in(list(editions)))
    return [
        {
            "edition": r["edition"],
            "publisher": r["source_publisher"],
            "url": r["source_url"],
            "accessed": r["source_accessed"],
        }
        for r in rows.sort("edition").to_dicts()
    ]


def output_record(
    output: str,
    *,
    options: dict[str, Any],
    inputs: Iterable[dict[str, Any]] = (),
    references: Iterable[str] = (),
    sources: Iterable[dict[str, str]] = (),
    curated: bool = True,
) -> dict[str, Any]:
    """The provenance record of a table or graph other than a panel (network measures and
    series, burden tables, exports): what was computed (``output`` and its ``options``), from
    which inputs (catalog records or :func:`file_input`), the publishers behind the figures
    (``sources``, e.g. :func:`spending_sources`) and the references to cite. ``curated``: the
    curated dataset was read (its citation is added)."""
    from alliancekit import __version__

    keys = ["alliancekit", *(["alliancekit_data"] if curated else []), *references]
    unknown = [k for k in keys if k not in REFERENCES]
    if unknown:
        from alliancekit.schema import ParameterError

        raise ParameterError("references", f"unknown reference keys: {', '.join(unknown)}")
    refs = list(dict.fromkeys(keys))
    return {
        "alliancekit_version": __version__,
        "dataset": dataset_meta(),
        "output": output,
        "steps": [{"step": output, "options": options}],
        "inputs": list({(i["dataset"], i["file"]): i for i in inputs}.values()),
        "sources": list(sources),
        "references": refs,
        "citations": citations(refs),
    }


def parquet_metadata(record: dict[str, Any]) -> dict[str, str]:
    """Key-value metadata for a Parquet file."""
    return {METADATA_KEY: json.dumps(record, sort_keys=True, default=str)}


def write_sidecar(path: str | Path, record: dict[str, Any]) -> Path:
    """``<path>.json`` beside a CSV file."""
    side = Path(str(path) + ".json")
    side.write_text(json.dumps(record, indent=1, sort_keys=True, default=str) + "\n")
    return side


def read(path: str | Path) -> dict[str, Any]:
    """The provenance record of an output: a Parquet file's key-value metadata, a Feather
    file's schema metadata, a GraphML file's graph attribute, a JSON output's ``provenance``
    member, or the sidecar ``<file>.json`` of any other file (or the sidecar itself).

    Raises
    ------
    ParameterError
        For ``path`` when the file is missing or carries no record.
    """
    from alliancekit.schema import ParameterError

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".parquet", ".feather", ".arrow", ".graphml") and not p.is_file():
        raise ParameterError("path", f"file not found: {p}")
    raw: str | bytes | None = None
    if suffix == ".parquet":
        import polars as pl

        raw = pl.read_parquet_metadata(p).get(METADATA_KEY)
    elif suffix in (".feather", ".arrow"):
        import pyarrow.ipc as ipc

        with ipc.open_file(p) as reader:
            raw = (reader.schema.metadata or {}).get(METADATA_KEY.encode())
    elif suffix == ".graphml":
        raw = _graphml_record(p)
    if suffix in (".parquet", ".feather", ".arrow", ".graphml"):
        if raw is None:
            raise ParameterError("path", f"{p.name} carries no alliancekit provenance record")
        return json.loads(raw)
    if suffix == ".json" and p.is_file():
        try:
            payload = json.loads(p.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ParameterError("path", f"{p.name} is not a JSON file ({exc})") from None
        if isinstance(payload, dict) and isinstance(payload.get("provenance"), dict):
            return payload["provenance"]  # a JSON output carrying its record
        if isinstance(payload, dict) and "alliancekit_version" in payload:
            return payload  # a sidecar
        raise ParameterError("path", f"{p.name} carries no alliancekit provenance record")
    side = Path(str(p) + ".json")
    if not side.is_file():
        raise ParameterError(
            "path", f"no provenance record for {p.name}: expected {side.name} beside it"
        )
    return json.loads(side.read_text("utf-8"))


GRAPHML_KEY = "alliancekit_provenance"


def _graphml_record(path: Path) -> str | None:
    """The graph attribute :data:`GRAPHML_KEY` of a GraphML file, read with the standard
    library's parser (networkx would build the whole graph to read one string)."""
    import xml.etree.ElementTree as ET

    ns = "{http://graphml.graphdrawing.org/xmlns}"
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        from alliancekit.schema import ParameterError

        raise ParameterError("path", f"{path.name} is not a GraphML file ({exc})") from None
    ids = {
        k.get("id")
        for k in root.iter(f"{ns}key")
        if k.get("attr.name") == GRAPHML_KEY and k.get("for") == "graph"
    }
    for graph in root.iter(f"{ns}graph"):
        for data in graph.findall(f"{ns}data"):
            if data.get("key") in ids:
                return data.text
    return None
