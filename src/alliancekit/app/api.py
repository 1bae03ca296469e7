"""The FastAPI application: the JSON API under ``/api/`` and the dashboard at ``/``.

Read-only. Every parameter is validated (a 400 or 422 answer names it, never a 5xx); request
bodies are capped; expensive scenarios not yet cached pass a rate limit; CORS is closed (no
cross-origin headers are sent); every answer carries security headers, with a Content Security
Policy that allows scripts from this origin only. Static assets are read once at start into
memory and served by exact name: no part of a request reaches the file system.
"""

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from alliancekit.app import models as m
from alliancekit.app.http import CSP, MAX_BODY, SECURITY_HEADERS, Limits, ResponseCache, assets
from alliancekit.app.params import MAX_PAGE, Context
from alliancekit.app.routes import ORDER
from alliancekit.app.service import Service, TooManyRequests
from alliancekit.schema import ParameterError

__all__ = ["CSP", "MAX_BODY", "MAX_PAGE", "SECURITY_HEADERS", "create_app"]


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
    app.add_middleware(ResponseCache)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(Limits)

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

    ctx = Context(first, last, Year, Day, ActorId, ActorIdOrNone, errors, get)
    files = assets()
    for name in ORDER:
        module = importlib.import_module(f"alliancekit.app.routes.{name}")
        module.add_routes(app, svc, ctx, assets=files)
    return app
