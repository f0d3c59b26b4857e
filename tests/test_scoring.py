"""A run's scores agree with the world they were read from, field by field.

build_result fills each system's result in one pass, positionally, and the recovery curve from a
single sort of every change: these tests recompute each field and each curve point the plain way
(from the systems' recorded state and timelines) and compare, half-way through a NIRS run (open
outages, results asked for mid-run) and at its end.
"""

from __future__ import annotations

import bisect

import pytest

from drillsim.engine import Simulation, compile_scenario
from drillsim.engine.results import RunResult
from drillsim.model import load_scenario

from helpers import SCENARIOS

_SERVING = ("up", "degraded")


@pytest.fixture(scope="module")
def nirs_results() -> list[tuple[Simulation, RunResult, dict]]:
    compiled = compile_scenario(load_scenario(SCENARIOS / "nirs-daejeon-fire-2025.yaml").scenario)
    sim = Simulation(compiled, seed=0, record_events=False)
    out = []
    sim.advance(30.0)
    out.append((sim, sim.result(), _snapshot(sim)))
    sim.advance(sim.end)
    out.append((sim, sim.result(), _snapshot(sim)))
    return out


def _snapshot(sim: Simulation) -> dict:
    """What each touched system's state was when the result was asked for (the world goes on after)."""
    world = sim.world
    end = max(sim.now, 1e-9) if not sim.done else sim.end
    snap = {}
    for i, st in world.sys.items():
        pending = world.books.pending(st, end)
        snap[i] = dict(
            episodes=list(st.episodes), down_since=st.down_since, timeline=list(st.timeline), links=list(st.links),
            demand=st.demand + pending[0], fallback=st.fb_served + pending[1], unserved=max(0.0, st.unserved + pending[2]),
            data_loss=st.data_loss, data_lost=st.data_lost, reentry=st.reentry_hours, status=st.status.value,
        )  # fmt: skip
    return {"end": end, "systems": snap}


def test_every_field_of_every_touched_system_is_its_own(nirs_results):
    opened = []
    for sim, result, snap in nirs_results:
        c = sim.world.c
        end = snap["end"]
        assert result.ended_hours == end
        assert len(result.systems) == len(snap["systems"])
        open_seen = False
        for i, s in snap["systems"].items():
            r = result.systems[c.sys_ids[i]]
            spans = [b - a for a, b in s["episodes"]] + ([end - s["down_since"]] if s["down_since"] is not None else [])
            open_seen |= s["down_since"] is not None
            assert (r.id, r.name, r.grade, r.rto_hours, r.rpo_hours) == (c.sys_ids[i], c.sys_label[i], c.grade[i], c.rto[i], c.rpo[i])
            assert r.outages == len(spans)
            assert r.downtime_hours == pytest.approx(sum(spans))
            assert r.availability == pytest.approx(1.0 - sum(spans) / end)
            assert r.time_to_restore_hours == (max(spans) if spans else None)
            assert r.restored is (s["down_since"] is None)
            if not spans:
                assert r.rto_met is None
            elif max(spans) > c.rto[i] + 1e-9:
                assert r.rto_met is False
            else:
                assert r.rto_met is (None if s["down_since"] is not None else True)
            assert (r.data_loss_hours, r.data_lost_permanently) == (s["data_loss"], s["data_lost"])
            expected_rpo = False if s["data_lost"] else None if s["data_loss"] is None else s["data_loss"] <= c.rpo[i] + 1e-9
            assert r.rpo_met is expected_rpo
            assert (r.demand, r.fallback_served_demand, r.unserved_demand) == (s["demand"], s["fallback"], s["unserved"])
            assert (r.reentry_hours, r.final_status) == (s["reentry"], s["status"])
            first = s["episodes"][0][0] if s["episodes"] else s["down_since"]
            assert r.first_down_hours == first
            assert (r.timeline, r.links_timeline) == (s["timeline"], s["links"])
            assert type(r.timeline) is list and type(r.links_timeline) is list
        opened.append(open_seen)
    assert opened[0]  # half-way, some outages are still open


