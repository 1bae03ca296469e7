"""One rule for the files alliancekit writes: a file path (never a folder) in a folder that
exists or can be made, and that the user may write to. Writers call :func:`output_path`
before any work is spent, so that a bad ``-o`` fails at once with the parameter named."""

from __future__ import annotations

import os
from pathlib import Path

from alliancekit.schema import ParameterError


def output_path(path: str | Path, parameter: str = "path") -> Path:
    """``path`` checked as a place to write a file; its folder is created when missing.

    Parameters
    ----------
    path : str or Path
        Where the file will be written.
    parameter : str
        The caller's parameter name, for the error.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        When ``path`` is a folder, its parent is a file, or the folder is not writable.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> output_path(d)
    Traceback (most recent call last):
    ...
    alliancekit.schema.ParameterError: parameter 'path': ... is a folder; give a file name inside it
    """
    p = Path(path).expanduser()
    if str(path) == "" or p.is_dir():
        raise ParameterError(parameter, f"{str(p)!r} is a folder; give a file name inside it")
    parent = p.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ParameterError(parameter, f"cannot write {str(p)!r}: {str(existing)!r} is a file")
    if not os.access(existing, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise ParameterError(parameter, f"cannot write {str(p)!r}: permission denied")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(
            parameter, f"cannot create the folder {str(parent)!r}: {exc.strerror}"
        ) from None
    return p


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df):
    """Text cells that a spreadsheet would run as formulas, prefixed with ``'``.

    A cell starting with ``= + - @``, a tab or a carriage return is written as ``'=...``, as
    OWASP advises for CSV files that people open in spreadsheet programs; numbers, dates and
    other cells are unchanged. Exports apply it to CSV unless the caller asks for raw values.

    Examples
    --------
    >>> import polars as pl
    >>> neutralise_formulas(pl.DataFrame({"name": ["=HYPERLINK(1)", "Treaty"]}))["name"].to_list()
    ["'=HYPERLINK(1)", 'Treaty']
    """
    import polars as pl

    text = [c for c, t in df.schema.items() if t == pl.String]
    if not text:
        return df
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    return df.with_columns(
        pl.when(pl.col(c).str.contains(pattern)).then("'" + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )
