"""Turning a finished world into a :class:`~drillsim.engine.results.RunResult` (formulas in results.py)."""

from __future__ import annotations

from operator import attrgetter, itemgetter

from .compiled import CompiledModel
from .results import CurvePoint, Metrics, RunResult, SystemResult
from .state import SysState
from .world import World

__all__ = ["build_result", "recovery_curve", "time_to_recover"]

_SERVING = ("up", "degraded")
_TIME = itemgetter(0)
_INDEX = attrgetter("i")


class _Totals:
    """What the ecosystem metrics sum or count over the touched systems, gathered in the one pass over them."""

    __slots__ = ("down_at_end", "grade1_rto_breaches", "rto_breaches", "rpo_breaches", "lost", "demand", "unserved", "fallback", "weighted", "first_impact")

    def __init__(self) -> None:
        self.down_at_end = 0
        self.grade1_rto_breaches = 0
        self.rto_breaches = 0
        self.rpo_breaches = 0
        self.lost: list[str] = []  # ids of the systems whose data is lost for good
        # the terms of each sum, in system order (summed by ``sum``, as the metrics always were)
        self.demand: list[float] = []
        self.unserved: list[float] = []
        self.fallback: list[float] = []
        self.weighted: list[float] = []
        self.first_impact: float | None = None


def _scores(world: World, states: list[SysState], end: float) -> tuple[dict[str, SystemResult], list[SysState], _Totals]:
    """The results of ``states`` (by id, in their order), those that stopped serving, and the totals.

    One pass with the model's tables in locals; every value is computed by the same arithmetic as
    the formulas in results.py always were (the same floats, the same ``sum`` of the same terms).
    """
    c = world.c
    pending = world.books.pending  # the books since the last change, not booked
    sys_ids, labels, grades, rtos, rpos = c.sys_ids, c.sys_label, c.grade, c.rto, c.rpo
    grade_weights = world.scenario.grade_weights
    totals = _Totals()
    lost, demands, unserveds, fallbacks, weighteds = totals.lost, totals.demand, totals.unserved, totals.fallback, totals.weighted
    first_impact = None
    down_at_end = grade1_breaches = rto_breaches = rpo_breaches = 0
    touched: dict[str, SystemResult] = {}
    affected: list[SysState] = []
    for st in states:
        i = st.i
        demand, fallback, unserved = pending(st, end)
        episodes = st.episodes  # read only
        open_since = st.down_since
        rto = rtos[i]
        if episodes:
            durations = [b - a for a, b in episodes]
            if open_since is not None:
                durations.append(end - open_since)
            downtime = sum(durations)
            longest = max(durations)
            outages = len(durations)
            first_down = episodes[0][0]
        elif open_since is not None:
            durations = [end - open_since]
            downtime = sum(durations)
            longest = durations[0]
            outages = 1
            first_down = open_since
        else:
            downtime = 0
            longest = None
            outages = 0
            first_down = None
        if longest is None:
            rto_met = None
        elif longest > rto + 1e-9:  # some outage took longer than the RTO
            rto_met = False
        elif open_since is not None:
            rto_met = None
        else:
            rto_met = True
        loss = st.data_loss
        data_lost = st.data_lost
        rpo_met = None
        if data_lost:
            rpo_met = False
        elif loss is not None:
            rpo_met = loss <= rpos[i] + 1e-9
        sid = sys_ids[i]
        grade = grades[i]
        restored = open_since is None
        demand = st.demand + demand
        unserved = max(0.0, st.unserved + unserved)
        fallback = st.fb_served + fallback
        touched[sid] = SystemResult(  # positional, in the order of its fields (cheaper; tests/test_scoring.py checks each)
            sid, labels[i], grade, rto, rpos[i],
            1.0 - downtime / end if end > 0 else 1.0,
            downtime, outages, longest, restored, rto_met, loss, data_lost, rpo_met,
            demand, unserved, fallback, st.reentry_hours, st.status.value, first_down,
            list(st.timeline), list(st.links),
        )  # fmt: skip
        if outages:
            affected.append(st)
        if not restored:
            down_at_end += 1
        if rto_met is False:
            rto_breaches += 1
            if grade == 1:
                grade1_breaches += 1
        if rpo_met is False:
            rpo_breaches += 1
        if data_lost:
            lost.append(sid)
        demands.append(demand)
        unserveds.append(unserved)
        fallbacks.append(fallback)
        weighteds.append(grade_weights[grade] * unserved)
        if first_down is not None and (first_impact is None or first_down < first_impact):
            first_impact = first_down
    totals.down_at_end = down_at_end
    totals.grade1_rto_breaches = grade1_breaches
    totals.rto_breaches = rto_breaches
    totals.rpo_breaches = rpo_breaches
    totals.first_impact = first_impact
    return touched, affected, totals


