"""Old public names kept working after a rename: a module's ``__getattr__`` that hands out the
new object under the old name with a :class:`DeprecationWarning` naming its replacement."""

from __future__ import annotations

import warnings
from collections.abc import Callable


def renamed(module: str, names: dict[str, str], namespace: dict) -> Callable[[str], object]:
    """A module ``__getattr__`` serving each old name in ``names`` as ``namespace[new]``.

    Examples
    --------
    >>> import warnings
    >>> ns = {"new": 1}
    >>> get = renamed("pkg.mod", {"old": "new"}, ns)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     get("old"), str(caught[0].message)
    (1, 'pkg.mod.old is deprecated; use pkg.mod.new')
    """

    def __getattr__(name: str) -> object:
        if name in names:
            new = names[name]
            warnings.warn(
                f"{module}.{name} is deprecated; use {module}.{new}",
                DeprecationWarning,
                stacklevel=2,
            )
            return namespace[new]
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
