"""Names that meant two things now mean one: the old network names still work, with a
DeprecationWarning naming the new one; the panels' add_ties is untouched."""

from __future__ import annotations

import importlib
import warnings

import pytest


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        ("alliancekit.network", "add_ties", "connect"),
        ("alliancekit.network.scenarios", "add_ties", "connect"),
        ("alliancekit.network.scenarios", "ScenarioResult", "NetworkScenarioResult"),
        ("alliancekit.network.series", "read_atop", "stored_atop"),
        ("alliancekit.fpsim", "tie_values", "atop_tie_values"),
        ("alliancekit.fpsim.ties", "tie_values", "atop_tie_values"),
    ],
)
def test_old_name_warns_and_is_the_new_object(module, old, new):
    mod = importlib.import_module(module)
    with pytest.warns(
        DeprecationWarning, match=rf"{module}\.{old} is deprecated; use {module}\.{new}"
    ):
        obj = getattr(mod, old)
    assert obj is getattr(mod, new)
    with pytest.warns(DeprecationWarning):
        exec(f"from {module} import {old}", {})


def test_unknown_names_still_raise_attribute_error():
    import alliancekit.network.series as series

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        series.nope  # noqa: B018


def test_the_names_that_stay_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from alliancekit.importers import read_atop
        from alliancekit.network import connect
        from alliancekit.panels import add_ties

    assert read_atop.__module__ == "alliancekit.importers.atop"
    assert add_ties.__module__.startswith("alliancekit.panels")
    assert connect.__module__ == "alliancekit.network.scenarios"


def test_connect_is_the_old_scenario(tmp_path):
    from alliancekit import load
    from alliancekit.network import build_graph, connect

    g = build_graph(load(), 2000)
    r = connect(g, [("JPN", "KOR", 3)])
    assert type(r).__name__ == "NetworkScenarioResult"
    assert r.measures_after["ties"] - r.measures_before["ties"] == 1
