"""Dormant standbys and a cold standby's automatic activation: exact timelines.

Each replica fails after 10h of service and is repaired in 2h (fixed times, a crew each);
detection is instant and the activation takes 1h. Times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import run_scenario

from helpers import outage_spans, scenario_yaml

STANDBY = """
id: standby
start: 2025-03-03T10:00:00+09:00
horizon: 30h
domains: [{id: room-a}, {id: room-b}]
teams: [{id: ops, staff: 2}]
systems:
  - id: app
    team: ops
    detection: 0
    redundancy: {mode: %(mode)s, switchover: 1h, success: %(success)s%(extra)s}
    placements:
      - {name: primary, domains: [room-a]}
      - {name: standby, domains: [room-b]}
failures:
  - targets: [app/primary, app/standby]
    time_to_failure: 10h
    time_to_repair: 2h
"""


def run(mode="cold-standby", success=1.0, extra=", automatic: true"):
    return run_scenario(scenario_yaml(STANDBY % {"mode": mode, "success": success, "extra": extra}), seed=0)


def outages(result):
    return [(pytest.approx(a), pytest.approx(b)) for a, b in outage_spans(result, "app")]


def switchovers(result):
    return [(e.t, e.text) for e in result.events if e.kind == "switchover"]


def test_a_cold_standby_that_does_not_fail_while_idle():
    result = run(extra=", automatic: true, dormancy: 0")
    # The primary fails at 10h; the idle standby has not aged, so the activation (1h) works; the
    # standby then serves and fails 10h later (21h); the repaired primary, idle since 12h, has not
    # aged either: back on it at 22h; it fails 10h later (32h, after the horizon).
    assert outage_spans(result, "app") == [(pytest.approx(10), pytest.approx(11)), (pytest.approx(21), pytest.approx(22))]
    assert [t for t, _ in switchovers(result)] == [pytest.approx(11), pytest.approx(22)]


def test_a_hot_standby_fails_with_the_primary():
    # The same pair without dormancy: both replicas have served 10h at 10h and fail together; the
    # activation finds no standby up and the system waits for the repairs (12h).
    result = run()
    assert outage_spans(result, "app") == [(pytest.approx(10), pytest.approx(12)), (pytest.approx(22), pytest.approx(24))]
    assert all("did not work (no standby is up)" in text for _, text in switchovers(result))


def test_a_warm_standby_ages_at_its_dormancy_factor():
    result = run(extra=", automatic: true, dormancy: 0.5")
    # Standby: 11h idle at half rate (5.5h of its 10h), then serving: fails at 11 + 4.5 = 15.5h.
    # Primary, repaired at 12h: 3.5h idle (1.75h) until 15.5h, 1h more idle during the activation
    # (0.5h), active from 16.5h with 7.75h left: fails at 24.25h; the standby (repaired at 17.5h,
    # 6.75h idle: 3.375h) takes over at 25.25h.
    assert outage_spans(result, "app") == [
        (pytest.approx(10), pytest.approx(11)),
        (pytest.approx(15.5), pytest.approx(16.5)),
        (pytest.approx(24.25), pytest.approx(25.25)),
    ]


def test_a_cold_standby_activates_only_when_told_and_may_fail():
    # Default: a cold standby waits for staff; with no failover step, the primary's repair (12h)
    # brings the system back, and nothing switches over.
    result = run(extra=", dormancy: 0")
    assert switchovers(result) == []
    assert outage_spans(result, "app")[0] == (pytest.approx(10), pytest.approx(12))
    # An automatic activation that fails (success 0) is tried once, at 11h.
    result = run(success=0.0, extra=", automatic: true, dormancy: 0")
    assert switchovers(result)[0][0] == pytest.approx(11) and "the switchover failed" in switchovers(result)[0][1]
    assert outage_spans(result, "app")[0] == (pytest.approx(10), pytest.approx(12))


def test_a_staffed_failover_wakes_the_standby_too():
    text = (STANDBY % {"mode": "cold-standby", "success": 1.0, "extra": ", dormancy: 0"}).replace(
        "    detection: 0\n", "    detection: 0\n    recovery: [{kind: failover, duration: 30m}]\n"
    )
    result = run_scenario(scenario_yaml(text), seed=0)
    # Failover by staff at 10.5h: the standby serves from then on and fails 10h later (20.5h).
    assert outage_spans(result, "app")[:2] == [(pytest.approx(10), pytest.approx(10.5)), (pytest.approx(20.5), pytest.approx(21))]
