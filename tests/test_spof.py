"""SPOF ranking: blast radii on hand-made models with hand-computed answers, a brute-force
cross-check on a generated model, the central-government model, and the CLI."""

from __future__ import annotations

import json

import pytest

from drillsim.cli import main
from drillsim.model import DrillsimError
from drillsim.model.generator import generate_ecosystem
from drillsim.model.loading import scenario_from_data
from drillsim.model.spof import SpofAnalysis, blast_radius, rank_spofs
from drillsim.model.systems import DependencyKind, PlacementRole, RedundancyMode

from helpers import SCENARIOS, scenario_yaml

# Default grade weights: 8, 4, 2, 1 for grades 1..4.
AUTH_MODEL = """
id: auth
start: 2025-01-06T09:00:00+09:00
domains:
  - {id: kr, kind: region}
  - {id: s1, kind: site, parent: kr}
  - {id: r1, kind: room, parent: s1}
  - {id: r2, kind: room, parent: s1}
  - {id: s2, kind: site, parent: kr}
  - {id: r3, kind: room, parent: s2}
teams:
  - {id: ops, staff: 2}
systems:
  - {id: auth1, grade: 1, team: ops, demand: 100, placements: [{domains: [r1]}]}
  - {id: auth2, grade: 2, team: ops, demand: 100, placements: [{domains: [r3]}]}
  - id: app
    grade: 3
    team: ops
    demand: 1000
    placements: [{domains: [r2]}]
    depends_on: [{any_of: [auth1, auth2]}]
  - {id: app2, grade: 4, team: ops, demand: 500, placements: [{domains: [r3]}], depends_on: [auth1]}
  - id: rep
    grade: 3
    team: ops
    demand: 200
    placements: [{domains: [r3]}]
    depends_on: [{system: app2, kind: soft, factor: 0.6}]
"""
# Weighted demand: auth1 800, auth2 400, app 2000, app2 500, rep 400; total 4100.
TOTAL = 4100.0


def test_system_failure_spreads_hard_and_soft_but_not_through_any_of():
    radius = blast_radius(scenario_yaml(AUTH_MODEL), "auth1")
    # auth1 down; app2 (hard on auth1) down; app survives on auth2; rep loses 40 % of 400.
    assert radius.down == 2 and radius.down_ids == ["app2", "auth1"]
    assert radius.degraded == 1 and radius.degraded_ids == ["rep"]
    assert radius.grade1 == 1
    assert radius.weighted_lost == pytest.approx(800 + 500 + 0.4 * 400)
    assert radius.share == pytest.approx(1460 / TOTAL)


def test_any_of_alternatives_reduce_the_radius():
    with_alternative = blast_radius(scenario_yaml(AUTH_MODEL), "auth1")
    hard_only = blast_radius(scenario_yaml(AUTH_MODEL.replace("[{any_of: [auth1, auth2]}]", "[auth1]")), "auth1")
    assert "app" not in with_alternative.down_ids
    assert "app" in hard_only.down_ids
    assert hard_only.weighted_lost == pytest.approx(with_alternative.weighted_lost + 2000)


def test_any_of_fails_when_every_alternative_is_down():
    analysis = SpofAnalysis(scenario_yaml(AUTH_MODEL))
    # The region holds both alternatives: everything is down.
    region = analysis.radius("kr")
    assert region.down == 5 and region.weighted_lost == pytest.approx(TOTAL) and region.share == pytest.approx(1.0)
    # auth2 alone: app keeps auth1.
    auth2 = analysis.radius("auth2")
    assert auth2.down_ids == ["auth2"] and auth2.degraded == 0 and auth2.weighted_lost == pytest.approx(400)


