"""drillsim invest: assumptions as ranges, reweighting against re-simulation, flips, tornado, break-even.

Two threats fail two zones with random (exponential) repair times, so runs differ; one option
halves zone 1's repair, the other zone 2's. Reweighting the stored runs to another frequency or
loss figure must give exactly what a new simulation with that figure gives on the same seeds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from drillsim.invest import InvestAnalysis, Settings
from drillsim.invest.assumptions import Range

from invest_fixtures import MODEL, write_inputs

RANDOM_REPAIRS = MODEL.replace("repair: {team: ops, duration: 4h}", "repair: {team: ops, duration: {dist: exponential, mean: 4h}}")

THREATS = """\
threats:
  - id: zone-1-fault
    frequency: {f1}
    injects:
      - {{at: 1h, fail: zone-1}}
  - id: zone-2-fault
    frequency: 1/4
    injects:
      - {{at: 1h, fail: zone-2}}
"""

LOSS_RANGE = """\
loss_figures:
  per_unserved: {p5: 0.5, p95: 2}
"""

OPTIONS = """\
options:
  - id: fix-zone-1
    capital_cost: {cap1}
    lifetime: 5
    patch:
      domains:
        - {{id: zone-1, repair: {{team: ops, duration: {{dist: exponential, mean: 2h}}}}}}
  - id: fix-zone-2
    capital_cost: 150000
    yearly_cost: 10000
    lifetime: 5
    patch:
      domains:
        - {{id: zone-2, repair: {{team: ops, duration: {{dist: exponential, mean: 2h}}}}}}
