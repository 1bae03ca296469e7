"""alliancekit: measure the system of alliances and security partnerships.

    >>> import alliancekit as ak
    >>> data = ak.load()            # validated curated tables (polars DataFrames)
    >>> ak.cite(actor="JPN")        # the sources behind Japan's rows

Submodules load lazily so that ``import alliancekit`` and the CLI start fast.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["load", "cite", "citation", "validate", "__version__"]


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
