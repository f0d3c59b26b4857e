"""Inject action ``surge``: demand multiplied on some systems, divided back when ``for`` ends."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["Surge"]


class Surge(InjectHandler):
    """A demand surge."""

    key = "surge"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        surge = action.surge
        assert surge is not None
        for system_id in surge.systems:
            i = world.c.sidx[system_id]
            world.set_surge(i, surge.factor)
            if surge.duration is not None:
                world.schedule(surge.duration, world.set_surge, i, 1.0 / surge.factor)
