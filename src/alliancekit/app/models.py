"""Typed response models of the API (pydantic). Names and units are those of the CLI and the
Python API: money in US$ mn (current prices), burdens in % of GDP, strengths on the codebook's
ordinal scale. Every response carries the dataset's version and as-of date (``dataset``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class DatasetMeta(BaseModel):
    title: str
    version: str
    as_of: str
    licence: str


class Envelope(BaseModel):
    dataset: DatasetMeta


class ErrorOut(BaseModel):
    detail: str
    parameter: str | None = None


ERRORS = {
    400: {"model": ErrorOut, "description": "A parameter cannot be used (the message names it)"},
    413: {"model": ErrorOut, "description": "The request is too large"},
    429: {"model": ErrorOut, "description": "Too many expensive requests; retry later"},
}


# -- the curated tables ------------------------------------------------------------------------


class Source(BaseModel):
    source_url: str | None = None
    source_publisher: str | None = None
    source_accessed: str | None = None


class Actor(Source):
    actor_id: str
    name: str
    kind: str
    iso3: str | None = None
    cow_code: int | None = None
    gw_code: int | None = None
    theatre: str
    note: str | None = None


class ActorsOut(Envelope):
    count: int
    actors: list[Actor]


class Tie(Source):
    tie_id: str
    kind: str
    actor_a: str
    actor_b: str
    name_a: str
    name_b: str
    name: str
    signed: str | None = None
    in_force: str | None = None
    ended: str | None = None
    strength: int
    note: str | None = None


class TiesOut(Envelope):
    total: int = Field(description="rows that pass the filters")
    count: int = Field(description="rows in this page")
    offset: int
    ties: list[Tie]


class Event(Source):
    event_id: str
    date: str
    kind: str
    actors: list[str]
    title: str
    note: str | None = None


class EventsOut(Envelope):
    total: int
    count: int
    offset: int
    events: list[Event]


class TimelineStep(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    date: str
    what: str
    kind: str
    with_: str = Field(alias="with")
    title: str
    id: str
    source_publisher: str | None = None
    source_url: str | None = None


class TimelineOut(Envelope):
    actor: str
    with_actor: str | None = None
    names: dict[str, str]
    steps: list[TimelineStep]


class Citation(BaseModel):
    source_publisher: str | None = None
    source_url: str | None = None
    source_accessed: str | None = None
    tables: str
    rows: int


class CitationsOut(Envelope):
    citation: str
    sources: list[Citation]


# -- the network -------------------------------------------------------------------------------


class ActorMeasure(BaseModel):
    actor: str
    name: str
    theatre: str
    degree: int
    strength: float | None = None
    eigenvector: float | None = None
    betweenness: float | None = None
    closeness: float | None = None
    clustering: float | None = None


class MeasuresOut(Envelope):
    year: int
    on: str = Field(description="the day of the graph (a year: its last day, or the as-of date)")
    graph: str
    hub: str
    weighted: bool
    measures: dict[str, float | None]
    descriptions: dict[str, str]
    actors: list[ActorMeasure]


class Node(BaseModel):
    id: str
    name: str
    theatre: str
    x: float
    y: float
    degree: int
    strength: float | None = None
    eigenvector: float | None = None
    betweenness: float | None = None
    closeness: float | None = None
    clustering: float | None = None


class Edge(BaseModel):
    a: str
    b: str
    weight: float
    ties: int
    kinds: list[str]
    basis: list[str]
    via: list[str]
    cross_theatre: bool


class GraphOut(Envelope):
    year: int
    on: str = Field(description="the day of the graph (a year: its last day, or the as-of date)")
    graph: str
    nodes: list[Node]
    edges: list[Edge]


class SeriesOut(Envelope):
    first: int
    last: int
    measures: list[str]
    rows: list[dict[str, float | int | None]]


# -- scenarios ---------------------------------------------------------------------------------


class MeasureChange(BaseModel):
    measure: str
    before: float | None = None
    after: float | None = None
    change: float | None = None


class NewTie(BaseModel):
    a: str
    b: str
    name_a: str
    name_b: str
    theatre_a: str
    theatre_b: str
    cost: float
    shared: int


class GapFillOut(BaseModel):
    hub: str
    k: int
    theatre: str | None = None
    graph: str
    allies: list[str]
    components_without_hub: int
    isolated_without_hub: list[str]
    new_ties: list[NewTie]
    total_cost: float
    k_edge_connected_after: bool
    cost_rule: str


class GapFillResponse(Envelope):
    year: int
    gap_fill: GapFillOut


class ScenarioOut(Envelope):
    year: int
    scenario: str
    graph: str
    hub: str
    notes: list[str]
    measures: list[MeasureChange]
    isolated: list[str] = Field(
        description="the hub's partners left with no tie at all without it (remove the hub)"
    )
    gap_fill: GapFillOut | None = None
    gap_fill_error: str | None = None


class TieIn(BaseModel):
    a: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,15}$", max_length=16)
    b: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,15}$", max_length=16)
    strength: float = Field(3.0, gt=0, le=5)


class AddTiesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1949, le=2100)
    ties: list[TieIn] = Field(min_length=1, max_length=25)
    hub: str = Field("USA", pattern=r"^[A-Z][A-Z0-9_]{1,15}$", max_length=16)


class AddMembersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1949, le=2100)
    organisation: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,15}$", max_length=16)
    states: list[str] = Field(min_length=1, max_length=25)
    strength: float | None = Field(None, gt=0, le=5)
    hub: str = Field("USA", pattern=r"^[A-Z][A-Z0-9_]{1,15}$", max_length=16)


# -- burden sharing ----------------------------------------------------------------------------


class BurdenRow(BaseModel):
    model_config = ConfigDict(extra="allow")

    actor_id: str
    name: str | None = None
    year: int
    spending_usd_mn: float | None = None
    gdp_usd_mn: float | None = None
    burden_pct: float | None = None
    share_spending_pct: float | None = None
    share_gdp_pct: float | None = None
    fair_share_ratio: float | None = None
    meets_2pct: bool | None = None
    gap_2pct_usd_mn: float | None = None
    meets_3_5pct: bool | None = None
    gap_3_5pct_usd_mn: float | None = None
    estimate: bool | None = None
    edition: str | None = None
    source_url: str | None = None


class BurdenTotals(BaseModel):
    model_config = ConfigDict(extra="allow")

    year: int
    alliance: str
    members: int
    with_figures: int
    spending_usd_mn: float | None = None
    gdp_usd_mn: float | None = None
    burden_pct: float | None = None
    hub: str | None = None
    hub_share_spending_pct: float | None = None
    hub_share_gdp_pct: float | None = None
    meeting_2pct: int | None = None
    meeting_3_5pct: int | None = None
    missing: list[str] = []


class BurdenTableOut(Envelope):
    year: int
    alliance: str
    edition: str | None = None
    guidelines: dict[str, float]
    totals: BurdenTotals
    allies: list[BurdenRow]


class BurdenSeriesRow(BaseModel):
    year: int
    members: int | None = None
    with_figures: int | None = None
    spending_usd_mn: float | None = None
    gdp_usd_mn: float | None = None
    burden_pct: float | None = None
    hub_share_spending_pct: float | None = None
    hub_share_gdp_pct: float | None = None
    meeting_2pct: int | None = None
    meeting_3_5pct: int | None = None
    gap_2pct_usd_mn: float | None = None


class BurdenSeriesOut(Envelope):
    alliance: str
    first: int
    last: int
    rows: list[BurdenSeriesRow]


class EditionsOut(Envelope):
    editions: list[str]
    years: list[int]


class ExploitationUsed(BaseModel):
    actor_id: str
    name: str | None = None
    gdp_usd_mn: float
    burden_pct: float


class ExploitationOut(Envelope):
    year: int
    alliance: str
    result: dict[str, float | int | str | bool | None]
    used: list[ExploitationUsed]


class EquilibriumAlly(BaseModel):
    actor_id: str
    name: str | None = None
    gdp: float
    spending_before: float
    spending_after: float
    change: float
    change_pct: float | None = None
    burden_before_pct: float
    burden_after_pct: float
    status: str


class FillsTheGap(BaseModel):
    actor_id: str
    change: float


class EquilibriumSummary(BaseModel):
    scenario: str
    hub: str | None = None
    total_before: float
    total_after: float
    total_change: float
    hub_change: float
    allies_change: float
    fill_ratio: float | None = None
    fills_the_gap: list[FillsTheGap]
    notes: list[str]


class EquilibriumOut(Envelope):
    year: int
    alliance: str
    summary: EquilibriumSummary
    allies: list[EquilibriumAlly]


# -- charts ------------------------------------------------------------------------------------


class ChartOut(Envelope):
    """A chart of :mod:`alliancekit.charts`, the spec the report draws too: plotly.js's
    ``data`` (traces) and ``layout``, and the ``config`` both places draw it with."""

    chart: str
    data: list[dict[str, Any]]
    layout: dict[str, Any]
    config: dict[str, Any]


# -- meta and sweeps ---------------------------------------------------------------------------


class MetaOut(Envelope):
    first_year: int
    last_year: int
    tie_kinds: list[str]
    event_kinds: list[str]
    theatres: list[str]
    actor_measures: list[str]
    graph_measures: dict[str, str]
    editions: list[str]
    sweep: bool


class SweepColumn(BaseModel):
    column: str
    n: int
    mean: float | None = None
    p05: float | None = None
    p50: float | None = None
    p95: float | None = None
    bins: list[float]
    counts: list[int]
    p_above: float | None = None


class SweepOut(Envelope):
    file: str
    rows: int
    threshold: float | None = None
    columns: list[SweepColumn]
