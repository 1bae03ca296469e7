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
:func:`read`, :func:`cite`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

METADATA_KEY = "alliancekit"
CITE_FORMATS = ("bibtex", "text")

# key -> (text, BibTeX)
REFERENCES: dict[str, tuple[str, str]] = {
    "alliancekit": (
        "alliancekit developers. 2026. alliancekit: a toolkit and curated dataset for the "
        "analysis of alliances and security partnerships. Version {version}.",
        "@Manual{alliancekit,\n  author = {{alliancekit developers}},\n"
        "  title = {alliancekit: a toolkit and curated dataset for the analysis of alliances "
        "and security partnerships},\n  year = {2026},\n  note = {Version {version}},\n}",
    ),
    "miller2022peacesciencer": (
        "Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science "
        "Research. Conflict Management and Peace Science 39(6): 755-779. "
        "doi:10.1177/07388942221077926",
        "@Article{miller2022peacesciencer,\n  author = {Miller, Steven V.},\n"
        "  title = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},\n"
        "  journal = {Conflict Management and Peace Science},\n  year = {2022},\n"
        "  volume = {39},\n  number = {6},\n  pages = {755--779},\n"
        "  doi = {10.1177/07388942221077926},\n}",
    ),
    "leeds2002atop": (
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. "
        "2002. Alliance Treaty Obligations and Provisions, 1815-1944. International "
        "Interactions 28: 237-260.",
        "@Article{leeds2002atop,\n  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and "
        "Mitchell, Sara McLaughlin and Long, Andrew G.},\n"
        "  title = {Alliance Treaty Obligations and Provisions, 1815--1944},\n"
        "  journal = {International Interactions},\n  year = {2002},\n  volume = {28},\n"
        "  pages = {237--260},\n}",
    ),
    "singer1972nmc": (
        "Singer, J. David, Stuart Bremer and John Stuckey. 1972. Capability Distribution, "
        "Uncertainty, and Major Power War, 1820-1965. In Bruce Russett (ed.), Peace, War, and "
        "Numbers. Beverly Hills: Sage, 19-48.",
        "@InCollection{singer1972nmc,\n  author = {Singer, J. David and Bremer, Stuart and "
        "Stuckey, John},\n  title = {Capability Distribution, Uncertainty, and Major Power "
        "War, 1820--1965},\n  booktitle = {Peace, War, and Numbers},\n"
        "  editor = {Russett, Bruce},\n  publisher = {Sage},\n  address = {Beverly Hills},\n"
        "  year = {1972},\n  pages = {19--48},\n}",
    ),
    "cow2017states": (
        "Correlates of War Project. 2017. State System Membership List, v2016 (with the major "
        "powers). https://correlatesofwar.org/data-sets/state-system-membership/",
        "@Misc{cow2017states,\n  author = {{Correlates of War Project}},\n"
        "  title = {State System Membership List, v2016},\n  year = {2017},\n"
        "  url = {https://correlatesofwar.org/data-sets/state-system-membership/},\n}",
    ),
    "gleditsch1999states": (
        "Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States "
        "since the Congress of Vienna. International Interactions 25(4): 393-413.",
        "@Article{gleditsch1999states,\n  author = {Gleditsch, Kristian S. and Ward, Michael D.},"
        "\n  title = {A Revised List of Independent States since the {C}ongress of {V}ienna},\n"
        "  journal = {International Interactions},\n  year = {1999},\n  volume = {25},\n"
        "  number = {4},\n  pages = {393--413},\n}",
    ),
    "stinnett2002contiguity": (
        "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl and Charles "
        "Gochman. 2002. The Correlates of War Project Direct Contiguity Data, Version 3. "
        "Conflict Management and Peace Science 19(2): 58-66.",
        "@Article{stinnett2002contiguity,\n  author = {Stinnett, Douglas M. and Tir, Jaroslav "
        "and Schafer, Philip and Diehl, Paul F. and Gochman, Charles},\n"
        "  title = {The {C}orrelates of {W}ar Project Direct Contiguity Data, Version 3},\n"
        "  journal = {Conflict Management and Peace Science},\n  year = {2002},\n"
        "  volume = {19},\n  number = {2},\n  pages = {58--66},\n}",
    ),
    "alliancekit_data": (
        "alliancekit developers. {as_of_year}. alliancekit curated security-architecture "
        "dataset, version {dataset_version} (as of {dataset_as_of}). CC BY 4.0.",
        "@Misc{alliancekit_data,\n  author = {{alliancekit developers}},\n"
        "  title = {alliancekit curated security-architecture dataset},\n"
        "  year = {{as_of_year}},\n  note = {Version {dataset_version}, as of {dataset_as_of}; "
        "CC BY 4.0},\n}",
    ),
}