"""

RUNS = 3
RATE = 0.05


def _analysis(tmp_path, f1: str = "1/2", cap1: str = "200000", model: str = RANDOM_REPAIRS, losses: str = LOSS_RANGE, **settings) -> InvestAnalysis:
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = write_inputs(tmp_path, THREATS.format(f1=f1), losses + OPTIONS.format(cap1=cap1), model=model)
    return InvestAnalysis(*files, Settings(runs=RUNS, seed=3, discount_rate=RATE, risk_years=0, **settings))


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    analysis = _analysis(tmp_path_factory.mktemp("base"))
    return analysis, analysis.run()


def _point(report):
    return {r.option.id: (r.avoided.mean, r.npv.mean) for r in report.options}, report.baseline_eal.mean


def test_reweighting_a_frequency_equals_resimulating(base, tmp_path):
    analysis, _ = base
    eco = analysis.economics()
    row = eco.assumptions.nominal()
    row[eco.assumptions.column("frequency", "zone-1-fault")] = 1.7
    reweighted = eco.evaluate(row)
    again = _analysis(tmp_path, f1="1.7").run()  # a new simulation, the same seeds
    options, eal = _point(again)
    assert reweighted.eal[0, eco.base] == pytest.approx(eal, rel=1e-12)
    for k, option in enumerate(eco.assumptions.options):
        assert reweighted.single_avoided[0, k] == pytest.approx(options[option][0], rel=1e-12)
        assert reweighted.npv[0, k] == pytest.approx(options[option][1], rel=1e-12)
    assert len({round(v) for v in analysis.records("zone-1-fault").total}) == RUNS  # the runs differ


def test_reweighting_a_loss_figure_equals_resimulating(base, tmp_path):
    """A factor on every per_unserved equals a model whose per_unserved figures are that much larger."""
    analysis, _ = base
    eco = analysis.economics()
    row = eco.assumptions.nominal()
    row[eco.assumptions.column("loss_figure", "per_unserved")] = 2.5
    reweighted = eco.evaluate(row)
    scaled = RANDOM_REPAIRS.replace("loss: {per_unserved: 1000}", "loss: {per_unserved: 2500}")
    assert scaled.count("per_unserved: 2500") == 3
    options, eal = _point(_analysis(tmp_path, model=scaled).run())
    assert reweighted.eal[0, eco.base] == pytest.approx(eal, rel=1e-12)
    for k, option in enumerate(eco.assumptions.options):
        assert reweighted.npv[0, k] == pytest.approx(options[option][1], rel=1e-12)


def test_point_figures_reproduce_the_point_analysis(base):
    analysis, report = base
    eco = analysis.economics()
    point = eco.evaluate(eco.assumptions.nominal())
    for k, option in enumerate(eco.assumptions.options):
        result = next(r for r in report.options if r.option.id == option)
        assert point.npv[0, k] == pytest.approx(result.npv.mean, rel=1e-12)
        assert point.eac[0, k] == pytest.approx(result.eac, rel=1e-12)
    values = {p.options: p.value for p in report.portfolios}
    for p, key in enumerate(eco.portfolios):
        assert point.value[0, p] == pytest.approx(values[key], rel=1e-9, abs=1e-6)
    assert eco.portfolios[int(eco.best(point)[0])] == report.choice.portfolio.options


def _npv_gap(analysis) -> tuple[float, float, float]:
    """fix-zone-1's NPV is a f1 + b; f1 at which it equals fix-zone-2's NPV, and the point NPVs."""
    eco = analysis.economics()
    rows = np.tile(eco.assumptions.nominal(), (2, 1))
    col = eco.assumptions.column("frequency", "zone-1-fault")
    rows[0, col], rows[1, col] = 0.0, 1.0
    npv = eco.evaluate(rows).npv
    slope, intercept = npv[1, 0] - npv[0, 0], npv[0, 0]
    return (npv[0, 1] - intercept) / slope, npv[0, 0], npv[0, 1]


def test_a_ranking_that_flips_inside_a_range_is_shown_as_uncertain(tmp_path):
    probe = _analysis(tmp_path / "probe", outer_samples=0)
    probe.run()
    f_star = float(_npv_gap(probe)[0])  # fix-zone-1 ranks first above this frequency of zone 1's fault
    assert 0.05 < f_star < 5
    p5, p95 = f_star / 3, f_star * 2  # a 90 % interval around the crossing: the order flips inside it
    # The frequency is the only range, so the order depends on it alone.
    analysis = _analysis(tmp_path / "wide", f1=f"{{p5: {p5!r}, p95: {p95!r}}}", losses="", outer_samples=1000)
    report = analysis.run()
    u = report.uncertainty
    a, b = u.option("fix-zone-1"), u.option("fix-zone-2")
    assert a.uncertain and b.uncertain
    assert a.rank_interval == (1, 2) and b.rank_interval == (1, 2)
    (flip,) = u.flips
    # P(fix-zone-1 ranks first) = P(f1 > f*) under the lognormal, which Latin hypercube sampling hits within 1/n.
    mu, sigma = (math.log(p5) + math.log(p95)) / 2, (math.log(p95) - math.log(p5)) / (2 * 1.6448536269514722)
    p_first = float(stats.norm.sf((math.log(f_star) - mu) / sigma))
    kept = p_first if flip["above"] == "fix-zone-1" else 1 - p_first
    assert flip["p_kept"] == pytest.approx(kept, abs=0.005)
    assert a.rank_distribution[0] == pytest.approx(p_first, abs=0.005)

    narrow = _analysis(tmp_path / "narrow", f1=f"{{p5: {4 * f_star!r}, p95: {6 * f_star!r}}}", losses="", outer_samples=1000).run().uncertainty
    assert not narrow.option("fix-zone-1").uncertain and narrow.option("fix-zone-1").rank_interval == (1, 1)
    assert narrow.flips == []


def test_tornado_and_break_even(tmp_path):
    analysis = _analysis(tmp_path, cap1="{min: 100000, mode: 200000, max: 400000, dist: triangular}", outer_samples=200)
    report = analysis.run()
    u = report.uncertainty.option("fix-zone-1")
    eco = analysis.economics()
    result = next(r for r in report.options if r.option.id == "fix-zone-1")
    # Tornado: the capital range moves the NPV by exactly its 5-95 % span; the loss factor by B x A x its span.
    capital = Range(min=100000, mode=200000, max=400000, dist="triangular")
    a = (1 - (1 + RATE) ** -5) / RATE
    bars = {b.key: b for b in u.tornado}
    cap_span = float(np.diff(capital.ppf([0.05, 0.95]))[0])
    assert bars["capital_cost[fix-zone-1]"].swing == pytest.approx(cap_span, rel=1e-9)
    loss_span = float(np.diff(Range(p5=0.5, p95=2).ppf([0.05, 0.95]))[0])
    assert bars["loss_figures.per_unserved"].swing == pytest.approx(result.avoided.mean * a * loss_span, rel=1e-9)
    assert [b.key for b in u.tornado] == sorted(bars, key=lambda k: -bars[k].swing)
    assert "capital_cost[fix-zone-2]" not in bars  # another option's cost does not move this NPV
    # Break-even: NPV = 0 at f*, i.e. f* x (loss avoided per occurrence) = EAC.
    be = u.break_even
    assert be.threat == "zone-1-fault" and be.status == "above"
    per_occurrence = result.portfolio.by_threat["zone-1-fault"].mean / 0.5
    assert be.break_even == pytest.approx(result.eac / per_occurrence, rel=1e-9)
    row = eco.assumptions.nominal()
    row[eco.assumptions.column("frequency", "zone-1-fault")] = be.break_even
    assert eco.evaluate(row).npv[0, 0] == pytest.approx(0.0, abs=1e-6 * result.eac)
    assert f"once in {1 / be.break_even:,.3g} years" in be.sentence()


def test_uncertainty_is_seeded(base):
    analysis, report = base
    results = report.options
    one = analysis.uncertainty(results, report.choice).as_dict()
    two = analysis.uncertainty(results, report.choice).as_dict()
    one.pop("cpu_seconds"), two.pop("cpu_seconds")
    assert one == two
    assert report.uncertainty.ranged == ["loss_figures.per_unserved"]


@pytest.mark.parametrize(
    "spec, q, expected",
    [
        (dict(p5=0.01, p95=0.09), [0.05, 0.5, 0.95], [0.01, 0.03, 0.09]),  # lognormal: its ends and the geometric middle
        (dict(min=1, mode=2, max=4, dist="triangular"), [0.0, 1 / 3, 1.0], [1, 2, 4]),  # F(mode) = (mode - min) / (max - min)
        (dict(min=2, max=6), [0.25, 0.5], [3, 4]),
    ],
)
def test_range_quantiles(spec, q, expected):
    assert Range(**spec).ppf(np.array(q)).tolist() == pytest.approx(expected, rel=1e-12)


def test_pert_mean_and_point_figures():
    pert = Range(min=1, mode=2, max=7)
    assert pert.dist == "pert" and pert.nominal == 2
    grid = (np.arange(200_000) + 0.5) / 200_000
    assert float(pert.ppf(grid).mean()) == pytest.approx((1 + 4 * 2 + 7) / 6, rel=1e-4)
    assert Range(p5=1, p95=4).nominal == pytest.approx(2.0)  # the median of the lognormal
    assert Range(p5=1, p95=4, value=3).nominal == 3
