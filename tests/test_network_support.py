"""Small synthetic datasets for the network tests (no curated files needed; no tests here)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from alliancekit.data import Dataset, DatasetInfo
from alliancekit.network.graphs import AllianceGraph

THEATRE = {
    "USA": "global",
    "GBR": "euro_atlantic",
    "FRA": "euro_atlantic",
    "DEU": "euro_atlantic",
    "POL": "euro_atlantic",
    "RUS": "euro_atlantic",
    "JPN": "indo_pacific",
    "AUS": "indo_pacific",
    "KOR": "indo_pacific",
    "PHL": "indo_pacific",
    "NZL": "indo_pacific",
    "CHN": "indo_pacific",
    "PRK": "indo_pacific",
    "ARE": "other",
}
COW = {"USA": 2, "JPN": 740, "AUS": 900, "GBR": 200, "FRA": 220, "RUS": 365, "CHN": 710}
ORGS = {
    "NATO": ("organisation", "euro_atlantic"),
    "QUAD": ("framework", "indo_pacific"),
    "UNSC": ("organisation", "global"),
}


def make_data(ties: list[tuple], as_of: str = "2025-06-30") -> Dataset:
    """ties: (tie_id, kind, a, b, strength, start 'YYYY-MM-DD', end or None)."""
    actors = pl.DataFrame(
        [
            {"actor_id": a, "name": a.title(), "kind": "state", "theatre": t}
            for a, t in THEATRE.items()
        ]
        + [{"actor_id": o, "name": o, "kind": k, "theatre": t} for o, (k, t) in ORGS.items()]
    ).with_columns(
        cow_code=pl.col("actor_id").replace_strict(COW, default=None, return_dtype=pl.Int32),
        gw_code=pl.lit(None, pl.Int32),
    )
    rows = [
        {
            "tie_id": i,
            "kind": k,
            "actor_a": a,
            "actor_b": b,
            "name": i,
            "strength": s,
            "start": dt.date.fromisoformat(st),
            "end": None if en is None else dt.date.fromisoformat(en),
        }
        for i, k, a, b, s, st, en in ties
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "tie_id": pl.String,
            "kind": pl.String,
            "actor_a": pl.String,
            "actor_b": pl.String,
            "name": pl.String,
            "strength": pl.Int8,
            "start": pl.Date,
            "end": pl.Date,
        },
    )
    info = DatasetInfo("test data", "0", as_of, "CC BY 4.0")
    return Dataset(actors, frame, pl.DataFrame(), info, ())


# A miniature of the system: NATO of four, the US treaties in Asia, spoke-to-spoke agreements
# appearing over time, a partnership with NATO, the adversaries.
MINI = [
    ("nato-USA", "member", "USA", "NATO", 5, "1949-08-24", None),
    ("nato-GBR", "member", "GBR", "NATO", 5, "1949-08-24", None),
    ("nato-FRA", "member", "FRA", "NATO", 5, "1949-08-24", None),
    ("nato-POL", "member", "POL", "NATO", 5, "1999-03-12", None),
    ("us-jpn", "defence_treaty", "USA", "JPN", 5, "1960-06-23", None),
    ("us-kor", "defence_treaty", "USA", "KOR", 5, "1954-11-17", None),
    ("us-aus", "defence_treaty", "USA", "AUS", 5, "1952-04-29", None),
    ("us-phl", "defence_treaty", "USA", "PHL", 5, "1952-08-27", None),
    ("jpn-aus-decl", "security_declaration", "JPN", "AUS", 2, "2007-03-13", None),
    ("jpn-aus-raa", "reciprocal_access_agreement", "JPN", "AUS", 4, "2023-08-13", None),
    ("jpn-kor-gsomia", "information_security_agreement", "JPN", "KOR", 3, "2016-11-23", None),
    ("aus-phl-sovfa", "reciprocal_access_agreement", "AUS", "PHL", 4, "2012-09-28", None),
    ("jpn-nato-ipcp", "partnership_programme", "JPN", "NATO", 2, "2014-05-06", None),
    ("jpn-gbr-raa", "reciprocal_access_agreement", "JPN", "GBR", 4, "2023-10-01", None),
    ("quad-USA", "member", "USA", "QUAD", 2, "2017-11-12", None),
    ("quad-JPN", "member", "JPN", "QUAD", 2, "2017-11-12", None),
    ("quad-AUS", "member", "AUS", "QUAD", 2, "2017-11-12", None),
    ("rus-chn", "strategic_alignment", "RUS", "CHN", 3, "2002-02-28", None),
    ("rus-prk", "strategic_alignment", "RUS", "PRK", 5, "2024-12-04", None),
    ("chn-prk", "strategic_alignment", "CHN", "PRK", 5, "1961-09-10", None),
    ("gbr-fra-old", "security_declaration", "GBR", "FRA", 2, "1990-01-01", "2000-01-01"),
    ("unsc-USA", "member", "USA", "UNSC", 5, "1945-10-24", None),
    ("unsc-CHN", "member", "CHN", "UNSC", 5, "1971-10-25", None),
    ("unsc-RUS", "member", "RUS", "UNSC", 5, "1991-12-24", None),
]


def graph(
    edges: list[tuple[str, str, float]],
    theatres: dict[str, str] | None = None,
    nodes: list[str] | None = None,
) -> AllianceGraph:
    """An AllianceGraph straight from (a, b, weight) triples."""
    names = sorted(set(nodes or []) | {x for a, b, _ in edges for x in (a, b)})
    idx = {a: i for i, a in enumerate(names)}
    src, dst, w = [], [], []
    for a, b, x in edges:
        i, j = sorted((idx[a], idx[b]))
        src.append(i)
        dst.append(j)
        w.append(x)
    th = theatres or {}
    return AllianceGraph(
        tuple(names),
        tuple(th.get(a, THEATRE.get(a, "other")) for a in names),
        np.array(src, dtype=np.int64),
        np.array(dst, dtype=np.int64),
        np.array(w, dtype=float),
        label="test graph",
    )
