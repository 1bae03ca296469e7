"""The examples in the docstrings of ``alliancekit.network``, ``alliancekit.burden`` and
``alliancekit.panels`` (with the covariates and the projection of the curated ties) run, and give
what they show (the API reference on the docs site is built from these docstrings)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("alliancekit.network", "alliancekit.burden", "alliancekit.panels")
# single modules beside the packages (the panels' covariates, the projection of the ties, the
# charts the report and the dashboard share)
MODULES = (
    "alliancekit.covariates",
    "alliancekit.fpsim",
    "alliancekit.data.projection",
    "alliancekit.charts",
)
NOT_YET: set[str] = set()  # names whose docstrings still lack the sections (none left)


def _modules() -> list[str]:
    out = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        out.append(name)
        # every module below, packages inside included (network.graphs, network.measures)
        out += [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{name}.")]
    for name in MODULES:  # and, where one is a package (covariates, fpsim), its modules
        out.append(name)
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            out += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=f"{name}.")]
    return out


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_public_functions_have_examples():
    # numpydoc sections on every function the packages export (issue 9)
    missing = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        for attr in package.__all__:
            obj = getattr(package, attr)
            if callable(obj) and not isinstance(obj, type) and attr not in NOT_YET:
                doc = obj.__doc__ or ""
                if "Examples\n" not in doc or ">>>" not in doc:
                    missing.append(f"{name}.{attr}")
    assert not missing, "public functions without a runnable example: " + ", ".join(missing)
