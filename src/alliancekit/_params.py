"""Errors that name the parameter the caller used: a layer that passes its own parameters on
under other names (the CLI's ``--us-cap`` becomes ``us_cap_pct``, then ``hub_cap_pct``)
renames the parameter of a :class:`~alliancekit.schema.ParameterError` raised below it.

Library code names Python parameters only; the CLI wraps its calls in :func:`parameters_as`
with the flag of each parameter, so that a command-line user reads ``--format`` where a Python
user reads ``fmt``. A file's :class:`~alliancekit.schema.Issue` may point at a parameter as
``name=value`` (e.g. "any_actor=True accepts any name"); those are renamed too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace


def _renamed_text(text: str, names: dict[str, str]) -> str:
    for param, flag in names.items():
        # a boolean flag takes no value on the command line
        text = text.replace(f"{param}=True", flag).replace(f"{param}=", f"{flag} ")
    return text


@contextmanager
def parameters_as(names: dict[str, str]) -> Iterator[None]:
    """Re-raise a ParameterError for parameter ``p`` in ``names`` as one for ``names[p]``, and
    a DataValidationError with ``p=`` in its messages as one with ``names[p]``.

    Examples
    --------
    >>> from alliancekit.schema import ParameterError
    >>> with parameters_as({"fmt": "--format"}):
    ...     raise ParameterError("fmt", "unknown format 'x'")
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter '--format': unknown format 'x'
    """
    from alliancekit.schema import DataValidationError, ParameterError

    try:
        yield
    except ParameterError as exc:
        if exc.parameter not in names:
            raise
        message = str(exc).split(": ", 1)[1] if ": " in str(exc) else str(exc)
        raise ParameterError(names[exc.parameter], message) from exc
    except DataValidationError as exc:
        issues = [replace(i, message=_renamed_text(i.message, names)) for i in exc.issues]
        if issues == exc.issues:
            raise
        raise DataValidationError(issues) from exc
