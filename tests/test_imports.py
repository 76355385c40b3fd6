"""The package has no import cycle among its top-level imports (function-level imports are the
explicit, documented way to defer one)."""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PORTAL.rglob("*.py")}


def top_level_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The portal modules a file imports at module level (not inside functions or classes)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return {name for name in found if name in known}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module, or a module importing itself
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: top_level_imports(path, known) for name, path in known.items()}


def test_the_portal_package_has_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["e"]]


def test_the_graph_sees_top_level_imports_only():
    graph = import_graph()
    assert "portal.access.loaders" in graph["portal.clients.views"]
    assert "portal.jobs" in graph["portal.documents.tasks"]
    assert "portal.cli" not in graph["portal"]  # imported inside register_cli


def test_importing_every_module_creates_nothing_on_disk(tmp_path):
    """Import the whole package (the job queue and every feature's tasks included) in a fresh
    interpreter pointed at an empty instance folder: nothing is written anywhere."""
    import subprocess
    import sys

    instance = tmp_path / "instance"
    names = sorted(modules())
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    subprocess.run([sys.executable, "-c", script, *names], check=True, cwd=tmp_path,
                   env={"PORTAL_INSTANCE_PATH": str(instance), "PATH": "/usr/bin:/bin",
                        "PYTHONPATH": str(PORTAL.parent)})
    assert list(tmp_path.iterdir()) == []  # no instance folder, no jobs.db, no secrets
