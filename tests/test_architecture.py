"""The layers of docs/architecture.md hold, no two modules import each other, and every module says what it is.

Layers, lowest first (a layer imports only from layers below it, and from itself)::

    model (pydantic, no SimPy)
      < engine (SimPy, no Textual) and replication (seeds, intervals, worker pool)
      < batch / check / invest / report / drill / tui      (peers)
      < seats (the networked drill: server, seat clients and their app)
      < cli

Between peers only the sideways imports in :data:`SIDEWAYS` are allowed, each with its reason.
Every import counts: at module level, behind ``if TYPE_CHECKING:`` and inside functions, so a
cycle cannot hide behind either. Checked statically (the import statements of every module) and
dynamically (fresh interpreters importing the lower layers never load the upper ones' libraries).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "drillsim"

RANK = {"model": 0, "engine": 1, "replication": 1, "batch": 2, "check": 2, "invest": 2, "report": 2, "drill": 2, "tui": 2, "seats": 3}
"""Each layer's height; cli and the top-level modules may import anything."""

SIDEWAYS = {
    ("invest", "batch"): "the investment analysis runs its threats and options as batches (run_batch, BatchResult)",
    ("tui", "drill"): "the drill app is the screen of a DrillSession: it reads the session and the board model",
    ("tui", "report"): "the app shows the after-action report and the sitreps, built by drillsim.report",
    ("report", "drill"): "two entry points kept for callers: report.run_baselines and sitrep_from_simulation (the drill layer's)",
}
"""The only imports allowed between peer layers: (importer, imported) -> why."""

KNOWN_CYCLES: list[frozenset[str]] = []
"""Cycles tolerated for now, each with the work that removes it."""

