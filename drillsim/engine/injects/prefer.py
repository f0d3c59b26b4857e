"""Inject action ``prefer``: a runbook change; work not started under another option is replanned."""

from __future__ import annotations

from ...model.injects import Action
from ..kinds import PENDING
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["Prefer"]


class Prefer(InjectHandler):
    """Make one option the first tried for some systems."""

    key = "prefer"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        prefer = action.prefer
        assert prefer is not None
        policy = world.policy
        for system_id in prefer.systems:
            i = world.c.sidx[system_id]
            world.prefer(i, prefer.option)
            st = world.sys.get(i)
            if st is not None and st.task is not None and st.task.state in PENDING:
                if st.task.option is not None and st.task.option.key != prefer.option:
                    st.task.cancel(f"replanned: {prefer.option} preferred")
                    st.drop_task()
                    if policy is not None:
                        world.schedule(0.0, policy.on_detected, i)
        if policy is not None:
            policy.on_conditions_changed()
