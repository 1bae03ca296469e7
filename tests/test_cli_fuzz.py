"""Every CLI command, every parameter, a battery of bad values: a clean message and exit 1
(or success where the value happens to be valid) — never a traceback, never exit 2."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer

from alliancekit.cli import app, main

SKIP = {("serve",), ("report",)}  # serve starts a server; report is tested on its own paths
BAD = {
    "int": ["99999", "-5", "0", "abc"],
    "float": ["nan", "inf", "-1", "1e400"],
    "str": ["ZZZ", "[/]", "", "=1+1"],
    "path": ["{dir}", "{missing}", "{binary}", "{latin1}"],
}


def _commands(cmd, path=()):
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))
    elif path not in SKIP:
        yield path, cmd


def _kind(param) -> str | None:
    # typer >= 0.29 describes the annotation; earlier versions give click's parameter type
    desc = getattr(param, "type_descriptor", None)
    ann = (str(desc.annotation) if desc is not None else type(param.type).__name__).lower()
    if "path" in ann:
        return "path"
    if "bool" in ann:
        return None
    if "int" in ann:
        return "int"
    if "float" in ann:
        return "float"
    return "str"


def _cases():
    root = typer.main.get_command(app)
    for path, cmd in _commands(root):
        for p in cmd.params:
            if p.name == "help" or (kind := _kind(p)) is None:
                continue
            for value in BAD[kind]:
                yield pytest.param(path, cmd, p, value, id=f"{' '.join(path)} {p.name}={value!r}")


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            return int(exc.code or 0), err.getvalue() + out.getvalue()
    return 0, err.getvalue() + out.getvalue()


@pytest.fixture
def files(tmp_path_factory):
    # Made anew for every case: a command given one of these files as its -o overwrites it.
    d = tmp_path_factory.mktemp("fuzz")
    (d / "bin.csv").write_bytes(b"\x00\xff\x10PK" * 64)
    (d / "lat.csv").write_bytes("iso3c\ncaf\xe9\n".encode("latin-1"))
    (d / "ok.csv").write_text("iso3c\nJPN\n")
    return {
        "dir": str(d),
        "missing": str(d / "no" / "such.csv"),
        "binary": str(d / "bin.csv"),
        "latin1": str(d / "lat.csv"),
        "ok": str(d / "ok.csv"),
        "home": str(d / "home"),
    }


@pytest.mark.parametrize(("path", "cmd", "param", "value"), list(_cases()))
def test_bad_value_gives_a_clean_error(path, cmd, param, value, files, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # anything a command writes stays in the test's folder
    monkeypatch.setenv("ALLIANCEKIT_HOME", files["home"])
    value = value.format(**files)
    args = list(path)
    for q in cmd.params:  # other required arguments get a plausible value
        if q.param_type_name == "argument" and q is not param and q.required:
            args.append(files["ok"] if _kind(q) == "path" else "JPN")
    args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    try:
        code, output = _run(args)
    except BaseException as exc:  # a traceback is the failure this test exists for
        pytest.fail(f"{' '.join(args)} raised {type(exc).__name__}: {exc}")
    assert code in (0, 1), f"{' '.join(args)} exited {code}: {output[-300:]}"
    assert "Traceback" not in output


# The cases a hostile but fair tester found (issue 11): each exits 1 with this in its message.
CASES = [
    ("network measures --year 99999", "outside the years the data cover"),
    ("network measures --year -5", "outside the years the data cover"),
    ("network measures --year 2025 --hub ZZZ", "unknown actor 'ZZZ'"),
    ("burden table --year 99999", "outside the years the data cover"),
    ("burden table --year 2025 --edition nonexistent", "unknown edition 'nonexistent'"),
    ("burden exploitation --from 2025 --to 2000", "--from 2025 is after --to 2000"),
    ("burden equilibrium --year 2025 --private-share nan", "parameter '--private-share'"),
    ("data show ties --year -5", "outside the years the data cover"),
    ("cite --kind nope", "unknown kind 'nope'"),
    ("scenario gap-fill --year 0", "outside the years the data cover"),
    ("codes table {latin1} --column iso3c --from iso3c -o {dir}/o.csv", "not UTF-8"),
    ("codes table {binary} --column iso3c --from iso3c -o {dir}/o.csv", "not UTF-8"),
    ("codes table {ok} --column iso3c --from iso3c -o {dir}", "is a folder"),
    ("codes table {ok} --column iso3c --from iso3c -o {ok}/x.csv", "is a file"),
    ("data export ties --format csv -o {dir}", "is a folder"),
    ("network export --year 2025 --format graphml -o {dir}", "is a folder"),
    ("report -o {dir}", "is a folder"),
    ("data validate --extra {dir}", "is a folder, not a CSV file"),
    ("network measures --year abc", "Invalid value"),
]


@pytest.mark.parametrize(("line", "message"), CASES, ids=[c[0] for c in CASES])
def test_known_bad_inputs(line, message, files, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, output = _run(line.format(**files).split())
    assert code == 1, output
    assert message in " ".join(output.split()), output


def test_markup_and_emoji_codes_in_data_print_verbatim(tmp_path):
    from alliancekit.data import TABLE_COLUMNS

    cols = TABLE_COLUMNS["ties"]
    row = {c: "" for c in cols} | {
        "tie_id": "x-markup",
        "kind": "security_declaration",
        "actor_a": "JPN",
        "actor_b": "AUS",
        "name": "Treaty [/] of [sic] :b: peace",
        "signed": "2020-01-01",
        "strength": "2",
        "source_url": "https://www.mofa.go.jp/x.html",
        "source_publisher": "MOFA",
        "source_accessed": "2026-11-26",
        "source_kind": "official",
        "verified_on": "2026-11-26",
    }
    extra = tmp_path / "t.csv"
    import csv

    with extra.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerow({c: row.get(c, "") for c in cols})
    code, output = _run(["data", "show", "ties", "--actor", "AUS", "--extra", str(extra)])
    assert code == 0, output
    for piece in ("[/]", "[sic]", ":b:"):  # the table may wrap the name, never rewrite it
        assert piece in output


def test_csv_exports_neutralise_formulas(tmp_path):
    import polars as pl

    from alliancekit.data import export_frame

    df = pl.DataFrame({"name": ["=HYPERLINK(1)", "+1+1", "@SUM(A1)", "-2", "plain"], "n": [1] * 5})
    safe = pl.read_csv(export_frame(df, tmp_path / "a.csv", "csv"))
    assert safe["name"].to_list() == ["'=HYPERLINK(1)", "'+1+1", "'@SUM(A1)", "'-2", "plain"]
    raw = pl.read_csv(export_frame(df, tmp_path / "b.csv", "csv", raw_csv=True))
    assert raw["name"].to_list() == df["name"].to_list()
