"""Acceptance of the command-level drill on the NIRS fire (scripted, no timing): a team that only gives
orders and answers decisions comes within 10 points of the runbook; a deliberately poor order does
measurably worse on the same seed. The scripts are beside this file and reproduce with
``drillsim run scenarios/nirs-daejeon-fire-2025.yaml --actions scenarios/drills/FILE``."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.drill import DrillSession, run_baselines
from drillsim.drill.script import load_script, play_script
from drillsim.model import load_scenario
from drillsim.report.summary import run_summary, score

from helpers import SCENARIOS

NIRS = SCENARIOS / "nirs-daejeon-fire-2025.yaml"
SCRIPTS = Path(__file__).resolve().parents[1] / "scenarios" / "drills"


@pytest.fixture(scope="module")
def nirs():
    """The scenario, its runbook and do-nothing runs (seed 0), and the two scripts played (about 2 s of CPU in all)."""
    loaded = load_scenario(NIRS)
    base = run_baselines(loaded, 0)
    played = {}
    for name in ("nirs-orders.yaml", "nirs-grade4-first.yaml"):
        script = load_script(SCRIPTS / name, loaded)
        session = DrillSession.start(NIRS, seed=script.seed or 0, loaded=loaded, board=False)
        play_script(session, script)
        played[name] = (script, session)
    return loaded, base, played


def _score(result, base) -> float:
    value = score(result.metrics.weighted_unserved_demand, base["none"].metrics.weighted_unserved_demand)
    assert value is not None
    return value


def test_orders_and_decisions_alone_come_within_ten_points_of_the_runbook(nirs):
    _loaded, base, played = nirs
    script, session = played["nirs-orders.yaml"]
    assert script.seed == 0
    assert script.counted <= 25
    assert not any(line.text.split()[0] == "act" for line in script.lines), "no per-system actions"
    kinds = {e.type for e in session.history}
    assert kinds <= {"order", "decide", "advance"} and "act" not in kinds
    assert len([e for e in session.history if e.type in ("order", "decide")]) == script.counted
    team, runbook = _score(session.result(), base), _score(base["auto"], base)
    assert team >= runbook - 10
    assert session.result().metrics.systems_down_at_end <= base["auto"].metrics.systems_down_at_end + 5


def test_a_deliberately_poor_order_does_measurably_worse_on_the_same_seed(nirs):
    _loaded, base, played = nirs
    good, poor = played["nirs-orders.yaml"][1].result(), played["nirs-grade4-first.yaml"][1].result()
    assert good.seed == poor.seed == 0
    # Grade 4 first: the critical systems wait behind the least critical at every team.
    assert _score(poor, base) < _score(good, base) - 1.0
    assert run_summary("poor", poor).grade1_downtime_hours > run_summary("good", good).grade1_downtime_hours
    assert poor.metrics.rto_breaches > good.metrics.rto_breaches


def test_the_improvement_plan_of_the_drill_fits_on_two_screens(nirs):
    """One NIRS drill used to give 149 findings, 53 of them critical, one per system (1,215 lines at 120 columns)."""
    pytest.importorskip("rich")
    from rich.console import Console

    from drillsim.report import build_report
    from drillsim.tui.screens.report import plan_table

    loaded, base, played = nirs
    result = played["nirs-orders.yaml"][1].result()
    report = build_report(loaded, result, base, journal_meta={}, with_plots=False)
    plan = report.findings
    assert len(plan) <= 20
    # Nothing is dropped: every RTO breach and every system lost for good is in some finding.
    covered = {s for f in plan for s in f.systems}
    assert {s.id for s in result.systems.values() if s.rto_met is False} <= covered
    assert set(result.metrics.data_lost_permanently) <= covered
    # Critical only for grade-1 RTO breaches and data lost for good.
    grade1 = {s.id for s in result.systems.values() if s.rto_met is False and s.grade == 1}
    critical = [f for f in plan if f.severity == "critical"]
    assert critical and all(f.category == "data lost" or set(f.systems) <= grade1 for f in critical)
    # Two screens of the app's report screen (120 x 60): at most 120 lines at 120 columns, counts in the title.
    console = Console(width=120, color_system=None)
    with console.capture() as capture:
        console.print(plan_table(report))
    text = capture.get()
    assert text.count("\n") <= 2 * 60
    assert f"{len(plan)} findings ({len(critical)} critical" in text
