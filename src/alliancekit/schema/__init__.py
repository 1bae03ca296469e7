"""Typed records of the curated dataset, partial dates, and the errors every layer raises.

The pydantic records (:class:`Actor`, :class:`Tie`, :class:`Event`, :func:`validate_row`) live in
:mod:`alliancekit.schema.records` and load on first use, so that code needing only the errors and
the vocabularies (importers, panels, the CLI) does not pay for pydantic at start-up.

Validation never fixes or drops a row: it collects every problem as an :class:`Issue` that names
the file, the row, the column and the rule broken, and raises them together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# ---------------------------------------------------------------------------------------------
# Errors


class AlliancekitError(Exception):
    """Base of every error alliancekit raises on purpose; the CLI turns it into exit code 1."""


@dataclass(frozen=True)
class Issue:
    """One broken rule at one place of one file.

    ``row`` is the 1-based data row (the header is row 0); ``None`` when the problem is the
    file itself (missing, empty, wrong columns). ``severity`` is ``"error"`` (the row cannot
    be used) or ``"warning"`` (the row loads, but breaks a rule of the review trail, e.g. a
    weak source; ``alliancekit data validate --strict`` treats warnings as errors).
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str
    value: str | None = None
    severity: Literal["error", "warning"] = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        shown = f" (value: {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: [{self.rule}] {self.message}{shown}"


class DataValidationError(AlliancekitError):
    """A file or table broke one or more rules; ``issues`` lists every one."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        head = f"{len(self.issues)} validation error{'s' if len(self.issues) != 1 else ''}"
        lines = [str(i) for i in self.issues[:50]]
        if len(self.issues) > 50:
            lines.append(f"... and {len(self.issues) - 50} more")
        super().__init__(head + ":\n" + "\n".join(lines))


class ParameterError(AlliancekitError):
    """A caller passed a value that cannot be used; the message names the parameter."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"parameter '{parameter}': {message}")


def choice(value: object, choices: Iterable[object], parameter: str, what: str = "value"):
    """``value`` when it is one of ``choices``, else a :class:`ParameterError` naming
    ``parameter`` and listing the choices: the one "must be one of" check of every layer.

    Parameters
    ----------
    value : object
        What the caller passed.
    choices : iterable
        The values allowed, in the order the message lists them.
    parameter : str
        The caller's name of the parameter (the CLI renames it to its flag).
    what : str
        What a value is, for the message ("format", "source", ...).

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    ParameterError
        When ``value`` is not one of ``choices``.

    Examples
    --------
    >>> choice("csv", ("csv", "parquet"), "format")
    'csv'
    >>> choice("xls", ("csv", "parquet"), "format", "format")
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter 'format': unknown format 'xls'; choose one of csv, parquet
    """
    allowed = tuple(choices)
    try:
        known = value in allowed
    except TypeError:  # e.g. an unhashable value compared with numpy scalars
        known = False
    if not known:
        listed = ", ".join(str(c) for c in allowed)
        raise ParameterError(parameter, f"unknown {what} {value!r}; choose one of {listed}")
    return value


def choices(
    values: Iterable[object], allowed: Iterable[object], parameter: str, what: str = "value"
) -> list:
    """``values`` as a list when each is one of ``allowed``, else a :class:`ParameterError`
    naming ``parameter``, every value not allowed, and the choices: :func:`choice` for a
    parameter that takes several values.

    Examples
    --------
    >>> choices(["a"], ("a", "b"), "kinds", "kind")
    ['a']
    >>> choices(["a", "x", "y"], ("a", "b"), "kinds", "kind")
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter 'kinds': unknown kind(s) x, y; choose from a, b
    """
    values, allowed = list(values), tuple(allowed)
    bad = [v for v in values if v not in allowed]
    if bad:
        listed = ", ".join(str(c) for c in allowed)
        raise ParameterError(
            parameter, f"unknown {what}(s) {', '.join(map(str, bad))}; choose from {listed}"
        )
    return values


class FirstSeen:
    """The rows of a table by key: the second row with a key is an :class:`Issue` naming the
    first (one duplicate rule for every table; ``message`` may use ``{file}`` and ``{row}`` of
    the first row, and ``{value}``)."""

    def __init__(self, column: str, rule: str, message: str):
        self.column, self.rule, self.message = column, rule, message
        self._seen: dict[object, tuple[str, int]] = {}

    def check(self, key: object, file: str, row: int, value: str | None = None) -> Issue | None:
        """None for a new key (now remembered), else the issue of its repetition."""
        if key in self._seen:
            f0, r0 = self._seen[key]
            message = self.message.format(file=f0, row=r0, value=value)
            return Issue(file, row, self.column, self.rule, message, value)
        self._seen[key] = (file, row)
        return None


