"""pandas frames where polars frames are expected: converted (``pl.from_pandas``), or, for
any other object, a :class:`~alliancekit.schema.ParameterError` naming the parameter and the
fix. Results stay polars frames (``.to_pandas()`` converts them back)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


def as_polars(obj: Any, parameter: str) -> Any:
    """``obj`` as a polars DataFrame (None stays None, except for the frame a step adds to)."""
    import polars as pl

    if obj is None and parameter == "df":
        from alliancekit.schema import ParameterError

        raise ParameterError(
            "df", "no frame given: start with create_stateyears() or create_dyadyears()"
        )
    if obj is None or isinstance(obj, pl.DataFrame):
        return obj
    if isinstance(obj, pl.LazyFrame):
        return obj.collect()
    module = type(obj).__module__.split(".")[0]
    if module == "pandas" and type(obj).__name__ == "DataFrame":
        index = obj.index
        named = any(n is not None for n in getattr(index, "names", [None]))
        return pl.from_pandas(obj, include_index=named)  # a named index is a column
    from alliancekit.schema import ParameterError

    raise ParameterError(
        parameter,
        f"expected a polars or pandas DataFrame, not {type(obj).__module__}."
        f"{type(obj).__name__}: pass polars.DataFrame(...) or a pandas DataFrame",
    )


def polars_frames(*names: str) -> Callable:
    """Decorate a function so that its parameters ``names`` take pandas frames too (for
    ``tables``, a dict of frames: each of its values)."""

    def wrap(fn: Callable) -> Callable:
        sig = inspect.signature(fn)
        positions = {n: list(sig.parameters).index(n) for n in names}

        @functools.wraps(fn)
        def inner(*args, **kwargs):
            args = list(args)
            for name, pos in positions.items():
                if pos < len(args):
                    args[pos] = _convert(args[pos], name)
                elif name in kwargs:
                    kwargs[name] = _convert(kwargs[name], name)
            return fn(*args, **kwargs)

        return inner

    return wrap


def _convert(value: Any, name: str) -> Any:
    if name == "tables" and isinstance(value, dict):
        return {k: as_polars(v, f"{name}[{k!r}]") for k, v in value.items()}
    return as_polars(value, name)
