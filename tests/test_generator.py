"""The synthetic ecosystem generator: determinism, the structure it claims, its knobs, its YAML, the CLI."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from drillsim.cli import main
from drillsim.model import DrillsimError, load_scenario
from drillsim.model.generator import (
    FIRE_ROOM,
    GPKI_LINKS_AT_SCALE,
    HUBS,
    NATIONAL_SYSTEMS,
    default_edges,
    dump_yaml,
    generate_ecosystem,
    grade_targets,
)
from drillsim.model.loading import scenario_from_data
from drillsim.model.spof import SpofAnalysis
from drillsim.model.yamlio import loads_yaml, to_plain


def _links(document: dict) -> list[tuple[str, str, str]]:
    """(dependent, target, how) for every dependency link: how is hard, soft or any_of."""
    out = []
    for system in document["systems"]:
        for dep in system.get("depends_on", ()):
            if isinstance(dep, str):
                out.append((system["id"], dep, "hard"))
            elif "any_of" in dep:
                out.extend((system["id"], t, "any_of") for t in dep["any_of"])
            else:
                out.append((system["id"], dep["system"], dep.get("kind", "hard")))
    return out


@pytest.fixture(scope="module")
def national():
    """The national-scale ecosystem (17,090 systems), validated."""
    document = generate_ecosystem()
    loaded = scenario_from_data(document)
    return document, loaded


def test_same_seed_same_bytes_different_seed_differs():
    a = dump_yaml(generate_ecosystem(600, seed=1))
    b = dump_yaml(generate_ecosystem(600, seed=1))
    c = dump_yaml(generate_ecosystem(600, seed=2))
    assert a == b
    assert a != c
    assert generate_ecosystem(600, seed=1) == generate_ecosystem(600, seed=1)


def test_yaml_round_trips_through_pyyaml_and_the_located_loader():
    document = generate_ecosystem(300, seed=4, fire_room_systems=20, fire_inject=True)
    text = dump_yaml(document, header="a header\nwith two lines")
    assert text.startswith("# a header\n# with two lines\n")
    assert yaml.safe_load(text) == document
    assert to_plain(loads_yaml(text, "x.yaml")) == document


def test_dump_yaml_quotes_what_yaml_would_misread():
    document = {"a": "yes", "b": "1.5", "c": "null", "d": "2025-01-01", "e": "x: y", "f": "#c", "g": "정부24", "h": "", "i": "1d", "j": [True, None, 0.5, "-"]}
    assert yaml.safe_load(dump_yaml(document)) == document


def test_national_grades_hubs_and_validation(national):
    document, loaded = national
    scenario = loaded.scenario
    assert len(scenario.systems) == NATIONAL_SYSTEMS
    grades = Counter(s.grade for s in scenario.systems)
    assert grades == grade_targets(NATIONAL_SYSTEMS)
    assert 290 <= grades[1] + grades[2] <= 310  # ~300 grade 1-2 of ~17,000
    assert 0.3 < grades[1] / (grades[1] + grades[2]) < 0.45  # the 40:68 split
    assert set(HUBS) <= set(scenario.system_index)
    # Validation passes: warnings only, and they are the backup warnings the generator means to cause.
    assert loaded.warnings and all("data" in d.path for d in loaded.warnings)
    assert len(loaded.warnings) < 0.15 * NATIONAL_SYSTEMS


def test_national_fan_in_is_heavy_tailed_with_gpki_on_top(national):
    document, _ = national
    fan_in = Counter(target for _, target, _ in _links(document))
    assert fan_in["gpki"] == GPKI_LINKS_AT_SCALE
    assert fan_in.most_common(1)[0][0] == "gpki"
    assert len(_links(document)) == default_edges(NATIONAL_SYSTEMS)
    ordinary = sorted((n for sid, n in fan_in.items() if sid not in HUBS), reverse=True)
    # Heavy tail: the 1 % most depended-on ordinary systems take far more than 1 % of the links.
    top = sum(ordinary[: NATIONAL_SYSTEMS // 100])
    assert top > 0.1 * sum(ordinary)
    assert ordinary[0] > 20 * ordinary[len(ordinary) // 2]


def test_national_authentication_backups_dr_and_places(national):
    document, loaded = national
    scenario = loaded.scenario
    grade1 = [s for s in scenario.systems if s.grade == 1 and s.id not in HUBS]
    with_auth = [s for s in grade1 if any("gpki" in d.targets for d in s.depends_on)]
    assert with_auth and all(
        any(d.any_of and {"gpki", "mobile-id"} <= set(d.any_of) for d in s.depends_on) for s in with_auth
    )  # several authentication means for grade 1
    stateful = [s for s in scenario.systems if s.data.size is not None]
    remote_daily = sum(1 for s in stateful if any(b.location == ["backup-gongju"] and b.every == 24 for b in s.data.backups))
    assert 0.57 < remote_daily / len(stateful) < 0.67  # "over 60 % also copied daily to a remote backup center"
    assert any(not s.data.backups for s in stateful)  # some have none
    dr = sum(1 for s in scenario.systems if len(s.placements) > 1)
    assert 0.02 < dr / len(scenario.systems) < 0.08  # a few percent
    assert sum(1 for s in scenario.systems if s.fallback) > 100
    kinds = Counter(d.kind.value for d in scenario.domains)
    assert kinds["site"] >= 3 + 2 and kinds["ups_room"] >= 2 and kinds["network_zone"] >= 2 and kinds["room"] > 50
    assert {"dc-daejeon", "dc-gwangju", "dc-daegu", "backup-gongju"} <= set(scenario.domain_index)
    locals_ = [o for o in scenario.organizations if re.fullmatch(r"[a-z]+-(metro|\d\d)", o.id) and not o.id.startswith("agency-")]
    assert 230 <= len(locals_) <= 260 and all(len(o.uses) > 100 for o in locals_)
    teams = {t.id: t for t in scenario.teams}
    for org in scenario.organizations:
        team = teams[f"{org.id}-it"]
        assert 2 <= team.staff <= 60


def test_edges_and_fire_room_are_controllable():
    document = generate_ecosystem(5000, seed=3, edges=20000, fire_room_systems=200, fire_inject=True)
    assert len(_links(document)) == 20000
    primaries = [s for s in document["systems"] if s["placements"][0]["domains"][0] == FIRE_ROOM]
    assert len(primaries) == 200
    assert not {s["id"] for s in primaries} & set(HUBS)
    assert [(i["at"], i.get("destroy"), i.get("restore")) for i in document["injects"]] == [
        ("0m", FIRE_ROOM, None),
        ("7d", None, FIRE_ROOM),  # refitted: rebuilds in place can then proceed
    ]
    scenario = scenario_from_data(document).scenario
    fire = SpofAnalysis(scenario).radius(FIRE_ROOM)
    assert fire.down >= 150  # the room's own systems (less redundant ones), and what depends on them


def test_fire_room_leaves_hit_exactly_the_room():
    document = generate_ecosystem(2000, seed=5, fire_room_systems=120, fire_room_leaves=True)
    scenario = scenario_from_data(document).scenario
    fire = SpofAnalysis(scenario).radius(FIRE_ROOM, details=True)
    in_room = {s.id for s in scenario.systems if s.placements[0].domains[0] == FIRE_ROOM}
    assert len(in_room) == 120
    assert set(fire.down_ids) <= in_room  # nothing outside the room goes down
    assert fire.down + len(set(fire.degraded_ids) & in_room) + len(set(fire.switchover_ids) & in_room) == 120


def test_other_sizes_validate():
    for systems, sites in ((50, 1), (1000, None), (3000, 15)):
        document = generate_ecosystem(systems, seed=9, sites=sites)
        loaded = scenario_from_data(document)
        assert len(loaded.scenario.systems) == systems


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"systems": 10}, "at least 50"),
        ({"systems": 1000, "edges": 10}, "fewer than the"),
        ({"systems": 1000, "sites": 0}, "sites must be between"),
        ({"systems": 1000, "fire_room": "nowhere"}, "not a generated server room"),
        ({"systems": 1000, "fire_room_systems": 5000}, "fire_room_systems must be"),
        ({"systems": 1000, "seed": -1}, "seed must be"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(DrillsimError, match=message):
        generate_ecosystem(**kwargs)


def test_cli_generate_then_validate(tmp_path, capsys):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert main(["generate", "--systems", "400", "--seed", "3", "--out", str(a)]) == 0
    assert main(["generate", "--systems", "400", "--seed", "3", "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert "400 systems" in capsys.readouterr().err
    assert main(["validate", str(a)]) == 0
    assert len(load_scenario(a).scenario.systems) == 400
    assert main(["generate", "--systems", "10"]) == 2
    err = capsys.readouterr().err
    assert "at least 50" in err and "Traceback" not in err