def test_domain_failure_includes_descendants():
    analysis = SpofAnalysis(scenario_yaml(AUTH_MODEL))
    room = analysis.radius("r1")  # only auth1 sits there: same as auth1 failing
    assert room.down_ids == ["app2", "auth1"] and room.weighted_lost == pytest.approx(1460)
    site = analysis.radius("s1")  # r1 and r2: auth1 and app directly, app2 through auth1, rep degraded
    assert site.down_ids == ["app", "app2", "auth1"]
    assert site.degraded_ids == ["rep"]
    assert site.weighted_lost == pytest.approx(800 + 2000 + 500 + 160)
    empty = analysis.radius("s2")  # auth2, app2, rep: app keeps auth1
    assert empty.down_ids == ["app2", "auth2", "rep"] and empty.weighted_lost == pytest.approx(400 + 500 + 400)


def test_soft_losses_below_threshold_count_as_down_and_spread():
    text = AUTH_MODEL + """
  - id: rep2
    grade: 4
    team: ops
    demand: 100
    placements: [{domains: [r3]}]
    depends_on:
      - {system: app2, kind: soft, factor: 0.6}
      - {system: auth1, kind: soft, factor: 0.6}
  - {id: report, grade: 4, team: ops, demand: 10, placements: [{domains: [r2]}], depends_on: [rep2]}
"""
    radius = blast_radius(scenario_yaml(text), "auth1")
    # rep2 keeps 0.6 * 0.6 = 36 % < threshold 50 %: down, and takes 'report' with it.
    assert radius.down_ids == ["app2", "auth1", "rep2", "report"]
    assert radius.degraded_ids == ["rep"]
    assert radius.weighted_lost == pytest.approx(800 + 500 + 160 + 100 + 10)


REDUNDANCY_MODEL = """
id: redundancy
start: 2025-01-06T09:00:00+09:00
domains:
  - {id: s, kind: site}
  - {id: a, kind: room, parent: s}
  - {id: b, kind: room, parent: s}
  - {id: ups, kind: ups_room, parent: s}
  - {id: dr, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: aa
    grade: 1
    team: ops
    demand: 1000
    placements: [{domains: [a]}, {domains: [b]}]
    redundancy: active-active
  - id: aa-strict
    grade: 2
    team: ops
    demand: 1000
    threshold: 0.6
    placements: [{domains: [a]}, {domains: [b]}]
    redundancy: active-active
  - id: hot
    grade: 2
    team: ops
    demand: 100
    placements: [{name: main, domains: [a]}, {name: standby, domains: [dr]}]
    redundancy: active-standby
  - id: shared-ups
    grade: 3
    team: ops
    demand: 100
    placements: [{domains: [a, ups]}, {domains: [b, ups]}]
    redundancy: active-standby
  - id: cold
    grade: 4
    team: ops
    demand: 100
    placements: [{domains: [a]}, {domains: [dr]}]
    redundancy: cold-standby
  - {id: user, grade: 4, team: ops, demand: 50, placements: [{domains: [dr]}], depends_on: [aa]}
"""
# Weighted: aa 8000, aa-strict 4000, hot 400, shared-ups 200, cold 100, user 50.


def test_active_active_replicas_in_different_rooms_survive_a_room():
    analysis = SpofAnalysis(scenario_yaml(REDUNDANCY_MODEL))
    room = analysis.radius("a")
    # aa keeps half its capacity (threshold 0.5): degraded, and its dependent 'user' is unaffected.
    assert "aa" in room.degraded_ids and "aa" not in room.down_ids and "user" not in room.down_ids
    # aa-strict needs 60 %: half is not enough.
    assert "aa-strict" in room.down_ids
    # hot switches to its standby at the DR site; shared-ups to its standby in room b: both flagged.
    assert room.switchover_ids == ["hot", "shared-ups"]
    assert "hot" not in room.down_ids and "shared-ups" not in room.down_ids
    # A cold standby has to be provisioned first: down.
    assert "cold" in room.down_ids
    assert room.down_ids == ["aa-strict", "cold"]
    assert room.weighted_lost == pytest.approx(0.5 * 8000 + 4000 + 100)
    assert room.grade1 == 1  # aa, degraded


