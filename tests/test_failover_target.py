"""A failover switches onto a live target only: exact timelines of the probe.

The primary's room is down from 0 (its servers resume by themselves when it is back); the
standby, in another room, goes down at 0.5h until 3h; a staffed failover of 2h starts at
detection (instant). Times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import run_scenario

from helpers import outage_spans, scenario_yaml

PROBE = """
id: failover-probe
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains:
  - {id: room-a, kind: room, restart_after: false}
  - {id: room-b, kind: room, restart_after: false}
teams: [{id: ops, staff: 2}]
systems:
  - id: app
    team: ops
    detection: 0
    redundancy: cold-standby
    placements:
      - {name: primary, domains: [room-a]}
      - {name: standby, domains: [room-b]}
    recovery:
      - {kind: failover, staff: 2, duration: 2h}
injects:
  - {at: 0m, fail: room-a, for: %(primary)s}
  - {at: 30m, fail: room-b, for: 2h30m}
"""


def run(primary: str):
    return run_scenario(scenario_yaml(PROBE % {"primary": primary}), seed=0)


def ends(result, kind):
    return [(e.t, e.text) for e in result.events if e.kind == kind and e.subject == "app"]


def test_the_primary_back_and_serving_abandons_the_failover():
    result = run("1h")
    # Down from 0 to 1h, when the primary's room is back; at 2h the failover (whose standby has
    # been down since 0.5h) is abandoned instead of switching onto the dead standby.
    assert outage_spans(result, "app") == [(pytest.approx(0), pytest.approx(1))]
    (cancelled,) = ends(result, "task_cancelled")
    assert cancelled[0] == pytest.approx(2) and "abandoned: primary is back and serving" in cancelled[1]
    assert ends(result, "switchover") == [] and result.system("app").downtime_hours == pytest.approx(1)


def test_a_dead_target_fails_the_attempt_and_the_runbook_replans():
    result = run("10h")
    # At 2h the standby is down: the attempt fails; the failover waits for the standby (3h) and
    # switches 2h later (5h), long before the primary's room is back (10h).
    (failed,) = ends(result, "task_failed")
    assert failed[0] == pytest.approx(2) and "the standby standby went down before the switch" in failed[1]
    assert [t for t, _ in ends(result, "task_done")] == [pytest.approx(5)]
    assert outage_spans(result, "app") == [(pytest.approx(0), pytest.approx(5))]
