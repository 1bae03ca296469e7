"""Pydantic records of every table alliancekit reads, and row validation into named issues.

One record per table: the curated :class:`Actor`, :class:`Tie` and :class:`Event`, a spending
figure (:class:`Spending`), a row of a user's exploitation table (:class:`UserAlly`) and a
country row of SIPRI's workbook (:class:`SipriRow`). The rules they share (a source URL, a full
ISO day not in the future, an actor id, a number, a share of GDP) are written once below and
every table's rows go through :func:`validate_row`, into the same :class:`~alliancekit.schema.Issue`
list.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alliancekit.schema import (
    _ACTOR_ID_RE,
    _ID_RE,
    EVENT_KINDS,
    PROVENANCE_COLUMNS,
    SOURCE_COLUMNS,
    SOURCE_KINDS,
    STRENGTH_MAX,
    STRENGTH_MIN,
    TIE_KINDS,
    YEAR_MAX,
    YEAR_MIN,
    Issue,
    PartialDate,
    weak_source,
)
from alliancekit.schema.spending import (
    EDITION_RE,
    MEASURE_UNITS,
    MEASURES,
    MONEY_UNITS,
    PRICE_RE,
    SIGNED_MEASURES,
    UNITS,
    UNPRICED_UNITS,
)


def _fail(rule: str, message: str, column: str = "") -> ValueError:
    """A rule's error; the rule (and, for model-level rules, the column) travel in the text."""
    return ValueError(f"{column}|{rule}|{message}")


def _parse_date(v: object) -> object:
    v = _blank_to_none(v)
    if isinstance(v, str):
        try:
            v = PartialDate.parse(v)
        except ValueError as exc:
            raise _fail("bad_date", str(exc)) from None
    if isinstance(v, PartialDate):
        # A curated fact has happened: no date before the data's span or after today
        # ("0099", "2999-05-01" are typing slips).
        if v.year < YEAR_MIN:
            raise _fail("bad_date", f"year {v.year} is before {YEAR_MIN}")
        if v.start > dt.date.today():
            raise _fail("future_date", f"{v} is in the future")
    return v


def _blank_to_none(v: object) -> object:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


# ---------------------------------------------------------------------------------------------
# Rules shared by the records (each written once)

_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://\S+$")


def _full_day(column: str):
    """Before: a text date must be a full ISO day (a partial date is not a day of reading)."""

    def check(v: object) -> object:
        v = _blank_to_none(v)
        if isinstance(v, str) and not _DAY_RE.match(v):
            raise _fail("bad_date", f"{column} must be a full ISO date YYYY-MM-DD")
        return v

    return BeforeValidator(check)


def _not_future(column: str):
    def check(v: dt.date | None) -> dt.date | None:
        if v is not None and v > dt.date.today():
            raise _fail("future_date", f"{column} is in the future")
        return v

    return AfterValidator(check)


def _url(v: str) -> str:
    if not _URL_RE.match(v):
        raise _fail("bad_url", "source_url must be an http(s) URL")
    return v


def _row_id(column: str):
    """A row's own id (a tie's, an event's): letters, digits, '_', '-' or '.'."""

    def check(v: str) -> str:
        if not _ID_RE.match(v):
            raise _fail("bad_id", f"{column} must be letters, digits, '_', '-' or '.'")
        return v

    return AfterValidator(check)


def _actor_id(v: str) -> str:
    if not _ACTOR_ID_RE.match(v):
        raise _fail("bad_id", "actor_id must be upper-case letters, digits and '_'")
    return v


