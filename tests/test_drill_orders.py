"""Standing orders, headless: the delegate works the runbook it is told to, selections and priorities
mean what they say, bad orders are refused before they are journalled, and orders replay exactly."""

from __future__ import annotations

import textwrap

import pytest

from drillsim.drill import DrillSession, OrderError, read_journal, run_baselines
from drillsim.engine import Status
from drillsim.model import load_scenario, scenario_from_data
from drillsim.model.yamlio import loads_yaml

from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"

# One crew of 1, three systems of grades 1..3 that stop at the same moment and each take 1h to
# restart: the crew's order of work decides who waits 0, 1 and 2 hours.
QUEUE = """
id: queue
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains:
  - {id: site, kind: site}
  - {id: room, kind: room, parent: site}
  - {id: other, kind: site, free_capacity: 5}
teams:
  - {id: crew, name: Crew, staff: 1}
  - {id: spare, name: Spare hands, staff: 2, mutual_aid: {staff: 3, after: 2h}}
organizations:
  - {id: city, name: City hall, uses: [c3]}
systems:
  - {id: c1, grade: 1, team: crew, rto: 1h, demand: {per_day: 100}, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 1, duration: 1h}], detection: 0m}
  - {id: c2, grade: 2, team: crew, rto: 1h, demand: {per_day: 100}, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 1, duration: 1h}], detection: 0m}
  - {id: c3, grade: 3, team: crew, rto: 1h, demand: {per_day: 100}, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 1, duration: 1h}], detection: 0m}
injects:
  - {at: 1h, fail: room, for: 30m}
"""


def queue_session(tmp_path=None, journal=None) -> DrillSession:
    loaded = scenario_from_data(loads_yaml(textwrap.dedent(QUEUE), "queue.yaml"))
    return DrillSession.start("queue.yaml", seed=0, loaded=loaded, journal_path=journal)


def restart_order(session: DrillSession) -> list[str]:
    return [e.subject for e in session.sim.world.events if e.kind == "task_started"]


def play_out(session: DrillSession) -> None:
    while not session.done:
        session.advance(session.end)


@pytest.mark.parametrize("priority, expected", [
    ("grade", ["c1", "c2", "c3"]),
    ("grade:3,2,1", ["c3", "c2", "c1"]),
    ("org:city then grade", ["c3", "c1", "c2"]),
    ("sys:c2", ["c2", "c1", "c3"]),
])
def test_a_team_works_in_the_order_it_is_given_even_when_everything_is_ready_at_once(priority, expected):
    session = queue_session()
    session.order(f"work crew by {priority}")
    play_out(session)
    assert restart_order(session) == expected
    result = session.result()
    assert all(result.systems[s].restored for s in ("c1", "c2", "c3"))


def test_reprioritising_reorders_the_work_already_queued():
    session = queue_session()
    session.order("work crew by grade")
    session.advance(1.6)  # the room is back at 1.5h: c1 runs, c2 and c3 are queued
    session.order("priority crew grade:3,2,1")
    play_out(session)
    assert restart_order(session) == ["c1", "c3", "c2"]


def test_without_orders_nobody_works_and_the_run_is_the_do_nothing_run():
    loaded = load_scenario(EXAMPLE)
    session = DrillSession.start(EXAMPLE, seed=3, loaded=loaded, board=False)
    play_out(session)
    nothing = run_baselines(loaded, 3, policies=("none",))["none"]
    assert session.result().metrics == nothing.metrics
    assert not session.sim.tasks(active_only=False)


def test_working_the_runbook_everywhere_from_the_start_is_the_runbook():
    loaded = load_scenario(EXAMPLE)
    for seed in (1, 2):
        session = DrillSession.start(EXAMPLE, seed=seed, loaded=loaded, board=False)
        session.order("work all by grade")
        play_out(session)
        auto = run_baselines(loaded, seed, policies=("auto",))["auto"]
        assert session.result().metrics == auto.metrics


def test_holds_stop_work_from_starting_and_release_lets_it_start():
    session = queue_session()
    session.order("work all")
    session.order("hold sys:c1,c2")
    session.advance(3.0)
    assert restart_order(session) == ["c3"]
    session.order("release all")
    play_out(session)
    assert restart_order(session) == ["c3", "c1", "c2"]


def test_a_hold_withdraws_delegated_work_not_yet_started():
    session = queue_session()
    session.order("work crew by grade")
    session.advance(1.6)
    queued = [t for t in session.tasks() if t["state"] == "queued"]
    assert sorted(t["subject"] for t in queued) == ["c2", "c3"]
    session.order("hold grade:3")
    assert sorted(t["subject"] for t in session.tasks() if t["state"] == "queued") == ["c2"]
    cancelled = [e.subject for e in session.sim.world.events if e.kind == "task_cancelled"]
    assert cancelled == ["c3"]


def test_moving_staff_calling_mutual_aid_and_reserving():
    session = queue_session()
    session.order("move 1 from spare to crew")
    teams = {t["team"]: t for t in session.teams()}
    assert (teams["crew"]["staff"], teams["spare"]["staff"]) == (2, 1)
    session.order("aid spare")
    session.advance(2.5)
    assert {t["team"]: t for t in session.teams()}["spare"]["staff"] == 4
    with pytest.raises(OrderError, match="already called in"):
        session.order("aid spare")
    session = queue_session()
    session.order("reserve 1 of crew for grade:3")
    assert [t["staff"] for t in session.teams()] == [0, 2, 1]
    session.order("work crew by grade")
    session.advance(2.6)  # the room is back at 1.5h: c3 is done by the reserve while the crew has no one left
    assert [e.subject for e in session.sim.world.events if e.kind == "task_done"] == ["c3"]
    session.order("unreserve crew")
    assert {t["team"]: t["staff"] for t in session.teams()}["crew"] == 1
    play_out(session)
    assert all(session.result().systems[s].restored for s in ("c1", "c2", "c3"))


