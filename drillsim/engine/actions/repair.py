"""Action ``repair/<domain>``: send the repair crew of a domain that an inject took down."""

from __future__ import annotations

from collections.abc import Iterator

from ..recovery import NO, READY, start_domain_repair
from ..tasks import Task
from ..world import World
from .base import (
    ActionError,
    ActionHandler,
    ActionId,
    ActionKind,
    ActionOption,
    hours_text,
)

__all__ = ["Repair"]


class Repair(ActionHandler):
    """Every domain down by an inject whose failure is known (or the facilitator's view) and that has a repair spec."""

    kind = ActionKind.repair

    def options(self, world: World, truth: bool, now: float) -> Iterator[ActionOption]:
        infra = world.infra
        scenario = world.scenario
        for d, causes in infra.dom_causes.items():
            if not causes or "inject" not in causes:
                continue
            if not truth and infra.dom_known_at.get(d, 0.0) > now:
                continue
            name = world.c.dom_ids[d]
            spec = scenario.domain_index[name].repair
            if spec is None:
                continue
            task = infra.dom_task.get(d)
            status, reason = (NO, "repair already under way") if task is not None and task.active else (READY, "")
            label = f"repair {scenario.domain_index[name].label}: {spec.staff} staff, about {hours_text(spec.duration.mean)}"
            yield ActionOption(ActionId(self.kind, name), name, label, spec.team, spec.staff, spec.duration.mean, status, reason, 0)

    def act(self, world: World, action: ActionId, by: str) -> Task | None:
        d = world.c.didx.get(action.target)
        if d is None:
            raise ActionError(f"unknown domain {action.target!r}")
        if "inject" not in (world.infra.dom_causes.get(d) or set()):
            raise ActionError(f"{action.target} is not down")
        task = start_domain_repair(world, d, by=by)
        if task is None:
            raise ActionError(f"{action.target}: no repair is possible (none defined, or one is under way)")
        return task
