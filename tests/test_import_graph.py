"""The project's import graph: apps depend one way, no cycle through the lifecycle, and every
import hidden inside a function says why.

Every `import` and `from … import` of the project's own modules is read with `ast`, at module
level and inside functions alike (a function-level import still makes a cycle; it only hides it
from Python's loader). See docs/architecture.md ("Layers") and docs/lifecycle.md ("Dependencies").
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


# The layers of docs/architecture.md, bottom first: an app may import only apps on lower floors.
LAYERS = (
    {"core", "regions", "background"},
    {"accounts"},
    {"audit"},
    {"security"},
    {"cases"},
    {"notifications", "search", "similarity"},
    {"website", "workspace"},
)
# Why an import may sit inside a function: its comment (on the line, or the comment lines just
# above the import block) names one of these.
ACCEPTED_REASONS = ("cycle", "app registry")


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


def app_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, targets in graph().items():
        app = module.split(".")[0]
        edges.setdefault(app, set()).update(t.split(".")[0] for t in targets if t.split(".")[0] != app)
    return edges


def test_no_import_cycle_between_apps():
    """Not only no pair: no ring of any length (a → b → c → a) either."""
    edges = app_edges()
    assert {app for app in edges if app in reachable(edges, app)} == set()


def test_every_app_sits_on_a_floor_and_imports_only_lower_floors():
    floor = {app: n for n, apps in enumerate(LAYERS) for app in apps}
    assert set(APPS) == set(floor), "an app missing from LAYERS (or a layer naming no app)"
    upward = {(a, b) for a, targets in app_edges().items() for b in targets if floor[b] >= floor[a]}
    assert upward == set()


def test_inside_cases_no_cycle_through_the_workflow():
    """Issue 15's "inside cases: none through workflow": no cases module that the workflow's
    modules import imports them back, however indirectly."""
    edges = {m: {t for t in ts if t.startswith("cases.")} for m, ts in graph().items() if m.startswith("cases.")}
    workflow = {m for m in edges if m.startswith("cases.workflow")}
    assert workflow >= {"cases.workflow", "cases.workflow_bulk", "cases.workflow_import"}
    assert {m: sorted(w for w in workflow if w in reachable(edges, m)) for m in workflow if m in reachable(edges, m)} == {}


def function_level_imports() -> list[tuple[str, int, str]]:
    """(file, line, comment) of every import of project code inside a function; the comment is the
    import line's own or the comment lines just above its block of imports."""
    found = set()
    for path in project_modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            imports = [node for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)]
            imported = {n for node in imports for n in range(node.lineno, node.end_lineno + 1)}
            for node in imports:
                if isinstance(node, ast.ImportFrom) and node.level:
                    project = True  # a relative import: the project's own
                else:
                    module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    project = (module or "").split(".")[0] in APPS
                if not project:
                    continue
                comment = [lines[n].partition("#")[2] for n in range(node.lineno - 1, node.end_lineno)]
                above = node.lineno - 2
                while above >= 0 and (above + 1 in imported or lines[above].strip().startswith("#")
                                      or not lines[above].strip()):
                    comment.append(lines[above].partition("#")[2])
                    above -= 1
                found.add((str(path.relative_to(ROOT)), node.lineno, " ".join(comment)))
    return sorted(found)


def test_function_level_imports_of_project_code_say_why():
    """Only where a cycle is inherent (or Django's app registry is not loaded yet, as in
    AppConfig.ready), each with a comment saying so (issue 15 part 4)."""
    found = function_level_imports()
    assert len(found) > 5  # the scan sees them
    unexplained = [f"{path}:{line}" for path, line, comment in found
                   if not any(reason in comment.lower() for reason in ACCEPTED_REASONS)]
    assert unexplained == []
