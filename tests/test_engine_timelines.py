"""Exact timelines on small hand-made scenarios: every number here is worked out by hand.

Conventions used below: detection 5m = 0.083333h; times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import Simulation, run_scenario
from drillsim.model import load_scenario

from helpers import SCENARIOS, scenario_yaml

D5 = 5 / 60


def at(result, system_id):
    return result.system(system_id)


def times(result, kind, subject=None):
    return [e.t for e in result.events if e.kind == kind and (subject is None or e.subject == subject)]


# ----------------------------------------------------------------------------------------
# One fire (the bundled example): restore at the DR site, switchover, rebuild with fallback
# ----------------------------------------------------------------------------------------
def test_room_fire_timeline():
    result = run_scenario(load_scenario(SCENARIOS / "example-room-fire.yaml"), seed=1)
    # Friday 20:15, business-hours team: detected at 5m, staff called in (1h), restore 2h plus
    # 100GB at 100GB/h = 1h: login back at 5m + 1h + 3h.
    login = at(result, "login")
    assert login.time_to_restore_hours == pytest.approx(D5 + 1 + 3)
    assert login.rto_met is False  # 4h05m > 4h
    # The portal switched over to its standby at 5m + 15m, but needs login: back with it.
    assert times(result, "switchover", "portal") == [pytest.approx(D5 + 0.25)]
    portal = at(result, "portal")
    assert portal.time_to_restore_hours == pytest.approx(D5 + 4)
    assert portal.data_loss_hours == pytest.approx(5 / 60)  # replication lag
    # Documents: 5 days of procurement from detection, then (Wednesday 20:20, off hours) a new
    # call-in, then 1 day of work plus 200GB at 100GB/h.
    docs = at(result, "docs")
    assert docs.time_to_restore_hours == pytest.approx(D5 + 120 + 1 + 24 + 2)
    # Its paper fallback ran from detection + 4h until the rebuild was done.
    assert times(result, "fallback_on", "docs") == [pytest.approx(D5 + 4)]
    assert docs.fallback_served_demand > 0
    m = result.metrics
    assert m.grade1_rto_breaches == 2
    assert m.time_to_recover_hours["p50"] == pytest.approx(D5 + 4)
    assert m.time_to_recover_hours["p100"] == pytest.approx(docs.time_to_restore_hours)


# ----------------------------------------------------------------------------------------
# One failover
# ----------------------------------------------------------------------------------------
FAILOVER = """
id: failover
start: 2025-03-03T10:00:00+09:00
horizon: 2d
domains:
  - {id: site-a, kind: site}
  - {id: site-b, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: app
    team: ops
    rto: 2h
    rpo: 10m
    placements:
      - {name: main, domains: [site-a]}
      - {name: dr, domains: [site-b]}
    redundancy: {mode: active-standby, automatic: false}
    data: {replication: {to: dr, lag: 5m}}
    recovery:
      - {kind: failover, staff: 2, duration: 1h}
injects:
  - {at: 1h, fail: site-a, for: 10h}
"""


def test_manual_failover_timeline():
    result = run_scenario(scenario_yaml(FAILOVER), seed=0)
    app = at(result, "app")
    # Fails at 1h, detected at 1h05m, failover by 2 staff (24x7) for 1h.
    assert app.time_to_restore_hours == pytest.approx(D5 + 1)
    assert app.rto_met is True
    assert app.data_loss_hours == pytest.approx(5 / 60)
    assert app.rpo_met is True
    assert times(result, "task_done", "app") == [pytest.approx(1 + D5 + 1)]
    # Site A coming back at 11h does not move the system back: it runs on site B to the end.
    assert app.outages == 1 and app.restored


def test_automatic_switchover_is_not_a_team_task():
    text = FAILOVER.replace("automatic: false", "automatic: true, switchover: 10m, success: 1.0")
    result = run_scenario(scenario_yaml(text), seed=0)
    app = at(result, "app")
    assert app.time_to_restore_hours == pytest.approx(D5 + 10 / 60)
    assert times(result, "task_started", "app") == []


# ----------------------------------------------------------------------------------------
# One restore from backup (and an alternate site running out of room)
# ----------------------------------------------------------------------------------------
RESTORE = """
id: restore
start: 2025-03-03T10:00:00+09:00
horizon: 10d
domains:
  - {id: dc, kind: site}
  - {id: alt, kind: site, free_capacity: 1}
  - {id: vault, kind: site}
teams:
  - {id: ops, staff: 4}
systems:
  - id: first
    grade: 1
    team: ops
    placements: [{domains: [dc]}]
    data:
      size: 400GB
      backups: [{every: 1d, in: [vault], restore_rate: 200GB/h}]
    recovery:
      - {kind: restore, target: alt, staff: 2, duration: 3h}
      - {kind: rebuild, lead_time: 2d, staff: 2, duration: 1d}
  - id: second
    grade: 2
    team: ops
    placements: [{domains: [dc]}]
    data:
      size: 400GB
      backups: [{every: 1d, in: [vault], restore_rate: 200GB/h}]
    recovery:
      - {kind: restore, target: alt, staff: 2, duration: 3h}
      - {kind: rebuild, lead_time: 2d, staff: 2, duration: 1d}
injects:
  - {at: 0m, destroy: dc}
  - {at: 1d, restore: dc}
"""


def test_restore_from_backup_and_capacity_limit():
    sim = Simulation(scenario_yaml(RESTORE), seed=4)
    result = sim.run()
    first, second = at(result, "first"), at(result, "second")
    # first (grade 1) takes the one free slot at the alternate site: 3h plus 400GB at 200GB/h.
    assert first.time_to_restore_hours == pytest.approx(D5 + 3 + 2)
    # Data lost = age of the last daily backup when the site burned (random phase per run).
    phase = sim.world.backup_phase[(0, 0)]
    assert first.data_loss_hours == pytest.approx((0.0 - phase) % 24)
    assert 0 <= first.data_loss_hours < 24
    # second finds the alternate site full, so it is rebuilt: 2 days of procurement, the site
    # is usable again from day 1, then 1 day of work plus the 2h restore of its data.
    assert second.time_to_restore_hours == pytest.approx(D5 + 48 + 24 + 2)
    # Both planned a restore at detection; the slot is claimed when work starts, so second's
    # restore finds the site full when its staff are ready, and the runbook moves on.
    failed = [e for e in result.events if e.kind == "task_failed" and e.subject == "second"]
    assert len(failed) == 1 and "no free capacity" in failed[0].text
    assert failed[0].t == pytest.approx(D5)
    assert sim.world.free_capacity(sim.compiled.didx["alt"]) == 0


def test_no_surviving_copy_is_lost_for_good():
    text = RESTORE.replace("in: [vault]", "in: [dc]")
    result = run_scenario(scenario_yaml(text), seed=0)
    for system_id in ("first", "second"):
        assert at(result, system_id).data_lost_permanently
        assert at(result, system_id).rpo_met is False
    assert sorted(result.metrics.data_lost_permanently) == ["first", "second"]
    # Restore needs a copy: both are rebuilt empty after procurement.
    assert at(result, "first").time_to_restore_hours == pytest.approx(D5 + 48 + 24)


# ----------------------------------------------------------------------------------------
# One any-of authentication outage
# ----------------------------------------------------------------------------------------
ANY_OF = """
id: auth
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains:
  - {id: dc, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - {id: gpki, team: ops, placements: [{domains: [dc]}]}
  - {id: mobile-id, team: ops, placements: [{domains: [dc]}]}
  - id: saeol
    grade: 1
    team: ops
    rto: 2h
    placements: [{domains: [dc]}]
    depends_on: [{any_of: [gpki, mobile-id]}]
  - id: counter
    team: ops
    placements: [{domains: [dc]}]
    depends_on: [gpki]
  - id: portal
    team: ops
    placements: [{domains: [dc]}]
    depends_on: [{system: gpki, kind: soft, factor: 0.6}]
injects:
  - {at: 1h, fail_system: gpki, for: 6h}
  - {at: 3h, fail_system: mobile-id, for: 2h}
"""


def test_any_of_authentication_outage():
    scenario = scenario_yaml(ANY_OF.replace("team: ops, placements", "team: ops, recovery: [{kind: restart, duration: 100h}], placements"))
    result = run_scenario(scenario, seed=0)
    # gpki down 1h-7h; mobile-id down 3h-5h: saeol (any of them) is down only 3h-5h.
    saeol = at(result, "saeol")
    assert saeol.outages == 1
    assert saeol.time_to_restore_hours == pytest.approx(2.0)
    assert saeol.first_down_hours == pytest.approx(3.0)
    # counter hard-depends on gpki alone: down for all six hours, no recovery work of its own.
    counter = at(result, "counter")
    assert counter.time_to_restore_hours == pytest.approx(6.0)
    assert [e for e in result.events if e.kind == "task_queued" and e.subject == "counter"] == []
    # portal only soft-depends (factor 0.6): it stays up, degraded, serving 0.6 x 1.5 = 90%.
    portal = at(result, "portal")
    assert portal.outages == 0
    assert portal.unserved_demand == pytest.approx(0.1 * portal.demand * 6 / 24)


# ----------------------------------------------------------------------------------------
# One fallback
# ----------------------------------------------------------------------------------------
FALLBACK = """
id: fallback
start: 2025-03-03T00:00:00+09:00
horizon: 1d
domains:
  - {id: dc, kind: network_zone}
teams:
  - {id: ops, staff: 1}
systems:
  - id: vouchers
    team: ops
    demand: {per_day: 2400}
    placements: [{domains: [dc]}]
    fallback: {activation: 2h, staff: 2, share: 0.5, reentry: 6m}
injects:
  - {at: 0m, fail: dc, for: 10h}
"""


def test_fallback_serves_a_share_and_leaves_a_backlog():
    result = run_scenario(scenario_yaml(FALLBACK), seed=0)
    v = at(result, "vouchers")
    # Flat demand of 100 an hour. Down 0-10h (a network zone: no restart needed); detected at
    # 5m, paper fallback from 2h05m, serving half the normal demand until 10h.
    assert v.time_to_restore_hours == pytest.approx(10.0)
    fb = 0.5 * 100 * (10 - (D5 + 2))
    assert v.fallback_served_demand == pytest.approx(fb)
    assert v.unserved_demand == pytest.approx(100 * 10 - fb)
    # Re-entry: 6 minutes per request, 2 staff.
    assert v.reentry_hours == pytest.approx(fb * 0.1 / 2)
    assert v.demand == pytest.approx(2400)


# ----------------------------------------------------------------------------------------
# One surge
# ----------------------------------------------------------------------------------------
SURGE = """
id: surge
start: 2025-03-03T00:00:00+09:00
horizon: 1d
domains:
  - {id: dc, kind: site}
teams:
  - {id: ops, staff: 1}
systems:
  - id: booking
    team: ops
    demand: {per_day: 2400, headroom: 1.5, collapse_at: 2.0}
    placements: [{domains: [dc]}]
injects:
  - {at: 1h, surge: {system: booking, factor: 2, for: 5h}}
  - {at: 10h, surge: {system: booking, factor: 4, for: 2h}}
"""


def test_surge_above_capacity_and_collapse():
    result = run_scenario(scenario_yaml(SURGE), seed=0)
    b = at(result, "booking")
    # x2 demand against 1.5x capacity: 75 % served (degraded, still serving) for 5h:
    # unserved 0.25 x 200/h x 5h = 250.
    # x4: demand is 2.67 times capacity, beyond collapse_at = 2: it collapses at 10h, is
    # detected at 10h05m and restarted (implicit restart: 30 min). Each restart meets the surge
    # again; operators are already watching, so the next restart starts at once: collapses at
    # 10h, 10h35m, 11h05m, 11h35m; the restart ending at 12h05m finds the surge over.
    collapses = times(result, "collapse", "booking")
    assert collapses == [pytest.approx(x) for x in (10, 10 + 7 / 12, 11 + 1 / 12, 11 + 7 / 12)]
    assert b.outages == 1
    assert b.time_to_restore_hours == pytest.approx(2 + 1 / 12)
    unserved_collapse = 400 * 2 + 100 * (1 / 12)  # all of the x4 demand, then normal demand until 12h05m
    assert b.unserved_demand == pytest.approx(250 + unserved_collapse)
    assert b.demand == pytest.approx(2400 + 100 * 5 + 300 * 2)


# ----------------------------------------------------------------------------------------
# Tooling in the burning site; priorities; determinism
# ----------------------------------------------------------------------------------------
TOOLING = """
id: tooling
start: 2025-03-03T00:00:00+09:00
horizon: 3d
domains:
  - {id: pangyo, kind: site}
  - {id: other, kind: site}
teams:
  - {id: ops, staff: 1}
systems:
  - id: console
    grade: 2
    team: ops
    placements: [{domains: [pangyo]}]
    recovery: [{kind: restart, duration: 1h}]
  - id: messenger
    grade: 1
    team: ops
    placements:
      - {name: main, domains: [pangyo]}
      - {name: dr, domains: [other]}
    redundancy: {mode: active-standby, automatic: false}
    recovery:
      - {kind: failover, staff: 1, duration: 2h, needs: [console]}
injects:
  - {at: 0m, fail: pangyo, for: 10h}
"""


def test_recovery_blocked_while_its_tooling_is_down():
    result = run_scenario(scenario_yaml(TOOLING), seed=0)
    # The failover needs the admin console, which sits in the burning site: it waits until the
    # site is back (10h) and the console is restarted (1h, grade 2, the only staff member);
    # only then the 2h failover of the grade-1 messenger.
    assert at(result, "console").time_to_restore_hours == pytest.approx(11.0)
    messenger = at(result, "messenger")
    assert messenger.time_to_restore_hours == pytest.approx(13.0)


def test_same_seed_same_result_and_seeds_matter():
    loaded = load_scenario(SCENARIOS / "example-room-fire.yaml")
    a = run_scenario(loaded, seed=11).to_dict(timelines=True)
    b = run_scenario(loaded, seed=11).to_dict(timelines=True)
    assert a == b
    c = run_scenario(loaded, seed=12).to_dict(timelines=True)
    assert a["systems"]["login"]["data_loss_hours"] != c["systems"]["login"]["data_loss_hours"]


def test_soft_dependency_down_degrades_without_overload_collapse():
    # With factor 0.3 the portal can serve 0.3 x 1.5 = 45 % of normal demand: below its 0.5
    # threshold it counts as down (through its links) for gpki's six hours, but its servers are
    # not overloaded: no collapse, no restart, and it is back the moment gpki is.
    text = ANY_OF.replace("factor: 0.6", "factor: 0.3").replace(
        "team: ops, placements", "team: ops, recovery: [{kind: restart, duration: 100h}], placements"
    )
    result = run_scenario(scenario_yaml(text), seed=0)
    portal = at(result, "portal")
    assert times(result, "collapse", "portal") == []
    assert portal.time_to_restore_hours == pytest.approx(6.0)
    assert portal.unserved_demand == pytest.approx(0.55 * portal.demand * 6 / 24)


def test_switchover_when_the_own_failure_comes_after_a_detected_link_outage():
    # The app is first down through its link (detected at 1h05m); at 2h its own site fails
    # while it is watched: the automatic switchover starts at once (no second detection delay).
    text = """
    id: late
    start: 2025-03-03T10:00:00+09:00
    horizon: 1d
    domains:
      - {id: a, kind: site}
      - {id: b, kind: site}
      - {id: net, kind: network_zone}
    teams:
      - {id: ops, staff: 2}
    systems:
      - {id: auth, team: ops, placements: [{domains: [net]}]}
      - id: app
        team: ops
        placements:
          - {name: main, domains: [a]}
          - {name: dr, domains: [b]}
        redundancy: {mode: active-standby, switchover: 10m, success: 1.0}
        depends_on: [auth]
    injects:
      - {at: 1h, fail: net, for: 3h}
      - {at: 2h, fail: a, for: 10h}
    """
    result = run_scenario(scenario_yaml(text), seed=0)
    assert times(result, "switchover", "app") == [pytest.approx(2 + 10 / 60)]
    assert at(result, "app").time_to_restore_hours == pytest.approx(3.0)  # back with auth at 4h


LATER_CAPACITY = """
id: later
start: 2025-03-03T10:00:00+09:00
horizon: 5d
domains:
  - {id: dc, kind: site}
  - {id: cloud, kind: site, free_capacity: 0}
teams:
  - {id: ops, staff: 2}
systems:
  - id: app
    team: ops
    placements: [{domains: [dc]}]
    recovery:
      - {kind: restore, target: cloud, duration: 2h}
      - {kind: restart, duration: 1h}
injects:
  - {at: 0m, fail: dc}
  - {at: 1d, set_capacity: {domain: cloud, free_capacity: 1}}
"""


def test_capacity_offered_later_moves_waiting_work_up_the_runbook():
    # At first the cloud has no room: the runbook's restart (waiting for a site that never comes
    # back) is all there is. When capacity is offered at 1d, the restore becomes possible and
    # replaces the waiting restart: back at 1d + 2h.
    result = run_scenario(scenario_yaml(LATER_CAPACITY), seed=0)
    app = at(result, "app")
    assert app.restored
    assert app.time_to_restore_hours == pytest.approx(24 + 2)
    cancelled = [e for e in result.events if e.kind == "task_cancelled" and e.subject == "app"]
    assert len(cancelled) == 1 and cancelled[0].t == pytest.approx(24)


SUSPEND = """
id: suspend
start: 2025-03-03T10:00:00+09:00
horizon: 1d
domains:
  - {id: dc, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: gov24
    team: ops
    demand: {per_day: 2400}
    placements: [{domains: [dc]}]
    fallback: {activation: 1h, staff: 2, share: 0.5}
injects:
  - {at: 2h, suspend: gov24, message: "Government24 suspended while authentication is unreliable"}
  - {at: 6h, resume: gov24}
"""


def test_suspension_is_not_a_fault():
    result = run_scenario(scenario_yaml(SUSPEND), seed=0)
    g = at(result, "gov24")
    # Down exactly while suspended; known at once (no detection delay); nobody restarts it; its
    # fallback runs from 2h + 1h activation.
    assert g.time_to_restore_hours == pytest.approx(4.0)
    assert times(result, "detected", "gov24") == [pytest.approx(2.0)]
    assert [e for e in result.events if e.kind in ("task_started",) and e.subject == "gov24"] == []
    assert g.fallback_served_demand == pytest.approx(0.5 * 100 * 3)


def test_step_stops_at_the_next_event_even_without_a_journal():
    loaded = load_scenario(SCENARIOS / "example-room-fire.yaml")
    for record in (True, False):
        sim = Simulation(loaded, seed=1, record_events=record)
        sim.step()  # the fire at t = 0
        assert sim.now == 0.0
        sim.step()  # the first alerts, five minutes later
        assert sim.now == pytest.approx(D5)
        assert not sim.done


def test_while_monitoring_is_down_failures_wait_for_user_reports():
    text = """
    id: monitoring
    start: 2025-03-03T10:00:00+09:00
    horizon: 2d
    monitoring: {system: nms, report_delay: 3h}
    domains:
      - {id: mgmt, kind: site}
      - {id: dc, kind: site}
    teams:
      - {id: ops, staff: 4}
    systems:
      - {id: nms, team: ops, placements: [{domains: [mgmt]}]}
      - {id: portal, team: ops, placements: [{domains: [dc]}]}
      - {id: backoffice, team: ops, report_delay: 20h, placements: [{domains: [dc]}]}
    injects:
      - {at: 0m, fail: mgmt, for: 1d}
      - {at: 1h, fail: dc, for: 30m}
    """
    sim = Simulation(scenario_yaml(text), seed=0)
    sim.advance(1.5)
    # Monitoring is down: the team cannot see the dc outage, it shows as unknown, not as up.
    assert sim.system_view(sim.compiled.sidx["portal"]).status.value == "unknown"
    assert sim.system_view(sim.compiled.sidx["portal"], truth=True).status.value == "down"
    result = sim.run()
    # dc is back at 1h30m but its servers need a restart, which waits for someone to notice:
    # users report the portal after 3h (the scenario's delay), the back office after 20h (its own).
    assert times(result, "detected", "portal") == [pytest.approx(1 + 3)]
    assert times(result, "detected", "backoffice") == [pytest.approx(1 + 20)]
    assert at(result, "portal").time_to_restore_hours == pytest.approx(3 + 0.5)


def test_curve_scope_counts_only_systems_placed_in_its_domains():
    # login (down 4h05m) and docs (6.1 days) sit in room A; with a scope on another domain
    # nothing counts; with room A, the same curve as without a scope here.
    base = load_scenario(SCENARIOS / "example-room-fire.yaml").data
    from drillsim.model import scenario_from_data
    from drillsim.model.overlays import merge

    whole = run_scenario(scenario_from_data(base).scenario, seed=1).metrics
    in_room = run_scenario(scenario_from_data(merge(base, {"curve_scope": ["room-a"]}, top_level=True)).scenario, seed=1).metrics
    elsewhere = run_scenario(scenario_from_data(merge(base, {"curve_scope": ["vault"]}, top_level=True)).scenario, seed=1).metrics
    assert in_room.time_to_recover_hours == whole.time_to_recover_hours
    assert [(p.t, p.systems) for p in in_room.recovery_curve] == [(p.t, p.systems) for p in whole.recovery_curve]
    assert elsewhere.recovery_curve == [] and elsewhere.time_to_recover_hours["p50"] is None
    assert elsewhere.systems_affected == whole.systems_affected == 3  # the count of affected systems is unchanged
