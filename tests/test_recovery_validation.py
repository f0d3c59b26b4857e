"""Validation of the recovery fields (failing backups, dormant standbys, retries): located errors, quoted values."""

from __future__ import annotations

import json
import textwrap

import pytest

from drillsim.cli import main
from drillsim.model import ScenarioError, Severity, load_scenario

SCENARIO = """\
id: recovery-fields
domains:
  - {id: a, kind: site}
  - {id: b, kind: site}
  - {id: vault, kind: site}
teams:
  - {id: ops, staff: 2}
  - {id: vendor, staff: 3}
systems:
  - id: app
    team: ops
    placements:
      - {name: main, domains: [a]}
      - {name: spare, domains: [b]}
    redundancy: {mode: cold-standby}
    data:
      backups:
        - {every: 1d, in: [vault]}
    recovery:
      - {kind: failover, duration: 1h}
"""
LINES = {"redundancy": 15, "backup": 18, "option": 20}


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def one_error(tmp_path, text):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, text))
    errors = [d for d in info.value.diagnostics if d.severity is Severity.error]
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_the_base_scenario_is_valid(tmp_path):
    assert load_scenario(write(tmp_path, SCENARIO)).scenario.systems[0].data.backups[0].failure == 0.0


@pytest.mark.parametrize(
    ("where", "old", "new", "path", "fragment"),
    [
        ("backup", "in: [vault]}", "in: [vault], failure: 1.5}", ("data", "backups", 0, "failure"), "less than or equal to 1"),
        ("backup", "in: [vault]}", "in: [vault], failure: -0.1}", ("data", "backups", 0, "failure"), "greater than or equal to 0"),
        ("backup", "in: [vault]}", "in: [vault], failure_scope: run}", ("data", "backups", 0, "failure_scope"), "'copy' or 'schedule'"),
        ("backup", "in: [vault]}", "in: [vault], keep: 0}", ("data", "backups", 0, "keep"), "greater than or equal to 1"),
        ("redundancy", "{mode: cold-standby}", "{mode: cold-standby, dormancy: -0.5}", ("redundancy", "dormancy"), "greater than or equal to 0"),
        ("redundancy", "{mode: cold-standby}", "{mode: cold-standby, automatic: sometimes}", ("redundancy", "automatic"), "valid boolean"),
        ("redundancy", "{mode: cold-standby}", "{mode: active-active, dormancy: 0}", ("redundancy",), "in 'active-active' every replica serves"),
        ("option", "duration: 1h}", "duration: 1h, attempts: 0}", ("recovery", 0, "attempts"), "greater than or equal to 1 (got 0)"),
        ("option", "duration: 1h}", "duration: 1h, escalate: vendr}", ("recovery", 0, "escalate"), "unknown team to escalate to 'vendr' (did you mean 'vendor'?)"),
        ("option", "duration: 1h}", "duration: 1h, team: vendor, staff: 3, escalate: ops}", ("recovery", 0, "staff"), "team 'ops' never has more than 2"),
    ],
)
def test_bad_values_are_located_errors(tmp_path, where, old, new, path, fragment):
    error = one_error(tmp_path, SCENARIO.replace(old, new))
    assert error.path == ("systems", 0, *path)
    assert error.line == LINES[where]
    assert fragment in error.message


def test_the_cli_exits_2_with_the_located_message(tmp_path, capsys):
    path = write(tmp_path, SCENARIO.replace("in: [vault]}", "in: [vault], failure: 1.5}"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path.resolve()}:{LINES['backup']}: systems[0].data.backups[0].failure:" in err and "1.5" in err


def test_new_fields_are_documented_with_examples(capsys):
    assert main(["schema"]) == 0
    defs = json.loads(capsys.readouterr().out)["$defs"]
    documented = {
        "Backup": ("failure", "failure_scope", "verified", "keep"),
        "Redundancy": ("dormancy", "automatic", "switchover", "success"),
        "RecoveryOption": ("attempts", "escalate"),
        "Dependency": ("restart_if_down",),
    }
    for model, fields in documented.items():
        for name in fields:
            prop = defs[model]["properties"][name]
            assert prop.get("description") and prop.get("examples"), (model, name)


@pytest.mark.parametrize(("value", "fragment"), [("-2h", "-2h"), ("soon", "soon")])
def test_a_bad_restart_if_down_is_a_located_error(tmp_path, value, fragment):
    text = SCENARIO.replace("      - {kind: failover, duration: 1h}\n", "      - {kind: failover, duration: 1h}\n  - id: web\n    team: ops\n    placements: [{domains: [a]}]\n"
                            f"    depends_on: [{{system: app, restart_if_down: {value}}}]\n")
    error = one_error(tmp_path, text)
    assert error.path == ("systems", 1, "depends_on", 0, "restart_if_down")
    assert error.line == 24 and fragment in error.message
