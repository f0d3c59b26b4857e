"""Every ``--json`` command writes strict JSON: no ``NaN`` or ``Infinity`` (which no JSON parser accepts).

Each command runs in-process through the real CLI on a small input; its output is parsed with
a parser that refuses the non-standard constants. Undefined values (a queue's mean wait when
nobody was admitted) must come out as ``null``. A last test lists every command that has a
``--json`` option, so a new one cannot be left out of this file.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import pytest
from cli_helpers import run_cli

from helpers import SCENARIOS
from invest_fixtures import write_inputs

TESTED = {"validate", "schema", "run", "batch", "spof", "check", "invest", "sitrep", "report"}


def strict(text: str) -> Any:
    """Parse JSON, refusing NaN, Infinity and -Infinity."""

    def refuse(constant: str) -> Any:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


TINY = """\
id: tiny-json
horizon: 1d
domains: [{id: room}, {id: hq, kind: site}]
teams: [{id: ops, staff: 1}]
systems:
  - id: booking
    team: ops
    placements: [{domains: [room]}]
    queueing: {arrivals: 5/h, service: {dist: exponential, mean: 6m}, servers: 1}
  - id: mail
    team: ops
    demand: {per_day: 100}
    placements: [{domains: [room]}]
organizations:
  - {id: city, uses: [booking, mail]}
injects:
  - {at: 0m, fail: room}
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_validate_json_valid_and_invalid(tmp_path, tiny, capsys):
    code, out, _ = run_cli(capsys, "validate", tiny, "--json")
    assert code == 0 and strict(out)["valid"] is True and strict(out)["scenario"] == "tiny-json"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nhorizon: .inf\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "validate", bad, "--json")
    doc = strict(out)
    assert code == 2 and doc["valid"] is False and doc["findings"][0]["line"] == 2


def test_schema_is_json(capsys):
    code, out, _ = run_cli(capsys, "schema")
    assert code == 0 and strict(out)["title"] == "drillsim scenario"


def test_run_json_writes_null_for_a_mean_wait_nobody_had(tiny, capsys):
    code, out, _ = run_cli(capsys, "run", tiny, "--json")
    doc = strict(out)
    assert code == 0
    queue = doc["queues"]["booking"]
    assert queue["arrivals"] > 0 and queue["admitted"] == 0  # the room is down all day: every caller is turned away
    assert queue["mean_wait_hours"] is None


def test_batch_json(tmp_path, capsys):
    code, out, err = run_cli(capsys, "batch", SCENARIOS / "example-room-fire.yaml", "--runs", "3", "-j", "1", "--out", tmp_path / "out", "--no-plots", "--json")
    assert code == 0, err
    assert strict(out)["runs"] == 3
    strict((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))


def test_spof_json_ranking_and_show(capsys):
    model = SCENARIOS / "example-room-fire.yaml"
    code, out, _ = run_cli(capsys, "spof", model, "--json", "--top", "3")
    assert code == 0 and len(strict(out)["entries"]) == 3
    code, out, _ = run_cli(capsys, "spof", model, "--json", "--show", "room-a")
    assert code == 0 and strict(out)["id"] == "room-a"


def test_check_json(tmp_path, capsys):
    case = tmp_path / "case.yaml"
    case.write_text(
        textwrap.dedent(
            """\
            case: tiny-case
            runs: 5
            checks:
              - {system: app, output: availability, theory: {formula: availability, inputs: {mtbf: 100h, mttr: 10h}}}
            scenario:
              id: tiny-case
              horizon: 1y
              domains: [{id: room}]
              teams: [{id: ops, staff: 1}]
              systems: [{id: app, team: ops, placements: [{domains: [room]}]}]
              failures:
                - {targets: [room], time_to_failure: {dist: exponential, mean: 100h}, time_to_repair: {dist: exponential, mean: 10h}}
            """
        ),
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "check", "--no-builtin", case, "-j", "1", "--json")
    assert code in (0, 1) and strict(out)["checks"][0]["case"] == "tiny-case"


def test_invest_json(tmp_path, capsys):
    from test_invest_errors import OPTIONS, THREATS

    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    code, out, _ = run_cli(capsys, "invest", model, "-t", threats, "-o", options, "--runs", "2", "--json")
    assert code == 0 and strict(out)["options"][0]["id"] == "faster-repair"


def test_sitrep_json(tiny, capsys):
    code, out, _ = run_cli(capsys, "sitrep", tiny, "--at", "2h", "--json")
    assert code == 0 and strict(out)["organizations"][0]["id"] == "city"


def test_report_json_file(tmp_path, capsys):
    scenario = tmp_path / "fire.yaml"
    shutil.copy(SCENARIOS / "example-room-fire.yaml", scenario)
    code, _, err = run_cli(capsys, "report", scenario, "-o", tmp_path / "out", "--format", "md", "--no-plots", "--json")
    assert code == 0, err
    (path,) = (tmp_path / "out").glob("*.json")
    assert strict(path.read_text(encoding="utf-8"))


def test_every_json_command_is_tested_here():
    import typer.main

    from drillsim.cli import app

    group = typer.main.get_group(app)
    found = set()

    def walk(command: Any, name: str) -> None:
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(sub, sub_name)
        if any("--json" in getattr(p, "opts", ()) for p in getattr(command, "params", ())):
            found.add(name)

    walk(group, "drillsim")
    assert found | {"schema"} == TESTED
