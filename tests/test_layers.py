"""The layering of alliancekit, written down so that CI fails the day a layer is crossed.

Every module's imports are read with :mod:`ast` (imports inside functions included: a lazy
import is still a dependency) and checked against the ordered list of layers below. A module
may import from its own layer and the layers beneath it, never from a layer above. On top:

- no cycle between the top-level units (``burden`` → ``importers`` → ``burden`` would be one);
- ``panels``, ``network`` and ``burden`` are peers: none imports another;
- nothing below ``cli`` and ``app`` prints: no bare ``print()`` call, no ``rich`` (the
  library returns values and raises errors; the interfaces talk to the user);
- private names (``_x``) are not imported from another module (a package's submodules may use
  its ``__init__``'s), and a private module (``pkg._m``) is imported only inside ``pkg``.

A new top-level module or package must be given its layer here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = "alliancekit"

# Bottom to top. The unit of a module is its first component under alliancekit.
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"schema", "textfile", "paths", "_params", "_deprecated", "_frames", "plotting"}),
    ("data", {"data", "codes", "query"}),
    ("sources", {"importers", "catalog", "provenance", "writers"}),
    ("analysis", {"panels", "covariates", "fpsim", "network", "burden"}),
    ("simulate", {"simulate"}),
    ("interfaces", {"report", "app"}),
    ("cli", {"cli", "__main__"}),
]
PEERS = {"panels", "network", "burden"}  # analysis packages that do not import each other
MAY_PRINT = {"cli", "app", "__main__"}
LEVEL = {unit: i for i, (_, units) in enumerate(LAYERS) for unit in units}
# ``alliancekit`` itself is the facade of the data layer (load, cite, ties_of, lazy submodules);
# its dunders (``__version__``) may be read from anywhere.
LEVEL[ROOT] = LEVEL["data"]


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    line: int
    target: str  # the alliancekit module imported
    names: tuple[str, ...]  # names taken from it (empty for ``import x``)


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _package_of(module: str) -> str:
    return module if _is_package(module) else module.rsplit(".", 1)[0]


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == ROOT:
                    out.append(Import(module, node.lineno, alias.name, ()))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(module).split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != ROOT:
                continue
            names = []
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                if sub in MODULES:  # ``from alliancekit import panels``: the module itself
                    out.append(Import(module, node.lineno, sub, ()))
                else:
                    names.append(alias.name)
            if names:
                out.append(Import(module, node.lineno, source, tuple(names)))
    return out


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def _level_of_import(imp: Import) -> int:
    if imp.target == ROOT and all(n.startswith("__") for n in imp.names):
        return 0  # ``from alliancekit import __version__``
    return LEVEL[unit(imp.target)]


def test_every_unit_has_a_layer():
    missing = sorted({unit(m) for m in MODULES} - set(LEVEL))
    assert not missing, f"give these a layer in tests/test_layers.py LAYERS: {missing}"


def test_no_import_reaches_up_a_layer():
    bad = []
    for imp in ALL_IMPORTS:
        src, dst = unit(imp.module), unit(imp.target)
        if src not in LEVEL or dst not in LEVEL:
            continue  # reported by test_every_unit_has_a_layer
        if _level_of_import(imp) > LEVEL[src]:
            bad.append(
                f"{imp.module}:{imp.line} ({LAYERS[LEVEL[src]][0]}) imports {imp.target} "
                f"({LAYERS[LEVEL[dst]][0]})"
            )
    assert not bad, "imports from a higher layer:\n" + "\n".join(bad)


def test_analysis_peers_do_not_import_each_other():
    bad = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in ALL_IMPORTS
        if unit(imp.module) in PEERS
        and unit(imp.target) in PEERS
        and unit(imp.module) != unit(imp.target)
    ]
    assert not bad, "\n".join(bad)


def test_no_cycle_between_units():
    graph: dict[str, set[str]] = {}
    for imp in ALL_IMPORTS:
        a, b = unit(imp.module), unit(imp.target)
        if a != b and not (b == ROOT and all(n.startswith("__") for n in imp.names)):
            graph.setdefault(a, set()).add(b)
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                ring = path[path.index(nxt) :]
                k = ring.index(min(ring))  # one spelling per cycle, whatever its start
                ring = ring[k:] + ring[:k]
                cycles.append(" -> ".join(ring + ring[:1]))
            elif len(path) < len(graph) + 1:
                visit(nxt, path + [nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, "import cycles between units:\n" + "\n".join(sorted(set(cycles)))


def _prints(module: str) -> list[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                found.append(f"{module}:{node.lineno} print()")
        elif isinstance(node, ast.Import):
            found += [
                f"{module}:{node.lineno} import {a.name}"
                for a in node.names
                if a.name.split(".")[0] == "rich"
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "rich":
            found.append(f"{module}:{node.lineno} from {node.module} import ...")
    return found


def test_nothing_below_the_interfaces_prints():
    bad = [hit for m in MODULES if unit(m) not in MAY_PRINT for hit in _prints(m)]
    assert not bad, "library code that talks to the terminal:\n" + "\n".join(bad)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _module_aliases(module: str) -> dict[str, str]:
    """Local names bound to alliancekit modules (``from alliancekit.importers import states``)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == ROOT:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MODULES:
                    out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in MODULES:
                    out[alias.asname] = alias.name
    return out


def test_private_names_stay_home():
    bad = []
    for imp in ALL_IMPORTS:
        own_package = _package_of(imp.module)
        # a private module is for its own package (and the packages inside it)
        parts = imp.target.split(".")
        for i, part in enumerate(parts):
            if _private(part):
                home = ".".join(parts[:i])
                if not (imp.module == home or imp.module.startswith(home + ".")):
                    bad.append(f"{imp.module}:{imp.line} imports private module {imp.target}")
                break
        # a private name is for its own module (a package's submodules may use its __init__)
        for name in imp.names:
            if _private(name) and imp.target != own_package:
                bad.append(f"{imp.module}:{imp.line} imports {imp.target}.{name}")
    for module in MODULES:
        aliases = _module_aliases(module)
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
                and aliases[node.value.id] != _package_of(module)
            ):
                bad.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not bad, "private names used outside their module:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "source, target",
    [
        ("from alliancekit.report.figures import new_figure", "alliancekit.report.figures"),
        ("from alliancekit import panels", "alliancekit.panels"),
    ],
)
def test_the_import_reader_resolves_modules(source, target, tmp_path, monkeypatch):
    # The checker itself: a ``from package import module`` is an import of the module.
    module = "alliancekit.schema"
    monkeypatch.setitem(MODULES, module, tmp_path / "m.py")
    (tmp_path / "m.py").write_text(f"def f():\n    {source}\n")
    assert [i.target for i in imports_of(module)] == [target]
