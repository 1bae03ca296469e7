"""alliancekit: measure the system of alliances and security partnerships.

    >>> import alliancekit as ak
    >>> data = ak.load()            # validated curated tables (polars DataFrames)
    >>> ak.cite(actor="JPN")        # the sources behind Japan's rows

Submodules load lazily so that ``import alliancekit`` and the CLI start fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = [
    "load",
    "cite",
    "citation",
    "validate",
    "ties_of",
    "__version__",
    *("panels", "network", "burden", "codes", "importers", "catalog", "provenance"),
]

# Submodules as attributes (``ak.panels.create_dyadyears(...)``), imported on first use.
_SUBMODULES = (
    *("panels", "network", "burden", "codes", "importers", "catalog", "data", "query"),
    "provenance",
)


def __getattr__(name: str):
    if name in _SUBMODULES:
        import importlib

        module = importlib.import_module(f"alliancekit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'alliancekit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))


def load(extra=()):
    """Load and validate the curated dataset (see :func:`alliancekit.data.load`)."""
    from alliancekit.data import load as _load

    return _load(extra)


def cite(table=None, **filters):
    """The sources behind a subset of the curated data (see :func:`alliancekit.data.cite`)."""
    from alliancekit.data import cite as _cite

    return _cite(table, **filters)


def citation():
    """How to cite the curated dataset."""
    from alliancekit.data import citation as _citation

    return _citation()


def validate(extra=()):
    """Every validation problem in the shipped data and ``extra`` files (empty when valid)."""
    from alliancekit.data import validate as _validate

    return _validate(extra)


def ties_of(actor: str, data=None, *, kind: str | None = None, year: int | None = None):
    """Every curated tie of ``actor``, on either side (``actor_a`` or ``actor_b``), filtered
    by ``kind`` and by the ``year`` in force (see :func:`alliancekit.query.ties_of`)."""
    from alliancekit.query import ties_of as _ties_of

    return _ties_of(actor, data, kind=kind, year=year)
