"""Background failures and automatic switchover: hand-worked timelines (fixed durations) and validation."""

from __future__ import annotations

import pytest

from drillsim.engine import Simulation, run_scenario
from drillsim.model import ScenarioError


def test_two_failure_specs_on_one_domain_keep_their_own_outages(make_scenario):
    # Spec A fails the room at 10h for 5h, spec B at 12h for 10h: the room is down from 10h to 22h.
    # (Both once shared one cause, 'background': A's repair at 15h ended B's outage too.)
    scenario = make_scenario(
        """
        id: t
        horizon: 24h
        domains: [{id: room}]
        teams: [{id: ops, staff: 1}]
        systems: [{id: app, team: ops, placements: [{domains: [room]}]}]
        failures:
          - {id: a, targets: [room], time_to_failure: 10h, time_to_repair: 5h}
          - {id: b, targets: [room], time_to_failure: 12h, time_to_repair: 10h}
        """
    )
    app = run_scenario(scenario).system("app")
    assert app.downtime_hours == pytest.approx(12.0)
    assert app.outages == 1


def test_shared_crew_queues_repairs(make_scenario):
    # Both rooms fail at 10h; one person repairs them one after the other (5h each).
    scenario = make_scenario(
        """
        id: t
        horizon: 20h
        domains: [{id: a}, {id: b}]
        teams: [{id: ops, staff: 1}, {id: crew, staff: 1}]
        systems:
          - {id: on-a, team: ops, placements: [{domains: [a]}]}
          - {id: on-b, team: ops, placements: [{domains: [b]}]}
        failures:
          - {targets: [a, b], crew: crew, time_to_failure: 10h, time_to_repair: 5h}
        """
    )
    result = run_scenario(scenario)
    downs = sorted([result.system("on-a").downtime_hours, result.system("on-b").downtime_hours])
    assert downs == pytest.approx([5.0, 10.0])


def test_beta_one_fails_only_by_shared_shocks(make_scenario):
    # beta = 1: every failure is a common-cause shock, so the two rooms are always down together.
    scenario = make_scenario(
        """
        id: t
        horizon: 2y
        domains: [{id: a}, {id: b}]
        teams: [{id: ops, staff: 1}]
        systems:
          - {id: on-a, team: ops, placements: [{domains: [a]}]}
          - {id: on-b, team: ops, placements: [{domains: [b]}]}
        failures:
          - {targets: [a, b], common_cause_beta: 1.0, time_to_failure: {dist: exponential, mean: 500h}, time_to_repair: 10h}
        """
    )
    result = run_scenario(scenario, seed=3)
    a, b = result.system("on-a"), result.system("on-b")
    assert a.outages > 10
    assert a.timeline == b.timeline


def test_common_cause_needs_exponential_time_to_failure(make_scenario):
    with pytest.raises(ScenarioError) as info:
        make_scenario(
            """
            id: t
            domains: [{id: a}, {id: b}]
            teams: [{id: ops, staff: 1}]
            systems: [{id: app, team: ops, placements: [{domains: [a]}]}]
            failures:
              - {targets: [a, b], common_cause_beta: 0.1, time_to_failure: {dist: weibull, shape: 2, mean: 1000h}, time_to_repair: 10h}
            """
        )
    (diag,) = info.value.errors
    assert diag.path == ("failures", 0, "common_cause_beta")
    assert diag.line == 7
    assert "exponential" in diag.message


def test_stale_switchover_does_not_cut_a_later_one_short(make_scenario):
    # Switchover takes 2h. The primary fails at 0 and is back at 1h (the switchover started at 0
    # is moot); it fails again at 1.5h: the new switchover ends at 3.5h. (The first one's timer,
    # firing at 2h, used to switch over then.)
    scenario = make_scenario(
        """
        id: t
        horizon: 20h
        domains: [{id: a, restart_after: false}, {id: b}]
        teams: [{id: ops, staff: 1}]
        systems:
          - id: app
            team: ops
            detection: 0
            redundancy: {mode: active-standby, switchover: 2h, success: 1.0}
            placements: [{name: primary, domains: [a]}, {name: standby, domains: [b]}]
        injects:
          - {at: 0m, fail: a, for: 1h}
          - {at: 90m, fail: a, for: 10h}
        """
    )
    app = run_scenario(scenario).system("app")
    assert [(t, status) for t, status, _ in app.timeline] == [(0.0, "down"), (1.0, "up"), (1.5, "down"), (3.5, "up")]


def test_ten_year_two_component_run_is_a_few_thousand_events(make_scenario):
    # MTBF 1000h over 87,600h: about 175 failures in all, a handful of engine events each.
    scenario = make_scenario(
        """
        id: t
        horizon: 10y
        domains: [{id: a}, {id: b}]
        teams: [{id: ops, staff: 1}, {id: crew, staff: 1}]
        systems:
          - {id: app, team: ops, redundancy: active-active, placements: [{domains: [a], capacity: 1}, {domains: [b], capacity: 1}]}
        failures:
          - {targets: [a, b], crew: crew, time_to_failure: {dist: exponential, mean: 1000h}, time_to_repair: {dist: exponential, mean: 10h}}
        """
    )
    sim = Simulation(scenario, seed=0, record_events=False)
    steps = 0
    while sim.world.env.peek() < sim.end:
        sim.world.env.step()
        steps += 1
    assert 500 <= steps <= 5000


def test_a_target_listed_twice_is_an_error(make_scenario):
    with pytest.raises(ScenarioError) as info:
        make_scenario(
            """
            id: t
            domains: [{id: a}]
            teams: [{id: ops, staff: 1}]
            systems: [{id: app, team: ops, placements: [{domains: [a]}]}]
            failures:
              - {targets: [a, a], time_to_failure: 100h, time_to_repair: 1h}
            """
        )
    (diag,) = info.value.errors
    assert diag.path == ("failures", 0, "targets") and "listed twice" in diag.message
