"""drillsim invest: the loss of a run, expected annual loss and the money formulas, checked by hand.

The hand-computable case: one threat (a zone fault, 0.5 a year) takes a system serving 100 units
an hour down for exactly 4 hours at 1,000 won a unit; one option halves the repair to 2 hours.
"""

from __future__ import annotations

import math

import pytest

from drillsim.engine import run_scenario
from drillsim.invest import InvestAnalysis, Settings, finance, run_loss
from drillsim.invest.estimate import estimate
from drillsim.model import load_scenario

from invest_fixtures import MODEL, write_inputs

THREATS = """\
threats:
  - id: zone-fault
    frequency: 1/2
    injects:
      - {at: 1h, fail: zone-1}
"""

HALVE = """\
currency: KRW
options:
  - id: faster-repair
    capital_cost: 100000
    yearly_cost: 10000
    lifetime: 5
    patch:
      domains:
        - {id: zone-1, repair: {team: ops, duration: 2h}}
  - id: archive-standby
    capital_cost: 50000
    lifetime: 5
    patch:
      systems:
        - id: archive
          placements:
            - {name: b, domains: [room-b], role: standby}
          redundancy: {mode: active-standby, switchover: 15m, success: 1.0}
"""

RATE = 0.05


@pytest.fixture(scope="module")
def hand_report(tmp_path_factory):
    """Three runs of everything, simulated (no shortcut: the common random numbers do the work)."""
    model, threats, options = write_inputs(tmp_path_factory.mktemp("hand"), THREATS, HALVE)
    return InvestAnalysis(model, threats, options, Settings(runs=3, discount_rate=RATE, shortcuts=False, jobs=1)).run()


def test_run_loss_is_the_sum_of_the_loss_figures(tmp_path):
    """4 h x 100 units/h x 1,000 won: the loss of one run, all from unserved demand."""
    model, _, _ = write_inputs(tmp_path, THREATS, HALVE)
    loaded = load_scenario(model, patches=[{"injects": [{"at": "1h", "fail": "zone-1"}]}])
    loss = run_loss(run_scenario(loaded, seed=0, record_events=False), loaded.scenario)
    assert loss.unserved == pytest.approx(400_000, rel=1e-9)
    assert loss.data_loss == 0 and loss.permanent == 0
    assert loss.total == pytest.approx(400_000, rel=1e-9)


def test_hand_computed_case_matches_the_formulas(hand_report):
    report = hand_report
    f, before, after = 0.5, 400_000.0, 200_000.0
    (threat,) = report.threats
    assert threat.frequency == f
    assert threat.loss.mean == pytest.approx(before, rel=1e-9)
    assert threat.eal.mean == pytest.approx(f * before, rel=1e-9)
    assert report.baseline_eal.mean == pytest.approx(f * before, rel=1e-9)

    result = next(r for r in report.options if r.option.id == "faster-repair")
    benefit = f * (before - after)  # EAL avoided = frequency x (loss before - loss after)
    assert benefit == 100_000
    assert result.avoided.mean == pytest.approx(benefit, rel=1e-9)
    # Deterministic durations: every paired difference is the same, so the interval is a point.
    assert result.avoided.low == pytest.approx(benefit, rel=1e-9)
    assert result.avoided.high == pytest.approx(benefit, rel=1e-9)
    assert result.helps == ["zone-fault"] and result.hurts == []

    capital, yearly, life = 100_000.0, 10_000.0, 5
    annuity = sum((1 + RATE) ** -k for k in range(1, life + 1))  # 4.3294766...
    assert annuity == pytest.approx(4.329476670630819)
    npv = (benefit - yearly) * annuity - capital
    assert npv == pytest.approx(289_652.9, abs=0.1)
    assert result.npv.mean == pytest.approx(npv, rel=1e-9)
    bcr = benefit * annuity / (capital + yearly * annuity)
    assert bcr == pytest.approx(3.0214, abs=1e-4)
    assert result.bcr.mean == pytest.approx(bcr, rel=1e-9)
    # Discounted payback: (B - c) * A(r, t) = C0  =>  t = -ln(1 - r C0 / (B - c)) / ln(1 + r).
    payback = -math.log(1 - RATE * capital / (benefit - yearly)) / math.log(1 + RATE)
    assert payback == pytest.approx(1.1716, abs=1e-4)
    assert result.payback_years == pytest.approx(payback, rel=1e-9)
    assert result.eac == pytest.approx(capital / annuity + yearly, rel=1e-9)
    assert result.budget_cost == capital + 5 * yearly  # default budget period: 5 years


