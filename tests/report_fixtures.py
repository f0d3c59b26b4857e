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


EVIL = '<script>alert("x")</script> & \'quotes\''
"""A system name that must come out escaped in HTML and Markdown."""

FIRE = {
    "id": "fire-test",
    "name": "Fire with a lost drive",
    "name_local": "화재 훈련",
    "start": "2025-09-26T20:00:00+09:00",
    "timezone": "Asia/Seoul",
    "horizon": "5d",
    "sources": ["https://example.org/report?a=1&b=2", "javascript:alert(1)"],
    "domains": [
        {"id": "hq", "kind": "site", "name": "HQ"},
        {"id": "room-a", "kind": "room", "parent": "hq", "name": "Room A"},
        {"id": "dr", "kind": "site", "name": "DR site"},
        {"id": "dr-room", "kind": "room", "parent": "dr"},
        {"id": "vault", "kind": "site", "name": "Vault"},
    ],
    "teams": [{"id": "ops", "name": "Operations", "name_local": "운영팀", "staff": 4}, {"id": "desk", "name": "Front desk", "staff": 4}],
    "systems": [
        _sys("auth", "room-a", grade=1, rto="2h", rpo="1h", name="Login",
             data={"size": "10GB", "backups": [{"every": "1d", "in": ["vault"], "restore_rate": "100GB/h"}]},
             recovery=[{"kind": "restore", "target": ["dr-room"], "staff": 1, "duration": "3h"}]),
        _sys("portal", "room-a", ["auth"], grade=1, rto="2h", name=EVIL, name_local="민원 포털",
             recovery=[{"kind": "restore", "target": ["dr-room"], "staff": 1, "duration": "1h"}],
             data={"size": "10GB", "backups": [{"every": "1d", "in": ["vault"]}]}),
        _sys("drive", "room-a", grade=2, rto="1d", name="Cloud drive",
             data={"size": "800TB"}, recovery=[{"kind": "rebuild", "lead_time": "2d", "staff": 1, "duration": "4h"}]),
        _sys("docs", "room-a", grade=3, rto="12h", name="Documents", data={"size": "1GB", "backups": [{"every": "1d", "in": ["vault"]}]},
             recovery=[{"kind": "restore", "target": ["dr-room"], "staff": 1, "duration": "2h"}],
             fallback={"activation": "1h", "staff": 1, "team": "desk", "share": 0.5, "label": "paper forms"}),
        _sys("app1", "dr-room", ["auth"], grade=3, rto="1d"),
        _sys("app2", "dr-room", ["auth"], grade=3, rto="1d"),
        _sys("app3", "dr-room", ["auth"], grade=4, rto="1d"),
    ],
    "organizations": [{"id": "city", "name": "City", "name_local": "시청", "uses": ["auth", "portal", "drive"], "owns": ["app1", "app2"]}],
    "injects": [
        {"at": "0m", "destroy": "room-a", "id": "fire", "message": "Fire in room A"},
        {"at": "3h", "restore": "room-a", "message": "The fire is out"},
    ],
}
"""A fire destroys room A: the drive's only copy burns (lost for good), Login is a shared
dependency of three DR-site apps (a single point of failure), Documents has a paper fallback."""


def fire_data() -> dict[str, Any]:
    """A fresh copy of the FIRE document."""
    return copy.deepcopy(FIRE)


def fire_scenario():
    """The FIRE scenario, loaded."""
    return scenario_from_data(fire_data())
