"""Inject actions on domains: ``fail`` (optionally ``for``), ``destroy``, ``restore``."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["Fail", "Destroy", "Restore"]


class Fail(InjectHandler):
    """The domain fails with the cause ``inject`` (its replicas stop if the domain needs restarts); ``for`` ends it by itself."""

    key = "fail"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.fail is not None
        c = world.c
        d = c.didx[action.fail]
        if action.duration is not None:
            # Timed before it fails: a failure noticed at once (no detection delay) must not send a
            # repair crew to an outage that ends by itself.
            world.infra.set_timed(d, True)
            world.schedule(action.duration, _end_timed, world, d)
        world.domain_fail(d, "inject", stop=c.dom_restart[d])


def _end_timed(world: World, d: int) -> None:
    world.infra.set_timed(d, False)
    world.domain_restore(d, ("inject",))


class Destroy(InjectHandler):
    """The domain is destroyed."""

    key = "destroy"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.destroy is not None
        world.domain_destroy(world.c.didx[action.destroy])


class Restore(InjectHandler):
    """Every cause of the domain's failure ends."""

    key = "restore"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.restore is not None
        d = world.c.didx[action.restore]
        world.infra.set_timed(d, False)
        world.domain_restore(d)
