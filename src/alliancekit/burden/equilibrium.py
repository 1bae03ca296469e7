"""An equilibrium model of alliance defence spending: a public good among allies.

Ally ``i`` has income ``w_i`` (GDP) and spends ``q_i`` on defence; ``x_i = w_i - q_i`` is its
private consumption (the price of defence is one). Alliance defence ``G = Σ q_j`` deters for
everyone. Preferences are Cobb–Douglas::

    u_i = (1 - a_i - b_i) ln x_i + a_i ln G + b_i ln q_i

``a_i`` weighs the alliance-wide, public benefit of defence; ``b_i`` the part of the benefit of
its own spending that is private to the spender (the *joint-product* model of Sandler 1977 and
Murdoch & Sandler 1984: forces that also guard national interests, territory, industry).

* ``b = 0`` is the pure public good. Its Nash equilibrium is unique and solved **exactly** by
  the characterisation of Bergstrom, Blume & Varian (1986): with ``r_i = (1 - a_i)/a_i`` and
  the *reservation level* ``t_i = w_i / r_i``, ally ``i`` contributes iff ``t_i > G``, each
  contributor spends ``q_i = w_i - r_i G`` and ``G = (E + Σ_C w_i) / (1 + Σ_C r_i)`` over the
  set ``C`` of contributors (``E``: spending fixed outside the game).
  :func:`~alliancekit.burden.solvers.solve_public_good` solves one alliance,
  :func:`~alliancekit.burden.batch.solve_batch` and
  :func:`~alliancekit.burden.batch.solve_block` whole arrays of parameter draws at once
  (Newton's method on total provision, whose steps are that formula and which ends exactly at
  the equilibrium: :func:`~alliancekit.burden.solvers.public_good_total`).
* ``b > 0`` (joint products) is solved numerically: each ally's spending given ``G`` solves a
  quadratic, and ``G`` is the root of ``E + Σ q_i(G) - G`` (Brent's method for one alliance, a
  bracketed Newton's method per draw for a batch).

:func:`~alliancekit.burden.solvers.iterate_best_responses` finds the same equilibria by letting
allies answer each other in turn; the tests check the exact solvers against it.
:func:`~alliancekit.burden.solvers.calibrate` chooses ``a_i`` (and ``b_i``) so that a year's
observed spending is the equilibrium, and :func:`scenario` (this module) then imposes a US cap,
a US cut or allies' pledges and reports who fills the gap.

The solvers live in :mod:`alliancekit.burden.solvers` (one alliance) and
:mod:`alliancekit.burden.batch` (many draws); their names are importable from here too.

References
----------
.. [BBV] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
   goods", *Journal of Public Economics* 29(1): 25–49.
.. [S77] T. Sandler (1977), "Impurity of defense: an application to the economics of
   alliances", *Kyklos* 30(3): 443–460.
.. [MS84] J. C. Murdoch and T. Sandler (1984), "Complementarity, free riding, and the military
   expenditures of NATO allies", *Journal of Public Economics* 25(1–2): 83–101.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from alliancekit.burden.batch import (
    best_response_batch,
    calibrate_batch,
    solve_batch,
    solve_batch_bounded,
    solve_block,
)
from alliancekit.burden.solvers import (
    Equilibrium,
    best_response,
    calibrate,
    iterate_best_responses,
    public_good_total,
    solve,
    solve_joint_product,
    solve_public_good,
    spend_given_total,
    sum_over_allies,
)
from alliancekit.schema import ParameterError


@dataclass
class ScenarioResult:
    """A scenario's outcome, per ally and in total (money in the unit of the inputs)."""

    actors: list[str]
    income: np.ndarray
    before: np.ndarray
    after: np.ndarray
    status: list[str]  # 'capped', 'cut', 'pledge', 'contributor', 'free rider'
    alpha: np.ndarray
    beta: np.ndarray
    hub: str | None
    description: str
    notes: list[str] = field(default_factory=list)

    @property
    def total_before(self) -> float:
        return float(sum_over_allies(self.before))

    @property
    def total_after(self) -> float:
        return float(sum_over_allies(self.after))

    def hub_change(self) -> float:
        if self.hub is None or self.hub not in self.actors:
            return 0.0
        i = self.actors.index(self.hub)
        return float(self.after[i] - self.before[i])

    def fill_ratio(self) -> float | None:
        """Share of the hub's cut that the other allies make up (None when the hub does not cut)."""
        d = self.hub_change()
        if d >= -1e-9 * max(self.total_before, 1e-300):  # no cut (rounding noise is no cut)
            return None
        others = float(sum_over_allies(self.after - self.before)) - d
        return others / -d

    def table(self):
        import polars as pl

        change = self.after - self.before
        return pl.DataFrame(
            {
                "actor_id": self.actors,
                "gdp": self.income,
                "spending_before": self.before,
                "spending_after": self.after,
                "change": change,
                "change_pct": np.where(
                    self.before > 0,
                    100 * change / np.where(self.before > 0, self.before, 1),
                    np.nan,
                ),
                "burden_before_pct": 100 * self.before / self.income,
                "burden_after_pct": 100 * self.after / self.income,
                "status": self.status,
                "alpha": self.alpha,
                "beta": self.beta,
            }
        ).with_columns(pl.col("change_pct").fill_nan(None))

    def summary(self) -> dict:
        change = self.after - self.before
        order = np.argsort(-change)
        fillers = [
            {"actor_id": self.actors[i], "change": float(change[i])}
            for i in order
            if change[i] > 1e-9 * max(self.total_before, 1e-300) and self.actors[i] != self.hub
        ][:10]
        return {
            "scenario": self.description,
            "hub": self.hub,
            "total_before": self.total_before,
            "total_after": self.total_after,
            "total_change": self.total_after - self.total_before,
            "hub_change": self.hub_change(),
            "allies_change": float(sum_over_allies(change)) - self.hub_change(),
            "fill_ratio": self.fill_ratio(),
            "fills_the_gap": fillers,
            "notes": list(self.notes),
        }

    def to_dict(self) -> dict:
        return {"summary": self.summary(), "allies": self.table().to_dicts()}


