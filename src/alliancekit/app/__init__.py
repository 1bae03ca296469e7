"""``alliancekit serve``: the local dashboard and its JSON API (FastAPI on uvicorn).

    >>> from alliancekit.app import create_app
    >>> app = create_app()            # the API under /api/, the dashboard at /

See :mod:`alliancekit.app.api` for the routes and their limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(extra: Iterable[str | Path] = (), sweep: str | Path | None = None, **kw):
    """The FastAPI application (see :func:`alliancekit.app.api.create_app`)."""
    from alliancekit.app.api import create_app as _create

    return _create(extra, sweep, **kw)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    extra: Iterable[str | Path] = (),
    sweep: str | Path | None = None,
    echo=print,
) -> None:
    """Start the server (blocks). Binds to loopback unless told otherwise; opens nothing."""
    import uvicorn

    from alliancekit.schema import ParameterError

    if not 0 < port < 65536:
        raise ParameterError("port", f"a port is 1–65535, not {port}")
    if sweep is not None and not Path(sweep).is_file():
        raise ParameterError("sweep", f"file not found: {sweep}")
    loopback = host in LOOPBACK or host.startswith("127.")
    hosts = None if not loopback else [*LOOPBACK, host]
    app = create_app(extra, sweep, allowed_hosts=hosts)
    if not loopback:
        echo(
            f"warning: listening on {host}, not loopback: anyone who can reach this machine "
            "can read the dashboard"
        )
    shown = f"[{host}]" if ":" in host else host
    echo(
        f"alliancekit dashboard at http://{shown}:{port}/ (API under /api/, schema at /openapi.json)"
    )
    import threading

    threading.Thread(target=app.state.warm, name="alliancekit-warm", daemon=True).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
