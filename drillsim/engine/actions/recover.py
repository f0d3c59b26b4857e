"""Action ``recover/<system>/<option>``: carry out a runbook option of a detected problem."""

from __future__ import annotations

from collections.abc import Iterator

from ..recovery import HANDLERS, NO, assess, option_label, options_for, start_recovery
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

__all__ = ["Recover", "listed"]


def listed(world: World, truth: bool) -> Iterator[int]:
    """The systems whose actions are listed: touched, with a problem, and detected (or the facilitator's view)."""
    for i in sorted(world.sys):
        st = world.sys[i]
        if not (st.detected or truth):
            continue
        if st.serving and not st.problem:
            continue
        yield i


class Recover(ActionHandler):
    """Every runbook option of every listed system, assessed now."""

    kind = ActionKind.recover

    def parse(self, rest: str) -> ActionId:
        system, _, option = rest.partition("/")
        return ActionId(self.kind, system, option)

    def options(self, world: World, truth: bool, now: float) -> Iterator[ActionOption]:
        c = world.c
        for i in listed(world, truth):
            st = world.sys[i]
            sid = c.sys_ids[i]
            task = st.task if st.task is not None and st.task.active else None
            for option in options_for(world, i):
                team_index = c.tidx[option.team] if option.team else c.team[i]
                team = c.teams[team_index].id if team_index >= 0 else None
                if task is not None:
                    status, reason = NO, f"already under way: {task.label} ({task.state})"
                else:
                    a = assess(world, i, option)
                    status, reason = a.status, a.reason
                hours = option.duration.mean + HANDLERS[option.kind].lead_time(option)
                label = f"{option_label(world, i, option)}: {option.staff} staff, about {hours_text(hours)}"
                yield ActionOption(ActionId(self.kind, sid, option.key), sid, label, team, option.staff, hours, status, reason, c.grade[i])

    def act(self, world: World, action: ActionId, by: str) -> Task | None:
        i = world.c.sidx.get(action.target)
        if i is None:
            raise ActionError(f"unknown system {action.target!r}")
        st = world.state(i)
        if st.task is not None and st.task.active:
            raise ActionError(f"{world.label(i)}: already under way: {st.task.label}")
        option = next((o for o in options_for(world, i) if o.key == action.option), None)
        if option is None:
            raise ActionError(f"{world.label(i)} has no recovery option {action.option!r}")
        a = assess(world, i, option)
        if a.status == NO:
            raise ActionError(f"{option_label(world, i, option)}: not possible: {a.reason}")
        return start_recovery(world, i, option, by=by)
