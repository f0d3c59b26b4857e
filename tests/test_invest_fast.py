"""drillsim invest, working smarter: reachability skips, added-up portfolios, sequential replication.

Every shortcut is compared with a simulation of the same seeds (``Settings(shortcuts=False)``
simulates everything), and every rule has a case where getting it wrong would change the answer.
The model: room-1 holds portal and kiosk (grade 1, RTO 3 h, both restarted by ops-a, one person,
portal first), room-2 holds ledger (restarted by ops-b); reports sits in an untouched room but
depends on ledger, so it goes down with it and is never itself recovered; archive is elsewhere.
The threat fails rooms 1 and 2 for an hour.
"""

from __future__ import annotations

import numpy as np
import pytest

from drillsim.invest import InvestAnalysis, RunRecords, Settings
from drillsim.invest.variants import Variant
from drillsim.model.loading import scenario_from_data

from invest_fixtures import write_inputs

MODEL = """\
id: fast-invest
start: 2025-01-06T09:00:00+09:00
horizon: 1d
domains:
  - {id: site-a, kind: site}
  - {id: room-1, kind: room, parent: site-a}
  - {id: room-2, kind: room, parent: site-a}
  - {id: room-3, kind: room, parent: site-a}
  - {id: site-b, kind: site}
  - {id: room-b, kind: room, parent: site-b}
teams:
  - {id: ops-a, staff: 1, schedule: 24x7}
  - {id: ops-b, staff: 1, schedule: 24x7}
  - {id: ops-c, staff: 1, schedule: 24x7}
systems:
  - id: portal
    grade: 1
    team: ops-a
    rto: 3h
    demand: {per_day: 2400}
    detection: 0
    placements: [{name: primary, domains: [room-1]}]
    recovery: [{kind: restart, duration: {dist: triangular, low: 1h, mode: 2h, high: 3h}}]
    loss: {per_unserved: 1000}
  - id: kiosk
    grade: 1
    team: ops-a
    rto: 3h
    demand: {per_day: 2400}
    detection: 5m
    placements: [{name: primary, domains: [room-1]}]
    recovery: [{kind: restart, duration: 2h30m}]
    loss: {per_unserved: 1000}
  - id: ledger
    grade: 2
    team: ops-b
    demand: {per_day: 2400}
    detection: 0
    placements: [{name: primary, domains: [room-2]}]
    recovery: [{kind: restart, duration: {dist: triangular, low: 1h, mode: 2h, high: 4h}}]
    loss: {per_unserved: 1000}
  - id: reports
    grade: 3
    team: ops-c
    demand: {per_day: 2400}
    detection: 0
    placements: [{name: primary, domains: [room-3]}]
    depends_on: [ledger]
    data: {size: 1TB}
    loss: {per_unserved: 500}
  - id: archive
    team: ops-c
    demand: {per_day: 2400}
    placements: [{name: primary, domains: [room-b]}]
    loss: {per_unserved: 100}
"""

THREATS = """\
threats:
  - id: rooms-down
    frequency: 1
    injects:
      - {at: 1h, fail: room-1, for: 1h}
      - {at: 1h, fail: room-2, for: 1h}
"""


def _option(option_id: str, patch: str, capital: float = 1000.0) -> str:
    return f"  - id: {option_id}\n    capital_cost: {capital}\n    lifetime: 5\n    patch:\n" + "".join(f"      {line}\n" for line in patch.strip().splitlines())


OPTIONS = {
    "portal-standby": """systems:
  - id: portal
    placements: [{name: b, domains: [room-b], role: standby}]
    redundancy: {mode: active-standby, switchover: 15m, success: 1.0}""",
    "ledger-fast": """systems:
  - id: ledger
    recovery: [{kind: restart, duration: 30m}]""",
    "kiosk-fast": """systems:
  - id: kiosk
    recovery: [{kind: restart, duration: 1h}]""",
    "ops-a-staff": """teams:
  - {id: ops-a, staff: 2}""",
    "reports-backup": """systems:
  - id: reports
    data: {backups: [{every: 1d, in: [room-b]}]}""",
    "reports-fallback": """systems:
  - id: reports
    fallback: {activation: 0m, staff: 0, share: 0.5}""",
    "archive-standby": """systems:
  - id: archive
    placements: [{name: b, domains: [room-3], role: standby}]
    redundancy: active-standby""",
}