# the covariates (alliancekit.covariates, alliancekit.fpsim), peacesciencer's keys where it has
# them
REFERENCES |= {
    "gibleretal2016amid": (
        "Gibler, Douglas M., Steven V. Miller and Erin K. Little. 2016. An Analysis of the "
        "Militarized Interstate Dispute (MID) Dataset, 1816-2001. International Studies "
        "Quarterly 60(4): 719-730.",
        "@Article{gibleretal2016amid,\n  author = {Gibler, Douglas M. and Miller, Steven V. and "
        "Little, Erin K.},\n  title = {An Analysis of the Militarized Interstate Dispute ({MID}) "
        "Dataset, 1816--2001},\n  journal = {International Studies Quarterly},\n"
        "  year = {2016},\n  volume = {60},\n  number = {4},\n  pages = {719--730},\n}",
    ),
    "becketal1998ttsa": (
        "Beck, Nathaniel, Jonathan N. Katz and Richard Tucker. 1998. Taking Time Seriously: "
        "Time-Series-Cross-Section Analysis with a Binary Dependent Variable. American Journal "
        "of Political Science 42(4): 1260-1288.",
        "@Article{becketal1998ttsa,\n  author = {Beck, Nathaniel and Katz, Jonathan N. and "
        "Tucker, Richard},\n  title = {Taking Time Seriously: Time-Series--Cross-Section "
        "Analysis with a Binary Dependent Variable},\n  journal = {American Journal of "
        "Political Science},\n  year = {1998},\n  volume = {42},\n  number = {4},\n"
        "  pages = {1260--1288},\n}",
    ),
    "pevehouseetal2020tow": (
        "Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison. "
        "2020. Tracking Organizations in the World: The Correlates of War IGO Version 3.0 "
        "Datasets. Journal of Peace Research 57(3): 492-503.",
        "@Article{pevehouseetal2020tow,\n  author = {Pevehouse, Jon C. W. and Nordstrom, "
        "Timothy and McManus, Roseanne W. and Jamison, Anne Spencer},\n  title = {Tracking "
        "Organizations in the World: The {C}orrelates of {W}ar {IGO} Version 3.0 Datasets},\n"
        "  journal = {Journal of Peace Research},\n  year = {2020},\n  volume = {57},\n"
        "  number = {3},\n  pages = {492--503},\n}",
    ),
    "schvitz2022mis": (
        "Schvitz, Guy, Seraina Ruegger, Luc Girardin, Lars-Erik Cederman, Nils Weidmann and "
        "Kristian Skrede Gleditsch. 2022. Mapping the International System, 1886-2017: The "
        "CShapes 2.0 Dataset. Journal of Conflict Resolution 66(1): 144-161.",
        "@Article{schvitz2022mis,\n  author = {Schvitz, Guy and Ruegger, Seraina and Girardin, "
        "Luc and Cederman, Lars-Erik and Weidmann, Nils and Gleditsch, Kristian Skrede},\n"
        "  title = {Mapping the International System, 1886--2017: The {CShapes} 2.0 Dataset},\n"
        "  journal = {Journal of Conflict Resolution},\n  year = {2022},\n  volume = {66},\n"
        "  number = {1},\n  pages = {144--161},\n  doi = {10.1177/00220027211013563},\n}",
    ),
    "thompsonetal2021asr": (
        "Thompson, William R., Kentaro Sakuwa and Prashant Hosur Suhas. 2021. Analyzing "
        "Strategic Rivalries in World Politics: Types of Rivalry, Regional Variation, and "
        "Escalation/De-escalation. Singapore: Springer.",
        "@Book{thompsonetal2021asr,\n  author = {Thompson, William R. and Sakuwa, Kentaro and "
        "Suhas, Prashant Hosur},\n  title = {Analyzing Strategic Rivalries in World Politics: "
        "Types of Rivalry, Regional Variation, and Escalation/De-escalation},\n"
        "  publisher = {Springer},\n  address = {Singapore},\n  year = {2021},\n}",
    ),
    "signorinoritter1999tbnt": (
        "Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the "
        "Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): "
        "115-144.",
        "@Article{signorinoritter1999tbnt,\n  author = {Signorino, Curtis S. and Ritter, "
        "Jeffrey M.},\n  title = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign "
        "Policy Positions},\n  journal = {International Studies Quarterly},\n"
        "  year = {1999},\n  volume = {43},\n  number = {1},\n  pages = {115--144},\n}",
    ),
    "haege2011cc": (
        "Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy "
        "Similarity for Chance Agreement. Political Analysis 19(3): 287-305.",
        '@Article{haege2011cc,\n  author = {H{\\"a}ge, Frank M.},\n  title = {Choice or '
        "Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance Agreement},\n"
        "  journal = {Political Analysis},\n  year = {2011},\n  volume = {19},\n"
        "  number = {3},\n  pages = {287--305},\n}",
    ),
}

