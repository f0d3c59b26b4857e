"""Backups that fail: exact timelines of restores from bad copies, verified or not.

The room burns at 1h; detection takes 5m; a restore at the DR room takes 2h of one person's work
(the team is on duty all the time). Times in hours after the scenario start.
"""

from __future__ import annotations

import pytest

from drillsim.engine import Simulation

from helpers import scenario_yaml

D5 = 5 / 60
FIRE = 1.0

BACKUPS = """
id: backup-failures
start: 2025-03-03T10:00:00+09:00
horizon: 10d
domains:
  - {id: hq, kind: site}
  - {id: room-a, kind: room, parent: hq}
  - {id: dr, kind: site}
  - {id: dr-room, kind: room, parent: dr}
  - {id: vault, kind: site}
  - {id: tapes, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: app
    team: ops
    placements: [{domains: [room-a]}]
    data:
      backups:
        - {name: nightly, every: 1d, in: [vault], %(nightly)s}
%(weekly)s
    recovery:
      - {kind: restore, target: [dr-room], duration: 2h}
      - {kind: rebuild, target: [dr-room], duration: 4h}
injects:
  - {at: 1h, destroy: room-a}
"""
WEEKLY = "        - {name: weekly tapes, every: 7d, in: [tapes]}"


def run(nightly: str, weekly: str = WEEKLY, seed: int = 0):
    sim = Simulation(scenario_yaml(BACKUPS % {"nightly": nightly, "weekly": weekly}), seed=seed)
    result = sim.run()
    return sim, result, result.system("app")


def failed(result):
    return [e for e in result.events if e.kind == "task_failed" and e.subject == "app"]


def weekly_age(sim) -> float:
    return (FIRE - sim.world.backup_phase[(0, 1)]) % 168


def nightly_first(nightly: str):
    """A run in which the nightly copy is newer than the weekly one (so a restore tries it first)."""
    for seed in range(20):
        sim, result, app = run(nightly, seed=seed)
        if (FIRE - sim.world.backup_phase[(0, 0)]) % 24 < weekly_age(sim):
            return sim, result, app
    raise AssertionError("no seed with the nightly copy newer than the weekly one")


def test_an_unverified_broken_schedule_is_found_at_restore_and_the_next_copy_is_used():
    sim, result, app = nightly_first("failure: 1.0, failure_scope: schedule")
    # The nightly restore works 2h, fails (its copy is unreadable), then the weekly tapes: 2h more.
    (bad,) = failed(result)
    assert bad.t == pytest.approx(FIRE + D5 + 2) and "unreadable" in bad.text
    assert app.time_to_restore_hours == pytest.approx(D5 + 2 + 2)
    assert app.data_loss_hours == pytest.approx(weekly_age(sim))
    assert not app.data_lost_permanently


def test_a_verified_broken_schedule_is_skipped_at_once():
    sim, result, app = nightly_first("failure: 1.0, failure_scope: schedule, verified: true")
    assert failed(result) == []
    assert app.time_to_restore_hours == pytest.approx(D5 + 2)
    assert app.data_loss_hours == pytest.approx(weekly_age(sim))


def test_no_good_copy_left_falls_to_the_next_option_and_the_data_is_lost_for_good():
    sim, result, app = run("failure: 1.0, failure_scope: schedule", weekly="")
    # Unverified: the restore fails at 3h05; no copy is left, so the rebuild (4h) brings it back empty.
    (bad,) = failed(result)
    assert bad.t == pytest.approx(FIRE + D5 + 2)
    lost = [e for e in result.events if e.kind == "data_lost"]
    assert [e.t for e in lost] == [pytest.approx(FIRE + D5 + 2)]
    assert app.time_to_restore_hours == pytest.approx(D5 + 2 + 4)
    assert app.data_lost_permanently
    # Verified: known from the start, the rebuild starts at detection.
    sim, result, app = run("failure: 1.0, failure_scope: schedule, verified: true", weekly="")
    assert app.time_to_restore_hours == pytest.approx(D5 + 4)
    assert app.data_lost_permanently


def newest_good(sim, keep: int | None = None) -> int:
    """How many of the newest nightly copies before the fire are bad (the engine's own verdict per copy)."""
    data = sim.world.data
    newest = int((FIRE - sim.world.backup_phase[(0, 0)]) // 24)
    back = 0
    while not data.copy_good(0, 0, newest - back) and (keep is None or back < keep):
        back += 1
    return back


def test_independent_bad_copies_restore_from_the_newest_good_one():
    seen = set()
    for seed in range(12):
        sim, result, app = run("failure: 0.6", weekly="", seed=seed)
        bad = newest_good(sim)
        seen.add(bad)
        age0 = (FIRE - sim.world.backup_phase[(0, 0)]) % 24
        # One failed 2h restore per bad copy, newest first, then the newest good copy.
        assert [e.t for e in failed(result)] == [pytest.approx(FIRE + D5 + 2 * (k + 1)) for k in range(bad)]
        assert app.time_to_restore_hours == pytest.approx(D5 + 2 * (bad + 1))
        assert app.data_loss_hours == pytest.approx(age0 + 24 * bad)
        # Verified copies: the same copy, found at once.
        sim, result, app = run("failure: 0.6, verified: true", weekly="", seed=seed)
        assert failed(result) == [] and app.time_to_restore_hours == pytest.approx(D5 + 2)
        assert app.data_loss_hours == pytest.approx(age0 + 24 * bad)
    assert max(seen) >= 2 and 0 in seen  # the seeds cover good newest copies and runs of bad ones


def test_only_the_kept_copies_count():
    checked = 0
    for seed in range(12):
        sim, result, app = run("failure: 0.6, keep: 2, verified: true", seed=seed)
        bad = newest_good(sim, keep=2)
        if bad < 2:  # one of the two kept copies is good
            age0 = (FIRE - sim.world.backup_phase[(0, 0)]) % 24
            assert app.data_loss_hours == pytest.approx(min(age0 + 24 * bad, weekly_age(sim)))
        else:  # both kept copies are bad: the weekly tapes
            checked += 1
            assert app.data_loss_hours == pytest.approx(weekly_age(sim))
    assert checked >= 1


def test_a_failover_books_the_newest_good_copy():
    text = """
    id: failover-backup
    start: 2025-03-03T10:00:00+09:00
    horizon: 2d
    domains: [{id: a, kind: site}, {id: b, kind: site}, {id: vault, kind: site}]
    teams: [{id: ops, staff: 2}]
    systems:
      - id: app
        team: ops
        placements: [{name: main, domains: [a]}, {name: dr, domains: [b]}]
        redundancy: cold-standby
        data: {backups: [{every: 1d, in: [vault], failure: 1.0, failure_scope: schedule}, {every: 7d, in: [vault]}]}
        recovery: [{kind: failover, duration: 1h}]
    injects: [{at: 1h, fail: a}]
    """
    sim = Simulation(scenario_yaml(text), seed=3)
    app = sim.run().system("app")
    assert app.time_to_restore_hours == pytest.approx(D5 + 1)
    assert app.data_loss_hours == pytest.approx((FIRE - sim.world.backup_phase[(0, 1)]) % 168)
