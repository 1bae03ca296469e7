"""Scenario sweeps: Monte Carlo over uncertain futures, global sensitivity and scenario
discovery, in this process, on every local core or on a Dask cluster.

    >>> from alliancekit import simulate
    >>> spec = simulate.load_spec("examples/burden-sweep.toml")
    >>> info = simulate.run(spec, "results.parquet", workers=2)
    >>> simulate.summarize("results.parquet")["thresholds"]

Modules: :mod:`~alliancekit.simulate.spec` (the TOML spec and its validation),
:mod:`~alliancekit.simulate.sampling` (streams, correlation, distributions),
:mod:`~alliancekit.simulate.engine` (burden and network outputs of a block of draws),
:mod:`~alliancekit.simulate.tasks` (how the work is cut into tasks),
:mod:`~alliancekit.simulate.backends` (in-process, local processes, Dask),
:mod:`~alliancekit.simulate.handover` (local workers' results to the main process),
:mod:`~alliancekit.simulate.outputs` (the Parquet table and its summaries),
:mod:`~alliancekit.simulate.sensitivity` (Sobol' indices with SALib) and
:mod:`~alliancekit.simulate.discovery` (PRIM boxes).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliancekit.simulate.spec import SpecError, SweepSpec, load_spec, parse_spec, with_draws

_FROM_SPEC = ("SpecError", "SweepSpec", "load_spec", "parse_spec", "with_draws")


def __getattr__(name: str):
    # The spec's names load with the spec module (pydantic, numpy: a third of a second), so
    # that `simulate run` can start the workers' fork server before it imports them.
    if name in _FROM_SPEC:
        from alliancekit.simulate import spec

        return getattr(spec, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# What the local worker processes import before they fork (their fork server preloads it).
# "__main__" (multiprocessing's own default) first: a worker started from the `alliancekit`
# script would otherwise run the script again itself, importing the CLI and typer (30 ms, on
# the way to its first task).
_PRELOAD = [
    "__main__",
    "alliancekit.simulate.engine",
    "alliancekit.simulate.backends",
    "scipy.special",
]


def start_processes() -> None:
    """Start the fork server of the local worker processes now, so that it imports the engine
    while this process reads the data and prepares the sweep (:func:`run` calls it; a caller
    that has other start-up work, such as the CLI, may call it earlier). Idempotent."""
    import multiprocessing as mp
    from multiprocessing import forkserver

    mp.get_context("forkserver").set_forkserver_preload(_PRELOAD)
    forkserver.ensure_running()


def run(
    spec: SweepSpec | str | Path,
    output: str | Path,
    *,
    draws: int | None = None,
    backend: str | None = None,
    workers: int | None = None,
    scheduler=None,
    progress=None,
    data=None,
    summary: str | None = None,
):
    """Run a sweep and write its table of draws (Parquet). ``backend`` defaults to ``dask``
    when a scheduler is given, else ``processes`` (``workers``: default every core);
    ``inprocess`` runs here. ``summary`` (``"outputs"`` or ``"all"``) also summarises the
    table as it is written (in ``RunInfo.summary``: the numbers of :func:`summarize`).
    Returns a :class:`~alliancekit.simulate.backends.RunInfo`."""
    if backend is None:
        backend = "dask" if scheduler is not None else "processes"
    if backend == "processes":
        start_processes()  # the workers' imports overlap with preparing the sweep here
    from alliancekit.simulate.backends import run as run_blocks
    from alliancekit.simulate.engine import prepare
    from alliancekit.simulate.spec import SweepSpec, load_spec, with_draws

    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    if draws is not None:
        spec = with_draws(spec, draws)
    model = prepare(spec, data=data)
    return run_blocks(
        model,
        output,
        backend=backend,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        summary=summary,
    )


def summarize(path: str | Path, thresholds=None, *, parameters: bool = True) -> dict:
    """Summaries of a sweep table (see :func:`alliancekit.simulate.outputs.summarize`)."""
    from alliancekit.simulate.outputs import summarize as _summarize

    return _summarize(path, thresholds, parameters=parameters)


__all__ = [
    "SpecError",
    "SweepSpec",
    "load_spec",
    "parse_spec",
    "run",
    "start_processes",
    "summarize",
    "with_draws",
]
