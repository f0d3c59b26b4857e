"""Small random scenarios for the batch tests (a room fire with random restore times, and a faster variant)."""

from __future__ import annotations

from pathlib import Path

FIRE = """\
id: batch-test-fire
name: Small random room fire (batch tests)
start: 2025-01-06T09:00:00+09:00
horizon: 7d
domains:
  - {id: hq, kind: site}
  - {id: room-a, kind: room, parent: hq}
  - {id: dr, kind: site, free_capacity: 5}
  - {id: dr-room, kind: room, parent: dr}
  - {id: vault, kind: site}
teams:
  - {id: ops, staff: 2}
systems:
  - id: login
    grade: 1
    team: ops
    rto: 4h
    rpo: 1h
    demand: {per_day: 20000}
    placements: [{name: primary, domains: [room-a]}]
    data: {size: 100GB, backups: [{every: 1d, in: [vault], restore_rate: 100GB/h}]}
    recovery:
      - {kind: restore, target: [dr-room], staff: 1, duration: {dist: lognormal, mean: 3h, cv: 0.8}}
  - id: portal
    grade: 2
    team: ops
    rto: 8h
    rpo: 1h
    demand: {per_day: 50000, profile: citizen}
    placements: [{name: primary, domains: [room-a]}]
    data: {size: 50GB, backups: [{every: 1d, in: [vault], restore_rate: 100GB/h}]}
    depends_on: [login]
    recovery:
      - {kind: restore, target: [dr-room], staff: 1, duration: {dist: lognormal, mean: 5h, cv: 0.8}}
  - id: docs
    grade: 3
    team: ops
    rto: 1d
    rpo: 1d
    demand: {per_day: 2000, profile: office}
    placements: [{name: primary, domains: [room-a]}]
    data: {size: 200GB, backups: [{every: 1d, in: [vault], restore_rate: 100GB/h}]}
    recovery:
      - {kind: restore, target: [dr-room], staff: 1, duration: {dist: lognormal, mean: 10h, cv: 0.8}}
failures:
  - {targets: [dr-room], time_to_failure: {dist: exponential, mean: 100h}, time_to_repair: {dist: exponential, mean: 3h}}
injects:
  - {at: 1h, destroy: room-a}
"""

FASTER = """\
extends: fire.yaml
id: batch-test-fire-faster
systems:
  - id: login
    recovery:
      - {kind: restore, target: [dr-room], staff: 1, duration: {dist: lognormal, mean: 1h, cv: 0.8}}
"""


def write_scenarios(folder: Path) -> tuple[Path, Path]:
    """Write fire.yaml and faster.yaml (a variant that extends it) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    fire = folder / "fire.yaml"
    faster = folder / "faster.yaml"
    fire.write_text(FIRE, encoding="utf-8")
    faster.write_text(FASTER, encoding="utf-8")
    return fire, faster
