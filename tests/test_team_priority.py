"""Grade as a priority among ready work: backfilling behind a waiting head, and shared platforms' grades.

Every system sits in one room that loses power at 0 for 30m; the servers stay stopped, so each
needs its restart (fixed durations); detection 5m. The team is on duty all the time. Times in
hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import run_scenario

from helpers import scenario_yaml

D5 = 5 / 60
ROOM = 0.5

TEAM = """
id: team-priority
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains: [{id: room}]
teams: [{id: ops, staff: 3}]
systems:
  - {id: a, grade: 1, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 2, duration: 4h}]}
  - {id: b, grade: 2, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, staff: %(b_staff)s, duration: 1h}]}
  - {id: c, grade: 4, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 1, duration: 2h}]}
injects:
  - {at: 0m, fail: room, for: 30m}
"""


def restored(result, system_id):
    return result.system(system_id).time_to_restore_hours


def test_small_work_goes_ahead_with_the_staff_the_waiting_head_will_not_need():
    result = run_scenario(scenario_yaml(TEAM % {"b_staff": 2}), seed=0)
    # a (grade 1) takes 2 of the 3 at 0.5h; b (grade 2) needs 2 and waits for a (ends 4.5h), which
    # frees enough for it alone: the third person starts c (grade 4) at once, not after b.
    assert restored(result, "a") == pytest.approx(ROOM + 4)
    assert restored(result, "c") == pytest.approx(ROOM + 2)
    assert restored(result, "b") == pytest.approx(ROOM + 4 + 1)  # b is not delayed by c


def test_nothing_goes_ahead_that_would_delay_the_head():
    result = run_scenario(scenario_yaml(TEAM % {"b_staff": 3}), seed=0)
    # b needs all three: the person left over now is needed for b when a ends, so c waits behind b.
    assert restored(result, "b") == pytest.approx(ROOM + 4 + 1)
    assert restored(result, "c") == pytest.approx(ROOM + 4 + 1 + 2)


PLATFORM = """
id: platform-priority
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains: [{id: room}]
teams: [{id: ops, staff: 1}]
systems:
  - {id: app, grade: 1, team: ops, placements: [{domains: [room]}], depends_on: [db], recovery: [{kind: restart, duration: 1h}]}
  - {id: other, grade: 2, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, duration: 1h}]}
  - {id: db, grade: 4, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, duration: 1h}]}
injects:
  - {at: 0m, fail: room, for: 30m}
"""


def test_a_platform_is_recovered_at_the_grade_of_the_systems_that_need_it():
    result = run_scenario(scenario_yaml(PLATFORM), seed=0)
    # One person: app (grade 1), then db (grade 4, but app needs it: recovered as grade 1), then
    # other (grade 2). app serves once db is back.
    assert restored(result, "db") == pytest.approx(ROOM + 2)
    assert restored(result, "app") == pytest.approx(ROOM + 2)
    assert restored(result, "other") == pytest.approx(ROOM + 3)
    # A soft dependency does not lift the platform's grade: db then comes last.
    soft = run_scenario(scenario_yaml(PLATFORM.replace("depends_on: [db]", "depends_on: [{system: db, kind: soft, factor: 0.5}]")), seed=0)
    assert restored(soft, "other") == pytest.approx(ROOM + 2)
    assert restored(soft, "db") == pytest.approx(ROOM + 3)
