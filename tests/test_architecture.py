"""The dependency rules of DESIGN.md, checked on the source (issue 12's "done when").

- no import cycles between modules (function-level and ``TYPE_CHECKING`` imports count too: a lazy
  import hides a cycle, it does not remove it);
- no ``_private`` name (or private module) used outside the package that defines it;
- the contract package imports neither side, the emulator never imports the provider, and the
  provider reaches the emulator only through its top-level entry point (the embedded target).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Import package -> the directory that holds it.
PACKAGES = {
    "personalize_api": ROOT / "contract",
    "pulumi_personalize": ROOT / "provider",
    "personalize_emulator": ROOT / "emulator",
}
#: The one emulator name the provider may import: the embedded target.
EMULATOR_ENTRY = ("personalize_emulator", "Emulator")


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module
    names: tuple[str, ...]  # names taken from it (empty for ``import x``)
    line: int


def _module_name(path: Path) -> str:
    for package, base in PACKAGES.items():
        if path.is_relative_to(base / package):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            return ".".join(parts)
    raise ValueError(path)


@cache
def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, base in PACKAGES.items():
        for path in sorted((base / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = _modules()[importer].name == "__init__.py"
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


@cache
def _imports() -> tuple[Import, ...]:
    modules = _modules()
    found: list[Import] = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found.extend(Import(name, alias.name, (), node.lineno) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
                target = _resolve(name, node)
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in modules:  # ``from . import campaigns``: an edge to that module
                        found.append(Import(name, submodule, (), node.lineno))
                    else:
                        found.append(Import(name, target, (alias.name,), node.lineno))
    return tuple(found)


def _top(module: str) -> str:
    return module.partition(".")[0]


def _ours(module: str) -> bool:
    return _top(module) in PACKAGES


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in _modules()}
    for imp in _imports():
        if _ours(imp.target) and imp.target in graph and imp.target != imp.importer:
            graph[imp.importer].add(imp.target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                yield from visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                yield sorted(component)

    for node in sorted(graph):
        if node not in index:
            yield from visit(node)


def _package_of(module: str) -> str:
    """The package a module belongs to (itself for a package ``__init__``)."""
    return module if _modules()[module].name == "__init__.py" else module.rpartition(".")[0]


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_module(module: str) -> str | None:
    """The first private part of a dotted module name (``rules._model`` -> ``_model``)."""
    return next((part for part in module.split(".") if _is_private(part)), None)


def test_no_import_cycles() -> None:
    assert list(_cycles(_graph())) == []


def test_no_private_names_across_modules() -> None:
    offences = []
    for imp in _imports():
        if not _ours(imp.target):
            continue
        offences += [f"{imp.importer}:{imp.line} imports {imp.target}.{n}" for n in imp.names if _is_private(n)]
        private = _private_module(imp.target)
        if private is not None:
            owner = imp.target[: imp.target.index(private)].rstrip(".")
            if not imp.importer.startswith(owner + ".") and imp.importer != owner:
                offences.append(f"{imp.importer}:{imp.line} imports the private module {imp.target}")
    assert offences == []


def test_no_private_attributes_of_our_modules() -> None:
    """``datasets._group_cleanup`` style reach-ins through a module object."""
    offences = []
    modules = _modules()
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        aliases = {imp.names[0] if imp.names else imp.target.rpartition(".")[2]
                   for imp in _imports() if imp.importer == name and not imp.names and imp.target in modules}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _is_private(node.attr)):
                offences.append(f"{name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert offences == []


@pytest.mark.parametrize(("package", "forbidden"), [
    ("personalize_api", ("pulumi_personalize", "personalize_emulator")),
    ("personalize_emulator", ("pulumi_personalize",)),
])
def test_dependency_direction(package: str, forbidden: tuple[str, ...]) -> None:
    wrong = [f"{imp.importer}:{imp.line} imports {imp.target}" for imp in _imports()
             if _top(imp.importer) == package and _top(imp.target) in forbidden]
    assert wrong == []


def test_provider_reaches_the_emulator_only_through_its_entry_point() -> None:
    wrong = [f"{imp.importer}:{imp.line} imports {imp.target} {imp.names}" for imp in _imports()
             if imp.importer.startswith("pulumi_personalize")
             and _top(imp.target) == "personalize_emulator"
             and (imp.target, imp.names) != (EMULATOR_ENTRY[0], (EMULATOR_ENTRY[1],))]
    assert wrong == []


def test_the_rules_hold_on_a_known_offender() -> None:
    """The checks above see what they are meant to: a cycle, a private import, a wrong direction."""
    assert list(_cycles({"a": {"b"}, "b": {"a"}, "c": set()})) == [["a", "b"]]
    assert _private_module("personalize_emulator.rules._model") == "_model"
    assert any(imp.target == "personalize_emulator" and imp.names == ("Emulator",)
               for imp in _imports() if imp.importer.startswith("pulumi_personalize"))