UNKNOWN_ACTOR = "not an actor_id of the actors table"


def unknown_actor(
    file: str, row: int, column: str, value: str, message: str = UNKNOWN_ACTOR
) -> Issue:
    """The issue of a row naming an actor the actors table does not hold."""
    return Issue(file, row, column, "unknown_actor", message, value)


# Years a caller may ask about: the span of the data alliancekit reads (curated ties from 1949,
# COW from 1816, publishers' tables checked against the same bounds on import).
YEAR_MIN, YEAR_MAX = 1800, 2100


def check_year(year: object, parameter: str = "year") -> int:
    """``year`` as an int inside YEAR_MIN..YEAR_MAX, else a :class:`ParameterError` naming it.

    Examples
    --------
    >>> check_year(2025)
    2025
    >>> check_year(99999)
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter 'year': 99999 is outside the years the data cover (1800-2100)
    """
    if isinstance(year, bool) or not isinstance(year, int):
        try:
            import numpy as np

            if isinstance(year, np.integer):
                year = int(year)
        except ImportError:  # pragma: no cover
            pass
    if isinstance(year, bool) or not isinstance(year, int):
        raise ParameterError(parameter, f"a year must be a whole number, got {year!r}")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ParameterError(
            parameter, f"{year} is outside the years the data cover ({YEAR_MIN}-{YEAR_MAX})"
        )
    return year


# ---------------------------------------------------------------------------------------------
# Partial dates

Precision = Literal["year", "month", "day"]
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day, as the source gives it.

    A partial date counts from the first day of its period (:attr:`start`); two dates are
    ordered at the coarser of their precisions, so ``2014`` is neither before nor after
    ``2014-05-06``.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        m = _DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f"not an ISO date of the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
        y, mo, d = (int(g) if g else None for g in m.groups())
        # datetime.date checks month ranges and days per month, leap years included.
        dt.date(y, mo or 1, d or 1)
        return cls(y, mo, d)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def _key(self, precision: Precision) -> tuple[int, ...]:
        parts = (self.year, self.month or 1, self.day or 1)
        return parts[: _PRECISION_RANK[precision] + 1]

    def compare(self, other: PartialDate) -> int:
        """-1, 0 or 1 at the coarser of the two precisions (0: not distinguishable)."""
        coarse = min(self.precision, other.precision, key=_PRECISION_RANK.__getitem__)
        a, b = self._key(coarse), other._key(coarse)
        return (a > b) - (a < b)

    def __str__(self) -> str:
        s = f"{self.year:04d}"
        if self.month is not None:
            s += f"-{self.month:02d}"
        if self.day is not None:
            s += f"-{self.day:02d}"
        return s


# ---------------------------------------------------------------------------------------------
# Vocabularies

ACTOR_KINDS = ("state", "organisation", "framework")
THEATRES = ("euro_atlantic", "indo_pacific", "global", "other")
TIE_KINDS = (
    "member",
    "defence_treaty",
    "strategic_alignment",
    "reciprocal_access_agreement",
    "co_development",
    "acsa",
    "equipment_transfer_agreement",
    "information_security_agreement",
    "defence_cooperation_agreement",
    "framework_treaty",
    "security_declaration",
    "partnership_programme",
    "diplomatic_mission",
    "exercise_participation",
)
EVENT_KINDS = (
    "policy",
    "summit",
    "agreement",
    "operation",
    "crisis",
    "war",
    "test",
    "diplomatic",
)
STRENGTH_MIN, STRENGTH_MAX = 1, 5
# The codebook's default strength of each tie kind (a row may differ where its note says why);
# ``member`` ties take the strength of their organisation, ``strategic_alignment`` 3 to 5.
DEFAULT_STRENGTH: dict[str, int | None] = {
    "member": None,
    "defence_treaty": 5,
    "strategic_alignment": None,
    "reciprocal_access_agreement": 4,
    "co_development": 4,
    "framework_treaty": 4,
    "acsa": 3,
    "equipment_transfer_agreement": 3,
    "information_security_agreement": 3,
    "defence_cooperation_agreement": 3,
    "security_declaration": 2,
    "partnership_programme": 2,
    "diplomatic_mission": 1,
    "exercise_participation": 1,
}