LIGHT = {"risk_years": 0, "outer_samples": 0, "jobs": 1}


def _inputs(tmp_path, names, capital: dict[str, float] | None = None):
    capital = capital or {}
    tmp_path.mkdir(parents=True, exist_ok=True)
    text = "options:\n" + "".join(_option(n, OPTIONS[n], capital.get(n, 1000.0)) for n in names)
    return write_inputs(tmp_path, THREATS, text, MODEL)


@pytest.fixture(scope="module")
def every(tmp_path_factory):
    """All options, runs 0..5 of every variant: with the shortcuts, and everything simulated."""
    files = _inputs(tmp_path_factory.mktemp("fast"), list(OPTIONS))
    smart = InvestAnalysis(*files, Settings(runs=6, **LIGHT))
    full = InvestAnalysis(*files, Settings(runs=6, shortcuts=False, **LIGHT))
    return smart, full


def _simulated(analysis: InvestAnalysis, options: tuple[str, ...]) -> RunRecords:
    analysis.evaluate([options])
    return analysis.records("rooms-down", options)


def _same(a: RunRecords, b: RunRecords, exact: bool = True) -> None:
    if exact:
        assert np.array_equal(a.components, b.components)
    else:
        assert a.components == pytest.approx(b.components, rel=1e-9, abs=1e-6)
    assert np.array_equal(a.grade1_breaches, b.grade1_breaches) and np.array_equal(a.data_lost, b.data_lost)


@pytest.mark.parametrize("option", ["reports-backup", "archive-standby"])
def test_a_skipped_option_equals_its_simulation(every, option):
    """Out of reach: a system the threat never touches, and the data of one down only through a dependency."""
    smart, full = every
    assert smart.recipe("rooms-down", (option,)).kind == "baseline" and smart.recipe("rooms-down", (option,)).skipped == (option,)
    simulated = _simulated(full, (option,))
    assert full.recipe("rooms-down", (option,)).kind == "simulated"
    _same(_simulated(smart, (option,)), simulated)
    _same(simulated, full.records("rooms-down"))


@pytest.mark.parametrize("option", ["reports-fallback", "kiosk-fast", "ops-a-staff"])
def test_options_within_reach_are_simulated_and_skipping_them_would_be_wrong(every, option):
    """One dependency away (reports' fallback), a system with a problem of its own, a team: all reachable."""
    smart, full = every
    assert smart.recipe("rooms-down", (option,)).kind == "simulated"
    simulated = _simulated(full, (option,))
    assert not np.array_equal(simulated.components, full.records("rooms-down").components)
    _same(_simulated(smart, (option,)), simulated)


def test_disjoint_options_add_up_to_the_simulated_combination(every):
    smart, full = every
    pair = ("portal-standby", "ledger-fast")
    recipe = smart.recipe("rooms-down", pair)
    assert recipe.kind == "added" and [p.options for p in recipe.parts] == [("portal-standby",), ("ledger-fast",)]
    added, simulated = _simulated(smart, pair), _simulated(full, pair)
    assert full.recipe("rooms-down", pair).kind == "simulated"
    _same(added, simulated, exact=False)
    assert smart.evaluate([pair])[0].how == {"rooms-down": "added"}


def test_options_that_share_a_team_are_simulated_together(every):
    """kiosk-fast and ops-a-staff change different entries but one queue: their effects on RTO breaches do not add."""
    smart, full = every
    pair = ("kiosk-fast", "ops-a-staff")
    assert smart.recipe("rooms-down", pair).kind == "simulated"
    simulated = _simulated(full, pair)
    _same(_simulated(smart, pair), simulated)
    wrong = RunRecords.added([_simulated(full, ("kiosk-fast",)), _simulated(full, ("ops-a-staff",))], full.records("rooms-down"))
    assert not np.array_equal(wrong.grade1_breaches, simulated.grade1_breaches)


