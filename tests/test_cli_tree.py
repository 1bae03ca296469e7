"""The command line builds only the part of the command tree it names (start-up time), and
that part is the same as in the whole tree."""

from __future__ import annotations

import subprocess
import sys

import typer

from alliancekit.cli import _GROUPS, build_app, main_commands


def _tree(cmd, path=()):
    yield path, tuple(sorted(p.name for p in getattr(cmd, "params", ())))
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _tree(sub, (*path, name))


def test_each_group_alone_is_the_groups_part_of_the_whole_tree():
    whole = dict(_tree(typer.main.get_command(build_app())))
    assert {p[0] for p in whole if p} == set(_GROUPS) | set(main_commands.COMMANDS)
    for name in _GROUPS:
        part = dict(_tree(typer.main.get_command(build_app((name,)))))
        mine = {p: v for p, v in part.items() if p and p[0] == name}
        assert mine == {p: v for p, v in whole.items() if p and p[0] == name}, name
        assert set(part) - set(mine) == {p for p in whole if not p or p[0] not in _GROUPS}


def test_building_again_adds_no_command_twice():
    first = dict(_tree(typer.main.get_command(build_app())))
    build_app(("data",))
    assert dict(_tree(typer.main.get_command(build_app()))) == first
    data = typer.main.get_command(build_app(("data",))).commands["data"]
    assert len(data.commands["import"].commands) == len(set(data.commands["import"].commands))


def test_a_command_line_imports_only_its_group():
    code = (
        "import sys\n"
        "from alliancekit.cli import main\n"
        "try:\n"
        "    main(['panel', 'dyad-years', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('alliancekit.cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip().splitlines()[-1]
    assert "alliancekit.cli.panel" in loaded
    for other in ("burden", "network", "simulate", "data"):
        assert f"alliancekit.cli.{other}'" not in loaded, other


def test_no_group_or_a_typo_gets_the_whole_tree(capsys):
    from alliancekit.cli import main

    for args in (["--help"], ["burdn"]):
        try:
            main(args)
        except SystemExit:
            pass
        text = capsys.readouterr()
        shown = text.out + text.err
        for name in ("panel", "burden", "simulate") if args == ["--help"] else ("burdn",):
            assert name in shown, (args, name)


def test_garbage_collection_pauses_for_bounded_commands_only():
    import gc

    from alliancekit.cli import _gc_paused

    assert gc.isenabled()
    with _gc_paused(["report", "-o", "r.html"]):
        assert not gc.isenabled()
    assert gc.isenabled()
    for args in (["serve"], ["simulate", "run", "spec.toml"], ["--version", "serve"]):
        with _gc_paused(args):
            assert gc.isenabled(), args
    gc.disable()  # a caller that turned it off keeps it off
    try:
        with _gc_paused(["panel", "dyad-years"]):
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failing_command_turns_collection_back_on():
    import gc

    from alliancekit.cli import main

    try:
        main(["panel", "dyad-years", "--add", "nope"])
    except SystemExit as exc:
        assert exc.code == 1
    assert gc.isenabled()
