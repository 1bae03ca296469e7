"""Every command the README shows runs on the shipped data, so the README cannot drift from
the product: the shell blocks, each ``alliancekit ...`` of the command table and the Python
block. Commands run in-process (typer's runner) in a temporary folder with a temporary
catalog; those that need imported publishers' files run only with the reference tables
(``ALLIANCEKIT_TEST_DATA``) and skip without them.

The table's placeholders get the values of ``PLACEHOLDERS``; ``[optional]`` parts are left
out and ``a|b`` takes ``a`` (``data import`` takes every dataset). A new placeholder makes
the test fail until it is given a value here.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliancekit.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"

# Shell commands of the README that install or test the project: they are what runs this.
NOT_RUN = ("python3 -m venv", "pip install", "bash .ci/run")
PLACEHOLDERS = {
    "TABLE": "ties",
    "VALUES": "JPN USA",
    "ID": "JPN",
    "K": "defence_treaty",
    "Y": "2025",
    "T": "ties",
    "SPEC": "examples/burden-sweep.toml",
}
# what each dataset of `data import` reads from the reference tables
IMPORT_FILES = {
    "atop": "atop_alliance.parquet",
    "nmc": "cow_nmc.csv.gz",
    "cow-states": "cow_states.parquet",
    "gw-states": "gw_states.parquet",
    "majors": "cow_majors.parquet",
    "contiguity": "cow_contdir.csv.gz",
    "gml-mids": "gml_dirdisp.parquet",
    "igos": "cow_igo_ndy.parquet",
    "igos-states": "cow_igo_sy.parquet",
    "mindist": "cow_mindist.parquet",
    "capitals": "cow_capitals.parquet",
    "rivalries": "tss_rivalries.parquet",
}
NEEDS_IMPORTS = ("panel ", "data import")


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", _readme(), flags=re.S)


def shell_commands() -> list[str]:
    """The ``alliancekit`` commands of the shell blocks (install and test steps left out)."""
    out = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            for part in line.split("&&"):
                part = part.strip()
                if part and not part.startswith("#") and not any(n in part for n in NOT_RUN):
                    out.append(part.removeprefix(".venv/bin/"))
    return out


def table_commands() -> list[str]:
    """The first ``alliancekit ...`` code span of each row of the command table."""
    section = _readme().split("## Command line", 1)[1].split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        if line.startswith("| `alliancekit"):
            out.append(re.search(r"`(alliancekit[^`]*)`", line).group(1).replace(r"\|", "|"))
    return out


@functools.cache
def _actor_ids() -> set[str]:
    import alliancekit

    return set(alliancekit.load().actors["actor_id"].to_list())


def expand(command: str, tmp: Path) -> list[list[str]]:
    """A README command as the argument lists to run (several for ``data import``)."""
    text = re.sub(r"\s*\[[^\]]*\]", "", command)  # optional parts left out
    words = shlex.split(text, comments=True)  # a trailing "# e.g. ..." is a comment
    assert words[0] == "alliancekit", command
    words = words[1:]
    if words[:2] == ["data", "import"]:
        datasets = words[2].split("|")
        assert set(IMPORT_FILES) <= set(datasets), "a dataset the README no longer shows"
        return [["data", "import", d, f"@{d}"] for d in IMPORT_FILES]
    args: list[str] = []
    for i, w in enumerate(words):
        if "|" in w:
            w = w.split("|")[0]
        if w in PLACEHOLDERS:
            args.extend(PLACEHOLDERS[w].split())
        elif w in ("PATH", "FILE"):
            prev = words[i - 1] if i else ""
            fmt = args[args.index("--format") + 1] if "--format" in args else "csv"
            args.append(str(tmp / f"out.{fmt}") if prev in ("-o", "--output") else w)
        elif w.isupper() and len(w) > 1 and w not in _actor_ids():
            pytest.fail(f"README command {command!r}: no value for the placeholder {w}")
        else:
            args.append(w)
    return [args]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder to run in, with its own catalog (ALLIANCEKIT_HOME)."""
    tmp = tmp_path_factory.mktemp("readme")
    import shutil

    # The README's commands name files of the checkout (the worked sweep examples).
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", tmp / "examples")
    old_cwd, old_home = Path.cwd(), os.environ.get("ALLIANCEKIT_HOME")
    os.chdir(tmp)
    os.environ["ALLIANCEKIT_HOME"] = str(tmp / "home")
    yield tmp
    os.chdir(old_cwd)
    if old_home is None:
        os.environ.pop("ALLIANCEKIT_HOME", None)
    else:
        os.environ["ALLIANCEKIT_HOME"] = old_home


