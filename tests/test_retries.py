"""Retries as a field of a recovery option, and escalation to a named team: exact timelines.

Room A loses power at 0 for 30m; the server stays stopped (it must be restarted). Detection 5m.
The restart never works (success 0) and takes 1h; the runbook's next option, a restore at room B,
takes 3h. Both teams are on duty all the time. Times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import Simulation

from helpers import scenario_yaml

RETRIES = """
id: retries
start: 2025-03-03T10:00:00+09:00
horizon: 2d
domains: [{id: room-a, kind: room}, {id: room-b, kind: room}]
teams: [{id: ops, staff: 1}, {id: vendor, staff: 1}]
systems:
  - id: app
    team: ops
    placements: [{domains: [room-a]}]
    recovery:
      - {id: fix, kind: restart, success: 0.0, duration: 1h%(fields)s}
      - {kind: restore, target: [room-b], duration: 3h}
injects:
  - {at: 0m, fail: room-a, for: 30m}
"""
ROOM_BACK = 0.5


def run(fields: str = ""):
    sim = Simulation(scenario_yaml(RETRIES % {"fields": fields}), seed=0)
    result = sim.run()
    restarts = [t for t in sim.world.tasks if t.option is not None and t.option.key == "fix"]
    return result, restarts


@pytest.mark.parametrize(("fields", "tries"), [("", 3), (", attempts: 1", 1), (", attempts: 5", 5)])
def test_an_option_is_tried_its_attempts_then_the_runbook_moves_on(fields, tries):
    result, restarts = run(fields)
    # Each restart starts when the room is back (or the previous try failed) and fails 1h later.
    assert [t.ended_at for t in restarts] == [pytest.approx(ROOM_BACK + k + 1) for k in range(tries)]
    assert all(t.state == "failed" for t in restarts)
    assert result.system("app").time_to_restore_hours == pytest.approx(ROOM_BACK + tries + 3)


def test_escalation_hands_the_option_to_the_named_team_for_as_many_attempts_again():
    result, restarts = run(", attempts: 2, escalate: vendor")
    assert [t.team_id for t in restarts] == ["ops", "ops", "vendor", "vendor"]
    assert [t.ended_at for t in restarts] == [pytest.approx(ROOM_BACK + k + 1) for k in range(4)]
    escalated = [e for e in result.events if "escalated to" in e.text]
    assert [e.t for e in escalated] == [pytest.approx(ROOM_BACK + 2)]
    # Then the next option, by the system's own team.
    assert result.system("app").time_to_restore_hours == pytest.approx(ROOM_BACK + 4 + 3)


def test_an_escalation_team_that_succeeds_ends_the_incident():
    text = (RETRIES % {"fields": ", attempts: 1, escalate: vendor"}).replace("success: 0.0", "success: 0.5")
    for seed in range(8):
        sim = Simulation(scenario_yaml(text), seed=seed)
        result = sim.run()
        restarts = [t for t in sim.world.tasks if t.option is not None and t.option.key == "fix"]
        if restarts[0].state == "failed" and restarts[1].state == "done":
            assert restarts[1].team_id == "vendor"
            assert result.system("app").time_to_restore_hours == pytest.approx(ROOM_BACK + 2)
            return
    raise AssertionError("no seed in 0-7 where the first try failed and the escalated one worked")
