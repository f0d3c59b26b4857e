"""``drillsim check``: the command, user case files, the case format's errors, determinism across jobs."""

from __future__ import annotations

import json
import textwrap

import pytest

from drillsim.check import builtin_cases, load_case, run_cases
from drillsim.cli import main
from drillsim.model import DrillsimError

CASE = """
case: {name}
title: A room that fails now and then
runs: 30
checks:
  - system: app
    output: {output}
    theory: {theory}
scenario:
  id: my-case
  horizon: 2y
  domains: [{{id: room}}]
  teams: [{{id: ops, staff: 1}}]
  systems: [{{id: app, team: ops, placements: [{{domains: [room]}}]}}]
  failures:
    - {{targets: [room], time_to_failure: {{dist: exponential, mean: 100h}}, time_to_repair: {{dist: exponential, mean: 10h}}}}
"""


def write_case(tmp_path, name="my-case", output="availability", theory="{formula: availability, inputs: {mtbf: 100h, mttr: 10h}}"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(CASE.format(name=name, output=output, theory=theory)), encoding="utf-8")
    return path


def test_builtin_case_passes(capsys):
    code = main(["check", "--case", "backup-loss", "--runs", "200", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "backup-loss" in out and "pass" in out and "1 of 1 checks passed" in out


def test_user_case_file_passes_and_a_wrong_theory_fails(tmp_path, capsys):
    good = write_case(tmp_path)
    assert main(["check", "--no-builtin", str(good), "-j", "1"]) == 0
    capsys.readouterr()
    bad = write_case(tmp_path, name="wrong", theory="{value: 0.95}")  # the truth is 100/110 = 0.909
    code = main(["check", "--no-builtin", str(bad), "-j", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL" in out and "0 of 1 checks passed" in out and "standard errors" in out


def test_json_output(tmp_path, capsys):
    path = write_case(tmp_path, output="unavailability", theory="{value: 0.0909091}")
    code = main(["check", "--no-builtin", str(path), "--runs", "20", "--seed", "3", "-j", "1", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == (0 if doc["passed"] else 1)
    (row,) = doc["checks"]
    assert row["runs"] == 20 and row["ci"][0] <= row["mean"] <= row["ci"][1] and row["theory"] == pytest.approx(0.0909091)


def test_list_shows_the_cases_without_running_them(capsys):
    assert main(["check", "--list"]) == 0
    out = capsys.readouterr().out
    for name in ("one-component", "erlang-c", "active-standby", "backup-loss"):
        assert name in out


@pytest.mark.parametrize(
    ("theory", "fragment"),
    [
        ("{formula: erlang_z, inputs: {servers: 1}}", "unknown formula 'erlang_z'"),
        ("{formula: availability, inputs: {mtbf: 100h}}", "missing mttr"),
        ("{formula: availability, inputs: {mtbf: 100h, mttr: 10h, k: 2}}", "unknown input(s) k"),
        ("{formula: availability, inputs: {mtbf: 100, mttr: ten}}", "input 'mttr'"),
        ("{value: 0.9, formula: availability}", "exactly one of 'value' or 'formula'"),
    ],
)
def test_bad_theory_is_a_clear_error_with_the_line(tmp_path, capsys, theory, fragment):
    path = write_case(tmp_path, theory=theory)
    assert main(["check", "--no-builtin", str(path)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and f"{path.name}:8: checks[0].theory" in err.replace("\n", "") and "Traceback" not in err


def test_case_file_errors(tmp_path, capsys):
    path = write_case(tmp_path, output="queue.p_wait")
    assert main(["check", "--no-builtin", str(path)]) == 2
    assert "needs a 'queueing' block" in capsys.readouterr().err
    path = write_case(tmp_path, output="uptime")
    assert main(["check", "--no-builtin", str(path)]) == 2
    assert "checks[0].output" in capsys.readouterr().err
    text = write_case(tmp_path).read_text().replace("systems: [{id: app", "systems: [{id: app, grade: 9")
    path.write_text(text)
    assert main(["check", "--no-builtin", str(path)]) == 2
    assert f"{path.name}:14: scenario.systems[0].grade" in capsys.readouterr().err.replace("\n", "")
    assert main(["check", "--case", "no-such-case"]) == 2
    assert "no case named 'no-such-case'" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "missing.yaml")]) == 2


def test_results_do_not_depend_on_jobs(tmp_path):
    case = load_case(write_case(tmp_path))
    one = run_cases([case], runs=12, seed=5, jobs=1, chunk=5)
    two = run_cases([case], runs=12, seed=5, jobs=2, chunk=3)
    assert one == two
    more = run_cases([case], runs=13, seed=5, jobs=1)[0][0]
    assert more.mean != one[0][0].mean  # a 13th run is added, the first 12 are the same runs
    with pytest.raises(DrillsimError):
        run_cases([case], runs=1)


def test_builtin_cases_are_valid_and_named_uniquely():
    cases = builtin_cases()
    assert len({c.name for c in cases}) == len(cases) >= 14
    for case in cases:
        assert case.checks and case.runs >= 2 and not case.warnings, case.name
        for check in case.checks:
            assert 0 < check.theory < 1e6


def test_verdicts_inside_by_chance_and_failing_use_the_family_wise_interval():
    # One check, with an interval of +-1 at 95 %: the family-wise interval for 20 checks is
    # wider (t quantile at 1 - 0.05/40 instead of 0.975), so a value just outside the first is
    # "by chance", one outside both fails, and --strict fails both.
    from scipy import stats

    from drillsim.check import Outcome
    from drillsim.cli.check_cmd import familywise_bounds, verdict

    n = 400
    se = 1.0 / stats.t.ppf(0.975, n - 1)
    def outcome(theory: float) -> Outcome:
        return Outcome("c", "x", "availability", n, 0.0, -1.0, 1.0, theory, "t", 0.95, se)

    low, high = familywise_bounds(outcome(0.0), 20)
    assert high == pytest.approx(se * stats.t.ppf(1 - 0.05 / 40, n - 1))
    assert verdict(outcome(0.5), 20, strict=False) == "pass"
    assert verdict(outcome(1.2), 20, strict=False) == "chance"
    assert verdict(outcome(1.2), 20, strict=True) == "fail"
    assert verdict(outcome(high + 0.01), 20, strict=False) == "fail"
    assert verdict(outcome(1.2), 1, strict=False) == "fail"  # one check: the family is the check


def test_json_reports_each_verdict(capsys):
    import json

    from drillsim.cli import main

    # A one-check case that is cheap to run (the JSON's fields do not depend on which case it is).
    assert main(["check", "--case", "backup-loss", "--runs", "20", "--jobs", "1", "--json"]) in (0, 1)
    doc = json.loads(capsys.readouterr().out)
    check = doc["checks"][0]
    assert check["verdict"] in ("pass", "chance", "fail")
    low, high = check["familywise_ci"]
    assert low <= check["ci"][0] and high >= check["ci"][1]  # one check: the same interval
