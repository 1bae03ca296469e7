"""The sweep specification: a TOML file read with :mod:`tomllib` and validated into typed
records. Every error names the key path and the rule (``parameters.us_cut.high: must be <=
100``), and all errors of a file are reported together.

A spec::

    title = "US retrenchment"
    year = 2025                 # the base year: its observed spending calibrates the model
    edition = "NATO 2025-08"    # optional: the spending edition
    alliance = "NATO"           # NATO, IP4, a framework id, actor ids, or "NATO+IP4"
    hub = "USA"
    draws = 10000
    seed = 2025

    [outputs]
    measures = ["total", "filled_share", "meets_3_5pct", "hub_dependence"]
    allies = ["POL", "DEU"]     # per-ally spending_<ID> and burden_<ID> columns ("all": every ally)
    thresholds = [{ output = "alliance_burden", op = ">=", value = 3.5 }]

    [parameters.us_cut]
    kind = "hub_cut"            # what the parameter sets (see KINDS)
    dist = "uniform"            # how it is drawn (see DISTRIBUTIONS)
    low = 0
    high = 50

    [correlation]               # optional: rank correlation between parameters
    method = "gaussian_copula"  # or "iman_conover"
    parameters = ["us_cut", "theta"]
    matrix = [[1.0, 0.4], [0.4, 1.0]]
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from alliancekit.schema import AlliancekitError

# ---------------------------------------------------------------------------------------------
# Vocabulary

DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # name: (required keys, optional keys)
    "fixed": (("value",), ()),
    "uniform": (("low", "high"), ()),
    "normal": (("mean", "sd"), ()),
    "truncnormal": (("mean", "sd", "low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "beta": (("a", "b"), ("low", "high")),
    "choice": (("values",), ("weights",)),
    "bernoulli": (("p",), ("value", "otherwise")),
}
DIST_KEYS = {k for req, opt in DISTRIBUTIONS.values() for k in (*req, *opt)}

# kind: (lower, upper, lower inclusive, upper inclusive, meaning)
KINDS: dict[str, tuple[float, float, bool, bool, str]] = {
    "hub_cut": (0, 100, True, True, "the hub cuts its spending by this % (held there)"),
    "hub_cap": (0, 100, True, True, "the hub spends at most this % of its GDP"),
    "preference_spread": (
        0,
        100,
        True,
        False,
        "each ally's preference weight varies by up to ± this % around its calibrated value",
    ),
    "gdp_growth": (-100, math.inf, False, True, "GDP of the named allies changes by this %"),
    "pledge": (0, 100, True, True, "the named allies spend at least this % of GDP (0: no pledge)"),
    "private_share": (0, 1, True, False, "joint products: the private share θ of defence benefits"),
    "tie": (0, 1, True, True, "1 when the named tie is in force in the year, 0 when not"),
    "tie_kind": (0, 1, True, True, "1 when the ties of this kind are in force, 0 when they lapse"),
    "join": (0, 1, True, True, "1 when the state joins the organisation or framework"),
    "hub_removed": (0, 1, True, True, "1 when the hub leaves the network"),
    "hub_weaken": (0, math.inf, True, True, "the hub's ties are multiplied by this factor"),
}
BURDEN_KINDS = ("hub_cut", "hub_cap", "preference_spread", "gdp_growth", "pledge", "private_share")
NETWORK_KINDS = ("tie", "tie_kind", "join", "hub_removed", "hub_weaken")
BINARY_KINDS = ("tie", "tie_kind", "join", "hub_removed")
SINGLE_KINDS = ("hub_cut", "hub_cap", "private_share", "hub_removed", "hub_weaken")

BURDEN_OUTPUTS: dict[str, str] = {
    "total": "total provision: the allies' defence spending, US$ mn",
    "alliance_burden": "the alliance's spending as % of its GDP",
    "filled_share": "share of the hub's cut that the other allies make up",
    "meets_2pct": "number of allies at or above 2% of GDP",
    "meets_3_5pct": "number of allies at or above 3.5% of GDP",
    "hub_share": "the hub's share of allied spending (dependence on the hub)",
}
NETWORK_OUTPUTS: dict[str, str] = {
    "hub_dependence": "share of connected pairs whose every shortest path runs through the hub",
    "hub_spoke_indo_pacific": "Indo-Pacific hub-and-spoke index (0 hub-and-spoke, 1 lattice)",
    "isolated_without_hub": "number of the hub's partners left with no tie without it",
    "gap_fill_cost": (
        "cost of the cheapest new ties that leave the hub's Indo-Pacific allies 2-edge-connected "
        "without it (scenario gap-fill --k 2)"
    ),
    "efficiency": "global efficiency of the network (after removal, if the hub is removed)",
    "components": "connected components of the network (after removal, if removed)",
}
OUTPUTS = {**BURDEN_OUTPUTS, **NETWORK_OUTPUTS}
OPS = (">=", ">", "<=", "<", "==")
CORRELATION_METHODS = ("gaussian_copula", "iman_conover")


class SpecError(AlliancekitError):
    """A sweep spec broke one or more rules; ``problems`` lists ``(path, rule)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]], file: str | None = None):
        self.problems = list(problems)
        where = f"{file}: " if file else ""
        lines = [f"{p}: {r}" if p else r for p, r in self.problems]
        head = f"{where}{len(lines)} problem{'s' if len(lines) != 1 else ''} in the sweep spec"
        super().__init__(head + ":\n  " + "\n  ".join(lines))


