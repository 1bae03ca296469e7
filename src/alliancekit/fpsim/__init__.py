"""Alliance-portfolio similarity of every dyad-year, computed from ATOP obligations or from the
curated ties (beyond peacesciencer, whose ``add_fpsim()`` only reads Häge's precomputed file).

With the reference tables imported into the catalog::

    >>> from alliancekit import panels as ps
    >>> df = ps.create_dyadyears(directed=False, years=(1816, 2018))  # doctest: +SKIP
    >>> df = ps.add_fpsim(df)  # doctest: +SKIP

Portfolios
    In year Y every state i of the universe (the states of the frame that year, or those of
    ``members``) has a portfolio: its tie value with every state k of the universe, itself
    included (a state is tied to itself at the top value, as Signorino and Ritter 1999 and
    Häge 2011 do). Two sources (``source``):

    ``"atop"`` (default)
        The tie between i and k is ATOP's obligation in either direction (an obligation i owes
        k or k owes i, as panels' undirected ATOP rule); ATOP's years (1815-2018 in 5.1).
    ``"curated"``
        The curated ties (:func:`alliancekit.load`, with any extension files) projected onto
        states by :func:`alliancekit.data.projection.state_pairs`, the graphs' and
        ``add_ties``' rule: a tie holds in Y when it is in force on at least one day of Y.
        The universe is limited to the actors the curated data cover (its states with a COW
        code; the others' rows are null), the years to the data's (its first tie to its as-of
        year: up to today).
Valuation of ties (``valuation``, documented and selectable)
    ATOP: ``"valued"`` (default; Signorino and Ritter's ordinal scale put on ATOP's
    obligations): 3 = defence or offence pact, 2 = neutrality or non-aggression, 1 =
    consultation only, 0 = none; the highest value of the obligations held. ``"binary"``: 1 =
    any obligation, 0 = none. Or a mapping of the obligations (``atop_defense``,
    ``atop_offense``, ``atop_neutral``, ``atop_nonagg``, ``atop_consul``) to non-negative
    integers: the tie is the highest value of those held, the top of the scale is the largest
    value given.

    Curated ties (:data:`alliancekit.data.projection.VALUATIONS`): ``"strength"`` (default:
    the codebook's ordinal strength of the strongest instrument in force that year, 5
    collective defence ... 1 presence, 0 none), ``"binary"`` (1 = any tie), ``"alliance"``
    (1 = collective defence, strength 5), or a mapping of tie kinds to non-negative integers
    (the highest among the pair's instruments; kinds not named are 0).
Distance between two values (``metric``)
    ``"absolute"`` |a - b| (default) or ``"squared"`` (a - b)^2; for binary ties the two agree.
    d_max is the distance between the bottom (0) and the top of the scale.
Signorino and Ritter's S (1999)
    S_ij = 1 - 2 * sum_k w_k d(x_ik, x_jk) / d_max, with the weights summing to 1:
    unweighted ``w_k = 1/N``; capability-weighted ``w_k = cinc_k / sum cinc`` (COW NMC; a state
    without a CINC score weighs 0; null when no state of the universe has one). In [-1, 1];
    S_ii = 1; symmetric.
Cohen's kappa and Scott's pi (Häge 2011)
    The two portfolios as two raters of the N states: observed disagreement
    D_o = (1/N) sum_k d(x_ik, x_jk); chance disagreement from the portfolios' own shares of each
    value p_i(a) (kappa: D_e = sum_ab p_i(a) p_j(b) d(a, b)) or from their pooled shares
    p = (p_i + p_j) / 2 (pi: D_e = sum_ab p(a) p(b) d(a, b)); the measure is 1 - D_o / D_e, null
    where D_e = 0 (both portfolios one value throughout). kappa_ii = pi_ii = 1; symmetric;
    at most 1.
Columns
    ``sally{v|b}u{a|s}`` (S, unweighted), ``sally{v|b}w{a|s}`` (S, capability-weighted),
    ``kally{v|b}{a|s}`` (kappa), ``pally{v|b}{a|s}`` (pi): v(alued) or b(inary) ties (``x`` for
    a custom mapping), a(bsolute) or s(quared) distance; after peacesciencer's names for
    Häge's data (``sallyvua``, ``kallyv``, ...). From the curated ties the letters are v
    (strength), b(inary), d (alliance: collective defence) or x, and the names end in
    ``_curated`` (``sallyvua_curated``). Null outside the source's years and for states outside
    the universe.

Computation: per year, the ties as an N x N matrix; every S is one or a few matrix products
(the squared distance from X W X^T, the absolute one from the products of the
"value >= t" indicator matrices), kappa's and pi's chance terms from the N x C value shares;
each row of the frame then gathers its dyad's cell.

References: Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring
the Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): 115-144.
Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy Similarity
for Chance Agreement. Political Analysis 19(3): 287-305. Leeds et al. 2002 (ATOP).
"""

from __future__ import annotations

from alliancekit._deprecated import renamed
from alliancekit.fpsim.measures import MEASURES, similarity
from alliancekit.fpsim.step import CITATION, add_fpsim, apply, datasets
from alliancekit.fpsim.ties import (
    OBLIGATIONS,
    SOURCES,
    VALUATIONS,
    atop_tie_values,
    column_names,
    curated_tie_values,
)

__all__ = [
    "CITATION",
    "MEASURES",
    "OBLIGATIONS",
    "SOURCES",
    "VALUATIONS",
    "add_fpsim",
    "apply",
    "atop_tie_values",
    "column_names",
    "curated_tie_values",
    "datasets",
    "similarity",
]

__getattr__ = renamed(__name__, {"tie_values": "atop_tie_values"}, globals())
