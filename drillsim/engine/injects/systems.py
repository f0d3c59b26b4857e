"""Inject actions on systems: ``fail_system`` (optionally ``for``), ``restore_system``, ``suspend``, ``resume``."""

from __future__ import annotations

from ...model.injects import Action
from ..world import World
from .base import InjectContext, InjectHandler

__all__ = ["FailSystem", "RestoreSystem", "Suspend", "Resume"]


class FailSystem(InjectHandler):
    """The system fails in itself; ``for`` ends that failure by itself."""

    key = "fail_system"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.fail_system is not None
        i = world.c.sidx[action.fail_system]
        world.system_fail(i)
        if action.duration is not None:
            world.schedule(action.duration, world.system_unfail, i, False)


class RestoreSystem(InjectHandler):
    """The system's own failures (and a collapse) end."""

    key = "restore_system"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.restore_system is not None
        world.system_unfail(world.c.sidx[action.restore_system])


class Suspend(InjectHandler):
    """The system is taken offline on purpose."""

    key = "suspend"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.suspend is not None
        world.system_suspend(world.c.sidx[action.suspend], True)


class Resume(InjectHandler):
    """A suspended system is put back online."""

    key = "resume"

    def apply(self, world: World, action: Action, ctx: InjectContext) -> None:
        assert action.resume is not None
        world.system_suspend(world.c.sidx[action.resume], False)