def test_standby_loss_alone_changes_nothing():
    radius = SpofAnalysis(scenario_yaml(REDUNDANCY_MODEL)).radius("dr")
    # Standbys at the DR site are lost, actives keep serving; only 'user', placed there, is down.
    assert radius.down_ids == ["user"] and radius.degraded == 0 and radius.switchover == 0


def test_cross_cutting_domain_takes_both_replicas():
    radius = SpofAnalysis(scenario_yaml(REDUNDANCY_MODEL)).radius("ups")
    assert radius.down_ids == ["shared-ups"] and radius.switchover == 0


def test_site_takes_every_replica_inside_and_dependents():
    radius = SpofAnalysis(scenario_yaml(REDUNDANCY_MODEL)).radius("s")
    # Both replicas of aa are inside the site, so its dependent 'user' (at the DR site) goes too.
    assert radius.down_ids == ["aa", "aa-strict", "cold", "shared-ups", "user"]
    assert radius.switchover_ids == ["hot"]  # to its standby at the DR site; a cold standby does not switch


def test_ranking_is_worst_first_with_outer_domains_first_on_ties():
    entries = rank_spofs(scenario_yaml(AUTH_MODEL))
    assert entries[0].id == "kr"
    lost = [e.weighted_lost for e in entries]
    assert lost == sorted(lost, reverse=True)
    ids = [e.id for e in entries]
    assert len(ids) == 6 + 5 and set(ids) == {"kr", "s1", "r1", "r2", "s2", "r3", "auth1", "auth2", "app", "app2", "rep"}
    # r1 and auth1 have the same radius: the domain and the system are both listed, domain first.
    assert ids.index("r1") < ids.index("auth1")
    only_systems = rank_spofs(scenario_yaml(AUTH_MODEL), domains=False)
    assert all(e.kind == "system" for e in only_systems) and len(only_systems) == 5


def test_unknown_ids_are_errors():
    analysis = SpofAnalysis(scenario_yaml(AUTH_MODEL))
    with pytest.raises(DrillsimError, match="neither a domain nor a system"):
        analysis.radius("nowhere")


# -- cross-check against a brute-force fixed point --------------------------------------

def _brute_force(scenario, failed_domains: set[str], failed_system: str | None):
    """Status of every system by iterating the rules to a fixed point (quadratic, obviously right)."""
    parents = {d.id: d.parent for d in scenario.domains}

    def lost(domain: str) -> bool:
        while domain is not None:
            if domain in failed_domains:
                return True
            domain = parents.get(domain)
        return False

    own: dict[str, float] = {}
    switched: set[str] = set()
    for s in scenario.systems:
        n = len(s.placements)
        gone = [any(lost(d) for d in p.domains) for p in s.placements]
        mode = s.redundancy.mode if n > 1 else RedundancyMode.none
        if s.id == failed_system:
            own[s.id] = 0.0
        elif mode is RedundancyMode.none:
            own[s.id] = 0.0 if gone[0] else 1.0
        elif mode is RedundancyMode.active_active:
            caps = [p.capacity if p.capacity is not None else 1 / n for p in s.placements]
            own[s.id] = min(1.0, sum(c for c, g in zip(caps, gone) if not g))
        else:
            active = next((k for k, p in enumerate(s.placements) if p.role is PlacementRole.active), 0)
            cap = lambda k, s=s: s.placements[k].capacity if s.placements[k].capacity is not None else 1.0  # noqa: E731
            if not gone[active]:
                own[s.id] = cap(active)
            elif mode is RedundancyMode.active_standby and any(
                not gone[k] and k != active and s.placements[k].role is not PlacementRole.active for k in range(n)
            ):
                own[s.id] = max(cap(k) for k in range(n) if not gone[k] and k != active and s.placements[k].role is not PlacementRole.active)
                switched.add(s.id)
            else:
                own[s.id] = 0.0
    down: set[str] = set()
    capacity = dict(own)
    changed = True
    while changed:
        changed = False
        for s in scenario.systems:
            if s.id in down:
                continue
            cap = own[s.id]
            dead = False
            for dep in s.depends_on:
                if all(t in down for t in dep.targets):
                    if dep.kind is DependencyKind.hard:
                        dead = True
                    else:
                        cap *= dep.factor
            capacity[s.id] = cap
            if dead or cap < s.threshold:
                down.add(s.id)
                changed = True
    degraded = {sid for sid, c in capacity.items() if sid not in down and c < 1.0}
    return down, degraded, switched - down


