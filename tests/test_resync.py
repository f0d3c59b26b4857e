"""A dependency down for long leaves its dependents to restart (``restart_if_down``): exact timelines.

The database's room loses power at 0 (its server resumes by itself when the room is back); the
application hard-depends on it and must be restarted (1h, one person on duty) when it was down at
least 2h. Detection 5m. Times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import run_scenario

from helpers import outage_spans, scenario_yaml

RESYNC = """
id: resync
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains: [{id: room-a, restart_after: false}, {id: room-b, restart_after: false}]
teams: [{id: ops, staff: 1}]
systems:
  - {id: db, team: ops, placements: [{domains: [room-a]}]}
  - {id: db2, team: ops, placements: [{domains: [room-b]}]}
  - id: app
    team: ops
    placements: [{domains: [room-b]}]
    depends_on: [%(dep)s]
    recovery: [{kind: restart, duration: 1h}]
injects:
  - {at: 0m, fail: room-a, for: %(outage)s}
"""


def run(outage: str, dep: str = "{system: db, restart_if_down: 2h}"):
    return run_scenario(scenario_yaml(RESYNC % {"outage": outage, "dep": dep}), seed=0)


def test_a_short_outage_of_the_dependency_needs_no_restart():
    result = run("1h")
    assert outage_spans(result, "app") == [(pytest.approx(0), pytest.approx(1))]
    assert not [e for e in result.events if "must be restarted" in e.text]


def test_a_long_outage_of_the_dependency_leaves_the_system_to_restart():
    result = run("3h")
    # The database is back at 3h; the application is restarted then (1h): back at 4h, not 3h.
    assert outage_spans(result, "app") == [(pytest.approx(0), pytest.approx(4))]
    (note,) = [e for e in result.events if "must be restarted" in e.text]
    assert note.t == pytest.approx(3) and "was down 3.0h" in note.text
    # Without the field it resumes with its dependency, as before.
    plain = run("3h", dep="db")
    assert outage_spans(plain, "app") == [(pytest.approx(0), pytest.approx(3))]


def test_an_alternative_that_stays_up_is_no_outage():
    result = run("3h", dep="{any_of: [db, db2], restart_if_down: 2h}")
    assert outage_spans(result, "app") == []