# Who published a row's source (the codebook states the rule).
SOURCE_KINDS = ("official", "intergovernmental", "scholarly", "press")
PROVENANCE_COLUMNS = ("source_kind", "verified_on")
SOURCE_COLUMNS = ("source_url", "source_publisher", "source_accessed", *PROVENANCE_COLUMNS)
ACTOR_COLUMNS = (
    "actor_id",
    "name",
    "kind",
    "iso3",
    "cow_code",
    "gw_code",
    "theatre",
    *SOURCE_COLUMNS,
    "note",
)
TIE_COLUMNS = (
    "tie_id",
    "kind",
    "actor_a",
    "actor_b",
    "name",
    "signed",
    "in_force",
    "ended",
    "strength",
    *SOURCE_COLUMNS,
    "note",
)
EVENT_COLUMNS = ("event_id", "date", "kind", "actors", "title", *SOURCE_COLUMNS, "note")
TABLE_COLUMNS = {"actors": ACTOR_COLUMNS, "ties": TIE_COLUMNS, "events": EVENT_COLUMNS}
# The note column may be left out of a user's extension file; every other column is required.
OPTIONAL_COLUMNS = {"note"}

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_ACTOR_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")


ID_COLUMN = {"actors": "actor_id", "ties": "tie_id", "events": "event_id"}

# ---------------------------------------------------------------------------------------------
# Weak sources: the one list. A row citing one of these hosts loads, with a warning
# (``weak_source``); ``alliancekit data validate --strict`` fails on it. A host matches itself
# and its subdomains (``en.wikipedia.org`` matches ``wikipedia.org``).

WEAK_SOURCE_HOSTS: dict[str, str] = {
    # state propaganda outlets
    "kcna.kp": "state propaganda outlet",
    "kcnawatch.org": "state propaganda outlet",
    "kcnawatch.xyz": "state propaganda outlet",
    "rodong.rep.kp": "state propaganda outlet",
    "tass.com": "state propaganda outlet",
    "tass.ru": "state propaganda outlet",
    "sputniknews.com": "state propaganda outlet",
    "sputnikglobe.com": "state propaganda outlet",
    "rt.com": "state propaganda outlet",
    "globaltimes.cn": "state propaganda outlet",
    "eir.news": "state propaganda outlet",
    "xinhuanet.com": "state news agency of a party to the facts",
    "news.cn": "state news agency of a party to the facts",
    "larouchepub.com": "state propaganda outlet",
    # user-edited or commercial encyclopedias
    "wikipedia.org": "encyclopedia",
    "wikiwand.com": "encyclopedia",
    "baike.baidu.com": "encyclopedia",
    "baike.com": "encyclopedia",
    "95408.com": "encyclopedia",
    "britannica.com": "encyclopedia",
    "abc-clio.com": "encyclopedia",
    "imidas.jp": "encyclopedia",
    # press-release and news aggregators
    "einpresswire.com": "aggregator",
    "menafn.com": "aggregator",
    "prnewswire.com": "aggregator",
    "bilaterals.org": "aggregator",
    "wired-gov.net": "aggregator",
    "gov-base.info": "aggregator",
    "net24.news": "aggregator",
    "alayham.com": "aggregator",
    "zeemedia.page.link": "aggregator",
    # unofficial mirrors of official texts (the text may be faithful; the host is not the source)
    "j-defense.ikaros.jp": "unofficial mirror",
    "ozpeace.org": "unofficial mirror",
    # document-sharing sites
    "scribd.com": "document-sharing site",
    "pdfslide.us": "document-sharing site",
    "pdfslide.net": "document-sharing site",
    "dokumen.tips": "document-sharing site",
    # blogs
    "blogspot.com": "blog",
    "wordpress.com": "blog",
    "medium.com": "blog",
    "substack.com": "blog",
    "tumblr.com": "blog",
}


def weak_source(url: str | None) -> str | None:
    """What makes ``url`` a weak source (e.g. ``"encyclopedia"``), or ``None`` when its host is
    not in :data:`WEAK_SOURCE_HOSTS`."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        found = WEAK_SOURCE_HOSTS.get(".".join(parts[i:]))
        if found:
            return found
    return None


_LAZY = {
    "Actor",
    "Tie",
    "Event",
    "Provenance",
    "RECORD_TYPES",
    "RowResult",
    "validate_row",
    "validate_provenance",
    "Spending",
    "UserAlly",
    "SipriRow",
}


def __getattr__(name: str):
    if name in _LAZY:
        from alliancekit.schema import records

        return getattr(records, name)
    raise AttributeError(f"module 'alliancekit.schema' has no attribute {name!r}")
