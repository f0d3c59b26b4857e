"""The facilitator's commands, headless: injects journalled and marked as the facilitator's in the
report, the hint, undo (the world rebuilt without the command, the journal keeping both), the end."""

from __future__ import annotations

import pytest

from drillsim.drill import DrillSession, OrderError, read_journal, run_baselines
from drillsim.model import DrillsimError
from drillsim.report import build_report

from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"


def test_undo_rebuilds_the_world_without_the_command_and_the_journal_keeps_both(tmp_path):
    journal = tmp_path / "d.journal.jsonl"
    session = DrillSession.start(EXAMPLE, seed=5, journal_path=journal)
    session.step()
    session.step()
    session.order("work all by grade")
    session.advance(6.0)
    session.facilitate("say The minister calls.")
    assert session.undo_target().describe() == "advance to 6h"
    session.undo()  # the advance: back to the moment of the order
    assert session.now == pytest.approx(5 / 60)
    assert session.undo_target().describe() == "order work all on all by grade"
    session.undo()  # and the order
    assert not session.policy.work and not session.sim.tasks()
    session.advance(6.0)
    undone = session.result().to_dict()
    # The same drill without those commands, played from scratch: the same world.
    plain = DrillSession.start(EXAMPLE, seed=5)
    plain.step()
    plain.step()
    plain.facilitate("say The minister calls.")
    plain.advance(6.0)
    assert undone["metrics"] == plain.result().to_dict()["metrics"]
    said = [e.text for e in session.events() if e.subject == "facilitator"]
    assert said == ["The minister calls."]
    session.close()
    lines = [e.describe() for e in read_journal(journal).entries]
    assert lines == ["step", "step", "order work all on all by grade", "advance to 6h", "inject say The minister calls.", "undo #4", "undo #3", "advance to 6h"]
    resumed = DrillSession.resume(journal, EXAMPLE, append=False)
    assert resumed.result().to_dict() == undone
    replayed = DrillSession.replay(journal, EXAMPLE)
    replayed.replay_all()
    assert replayed.result().to_dict() == undone


def test_nothing_to_undo_and_no_undo_after_the_end():
    session = DrillSession.start(EXAMPLE, seed=1)
    with pytest.raises(DrillsimError, match="nothing to undo"):
        session.undo()
    session.facilitate("say Hello")
    with pytest.raises(DrillsimError, match="nothing to undo"):  # the facilitator's own injects are not the team's
        session.undo()
    session.step()
    session.end_drill()
    with pytest.raises(DrillsimError, match="the drill has ended"):
        session.undo()
    with pytest.raises(DrillsimError, match="the drill has ended"):
        session.order("work all")


def test_the_end_stops_the_drill_and_its_report_and_baselines_stop_there():
    loaded_session = DrillSession.start(EXAMPLE, seed=2)
    loaded_session.step()
    loaded_session.step()
    loaded_session.order("work all by grade")
    loaded_session.advance(30.0)
    loaded_session.end_drill()
    assert loaded_session.done and loaded_session.end == 30.0
    loaded_session.advance(60.0)  # a finished drill does not move
    assert loaded_session.now == 30.0
    result = loaded_session.result()
    assert result.ended_hours == 30.0
    baselines = loaded_session.baselines()
    assert all(b.ended_hours == 30.0 for b in baselines.values())


def test_injects_change_the_world_say_no_more_than_the_team_may_know_and_are_the_facilitators_in_the_report():
    session = DrillSession.start(EXAMPLE, seed=3)
    session.step()
    session.step()
    session.order("work all by grade")
    session.facilitate("fail dr-room for 2h")
    session.facilitate("surge sys:portal x3 for 1h")
    session.facilitate("say Reporters are at the gate.")
    i = session.sim.compiled.sidx["portal"]
    assert session.sim.world.sys[i].surge == 3.0
    seen = [e.text for e in session.events() if e.visible and e.subject == "facilitator"]
    assert seen[0] == "dr-room fails" and "demand surge x3 on Citizen portal" in seen[1] and seen[2] == "Reporters are at the gate."
    assert not any("2h" in text or "1h" in text for text in seen)
    hidden = [e.text for e in session.events() if not e.visible and e.subject == "facilitator"]
    assert any("ends by itself after 2h" in text for text in hidden)
    session.advance(12.0)
    assert session.sim.world.sys[i].surge == 1.0  # the surge ended by itself
    with pytest.raises(OrderError, match="not a domain or a system"):
        session.facilitate("fail dr-rom")
    with pytest.raises(OrderError, match=r"unknown inject 'sya' \(did you mean 'say'\?\)"):
        session.facilitate("sya hello")
    report = build_report(session.loaded, session.result(), run_baselines(session.loaded, 3, until=session.now), journal_meta={})
    marked = [t for t in report.timeline if t.who == "facilitator" and t.seen]
    assert [t.text for t in marked][-1] == "Reporters are at the gate." and len(marked) == 3


def test_the_hint_says_what_the_runbook_would_do_next_and_why():
    session = DrillSession.start(EXAMPLE, seed=1)
    session.step()
    session.step()
    hint = session.hint()
    assert "switch 1 system to their manual fallback" in hint.headline and "start 2 runbook steps" in hint.headline
    assert "restore Login service at dr-room: 2 staff of ops" in hint.steps[0] and "grade 1" in hint.steps[0] and "RTO" in hint.steps[0]
    assert any("No team has orders" in note for note in hint.notes)
    session.order("work all by grade")
    hint = session.hint()
    assert "would start nothing new" in hint.headline  # the team leads started it all


def test_the_hint_counts_an_options_own_attempts(tmp_path):
    """An option with attempts: 5 is still the runbook's after 3 failures (the old fixed 3 said it was used up)."""
    text = """
id: hint-attempts
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains: [{id: room}]
teams: [{id: ops, staff: 2}]
systems:
  - {id: app, grade: 1, team: ops, placements: [{domains: [room]}], recovery: [{kind: restart, staff: 1, duration: 1h, attempts: %s}]}
injects:
  - {at: 0m, fail: room, for: 10m}
"""
    hints = {}
    for attempts in (3, 5):
        path = tmp_path / f"attempts-{attempts}.yaml"
        path.write_text(text % attempts, encoding="utf-8")
        session = DrillSession.start(path, seed=0, board=False)
        session.advance(1.0)  # the room is back; the app's servers stay stopped until restarted
        sim = session.sim
        i = sim.compiled.sidx["app"]
        option = sim.compiled.systems[i].recovery[0]
        sim.world.sys[i].attempts[option.key] = 3  # three failed tries
        hints[attempts] = session.hint()
    assert "no possible step now" in hints[3].text() and "start 1 runbook step" not in hints[3].headline
    assert "start 1 runbook step" in hints[5].headline
