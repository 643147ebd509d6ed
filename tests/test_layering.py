"""The package's layering, read from the source with `ast` (nothing is imported).

Arrows point down only: cli → demo → check → lifecycle → overview / hook → tasks /
history / adr → project → documents / git → the foundation (errors, config, dates, fsutil,
names, resources); the table below is exact. Every
import counts, at module level or inside a function. For example, if
`plancycle/documents/versioning.py` gained

    from plancycle.project.project import Project

then `test_every_import_points_down` fails with

    plancycle.documents.versioning (documents) imports plancycle.project.project (project):
    documents may import only foundation

and the fix is to move the shared piece down, or the importing code up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plancycle"
FOUNDATION = {"errors", "config", "dates", "fsutil", "names", "resources"}
CORE = {
    "foundation",
    "git",
    "documents",
    "project",
    "adr",
    "tasks",
    "history",
    "hook",
    "lifecycle",
    "check",
    "overview",
    "adopt",
    "publish",
    "demo",
}

# What each layer may import (itself always included).
ALLOWED: dict[str, set[str]] = {
    "foundation": set(),
    "git": {"foundation"},
    "documents": {"foundation"},
    "project": {"foundation", "git", "documents"},
    "adr": {"foundation", "git", "documents", "project"},
    "tasks": {"foundation", "git", "documents", "project"},
    "history": {"foundation", "git", "documents", "project"},
    "hook": {"foundation", "git", "documents", "tasks"},
    "lifecycle": {"foundation", "git", "documents", "project", "adr", "tasks", "hook"},
    "check": {"foundation", "git", "documents", "project", "adr", "tasks", "history", "lifecycle"},
    "overview": {"foundation", "documents", "project", "adr", "tasks"},
    "publish": {"foundation", "git", "documents", "project", "adr", "tasks", "history", "overview"},
    "adopt": {"foundation", "git", "documents", "project", "adr", "tasks", "history", "lifecycle", "overview"},
    "demo": CORE - {"demo"},
    "cli": CORE,
    "entry": CORE | {"cli"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__main__":
        return "entry"
    if parts[1] in FOUNDATION:
        return "foundation"
    return parts[1]


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute names, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # `from plancycle.cli import output` imports the module output, not (only) a name
            # of the package: count the module when there is one.
            submodules = {f"{name}.{alias.name}" for alias in node.names} & MODULES
            found.update(submodules or {name})
    return found


MODULES = {_module_name(p) for p in PACKAGE.rglob("*.py")}


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


GRAPH = _graph()


def test_the_package_is_read() -> None:
    assert "plancycle.documents.document" in GRAPH and "plancycle.cli.main" in GRAPH
    assert "plancycle.documents.document" in GRAPH["plancycle.hook.stamping"]


def test_every_import_points_down() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        layer = _layer(module)
        for name in imported:
            if not name.startswith("plancycle.") or name == "plancycle.__version__":
                continue
            target = _layer(name)
            if target != layer and target not in ALLOWED[layer]:
                allowed = ", ".join(sorted(ALLOWED[layer])) or "nothing outside itself"
                wrong.append(f"{module} ({layer}) imports {name} ({target}): {layer} may import only {allowed}")
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("library", ["typer", "rich", "click"])
def test_the_core_never_imports_the_cli_libraries(library: str) -> None:
    offenders = [
        m
        for m, imported in GRAPH.items()
        if _layer(m) in CORE and any(n == library or n.startswith(library + ".") for n in imported)
    ]
    assert not offenders


def test_no_import_cycles() -> None:
    """Between layers, and between modules (a circle of two modules is one design knot)."""
    layers: dict[str, set[str]] = {}
    for module, imported in GRAPH.items():
        layers.setdefault(_layer(module), set()).update(
            _layer(n) for n in imported if n.startswith("plancycle.") and n in GRAPH
        )
    for graph in (layers, {m: {n for n in imported if n in GRAPH and n != m} for m, imported in GRAPH.items()}):
        assert _cycle(graph) is None, f"import cycle: {' → '.join(_cycle(graph) or [])}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if target == node:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None
