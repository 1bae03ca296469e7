"""Pydantic records of the curated tables and row validation into named issues."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

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
    YEAR_MIN,
    Issue,
    PartialDate,
    weak_source,
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
# Records


class Provenance(BaseModel):
    """Who published a row's source and when it was verified: the review trail every curated
    table carries (``spending.csv`` too, which checks its other columns itself)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    source_kind: Literal[SOURCE_KINDS]  # type: ignore[valid-type]
    verified_on: dt.date | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        return _blank_to_none(v)

    @field_validator("verified_on", mode="before")
    @classmethod
    def _verified_format(cls, v: object) -> object:
        v = _blank_to_none(v)
        if isinstance(v, str) and not re.match(r"^\d{4}-\d{2}-\d{2}$", v):
            raise _fail("bad_date", "verified_on must be a full ISO date YYYY-MM-DD")
        return v

    @field_validator("verified_on")
    @classmethod
    def _verified_past(cls, v: dt.date | None) -> dt.date | None:
        if v is not None and v > dt.date.today():
            raise _fail("future_date", "verified_on is in the future")
        return v


class _Record(Provenance):
    source_url: str
    source_publisher: str
    source_accessed: dt.date
    note: str | None = None

    @field_validator("source_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://\S+$", v):
            raise _fail("bad_url", "source_url must be an http(s) URL")
        return v

    @field_validator("source_accessed", mode="before")
    @classmethod
    def _accessed(cls, v: object) -> object:
        v = _blank_to_none(v)
        if isinstance(v, str) and not re.match(r"^\d{4}-\d{2}-\d{2}$", v):
            raise _fail("bad_date", "source_accessed must be a full ISO date YYYY-MM-DD")
        return v

    @field_validator("source_accessed")
    @classmethod
    def _accessed_past(cls, v: dt.date) -> dt.date:
        if v > dt.date.today():
            raise _fail("future_date", "source_accessed is in the future")
        return v


class Actor(_Record):
    """A state, an organisation or a framework."""

    actor_id: str
    name: str
    kind: Literal["state", "organisation", "framework"]
    iso3: str | None = None
    cow_code: int | None = None
    gw_code: int | None = None
    theatre: Literal["euro_atlantic", "indo_pacific", "global", "other"]

    @field_validator("actor_id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ACTOR_ID_RE.match(v):
            raise _fail("bad_id", "actor_id must be upper-case letters, digits and '_'")
        return v

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

    tie_id: str
    kind: Literal[TIE_KINDS]  # type: ignore[valid-type]
    actor_a: str
    actor_b: str
    name: str
    signed: PartialDate | None = None
    in_force: PartialDate | None = None
    ended: PartialDate | None = None
    strength: int

    @field_validator("tie_id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise _fail("bad_id", "tie_id must be letters, digits, '_', '-' or '.'")
        return v

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

    event_id: str
    date: PartialDate
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    actors: tuple[str, ...]
    title: str

    @field_validator("event_id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID_RE.match(v):
            raise _fail("bad_id", "event_id must be letters, digits, '_', '-' or '.'")
        return v

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


RECORD_TYPES: dict[str, type[_Record]] = {"actors": Actor, "ties": Tie, "events": Event}

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
    if column in SOURCE_COLUMNS and (value is None or not str(value).strip()):
        return "missing_source"
    if err["type"] == "literal_error" and column == "kind":
        return "unknown_kind"
    if err["type"] in ("missing", "string_type") and (value is None or not str(value).strip()):
        return "required"
    return _RULES.get(err["type"], err["type"])


@dataclass
class RowResult:
    record: _Record | None
    issues: list[Issue] = field(default_factory=list)


def _issues(exc: ValidationError, row: dict[str, str], file: str, row_no: int) -> list[Issue]:
    issues = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        column = loc[0] if loc else None
        msg = str(err["msg"]).removeprefix("Value error, ")
        rule = None
        if err["type"] == "value_error" and msg.count("|") >= 2:
            named, rule, msg = msg.split("|", 2)
            column = column or named or None
        value = row.get(column) if column else None
        rule = rule or _rule_for(err, column or "", value)
        issues.append(Issue(file, row_no, column, rule, msg, value))
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


def validate_row(table: str, row: dict[str, str], file: str, row_no: int) -> RowResult:
    """Validate one CSV row (all strings) into a record, or into issues naming each column.

    A valid row may still carry warnings (:func:`review_warnings`) in ``issues``.
    """
    model = RECORD_TYPES[table]
    try:
        record = model.model_validate(row)
    except ValidationError as exc:
        return RowResult(None, _issues(exc, row, file, row_no) + review_warnings(row, file, row_no))
    return RowResult(record, review_warnings(row, file, row_no))


def validate_provenance(row: dict[str, str], file: str, row_no: int) -> list[Issue]:
    """The ``source_kind`` and ``verified_on`` rules (errors) and the review warnings of one row
    of a table that validates its other columns itself (``spending.csv``)."""
    fields = {c: row.get(c) for c in PROVENANCE_COLUMNS if c in row}
    try:
        Provenance.model_validate(fields)
        errors: list[Issue] = []
    except ValidationError as exc:
        errors = _issues(exc, row, file, row_no)
    return errors + review_warnings(row, file, row_no)
