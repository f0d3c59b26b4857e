"""drillsim invest: bad input gets a clear error naming the file, the entry and the line (exit 2, no traceback)."""

from __future__ import annotations

import json

import pytest

from drillsim.cli import main
from drillsim.invest import InvestAnalysis, Settings
from drillsim.model import ScenarioError

from invest_fixtures import write, write_inputs

THREATS = """\
threats:
  - id: zone-fault
    frequency: 0.5
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


def _error(tmp_path, threats: str = THREATS, options: str = OPTIONS) -> ScenarioError:
    model, threats_file, options_file = write_inputs(tmp_path, threats, options)
    with pytest.raises(ScenarioError) as info:
        InvestAnalysis(model, threats_file, options_file, Settings(runs=1))
    return info.value


def test_option_patching_a_system_that_does_not_exist(tmp_path):
    options = OPTIONS + """\
  - id: portal-standby
    capital_cost: 50000
    lifetime: 5
    patch:
      systems:
        - id: portl
          redundancy: active-standby
"""
    (diag,) = _error(tmp_path, options=options).errors
    assert diag.file.endswith("options.yaml")
    assert diag.line == 13  # the line of "- id: portl"
    assert "option 'portal-standby'" in diag.message
    assert "system 'portl'" in diag.message and "did you mean 'portal'" in diag.message
    assert diag.format().startswith(f"{diag.file}:13: options[1].patch.systems[0].id: ")


def test_negative_frequency(tmp_path):
    threats = THREATS.replace("frequency: 0.5", "frequency: -0.5")
    (diag,) = _error(tmp_path, threats=threats).errors
    assert diag.file.endswith("threats.yaml") and diag.line == 3
    assert "threat 'zone-fault'" in diag.message and "must not be negative" in diag.message
    assert diag.path == ("threats", 0, "frequency")


def test_missing_field(tmp_path):
    options = OPTIONS.replace("    capital_cost: 100000\n", "")
    (diag,) = _error(tmp_path, options=options).errors
    assert diag.file.endswith("options.yaml") and diag.line == 2
    assert diag.message == "option 'faster-repair': required field 'capital_cost' is missing"
    assert diag.path == ("options", 0, "capital_cost")


def test_other_bad_options_are_located(tmp_path):
    options = OPTIONS + """\
  - id: cheaper-outages
    capital_cost: 1
    lifetime: 5
    patch:
      systems:
        - id: portal
          loss: {per_unserved: 1}
    threat_patches:
      zone-falt: {injects: []}
  - id: nothing
    capital_cost: 1
    lifetime: 5
"""
    errors = _error(tmp_path, options=options).errors
    messages = {d.line: d.message for d in errors}
    assert "cannot change what an outage of 'portal' costs" in messages[14]
    assert "no threat 'zone-falt'" in messages[16] and "did you mean 'zone-fault'" in messages[16]
    assert "option 'nothing' changes nothing" in messages[17]


def test_patch_that_breaks_the_scenario_names_the_option_and_the_line(tmp_path):
    options = OPTIONS.replace("        - {id: zone-1, repair: {team: ops, duration: 2h}}", "        - {id: zone-1, repair: {team: opz, duration: 2h}}")
    (diag,) = _error(tmp_path, options=options).errors
    assert diag.file.endswith("options.yaml") and diag.line == 7
    assert "option 'faster-repair' on threat 'zone-fault'" in diag.message and "unknown team 'opz'" in diag.message


def test_threat_errors(tmp_path):
    threats = THREATS + """\
  - id: nothing-happens
    frequency: 1
  - id: elsewhere
    frequency: 1
    scenario: other.yaml
