"""Decisions that fit the world: a decision opens when its conditions hold as the team sees the world
(or at its deadline), its text quotes live figures of the team's view, and a bad ``opens`` or
``figures`` is reported with its line and a did-you-mean. On the NIRS fire, the room-2 decision no
longer asserts that rooms 1-6 are back: it says what the team's board shows."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from drillsim.drill import DrillSession
from drillsim.engine import Status
from drillsim.model import ScenarioError, load_scenario
from drillsim.model.openings import CHECK_EVERY

from helpers import SCENARIOS

CONDITIONS = Path(__file__).parent / "drill_fixtures" / "room-fire-conditions.yaml"


def opened_at(session: DrillSession, decision: str) -> float:
    return next(e.t for e in session.events() if e.kind == "decision" and e.subject == decision)


def test_a_decision_opens_once_the_team_sees_its_condition_hold():
    session = DrillSession.start(CONDITIONS, seed=1)
    session.order("work all by grade")
    session.advance(12.0)
    login = session.sim.compiled.sidx["login"]
    back = next(t for t, status, _share in session.sim.world.sys[login].timeline if status == "up")
    t = opened_at(session, "reopen-portal")
    assert back <= t < back + CHECK_EVERY + 1e-9, (back, t)
    assert session.pending_decisions == ["reopen-portal"]
    # The figures are the team's board at that moment: the login service and the portal serve, the documents do not.
    prompt = session.sim.prompts["reopen-portal"]
    assert prompt.startswith("2 of the 3 systems of headquarters serve again (100 % of grade 1; 1 still down or not reported)")


def test_without_its_condition_a_decision_opens_at_its_deadline_quoting_what_the_team_sees():
    session = DrillSession.start(CONDITIONS, seed=1)
    session.advance(3 * 24.0)  # nobody works: the login service never comes back
    assert opened_at(session, "reopen-portal") == pytest.approx(48.0)
    prompt = session.sim.prompts["reopen-portal"]
    board = session.board
    assert board is not None
    serving = sum(1 for sid in ("login", "portal", "docs") if board.status(session.sim.compiled.sidx[sid], "team").serving)
    assert prompt.startswith(f"{serving} of the 3 systems of headquarters serve again")
    assert serving == 0  # the portal's standby runs, but it needs the login service


def test_the_runbook_opens_and_answers_it_too():
    from drillsim.engine import run_scenario

    result = run_scenario(load_scenario(CONDITIONS), seed=1)
    [decided] = [d for d in result.decisions if d["decision"] == "reopen-portal"]
    login = result.systems["login"]
    back = login.first_down_hours + login.time_to_restore_hours
    assert decided["option"] == "announce" and back <= decided["t"] < back + CHECK_EVERY + 1e-9


def test_the_nirs_room_2_decision_says_what_the_board_shows():
    loaded = load_scenario(SCENARIOS / "nirs-daejeon-fire-2025.yaml")
    defaults = {d.id: d.default_option.id for d in loaded.scenario.decisions}
    for orders in ([], ["work all by grade"]):
        session = DrillSession.start(SCENARIOS / "nirs-daejeon-fire-2025.yaml", seed=0, loaded=loaded)
        for order in orders:
            session.order(order)
        for _ in range(10):
            if "room-2-space" in session.pending_decisions:
                break
            for decision in list(session.pending_decisions):
                session.decide(decision, defaults[decision])
            session.advance(9 * 24.0)
        prompt = session.sim.prompts["room-2-space"]
        total, serving = map(int, re.match(r"10-05\. Of the (\d+) systems of rooms 1-6, (\d+) serve again", prompt).groups())
        c = session.sim.compiled
        rooms = {c.didx[f"daejeon-room-{k}"] for k in range(1, 7)}
        members = [i for i in range(len(c.sys_ids)) if rooms.intersection(c.rep_closure[c.sys_active0[i]])]
        assert total == len(members)
        board = session.board
        assert board is not None
        assert serving == sum(1 for i in members if board.status(i, "team").serving)
        assert (serving == 0) == (not orders), "nothing restarts without orders; the runbook's orders restart many"
        assert "are back" not in prompt


@pytest.mark.parametrize("decision, line, message", [
    ("opens: {serving: {share: 0.5, of: {in: [hqq]}}}", 8, "decisions[0].opens.serving.of.in[0]: unknown domain 'hqq' (did you mean 'hq'?)"),
    ("opens: {down: logn}", 8, "decisions[0].opens.down: unknown system 'logn' (did you mean 'login'?)"),
    ("opens: {after: 2d, by: 1d}", 8, "'by' (24h) comes before 'after' (48h)"),
    ("figures: {n: {serving: {org: [citty]}}}", 8, "decisions[0].figures.n.serving.org[0]: unknown organization 'citty'"),
    ("figures: {n: {serving: {grade: [5]}}}", 8, "grade 5 does not exist"),
    ("figures: {n: {serving: {grade: [1]}, total: {grade: [1]}}}", 8, "a figure is one of serving, not_serving, total, share, not serving and total"),
    ("figures: {n: {total: {}}}", 8, "name the systems: in (domains), grade, org or systems"),
])
def test_bad_openings_and_figures_are_located(tmp_path, decision, line, message):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {SCENARIOS / 'example-room-fire.yaml'}
        id: bad
        decisions:
          - id: d
            prompt: "Quote {{n}} here?"
            options: [{{id: a, label: A}}, {{id: b, label: B}}]
            {decision}
        injects:
          - {{at: 1h, decision: d}}
        """).replace("            opens", "    opens").replace("            figures", "    figures"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    text = str(caught.value)
    assert message in text and f"{path}:" in text, text


def test_a_prompt_quoting_a_figure_it_does_not_define_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {SCENARIOS / 'example-room-fire.yaml'}
        id: bad
        decisions:
          - id: d
            prompt: "{{hq_up}} systems are back."
            figures: {{hq_upp: {{serving: {{in: [hq]}}}}}}
            options: [{{id: a, label: A}}, {{id: b, label: B}}]
        """), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert f"{path}:5: decisions[0].prompt: the prompt quotes {{hq_up}}, which is not a figure of this decision (did you mean 'hq_upp'?)" in str(caught.value)
    assert Status.up  # the statuses the figures count are the team's