def test_the_metrics_count_and_sum_the_systems(nirs_results):
    for sim, result, _snap in nirs_results:
        m = result.metrics
        rs = list(result.systems.values())
        weights = sim.scenario.grade_weights
        assert m.systems_affected == sum(1 for r in rs if r.outages)
        assert m.systems_down_at_end == sum(1 for r in rs if not r.restored)
        assert m.rto_breaches == sum(1 for r in rs if r.rto_met is False)
        assert m.grade1_rto_breaches == sum(1 for r in rs if r.rto_met is False and r.grade == 1)
        assert m.rpo_breaches == sum(1 for r in rs if r.rpo_met is False)
        assert m.data_lost_permanently == [r.id for r in rs if r.data_lost_permanently]
        assert m.unserved_demand == pytest.approx(sum(r.unserved_demand for r in rs))
        assert m.fallback_served_demand == pytest.approx(sum(r.fallback_served_demand for r in rs))
        assert m.weighted_unserved_demand == pytest.approx(sum(weights[r.grade] * r.unserved_demand for r in rs))
        all_demand = sum(r.demand for r in result.all_systems())
        assert m.total_demand == pytest.approx(all_demand)
        assert m.first_impact_hours == min(r.first_down_hours for r in rs if r.first_down_hours is not None)
        assert 0 < m.rto_breaches and m.data_lost_permanently  # the checks above had something to count


def test_the_recovery_curve_is_the_share_serving_at_each_moment(nirs_results):
    for sim, result, snap in nirs_results:
        c = sim.world.c
        curve = result.metrics.recovery_curve
        affected = [(i, s) for i, s in sorted(snap["systems"].items()) if s["episodes"] or s["down_since"] is not None]
        affected = [(i, s) for i, s in affected if c.curve_scope is None or i in c.curve_scope]
        weights = {i: c.weight[i] * c.per_day[i] for i, _ in affected}
        total = sum(weights.values())
        times = sorted({t for _, s in affected for t, _, _ in s["timeline"]})
        assert [p.t for p in curve] == sorted({p.t for p in curve}) and set(p.t for p in curve) <= set(times)
        for a, b in zip(curve, curve[1:]):
            assert (a.systems, a.weighted) != (b.systems, b.weighted)  # a point only where the curve moves
        for t in times[:: max(1, len(times) // 150)] + times[-1:]:
            serving = 0
            served_w = 0.0
            for i, s in affected:
                timeline = s["timeline"]
                k = bisect.bisect_right([e[0] for e in timeline], t) - 1
                status, share = (timeline[k][1], timeline[k][2]) if k >= 0 else ("up", 1.0)
                if status in _SERVING:
                    serving += 1
                    served_w += weights[i] * share
            point = curve[bisect.bisect_right([p.t for p in curve], t) - 1]
            assert point.systems == serving / len(affected)
            assert point.weighted == pytest.approx(max(0.0, min(1.0, served_w / total)), abs=1e-9)


def test_the_json_forms_are_the_plain_field_by_field_copies(nirs_results):
    from dataclasses import asdict, replace

    from drillsim.engine.results import _clean

    _sim, result, _snap = nirs_results[-1]
    systems = result.all_systems()
    assert any(r.timeline for r in systems) and any(r.links_timeline for r in systems)
    for r in systems:
        plain = asdict(r)
        assert r.as_dict(timeline=True) == plain and list(r.as_dict(timeline=True)) == list(plain)
        short = {k: v for k, v in plain.items() if k not in ("timeline", "links_timeline")}
        assert r.as_dict() == short and list(r.as_dict()) == list(short)
    plain_metrics = asdict(result.metrics)
    plain_metrics["recovery_curve"] = [[p.t, p.systems, p.weighted] for p in result.metrics.recovery_curve]
    assert result.metrics.as_dict() == plain_metrics and list(result.metrics.as_dict()) == list(plain_metrics)
    for timelines in (False, True):
        doc = result.to_dict(timelines=timelines)
        expected = {r.id: _clean(r.as_dict(timelines)) for r in systems}
        assert doc["systems"] == expected and [list(v) for v in doc["systems"].values()] == [list(v) for v in expected.values()]
    inf, nan = float("inf"), float("nan")
    odd = replace(systems[0], rto_hours=inf, availability=nan, timeline=[(0, "down", nan), (inf, "up", 1.0)], links_timeline=[(nan, True)])
    odd_run = replace(result, systems={odd.id: odd})
    odd_run.bind_untouched(None)
    doc = odd_run.to_dict(timelines=True)["systems"][odd.id]  # JSON has no NaN or infinity: null
    assert (doc["rto_hours"], doc["availability"]) == (None, None)
    assert doc["timeline"] == [[0, "down", None], [None, "up", 1.0]] and doc["links_timeline"] == [[None, True]]
    assert doc == _clean(odd.as_dict(timeline=True))