"""
    write(tmp_path / "other.yaml", "id: other\nsystems: []\n")
    errors = _error(tmp_path, threats=threats).errors
    messages = {d.line: d.message for d in errors}
    assert "threat 'nothing-happens': nothing happens" in messages[6]
    assert "'other.yaml' does not extend the model" in messages[10]
    (tmp_path / "folder.yaml").mkdir()
    missing = THREATS + "  - {id: gone, frequency: 1, scenario: gone.yaml}\n  - {id: folder, frequency: 1, scenario: folder.yaml}\n"
    gone, folder = _error(tmp_path, threats=missing).errors
    assert (gone.line, folder.line) == (6, 7) and gone.path[-1] == folder.path[-1] == "scenario"
    assert "threat 'gone': scenario 'gone.yaml'" in gone.message and "file not found" in gone.message
    assert "threat 'folder'" in folder.message and "is a directory" in folder.message
    bad_inject = THREATS.replace("fail: zone-1", "fail: zone-9")
    (diag,) = _error(tmp_path, threats=bad_inject).errors
    assert diag.file.endswith("threats.yaml") and diag.line == 5 and "unknown domain 'zone-9'" in diag.message


def test_cli_prints_the_error_and_exits_2(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS.replace("frequency: 0.5", "frequency: -1"), OPTIONS)
    status = main(["invest", str(model), "--threats", str(threats), "--options", str(options), "--runs", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert "threats.yaml:3" in err and "threat 'zone-fault'" in err and "must not be negative" in err
    assert "Traceback" not in err


def test_cli_rejects_bad_settings(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    status = main(["invest", str(model), "-t", str(threats), "-o", str(options), "--budget", "lots"])
    assert status == 2 and "--budget" in capsys.readouterr().err
    status = main(["invest", str(model), "-t", str(threats), "-o", str(options), "--objective", "fun"])
    assert status == 2 and "--objective" in capsys.readouterr().err
    status = main(["invest", str(model), "-t", str(threats), "-o", str(options), "--min-runs", "8", "--max-runs", "4"])
    err = capsys.readouterr().err
    assert status == 2 and "--max-runs (4) must not be below --min-runs (8)" in err and "Traceback" not in err


def test_cli_json_and_plot(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    plot = tmp_path / "front.png"
    status = main(["invest", str(model), "-t", str(threats), "-o", str(options), "--runs", "2", "--budget", "1M", "--json", "--plot", str(plot)])
    out = capsys.readouterr().out
    assert status == 0
    doc = json.loads(out)
    assert doc["options"][0]["id"] == "faster-repair"
    assert doc["options"][0]["eal_avoided"]["mean"] == pytest.approx(0.5 * 200_000)
    assert doc["portfolio"]["budget"] == 1_000_000
    assert doc["plot"] == str(plot)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_tables(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    assert main(["invest", str(model), "-t", str(threats), "-o", str(options), "--min-runs", "3", "--jobs", "1", "--outer-samples", "0"]) == 0
    out = capsys.readouterr().out
    assert "faster-repair" in out and "Best portfolio" in out and "Pareto front" in out
    assert "Runs per threat" in out and "Sequential: 3 to 80 runs, 1 round," in out and "questions decided" in out


def test_cli_check_builds_every_option_on_every_threat(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    assert main(["invest", str(model), "-t", str(threats), "-o", str(options), "--check"]) == 0
    assert "valid: 1 threats, 1 options" in capsys.readouterr().out


def test_patch_checked_against_every_threat_scenario(tmp_path):
    """A threat's scenario without the patched domain: the option would create a stray domain."""
    threats = THREATS + """\
  - id: other-fault
    frequency: 1
    scenario: other.yaml
"""
    write(
        tmp_path / "other.yaml",
        "extends: model.yaml\nid: other\ndomains:\n  - {id: zone-1, remove: true}\n"
        "systems:\n  - {id: portal, placements: [{name: primary, domains: [room-a]}]}\ninjects:\n  - {at: 1h, fail: zone-2}\n",
    )
    (diag,) = _error(tmp_path, threats=threats).errors
    assert diag.file.endswith("options.yaml") and diag.line == 7
    assert "option 'faster-repair' patches domain 'zone-1', which the scenario of threat 'other-fault' does not have" in diag.message


