"""The improvement plan stays readable: many medium/low findings of one owner become one."""

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


def test_many_low_severity_breaches_of_one_owner_are_one_finding():
    scenario = _scenario(8)
    result = run_scenario(scenario, seed=0, record_events=False)
    plan = findings(scenario, result)
    rto = [f for f in plan if f.category == "RTO breach"]
    # The grade-1 breach keeps its own line; the eight grade-3 breaches of Operations are one.
    assert [f.subject for f in rto if f.grade == 1] == ["core"]
    grouped = [f for f in rto if f.grade == 3]
    assert len(grouped) == 1
    assert grouped[0].finding.startswith("8 grade-3 systems of Operations missed their RTO")
    assert grouped[0].owner == "Operations"


def test_a_few_breaches_keep_one_line_each():
    scenario = _scenario(3)
    result = run_scenario(scenario, seed=0, record_events=False)
    rto = [f for f in findings(scenario, result) if f.category == "RTO breach" and f.grade == 3]
    assert sorted(f.subject for f in rto) == ["s0", "s1", "s2"]
