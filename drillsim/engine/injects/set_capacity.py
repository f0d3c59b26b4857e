"""Inject action ``set_capacity``: a domain's free capacity changes; stuck work may go on."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["SetCapacity"]


class SetCapacity(InjectHandler):
    """New free capacity at a domain."""

    key = "set_capacity"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        spec = action.set_capacity
        assert spec is not None
        world.set_free_capacity(world.c.didx[spec.domain], spec.free_capacity)
