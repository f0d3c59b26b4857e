"""drillsim invest portfolios: combinations are simulated (fixes of one weak point do not add up),
and the greedy search against the exhaustive one on a small set.
"""

from __future__ import annotations

import pytest

from drillsim.invest import InvestAnalysis, Settings
from drillsim.invest.analysis import pareto_front

from invest_fixtures import MODEL, write_inputs

ZONE_1 = """\
threats:
  - id: zone-1-fault
    frequency: 1
    injects:
      - {at: 1h, fail: zone-1}
"""

# Two standbys for the same single point of failure (the portal's only replica, in zone 1).
TWO_FIXES = """\
options:
  - id: standby-b
    capital_cost: 100000
    lifetime: 5
    patch:
      systems:
        - id: portal
          placements:
            - {name: b, domains: [room-b], role: standby}
          redundancy: {mode: active-standby, switchover: 15m, success: 1.0}
  - id: standby-c
    capital_cost: 100000
    lifetime: 5
    patch:
      systems:
        - id: portal
          placements:
            - {name: c, domains: [room-c], role: standby}
          redundancy: {mode: active-standby, switchover: 15m, success: 1.0}
"""


def test_two_fixes_of_the_same_single_point_of_failure_do_not_add_up(tmp_path):
    model, threats, options = write_inputs(tmp_path, ZONE_1, TWO_FIXES)
    report = InvestAnalysis(model, threats, options, Settings(runs=2, objective="avoided", risk_years=0, outer_samples=0)).run()
    singles = {r.option.id: r.avoided.mean for r in report.options}
    # Each standby alone: 4 h outage -> 15 min switchover: (4 - 0.25) h x 100 units x 1,000 won, once a year.
    assert singles["standby-b"] == pytest.approx(375_000, rel=1e-9)
    assert singles["standby-c"] == pytest.approx(375_000, rel=1e-9)
    both = next(p for p in report.portfolios if p.options == ("standby-b", "standby-c"))
    assert both.avoided.mean == pytest.approx(375_000, rel=1e-9)  # a second standby adds nothing
    assert both.avoided.mean < 0.6 * sum(singles.values())
    # The search simulated the combination and keeps one standby: the second costs more than it adds.
    choice = report.choice
    assert choice.search == "exhaustive" and choice.candidates == 4
    assert len(choice.portfolio.options) == 1


def test_overlapping_fields_are_reported_for_a_combination(tmp_path):
    model, threats, options = write_inputs(tmp_path, ZONE_1, TWO_FIXES)
    analysis = InvestAnalysis(model, threats, options, Settings(runs=1, objective="avoided", budget=200_000, risk_years=0, outer_samples=0))
    analysis.evaluate([("standby-b", "standby-c")])
    choice = analysis._choice("exhaustive", analysis._portfolios[("standby-b", "standby-c")], 1)
    assert choice.sum_of_singles == pytest.approx(750_000, rel=1e-9)
    assert "systems.[portal].redundancy.mode" in choice.overlaps
    assert choice.overlaps["systems.[portal].redundancy.mode"] == ["standby-b", "standby-c"]


# Three independent systems, each in its own zone; one threat fails all three zones. Fixing a
# system avoids (4 - 0.25) h x 100 units x its per_unserved a year. Costs make a knapsack trap:
# A is worth 7 for 6, B 5 for 5, C 4 for 5; with a budget of 10, the best ratio (A) leaves no room
# for anything else, while B + C (worth 9) fits.
KNAPSACK_MODEL = MODEL.replace(
    "    loss: {per_unserved: 1000}\n  - id: ledger", "    loss: {per_unserved: 7000}\n  - id: ledger"
).replace("    loss: {per_unserved: 1000}\n  - id: archive", "    loss: {per_unserved: 5000}\n  - id: archive").replace(
    "      - {name: primary, domains: [room-a, zone-3]}\n    loss: {per_unserved: 1000}", "      - {name: primary, domains: [room-a, zone-3]}\n    loss: {per_unserved: 4000}"
)

ALL_ZONES = """\
threats:
  - id: site-network-fault
    frequency: 1
    injects:
      - {at: 1h, fail: zone-1}
      - {at: 1h, fail: zone-2}
      - {at: 1h, fail: zone-3}
"""


def _standby(option_id: str, system: str, cost: int) -> str:
    return f"""\
  - id: {option_id}
    capital_cost: {cost}
    lifetime: 10
    patch:
      systems:
        - id: {system}
          placements:
            - {{name: b, domains: [room-b], role: standby}}
          redundancy: {{mode: active-standby, switchover: 15m, success: 1.0}}
"""


KNAPSACK_OPTIONS = "options:\n" + _standby("fix-a", "portal", 6_000_000) + _standby("fix-b", "ledger", 5_000_000) + _standby("fix-c", "archive", 5_000_000)


