"""The FastAPI application: the JSON API under ``/api/`` and the dashboard at ``/``.

Read-only. Every parameter is validated (a 400 or 422 answer names it, never a 5xx); request
bodies are capped; expensive scenarios not yet cached pass a rate limit; CORS is closed (no
cross-origin headers are sent); every answer carries security headers, with a Content Security
Policy that allows scripts from this origin only. Static assets are read once at start into
memory and served by exact name: no part of a request reaches the file system.
"""

import gzip
import time
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware

from alliancekit.app import models as m
from alliancekit.app.service import Service, TooManyRequests
from alliancekit.schema import ACTOR_KINDS, EVENT_KINDS, THEATRES, TIE_KINDS, ParameterError

MAX_BODY = 16 * 1024  # bytes
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

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}


def _assets() -> dict[str, tuple[bytes, str]]:
    """The dashboard's files (and plotly.js from the plotly wheel), by URL path."""
    out: dict[str, tuple[bytes, str]] = {}
    root = resources.files("alliancekit.app") / "static"

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                ext = Path(child.name).suffix
                out[f"/static/{prefix}{child.name}"] = (
                    child.read_bytes(),
                    _TYPES.get(ext, "text/plain; charset=utf-8")
                    if ext != ".LICENSE"
                    else "text/plain; charset=utf-8",
                )

    walk(root, "")
    try:
        plotly_dir = resources.files("plotly") / "package_data"
        out["/static/vendor/plotly.min.js"] = (
            (plotly_dir / "plotly.min.js").read_bytes(),
            _TYPES[".js"],
        )
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - plotly is a dependency
        pass
    return out


class _Limits:
    """Pure ASGI middleware: security headers on every answer (and ``Server-Timing``, the time
    the server took to start answering); request bodies capped."""

    def __init__(self, app, max_body: int = MAX_BODY):
        self.app = app
        self.max_body = max_body
        self.headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        t0 = time.perf_counter()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                took = f"app;dur={1000 * (time.perf_counter() - t0):.2f}".encode()
                message["headers"] = [
                    *message.get("headers", []),
                    *self.headers,
                    (b"server-timing", took),
                ]
            await send(message)

        if scope["method"] in ("POST", "PUT", "PATCH"):
            length = dict(scope.get("headers") or []).get(b"content-length")
            too_big = length is not None and (not length.isdigit() or int(length) > self.max_body)
            chunks: list[bytes] = []
            if not too_big:
                size = 0
                while True:
                    msg = await receive()
                    if msg["type"] == "http.disconnect":
                        return
                    chunks.append(msg.get("body", b""))
                    size += len(chunks[-1])
                    if size > self.max_body:
                        too_big = True
                        break
                    if not msg.get("more_body"):
                        break
            if too_big:
                resp = JSONResponse(
                    {"detail": f"request body over {self.max_body} bytes", "parameter": "body"},
                    status_code=413,
                )
                await resp(scope, receive, send_with_headers)
                return
            body = b"".join(chunks)
            sent = False

            async def replay():
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _accepts_gzip(scope) -> bool:
    for k, v in scope.get("headers") or []:
        if k == b"accept-encoding":
            return b"gzip" in v
    return False


class _ResponseCache:
    """Pure ASGI middleware: the answers of GET ``/api/`` requests, by exact path and query
    string, replayed without routing or validation. The data are read-only, so an answer never
    changes; only 200 answers are kept (a refusal or a rate-limit answer is not). Answers of
    2 KiB or more are also kept gzipped, for clients that accept it. Sits inside the Host
    check and the security headers, which apply to every replay."""

    def __init__(self, app, max_entries: int = 4096):
        self.app = app
        self.max_entries = max_entries
        self.store: dict[tuple, tuple] = {}

    async def __call__(self, scope, receive, send):
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        hit = self.store.get(key)
        if hit is not None:
            headers, body, packed = hit
            if packed is not None and _accepts_gzip(scope):
                headers = [*packed[0]]
                body = packed[1]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict = {}
        parts: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    if len(self.store) >= self.max_entries:
                        self.store.pop(next(iter(self.store)))
                    headers = [h for h in start.get("headers", []) if h[0] != b"content-length"]
                    body = b"".join(parts)
                    packed = None
                    if len(body) >= 2048:
                        z = gzip.compress(body, compresslevel=6, mtime=0)
                        packed = (
                            [
                                *headers,
                                (b"content-encoding", b"gzip"),
                                (b"content-length", str(len(z)).encode()),
                                (b"vary", b"accept-encoding"),
                            ],
                            z,
                        )
                    plain = [
                        *headers,
                        (b"content-length", str(len(body)).encode()),
                        (b"vary", b"accept-encoding"),
                    ]
                    self.store[key] = (plain, body, packed)
            await send(message)

        await self.app(scope, receive, capture)


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


