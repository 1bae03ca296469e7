"""The ``alliancekit`` command. Each concern adds its commands from a module of this package.

Heavy libraries are imported inside the commands, so that ``alliancekit --help`` and quick
commands start fast. For the same reason :func:`main` builds only the part of the command
tree a command line names (``alliancekit panel ...`` imports and builds the ``panel`` group
and the top-level commands, not ``burden``, ``network`` …): building the whole tree imports
every command module and has typer inspect some ninety functions, ≈ 0.05 s of each start.
``app`` (the whole tree, for ``--help``, tests and documentation) is built on first use.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

# A group's name on the command line -> (module, attribute of its Typer); in the order the
# whole tree lists them. "import" commands join the data group (cli.catalog).
_GROUPS: dict[str, tuple[str, str]] = {
    "data": ("alliancekit.cli.data", "app"),
    "panel": ("alliancekit.cli.panel", "app"),
    "burden": ("alliancekit.cli.burden", "app"),
    "network": ("alliancekit.cli.network", "app"),
    "scenario": ("alliancekit.cli.network", "scenario_app"),
    "simulate": ("alliancekit.cli.simulate", "app"),
}

_data_import_added = False


def build_app(groups: tuple[str, ...] | None = None) -> typer.Typer:
    """The command tree: the top-level commands and ``groups`` (all of them when None)."""
    from alliancekit.cli import main_commands

    wanted = tuple(_GROUPS) if groups is None else groups
    root = typer.Typer(
        name="alliancekit",
        help="Analyse the system of alliances and security partnerships.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    for name in _GROUPS:
        if name == "burden":  # the whole tree lists the top-level commands before burden
            main_commands.register(root)
        if name not in wanted:
            continue
        module, attr = _GROUPS[name]
        sub = getattr(importlib.import_module(module), attr)
        if name == "data" and not _data_import_added:
            from alliancekit.cli import catalog

            catalog.register(sub)  # adds to the data group itself: once per process
            globals()["_data_import_added"] = True
        root.add_typer(sub, name=name)
    return root


def _command_named(argv: list[str]) -> str | None:
    """The first word of the command line that is not an option: its command or group."""
    return next((a for a in argv if not a.startswith("-")), None)


def _groups_named(argv: list[str]) -> tuple[str, ...] | None:
    """The group the command line names, or None (no group, --help, a typo: the whole tree,
    so that help and "no such command" list everything)."""
    first = _command_named(argv)
    if first in _GROUPS:
        return (first,)
    from alliancekit.cli import main_commands

    return () if first in main_commands.COMMANDS else None


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Commands that run for as long as the user wants (a server) or stream without bound (sweeps):
# Python's garbage collection stays on while they run.
_LONG_RUNNING = ("serve", "simulate")


def _exit_fast() -> None:
    """At exit, the interpreter's last garbage collections walk the hundreds of thousands of
    objects that importing polars, numpy, pydantic and networkx created: 0.15-0.3 s of a
    command. Freezing them first skips that walk. Registered before the command runs, so it
    runs after every exit handler the command's libraries register (they run last in, first
    out); nothing is left to collect by then — outputs are written and closed, and the
    standard streams are flushed anyway."""
    atexit.unregister(gc.freeze)  # once, however many commands a process runs
    atexit.register(gc.freeze)


@contextmanager
def _gc_paused(args: list[str]) -> Iterator[None]:
    """No cyclic garbage collection while a bounded command runs: it creates few cycles, but
    importing its libraries creates many objects, and the collections those allocations
    trigger walk everything the imports left (the report: 1.9 s -> 1.7 s median)."""
    if _command_named(args) in _LONG_RUNNING or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> None:
    """Entry point: alliancekit's own errors print as one clear message and exit 1."""
    from alliancekit.schema import AlliancekitError

    args = sys.argv[1:] if argv is None else list(argv)
    _exit_fast()
    try:
        with _gc_paused(args):
            build_app(_groups_named(args))(args=args, prog_name="alliancekit")
    except SystemExit as exc:
        # Usage errors (a wrong option, a value of the wrong type) exit 1 like every other
        # refused input: the README promises one exit code for bad input.
        if exc.code == 2:
            sys.exit(1)
        raise
    except AlliancekitError as exc:
        from alliancekit.cli._output import error

        error(str(exc))
        sys.exit(1)
