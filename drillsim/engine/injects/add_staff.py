"""Inject action ``add_staff``: people join a team after a delay."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["AddStaff"]


class AddStaff(InjectHandler):
    """Staff for a team, arriving ``after`` the inject."""

    key = "add_staff"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        spec = action.add_staff
        assert spec is not None
        team = world.teams[world.c.tidx[spec.team]]
        world.schedule(spec.after, team.add_staff, spec.staff, f"from {ctx.source}")
