"""Run the ``alliancekit`` command in this process (:func:`run`), so that coverage sees the CLI
and a test does not pay for a Python start and the imports; or in a real subprocess
(:func:`run_subprocess`), for one smoke test per command group. Both return a
:class:`subprocess.CompletedProcess` (``returncode``, ``stdout``, ``stderr``)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


@contextlib.contextmanager
def _environment(values: dict[str, str], cwd: Path | None):
    saved = {k: os.environ.get(k) for k in values}
    here = Path.cwd()
    os.environ.update(values)
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(here)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``alliancekit ARGS`` through :func:`alliancekit.cli.main`, its output captured: the exit
    code as the command line gives it (alliancekit's errors and usage errors exit 1)."""
    from alliancekit.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with _environment({**ENV, **(env or {})}, cwd):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if not isinstance(exc.code, int | None):
                    print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess(["alliancekit", *args], code, out.getvalue(), err.getvalue())


def run_subprocess(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python -m alliancekit ARGS`` in a new process: the command as a user starts it."""
    return subprocess.run(
        [sys.executable, "-m", "alliancekit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV, **(env or {})},
        cwd=cwd,
        timeout=120,
    )
