"""Bounded reads and bounded work: devices and oversized files are refused before they are read,
per-request runs expected to have millions of callers are refused unless asked for, frequent
background failures are warned about, and a run that would go on for ever ends at its event budget.
"""

from __future__ import annotations

import os
import shutil

import pytest
from cli_helpers import assert_located, located, run_cli

from drillsim.engine import Simulation, simulation
from drillsim.engine.simulation import EventBudgetExceeded
from drillsim.model import DrillsimError, ScenarioError, load_scenario
from drillsim.model.limits import MAX_ARRIVALS, MAX_BACKGROUND_EVENTS
from drillsim.model.workload import expected_arrivals, expected_background_events
from drillsim.model.yamlio import read_text_file

from helpers import SCENARIOS


def _copy(tmp_path, name):
    shutil.copy(SCENARIOS / name, tmp_path / name)
    return tmp_path / name


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_extends_naming_a_device_is_refused_before_reading(device, tmp_path, capsys):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    path = tmp_path / "device.yaml"
    path.write_text(f"id: x\nextends: {device}\n", encoding="utf-8")
    assert f"{path}:2: extends:" in assert_located(capsys, path, "not a regular file")


def test_a_device_or_a_folder_as_the_scenario_is_refused(tmp_path, capsys):
    code, _, err = run_cli(capsys, "validate", "/dev/zero")
    assert code == 2 and "not a regular file" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "validate", tmp_path)
    assert code == 2 and "is a directory" in err


def test_a_file_over_the_size_limit_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("id: x\n" + "# padding\n" * 30, encoding="utf-8")
    assert read_text_file(path, limit=1000).startswith("id: x")
    with pytest.raises(ScenarioError, match="more than the 100 a scenario file may have"):
        read_text_file(path, limit=100)


def _surged(tmp_path, factor: float):
    path = tmp_path / "surge.yaml"
    path.write_text(
        f"extends: {SCENARIOS / 'vaccine-booking-surge-2021.yaml'}\n"
        f"injects:\n  - {{at: 1h, surge: {{systems: [vaccine-booking], factor: {factor:.1f}}}}}\n",
        encoding="utf-8",
    )
    return path


def test_a_per_request_run_with_millions_of_callers_is_refused_unless_asked_for(tmp_path, capsys):
    path = _surged(tmp_path, 100000.0)
    loaded = load_scenario(path)
    (load,) = expected_arrivals(loaded.scenario)
    assert load.arrivals > MAX_ARRIVALS
    code, _, err = run_cli(capsys, "run", path)
    flat = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    where = SCENARIOS / "vaccine-booking-surge-2021.yaml"  # the queueing block is written there
    assert located(err, where) and f".queueing: about {load.arrivals:,.0f} callers are expected in per-request mode" in flat
    assert "fluid mode" in flat and "--allow-large" in flat
    with pytest.raises(DrillsimError, match="--allow-large"):
        Simulation(loaded)
    assert Simulation(loaded, allow_large=True).end == loaded.scenario.horizon  # asked for: it would run
    from drillsim.batch import run_batch

    with pytest.raises(DrillsimError, match="variant surge: .*fluid mode"):
        run_batch([path], runs=2, jobs=1)


def test_the_arrival_estimate_counts_the_rate_the_horizon_and_the_surges(tmp_path):
    loaded = load_scenario(SCENARIOS / "vaccine-booking-surge-2021.yaml")
    scenario = loaded.scenario
    (load,) = expected_arrivals(scenario)
    system = scenario.system_index["vaccine-booking"]
    rate = system.queueing.arrivals
    # 100/h over the horizon, plus an x8 surge for 3 h at the inject and, from the decision's
    # effects, an x30 surge for 3 h and an x4 surge for 12 h.
    expected = rate * scenario.horizon + rate * (7 * 3 + 29 * 3 + 3 * 12)
    assert load.arrivals == pytest.approx(expected)


BACKGROUND = """\
extends: example-room-fire.yaml
failures:
  - {targets: [room-a], time_to_failure: {dist: exponential, mean: 1s}, time_to_repair: {dist: exponential, mean: 1s}}
"""


def test_background_failures_every_second_are_warned_about_at_validation(tmp_path, capsys):
    _copy(tmp_path, "example-room-fire.yaml")
    path = tmp_path / "every-second.yaml"
    path.write_text(BACKGROUND, encoding="utf-8")
    (events,) = expected_background_events(load_scenario(path).scenario)
    assert events == pytest.approx(2 * 14 * 24 * 3600 / 2)  # two events per 2 s cycle over 14 days
    assert events > MAX_BACKGROUND_EVENTS
    code, _, err = run_cli(capsys, "validate", path)
    flat = " ".join(err.split())
    assert code == 0
    assert f"{path}:3: failures[0]: warning: about {events:,.0f} failures and repairs" in flat


def test_a_run_past_its_event_budget_ends_with_a_message(tmp_path, capsys, monkeypatch):
    _copy(tmp_path, "example-room-fire.yaml")
    path = tmp_path / "every-second.yaml"
    path.write_text(BACKGROUND, encoding="utf-8")
    loaded = load_scenario(path)
    sim = Simulation(loaded, seed=1, event_budget=5000)
    with pytest.raises(EventBudgetExceeded, match="after 5,000 simulation events") as caught:
        sim.run()
    assert 0 < sim.now < loaded.scenario.horizon and "happens far too often" in str(caught.value)
    monkeypatch.setattr(simulation, "MAX_EVENTS", 5000)
    code, _, err = run_cli(capsys, "run", path, "--json")
    assert code == 2 and "after 5,000 simulation events" in " ".join(err.split()) and "Traceback" not in err


def test_the_budget_changes_nothing_in_a_run_within_it():
    loaded = load_scenario(SCENARIOS / "example-room-fire.yaml")
    plain = Simulation(loaded, seed=3).run()
    tight = Simulation(loaded, seed=3)
    tight.run()
    assert tight.events_processed > 0
    exact = Simulation(loaded, seed=3, event_budget=tight.events_processed).run()
    assert exact.to_dict() == plain.to_dict()
