"""Library errors name the Python parameter the caller passed; the CLI translates them into its
flags (:func:`alliancekit._params.parameters_as`). Each case is raised twice: from the Python
function, naming the parameter, and from the command, naming the flag."""

from __future__ import annotations

import pytest

from alliancekit import load
from alliancekit.schema import DataValidationError, ParameterError

from .cli import run


@pytest.fixture(scope="module")
def g2000():
    from alliancekit.network import build_graph

    return build_graph(load(), 2000)


def test_series_start_after_end():
    from alliancekit.network.series import curated_graphs, series

    for call in (lambda: series(2010, 2000), lambda: curated_graphs(2010, 2000)):
        with pytest.raises(ParameterError) as exc:
            call()
        assert exc.value.parameter == "start"
        assert "--" not in str(exc.value)
    r = run("network", "series", "--from", "2010", "--to", "2000")
    assert r.returncode == 1 and "--from" in r.stderr


def test_write_graph_format(g2000, tmp_path):
    from alliancekit.network import write_graph

    with pytest.raises(ParameterError) as exc:
        write_graph(g2000, tmp_path / "g.xyz")
    assert exc.value.parameter == "fmt" and "--" not in str(exc.value)
    with pytest.raises(ParameterError) as exc:
        write_graph(g2000, tmp_path / "g.csv", "xls")
    assert exc.value.parameter == "fmt"
    assert "choose one of graphml, gexf, json, csv" in str(exc.value)
    r = run("network", "export", "--year", "2000", "--format", "xls", "-o", str(tmp_path / "g"))
    assert r.returncode == 1 and "parameter '--format'" in r.stderr


def test_picture_suffix(g2000, tmp_path):
    from alliancekit.network.picture import save

    with pytest.raises(ParameterError) as exc:
        save(g2000, tmp_path / "g.pdf")
    assert exc.value.parameter == "path" and "--" not in str(exc.value)
    r = run("network", "picture", "--year", "2000", "-o", str(tmp_path / "g.pdf"))
    assert r.returncode == 1 and "parameter '--output'" in r.stderr and ".png or .svg" in r.stderr


def test_year_on_actors():
    from alliancekit.query import select_rows

    with pytest.raises(ParameterError) as exc:
        select_rows(load(), "actors", year=2000)
    assert exc.value.parameter == "year" and "--" not in str(exc.value)
    r = run("data", "show", "actors", "--year", "2000")
    assert r.returncode == 1 and "parameter '--year'" in r.stderr


def test_unknown_actor_in_a_users_table(tmp_path):
    from alliancekit.burden import read_table

    p = tmp_path / "allies.csv"
    p.write_text("actor,gdp,burden\nFRG,100,3\nUSA,90,2\nJPN,80,1\nDEU,70,1.5\n")
    with pytest.raises(DataValidationError) as exc:
        read_table(p)
    (issue,) = exc.value.issues
    assert (issue.row, issue.column, issue.rule) == (1, "actor", "unknown_actor")
    assert "any_actor=True" in issue.message and "--" not in issue.message
    r = run("burden", "exploitation", "--input", str(p))
    assert r.returncode == 1 and "--any-actor accepts it" in r.stderr
    assert "any_actor" not in r.stderr
    assert run("burden", "exploitation", "--input", str(p), "--any-actor").returncode == 0


def test_parameters_as_leaves_other_errors_alone():
    from alliancekit._params import parameters_as

    with pytest.raises(ParameterError) as exc, parameters_as({"fmt": "--format"}):
        raise ParameterError("year", "x")
    assert exc.value.parameter == "year"
    with pytest.raises(ParameterError) as exc, parameters_as({"fmt": "--format"}):
        raise ParameterError("fmt", "unknown format 'x'")
    assert str(exc.value) == "parameter '--format': unknown format 'x'"


def test_series_measures():
    from alliancekit.network.series import series

    with pytest.raises(ParameterError) as exc:
        series(2000, 2001, ["density", "foo"])
    assert exc.value.parameter == "measures"
    assert "unknown measure(s) foo; choose from states, ties, density" in str(exc.value)
    r = run("network", "series", "--from", "2000", "--to", "2001", "--measures", "density,foo")
    assert r.returncode == 1 and "parameter '--measures': unknown measure(s) foo" in r.stderr


def test_sweep_backends_name_their_python_parameters(tmp_path):
    from alliancekit.simulate.backends import run as run_blocks

    with pytest.raises(ParameterError) as exc:
        run_blocks(None, tmp_path / "x.parquet", backend="gpu")
    assert exc.value.parameter == "backend" and "choose one of" in str(exc.value)
    with pytest.raises(ParameterError) as exc:
        run_blocks(None, tmp_path / "x.parquet", backend="processes", workers=0)
    assert exc.value.parameter == "workers"
    assert not (tmp_path / "x.parquet").exists()


def test_curated_year_out_of_range_points_to_the_atop_graph():
    from alliancekit.network import build_graph

    with pytest.raises(ParameterError) as exc:
        build_graph(load(), 1800)
    assert exc.value.parameter == "on"
    assert 'source="atop"' in str(exc.value)  # the Python spelling first, then the flag
    r = run("network", "measures", "--year", "1800")
    assert r.returncode == 1 and "'--year'" in r.stderr and "--source atop" in r.stderr
    r = run("network", "measures", "--date", "1800-06-30")
    assert r.returncode == 1 and "'--date'" in r.stderr


def test_series_years_outside_the_data_name_start_or_end():
    from alliancekit.network.series import curated_graphs

    for (start, end), name, flag in (
        ((1800, 2000), "start", "--from"),
        ((2000, 2999), "end", "--to"),
    ):
        with pytest.raises(ParameterError) as exc:
            curated_graphs(start, end)
        assert exc.value.parameter == name
        r = run("network", "series", "--from", str(start), "--to", str(end))
        assert r.returncode == 1 and f"'{flag}'" in r.stderr