def _analysis(tmp_path, search: str, budget: float) -> InvestAnalysis:
    model, threats, options = write_inputs(tmp_path, ALL_ZONES, KNAPSACK_OPTIONS, model=KNAPSACK_MODEL)
    return InvestAnalysis(model, threats, options, Settings(runs=1, objective="avoided", search=search, budget=budget, risk_years=0, outer_samples=0))


def test_greedy_against_exhaustive_on_a_small_set(tmp_path):
    unit = 3.75 * 100 * 1000  # EAL avoided per 1,000 won of per_unserved fixed
    exhaustive = _analysis(tmp_path, "exhaustive", 10_000_000).run()
    greedy = _analysis(tmp_path, "greedy", 10_000_000).run()
    assert {r.option.id: r.avoided.mean for r in exhaustive.options} == pytest.approx({"fix-a": 7 * unit, "fix-b": 5 * unit, "fix-c": 4 * unit})

    # Exhaustive: every subset within the budget ({}, A, B, C, B+C) simulated; B + C is best.
    assert exhaustive.choice.search == "exhaustive"
    assert exhaustive.choice.candidates == 5
    assert exhaustive.choice.portfolio.options == ("fix-b", "fix-c")
    assert exhaustive.choice.portfolio.avoided.mean == pytest.approx(9 * unit)

    # Greedy: best marginal value per won first (A: 7/6 > 5/5), then nothing else fits.
    assert greedy.choice.search == "greedy"
    assert greedy.choice.portfolio.options == ("fix-a",)
    assert [s["pick"] for s in greedy.choice.steps] == ["fix-a"]
    assert greedy.choice.steps[0]["marginal_value_per_budget_cost"] == pytest.approx(7 * unit / 6_000_000)
    assert greedy.choice.portfolio.value <= exhaustive.choice.portfolio.value


def test_greedy_finds_the_optimum_when_the_budget_is_no_trap(tmp_path):
    exhaustive = _analysis(tmp_path, "exhaustive", 16_000_000).run()
    greedy = _analysis(tmp_path, "greedy", 16_000_000).run()
    assert exhaustive.choice.portfolio.options == greedy.choice.portfolio.options == ("fix-a", "fix-b", "fix-c")
    # Greedy re-simulated the combination after each pick: 1 baseline + 3 + 2 + 1 candidates.
    assert greedy.choice.candidates == 7
    assert [s["pick"] for s in greedy.choice.steps] == ["fix-a", "fix-b", "fix-c"]


def test_auto_search_switches_to_greedy_above_the_limit(tmp_path):
    model, threats, options = write_inputs(tmp_path, ALL_ZONES, KNAPSACK_OPTIONS, model=KNAPSACK_MODEL)
    report = InvestAnalysis(model, threats, options, Settings(runs=1, objective="avoided", budget=10_000_000, exhaustive_limit=2, risk_years=0, outer_samples=0)).run()
    assert report.choice.search == "greedy"


def test_pareto_front_keeps_only_undominated_portfolios(tmp_path):
    report = _analysis(tmp_path, "exhaustive", 16_000_000).run()
    assert len(report.portfolios) == 8
    # Brute force: on the front iff no other portfolio is at most as costly and strictly less risky,
    # or strictly cheaper and at most as risky.
    def dominated(p):
        return any(
            (q.budget_cost <= p.budget_cost and q.eal.mean < p.eal.mean) or (q.budget_cost < p.budget_cost and q.eal.mean <= p.eal.mean)
            for q in report.portfolios
        )

    undominated = [p.options for p in report.portfolios if not dominated(p)]
    front = [p.options for p in report.pareto]
    assert front == [(), ("fix-b",), ("fix-a",), ("fix-b", "fix-c"), ("fix-a", "fix-b"), ("fix-a", "fix-b", "fix-c")]
    assert front == undominated
    assert pareto_front(report.portfolios) == report.pareto


def test_parallel_jobs_give_the_same_numbers(tmp_path):
    model, threats, options = write_inputs(tmp_path, ZONE_1, TWO_FIXES)
    one = InvestAnalysis(model, threats, options, Settings(min_runs=3, max_runs=12, jobs=1)).run().to_dict()  # sequential
    two = InvestAnalysis(model, threats, options, Settings(min_runs=3, max_runs=12, jobs=2)).run().to_dict()
    for doc in (one, two):
        doc.pop("elapsed_seconds")
        doc["annual_loss"].pop("cpu_seconds")  # timings differ; everything else must not
    assert one == two


def test_json_shows_the_sum_of_singles_beside_each_combination(tmp_path):
    model, threats, options = write_inputs(tmp_path, ZONE_1, TWO_FIXES)
    doc = InvestAnalysis(model, threats, options, Settings(runs=1, risk_years=0, outer_samples=0)).run().to_dict()
    (both,) = [p for p in doc["portfolios"] if len(p["options"]) == 2]
    assert both["sum_of_singles_eal_avoided"] == pytest.approx(750_000, rel=1e-9)
    assert both["eal_avoided"]["mean"] == pytest.approx(375_000, rel=1e-9)
