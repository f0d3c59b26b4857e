"""The layers of docs/architecture.md hold, and every module and public class says what it is.

model (pydantic, no SimPy) < engine (SimPy, no Textual) < batch / invest / report / tui / drill
< cli. Checked statically (every import statement of every module) and dynamically (a fresh
interpreter importing the lower layers never loads the upper ones' libraries).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "drillsim"

# What each layer may import from drillsim (its own layer is always allowed).
ALLOWED = {
    "model": {"model"},
    "engine": {"model", "engine"},
    "check": {"model", "engine", "check"},
    "batch": {"model", "engine", "batch"},
    "invest": {"model", "engine", "batch", "invest"},
    "report": {"model", "engine", "report", "drill"},
    "drill": {"model", "engine", "drill"},
    "tui": {"model", "engine", "report", "drill", "tui"},
}
FORBIDDEN_LIBRARIES = {
    "model": {"simpy", "textual"},
    "engine": {"textual"},
}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE.parent).with_suffix("").parts


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                out.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                out.append(node.module)
    return out


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda x: "/".join(x) if isinstance(x, tuple) else "")
def test_imports_point_down(path, parts):
    if len(parts) < 3:
        return  # drillsim/__init__.py, __main__.py
    layer = parts[1]
    if layer not in ALLOWED:
        return  # cli and top-level modules may import anything
    for name in imported_names(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN_LIBRARIES.get(layer, set()), f"{path}: the {layer} layer must not import {top}"
        if name.startswith("drillsim."):
            target = name.split(".")[1]
            assert target in ALLOWED[layer], (
                f"{path}: the {layer} layer imports drillsim.{target}, an upper layer"
            )


def test_lower_layers_load_no_ui_or_simulation_library():
    code = (
        "import sys; import drillsim.model; assert 'simpy' not in sys.modules, 'model loaded simpy'; "
        "import drillsim.engine; assert 'textual' not in sys.modules, 'engine loaded textual'; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


@pytest.mark.parametrize("path, parts", list(modules()), ids=lambda x: "/".join(x) if isinstance(x, tuple) else "")
def test_every_module_and_public_class_has_a_docstring(path, parts):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path}: module docstring missing"
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path}: class {node.name} has no docstring"


def test_every_scenario_field_is_documented():
    """Fields are documented where they are declared: the JSON Schema shows it in editors."""
    import inspect

    from pydantic import BaseModel

    import drillsim.model as model

    seen = set()
    for module_name in ("common", "domains", "teams", "systems", "injects", "failures", "organizations", "scenario", "distributions"):
        module = __import__(f"drillsim.model.{module_name}", fromlist=["x"])
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__ and cls not in seen:
                seen.add(cls)
                for name, info in cls.model_fields.items():
                    if name == "dist":
                        continue  # the discriminator of a distribution: its value is its documentation
                    assert info.description, f"{cls.__name__}.{name} has no description"
    assert len(seen) > 20
    del model
