"""State-year and dyad-year panels: peacesciencer's verbs in Python, on polars and numpy.

With the reference tables imported into the catalog (``alliancekit data import ...``)::

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears("cow", directed=True, extend_to=2025)  # doctest: +SKIP
    >>> df = ps.add_atop_alliance(df); df = ps.add_nmc(df)  # doctest: +SKIP
    >>> df = ps.add_majors(df); df = ps.add_contiguity(df); df = ps.add_ties(df)  # doctest: +SKIP

The modules: :mod:`~alliancekit.panels.frames` (the ``create_*`` verbs),
:mod:`~alliancekit.panels.steps` (ATOP, NMC, majors, contiguity on the lookup engine of
``_lookup``), :mod:`~alliancekit.panels.systems` (COW codes on G-W frames and back),
:mod:`~alliancekit.panels.ties` (the curated ties), :mod:`~alliancekit.panels.build` (a whole
panel in one call); the covariates of issue 13 live in :mod:`alliancekit.covariates` and
:mod:`alliancekit.fpsim` and are exported here too.

Inputs come from the catalog (``alliancekit data import ...``) unless passed as frames (the
tables the importers return). pandas DataFrames are accepted wherever a frame is (converted
with ``polars.from_pandas``); results are polars frames (``.to_pandas()`` converts back). Every ``add_*`` step adds columns and never changes the rows
(checked). Codes and years are Int16, flags Int8.

Rules (and how they compare with peacesciencer 1.2.9, the reference):

Membership
    A state is a member in year Y if one of its spells covers at least one day of Y (as the
    reference). A dyad-year exists when both states are members on at least one common day of
    Y: two states whose spells touch the same year but never the same day (the Republic of
    Vietnam, gone 30 April 1975, and Suriname, in from 25 November 1975) form no dyad, which is
    what the reference's ``false_cow_dyads``/``false_gw_dyads`` tables remove. A state with two
    spells in one year gives one state-year.
Carry forward
    ``extend_to=YEAR`` extends every spell still open at the end of the state-system data (it
    ends in December of the data's last year: 2016 for COW, 2017 for G-W) to 31 December of
    YEAR, as the reference's ``mry=TRUE`` does up to the last complete year. It is never done
    by default. ``years`` reaching past the frame's last year (the data's, or ``extend_to``)
    gives a :class:`PanelWarning` (the CLI prints it): those years have no rows.
Directed and undirected
    Directed: every ordered pair (ccode1, ccode2). Undirected: ccode1 < ccode2. Directed is
    the default of both :func:`create_dyadyears` and ``alliancekit panel dyad-years``, as in
    the reference.
ATOP (``add_atop_alliance``)
    ATOP is directed. Directed frames take the row of (ccode1, ccode2, year). Undirected frames
    (no row has ccode1 > ccode2) take the obligation in either direction: a flag is 1 when
    either state owes it to the other (the reference's default ``ndir=TRUE``; its ``ndir=FALSE``
    would read only the ccode1 -> ccode2 row). ``atop_alliance`` is 1 for every dyad-year
    with a row in ATOP's dyad-year table, whatever its obligations (as the reference: 170 rows
    of ATOP 5.1's table have all five obligations 0 and are still alliances). No ATOP row
    within ATOP's years (1815-2018 in 5.1) is 0; outside them null.
NMC (``add_nmc``)
    The state's row of the year; missing values stay null; years without a row (after 2022 in
    NMC 6.0 as prepared for peacesciencer) are null. On dyad-years, ``milex1 ... cinc1`` and
    ``milex2 ... cinc2``; ``ratio=True`` adds ``cinc_ratio`` = cinc1 / (cinc1 + cinc2),
    ccode1's share of the dyad's capabilities (null when either is missing or both are 0; not
    in the reference).
Major powers (``add_majors``, also ``add_cow_majors``)
    ``cowmaj`` (``cowmaj1``, ``cowmaj2``) is 1 when a major-power spell covers at least one day
    of the year, 0 otherwise within the data's years (1816-2016). After them, ``mry=True`` (the
    default, the reference's): the states that are majors on the data's last day (spells
    ending 31 December 2016: USA, UK, France, Russia, China, Japan, Germany) are 1 and every
    other state 0, in every later year of the frame; ``mry=False``: null.
Contiguity (``add_contiguity``)
    ``conttype`` by the reference's month rule: each record of the (directed) contiguity table
    is a spell of months from its start to its end, both included. A dyad-year takes the
    relationship of the first month of the year on record (``slice="first"``, the default;
    ``slice="last"``: the last month); where two records cover that month, the one listed
    first in the file wins (``"last"``: the one listed last). Explicit ``conttype`` 0 records
    (peacesciencer's "no contiguity" spells, some overlapping other spells) count like any
    other: 255-271 has a 0 record (January 1816 to January 1871) listed before a land record
    (December 1849 to January 1870), so every year to 1871 is 0 (``"last"``: 1 in 1849-1869,
    where the land record covers December and comes later in the file). The row
    of (ccode1, ccode2) is read as the file gives it (COW's file lists both directions). 0
    where no record covers the year within the data's years (1816-2016 in 3.2); null outside
    them. ``mry=True`` repeats each dyad's value of the data's last year in later years
    (default False, as the reference).
Both systems (``add_ccode_to_gw``, ``add_gwcode_to_cow``)
    The COW steps merge on COW codes. A G-W frame gets them year by year first (the CLI and
    :func:`build_panel` do it for ``--system gw``): the same code where COW has it as a
    member that year, with the special cases of :data:`alliancekit.codes.OVERRIDES` (G-W 340
    Serbia = COW 345; G-W 260 = COW 260 to 1990, 255 from 1991; G-W 678 = COW 678 to 1990,
    679 from 1991); null where COW has no member (the COW columns are then null). The reverse
    gives COW frames G-W codes (COW 255 = G-W 260 from 1990, COW 345 = G-W 340 outside
    1918-2005, COW 679 = G-W 678). Undirected G-W frames stay undirected by their G-W codes.
Curated ties (``add_ties``)
    One column ``tie_<kind>`` per tie kind of the curated dataset: 1 when a tie of that kind
    between the two states is in force on at least one day of the year (``start`` <= 31 Dec
    and ``end`` after 1 Jan, ``end`` being the first day no longer in force). The ties are
    projected onto states by :func:`alliancekit.data.projection.state_pairs`, the rule of the
    graphs too: two states are ``tie_member`` = 1 when they are members of the same
    organisation on a common day of the year; a tie between a state and an organisation (e.g.
    Japan's NATO partnership) links the state to each member, on the days both hold; a tie
    between two organisations links each member of the one to each member of the other; ties
    with the UN Security Council are not alliances and are left out. Ties are symmetric.
    Actors without a code in the panel's system are not used. 0 means no tie in the curated
    data, which covers the security architecture around the United States, not the world.
"""