def to_number(v: object, *, percent: bool = False) -> float | None:
    """A finite number from a cell (``"1,234.5"``; ``"3%"`` when ``percent``), else None; a
    boolean is not a number, though Python counts it as an int."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v) if math.isfinite(v) else None
    t = str(v).strip().replace(",", "")
    if percent and t.endswith("%"):
        t = t[:-1]
    try:
        x = float(t)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _number(column: str, *, percent: bool = False, message: str | None = None):
    """Before: a cell as a finite number (blank: None, for the field to accept or require)."""

    def check(v: object) -> object:
        v = _blank_to_none(v)
        if v is None:
            return None
        x = to_number(v, percent=percent)
        if x is None:
            raise _fail("not_a_number", message or f"{column} must be a number")
        return x

    return BeforeValidator(check)


def _not_negative(what: str):
    def check(v: float | None) -> float | None:
        if v is not None and v < 0:
            raise _fail("negative", f"{what} cannot be negative")
        return v

    return AfterValidator(check)


def _share_of_gdp(what: str, v: float | None) -> float | None:
    if v is not None and v > 100:
        raise _fail("out_of_range", f"{what} above 100% of GDP is impossible")
    return v


def _whole(column: str):
    def check(v: object) -> object:
        v = _blank_to_none(v)
        if isinstance(v, str):
            try:
                return int(v)
            except ValueError:
                raise _fail("not_an_integer", f"{column} must be an integer") from None
        return v

    return BeforeValidator(check)


def _in_years(column: str):
    def check(v: int) -> int:
        if not YEAR_MIN <= v <= YEAR_MAX:
            raise _fail("out_of_range", f"{column} must be between {YEAR_MIN} and {YEAR_MAX}")
        return v

    return AfterValidator(check)


ActorId = Annotated[str, AfterValidator(_actor_id)]
SourceUrl = Annotated[str, AfterValidator(_url)]
SourceAccessed = Annotated[dt.date, _full_day("source_accessed"), _not_future("source_accessed")]
VerifiedOn = Annotated[dt.date | None, _full_day("verified_on"), _not_future("verified_on")]
Year = Annotated[int, _whole("year"), _in_years("year")]


class _Row(BaseModel):
    """A row read from a text table: surrounding blanks are trimmed and a blank cell is
    missing (then a required column's rule is ``required``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        return _blank_to_none(v)


# ---------------------------------------------------------------------------------------------
# Records


class Provenance(_Row):
    """Who published a row's source and when it was verified: the review trail every curated
    table carries."""

    source_kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    verified_on: VerifiedOn = None


class _Record(Provenance):
    source_url: SourceUrl
    source_publisher: str
    source_accessed: SourceAccessed
    note: str | None = None


class Actor(_Record):
    """A state, an organisation or a framework."""

    actor_id: ActorId
    name: str
    kind: Literal["state", "organisation", "framework"]
    iso3: str | None = None
    cow_code: int | None = None
    gw_code: int | None = None
    theatre: Literal["euro_atlantic", "indo_pacific", "global", "other"]

    @field_validator("iso3")
    @classmethod
    def _iso3(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^[A-Z]{3}$", v):
            raise _fail("invalid_value", "iso3 must be three upper-case letters")
        return v

    @model_validator(mode="after")
    def _codes(self) -> Actor:
        if self.kind == "state" and self.iso3 is None:
            raise _fail("invalid_value", "a state needs an ISO3 code", "iso3")
        if self.kind != "state" and any(
            c is not None for c in (self.iso3, self.cow_code, self.gw_code)
        ):
            raise _fail("invalid_value", "only states carry ISO3, COW and G-W codes", "iso3")
        return self


class Tie(_Record):
    """A typed, dated relation between two actors."""

    tie_id: Annotated[str, _row_id("tie_id")]
    kind: Literal[TIE_KINDS]  # type: ignore[valid-type]
    actor_a: str
    actor_b: str
    name: str
    signed: PartialDate | None = None
    in_force: PartialDate | None = None
    ended: PartialDate | None = None
    strength: int

    @field_validator("signed", "in_force", "ended", mode="before")
    @classmethod
    def _date(cls, v: object) -> object:
        return _parse_date(v)

    @field_validator("strength")
    @classmethod
    def _strength(cls, v: int) -> int:
        if not STRENGTH_MIN <= v <= STRENGTH_MAX:
            raise _fail(
                "invalid_value",
                f"strength must be an integer from {STRENGTH_MIN} to {STRENGTH_MAX}",
            )
        return v

    @model_validator(mode="after")
    def _order(self) -> Tie:
        if self.actor_a == self.actor_b:
            raise _fail("invalid_value", "a tie needs two different actors", "actor_b")
        if self.signed and self.in_force and self.signed.compare(self.in_force) > 0:
            raise _fail("date_order", "signed after in_force", "in_force")
        start = self.in_force or self.signed
        if start and self.ended and start.compare(self.ended) > 0:
            raise _fail("date_order", "in_force (or signed) after ended", "ended")
        return self


class Event(_Record):
    """A dated event of the timeline."""

    event_id: Annotated[str, _row_id("event_id")]
    date: PartialDate
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    actors: tuple[str, ...]
    title: str

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: object) -> object:
        return _parse_date(v)

    @field_validator("actors", mode="before")
    @classmethod
    def _actors(cls, v: object) -> object:
        if isinstance(v, str):
            parts = tuple(p.strip() for p in v.split(";"))
            if any(not p for p in parts):
                raise _fail(
                    "invalid_value", "actors must be actor ids separated by ';' with none empty"
                )
            repeated = sorted({p for p in parts if parts.count(p) > 1})
            if repeated:
                raise _fail("invalid_value", f"an actor is listed twice: {', '.join(repeated)}")
            return parts
        return v


class Spending(_Record):
    """One published figure of a spending table (``spending.csv`` or a user's file in its
    format): the curated tables' source and review rules, and the figure's own."""

    actor_id: ActorId
    year: Year
    measure: Literal[MEASURES]  # type: ignore[valid-type]
    unit: Literal[UNITS]  # type: ignore[valid-type]
    price_basis: str | None
    value: Annotated[float, _number("value")]
    estimate: bool
    edition: str

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str, info: ValidationInfo) -> str:
        measure = info.data.get("measure")
        if measure in MEASURE_UNITS and v not in MEASURE_UNITS[measure]:
            raise _fail(
                "unit_mismatch",
                f"measure {measure} takes unit {' or '.join(MEASURE_UNITS[measure])}",
            )
        return v

    @field_validator("price_basis")
    @classmethod
    def _price_basis(cls, v: str | None, info: ValidationInfo) -> str | None:
        unit = info.data.get("unit")
        if v and not PRICE_RE.match(v):
            raise _fail("invalid_value", "price_basis must be 'current' or 'constant_YYYY'")
        if unit in MONEY_UNITS and not v:
            raise _fail(
                "required", "a money figure needs its price basis (current or constant_YYYY)"
            )
        if unit in UNPRICED_UNITS and v:
            raise _fail("invalid_value", f"a figure in {unit} has no price basis; leave it empty")
        return v

    @field_validator("value")
    @classmethod
    def _value(cls, v: float, info: ValidationInfo) -> float:
        measure = info.data.get("measure")
        if measure not in SIGNED_MEASURES and v < 0:
            raise _fail("negative", f"a {measure or 'figure'} cannot be negative")
        if info.data.get("unit") == "pct_gdp":
            _share_of_gdp("a share of GDP", v)
        return v

    @field_validator("estimate", mode="before")
    @classmethod
    def _estimate(cls, v: object) -> object:
        v = _blank_to_none(v)
        if v is None or isinstance(v, bool):
            return v
        if str(v) not in ("0", "1"):
            raise _fail("invalid_value", "estimate must be 0 or 1")
        return str(v) == "1"

    @field_validator("edition")
    @classmethod
    def _edition(cls, v: str) -> str:
        if not EDITION_RE.match(v):
            raise _fail(
                "invalid_value", "edition must read 'PUBLISHER YYYY-MM', e.g. 'NATO 2025-08'"
            )
        return v


