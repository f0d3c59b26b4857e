"""Action ``cancel/<task>``: cancel a recovery or repair whose hands-on work has not started."""

from __future__ import annotations

from collections.abc import Iterator

from ..kinds import TaskKind, TaskState
from ..recovery import READY
from ..tasks import Task
from ..world import World
from .base import ActionError, ActionHandler, ActionId, ActionKind, ActionOption

__all__ = ["Cancel"]

_CANCELLABLE = (TaskState.lead, TaskState.waiting, TaskState.queued)


class Cancel(ActionHandler):
    """Every recovery or repair in a lead time, waiting, or queued for staff."""

    kind = ActionKind.cancel

    def options(self, world: World, truth: bool, now: float) -> Iterator[ActionOption]:
        for task in world.tasks:
            if task.state in _CANCELLABLE and task.kind in (TaskKind.recover, TaskKind.repair):
                yield ActionOption(ActionId(self.kind, str(task.id)), task.subject, f"cancel: {task.label} ({task.state})", None, 0, None, READY, "", 9)

    def act(self, world: World, action: ActionId, by: str) -> Task | None:
        task_id = int(action.target) if action.target.isdigit() else -1
        target = next((t for t in world.tasks if t.id == task_id), None)
        if target is None or not target.cancel("cancelled by the team"):
            raise ActionError(f"task {action.target} cannot be cancelled (unknown, or its work has started)")
        env = world.env
        # Let the interrupt be processed now, so the state is consistent when shown.
        while env.peek() <= env.now:
            env.step()
        return None