def test_matches_brute_force_on_a_generated_model():
    scenario = scenario_from_data(generate_ecosystem(400, seed=7, edges=1600)).scenario
    analysis = SpofAnalysis(scenario)
    candidates = [("domain", d.id) for d in scenario.domains] + [("system", s.id) for s in scenario.systems[::7]]
    checked_spread = 0
    for kind, cid in candidates:
        radius = analysis.radius(cid)
        if kind == "domain":
            down, degraded, switched = _brute_force(scenario, {cid}, None)
        else:
            down, degraded, switched = _brute_force(scenario, set(), cid)
        assert set(radius.down_ids) == down, cid
        assert set(radius.degraded_ids) == degraded, cid
        assert set(radius.switchover_ids) == switched, cid
        checked_spread += len(down) > 1
    assert checked_spread > 10  # the model does spread failures


# -- the central-government model -------------------------------------------------------

KOREA = SCENARIOS / "models" / "korea-central-gov.yaml"


@pytest.mark.skipif(not KOREA.exists(), reason="the central-government model is not written yet")
def test_korea_shared_authentication_and_daejeon_come_out_on_top():
    from drillsim.model import load_scenario

    scenario = load_scenario(KOREA).scenario
    entries = rank_spofs(scenario)
    domains = [e for e in entries if e.kind == "domain" and e.detail != "region"]
    systems = [e for e in entries if e.kind == "system"]
    # The worst site is Daejeon, and no domain short of a region is worse.
    sites = [e for e in domains if e.detail == "site"]
    assert "daejeon" in sites[0].id
    assert sites[0].weighted_lost == max(e.weighted_lost for e in domains)
    # The worst system is the shared authentication (GPKI); Daejeon is worse than any system.
    assert systems[0].id == "gpki"
    assert sites[0].weighted_lost > systems[0].weighted_lost


# -- CLI --------------------------------------------------------------------------------

def _write(tmp_path, text: str):
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_json(tmp_path, capsys):
    path = _write(tmp_path, AUTH_MODEL)
    assert main(["spof", str(path), "--json", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["candidates"] == 11 and len(data["entries"]) == 3
    assert data["total_weighted_demand"] == pytest.approx(TOTAL)
    first = data["entries"][0]
    assert first["id"] == "kr" and first["share"] == pytest.approx(1.0)
    assert set(first) >= {"id", "kind", "label", "down", "degraded", "grade1", "weighted_lost", "share", "switchover"}


def test_cli_table_and_show(tmp_path, capsys):
    path = _write(tmp_path, AUTH_MODEL)
    assert main(["spof", str(path), "--kind", "system"]) == 0
    out = capsys.readouterr().out
    assert "auth1" in out and "r1" not in out.split("Single points of failure")[1].split("candidates")[0].split()
    assert main(["spof", str(path), "--show", "auth1"]) == 0
    out = capsys.readouterr().out
    assert "down (2)" in out and "app2" in out and "degraded (1)" in out


def test_cli_errors_exit_2_without_traceback(tmp_path, capsys):
    path = _write(tmp_path, AUTH_MODEL)
    assert main(["spof", str(path), "--show", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "neither a domain nor a system" in err and "Traceback" not in err
    assert main(["spof", str(tmp_path / "missing.yaml")]) == 2
    bad = _write(tmp_path, AUTH_MODEL.replace("depends_on: [auth1]", "depends_on: [auth9]"))
    assert main(["spof", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown system 'auth9'" in err and "model.yaml:" in err