def test_an_option_that_changes_the_threats_events_reaches_everything(tmp_path):
    text = "options:\n" + _option("portal-standby", OPTIONS["portal-standby"]) + """\
  - id: shorter-outage
    capital_cost: 1000
    lifetime: 5
    threat_patches:
      rooms-down:
        injects:
          - {at: 1h, fail: room-2, for: 30m}
"""
    analysis = InvestAnalysis(*write_inputs(tmp_path, THREATS, text, MODEL), Settings(runs=2, **LIGHT))
    reach = analysis.shortcuts.reach("rooms-down")
    change = analysis.shortcuts.change("rooms-down", "shorter-outage")
    assert change.everything and reach.influence([change]) == [None]
    pair = ("portal-standby", "shorter-outage")  # portal is in room-1, the outage patched is room-2's: still simulated together
    assert analysis.recipe("rooms-down", pair).kind == "simulated" and analysis.recipe("rooms-down", pair).variant.options == pair


def test_an_unreachable_option_drops_out_of_a_portfolio(every):
    smart, _ = every
    recipe = smart.recipe("rooms-down", ("ledger-fast", "archive-standby"))
    assert recipe.kind == "simulated" and recipe.variant == Variant("rooms-down", ("ledger-fast",)) and recipe.skipped == ("archive-standby",)


def test_variants_built_from_the_baseline_equal_full_validation(every):
    smart, _ = every
    builder = smart.builder
    for options in [("portal-standby",), ("ops-a-staff", "reports-fallback"), tuple(OPTIONS)]:
        variant = builder.variant("rooms-down", options)
        quick = builder._from_baseline(variant)
        full = scenario_from_data(builder.document(variant), builder.files["rooms-down"])
        assert quick is not None and quick.scenario.model_dump() == full.scenario.model_dump()
        assert [d.format() for d in quick.warnings] == [d.format() for d in full.warnings]


def _sequential(files, **settings):
    return InvestAnalysis(*files, Settings(min_runs=4, max_runs=16, **LIGHT, **settings)).run()


def test_sequential_stops_when_every_interval_excludes_zero(tmp_path):
    report = _sequential(_inputs(tmp_path, ["ledger-fast"], {"ledger-fast": 1.0}))
    rep = report.replication
    assert rep.mode == "sequential" and rep.rounds == 1 and not rep.open
    assert rep.baseline_runs == {"rooms-down": 4} and rep.option_runs["ledger-fast"] == {"rooms-down": 4}
    worth = next(c for c in rep.comparisons if c.kind == "worth-it")
    assert worth.decided and worth.verdict == "above zero" and worth.estimate.low > 0


def test_sequential_adds_runs_while_an_interval_straddles_zero(tmp_path):
    """ledger-fast priced at what it avoids in the first 4 runs: its NPV interval straddles zero there."""
    files = _inputs(tmp_path / "a", ["ledger-fast"])
    first = InvestAnalysis(*files, Settings(runs=4, **LIGHT)).run()
    avoided = first.options[0].avoided
    assert avoided.low < avoided.mean < avoided.high  # the runs vary
    from drillsim.invest import finance

    capital = avoided.mean * finance.annuity_factor(first.discount_rate, 5)
    priced = _inputs(tmp_path / "b", ["ledger-fast"], {"ledger-fast": capital})
    report = _sequential(priced)
    rep = report.replication
    assert rep.rounds > 1 and rep.baseline_runs["rooms-down"] > 4 and rep.option_runs["ledger-fast"]["rooms-down"] > 4
    worth = next(c for c in rep.comparisons if c.kind == "worth-it")
    assert worth.decided or rep.option_runs["ledger-fast"]["rooms-down"] == 16  # decided, or at the cap
    # Run i keeps its seed: the first 4 runs are those of the fixed analysis.
    again = InvestAnalysis(*priced, Settings(min_runs=4, max_runs=16, **LIGHT))
    again.run()
    fixed = InvestAnalysis(*priced, Settings(runs=4, **LIGHT))
    fixed.run()
    assert np.array_equal(again.records("rooms-down", ("ledger-fast",)).head(4).components, fixed.records("rooms-down", ("ledger-fast",)).components)
    # The same command gives the same answer.
    second = _sequential(priced).to_dict()
    first_doc = report.to_dict()
    for doc in (first_doc, second):
        doc.pop("elapsed_seconds")
    assert first_doc == second


def test_fixed_runs_mean_fixed_runs(tmp_path):
    analysis = InvestAnalysis(*_inputs(tmp_path, ["ledger-fast", "kiosk-fast"]), Settings(runs=3, **LIGHT))
    report = analysis.run()
    assert report.replication.mode == "fixed" and report.replication.rounds == 1
    assert {r.runs for r in analysis._sims.values()} == {3}
    assert report.to_dict()["replication"]["questions"]
