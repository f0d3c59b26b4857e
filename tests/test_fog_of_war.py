"""Fog of war that does not leak, checked over a whole NIRS drill stepped event by event: the feed and the
board agree on every system a visible event names, and no visible text tells a duration the team has
not been shown (how long an outage lasts, how long a piece of work will really take)."""

from __future__ import annotations

import re

from drillsim.drill import DrillSession
from drillsim.engine import Status
from drillsim.engine.actions import hours_text
from drillsim.model import load_scenario
from drillsim.model.timefmt import fmt_duration

from helpers import SCENARIOS

NIRS = SCENARIOS / "nirs-daejeon-fire-2025.yaml"

# The status a visible event says its system has at the moment it is logged.
SAYS = {"system_down": {Status.down}, "system_degraded": {Status.degraded}, "system_up": {Status.up},
        "task_started": {Status.recovering},
        "fallback_on": {Status.fallback, Status.recovering}}  # a fallback runs on while the system's recovery is under way (the board shows that)
NOT_SERVING = {Status.down, Status.recovering, Status.fallback}


def _said(event) -> set[Status] | None:
    if event.kind == "detected":
        return {Status.degraded} if event.text.endswith("has lost capacity") else NOT_SERVING
    if event.kind == "task_started" and not event.text.startswith("repair "):
        return SAYS["task_started"]
    return SAYS.get(event.kind) if event.kind != "task_started" else None


def _forms(hours: float) -> set[str]:
    """Every way the engine writes a duration."""
    return {f"{hours:g}h", f"{hours:.1f}h", fmt_duration(hours), hours_text(hours)}


def test_the_feed_and_the_board_agree_and_no_text_tells_a_hidden_duration():
    loaded = load_scenario(NIRS)
    session = DrillSession.start(NIRS, seed=0, loaded=loaded)
    session.order("work all by grade")
    board = session.board
    assert board is not None
    sidx = session.sim.compiled.sidx
    defaults = {d.id: d.default_option.id for d in loaded.scenario.decisions}
    seen = 0
    checked = disagreements = 0
    secrets: dict[str, set[str]] = {}  # subject -> hidden durations, as written
    steps = 0
    while not session.done and steps < 3000:
        for decision in list(session.pending_decisions):
            session.decide(decision, defaults[decision])
        session.step()
        steps += 1
        events = session.events(since=seen)
        seen += len(events)
        last: dict[str, tuple[object, set[Status]]] = {}
        for e in events:
            if not e.visible and "hours" in e.data:
                secrets.setdefault(e.subject, set()).update(_forms(float(e.data["hours"])))
        for e in events:
            if not e.visible:
                continue
            if e.kind == "task_started" and "hours" in e.data:
                estimate = re.search(r"expected to take about (\d+(?:\.\d+)?)h", e.text)
                assert estimate, e.text
                drawn = _forms(float(e.data["hours"])) - _forms(float(estimate.group(1)))
                assert not any(form in e.text for form in drawn), f"the real duration leaks: {e.text}"
            for form in secrets.get(e.subject, ()):
                assert form not in e.text, f"{e.text!r} tells the hidden duration {form}"
            said = _said(e)
            if said is not None and e.subject in sidx and e.t == session.now:
                last[e.subject] = (e, said)
        for subject, (e, said) in last.items():
            checked += 1
            shown = board.status(sidx[subject], "team")
            if shown not in said:
                disagreements += 1
                raise AssertionError(f"T+{e.t:.2f}h: the feed says {e.text!r} but the board shows {subject} as {shown.value}")
    assert session.done and steps > 300
    assert checked > 1000 and disagreements == 0
    injected = [e for e in session.events() if e.kind == "inject" and e.visible]
    assert injected and not any(re.search(r"\bfor \d", e.text) for e in injected)
    hidden = [e for e in session.events() if e.kind == "inject" and not e.visible]
    assert any("ends by itself after" in e.text for e in hidden), "the facilitator's view keeps how long it lasts"
