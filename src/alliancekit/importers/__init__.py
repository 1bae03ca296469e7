"""Importers of the standard peace-science data, from the publishers' files or the tables
prepared for the R package peacesciencer (the layout is told by the columns).

Each ``read_<source>(path)`` returns a validated polars DataFrame with the peacesciencer column
names and compact integer types, or raises :class:`~alliancekit.schema.DataValidationError`
listing every problem by file, row and column. Rows are never dropped or repaired.

=============  ====================  ==========================================
dataset        reader                stored columns
=============  ====================  ==========================================
atop           :func:`read_atop`     ccode1, ccode2, year, atop_defense, ...
nmc            :func:`read_nmc`      ccode, year, milex, milper, irst, pec, ...
sipri          :func:`~alliancekit.importers.sipri.read_sipri`  country, actor_id, year, sheet, ...
cow_states     :func:`read_cow_states`  stateabb, ccode, statenme, styear, ...
gw_states      :func:`read_gw_states`   gwcode, stateabb, statename, startdate, enddate
majors         :func:`read_majors`   ccode, styear, ..., endday, version
contiguity     :func:`read_contiguity`  ccode1, ccode2, conttype, stdate, enddate
gml_mids       :func:`read_gml_mids`    dispnum, ccode1, ccode2, year, midonset, ...
igos           :func:`read_igos`        ccode1, ccode2, year, dyadigos
igos_states    :func:`read_igos_states` ccode, year, sum_igo_full, ...
mindist        :func:`read_mindist`     ccode1, ccode2, year, mindist
capitals       :func:`read_capitals`    ccode, statenme, capital, stdate, enddate, lat, lng
rivalries      :func:`read_rivalries`   tssr_id, rivalry, ccode1, ccode2, start, end, ...
=============  ====================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alliancekit.importers.atop import read_atop
from alliancekit.importers.capitals import read_capitals
from alliancekit.importers.contiguity import read_contiguity
from alliancekit.importers.gml import read_gml_mids
from alliancekit.importers.igos import read_igos, read_igos_states
from alliancekit.importers.majors import read_majors
from alliancekit.importers.mindist import read_mindist
from alliancekit.importers.nmc import read_nmc
from alliancekit.importers.rivalries import read_rivalries
from alliancekit.importers.states import read_cow_states, read_gw_states

__all__ = [
    "SOURCES",
    "Source",
    "read_atop",
    "read_capitals",
    "read_contiguity",
    "read_cow_states",
    "read_gml_mids",
    "read_gw_states",
    "read_igos",
    "read_igos_states",
    "read_majors",
    "read_mindist",
    "read_nmc",
    "read_rivalries",
]


@dataclass(frozen=True)
class Source:
    """One importable dataset: its catalog name, reader, default version and citation."""

    name: str
    reader: Any
    version: str
    citation: str
    cow_coded: bool  # its codes are COW state codes (checked against the COW state list)
    version_of: Any = None  # table -> the version its rows show, where they tell
    citation_of: Any = None  # table -> its citation, where it depends on the rows (an edition)
    labels_version: bool = False  # the reader takes ``version=`` and writes it into the rows
    summary_of: Any = None  # table -> lines that tell what was imported, beyond the row count

    def version_for(self, df) -> str:
        """The version to record for an imported table: what its rows show, else ours."""
        return self.version_of(df) if self.version_of is not None else self.version

    def citation_for(self, df) -> str:
        """The citation to record for an imported table."""
        return self.citation_of(df) if self.citation_of is not None else self.citation

    def summary(self, df) -> list[str]:
        """What an import of ``df`` holds, in a few lines (none for most sources)."""
        return list(self.summary_of(df)) if self.summary_of is not None else []


def _sources() -> dict[str, Source]:
    from alliancekit.importers import atop, contiguity, majors, nmc, sipri, states

    return {
        "atop": Source("atop", read_atop, atop.VERSION, atop.CITATION, True),
        "nmc": Source("nmc", read_nmc, nmc.VERSION, nmc.CITATION, True, nmc.version_of),
        "sipri": Source(
            "sipri",
            sipri.read_sipri,
            sipri.PUBLISHER,
            sipri.citation(sipri.PUBLISHER),
            False,
            sipri.edition_of,
            lambda df: sipri.citation(sipri.edition_of(df)),
            labels_version=True,
            summary_of=sipri.summary,
        ),
        "cow_states": Source(
            "cow_states", read_cow_states, states.COW_VERSION, states.COW_CITATION, False
        ),
        "gw_states": Source(
            "gw_states", read_gw_states, states.GW_VERSION, states.GW_CITATION, False
        ),
        "majors": Source("majors", read_majors, majors.VERSION, majors.CITATION, True),
        "contiguity": Source(
            "contiguity", read_contiguity, contiguity.VERSION, contiguity.CITATION, True
        ),
        **_conflict_sources(),
    }


def _conflict_sources() -> dict[str, Source]:
    """The covariates of issue 13: disputes, IGOs, distances, capitals, rivalries."""
    from alliancekit.importers import capitals, gml, igos, mindist, rivalries

    return {
        "gml_mids": Source("gml_mids", read_gml_mids, gml.VERSION, gml.CITATION, True),
        "igos": Source("igos", read_igos, igos.VERSION, igos.CITATION, True),
        "igos_states": Source("igos_states", read_igos_states, igos.VERSION, igos.CITATION, True),
        "mindist": Source("mindist", read_mindist, mindist.VERSION, mindist.CITATION, True),
        "capitals": Source("capitals", read_capitals, capitals.VERSION, capitals.CITATION, True),
        # codes of states gone before 1816 (Venice): not checked against the state list
        "rivalries": Source(
            "rivalries", read_rivalries, rivalries.VERSION, rivalries.CITATION, False
        ),
    }


SOURCES: dict[str, Source] = _sources()