def recovery_curve(world: World, affected: list[SysState], end: float) -> list[CurvePoint]:
    """Share of affected systems serving, and of their weighted demand served, at every change."""
    if not affected:
        return []
    c = world.c
    weight, per_day = c.weight, c.per_day
    total_w = sum([weight[st.i] * per_day[st.i] for st in affected])
    n = len(affected)
    # Changes at the same moment are taken system by system (by model index), each system's in its
    # timeline's order: listed in that order, then sorted stably by time alone.
    order = sorted(affected, key=_INDEX)
    weights = [weight[st.i] * per_day[st.i] for st in order]
    changes: list[tuple[float, int, bool, float]] = []
    add = changes.append
    for j, st in enumerate(order):
        for t, status, share in st.timeline:
            if status in _SERVING:
                add((t, j, True, share))
            else:
                add((t, j, False, 0.0))
    if not changes:
        return []
    changes.sort(key=_TIME)
    serving = [True] * n
    shares = [1.0] * n
    count = n
    wsum = total_w
    points: list[CurvePoint] = []
    add_point = points.append
    last_s = last_w = -1.0  # no point yet: the first moment always makes one
    at = changes[0][0]
    for t, j, is_serving, share in changes:
        if t != at:  # every change at ``at`` is in: the curve there
            systems = count / n
            weighted = max(0.0, min(1.0, wsum / total_w if total_w > 0 else systems))
            if systems != last_s or weighted != last_w:
                add_point(CurvePoint(at, systems, weighted))
                last_s = systems
                last_w = weighted
            at = t
        if is_serving is not serving[j]:
            count += 1 if is_serving else -1
            serving[j] = is_serving
        wsum += weights[j] * (share - shares[j])
        shares[j] = share
    systems = count / n
    weighted = max(0.0, min(1.0, wsum / total_w if total_w > 0 else systems))
    if systems != last_s or weighted != last_w:
        add_point(CurvePoint(at, systems, weighted))
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
    touched, affected, totals = _scores(world, [world.sys[i] for i in sorted(world.sys)], end)
    at_end = [curve.at(end) for curve in c.curves]  # days of demand by the end, per demand curve
    all_demand = sum(per_day * at_end[k] for k, per_day in enumerate(c.curve_per_day))
    per_day, curve_of = c.per_day, c.curve
    touched_normal = sum([per_day[st.i] * at_end[curve_of[st.i]] for st in world.sys.values()])
    untouched_demand = max(0.0, all_demand - touched_normal)
    scope = c.curve_scope
    curve = recovery_curve(world, affected if scope is None else [st for st in affected if st.i in scope], end)
    metrics = Metrics(
        systems_total=len(c.sys_ids),
        systems_affected=len(affected),
        systems_down_at_end=totals.down_at_end,
        grade1_rto_breaches=totals.grade1_rto_breaches,
        rto_breaches=totals.rto_breaches,
        rpo_breaches=totals.rpo_breaches,
        data_lost_permanently=totals.lost,
        total_demand=sum(totals.demand) + untouched_demand,
        unserved_demand=sum(totals.unserved),
        fallback_served_demand=sum(totals.fallback),
        weighted_unserved_demand=sum(totals.weighted),
        first_impact_hours=totals.first_impact,
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