# what each step (or frame) cites; every panel cites alliancekit and peacesciencer's rules
STEP_REFERENCES: dict[str, tuple[str, ...]] = {
    "cow": ("cow2017states",),
    "gw": ("gleditsch1999states",),
    "atop": ("leeds2002atop",),
    "nmc": ("singer1972nmc",),
    "majors": ("cow2017states",),
    "contiguity": ("stinnett2002contiguity",),
    "ties": ("alliancekit_data",),
    "gml_mids": ("gibleretal2016amid",),
    "peace_years": ("gibleretal2016amid", "becketal1998ttsa"),
    "igos": ("pevehouseetal2020tow",),
    "mindist": ("schvitz2022mis",),
    "capdist": ("miller2022peacesciencer",),  # peacesciencer's capitals
    "rivalries": ("thompsonetal2021asr",),
    "fpsim": ("leeds2002atop", "signorinoritter1999tbnt", "haege2011cc", "singer1972nmc"),
}
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


def _dataset_meta() -> dict[str, str]:
    """title, version and as_of of the curated dataset, read from its ``dataset.toml``
    directly: importing :mod:`alliancekit.data` (validation models) would cost a panel command
    0.1-0.3 s."""
    import tomllib

    meta = tomllib.loads((Path(__file__).parent / "data" / "dataset.toml").read_text("utf-8"))
    return {k: str(meta[k]) for k in ("title", "version", "as_of")}


def _fill(template: str) -> str:
    from alliancekit import __version__

    info = _dataset_meta()
    values = {
        "version": __version__,
        "dataset_version": info["version"],
        "dataset_as_of": info["as_of"],
        "as_of_year": info["as_of"][:4],
    }
    for k, v in values.items():
        template = template.replace("{" + k + "}", str(v))
    return template


def references_for(steps: Iterable[str]) -> list[str]:
    """The reference keys for ``steps`` (cow, gw, atop, nmc, majors, contiguity, ties), in
    order, alliancekit and peacesciencer first."""
    from alliancekit.schema import choices

    keys = ["alliancekit", "miller2022peacesciencer"]
    for step in choices(steps, STEP_REFERENCES, "steps", "step"):
        keys.extend(STEP_REFERENCES[step])
    return list(dict.fromkeys(keys))


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
    pick = 1 if fmt == "bibtex" else 0
    sep = "\n\n" if fmt == "bibtex" else "\n"
    return sep.join(_fill(REFERENCES[k][pick]) for k in keys if k in REFERENCES)


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
        "dataset": _dataset_meta(),
        "output": "state-year panel" if kind == "state" else "dyad-year panel",
        "steps": [frame, *({"step": s, "options": options.get(s, {})} for s in steps)],
        "inputs": list({i["dataset"]: i for i in inputs}.values()),
        "references": refs,
        "citations": [_fill(REFERENCES[k][0]) for k in refs],
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
        "dataset": _dataset_meta(),
        "output": output,
        "steps": [{"step": output, "options": options}],
        "inputs": list({(i["dataset"], i["file"]): i for i in inputs}.values()),
        "sources": list(sources),
        "references": refs,
        "citations": [_fill(REFERENCES[k][0]) for k in refs],
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
