"""drillsim invest: the annual loss distribution against a case with a known answer.

One threat, a zone fault 0.5 times a year, takes the grade-1 portal down for exactly 4 hours
(100 units an hour at 1,000 won: L = 400,000 won an occurrence, and a breach of its 3-hour RTO
every time). A year's loss is then N x L with N ~ Poisson(0.5), so P(annual loss > k L) = P(N > k),
VaR and TVaR follow from the Poisson distribution, and P(a year with a grade-1 breach) = P(N >= 1).
The option halves the repair (2 hours: half the loss, no breach): with the same years (common
random numbers) every year of the portfolio costs exactly half the baseline's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from drillsim.invest import InvestAnalysis, Settings
from drillsim.invest.years import draw_years, exceedance, tail, year_losses

from invest_fixtures import MODEL, write_inputs

F = 0.5
L = 400_000.0
YEARS = 20_000

THREATS = """\
threats:
  - id: zone-fault
    frequency: 1/2
    injects:
      - {at: 1h, fail: zone-1}
"""

OPTIONS = """\
options:
  - id: faster-repair
    capital_cost: 100000
    lifetime: 5
    patch:
      domains:
        - {id: zone-1, repair: {team: ops, duration: 2h}}
"""

GRADE1 = MODEL.replace("  - id: portal\n", "  - id: portal\n    grade: 1\n    rto: 3h\n", 1)


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    model, threats, options = write_inputs(tmp_path_factory.mktemp("years"), THREATS, OPTIONS, model=GRADE1)
    analysis = InvestAnalysis(model, threats, options, Settings(runs=2, risk_years=YEARS, bootstrap=40, outer_samples=0))
    report = analysis.run()
    return analysis, report


def _sd_tolerance(p: float, n: int) -> float:
    return 4.5 * math.sqrt(max(p * (1 - p), 1e-12) / n) + 1e-12


def test_exceedance_is_a_poisson_tail(analysis):
    analysis, _ = analysis
    runs = analysis.records("zone-fault")
    assert runs.total.tolist() == pytest.approx([L, L], rel=1e-9)  # the fixed loss of the case
    draws = draw_years([F], [False], [runs.runs], YEARS, np.random.default_rng(1))
    years = year_losses(draws, [runs])
    for k in range(5):
        expected = float(stats.poisson.sf(k, F))  # P(N > k)
        got = float(exceedance(years.aggregate[0], k * L))
        assert abs(got - expected) <= _sd_tolerance(expected, YEARS), (k, got, expected)
    # The year's largest occurrence is L whenever something happened, never more.
    assert float(exceedance(years.largest[0], 0.5 * L)) == pytest.approx(-math.expm1(-F), abs=_sd_tolerance(-math.expm1(-F), YEARS))
    assert float(exceedance(years.largest[0], L)) == 0.0
    # Every occurrence breaches the portal's RTO: a year has a breach iff it has an occurrence.
    assert np.array_equal(years.grade1[0], years.aggregate[0] > 0)
    assert not years.lost.any()


def _poisson_tail(level: float) -> tuple[float, float, float]:
    """VaR, TVaR and the sd of the TVaR estimate over YEARS years, for N ~ Poisson(F) times L."""
    k = 0
    while stats.poisson.cdf(k, F) < level:
        k += 1
    n = np.arange(0, 60)
    pmf = stats.poisson.pmf(n, F)
    excess = np.maximum(n - k, 0)
    mean_excess = float((pmf * excess).sum())
    sd_excess = math.sqrt(float((pmf * excess**2).sum()) - mean_excess**2)
    return k * L, (k + mean_excess / (1 - level)) * L, sd_excess / (1 - level) * L / math.sqrt(YEARS)


@pytest.mark.parametrize("level", [0.90, 0.99])
def test_var_and_tvar_match_the_poisson_distribution(analysis, level):
    _, report = analysis
    metrics = report.risk.baseline.metrics
    var, tvar, sd = _poisson_tail(level)
    tag = round(level * 100)
    assert metrics[f"var{tag}"]["value"] == pytest.approx(var, rel=1e-9)  # exactly k L (up to rounding)
    assert metrics[f"tvar{tag}"]["value"] == pytest.approx(tvar, abs=4.5 * sd)
    assert metrics[f"tvar{tag}"]["low"] <= metrics[f"tvar{tag}"]["value"] <= metrics[f"tvar{tag}"]["high"]
    assert metrics["mean"]["value"] == pytest.approx(F * L, rel=4.5 * math.sqrt(F) / (F * math.sqrt(YEARS)))
    p_breach = -math.expm1(-F)
    assert metrics["p_grade1_breach"]["value"] == pytest.approx(p_breach, abs=_sd_tolerance(p_breach, YEARS))
    assert metrics["p_data_lost"]["value"] == 0.0


def test_tvar_formula_on_ties():
    """With ties at VaR, TVaR = VaR + E[(L - VaR)+] / (1 - q): the mean of the worst 10 % of years."""
    losses = np.sort(np.array([0.0] * 85 + [1.0] * 10 + [3.0] * 5))
    var, tvar = tail(losses[None, :], 0.90)
    assert var[0] == 1.0  # P(L <= 1) = 0.95 >= 0.9 > P(L <= 0) = 0.85
    assert tvar[0] == pytest.approx((5 * 1.0 + 5 * 3.0) / 10)  # the worst 10 years: five 1s and five 3s


def test_portfolio_years_are_the_baselines_years(analysis):
    """Common random numbers: the same years, the same runs drawn; the option halves each year's loss."""
    _, report = analysis
    base, option = report.risk.baseline, report.risk.get(("faster-repair",))
    for key in ("var90", "var99", "tvar90", "tvar99", "mean"):
        assert option.metrics[key]["value"] == pytest.approx(base.metrics[key]["value"] / 2, rel=1e-12)
    assert option.metrics["p_grade1_breach"]["value"] == 0.0  # 2 h repairs meet the 3 h RTO
    curve = base.curves["aggregate"]
    assert len(curve["loss"]) == len(curve["p"]) == len(curve["low"]) == len(curve["high"])
    assert all(a >= b for a, b in zip(curve["p"], curve["p"][1:]))  # an exceedance curve never rises


def test_seeded_and_reproducible(analysis):
    analysis, report = analysis
    again = analysis.annual_risk(report.choice)
    assert again.as_dict()["portfolios"] == report.risk.as_dict()["portfolios"]