class UserAlly(_Row):
    """A row of a user's table for the exploitation test: ``actor``, ``gdp`` and ``burden``
    (% of GDP) or ``spending`` (the unit of ``gdp``); :attr:`burden_pct` is the burden either
    way. Columns the test does not read are the caller's to leave out."""

    actor: str
    gdp: Annotated[float, _number("gdp", percent=True)]
    burden: Annotated[float | None, _number("burden", percent=True), _not_negative("burden")] = None
    spending: Annotated[
        float | None, _number("spending", percent=True), _not_negative("spending")
    ] = None

    @field_validator("gdp")
    @classmethod
    def _gdp(cls, v: float) -> float:
        if v <= 0:
            raise _fail("not_positive", "GDP must be positive")
        return v

    @field_validator("burden")
    @classmethod
    def _burden(cls, v: float | None) -> float | None:
        return _share_of_gdp("a burden", v)

    @model_validator(mode="after")
    def _burden_or_spending(self) -> UserAlly:
        if self.burden is None and self.spending is None:
            if {"burden", "spending"} <= self.model_fields_set:
                raise _fail("required", "give burden or spending", "burden")
            column = "burden" if "burden" in self.model_fields_set else "spending"
            raise _fail("required", "a value is required", column)
        if self.burden is None and self.burden_pct > 100:
            raise _fail(
                "out_of_range",
                "spending above GDP: are spending and gdp in the same unit?",
                "spending",
            )
        return self

    @property
    def burden_pct(self) -> float:
        if self.burden is not None:
            return self.burden
        return 100 * self.spending / self.gdp  # type: ignore[operator]


_SIPRI_CELL = "expected a number or a SIPRI marker ('...', 'xxx')"


