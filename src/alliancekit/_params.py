"""Errors that name the parameter the caller used: a layer that passes its own parameters on
under other names (the CLI's ``--us-cap`` becomes ``us_cap_pct``, then ``hub_cap_pct``)
renames the parameter of a :class:`~alliancekit.schema.ParameterError` raised below it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def parameters_as(names: dict[str, str]) -> Iterator[None]:
    """Re-raise a ParameterError for parameter ``p`` in ``names`` as one for ``names[p]``."""
    from alliancekit.schema import ParameterError

    try:
        yield
    except ParameterError as exc:
        if exc.parameter not in names:
            raise
        message = str(exc).split(": ", 1)[1] if ": " in str(exc) else str(exc)
        raise ParameterError(names[exc.parameter], message) from exc
