"""The API's parameter types: vocabularies as enums, the alliance pattern, and those that
depend on the loaded data (years, actor ids), gathered in a :class:`Context` per app."""

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Query

from alliancekit.schema import ACTOR_KINDS, EVENT_KINDS, THEATRES, TIE_KINDS

MAX_PAGE = 1000

TieKind = Literal[TIE_KINDS]  # type: ignore[valid-type]
EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
Theatre = Literal[THEATRES]  # type: ignore[valid-type]
ActorKind = Literal[ACTOR_KINDS]  # type: ignore[valid-type]
Table = Literal["actors", "ties", "events"]
Alliance = Annotated[
    str,
    Query(
        pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}([+,][A-Za-z][A-Za-z0-9_]{0,15}){0,40}$",
        max_length=400,
        description="NATO, IP4, an organisation or framework id, actor ids; join with '+'",
    ),
]


@dataclass(frozen=True)
class Context:
    """What the routes of one app share: the data's first and last year, the types of a year,
    a day and an actor id of the loaded data, the error answers, and ``get`` (a GET route with
    its response model and those errors)."""

    first: int
    last: int
    Year: Any
    Day: Any
    ActorId: Any
    ActorIdOrNone: Any
    errors: dict
    get: Any
