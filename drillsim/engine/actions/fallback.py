"""Action ``fallback/<system>``: switch a system that does not serve to its manual fallback."""

from __future__ import annotations

from collections.abc import Iterator

from ..recovery import NO, READY, start_fallback
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
from .recover import listed

__all__ = ["SwitchToFallback"]


class SwitchToFallback(ActionHandler):
    """The fallback of every listed system that has one and does not serve."""

    kind = ActionKind.fallback

    def options(self, world: World, truth: bool, now: float) -> Iterator[ActionOption]:
        c = world.c
        for i in listed(world, truth):
            st = world.sys[i]
            spec = c.systems[i].fallback
            if spec is None or st.serving:
                continue
            if st.fallback_on or st.fallback_task is not None:
                status, reason = NO, "the fallback is already active or activating"
            else:
                status, reason = READY, ""
            what = spec.label or "manual processing"
            label = f"switch {world.label(i)} to its fallback ({what}, {spec.share:.0%} of demand): {spec.staff} staff, after {hours_text(spec.activation)}"
            sid = c.sys_ids[i]
            yield ActionOption(ActionId(self.kind, sid), sid, label, spec.team, spec.staff, spec.activation, status, reason, c.grade[i])

    def act(self, world: World, action: ActionId, by: str) -> Task | None:
        c = world.c
        i = c.sidx.get(action.target)
        if i is None:
            raise ActionError(f"unknown system {action.target!r}")
        if c.systems[i].fallback is None:
            raise ActionError(f"{world.label(i)} has no manual fallback")
        task = start_fallback(world, i, by=by)
        if task is None:
            raise ActionError(f"{world.label(i)}: the fallback is not needed or already active")
        return task
