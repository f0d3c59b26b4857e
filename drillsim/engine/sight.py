"""Fog of war: a system as the team sees it (its last known state until the problem is detected), or as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .status import Status, SystemView

if TYPE_CHECKING:
    from .compiled import CompiledModel
    from .world import World

__all__ = ["system_view", "visible_status"]


def visible_status(world: World, c: CompiledModel, i: int) -> Status:
    """System ``i`` as the team sees it: the truth once detected; until then its last known state, or unknown.

    A system that serves with no problem of its own is seen as it is once the team has watched
    an incident of it (up, or degraded through a soft dependency: the feed said so), else when
    it is fully up; the status events the feed shows follow the same rule.
    """
    st = world.sys.get(i)
    if st is None:
        return Status.up
    if st.detected or (st.serving and not st.problem and (st.status is Status.up or st.detected_at is not None)):
        return st.status
    monitor_down = c.monitor >= 0 and c.monitor != i and not world.serving(c.monitor)
    if monitor_down:
        return Status.unknown
    known = world.infra.dom_known_at.get(st.cause_domain) if st.cause_domain >= 0 else None
    if known is not None and known <= world.env.now:
        return Status.unknown
    return Status.up  # nobody has noticed yet: it looks as it did


def system_view(world: World, c: CompiledModel, i: int, truth: bool = False) -> SystemView:
    """One system as the team (or, with truth, the facilitator) sees it."""
    st = world.sys.get(i)
    status = (st.status if st is not None else Status.up) if truth else visible_status(world, c, i)
    seen = truth or (st is not None and st.detected)
    site_index = c.site_of_closure(world.infra.rep_closure(st.active) if st is not None else c.rep_closure[c.sys_active0[i]])
    site = c.dom_ids[site_index] if site_index >= 0 else None
    task = st.task.snapshot() if st is not None and st.task is not None else None
    return SystemView(
        id=c.sys_ids[i],
        label=c.sys_label[i],
        grade=c.grade[i],
        status=status,
        share=(st.share if st is not None else 1.0) if seen else (1.0 if status is Status.up else 0.0),
        detected=st is not None and st.detected,
        rto_hours=c.rto[i],
        down_since=st.down_since if st is not None and seen else None,
        site=site,
        through_links=bool(st is not None and seen and st.dep_blocked and not st.problem),
        data_lost=bool(st is not None and seen and st.data_lost and (truth or st.detected)),
        task=task if seen or task is not None else None,
    )
