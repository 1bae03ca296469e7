"""The dashboard's page and static files (read into memory at start)."""

from fastapi.responses import JSONResponse, Response

from alliancekit.app.params import (
    Context,
)


def add_routes(app, svc, p: Context, **extra) -> None:
    """Add this module's routes to ``app`` (answers computed by ``svc``)."""
    assets = extra["assets"]

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
