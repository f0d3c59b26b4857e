"""Turning a finished world into a :class:`~drillsim.engine.results.RunResult` (formulas in results.py)."""

from __future__ import annotations

from operator import itemgetter

from .compiled import CompiledModel
from .results import CurvePoint, Metrics, RunResult, SystemResult
from .state import SysState
from .world import World

__all__ = ["build_result", "recovery_curve", "time_to_recover"]

_SERVING = ("up", "degraded")
_BY_TIME_AND_SYSTEM = itemgetter(0, 1)


def _system_result(world: World, st: SysState, end: float) -> SystemResult:
    c = world.c
    i = st.i
    demand, fallback, unserved = world.books.pending(st, end)  # the books since the last change, not booked
    episodes = st.episodes  # read only
    open_since = st.down_since
    durations = [b - a for a, b in episodes]
    if open_since is not None:
        durations.append(end - open_since)
    downtime = sum(durations)
    longest = max(durations) if durations else None
    rto = c.rto[i]
    if longest is None:
        rto_met = None
    elif longest > rto + 1e-9:  # some outage took longer than the RTO
        rto_met = False
    elif open_since is not None:
        rto_met = None
    else:
        rto_met = True
    loss = st.data_loss
    rpo_met = None
    if st.data_lost:
        rpo_met = False
    elif loss is not None:
        rpo_met = loss <= c.rpo[i] + 1e-9
    first_down = episodes[0][0] if episodes else open_since
    return SystemResult(
        id=c.sys_ids[i],
        name=c.sys_label[i],
        grade=c.grade[i],
        rto_hours=rto,
        rpo_hours=c.rpo[i],
        availability=1.0 - downtime / end if end > 0 else 1.0,
        downtime_hours=downtime,
        outages=len(durations),
        time_to_restore_hours=longest,
        restored=open_since is None,
        rto_met=rto_met,
        data_loss_hours=loss,
        data_lost_permanently=st.data_lost,
        rpo_met=rpo_met,
        demand=st.demand + demand,
        unserved_demand=max(0.0, st.unserved + unserved),
        fallback_served_demand=st.fb_served + fallback,
        reentry_hours=st.reentry_hours,
        final_status=st.status.value,
        first_down_hours=first_down,
        timeline=list(st.timeline),
        links_timeline=list(st.links),
    )


def recovery_curve(world: World, affected: list[SysState], end: float) -> list[CurvePoint]:
    """Share of affected systems serving, and of their weighted demand served, at every change."""
    if not affected:
        return []
    c = world.c
    weights = {st.i: c.weight[st.i] * c.per_day[st.i] for st in affected}
    total_w = sum(weights.values())
    n = len(affected)
    changes: list[tuple[float, int, bool, float]] = []
    for st in affected:
        for t, status, share in st.timeline:
            changes.append((t, st.i, status in _SERVING, share if status in _SERVING else 0.0))
    changes.sort(key=_BY_TIME_AND_SYSTEM)
    serving = {st.i: True for st in affected}
    shares = {st.i: 1.0 for st in affected}
    count = n
    wsum = total_w
    points: list[CurvePoint] = []
    k = 0
    while k < len(changes):
        t = changes[k][0]
        while k < len(changes) and changes[k][0] == t:
            _, i, is_serving, share = changes[k]
            if is_serving != serving[i]:
                count += 1 if is_serving else -1
                serving[i] = is_serving
            wsum += weights[i] * (share - shares[i])
            shares[i] = share
            k += 1
        weighted = wsum / total_w if total_w > 0 else count / n
        point = CurvePoint(t, count / n, max(0.0, min(1.0, weighted)))
        if points and points[-1].t == t:
            points[-1] = point
        elif not points or (points[-1].systems, points[-1].weighted) != (point.systems, point.weighted):
            points.append(point)
    return points


def time_to_recover(curve: list[CurvePoint], level: float) -> float | None:
    """First time from which the share of affected systems serving stays >= level to the end."""
    if not curve:
        return None
    if curve[-1].systems < level - 1e-12:
        return None
    for k in range(len(curve) - 1, -1, -1):
        if curve[k].systems < level - 1e-12:
            return curve[k + 1].t
    return curve[0].t


def build_result(world: World, policy: str, end: float, scenario_hash: str | None) -> RunResult:
    """Compute every score at ``end``, reading the demand books without closing them.

    Nothing in the world changes: a drill that looks at its score half-way ends bit for bit like
    one that does not (booking a demand integral in two parts would change its last bits).
    """
    c = world.c
    touched = {}
    affected = []
    for i in sorted(world.sys):
        st = world.sys[i]
        result = _system_result(world, st, end)
        touched[result.id] = result
        if st.episodes or st.down_since is not None:
            affected.append(st)
    all_demand = sum(per_day * c.curves[k].at(end) for k, per_day in enumerate(c.curve_per_day))
    touched_normal = sum(c.per_day[st.i] * c.curves[c.curve[st.i]].at(end) for st in world.sys.values())
    untouched_demand = max(0.0, all_demand - touched_normal)
    scope = c.curve_scope
    curve = recovery_curve(world, affected if scope is None else [st for st in affected if st.i in scope], end)
    results = list(touched.values())
    weighted = sum(world.scenario.grade_weights[r.grade] * r.unserved_demand for r in results)
    metrics = Metrics(
        systems_total=len(c.sys_ids),
        systems_affected=len(affected),
        systems_down_at_end=sum(1 for r in results if not r.restored),
        grade1_rto_breaches=sum(1 for r in results if r.grade == 1 and r.rto_met is False),
        rto_breaches=sum(1 for r in results if r.rto_met is False),
        rpo_breaches=sum(1 for r in results if r.rpo_met is False),
        data_lost_permanently=[r.id for r in results if r.data_lost_permanently],
        total_demand=sum(r.demand for r in results) + untouched_demand,
        unserved_demand=sum(r.unserved_demand for r in results),
        fallback_served_demand=sum(r.fallback_served_demand for r in results),
        weighted_unserved_demand=weighted,
        first_impact_hours=min((r.first_down_hours for r in results if r.first_down_hours is not None), default=None),
        time_to_recover_hours={f"p{int(p * 100)}": time_to_recover(curve, p) for p in (0.5, 0.9, 1.0)},
        recovery_curve=curve,
    )
    run = RunResult(
        scenario=world.scenario.id,
        scenario_hash=scenario_hash,
        seed=world.seed,
        policy=policy,
        horizon_hours=world.scenario.horizon,
        ended_hours=end,
        systems=touched,
        metrics=metrics,
        events=list(world.events),
        decisions=list(world.decisions_made),
    )
    run.queues = {c.sys_ids[i]: queue.finish() for i, queue in world.queues.items()}
    run.bind_untouched(_UntouchedFactory(c, set(world.sys), end))
    return run


class _UntouchedFactory:
    """Builds the (trivial) results of untouched systems only when somebody asks for them."""

    def __init__(self, compiled: CompiledModel, touched: set[int], end: float):
        self.c = compiled
        self.touched = touched
        self.end = end

    def __call__(self) -> dict[str, SystemResult]:
        c = self.c
        out: dict[str, SystemResult] = {}
        for i, sid in enumerate(c.sys_ids):
            if i not in self.touched:
                demand = c.per_day[i] * c.curves[c.curve[i]].at(self.end)
                out[sid] = SystemResult(sid, c.sys_label[i], c.grade[i], c.rto[i], c.rpo[i], demand=demand)
        return out
