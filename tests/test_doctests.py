"""The examples in the docstrings of ``alliancekit.network`` and ``alliancekit.burden`` run, and
give what they show (the API reference on the docs site is built from these docstrings)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("alliancekit.network", "alliancekit.burden")
NOT_YET: set[str] = set()  # names whose docstrings still lack the sections (none left)


def _modules() -> list[str]:
    out = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        out.append(name)
        out += [f"{name}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
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