def test_option_that_touches_nothing_the_threat_hits_avoids_exactly_nothing(hand_report):
    """Common random numbers: the same seeds give the same world, so an irrelevant change is exactly 0."""
    result = next(r for r in hand_report.options if r.option.id == "archive-standby")
    assert result.portfolio.how == {"zone-fault": "simulated"}
    assert result.avoided.mean == 0.0
    assert (result.avoided.low, result.avoided.high) == (0.0, 0.0)
    assert result.helps == [] and result.hurts == []
    assert result.npv.mean == pytest.approx(-50_000, rel=1e-9)
    assert result.payback_years is None


def test_ranking_and_json(hand_report):
    assert [r.option.id for r in hand_report.options] == ["faster-repair", "archive-standby"]
    doc = hand_report.to_dict()
    assert doc["options"][0]["id"] == "faster-repair"
    assert doc["options"][0]["eal_avoided"]["mean"] == pytest.approx(100_000)
    assert doc["settings"]["discount_rate"] == RATE
    assert doc["portfolio"]["options"] == ["faster-repair"]
    assert [p["options"] for p in doc["pareto_front"]] == [[], ["faster-repair"]]


def test_finance_edge_cases():
    assert finance.annuity_factor(0.0, 7) == 7
    assert finance.npv(10, 30, 0, 5, 0.0) == 20
    assert finance.payback_years(10, 30, 0, 0.0) == 3
    assert finance.payback_years(5, 30, 5, 0.05) is None  # the yearly cost eats the benefit
    assert finance.payback_years(1, 100, 0, 0.05) is None  # 5 % interest on 100 exceeds 1 a year: never
    assert finance.payback_years(2, 0, 1, 0.05) == 0.0
    assert finance.benefit_cost_ratio(1, 0, 0, 5, 0.05) is None
    assert finance.budget_cost(100, 10, 3) == 130


def test_estimate_interval():
    e = estimate([1.0, 2.0, 3.0])
    # mean 2, sd 1, t(0.975, 2) = 4.302653
    assert e.mean == 2.0
    assert e.high - e.mean == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6)
    single = estimate([5.0])
    assert single.low is None and single.high is None


def test_variant_content_hash_follows_the_inputs(tmp_path):
    """The batch reuses saved runs by content hash: it must change with any patch, and only then."""
    from drillsim.invest.runner import LossRunner

    model, threats_file, options = write_inputs(tmp_path, THREATS, HALVE)
    builder = InvestAnalysis(model, threats_file, options, Settings(runs=1)).builder
    runner = LossRunner(builder)
    base = runner.content_hash(builder.variant("zone-fault"))
    one = runner.content_hash(builder.variant("zone-fault", ["faster-repair"]))
    both = runner.content_hash(builder.variant("zone-fault", ["archive-standby", "faster-repair"]))
    assert len({base, one, both}) == 3
    assert both == runner.content_hash(builder.variant("zone-fault", ["faster-repair", "archive-standby"]))
    again = LossRunner(InvestAnalysis(model, threats_file, options, Settings(runs=1)).builder)
    assert again.content_hash(builder.variant("zone-fault", ["faster-repair"])) == one


def test_batch_runner_losses_match_run_loss(tmp_path):
    """The runner reads losses from the batch's rows; they must equal run_loss on the same seeds."""
    from drillsim.batch import replication_seed
    from drillsim.invest.runner import simulate_losses

    threats = THREATS.replace("      - {at: 1h, fail: zone-1}\n", "      - {at: 1h, fail: zone-1}\n      - {at: 2h, fail: zone-2}\n")
    grade1 = MODEL.replace("  - id: portal\n", "  - id: portal\n    grade: 1\n    rto: 3h\n", 1)
    model, threats_file, options = write_inputs(tmp_path, threats, HALVE.replace("duration: 2h}}", "duration: {dist: exponential, mean: 2h}}}"), model=grade1)
    analysis = InvestAnalysis(model, threats_file, options, Settings(runs=1))
    variant = analysis.builder.variant("zone-fault", ["faster-repair"])
    records = simulate_losses(analysis.builder, [variant], runs=4, seed=7)[variant]
    got = records.components
    scenario = analysis.builder.build(variant)
    for i in range(4):
        result = run_scenario(scenario, seed=replication_seed(7, i), record_events=False)
        assert got[i].tolist() == pytest.approx(run_loss(result, scenario).as_array().tolist(), rel=1e-12)
        assert records.grade1_breaches[i] == result.metrics.grade1_rto_breaches
        assert records.data_lost[i] == len(result.metrics.data_lost_permanently)
    assert len(set(got[:, 0].tolist())) > 1  # random repair times: the runs differ
    assert records.grade1_breaches.sum() > 0  # the grade-1 portal misses its RTO: the counts are not all zero
