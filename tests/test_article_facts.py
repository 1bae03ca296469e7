"""Each dated fact of the commentary (../shared/seed) that the curated data must hold.

The expected dates are the official sources' (named in each case), not the article's: where the
article is loose (e.g. "first crisis-management exercise in 2014", "passed in 2016"), the source
wins and the data README records the difference.
"""

from __future__ import annotations

import polars as pl
import pytest

# (what the article says, table, row id, column, date per the source, the source)
FACTS = [
    (
        "minesweepers sent to the Persian Gulf",
        "events",
        "1991-minesweepers-gulf",
        "date",
        "1991-04-24",
        "Cabinet decision; MOD Japan",
    ),
    (
        "peacekeepers to Cambodia",
        "events",
        "1992-untac-cambodia",
        "date",
        "1992-09",
        "MOFA Japan (UNTAC)",
    ),
    ("Taepodong-1 launched", "events", "1998-taepodong-1", "date", "1998-08-31", "NTI / CNS"),
    (
        "North Korean spy vessels in Japanese waters",
        "events",
        "1999-03-noto-spy-ships",
        "date",
        "1999-03-23",
        "NIDS; Japan Times",
    ),
    (
        "9/11 and the global war on terror",
        "events",
        "2001-09-11-attacks",
        "date",
        "2001-09-11",
        "US government",
    ),
    (
        "national security council established",
        "events",
        "2013-12-04-japan-nsc",
        "date",
        "2013-12-04",
        "Cabinet Secretariat",
    ),
    (
        "first national security strategy, 2013",
        "events",
        "2013-12-17-japan-first-nss",
        "date",
        "2013-12-17",
        "Cabinet Secretariat",
    ),
    (
        "peace and security legislation (article: 'passed in 2016')",
        "events",
        "2015-09-19-peace-security-legislation-enacted",
        "date",
        "2015-09-19",
        "MOFA Japan: enacted 19 Sep 2015",
    ),
    (
        "... in force",
        "events",
        "2016-03-29-peace-security-legislation-in-force",
        "date",
        "2016-03-29",
        "MOFA Japan",
    ),
    (
        "the 3 strategic documents, late 2022",
        "events",
        "2022-12-16-three-strategic-documents",
        "date",
        "2022-12-16",
        "Cabinet Secretariat",
    ),
    (
        "Crimea occupied and annexed, 2014",
        "events",
        "2014-03-18-crimea-annexation",
        "date",
        "2014-03-18",
        "RFE/RL; kremlin.ru",
    ),
    (
        "invasion of Ukraine, February 2022",
        "events",
        "2022-02-24-russia-invades-ukraine",
        "date",
        "2022-02-24",
        "UN; NATO",
    ),
    (
        "withdrawal from Afghanistan, August 2021",
        "events",
        "2021-08-30-us-withdrawal-afghanistan",
        "date",
        "2021-08-30",
        "US DoD",
    ),
    ("Kabul falls", "events", "2021-08-15-fall-of-kabul", "date", "2021-08-15", "news reports"),
    (
        "China–Russia 'no limits' statement",
        "events",
        "2022-02-04-russia-china-no-limits",
        "date",
        "2022-02-04",
        "kremlin.ru",
    ),
    (
        "Russia–DPRK Comprehensive Strategic Partnership treaty, June 2024",
        "ties",
        "rus-prk-2024-treaty",
        "signed",
        "2024-06-19",
        "KCNA; Russian ratification law",
    ),
    ("... in force", "ties", "rus-prk-2024-treaty", "in_force", "2024-12-04", "Kremlin"),
    (
        "DPRK forces in Kursk",
        "events",
        "2024-10-28-dprk-troops-kursk",
        "date",
        "2024-10-28",
        "NATO Secretary General",
    ),
    (
        "Information Protection Agreement with NATO, 2010",
        "ties",
        "jpn-nato-isa",
        "signed",
        "2010-06-25",
        "MOFA Japan",
    ),
    (
        "Japan's first NATO crisis-management exercise (article: 2014)",
        "ties",
        "jpn-nato-cmx",
        "in_force",
        "2015-03-04",
        "MOFA Japan: CMX2015 was the first",
    ),
    ("IPCP of 2014", "ties", "jpn-nato-ipcp", "signed", "2014-05-06", "NATO; MOFA Japan"),
    (
        "ITPP of 2023 (article: 'ITTP')",
        "ties",
        "jpn-nato-itpp",
        "signed",
        "2023-07-12",
        "NATO; MOFA Japan",
    ),
    ("... which replaced the IPCP", "ties", "jpn-nato-ipcp", "ended", "2023-07-12", "Jiji Press"),
    ("Korea's ITPP", "ties", "kor-nato-itpp", "signed", "2023-07-11", "Yonhap"),
    (
        "independent permanent mission to NATO, January 2025",
        "ties",
        "jpn-nato-mission-2025",
        "in_force",
        "2025-01",
        "MOFA Japan",
    ),
    (
        "Japan–Australia reciprocal access agreement",
        "ties",
        "jpn-aus-raa",
        "signed",
        "2022-01-06",
        "MOFA Japan",
    ),
    (
        "Japan–Philippines reciprocal access agreement",
        "ties",
        "jpn-phl-raa",
        "signed",
        "2024-07-08",
        "MOFA Japan",
    ),
    (
        "GCAP with the United Kingdom and Italy",
        "ties",
        "gcap-member-JPN",
        "in_force",
        "2022-12-09",
        "MOFA Japan leaders' statement",
    ),
    ("the Quad", "ties", "quad-member-JPN", "in_force", "2017-11-12", "MOFA Japan"),
    (
        "Rutte at Yokosuka, 8 April 2025",
        "events",
        "2025-04-08-rutte-yokosuka",
        "date",
        "2025-04-08",
        "Japan Times",
    ),
    (
        "Trump's second inauguration",
        "events",
        "2025-01-20-trump-second-inauguration",
        "date",
        "2025-01-20",
        "US government",
    ),
    (
        "ReArm Europe / Readiness 2030, March 2025",
        "events",
        "2025-03-04-rearm-europe",
        "date",
        "2025-03-04",
        "European Commission",
    ),
    (
        "2% guideline (Wales)",
        "events",
        "2014-09-05-wales-summit-2pct",
        "date",
        "2014-09-05",
        "NATO Wales Summit Declaration",
    ),
    (
        "3.5% + 1.5% (The Hague)",
        "events",
        "2025-06-25-hague-summit-5pct",
        "date",
        "2025-06-25",
        "NATO Hague Summit Declaration",
    ),
    ("Finland joins NATO", "ties", "nato-member-FIN", "in_force", "2023-04-04", "NATO"),
    ("Sweden joins NATO", "ties", "nato-member-SWE", "in_force", "2024-03-07", "NATO"),
    (
        "US–Japan alliance (1960 treaty)",
        "ties",
        "us-jpn-1960-treaty",
        "in_force",
        "1960-06-23",
        "US Embassy in Japan",
    ),
    (
        "ANZUS: US obligations to New Zealand suspended, 1986",
        "ties",
        "anzus-nzl-usa",
        "ended",
        "1986-08-11",
        "US–Australia statement, 11 Aug 1986",
    ),
]

ID = {"events": "event_id", "ties": "tie_id"}


@pytest.mark.parametrize(
    "fact, table, rid, column, expected, source", FACTS, ids=[f[2] + ":" + f[3] for f in FACTS]
)
def test_article_fact(dataset, fact, table, rid, column, expected, source):
    df = dataset.table(table).filter(pl.col(ID[table]) == rid)
    assert df.height == 1, f"{fact}: no {table} row {rid!r}"
    assert df[column][0] == expected, f"{fact}: {column} should be {expected} ({source})"
    assert df["source_url"][0].startswith("http")


def test_the_ip4_and_the_adversaries_are_actors(dataset):
    ids = set(dataset.actors["actor_id"])
    assert {"AUS", "JPN", "NZL", "KOR", "USA", "RUS", "CHN", "PRK", "PHL", "IND", "UKR"} <= ids
    assert {"NATO", "EU", "QUAD", "AUKUS", "GCAP", "UNSC"} <= ids
    theatre = dict(zip(dataset.actors["actor_id"], dataset.actors["theatre"], strict=True))
    assert theatre["USA"] == "global"
    assert {theatre[a] for a in ("AUS", "JPN", "NZL", "KOR")} == {"indo_pacific"}
