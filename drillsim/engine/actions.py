"""Carrying out scenario actions (injects and decision effects) on the world."""

from __future__ import annotations

from typing import Callable

from ..model.injects import Action
from .kinds import PENDING, EventKind
from .world import World

__all__ = ["apply_action"]


def apply_action(world: "World", action: Action, source: str, open_decision: Callable[[str], None]) -> None:
    """Do what ``action`` says, now; ``source`` names the inject or decision it comes from."""
    c = world.c
    text = action.message or action.title
    kind = action.action
    if kind == "message":
        world.log(EventKind.message, source, text or "")
        return
    summary = _summary(world, action)
    world.log(EventKind.inject, source, f"{summary}" + (f": {text}" if text else ""), action=kind)
    if action.fail is not None:
        d = c.didx[action.fail]
        world.domain_fail(d, "inject", stop=c.dom_restart[d])
        if action.duration is not None:
            world.infra.set_timed(d, True)

            def _end(d: int = d) -> None:
                world.infra.set_timed(d, False)
                world.domain_restore(d, ("inject",))

            world.schedule(action.duration, _end)
    elif action.destroy is not None:
        world.domain_destroy(c.didx[action.destroy])
    elif action.restore is not None:
        d = c.didx[action.restore]
        world.infra.set_timed(d, False)
        world.domain_restore(d)
    elif action.fail_system is not None:
        i = c.sidx[action.fail_system]
        world.system_fail(i)
        if action.duration is not None:
            world.schedule(action.duration, world.system_unfail, i, False)
    elif action.restore_system is not None:
        world.system_unfail(c.sidx[action.restore_system])
    elif action.suspend is not None:
        world.system_suspend(c.sidx[action.suspend], True)
    elif action.resume is not None:
        world.system_suspend(c.sidx[action.resume], False)
    elif action.surge is not None:
        surge = action.surge
        for system_id in surge.systems:
            i = c.sidx[system_id]
            world.set_surge(i, surge.factor)
            if surge.duration is not None:
                world.schedule(surge.duration, world.set_surge, i, 1.0 / surge.factor)
    elif action.add_staff is not None:
        team = world.teams[c.tidx[action.add_staff.team]]
        world.schedule(action.add_staff.after, team.add_staff, action.add_staff.staff, f"from {source}")
    elif action.prefer is not None:
        for system_id in action.prefer.systems:
            i = c.sidx[system_id]
            world.prefer(i, action.prefer.option)
            st = world.sys.get(i)
            if st is not None and st.task is not None and st.task.state in PENDING:
                if st.task.option is not None and st.task.option.key != action.prefer.option:
                    st.task.cancel(f"replanned: {action.prefer.option} preferred")
                    st.drop_task()
                    if world.policy is not None:
                        world.schedule(0.0, world.policy.on_detected, i)
        if world.policy is not None:
            world.policy.on_conditions_changed()
    elif action.set_capacity is not None:
        d = c.didx[action.set_capacity.domain]
        world.set_free_capacity(d, action.set_capacity.free_capacity)
    elif action.decision is not None:
        open_decision(action.decision)


def _summary(world: "World", action: Action) -> str:
    scenario = world.scenario
    kind = action.action
    if kind in ("fail", "destroy", "restore"):
        target = getattr(action, kind)
        verb = {"fail": "fails", "destroy": "is destroyed", "restore": "is restored"}[kind]
        extra = f" for {action.duration:g}h" if action.duration else ""
        return f"{scenario.domain_index[target].label} {verb}{extra}"
    if kind in ("fail_system", "restore_system", "suspend", "resume"):
        target = getattr(action, kind)
        verb = {"fail_system": "fails", "restore_system": "is fixed", "suspend": "is suspended", "resume": "is resumed"}[kind]
        return f"{scenario.system_index[target].label} {verb}"
    if kind == "surge":
        names = ", ".join(scenario.system_index[s].label for s in action.surge.systems)  # type: ignore[union-attr]
        return f"demand surge x{action.surge.factor:g} on {names}"  # type: ignore[union-attr]
    if kind == "add_staff":
        return f"{action.add_staff.staff} staff for {action.add_staff.team}"  # type: ignore[union-attr]
    if kind == "prefer":
        return f"runbook change: {action.prefer.option} first"  # type: ignore[union-attr]
    if kind == "set_capacity":
        return f"{action.set_capacity.domain} can take {action.set_capacity.free_capacity} systems"  # type: ignore[union-attr]
    if kind == "decision":
        return f"decision: {scenario.decision_index[action.decision].prompt}"  # type: ignore[index]
    return kind
