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


class _Host:
    """A bare world for one team: SimPy's clock, delayed calls, a journal that keeps nothing."""

    def __init__(self):
        import simpy

        self.env = simpy.Environment()

    def log(self, *args, **kwargs):
        return None

    def schedule(self, delay, fn, *args):
        event = self.env.timeout(delay)
        event.callbacks.append(lambda _e: fn(*args))
        return event


def test_a_new_order_of_work_also_orders_the_work_that_may_go_ahead():
    """After a delegate reprioritises (TeamState.reorder), backfilling picks by the new priorities, not the old."""
    from drillsim.engine.teams import TeamState
    from drillsim.model.teams import Team

    host = _Host()
    team = TeamState(host, Team(id="ops", staff=3), 0.0)
    running = team.request(2, (0,), "under way")  # holds 2 with no expected end: 1 left over
    host.env.run(until=0.1)
    assert running.granted and team.free == 1
    head = team.request(3, (1,), "needs all three")  # waits: only 1 free
    x = team.request(1, (5,), "x")
    y = team.request(1, (6,), "y")
    x.priority, y.priority = (7,), (2,)  # the new order: y before x
    team.reorder()
    host.env.run(until=0.2)
    assert not head.granted
    assert y.granted and not x.granted