FORBIDDEN_LIBRARIES = {
    "model": {"simpy", "textual"},
    "engine": {"textual"},
    "replication": {"simpy", "textual"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import statement of ``path``, wherever it stands.

    ``from package import name`` counts as an import of the submodule ``package.name`` when that
    is a module, and of ``package`` (its ``__init__``) otherwise.
    """
    modules = _modules()
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in modules]
            out.extend((sub, node.lineno) for sub in submodules)
            if len(submodules) < len(node.names):
                out.append((target, node.lineno))
    return out


@lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """drillsim module -> the drillsim modules it imports (a package counts as its __init__)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target, _line in imports_of(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]  # drillsim.x.Name -> drillsim.x
            if target and target != name and target.startswith("drillsim"):
                targets.add(target)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert cycles(graph) == [{"a", "b", "c"}]
    assert cycles({"x": {"y"}, "y": set()}) == []


def test_imports_hidden_in_functions_and_type_checking_blocks_count():
    # The report's renderers used to reach the report class only behind TYPE_CHECKING, and the
    # report reached the renderers only inside methods: both are edges of the graph.
    graph = import_graph()
    assert "drillsim.report.sitrep_sources" in graph["drillsim.report.aar"]  # module level
    assert "drillsim.drill.views" in graph["drillsim.report.sitrep_sources"]  # inside a function
    assert "drillsim.report.markdown" in graph["drillsim.report.aar"]  # inside a method
    assert "drillsim.engine.results" in graph["drillsim.report.summary"]  # behind TYPE_CHECKING


def test_no_import_cycles():
    known = set(KNOWN_CYCLES)
    found = [frozenset(c) for c in cycles(import_graph())]
    unexpected = [sorted(c) for c in found if c not in known]
    assert not unexpected, f"modules that import each other (directly or around a circle): {unexpected}"
    gone = [sorted(c) for c in known if c not in found]
    assert not gone, f"a known cycle is gone: remove it from KNOWN_CYCLES: {gone}"


@pytest.mark.parametrize("name", sorted(_modules()))
def test_imports_point_down(name):
    path = _modules()[name]
    layer = _layer(name)
    if layer is None:
        return  # cli and top-level modules may import anything
    for target, line in imports_of(path):
        top = target.split(".")[0]
        assert top not in FORBIDDEN_LIBRARIES.get(layer, set()), f"{path}:{line}: the {layer} layer must not import {top}"
        other = _layer(target)
        if target.startswith("drillsim") and other is None and target not in ("drillsim",):
            pytest.fail(f"{path}:{line}: the {layer} layer imports {target}, above every layer")
        if other is None or other == layer:
            continue
        if RANK[other] < RANK[layer]:
            continue
        if RANK[other] == RANK[layer] and (layer, other) in SIDEWAYS:
            continue
        pytest.fail(f"{path}:{line}: the {layer} layer imports drillsim.{other}, which is not below it (allowed sideways: {sorted(SIDEWAYS)})")


def test_every_sideways_import_allowed_is_used():
    used = {(_layer(a), _layer(b)) for a, targets in import_graph().items() for b in targets}
    assert set(SIDEWAYS) <= used, f"allowed but unused (remove from SIDEWAYS): {sorted(set(SIDEWAYS) - used)}"


def _fresh_import(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_lower_layers_load_no_ui_or_simulation_library():
    code = (
        "import sys; import drillsim.model; assert 'simpy' not in sys.modules, 'model loaded simpy'; "
        "import drillsim.replication; assert 'simpy' not in sys.modules, 'replication loaded simpy'; "
        "import drillsim.engine; assert 'textual' not in sys.modules, 'engine loaded textual'; print('ok')"
    )
    out = _fresh_import(code)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


HEADLESS = ("drillsim.drill", "drillsim.batch", "drillsim.report", "drillsim.invest", "drillsim.check", "drillsim.seats", "drillsim.seats.server", "drillsim.seats.client")
"""Packages that must run without Textual (the CLI's report, batch, invest and check commands)."""


def test_headless_layers_import_no_textual():
    # One fresh interpreter imports each package in turn and looks for Textual after each, so a
    # package that loads it (itself or through anything it imports) is named.
    # Last, drillsim.tui, which must load it: the check would see Textual if it were there.
    code = (
        "import sys, importlib\n"
        f"for name in {HEADLESS + ('drillsim.tui',)!r}:\n"
        "    importlib.import_module(name)\n"
        "    loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "    print(name, loaded[:1])\n"
    )
    out = _fresh_import(code)
    assert out.returncode == 0, out.stderr
    *headless, tui = out.stdout.strip().splitlines()
    assert [line.split()[0] for line in headless] == list(HEADLESS)
    for line in headless:
        assert line.endswith(" []"), f"{line.split()[0]} loaded Textual: {line}"
    assert tui == "drillsim.tui ['textual']", tui


@pytest.mark.parametrize("name", sorted(_modules()))
def test_every_module_and_public_class_has_a_docstring(name):
    path = _modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path}: module docstring missing"
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path}: class {node.name} has no docstring"


LONG_MODULES = {
}
"""Modules allowed over 400 lines for now (a prefix ending in a dot covers a package), and why."""


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_over_400_lines(name):
    path = _modules()[name]
    for prefix, why in LONG_MODULES.items():
        if name.startswith(prefix) if prefix.endswith(".") else name == prefix:
            pytest.skip(why)
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path} has {lines} lines: split it by concept"


def test_every_scenario_field_is_documented():
    """Fields are documented where they are declared: the JSON Schema shows it in editors."""
    import inspect

    from pydantic import BaseModel

    import drillsim.model as model

    seen = set()
    for module_name in ("common", "domains", "teams", "systems", "injects", "openings", "failures", "organizations", "scenario", "distributions"):
        module = __import__(f"drillsim.model.{module_name}", fromlist=["x"])
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__ and cls not in seen:
                seen.add(cls)
                for field_name, info in cls.model_fields.items():
                    if field_name == "dist":
                        continue  # the discriminator of a distribution: its value is its documentation
                    assert info.description, f"{cls.__name__}.{field_name} has no description"
    assert len(seen) > 20
    del model