@pytest.fixture(scope="module")
def imported(workdir):
    """The reference tables imported with the README's `data import` commands (skips without
    them)."""
    value = os.environ.get("ALLIANCEKIT_TEST_DATA")
    if not value:
        pytest.skip("ALLIANCEKIT_TEST_DATA is not set: the commands that need imported files")
    data = Path(value)
    cmd = next(c for c in table_commands() if c.startswith("alliancekit data import"))
    for args in expand(cmd, workdir):
        args[-1] = str(data / IMPORT_FILES[args[2]])
        _run(args)
    return workdir


def _serve(args: list[str]) -> None:
    """`alliancekit serve` runs until stopped: start it on a free loopback port, wait for its
    API to answer, then stop it."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if "--port" in args:
        args[args.index("--port") + 1] = str(port)
    else:
        args += ["--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "alliancekit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"alliancekit {shlex.join(args)} ended: {proc.stdout.read()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=2) as r:
                    assert r.status == 200
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"alliancekit {shlex.join(args)} did not answer within 90 s")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _run(args: list[str]) -> None:
    if args[:1] == ["serve"]:
        _serve(args)
        return
    r = CliRunner().invoke(app, args)
    if r.exit_code != 0:
        raise AssertionError(
            f"alliancekit {shlex.join(args)} exited {r.exit_code}:\n{r.output}\n{r.exception!r}"
        )


def _commands() -> list[str]:
    """Shell commands, then the table's (less those a shell command already runs)."""
    shell = shell_commands()
    table = [
        c
        for c in table_commands()
        if not any(s.startswith(re.sub(r"\s*\[[^\]]*\]", "", c)) for s in shell)
    ]
    return list(dict.fromkeys(shell + table))


def test_the_readme_shows_commands():
    assert any(c.startswith("alliancekit report") for c in shell_commands())
    assert len(table_commands()) >= 15


@pytest.mark.parametrize("command", _commands())
def test_readme_command_runs(command, workdir, request):
    if any(command.startswith("alliancekit " + n) for n in NEEDS_IMPORTS):
        if command.startswith("alliancekit data import"):
            request.getfixturevalue("imported")  # runs them
            return
        request.getfixturevalue("imported")
    for args in expand(command, workdir):
        _run(args)


def test_readme_python_block_runs(workdir, request):
    """The Python block, in the same folder and catalog; the part after the comment that
    names an import runs with the reference tables only."""
    (block,) = _blocks("python")
    head, sep, tail = block.partition("# after 'alliancekit data import")
    tie = (
        "tie_id,kind,actor_a,actor_b,name,signed,in_force,ended,strength,source_url,"
        "source_publisher,source_accessed,source_kind,verified_on,note\n"
        "my-jpn-phl-test,reciprocal_access_agreement,JPN,PHL,A test tie,2024-07-08,"
        "2025-09-11,,4,https://www.mofa.go.jp/,Ministry of Foreign Affairs of Japan,"
        "2026-11-26,official,2026-11-26,\n"
    )
    (workdir / "my_ties.csv").write_text(tie)
    exec(compile(head, "README.md", "exec"), {})
    if sep:
        request.getfixturevalue("imported")
        exec(compile(head + sep + tail, "README.md", "exec"), {})
