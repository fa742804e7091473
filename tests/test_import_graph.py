"""The project's import graph: no cycle through the lifecycle, and no new two-way app dependency.

Every `import` and `from … import` of the project's own modules is read with `ast`, at module
level and inside functions alike (a function-level import still makes a cycle; it only hides it
from Python's loader). See docs/lifecycle.md ("Dependencies").
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project's apps: every top-level package with an apps.py (config is wiring, not an app).
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))
# The lifecycle's modules: nothing they import may import them back.
LIFECYCLE = {"cases.workflow", "cases.workflow_bulk", "cases.workflow_import", "cases.transitions",
             "cases.guards", "cases.facts", "cases.signals"}
# Apps that still import each other: none (issue 15 part 4; docs/architecture.md, "Layers").
# The list may only shrink.
KNOWN_TWO_WAY: set[tuple[str, str]] = set()


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports (the longest known prefix of each imported name)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@cache
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_graph_is_read():
    edges = graph()
    assert "cases.transitions" in edges["cases.workflow"]
    assert "cases.workflow" in edges["cases.review.scoring"]  # a function-level import counts too
    assert "cases.signals" in reachable(edges, "search.indexing")


def test_no_import_cycle_through_the_lifecycle():
    edges = graph()
    cycles = {module: sorted(m for m in reachable(edges, module) if module in reachable(edges, m))
              for module in sorted(LIFECYCLE)}
    cycles = {module: back for module, back in cycles.items() if module in reachable(edges, module)}
    assert cycles == {}


def test_no_new_two_way_dependency_between_apps():
    app_edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        app = module.split(".")[0]
        app_edges.setdefault(app, set()).update(t.split(".")[0] for t in targets if t.split(".")[0] != app)
    two_way = {tuple(sorted((a, b))) for a, targets in app_edges.items() for b in targets if a in app_edges.get(b, ())}
    assert two_way - KNOWN_TWO_WAY == set(), "a new two-way dependency between apps"
    assert KNOWN_TWO_WAY - two_way == set(), "gone: take it off KNOWN_TWO_WAY"