@pytest.mark.parametrize("order, message", [
    ("work crw", "unknown team 'crw' (did you mean 'crew'?)"),
    ("hold in:rom", "unknown domain 'rom' (did you mean 'room'?)"),
    ("hold grade:5", "no system has grade 5"),
    ("hold sys:c4", "unknown system 'c4'"),
    ("hold c9", "not a system, domain, organization or team"),
    ("hold org:ctiy", "unknown organization 'ctiy' (did you mean 'city'?)"),
    ("hold status:dwn", "unknown status 'dwn' (did you mean 'down'?)"),
    ("work spare on all", "spare does no runbook step, fallback or repair for all: the order would do nothing"),
    ("hold in:other", "selects no system: the order would do nothing"),
    ("release all", "nothing is held: the order would do nothing"),
    ("stop crew", "crew has no work order: the order would do nothing"),
    ("move 3 from crew to spare", "crew has 1 free staff now (of 1): move at most 1"),
    ("aid crew", "crew has no mutual aid to call in (teams with mutual aid: spare)"),
    ("do restart on all", "no restart can be taken now on all: the order would do nothing"),
    ("wrok crew", "unknown order 'wrok' (did you mean 'work'?)"),
    ("work crew by gradee", "unknown priority 'gradee'"),
])
def test_bad_orders_are_refused_with_a_did_you_mean_before_anything_is_journalled(tmp_path, order, message):
    journal = tmp_path / "q.journal.jsonl"
    session = DrillSession.start(tmp_path / "queue.yaml", seed=0, journal_path=journal,
                                 loaded=scenario_from_data(loads_yaml(textwrap.dedent(QUEUE), "queue.yaml")))
    with pytest.raises(OrderError) as caught:
        session.order(order)
    assert message in str(caught.value)
    assert read_journal(journal).entries == []
    assert not session.orders.given and not session.policy.work


def test_a_bulk_action_says_how_many_actions_and_how_much_staff_then_takes_them():
    session = DrillSession.start(EXAMPLE, seed=1, board=False)
    session.step()
    session.step()  # the alerts
    prepared = session.preview("do recover on in:hq")  # the login restore (2 staff), the document system's rebuild (1)
    assert prepared.confirm and (prepared.actions, prepared.staff) == (2, 3)
    assert "2 actions, 3 staff in all (ops 3)" in prepared.summary
    fallbacks = session.preview("do fallback on all")
    assert (fallbacks.actions, fallbacks.staff) == (1, 2)
    session.order("do recover on in:hq")
    [entry] = [e for e in session.history if e.type == "order"]
    assert entry.data == {"text": "do recover on in:hq", "by": "team"}
    taken = [a["action"] for a in session.result().actions]
    assert taken == ["recover/login/restore", "recover/docs/rebuild"]
    refused = r"no recover can be taken now on in:hq: the order would do nothing \(2 already under way; 1 its hardware in Server room A was destroyed\)"
    with pytest.raises(OrderError, match=refused):
        session.order("do recover on in:hq")


def test_orders_are_journalled_and_resume_and_replay_reproduce_them(tmp_path):
    journal = tmp_path / "q.journal.jsonl"
    path = tmp_path / "queue.yaml"
    path.write_text(textwrap.dedent(QUEUE), encoding="utf-8")
    session = DrillSession.start(path, seed=4, journal_path=journal)
    session.order("define first  sys:c3")
    session.order("work   crew by @first then grade")
    session.advance(1.2)
    session.order("reserve 1 of crew for grade:1")
    session.advance(1.7)
    session.order("hold grade:2")
    session.advance(6.0)
    final = session.result().to_dict()
    session.close()
    orders = [e.data["text"] for e in read_journal(journal).entries if e.type == "order"]
    assert orders == ["define first sys:c3", "work crew on all by @first then grade", "reserve 1 of crew for grade:1", "hold grade:2"]
    resumed = DrillSession.resume(journal, path)
    assert resumed.result().to_dict() == final
    assert resumed.orders.holds == ["grade:2"] and resumed.orders.reserves == {"crew": "reserve 1 of crew for grade:1"}
    resumed.close()
    replayed = DrillSession.replay(journal, path)
    replayed.replay_all()
    assert replayed.result().to_dict() == final


def test_the_board_shows_the_orders_in_force_and_what_each_team_does_because_of_them():
    session = queue_session()
    session.order("work crew by grade")
    session.order("hold sys:c3")
    session.advance(1.6)
    teams = {t.team: t for t in session.orders.in_force()}
    assert teams["crew"].orders == ("work crew on all by grade",)
    assert (teams["crew"].running, teams["crew"].queued) == (1, 1)
    assert teams["holds"].orders == ("hold sys:c3",)
    assert session.policy.idle_problems() == (1, 0)  # c3 waits on the hold
    assert session.board is not None and session.board.status(session.sim.compiled.sidx["c1"]) is Status.recovering
