"""The HTTP side of the app, below the routes: security headers and the body limit
(:class:`Limits`), the replay of answered GET requests (:class:`ResponseCache`), the dashboard's
static files read once into memory (:func:`assets`), and JSON answers."""

import gzip
import time
from importlib import resources
from pathlib import Path

from fastapi.responses import JSONResponse, Response

MAX_BODY = 16 * 1024  # bytes

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

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}


def assets() -> dict[str, tuple[bytes, str]]:
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
                    TYPES.get(ext, "text/plain; charset=utf-8")
                    if ext != ".LICENSE"
                    else "text/plain; charset=utf-8",
                )

    walk(root, "")
    try:  # the same plotly.js the report inlines
        from alliancekit.charts import plotly_js_path

        out["/static/vendor/plotly.min.js"] = (plotly_js_path().read_bytes(), TYPES[".js"])
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - plotly is a dependency
        pass
    return out


class Limits:
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


def accepts_gzip(scope) -> bool:
    for k, v in scope.get("headers") or []:
        if k == b"accept-encoding":
            return b"gzip" in v
    return False


class ResponseCache:
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
            if packed is not None and accepts_gzip(scope):
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


def json_response(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")