def _num(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------------------------
# Records


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """One uncertain parameter: what it sets (``kind`` and its target keys) and its distribution
    (``dist`` and that distribution's keys)."""

    name: str = ""
    kind: str
    dist: str
    # targets
    allies: list[str] | None = None
    tie: str | None = None
    tie_kind: str | None = None
    actor: str | None = None
    organisation: str | None = None
    # distribution keys
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = None
    mode: float | None = None
    a: float | None = None
    b: float | None = None
    p: float | None = None
    otherwise: float | None = None
    values: list[float] | None = None
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        errs: list[str] = []
        if self.kind not in KINDS:
            raise ValueError(f"kind: unknown kind {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.dist not in DISTRIBUTIONS:
            raise ValueError(
                f"dist: unknown distribution {self.dist!r}; choose one of {', '.join(DISTRIBUTIONS)}"
            )
        req, opt = DISTRIBUTIONS[self.dist]
        given = {k for k in DIST_KEYS if getattr(self, k) is not None}
        for k in req:
            if k not in given:
                errs.append(f"{k}: required by dist = {self.dist!r}")
        for k in sorted(given - set(req) - set(opt)):
            errs.append(
                f"{k}: not a key of dist = {self.dist!r} (its keys: {', '.join(req + opt)})"
            )
        for k in sorted(given - {"values", "weights"}):
            v = getattr(self, k)
            if not math.isfinite(v):
                errs.append(f"{k}: must be a finite number")
        if errs:
            raise ValueError("\n".join(errs))
        d = self.dist
        if d in ("uniform", "truncnormal", "triangular") and self.low > self.high:
            errs.append(f"low: must be <= high ({_num(self.low)} > {_num(self.high)})")
        if d == "triangular" and not (self.low <= self.mode <= self.high):
            errs.append("mode: must lie between low and high")
        if d in ("normal", "truncnormal") and self.sd < 0:
            errs.append("sd: must be >= 0")
        if d == "truncnormal" and self.low == self.high:
            errs.append("high: must be > low for a truncated normal (use dist = 'fixed')")
        if d == "beta":
            for k in ("a", "b"):
                if getattr(self, k) <= 0:
                    errs.append(f"{k}: must be > 0")
            lo, hi = self.beta_bounds
            if lo > hi:
                errs.append(f"low: must be <= high ({_num(lo)} > {_num(hi)})")
        if d == "bernoulli" and not (0 <= self.p <= 1):
            errs.append(f"p: must be a probability between 0 and 1 (got {_num(self.p)})")
        if d == "choice":
            if not self.values:
                errs.append("values: must list at least one value")
            elif self.weights is not None:
                if len(self.weights) != len(self.values):
                    errs.append("weights: must have one weight per value")
                elif any(not (w >= 0) for w in self.weights) or not math.isclose(
                    sum(self.weights), 1.0, rel_tol=1e-9, abs_tol=1e-9
                ):
                    errs.append("weights: must be non-negative and sum to 1")
        if errs:
            raise ValueError("\n".join(errs))
        errs += self._check_support()
        errs += self._check_targets()
        if errs:
            raise ValueError("\n".join(errs))
        return self

    @property
    def beta_bounds(self) -> tuple[float, float]:
        return (0.0 if self.low is None else self.low, 1.0 if self.high is None else self.high)

    def support(self) -> tuple[float, float, str, str]:
        """(smallest, largest) value the distribution can give, and the keys that set them."""
        d = self.dist
        if d == "fixed":
            return self.value, self.value, "value", "value"
        if d in ("uniform", "truncnormal", "triangular"):
            return self.low, self.high, "low", "high"
        if d == "beta":
            lo, hi = self.beta_bounds
            return lo, hi, "low", "high"
        if d == "normal":
            if self.sd == 0:
                return self.mean, self.mean, "mean", "mean"
            return -math.inf, math.inf, "dist", "dist"
        if d == "choice":
            return min(self.values), max(self.values), "values", "values"
        on = 1.0 if self.value is None else self.value
        off = 0.0 if self.otherwise is None else self.otherwise
        lo_key = "value" if on <= off else "otherwise"
        hi_key = "otherwise" if lo_key == "value" else "value"
        return min(on, off), max(on, off), lo_key, hi_key

    def _check_support(self) -> list[str]:
        lo, hi, lo_inc, hi_inc, _ = KINDS[self.kind]
        smin, smax, kmin, kmax = self.support()
        errs = []
        if self.dist == "normal" and self.sd > 0 and (math.isfinite(lo) or math.isfinite(hi)):
            return [
                f"dist: a normal distribution is unbounded but kind = {self.kind!r} must lie in "
                f"[{_num(lo)}, {_num(hi)}]; use 'truncnormal' with low and high"
            ]
        if smin < lo or (smin == lo and not lo_inc):
            errs.append(
                f"{kmin}: must be {'>=' if lo_inc else '>'} {_num(lo)} for kind = {self.kind!r}"
            )
        if smax > hi or (smax == hi and not hi_inc):
            errs.append(
                f"{kmax}: must be {'<=' if hi_inc else '<'} {_num(hi)} for kind = {self.kind!r}"
            )
        if self.kind in BINARY_KINDS:
            if self.dist == "bernoulli":
                if self.value is not None or self.otherwise is not None:
                    errs.append(f"value: kind = {self.kind!r} is 1 or 0; leave out value/otherwise")
            elif self.dist == "fixed":
                if self.value not in (0.0, 1.0):
                    errs.append(f"value: must be 0 or 1 for kind = {self.kind!r}")
            else:
                errs.append(f"dist: kind = {self.kind!r} takes 'bernoulli' (p) or 'fixed' (0 or 1)")
        return errs

    def _check_targets(self) -> list[str]:
        need = {
            "gdp_growth": ("allies",),
            "pledge": ("allies",),
            "tie": ("tie",),
            "tie_kind": ("tie_kind",),
            "join": ("actor", "organisation"),
        }.get(self.kind, ())
        allowed = set(need) | ({"allies"} if self.kind == "preference_spread" else set())
        errs = [f"{k}: required by kind = {self.kind!r}" for k in need if getattr(self, k) is None]
        for k in ("allies", "tie", "tie_kind", "actor", "organisation"):
            if getattr(self, k) is not None and k not in allowed:
                errs.append(f"{k}: not a key of kind = {self.kind!r}")
        if self.allies is not None and not self.allies:
            errs.append("allies: must name at least one ally")
        if self.kind == "tie_kind" and self.tie_kind is not None:
            from alliancekit.schema import TIE_KINDS

            if self.tie_kind not in TIE_KINDS:
                errs.append(
                    f"tie_kind: unknown tie kind {self.tie_kind!r}; choose from {', '.join(TIE_KINDS)}"
                )
        return errs

    @property
    def varies(self) -> bool:
        """True when the distribution can give more than one value."""
        smin, smax, _, _ = self.support()
        return smin != smax


class Threshold(_Strict):
    output: str
    op: Literal[">=", ">", "<=", "<", "=="]
    value: float

    @property
    def label(self) -> str:
        return f"P({self.output} {self.op} {_num(self.value)})"


class Outputs(_Strict):
    measures: list[str] = Field(default_factory=lambda: list(BURDEN_OUTPUTS))
    allies: list[str] | Literal["all"] = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)

    @field_validator("measures")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        bad = [m for m in v if m not in OUTPUTS]
        if bad:
            raise ValueError(
                f"unknown output(s) {', '.join(map(repr, bad))}; choose from {', '.join(OUTPUTS)}"
            )
        if not v:
            raise ValueError("name at least one output")
        return list(dict.fromkeys(v))


class Correlation(_Strict):
    method: Literal["gaussian_copula", "iman_conover"] = "gaussian_copula"
    parameters: list[str]
    matrix: list[list[float]]

    @model_validator(mode="after")
    def _check(self) -> Correlation:
        k = len(self.parameters)
        if len(set(self.parameters)) != k:
            raise ValueError("parameters: a parameter appears twice")
        m = np.asarray(self.matrix, dtype=float) if all(len(r) == k for r in self.matrix) else None
        if m is None or m.shape != (k, k):
            raise ValueError(f"matrix: must be {k} × {k}, one row and column per parameter")
        if not np.all(np.isfinite(m)):
            raise ValueError("matrix: must hold finite numbers")
        if not np.allclose(m, m.T, atol=1e-12):
            raise ValueError("matrix: must be symmetric")
        if not np.allclose(np.diag(m), 1.0):
            raise ValueError("matrix: the diagonal must be 1")
        if np.any(np.abs(m) > 1):
            raise ValueError("matrix: rank correlations must lie between -1 and 1")
        eig = float(np.linalg.eigvalsh(m).min())
        if eig <= 1e-10:
            raise ValueError(
                f"matrix: must be positive definite (smallest eigenvalue {eig:.3g}); "
                "no set of draws has these correlations"
            )
        return self


class SweepSpec(_Strict):
    title: str = ""
    year: int = Field(ge=1949, le=2100)
    edition: str | None = None
    alliance: str | list[str] = "NATO"
    hub: str = "USA"
    draws: int = Field(ge=1, le=1_000_000_000)
    seed: int = Field(ge=0)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    outputs: Outputs = Field(default_factory=Outputs)
    correlation: Correlation | None = None

    @field_validator("parameters", mode="before")
    @classmethod
    def _names(cls, v: Any) -> Any:
        if isinstance(v, dict):
            out = {}
            for name, p in v.items():
                if isinstance(p, dict):
                    p = {**p, "name": name}
                out[name] = p
            return out
        return v

    @model_validator(mode="after")
    def _check(self) -> SweepSpec:
        errs: list[str] = []
        for name in self.parameters:
            if not name.isidentifier() or name in ("draw",):
                errs.append(
                    f"parameters.{name}: a parameter name is a plain identifier (letters, digits, _), not 'draw'"
                )
            if name in OUTPUTS:
                errs.append(f"parameters.{name}: the name is taken by an output")
        for kind in SINGLE_KINDS:
            names = [n for n, p in self.parameters.items() if p.kind == kind]
            if len(names) > 1:
                errs.append(f"parameters.{names[1]}.kind: only one parameter may be {kind!r}")
        if any(p.kind == "hub_cut" for p in self.parameters.values()) and any(
            p.kind == "hub_cap" for p in self.parameters.values()
        ):
            name = next(n for n, p in self.parameters.items() if p.kind == "hub_cap")
            errs.append(f"parameters.{name}.kind: give the hub a cut or a cap, not both")
        net_out = [m for m in self.outputs.measures if m in NETWORK_OUTPUTS]
        for n, p in self.parameters.items():
            if p.kind in NETWORK_KINDS and not net_out:
                errs.append(
                    f"parameters.{n}.kind: {p.kind!r} changes the network, but outputs.measures names no network output"
                )
        for i, t in enumerate(self.outputs.thresholds):
            if t.output not in self.output_columns():
                errs.append(
                    f"outputs.thresholds[{i}].output: {t.output!r} is not an output of this sweep"
                )
        if self.correlation is not None:
            for i, n in enumerate(self.correlation.parameters):
                if n not in self.parameters:
                    errs.append(f"correlation.parameters[{i}]: no parameter {n!r}")
                elif not self.parameters[n].varies:
                    errs.append(
                        f"correlation.parameters[{i}]: {n!r} is fixed; only varying parameters correlate"
                    )
        if errs:
            raise ValueError("\n".join(errs))
        return self

    # -- derived facts -------------------------------------------------------------------------
    @property
    def network(self) -> bool:
        return any(m in NETWORK_OUTPUTS for m in self.outputs.measures)

    @property
    def burden(self) -> bool:
        return any(m in BURDEN_OUTPUTS for m in self.outputs.measures) or bool(self.outputs.allies)

    def output_columns(self, allies: list[str] | None = None) -> list[str]:
        """Scalar outputs, then per-ally spending_<ID> and burden_<ID> (when allies are known)."""
        cols = list(self.outputs.measures)
        per = (
            allies
            if allies is not None
            else ([] if self.outputs.allies == "all" else self.outputs.allies)
        )
        for a in per:
            cols += [f"spending_{a}", f"burden_{a}"]
        return cols


# ---------------------------------------------------------------------------------------------
# Reading


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for e in exc.errors():
        loc = [str(x) for x in e["loc"]]
        path = ""
        for x in loc:
            path += f"[{x}]" if x.isdigit() else (f".{x}" if path else x)
        if e["type"] == "extra_forbidden":
            out.append((path, "unknown key"))
            continue
        if e["type"] == "missing":
            out.append((path, "required"))
            continue
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
            for line in msg.split("\n"):
                if (
                    line.startswith("parameters.")
                    or line.startswith("outputs.")
                    or line.startswith("correlation.")
                ):
                    key, _, rule = line.partition(": ")
                    out.append((key, rule))
                    continue
                key, sep, rule = line.partition(": ")
                if sep and key.replace("_", "").isalnum() and " " not in key:
                    out.append((f"{path}.{key}" if path else key, rule))
                else:
                    out.append((path, line))
            continue
        out.append((path, _plain(e)))
    return out


def _plain(e: dict) -> str:
    t = e["type"]
    ctx = e.get("ctx") or {}
    if t == "greater_than_equal":
        return f"must be >= {ctx.get('ge')}"
    if t == "less_than_equal":
        return f"must be <= {ctx.get('le')}"
    if t in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if t in ("float_type", "float_parsing"):
        return "must be a number"
    if t in ("string_type",):
        return "must be a string"
    if t in ("list_type",):
        return "must be a list"
    if t in ("dict_type", "model_type"):
        return "must be a table"
    return e["msg"].lower()


def parse_spec(data: dict, file: str | None = None) -> SweepSpec:
    """Validate a spec given as a dict (as read from TOML)."""
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_problems(exc), file) from None


def load_spec(path: str | Path, *, draws: int | None = None) -> SweepSpec:
    """Read and validate a TOML spec; ``draws`` overrides the file's number of draws."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([("", "file not found")], str(p)) from None
    except IsADirectoryError:
        raise SpecError([("", "is a folder, not a TOML file")], str(p)) from None
    except OSError as exc:
        raise SpecError([("", f"cannot read the file ({exc.strerror})")], str(p)) from None
    except UnicodeDecodeError:
        raise SpecError([("", "not UTF-8 text")], str(p)) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([("", f"not valid TOML: {exc}")], str(p)) from None
    if draws is not None:
        raw["draws"] = draws
    return parse_spec(raw, str(p))


def with_draws(spec: SweepSpec, draws: int) -> SweepSpec:
    """The spec with another number of draws (checked like the file's)."""
    if not isinstance(draws, int) or draws < 1:
        raise SpecError([("draws", "must be >= 1")])
    return spec.model_copy(update={"draws": draws})