def _bounded_equilibrium(
    w,
    a,
    b,
    exact_level: dict[int, float],
    caps: dict[int, float],
    floors: dict[int, float],
    start: float | None = None,
) -> tuple[Equilibrium, dict[int, str]]:
    """Equilibrium where some allies spend a given amount, some at most a cap and some at least
    a floor: :func:`~alliancekit.burden.batch.solve_block` on one draw, so that a sweep's draw
    with the same parameters gives the same numbers, bit for bit."""
    col = lambda d: {i: np.array([v]) for i, v in d.items()}  # noqa: E731
    q, g, held = solve_block(
        w,
        a[:, None],
        b[:, None] if np.any(b > 0) else None,
        fixed=col(exact_level),
        caps=col(caps),
        floors=col(floors),
        return_held=True,
        start=start,
    )
    kind: dict[int, str] = {}
    for i, h in held.items():
        if h[0]:
            kind[i] = "cut" if i in exact_level else "capped" if i in caps else "pledge"
    spending = q[:, 0]
    fmask = np.zeros(w.size, bool)
    fmask[list(kind)] = True
    contrib = (spending > 0) & ~fmask
    return Equilibrium(spending, float(g[0]), contrib, fmask), kind


def scenario(
    actors: Sequence[str],
    income,
    spending,
    *,
    hub: str = "USA",
    hub_cap_pct: float | None = None,
    hub_cut_pct: float | None = None,
    pledges_pct: Mapping[str, float] | None = None,
    private_share: float = 0.0,
) -> ScenarioResult:
    """Calibrate preferences to observed spending, then change the rules and solve again.

    Every ally that is not bound re-optimises; the equilibrium is that of
    :func:`~alliancekit.burden.batch.solve_block` on one draw, so a sweep's draw with the same
    parameters gives the same numbers, bit for bit.

    Parameters
    ----------
    actors : sequence of str
        Ally ids, one per income.
    income, spending : array_like
        GDP and observed defence spending (the same unit).
    hub : str
        The ally the cap or the cut applies to.
    hub_cap_pct : float, optional
        The hub spends at most this share of its GDP (a ceiling; it may choose less).
    hub_cut_pct : float, optional
        The hub cuts its spending by this percentage, and is held there.
    pledges_pct : mapping of str to float, optional
        Allies that commit to at least this share of their GDP (a floor).
    private_share : float
        θ in [0, 1): above 0, the joint-product model.

    Returns
    -------
    ScenarioResult
        Spending before and after, each ally's status, the preferences, the description.

    Raises
    ------
    ParameterError
        For lengths that differ, an ally given twice, a cap and a cut together, a hub or a
        pledging ally that is not among the allies, or a percentage outside 0–100.

    Examples
    --------
    >>> res = scenario(["USA", "DEU", "LUX"], [100.0, 20.0, 2.0], [3.0, 0.4, 0.02],
    ...                hub_cut_pct=50)
    >>> res.status, round(res.fill_ratio(), 3)
    (['cut', 'contributor', 'contributor'], 0.863)

    References
    ----------
    .. [1] T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of public
       goods", *Journal of Public Economics* 29(1): 25–49.
    """
    actors = list(actors)
    w = np.asarray(income, dtype=float)
    q0 = np.asarray(spending, dtype=float)
    if len(actors) != w.size or q0.shape != w.shape:
        raise ParameterError("actors", "actors, income and spending need the same length")
    if len(set(actors)) != len(actors):
        raise ParameterError("actors", "an ally appears twice")
    if hub_cap_pct is not None and hub_cut_pct is not None:
        raise ParameterError("hub_cap_pct", "give a cap or a cut, not both")
    a, b = calibrate(w, q0, private_share)
    idx = {x: i for i, x in enumerate(actors)}
    exact: dict[int, float] = {}
    caps: dict[int, float] = {}
    floors: dict[int, float] = {}
    parts = []
    if hub_cap_pct is not None or hub_cut_pct is not None:
        if hub not in idx:
            raise ParameterError("hub", f"the hub {hub} is not among the allies with figures")
        h = idx[hub]
        if hub_cap_pct is not None:
            if not 0 <= hub_cap_pct <= 100:
                raise ParameterError("hub_cap_pct", "the cap is a share of GDP in percent, 0–100")
            caps[h] = hub_cap_pct / 100 * w[h]
            parts.append(f"{hub} caps its burden at {hub_cap_pct:g}% of GDP")
        else:
            if not 0 <= hub_cut_pct <= 100:
                raise ParameterError("hub_cut_pct", "the cut is a percentage of spending, 0–100")
            exact[h] = (1 - hub_cut_pct / 100) * q0[h]
            parts.append(f"{hub} cuts its spending by {hub_cut_pct:g}%")
    for actor, pct in (pledges_pct or {}).items():
        if actor not in idx:
            raise ParameterError("pledges_pct", f"{actor} is not among the allies with figures")
        if not 0 <= pct <= 100:
            raise ParameterError(
                "pledges_pct", f"the pledge of {actor} must be a share of GDP in percent, 0–100"
            )
        floors[idx[actor]] = pct / 100 * w[idx[actor]]
        parts.append(f"{actor} pledges at least {pct:g}% of GDP")
    # Newton's method starts from the observed total, as a sweep's draw does.
    eq, kind = _bounded_equilibrium(w, a, b, exact, caps, floors, sum_over_allies(q0))
    status = [
        kind.get(i, "contributor" if eq.spending[i] > 0 else "free rider") for i in range(w.size)
    ]
    model = "joint-product" if private_share > 0 else "pure public good"
    desc = "; ".join(parts) or "baseline (calibrated to observed spending)"
    notes = [
        f"model: {model} (private share {private_share:g}); preferences calibrated so that "
        "observed spending is the equilibrium"
    ]
    return ScenarioResult(
        actors, w, q0, eq.spending, status, a, b, hub if hub in idx else None, desc, notes
    )


__all__ = [
    "Equilibrium",
    "ScenarioResult",
    "best_response",
    "best_response_batch",
    "calibrate",
    "calibrate_batch",
    "iterate_best_responses",
    "public_good_total",
    "scenario",
    "solve",
    "solve_batch",
    "solve_batch_bounded",
    "solve_block",
    "solve_joint_product",
    "solve_public_good",
    "spend_given_total",
    "sum_over_allies",
]
