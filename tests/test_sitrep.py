"""Situation reports per organization, on a hand-made scenario with hand-counted answers (see report_fixtures.CITY)."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from drillsim.cli import main
from drillsim.engine import Simulation, run_scenario
from drillsim.model import DrillsimError
from drillsim.report import classify, sitrep_from_result, sitrep_from_simulation

from report_fixtures import city_scenario


def counts(group):
    return (group.total, group.normal, group.unreachable, group.malfunctioning, group.unknown)


@pytest.fixture(scope="module")
def city():
    loaded = city_scenario()
    return loaded, run_scenario(loaded, seed=1, policy="none")


def test_classify():
    assert classify("up", False) == "normal"
    assert classify("degraded", False) == "malfunctioning"
    assert classify("down", True) == "malfunctioning"
    assert classify("down", False) == classify("recovering", False) == classify("fallback", False) == "unreachable"
    assert classify("unknown", False) == "unknown"


def test_counts_from_a_result_match_the_hand_count(city):
    loaded, result = city
    rep = sitrep_from_result(loaded, result, at=2.0)
    hall = rep.organization("city-hall")
    # uses auth, c1, c5 (down in room 1), c2 (through auth), c3 (degraded: soft link), c4 (fine)
    assert counts(hall.uses) == (6, 1, 3, 2, 0)
    assert hall.uses.ids("unreachable") == ["auth", "c1", "c5"]
    assert hall.uses.ids("malfunctioning") == ["c2", "c3"]
    # owns own1 (through c2), own2, own3
    assert counts(hall.owns) == (3, 2, 0, 1, 0)
    ministry = rep.organization("ministry")
    assert counts(ministry.uses) == (1, 1, 0, 0, 0) and counts(ministry.owns) == (1, 0, 1, 0, 0)
    assert hall.sentence() == (
        "City hall (시청): of the 6 central systems it uses: 1 normal, 3 unreachable, 2 malfunctioning; "
        "of its own 3: 2 normal, 1 malfunctioning"
    )
    assert rep.truth and rep.source == "result" and rep.local_time.startswith("2025-09-26T22:00")
    # Before the fire and after room 1 is back (11h): everything normal.
    assert counts(sitrep_from_result(loaded, result, at=0.5).organization("city-hall").uses) == (6, 6, 0, 0, 0)
    assert counts(sitrep_from_result(loaded, result, at=11.0).organization("city-hall").owns) == (3, 3, 0, 0, 0)


def test_simulation_truth_agrees_with_the_result(city):
    loaded, result = city
    sim = Simulation(loaded, seed=1, policy="none")
    sim.advance(2.0)
    live = sitrep_from_simulation(sim, truth=True).to_dict()
    post = sitrep_from_result(loaded, result, at=2.0).to_dict()
    assert live["organizations"] == post["organizations"]


def test_fog_of_war(city):
    loaded, _ = city
    sim = Simulation(loaded, seed=1, policy="none")
    sim.advance(1.2)  # room 1 failed at 1h; alerts take 30 minutes
    fog = sitrep_from_simulation(sim)
    hall = fog.organization("city-hall")
    # The room is known down at once, so its systems are 'unknown'; c2, c3 and own1 still look fine.
    assert counts(hall.uses) == (6, 3, 0, 0, 3) and hall.uses.ids("unknown") == ["auth", "c1", "c5"]
    assert counts(hall.owns) == (3, 3, 0, 0, 0)
    assert not fog.truth
    sim.advance(2.0)  # every alert is in; c3, degraded by a soft link but serving, raises none and still looks normal
    assert counts(sitrep_from_simulation(sim).organization("city-hall").uses) == (6, 2, 3, 1, 0)
    assert counts(sitrep_from_simulation(sim, truth=True).organization("city-hall").uses) == (6, 1, 3, 2, 0)


def test_changes_since_the_previous_report(city):
    loaded, result = city
    first = sitrep_from_result(loaded, result, at=0.5)
    assert first.organization("city-hall").changes is None
    second = sitrep_from_result(loaded, result, at=2.0, previous=first)
    hall = second.organization("city-hall")
    assert {(c.system, c.before, c.after) for c in hall.changes} == {
        ("auth", "normal", "unreachable"), ("c1", "normal", "unreachable"), ("c5", "normal", "unreachable"),
        ("c2", "normal", "malfunctioning"), ("c3", "normal", "malfunctioning"), ("own1", "normal", "malfunctioning"),
    }
    assert hall.change_summary() == "3 now unreachable, 3 now malfunctioning"
    third = sitrep_from_result(loaded, result, at=12.0, previous=second)
    assert third.organization("city-hall").change_summary() == "6 back to normal"
    assert sitrep_from_result(loaded, result, at=13.0, previous=third).organization("ministry").change_summary() == "no change"
    assert second.previous_t == 0.5


def test_forms(city):
    loaded, result = city
    rep = sitrep_from_result(loaded, result, at=2.0, previous=sitrep_from_result(loaded, result, at=0.5), orgs=["city-hall"])
    data = json.loads(rep.to_json())
    assert [o["id"] for o in data["organizations"]] == ["city-hall"]
    assert data["organizations"][0]["uses"]["unreachable"] == 3
    assert data["organizations"][0]["uses"]["systems"]["malfunctioning"] == ["c2", "c3"]
    assert "시청" in rep.to_json()
    md = rep.to_markdown()
    assert "| City hall (시청) | used | 6 | 1 | 3 | 2 | 3 now unreachable, 2 now malfunctioning |" in md
    console = Console(record=True, width=100)
    console.print(rep.table())
    text = console.export_text()
    assert "City hall (시청)" in text and "unreach." in text
    with pytest.raises(DrillsimError, match="unknown organization 'city'.*did you mean 'city-hall'"):
        sitrep_from_result(loaded, result, at=2.0, orgs=["city"])
    with pytest.raises(DrillsimError, match="outside the run"):
        sitrep_from_result(loaded, result, at=99.0)


def test_sitrep_command(tmp_path, capsys):
    scenario = tmp_path / "city.yaml"
    import yaml

    from report_fixtures import city_data

    scenario.write_text(yaml.safe_dump(city_data(), allow_unicode=True), encoding="utf-8")
    assert main(["sitrep", str(scenario), "--at", "2h", "--since", "30m", "--truth", "--policy", "none", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    hall = data["organizations"][0]
    assert (hall["uses"]["normal"], hall["uses"]["unreachable"], hall["uses"]["malfunctioning"]) == (1, 3, 2)
    assert len(hall["changes"]) == 6
    assert main(["sitrep", str(scenario), "--at", "2025-09-26 22:00", "--policy", "none"]) == 0
    out = capsys.readouterr().out
    assert "as the team knows it" in out  # fog of war by default: c3's soft degradation raised no alert
    assert "City hall (시청): of the 6 central systems it uses: 2 normal, 3 unreachable, 1 malfunctioning" in out
    assert main(["sitrep", str(scenario), "--org", "nope"]) == 2
    assert "unknown organization 'nope'" in capsys.readouterr().err
