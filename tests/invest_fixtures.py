"""Small, hand-checkable inputs for the invest tests: a model, threats and options written to files.

The model's numbers are chosen so losses can be worked out by hand: every system serves a flat
100 units an hour (2,400 a day), is noticed at once (detection 0), and sits in a network zone
whose repair takes exactly 4 hours of a 24x7 team with staff to spare. A zone fault therefore
costs 4 h x 100 units x the system's per_unserved.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

__all__ = ["MODEL", "write", "write_inputs"]

MODEL = """\
id: tiny
start: 2025-01-06T09:00:00+09:00
horizon: 2d
domains:
  - {id: site-a, kind: site}
  - {id: room-a, kind: room, parent: site-a}
  - {id: zone-1, kind: network_zone, parent: site-a, repair: {team: ops, duration: 4h}}
  - {id: zone-2, kind: network_zone, parent: site-a, repair: {team: ops, duration: 4h}}
  - {id: zone-3, kind: network_zone, parent: site-a, repair: {team: ops, duration: 4h}}
  - {id: site-b, kind: site}
  - {id: room-b, kind: room, parent: site-b}
  - {id: site-c, kind: site}
  - {id: room-c, kind: room, parent: site-c}
teams:
  - {id: ops, staff: 10, schedule: 24x7}
systems:
  - id: portal
    team: ops
    demand: {per_day: 2400}
    detection: 0
    placements:
      - {name: primary, domains: [room-a, zone-1]}
    loss: {per_unserved: 1000}
  - id: ledger
    team: ops
    demand: {per_day: 2400}
    detection: 0
    placements:
      - {name: primary, domains: [room-a, zone-2]}
    loss: {per_unserved: 1000}
  - id: archive
    team: ops
    demand: {per_day: 2400}
    detection: 0
    placements:
      - {name: primary, domains: [room-a, zone-3]}
    loss: {per_unserved: 1000}
"""


def write(path: Path, text: str) -> Path:
    """Write dedented ``text`` to ``path`` and return the path."""
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_inputs(tmp_path: Path, threats: str, options: str, model: str = MODEL) -> tuple[Path, Path, Path]:
    """The model, threats and options files in ``tmp_path``."""
    return (
        write(tmp_path / "model.yaml", model),
        write(tmp_path / "threats.yaml", threats),
        write(tmp_path / "options.yaml", options),
    )
