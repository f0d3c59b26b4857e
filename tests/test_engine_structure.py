"""The engine's extension points are complete and open, and its modules form no import cycle.

- every redundancy mode, inject action and recovery kind has its handler on each side;
- an action kind registered from outside the engine is listed and carried out by a simulation
  (the way a layer above adds standing orders);
- structured action ids and their string form (what journals record) convert both ways, and
  acting by either gives the same run;
- no import cycle among the engine's modules, counting imports under TYPE_CHECKING and inside
  functions; no engine module over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from drillsim.engine import ActionError, Simulation
from drillsim.engine.actions import ACTIONS, ActionHandler, ActionId, ActionOption, parse_action_id, register_action
from drillsim.engine.injects import HANDLERS as ENGINE_INJECTS
from drillsim.engine.kinds import EventKind, Feasibility
from drillsim.engine.recovery import HANDLERS as RECOVERY_KINDS
from drillsim.engine.redundancy import BEHAVIOURS
from drillsim.model import load_scenario
from drillsim.model.inject_kinds import INJECT_KINDS
from drillsim.model.injects import ACTION_FIELDS
from drillsim.model.redundancy import MODES
from drillsim.model.systems import RecoveryKind, RedundancyMode

from helpers import SCENARIOS

ENGINE = Path(__file__).resolve().parents[1] / "drillsim" / "engine"


def test_every_variation_point_has_its_handlers():
    assert set(MODES) == set(RedundancyMode) == set(BEHAVIOURS)
    assert all(rules.mode is mode for mode, rules in MODES.items())
    assert all(b.mode is mode for mode, b in BEHAVIOURS.items())
    assert tuple(INJECT_KINDS) == ACTION_FIELDS
    assert set(ENGINE_INJECTS) == set(ACTION_FIELDS)
    assert all(h.key == key for key, h in ENGINE_INJECTS.items())
    assert set(RECOVERY_KINDS) == set(RecoveryKind)
    assert {"recover", "fallback", "repair", "cancel"} <= set(ACTIONS)


class _TwoReplicas:
    reps = [0, 1]
    active = 0


def test_model_and_engine_agree_on_which_replicas_hold_the_data():
    # Validation's "nothing to restore from" warning reads the model-side rule; the engine's data
    # copies read the behaviour's: a mode that keeps data on every replica must say so on both sides.
    for mode, rules in MODES.items():
        standby_holds = BEHAVIOURS[mode].holds_data(_TwoReplicas(), 1)
        assert rules.data_on_every_placement is standby_holds, mode


def _manual_sim(seed: int = 1) -> Simulation:
    sim = Simulation(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=seed, policy="manual")
    sim.step()
    sim.step()
    return sim


class _Note(ActionHandler):
    """A kind added from outside the engine: write a note in the journal."""

    kind = "note"

    def options(self, world, truth, now):
        yield ActionOption(ActionId(self.kind, "log"), "log", "note the time in the log", None, 0, None, Feasibility.ready, "", 9)

    def act(self, world, action, by):
        if action.target != "log":
            raise ActionError(f"no note target {action.target!r}")
        world.log(EventKind.message, action.target, f"note by {by} at {world.env.now:g}h")
        return None


def test_an_action_kind_registered_from_outside_is_listed_and_carried_out():
    handler = _Note()
    register_action(handler)
    try:
        with pytest.raises(ValueError, match="already registered"):
            register_action(_Note())
        sim = _manual_sim()
        listed = [a for a in sim.actions() if a.kind == "note"]
        assert [a.id for a in listed] == ["note/log"]
        assert sim.act("note/log") is None
        assert sim.result().actions[-1]["action"] == "note/log"
        notes = [e for e in sim.events(visible_only=False) if e.kind == "message" and e.subject == "log"]
        assert [e.text for e in notes] == [f"note by team at {sim.now:g}h"]
        with pytest.raises(ActionError, match="no note target 'elsewhere'"):
            sim.act(ActionId("note", "elsewhere"))
    finally:
        ACTIONS.pop("note")
    with pytest.raises(ActionError, match="unknown action 'note/log'"):
        _manual_sim().act("note/log")


def test_action_ids_and_their_string_form_convert_both_ways():
    sim = _manual_sim()
    options = sim.actions(truth=True)
    assert {o.kind for o in options} >= {"recover", "fallback"}
    for option in options:
        assert str(option.action) == option.id
        assert parse_action_id(option.id) == option.action
    assert parse_action_id("recover/login/restore") == ActionId("recover", "login", "restore")
    assert parse_action_id("cancel/12") == ActionId("cancel", "12")


def test_acting_by_structured_id_or_by_its_string_gives_the_same_run():
    def play(structured: bool) -> dict:
        sim = _manual_sim(seed=4)
        for option in [o for o in sim.actions() if o.status == "ready"][:2]:
            sim.act(option.action if structured else option.id)
        return sim.run().to_dict()

    by_string = play(False)
    assert len(by_string["actions"]) == 2
    assert play(True) == by_string


def _engine_imports() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        parts = path.relative_to(ENGINE.parents[1]).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # every import: TYPE_CHECKING, functions
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else [])) if node.level else node.module or ""
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_no_import_cycle_in_the_engine():
    graph = _engine_imports()
    assert len(graph) > 40
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(name):] + [name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_no_engine_module_over_400_lines():
    sizes = {str(p.relative_to(ENGINE)): len(p.read_text(encoding="utf-8").splitlines()) for p in ENGINE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