def create_app(
    extra: Iterable[str | Path] = (),
    sweep: str | Path | None = None,
    *,
    allowed_hosts: Iterable[str] | None = ("127.0.0.1", "localhost", "::1", "testserver"),
    service: Service | None = None,
) -> FastAPI:
    """The application. ``allowed_hosts``: Host headers answered (a guard against DNS
    rebinding of a local server); None answers any."""
    svc = service or Service(extra, sweep)
    first, last = svc.first_year, svc.last_year
    Year = Annotated[int, Query(ge=first, le=last, description=f"{first}–{last}")]
    Day = Annotated[
        str | None,
        Query(
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            max_length=10,
            description="a day YYYY-MM-DD instead of the year (ties in force on that day)",
        ),
    ]
    assets = _assets()
    # Actor ids as an enum of the loaded data (the shipped actors and any --extra ones).
    ActorId = Annotated[Literal[tuple(sorted(svc.names))], Query()]  # type: ignore[valid-type]
    ActorIdOrNone = Literal[tuple(sorted(svc.names))] | None  # type: ignore[valid-type]

    app = FastAPI(
        title="alliancekit",
        version=svc.info.version,
        description=(
            "The alliance system: actors, ties, events, network measures, burden sharing and "
            f"scenarios. Data: {svc.info.label()}. Read-only."
        ),
        docs_url=None,  # FastAPI's docs page loads Swagger UI from a CDN: not here
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.service = svc
    app.add_middleware(_ResponseCache)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(_Limits)

    @app.exception_handler(ParameterError)
    async def _param_error(request: Request, exc: ParameterError):
        return JSONResponse({"detail": str(exc), "parameter": exc.parameter}, status_code=400)

    @app.exception_handler(TooManyRequests)
    async def _too_many(request: Request, exc: TooManyRequests):
        return JSONResponse(
            {"detail": "too many scenario computations; retry in a second", "parameter": None},
            status_code=429,
            headers={"retry-after": "1"},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errs = exc.errors()
        first_err = errs[0] if errs else {}
        loc = [str(x) for x in first_err.get("loc", ()) if x not in ("query", "body", "path")]
        name = ".".join(loc) or "request"
        msg = first_err.get("msg", "invalid request")
        more = f" (and {len(errs) - 1} more problem(s))" if len(errs) > 1 else ""
        return JSONResponse(
            {"detail": f"parameter '{name}': {msg}{more}", "parameter": name}, status_code=422
        )

    errors = {**m.ERRORS, 422: {"model": m.ErrorOut, "description": "Invalid parameter"}}

    def get(path: str, model, **kw):
        return app.get(path, response_model=model, responses=errors, tags=kw.pop("tags", None))

    # -- the dashboard ---------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        body, ctype = assets["/static/index.html"]
        return Response(body, media_type=ctype, headers={"cache-control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        body, ctype = assets["/static/favicon.svg"]
        return Response(body, media_type=ctype, headers={"cache-control": "max-age=86400"})

    @app.get("/static/{name:path}", include_in_schema=False)
    async def static(name: str) -> Response:
        hit = assets.get(f"/static/{name}")
        if hit is None:
            return JSONResponse({"detail": "not found", "parameter": "path"}, status_code=404)
        cache = "max-age=86400" if name.startswith("vendor/") else "no-cache"
        return Response(hit[0], media_type=hit[1], headers={"cache-control": cache})

    # -- meta and tables -------------------------------------------------------------------------
    @get("/api/meta", m.MetaOut, tags=["data"])
    async def meta():
        """Years covered, vocabularies, measure names and spending editions."""
        return _json(await svc.acached(("meta",), svc.meta))

    @get("/api/actors", m.ActorsOut, tags=["data"])
    async def actors(theatre: Theatre | None = None, kind: ActorKind | None = None):
        """Actors (states, organisations, frameworks) with their codes, theatre and source."""
        return _json(
            await svc.acached(("actors", theatre, kind), lambda: svc.actors(theatre, kind))
        )

    @get("/api/ties", m.TiesOut, tags=["data"])
    async def ties(
        actor: ActorId = None,
        kind: TieKind | None = None,
        year: Year = None,
        theatre: Theatre | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
        date: Day = None,
    ):
        """Ties involving ``actor``, of ``kind``, in force during ``year`` (or on the day
        ``date``), touching ``theatre``; with dates (signed, in force, ended), strength and
        source."""
        day = svc.parse_day(date)
        key = ("ties", actor, kind, year, theatre, limit, offset, day)
        return _json(
            await svc.acached(key, lambda: svc.ties(actor, kind, year, theatre, limit, offset, day))
        )

    @get("/api/events", m.EventsOut, tags=["data"])
    async def events(
        actor: ActorId = None,
        kind: EventKind | None = None,
        year: Year = None,
        theatre: Theatre | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 500,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ):
        """Events (the timeline's entries) naming ``actor``, of ``kind``, in ``year``."""
        key = ("events", actor, kind, year, theatre, limit, offset)
        return _json(
            await svc.acached(key, lambda: svc.events(actor, kind, year, theatre, limit, offset))
        )

    @get("/api/timeline", m.TimelineOut, tags=["data"])
    async def timeline(
        actor: ActorId = "JPN",
        with_: Annotated[ActorIdOrNone, Query(alias="with")] = None,
    ):
        """The dated story of an actor (or a pair, with ``with``): signatures, entries into
        force, ends and events, with sources."""
        return _json(
            await svc.acached(("timeline", actor, with_), lambda: svc.timeline(actor, with_))
        )

    @get("/api/cite", m.CitationsOut, tags=["data"])
    async def cite(
        table: Table | None = None, actor: ActorId = None, kind: TieKind | EventKind | None = None
    ):
        """The sources behind a subset of the curated data, and how to cite the dataset."""
        return _json(
            await svc.acached(("cite", table, actor, kind), lambda: svc.cite(table, actor, kind))
        )

    # -- the network -----------------------------------------------------------------------------
    Kinds = Annotated[
        list[TieKind] | None, Query(max_length=len(TIE_KINDS), description="repeat for several")
    ]
    Theatres = Annotated[
        list[Theatre] | None,
        Query(alias="theatre", max_length=len(THEATRES), description="repeat for several"),
    ]

    def _norm(xs) -> tuple[str, ...] | None:
        return None if not xs else tuple(sorted(set(xs)))

    @get("/api/network/measures", m.MeasuresOut, tags=["network"])
    async def network_measures(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        kinds: Kinds = None,
        theatres: Theatres = None,
        hub: ActorId = "USA",
        weighted: bool = True,
        date: Day = None,
    ):
        """Graph measures and per-actor measures of the state graph in force in ``year`` (its
        last day; today's as-of date for the current year) or on the day ``date``."""
        k, t = _norm(kinds), _norm(theatres)
        day = svc.parse_day(date)
        key = ("measures", year, k, t, hub, weighted)
        if day is not None:
            key = ("measures-day", day, k, t, hub, weighted)
        return _json(await svc.acached(key, lambda: svc.measures(year, k, t, hub, weighted, day)))

    def warm() -> None:
        """Compute every year's graph and measures, then the US-removal scenario with
        gap-filling (newest first), into the cache: run in a background thread by
        ``alliancekit serve`` so that the slider and the scenario button find them (≈ 2 s of
        CPU; the first gap-filling also pays networkx's import, ≈ 0.4 s)."""
        years = range(last, first - 1, -1)
        for y in years:
            try:
                svc.cached(("graph", y, None, None), lambda y=y: svc.graph(y, None, None))
                svc.cached(
                    ("measures", y, None, None, "USA", True),
                    lambda y=y: svc.measures(y, None, None, "USA", True),
                )
            except ParameterError:
                continue
        for y in years:
            try:
                svc.cached(
                    ("remove", y, "USA", "USA", True, None, 1),
                    lambda y=y: svc.remove(y, "USA", "USA", True, None, 1),
                )
            except ParameterError:
                continue

    app.state.warm = warm

    @get("/api/network/graph", m.GraphOut, tags=["network"])
    async def network_graph(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        kinds: Kinds = None,
        theatres: Theatres = None,
        date: Day = None,
    ):
        """The graph for drawing (of ``year``, or of the day ``date``): nodes with names,
        theatre, layout positions and measures; edges with weight, kinds and basis (tie ids)."""
        k, t = _norm(kinds), _norm(theatres)
        day = svc.parse_day(date)
        key = ("graph", year, k, t) if day is None else ("graph-day", day, k, t)
        return _json(await svc.acached(key, lambda: svc.graph(year, k, t, day)))

    @get("/api/network/series", m.SeriesOut, tags=["network"])
    async def network_series(
        from_: Annotated[int, Query(alias="from", ge=first, le=last)] = max(first, 2000),
        to: Annotated[int, Query(ge=first, le=last)] = last,
        hub: ActorId = "USA",
    ):
        """Graph measures year by year."""
        key = ("series", from_, to, hub)
        return _json(await svc.acached(key, lambda: svc.series(from_, to, hub), expensive=True))

    # -- scenarios -------------------------------------------------------------------------------
    K = Annotated[int, Query(ge=1, le=2, description="1 connected, 2 two-edge-connected")]

    @get("/api/scenario/remove", m.ScenarioOut, tags=["scenarios"])
    async def scenario_remove(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        actor: ActorId = "USA",
        hub: ActorId = "USA",
        gap_fill: bool = True,
        theatre: Theatre | None = None,
        k: K = 1,
    ):
        """Remove an actor (the hub by default): measures before and after, the partners left
        with no tie, and the cheapest ties among the allies that reconnect them."""
        key = ("remove", year, actor, hub, gap_fill, theatre, k)
        return _json(
            await svc.acached(
                key, lambda: svc.remove(year, actor, hub, gap_fill, theatre, k), expensive=True
            )
        )

    @get("/api/scenario/weaken", m.ScenarioOut, tags=["scenarios"])
    async def scenario_weaken(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        actor: ActorId = "USA",
        factor: Annotated[float, Query(ge=0, le=10)] = 0.5,
        hub: ActorId = "USA",
    ):
        """Multiply the strength of an actor's ties by ``factor``."""
        key = ("weaken", year, actor, round(factor, 6), hub)
        return _json(
            await svc.acached(key, lambda: svc.weaken(year, actor, factor, hub), expensive=True)
        )

    @get("/api/scenario/gap-fill", m.GapFillResponse, tags=["scenarios"])
    async def scenario_gap_fill(
        year: Annotated[int, Query(ge=first, le=last)] = last,
        hub: ActorId = "USA",
        theatre: Theatre | None = None,
        k: K = 1,
    ):
        """Without the hub, the cheapest new ties among its allies that keep them connected."""
        key = ("gap-fill", year, hub, theatre, k)
        return _json(
            await svc.acached(key, lambda: svc.gap_fill(year, hub, theatre, k), expensive=True)
        )

    @app.post(
        "/api/scenario/add-ties", response_model=m.ScenarioOut, responses=errors, tags=["scenarios"]
    )
    async def scenario_add_ties(body: Annotated[m.AddTiesIn, Body()]):
        """Add ties (a, b, strength) to a year's graph: measures before and after."""
        key = ("add-ties", body.model_dump_json())
        return _json(await svc.acached(key, lambda: svc.add_ties(body), expensive=True))

    @app.post(
        "/api/scenario/add-members",
        response_model=m.ScenarioOut,
        responses=errors,
        tags=["scenarios"],
    )
    async def scenario_add_members(body: Annotated[m.AddMembersIn, Body()]):
        """New members of an organisation or framework: measures before and after."""
        key = ("add-members", body.model_dump_json())
        return _json(await svc.acached(key, lambda: svc.add_members(body), expensive=True))

    # -- burden sharing --------------------------------------------------------------------------
    SpendYear = Annotated[int, Query(ge=1949, le=last)]

    @get("/api/burden/editions", m.EditionsOut, tags=["burden"])
    async def burden_editions():
        """The spending editions (publisher and date) and the years with figures."""
        return _json(await svc.acached(("editions",), svc.burden_editions))

    @get("/api/burden/table", m.BurdenTableOut, tags=["burden"])
    async def burden_table(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        edition: Annotated[str | None, Query(max_length=40)] = None,
    ):
        """Every burden measure of a year, one row per ally, and the alliance's totals."""
        key = ("burden", year, alliance, edition)
        return _json(await svc.acached(key, lambda: svc.burden_table(year, alliance, edition)))

    @get("/api/burden/series", m.BurdenSeriesOut, tags=["burden"])
    async def burden_series(
        from_: Annotated[int, Query(alias="from", ge=1949, le=last)] = 2014,
        to: SpendYear = last,
        alliance: Alliance = "NATO",
    ):
        """Total spending, burden and the hub's (US) share of the alliance, year by year."""
        key = ("burden-series", from_, to, alliance)
        return _json(
            await svc.acached(key, lambda: svc.burden_series(from_, to, alliance), expensive=True)
        )

    @get("/api/burden/exploitation", m.ExploitationOut, tags=["burden"])
    async def burden_exploitation(year: SpendYear = min(last, 2025), alliance: Alliance = "NATO"):
        """The Olson–Zeckhauser exploitation test: do larger allies bear larger burdens?"""
        key = ("exploitation", year, alliance)
        return _json(
            await svc.acached(key, lambda: svc.exploitation(year, alliance), expensive=True)
        )

    @get("/api/burden/equilibrium", m.EquilibriumOut, tags=["burden"])
    async def burden_equilibrium(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        us_cut: Annotated[float | None, Query(ge=0, le=100)] = None,
        us_cap: Annotated[float | None, Query(ge=0, le=100)] = None,
        pledge: Annotated[
            list[Annotated[str, Query(pattern=r"^[A-Z][A-Z0-9_]{1,15}:\d{1,3}(\.\d{1,4})?$")]]
            | None,
            Query(max_length=40, description="ACTOR:PCT, e.g. DEU:3.5; repeatable"),
        ] = None,
        private_share: Annotated[float, Query(ge=0, lt=1)] = 0.0,
    ):
        """The equilibrium model of alliance spending: what the allies do when the US cuts
        (``us_cut``, % of its spending) or caps (``us_cap``, % of its GDP) and allies pledge."""
        pledges: dict[str, float] = {}
        for p in pledge or []:
            a, v = p.split(":")
            pledges[a] = float(v)
        key = (
            "equilibrium",
            year,
            alliance,
            us_cut,
            us_cap,
            tuple(sorted(pledges.items())),
            private_share,
        )
        return _json(
            await svc.acached(
                key,
                lambda: svc.equilibrium(year, alliance, us_cut, us_cap, pledges, private_share),
                expensive=True,
            )
        )

    # -- charts: each defined once (alliancekit.charts), drawn the same here and in the report ----
    @get("/api/charts/burden", m.ChartOut, tags=["charts"])
    async def chart_burden(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        edition: Annotated[str | None, Query(max_length=40)] = None,
    ):
        """Each ally's burden against the 2% and 3.5% guidelines (the report's chart)."""
        key = ("chart-burden", year, alliance, edition)
        return _json(await svc.acached(key, lambda: svc.chart_burden(year, alliance, edition)))

    @get("/api/charts/hub-share", m.ChartOut, tags=["charts"])
    async def chart_hub_share(
        from_: Annotated[int, Query(alias="from", ge=1949, le=last)] = 2014,
        to: SpendYear = last,
        alliance: Alliance = "NATO",
    ):
        """The US share of the allies' spending and GDP, year by year (the report's chart)."""
        key = ("chart-hub-share", from_, to, alliance)
        return _json(
            await svc.acached(key, lambda: svc.chart_hub_share(from_, to, alliance), expensive=True)
        )

    @get("/api/charts/exploitation", m.ChartOut, tags=["charts"])
    async def chart_exploitation(year: SpendYear = min(last, 2025), alliance: Alliance = "NATO"):
        """Each ally's burden against its size, with the test's OLS line (the report's chart)."""
        key = ("chart-exploitation", year, alliance)
        return _json(
            await svc.acached(key, lambda: svc.chart_exploitation(year, alliance), expensive=True)
        )

    @get("/api/charts/equilibrium", m.ChartOut, tags=["charts"])
    async def chart_equilibrium(
        year: SpendYear = min(last, 2025),
        alliance: Alliance = "NATO",
        us_cut: Annotated[float, Query(ge=0, le=100)] = 25.0,
    ):
        """The allies' response in equilibrium to a US cut, pure public good beside joint
        products (the report's chart)."""
        key = ("chart-equilibrium", year, alliance, us_cut)
        return _json(
            await svc.acached(
                key, lambda: svc.chart_equilibrium(year, alliance, us_cut), expensive=True
            )
        )

    @get("/api/charts/ties-over-time", m.ChartOut, tags=["charts"])
    async def chart_ties_over_time():
        """Ties in force at the end of each year, by kind (the report's chart)."""
        return _json(await svc.acached(("chart-ties-over-time",), svc.chart_ties_over_time))

    # -- sweeps ----------------------------------------------------------------------------------
    @get("/api/sweep", m.SweepOut, tags=["scenarios"])
    async def sweep(
        threshold: Annotated[float | None, Query(ge=-1e15, le=1e15)] = None,
        bins: Annotated[int, Query(ge=2, le=100)] = 20,
    ):
        """Distributions of a Monte Carlo sweep's results (given with ``--sweep``) and the
        probability that each exceeds ``threshold``."""
        return _json(
            await svc.acached(("sweep", threshold, bins), lambda: svc.sweep(threshold, bins))
        )

    return app
