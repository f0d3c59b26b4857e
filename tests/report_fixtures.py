"""Hand-made scenarios for the report, sitrep and MSEL tests (every answer can be counted by hand)."""

from __future__ import annotations

import copy
from typing import Any

from drillsim.model import scenario_from_data


def _sys(id: str, room: str, deps: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": id,
        "team": "ops",
        "grade": 3,
        "rto": "4h",
        "demand": {"per_day": 2400},
        "placements": [{"name": "p", "domains": [room]}],
        "detection": "30m",
    }
    if deps:
        out["depends_on"] = deps
    out.update(extra)
    return out


CITY = {
    "id": "city-test",
    "name": "Room fire with a city hall",
    "start": "2025-09-26T20:00:00+09:00",
    "timezone": "Asia/Seoul",
    "horizon": "1d",
    "domains": [
        {"id": "central", "kind": "site"},
        {"id": "room-1", "kind": "room", "parent": "central", "restart_after": False},
        {"id": "room-2", "kind": "room", "parent": "central"},
        {"id": "city", "kind": "site"},
    ],
    "teams": [{"id": "ops", "staff": 2}],
    "systems": [
        # Central systems. room-1 fails from 1h to 11h.
        _sys("auth", "room-1", grade=1, name="Authentication", name_local="인증"),  # down itself
        _sys("c1", "room-1", ["auth"]),  # down itself (and through links: counts as itself)
        _sys("c2", "room-2", ["auth"]),  # down through links
        _sys("c3", "room-2", [{"system": "auth", "kind": "soft", "factor": 0.5}]),  # degraded (0.5 x headroom 1.5 = 75 % served)
        _sys("c4", "room-2"),  # normal
        _sys("c5", "room-1"),  # down itself
        # The city's own systems.
        _sys("own1", "city", ["c2"]),  # down through links
        _sys("own2", "city"),  # normal
        _sys("own3", "city", ["c4"]),  # normal
    ],
    "organizations": [
        {
            "id": "city-hall",
            "name": "City hall",
            "name_local": "시청",
            "uses": ["auth", "c1", "c2", "c3", "c4", "c5"],
            "owns": ["own1", "own2", "own3"],
        },
        {"id": "ministry", "name": "Ministry", "uses": ["c4"], "owns": ["c5"]},
    ],
    "injects": [{"at": "1h", "fail": "room-1", "for": "10h", "id": "fire", "message": "Room 1 is down"}],
}
"""At 2h (truth): city hall uses 6: 1 normal (c4), 3 unreachable (auth, c1, c5), 2 malfunctioning
(c2 through links, c3 degraded); owns 3: 2 normal, 1 malfunctioning (own1 through links).
Ministry uses 1: 1 normal; owns 1: 1 unreachable. From 11h everything is back."""


def city_data() -> dict[str, Any]:
    """A fresh copy of the CITY document."""
    return copy.deepcopy(CITY)


def city_scenario():
    """The CITY scenario, loaded."""
    return scenario_from_data(city_data())
