"""The improvement plan stays readable: findings of one cause and one owner become one, grade-1 RTO breaches apart."""

from __future__ import annotations

from drillsim.engine import run_scenario
from drillsim.report.analysis import findings

from helpers import scenario_yaml


def _scenario(n_grade3: int):
    systems = "\n".join(
        f"  - {{id: s{k}, grade: 3, team: ops, rto: 4h, placements: [{{domains: [room]}}], recovery: [{{kind: restart, duration: 1d}}]}}"
        for k in range(n_grade3)
    )
    return scenario_yaml(
        f"""
id: many
start: 2025-03-03T10:00:00+09:00
horizon: 20d
domains:
  - {{id: room, kind: room}}
teams:
  - {{id: ops, name: Operations, staff: 1}}
systems:
  - {{id: core, grade: 1, team: ops, rto: 2h, placements: [{{domains: [room]}}], recovery: [{{kind: restart, duration: 1d}}]}}
{systems}
injects:
  - {{at: 0m, fail: room, for: 1h}}
"""
    )


def test_many_breaches_of_one_cause_and_owner_are_one_finding_and_grade_1_keeps_its_own():
    scenario = _scenario(8)
    result = run_scenario(scenario, seed=0)  # its events say which domain failed: the cause
    plan = findings(scenario, result)
    # The grade-1 breach keeps its own (critical) line; the eight grade-3 breaches of Operations, all after the room failed, are one.
    [core] = [f for f in plan if "core" in f.systems]
    assert core.severity == "critical" and core.systems == ["core"] and core.category == "RTO breach"
    [group] = [f for f in plan if len(f.systems) > 1]
    assert sorted(group.systems) == [f"s{k}" for k in range(8)]
    assert group.severity == "high" and group.owner == "Operations"  # headed by the failed room's own finding
    assert group.category == "failure domain" and group.subject == "room" and group.cause == "room failed"
    assert group.finding.startswith("room failed at T+00:00: 9 systems had every replica there (1 of grade 1). Of them, 8 missed their RTO, back after")
    assert {f.severity for f in plan} <= {"critical", "medium", "high"}


def test_a_few_breaches_keep_one_line_each():
    scenario = _scenario(2)
    result = run_scenario(scenario, seed=0, record_events=False)
    rto = [f for f in findings(scenario, result) if f.category == "RTO breach" and f.grade == 3]
    assert sorted(f.subject for f in rto) == ["s0", "s1"]
    assert sorted(s for f in findings(scenario, result, group_min=2) if f.grade == 3 for s in f.systems) == ["s0", "s1"]
