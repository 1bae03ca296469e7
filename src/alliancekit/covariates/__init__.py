"""The covariates of alliance and conflict studies, added to state-years and dyad-years:
disputes, peace years, IGOs, distances and rivalries, with peacesciencer's column names
(exposed from :mod:`alliancekit.panels` too).

With the reference tables imported into the catalog::

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears(directed=False, years=(1816, 2010))  # doctest: +SKIP
    >>> df = ps.add_gml_mids(df); df = ps.add_peace_years(df)  # doctest: +SKIP
    >>> df = ps.add_igos(df); df = ps.add_minimum_distance(df)  # doctest: +SKIP
    >>> df = ps.add_capital_distance(df); df = ps.add_strategic_rivalries(df)  # doctest: +SKIP

Every step adds columns and never changes the rows (checked); a column of the same name is
replaced. Inputs come from the catalog (``alliancekit data import gml-mids|igos|igos-states|
mindist|capitals|rivalries PATH``) unless passed as the frames the importers return. Codes are
COW codes (``ccode1``, ``ccode2`` or ``ccode``). Directed frames (some row has ccode1 > ccode2)
and non-directed ones (ccode1 < ccode2) are both accepted; a non-directed source (IGOs,
minimum distance) is read in either order.

The rules, each as peacesciencer 1.2.9 (Miller 2022) applies it unless said otherwise:

Disputes (``add_gml_mids``; Gibler, Miller and Little 2016, GML MID 2.2.1)
    ``gmlmidonset`` and ``gmlmidongoing`` of the dyad-year (ccode1, ccode2, year), read from the
    GML directed dispute-dyad-years. Where the dyad has several disputes in a year, one is kept
    by peacesciencer's ordering rule (its ``gml_mid_ddydisps``): first, when the year holds both
    onsets and continuations, only the onsets; then, in turn, the highest ``fatality`` (the
    unknown, -9, ranked between 0 and 1), the highest ``hostlev``, the highest ``mindur``, the
    highest ``maxdur``, reciprocated before unreciprocated (``recip``), the lowest start month
    (``stmon``); then the first in the file's order. A dyad-year without a dispute is 0 within
    the data's years (1816-2010) and null outside them. ``keep`` adds the kept dispute's other
    fields (``dispnum``, ``hostlev``, ...), null where there is none. State-years are not
    supported: the reference reads a participant-level table (``gml_part``) that GML's
    dyadic file does not give.
Peace years (``add_peace_years``, ``add_spells``; Beck, Katz and Tucker 1998)
    ``gmlmidspell``: for each row, the number of the unit's rows immediately before it (by
    year) whose event (``gmlmidongoing``) is 0, counted back to the unit's previous event year
    or its first row: 0 in an event year that follows an event year, and in a unit's first row.
    The unit is the ordered pair (ccode1, ccode2) or the state. As the reference
    (``stevemisc::ps_btscs`` with ``pad_ts = FALSE``): the count runs on the ongoing variable;
    rows whose event is missing get a missing spell and are skipped (they neither count nor
    break the count); gaps in a unit's years are not padded (the next row counts as the next
    year). Counts run over the frame's rows, so only a frame that holds whole dyad histories
    gives whole counts.
IGOs (``add_igos``; Pevehouse et al. 2020, COW IGO 3.0)
    Dyad-years: ``dyadigos``, the number of IGOs in which both states are full members, from
    the non-directed dyad-year table (either order). State-years: ``sum_igo_full``,
    ``sum_igo_associate``, ``sum_igo_observer``, ``sum_igo_anytype``. No zero-fill: a dyad-year
    (state-year) the source has no row for is null, also within its years (1816-2014).
Minimum distance (``add_minimum_distance``; Schvitz et al. 2022, CShapes 2.0)
    ``mindist``: km between the two states' territories, the table's value of the year (its
    distance on 1 January, peacesciencer's bundled table); null where the table has no row,
    hence outside 1886-2019. State-years: ``minmindist``, the smallest ``mindist`` of the state
    to any other state that year (null where it has none).
Capital distance (``add_capital_distance``; capitals of peacesciencer, 2020)
    ``capdist``: great-circle distance in km between the two states' capitals, on a sphere of
    radius 6,378,137 m (Vincenty's formula for the sphere, as ``geosphere::distVincentySphere``
    that the reference calls). A state's capital in year Y is the one in force on the first
    day of Y that any of its capital spells covers (France in 1941: Vichy, in force from 9 July
    1940; in 1940, Paris); where two spells begin on that same day, the one listed first. Null
    when either state has no capital that year.
Strategic rivalries (``add_strategic_rivalries``; Thompson, Sakuwa and Suhas 2021)
    ``tssr_id``, ``positional``, ``spatial``, ``ideological``, ``interventionary`` and
    ``ongoingrivalry`` (1 when the dyad is in a rivalry that year, in either order). Every
    rivalry covers each year from ``start`` to ``end``; from 1919 Austria-Hungary (300) reads
    as Austria (305), as the reference does; a blank type flag is 0. No rivalry: flags and
    ``ongoingrivalry`` 0 up to the data's last year (2020), ``tssr_id`` null. Deliberate
    differences: after 2020 all are null (the reference writes ``ongoingrivalry`` 1 there); and
    where one dyad-year is in two rivalries, the lower ``tssr_id`` is kept (the reference
    would repeat the row; the shipped table has no such case). State-years: ``n_positional``,
    ``n_spatial``, ``n_ideological``, ``n_interventionary``, the number of the state's rivalries
    of each type that year (0 up to 2020).
"""

from __future__ import annotations

from alliancekit.covariates.disputes import GML_ORDER, add_gml_mids, whittle_gml
from alliancekit.covariates.distances import (
    EARTH_RADIUS_M,
    add_capital_distance,
    add_minimum_distance,
    capital_years,
    sphere_distance_km,
)
from alliancekit.covariates.igos import add_igos
from alliancekit.covariates.rivalries import RIVALRY_TYPES, add_strategic_rivalries, rivalry_years
from alliancekit.covariates.spells import add_peace_years, add_spells, spell_counts
from alliancekit.covariates.steps import STATE_STEPS, STEP_OPTIONS, STEPS, apply, datasets

__all__ = [
    "EARTH_RADIUS_M",
    "GML_ORDER",
    "RIVALRY_TYPES",
    "STATE_STEPS",
    "STEPS",
    "STEP_OPTIONS",
    "add_capital_distance",
    "add_gml_mids",
    "add_igos",
    "add_minimum_distance",
    "add_peace_years",
    "add_spells",
    "add_strategic_rivalries",
    "apply",
    "capital_years",
    "datasets",
    "rivalry_years",
    "spell_counts",
    "sphere_distance_km",
    "whittle_gml",
]