class SipriRow(_Row):
    """A country row of a measure sheet of SIPRI's workbook: its name and its year cells, each
    a figure that is not negative or ``None`` (the importer reads SIPRI's markers, and an empty
    cell, as ``None`` before)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    country: str | None = Field(alias="Country")
    cells: dict[
        str,
        Annotated[
            float | None,
            _number("cell", message=_SIPRI_CELL),
            _not_negative("military expenditure"),
        ],
    ]

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str:
        if v is None:
            raise _fail("required", "a row with figures has no country name")
        return v


RECORD_TYPES: dict[str, type[_Row]] = {
    "actors": Actor,
    "ties": Tie,
    "events": Event,
    "spending": Spending,
    "exploitation": UserAlly,
    "sipri": SipriRow,
}
# Fields whose errors are located one level down (a SIPRI row's year cells by their year).
_NESTED = {"cells"}

# Pydantic names rule types; the codebook names rules. This maps the first to the second.
_RULES = {
    "missing": "required",
    "string_type": "required",
    "literal_error": "unknown_value",
    "int_parsing": "not_an_integer",
    "int_from_float": "not_an_integer",
    "date_from_datetime_parsing": "bad_date",
    "date_parsing": "bad_date",
    "extra_forbidden": "unknown_column",
}


def _rule_for(err: dict, column: str, value: str | None) -> str:
    blank = value is None or not str(value).strip()
    if column in SOURCE_COLUMNS and blank:
        return "missing_source"
    if err["type"] == "literal_error" and column == "kind":
        return "unknown_kind"
    if blank and err["type"] not in ("extra_forbidden",):
        # A blank cell that fails is a required column left empty, whatever its type.
        return "required"
    return _RULES.get(err["type"], err["type"])


# What pydantic says in its words, said in the codebook's.
_MESSAGES = {
    "required": "a value is required",
    "missing_source": "every row cites its source",
}


@dataclass
class RowResult:
    record: _Row | None
    issues: list[Issue] = field(default_factory=list)


def _issues(exc: ValidationError, row: dict[str, str], file: str, row_no: int) -> list[Issue]:
    issues = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        column = (loc[1] if loc[0] in _NESTED and len(loc) > 1 else loc[0]) if loc else None
        msg = str(err["msg"]).removeprefix("Value error, ")
        rule = None
        if err["type"] == "value_error" and msg.count("|") >= 2:
            named, rule, msg = msg.split("|", 2)
            column = named or column or None
        value = row.get(column) if column else None
        if rule is None:
            rule = _rule_for(err, column or "", value)
            if err["type"] == "literal_error" and "expected" in (err.get("ctx") or {}):
                msg = f"{column} must be one of {err['ctx']['expected']}"
            msg = _MESSAGES.get(rule, msg)
        issues.append(Issue(file, row_no, column, rule, None if msg is None else msg, value))
    return issues


# A note that starts with this marks a weak source kept on purpose (see the codebook).
WEAK_MARK = "WEAK SOURCE:"
LISTED_WEAK_RULE = "weak_source_listed"


def review_warnings(row: dict[str, str], file: str, row_no: int) -> list[Issue]:
    """The review-trail rules a usable row may still break, as warnings: a weak source
    (:func:`~alliancekit.schema.weak_source`) and no ``verified_on`` date."""
    out = []
    url = (row.get("source_url") or "").strip()
    weak = weak_source(url)
    if weak and (row.get("note") or "").lstrip().startswith(WEAK_MARK):
        # Kept on purpose: no better source was found, the note says so and the codebook lists
        # the row. Reported, but not a failure of --strict.
        out.append(
            Issue(
                file,
                row_no,
                "source_url",
                LISTED_WEAK_RULE,
                f"weak source ({weak}), kept and listed: no better source was found",
                url,
                "warning",
            )
        )
    elif weak:
        out.append(
            Issue(
                file,
                row_no,
                "source_url",
                "weak_source",
                f"weak source ({weak}); cite the official, organisation or agency page",
                url,
                "warning",
            )
        )
    if not (row.get("verified_on") or "").strip():
        out.append(
            Issue(
                file,
                row_no,
                "verified_on",
                "missing_verification",
                "no verified_on date (the day the source was read)",
                None,
                "warning",
            )
        )
    return out


def validate_row(
    table: str, row: dict[str, object], file: str, row_no: int, data: dict | None = None
) -> RowResult:
    """Validate one row of ``table`` (a key of :data:`RECORD_TYPES`) into a record, or into
    issues naming each column and rule.

    ``row`` is the row as read (strings, for a CSV row); ``data``, when given, is what the record
    is built from instead (e.g. a SIPRI row's cells), ``row`` then names the values in messages.
    A valid row of a curated table may still carry warnings (:func:`review_warnings`) in
    ``issues``.
    """
    model = RECORD_TYPES[table]
    reviewed = issubclass(model, _Record)
    try:
        record = model.model_validate(row if data is None else data)
    except ValidationError as exc:
        issues = _issues(exc, row, file, row_no)  # type: ignore[arg-type]
        if reviewed:
            issues += review_warnings(row, file, row_no)  # type: ignore[arg-type]
        return RowResult(None, issues)
    return RowResult(record, review_warnings(row, file, row_no) if reviewed else [])  # type: ignore[arg-type]


def validate_provenance(row: dict[str, str], file: str, row_no: int) -> list[Issue]:
    """The ``source_kind`` and ``verified_on`` rules (errors) and the review warnings of one row
    of a table that validates its other columns itself."""
    fields = {c: row.get(c) for c in PROVENANCE_COLUMNS if c in row}
    try:
        Provenance.model_validate(fields)
        errors: list[Issue] = []
    except ValidationError as exc:
        errors = _issues(exc, row, file, row_no)
    return errors + review_warnings(row, file, row_no)