from __future__ import annotations

import numpy.ma  # noqa: F401 - polars imports it on the first numpy conversion; load it with us

from alliancekit.covariates import (
    add_capital_distance,
    add_gml_mids,
    add_igos,
    add_minimum_distance,
    add_peace_years,
    add_spells,
    add_strategic_rivalries,
)
from alliancekit.panels._inputs import ATOP_FLAGS, NMC_VARS, SYSTEMS
from alliancekit.panels._years import PanelWarning, parse_years
from alliancekit.panels.build import (
    STATE_STEPS,
    STEP_OPTIONS,
    STEPS,
    add_fpsim,
    build_panel,
    plan_panel,
)
from alliancekit.panels.frames import create_dyadyears, create_stateyears
from alliancekit.panels.steps import (
    CONTIGUITY_SLICES,
    add_atop_alliance,
    add_contiguity,
    add_cow_majors,
    add_majors,
    add_nmc,
)
from alliancekit.panels.systems import add_ccode_to_gw, add_gwcode_to_cow
from alliancekit.panels.ties import add_ties, tie_pairs

__all__ = [
    "ATOP_FLAGS",
    "CONTIGUITY_SLICES",
    "NMC_VARS",
    "STATE_STEPS",
    "STEPS",
    "STEP_OPTIONS",
    "SYSTEMS",
    "PanelWarning",
    "add_atop_alliance",
    "add_capital_distance",
    "add_ccode_to_gw",
    "add_contiguity",
    "add_cow_majors",
    "add_fpsim",
    "add_gml_mids",
    "add_gwcode_to_cow",
    "add_igos",
    "add_majors",
    "add_minimum_distance",
    "add_nmc",
    "add_peace_years",
    "add_spells",
    "add_strategic_rivalries",
    "add_ties",
    "build_panel",
    "create_dyadyears",
    "create_stateyears",
    "parse_years",
    "plan_panel",
    "tie_pairs",
]
