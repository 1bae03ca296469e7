"""The ``alliancekit`` command. Each concern adds its commands from a module of this package.

Heavy libraries are imported inside the commands, so that ``alliancekit --help`` and quick
commands start fast.
"""

from __future__ import annotations

import sys

import typer

from alliancekit.cli import burden as _burden
from alliancekit.cli import catalog as _catalog
from alliancekit.cli import data as _data
from alliancekit.cli import main_commands as _main_commands
from alliancekit.cli import network as _network
from alliancekit.cli import panel as _panel
from alliancekit.cli import simulate as _simulate

app = typer.Typer(
    name="alliancekit",
    help="Analyse the system of alliances and security partnerships.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(_data.app, name="data")
_catalog.register(_data.app)
app.add_typer(_panel.app, name="panel")
_main_commands.register(app)
app.add_typer(_burden.app, name="burden")
app.add_typer(_network.app, name="network")
app.add_typer(_network.scenario_app, name="scenario")
app.add_typer(_simulate.app, name="simulate")


def main(argv: list[str] | None = None) -> None:
    """Entry point: alliancekit's own errors print as one clear message and exit 1."""
    from alliancekit.schema import AlliancekitError

    try:
        app(args=argv, prog_name="alliancekit")
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