def test_domain_typo_is_not_taken_for_a_new_domain(tmp_path):
    options = OPTIONS.replace("{id: zone-1, repair:", "{id: zone_1, repair:")
    (diag,) = _error(tmp_path, options=options).errors
    assert "patches domain 'zone_1', which the model does not have (did you mean 'zone-1'?)" in diag.message
    assert "state their kind" in diag.message
    added = OPTIONS.replace("{id: zone-1, repair: {team: ops, duration: 2h}}", "{id: zone-9, kind: network_zone, parent: site-a}")
    model, threats_file, options_file = write_inputs(tmp_path, THREATS, added)
    InvestAnalysis(model, threats_file, options_file, Settings(runs=1))  # a new domain that says what it is: fine


# -- assumptions given as ranges --------------------------------------------------------------


def test_range_whose_low_end_exceeds_its_high_end(tmp_path, capsys):
    threats = THREATS.replace("frequency: 0.5", "frequency: {p5: 1/5, p95: 1/50}")
    (diag,) = _error(tmp_path, threats=threats).errors
    assert diag.file.endswith("threats.yaml") and diag.line == 3 and diag.path == ("threats", 0, "frequency")
    assert diag.message == "threat 'zone-fault': the low end p5 = 0.2 exceeds the high end p95 = 0.02"
    model, threats_file, options = write_inputs(tmp_path, threats, OPTIONS)
    assert main(["invest", str(model), "-t", str(threats_file), "-o", str(options), "--runs", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{threats_file}:3: threats[0].frequency: threat 'zone-fault': the low end p5 = 0.2 exceeds" in err.replace("\n", "")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "cost, path, message",
    [
        ("{min: -5, mode: 1, max: 2}", ("options", 0, "capital_cost"), "the low end of the range must not be negative (got -5): it is an amount of money"),
        ("{min: 1, mode: 2, max: 3, dist: gamma}", ("options", 0, "capital_cost", "dist"), "unknown distribution 'gamma'"),
        ("{p5: 0, p95: 2}", ("options", 0, "capital_cost"), "a lognormal 90 % interval needs p5 above 0 (got 0)"),
        ("{min: 1, mode: 5, max: 3}", ("options", 0, "capital_cost"), "the mode 5 is not between min = 1 and max = 3"),
        ("{min: 1, max: 3, dist: pert}", ("options", 0, "capital_cost"), "a pert range needs a mode"),
        ("{p5: 1, p95: 3, min: 0}", ("options", 0, "capital_cost"), "give either p5 and p95 (a 90 % interval) or min, mode and max, not both"),
        ("{p5: 1, p95: 3, value: 9}", ("options", 0, "capital_cost"), "value 9 is outside the range 1 .. 3"),
        ("{p5: 1, p95: 3, spread: 2}", ("options", 0, "capital_cost", "spread"), "unknown field 'spread'"),
        ("-100", ("options", 0, "capital_cost"), "must not be negative (got -100)"),
    ],
)
def test_bad_cost_ranges_are_located(tmp_path, cost, path, message):
    options = OPTIONS.replace("capital_cost: 100000", f"capital_cost: {cost}")
    (diag,) = _error(tmp_path, options=options).errors
    assert diag.file.endswith("options.yaml") and diag.line == 3
    assert diag.path == path
    assert message in diag.message and diag.message.startswith("option 'faster-repair': ")


def test_bad_lifetime_and_loss_figures(tmp_path):
    options = "loss_figures:\n  per_unserved: {p5: 2, p95: 4}\n  permanent_data_loss: 3\n" + OPTIONS.replace("lifetime: 5", "lifetime: {min: 0, mode: 5, max: 9}")
    errors = _error(tmp_path, options=options).errors
    messages = {d.path: (d.line, d.message) for d in errors}
    assert messages[("loss_figures", "per_unserved")] == (2, "the range 2 .. 4 must contain 1 (the model's own figures, which the point analysis uses)")
    assert messages[("loss_figures", "permanent_data_loss")][0] == 3
    assert "a loss-figure factor is 1 (the model's figures) or a range around it, got 3" in messages[("loss_figures", "permanent_data_loss")][1]
    assert messages[("options", 0, "lifetime")] == (7, "option 'faster-repair': the low end of the range must be above 0 (got 0): it is a number of years")
