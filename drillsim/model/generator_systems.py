"""The systems of a generated ecosystem (see :mod:`drillsim.model.generator`).

- :func:`hub_systems`: the shared hubs (GPKI, mobile ID, private simple authentication, the
  road-name address service, administrative information sharing, infrastructure monitoring),
  placed in the first national center (never in the fire room) and the private cloud;
- :func:`ordinary_systems`: every other system's entry: demand, RTO and RPO by grade, its
  placement (room, UPS room, network zone), redundancy (active-active in another room, or an
  active-standby DR copy at another center), backups, recovery steps and manual fallback;
- :func:`organization_links`: what each organization owns and uses, and its IT team.

Every random draw comes from the generator's one ``numpy`` Generator, in a fixed order, so the
same arguments give the same document.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from .generator_places import Places

__all__ = ["hub_systems", "ordinary_systems", "organization_links"]

_FUNCTIONS = (
    ("civil petitions", "민원"),
    ("welfare", "복지"),
    ("tax", "세무"),
    ("land registry", "토지"),
    ("vehicle registry", "자동차"),
    ("procurement", "조달"),
    ("document approval", "전자결재"),
    ("mail", "메일"),
    ("personnel", "인사"),
    ("finance", "재정"),
    ("statistics", "통계"),
    ("health", "보건"),
    ("safety reports", "안전신고"),
    ("education", "교육"),
    ("environment", "환경"),
    ("transport", "교통"),
    ("water supply", "상수도"),
    ("permits", "인허가"),
    ("records", "기록관리"),
    ("portal", "포털"),
)
_RTO = {1: "4h", 2: "12h", 3: "3d", 4: "7d"}
_RPO = {1: "1h", 2: "4h", 3: "24h", 4: "24h"}
_DEMAND_MEDIAN = {1: 300_000, 2: 50_000, 3: 5_000, 4: 800}


def _round_sig(x: float, digits: int = 2) -> int:
    if x <= 0:
        return 0
    scale = 10 ** max(0, int(math.floor(math.log10(x))) - digits + 1)
    return int(round(x / scale) * scale)


def hub_systems(places: Places) -> list[dict[str, Any]]:
    """The shared hubs, placed in Daejeon (floors 2-3, never the fire room) and the private cloud (adds the simple-authentication vendors' team)."""
    site = places.national[0]
    rooms = [r for r in places.rooms[site] if r != places.fire_room]
    by_floor: dict[int, list[str]] = defaultdict(list)
    for r in rooms:
        by_floor[places.room_floor[r]].append(r)
    r2 = by_floor.get(2, rooms)[0]
    r3 = by_floor.get(3, rooms)[0]
    r3b = (by_floor.get(3, []) + by_floor.get(1, []) + rooms)[1 if len(by_floor.get(3, [])) > 1 else 0]
    zone_int, zone_dmz = f"{site}-nz-int", f"{site}-nz-dmz"
    ops = f"{site}-ops"
    owner = _teams_for_hubs(places)

    def place(room: str, zone: str, name: str | None = None) -> dict[str, Any]:
        placement: dict[str, Any] = {"name": name} if name else {}
        placement["domains"] = [room, places.room_ups[room], zone]
        return placement

    daily = [{"every": "1d", "in": [f"{site}-backup"]}, {"every": "1d", "in": ["backup-gongju"]}]
    other = places.national[1] if len(places.national) > 1 else None
    hubs = [
        {
            "id": "gpki",
            "name": "GPKI certificate authentication",
            "name_local": "행정전자서명(GPKI) 인증",
            "grade": 1,
            "team": owner,
            "demand": {"per_day": 2_000_000, "profile": "office"},
            "rto": "2h",
            "rpo": "15m",
            "placements": [place(r2, zone_int, name="a"), place(r3, zone_int, name="b")],
            "redundancy": "active-active",
            "data": {"size": "2TB", "backups": daily},
            "recovery": [{"kind": "restart", "duration": "2h", "staff": 2}, {"kind": "rebuild", "lead_time": "14d", "duration": "3d", "staff": 3}],
        },
        {
            "id": "mobile-id",
            "name": "Mobile ID",
            "name_local": "모바일 신분증",
            "grade": 1,
            "team": owner,
            "demand": {"per_day": 1_000_000, "profile": "citizen"},
            "rto": "4h",
            "rpo": "1h",
            "placements": [place(r3b, zone_dmz)],
            "data": {"size": "5TB", "backups": daily},
            "recovery": [{"kind": "restart", "duration": "3h", "staff": 2}, {"kind": "rebuild", "lead_time": "14d", "duration": "5d", "staff": 3}],
        },
        {
            "id": "simple-auth",
            "name": "Private simple authentication (Kakao, Naver, PASS)",
            "name_local": "민간 간편인증",
            "grade": 2,
            "team": "simple-auth-vendors",
            "demand": {"per_day": 3_000_000, "profile": "citizen"},
            "rto": "4h",
            "rpo": "1h",
            "placements": [{"name": "zone1", "domains": ["private-cloud-r1"]}, {"name": "zone2", "domains": ["private-cloud-r2"]}],
            "redundancy": "active-active",
            "recovery": [{"kind": "restart", "duration": "1h"}],
        },
        {
            "id": "address",
            "name": "Road-name address service",
            "name_local": "도로명주소",
            "grade": 1,
            "team": owner,
            "demand": {"per_day": 500_000, "profile": "office"},
            "rto": "4h",
            "rpo": "24h",
            "placements": [place(r3, zone_dmz, name="primary")]
            + ([{"name": "dr", "domains": [places.rooms[other][0], places.room_ups[places.rooms[other][0]], f"{other}-nz-dmz"]}] if other else []),
            "redundancy": {"mode": "active-standby", "switchover": "30m", "success": 0.9} if other else "none",
            "data": {"size": "500GB", "backups": daily, **({"replication": {"to": "dr", "lag": "15m"}} if other else {})},
            "recovery": ([{"kind": "failover", "duration": "30m"}] if other else []) + [{"kind": "restart", "duration": "2h"}],
        },
        {
            "id": "info-share",
            "name": "Administrative information sharing",
            "name_local": "행정정보공동이용",
            "grade": 1,
            "team": owner,
            "demand": {"per_day": 800_000, "profile": "office"},
            "rto": "4h",
            "rpo": "1h",
            "placements": [place(r2, zone_int)],
            "data": {"size": "20TB", "backups": daily},
            "recovery": [{"kind": "restart", "duration": "3h", "staff": 2}, {"kind": "rebuild", "lead_time": "14d", "duration": "5d", "staff": 3}],
        },
        {
            "id": "infra-monitoring",
            "name": "Data-center infrastructure management",
            "name_local": "기반시설 관리시스템",
            "grade": 2,
            "team": ops,
            "demand": {"per_day": 1000, "profile": "flat", "unit": "operator checks"},
            "rto": "12h",
            "rpo": "24h",
            "placements": [place(r3, zone_int)],
            "data": {"size": "200GB", "backups": [{"every": "1d", "in": [f"{site}-backup"]}]},
            "recovery": [{"kind": "restart", "duration": "2h"}],
        },
    ]
    return hubs

def _teams_for_hubs(places: Places) -> str:
    places.teams.append({"id": "simple-auth-vendors", "name": "Simple authentication providers", "staff": 10, "schedule": "24x7", "call_in": "30m"})
    return "mois-it"  # the first central agency's team (created in organization_links)

def ordinary_systems(
    rng: np.random.Generator,
    places: Places,
    ids: list[str],
    site_of: np.ndarray,
    org_of: np.ndarray,
    room_of: list[str],
    grades: np.ndarray,
    public: np.ndarray,
    platform: np.ndarray,
    deps: list[list[Any]],
) -> list[dict[str, Any]]:
    """The ordinary systems' entries: demand, RTO/RPO by grade, placements, redundancy, backups, recovery, fallbacks."""
    m = len(ids)
    # Everything random is drawn up front, in a fixed order, so the document is stable.
    demand = rng.lognormal(0.0, 1.0, m) * np.array([0, *_DEMAND_MEDIAN.values()])[grades]
    size_gb = rng.lognormal(np.log(200.0), 1.2, m) * np.where(grades <= 2, 4.0, 1.0)
    redundancy_roll = rng.random(m)
    aa_roll = rng.random(m)
    backup_roll = rng.random(m)
    stateless = rng.random(m) < 0.05
    fallback_roll = rng.random(m)
    fallback_share = rng.choice(np.array([0.2, 0.3, 0.4, 0.5]), size=m)
    func = rng.integers(0, len(_FUNCTIONS), m)
    second_room = rng.random(m)
    dr_site_pick = rng.integers(0, 1 << 30, m)
    redundancy_p = np.array([0.0, 0.6, 0.35, 0.03, 0.03])[grades]
    out = []
    counters: dict[int, int] = defaultdict(int)
    for i in range(m):
        g = int(grades[i])
        site = places.sites[int(site_of[i])]
        org = int(org_of[i])
        room = room_of[i]
        zone = f"{site}-{'nz-dmz' if public[i] else 'nz-int'}"
        counters[org] += 1
        fname, flocal = _FUNCTIONS[int(func[i])]
        org_entry = places.orgs[org]
        entry: dict[str, Any] = {
            "id": ids[i],
            "name": f"{org_entry['name']}: {fname}{' platform' if platform[i] else ''} #{counters[org]}",
            "name_local": f"{org_entry['name_local']} {flocal}{' 공통기반' if platform[i] else ''} {counters[org]}",
            "grade": g,
            "team": f"{org_entry['id']}-it",
            "demand": {"per_day": max(10, _round_sig(float(demand[i]))), "profile": "citizen" if public[i] else "office"},
            "rto": _RTO[g],
            "rpo": _RPO[g],
        }
        primary: dict[str, Any] = {"domains": [room, places.room_ups[room], zone]}
        placements = [primary]
        recovery: list[dict[str, Any]] = []
        data: dict[str, Any] = {}
        if redundancy_roll[i] < redundancy_p[i]:
            if g <= 2 and aa_roll[i] < 0.5:
                rooms = [r for r in places.rooms[site] if r != room]
                if rooms:
                    other_room = rooms[int(second_room[i] * len(rooms))]
                    placements = [{"name": "a", **primary}, {"name": "b", "domains": [other_room, places.room_ups[other_room], zone]}]
                    entry["redundancy"] = "active-active"
            else:
                dr_sites = [s for s in places.national if s != site] or [s for s in places.sites if s != site]
                if dr_sites:
                    dr_site = dr_sites[int(dr_site_pick[i]) % len(dr_sites)]
                    dr_room = places.rooms[dr_site][int(second_room[i] * len(places.rooms[dr_site]))]
                    placements = [
                        {"name": "primary", **primary},
                        {"name": "dr", "domains": [dr_room, places.room_ups[dr_room], f"{dr_site}-{'nz-dmz' if public[i] else 'nz-int'}"]},
                    ]
                    entry["redundancy"] = {"mode": "active-standby", "switchover": "30m", "success": 0.9}
                    data["replication"] = {"to": "dr", "lag": "15m"}
                    recovery.append({"kind": "failover", "duration": "1h"})
        entry["placements"] = placements
        if not stateless[i]:
            data["size"] = f"{max(1, round(float(size_gb[i])))}GB"
            roll = backup_roll[i]
            if roll < 0.98:
                backups: list[dict[str, Any]] = [{"every": "1d", "in": [f"{site}-backup"]}]
                if roll < 0.62:
                    backups.append({"every": "1d", "in": ["backup-gongju"]})
                elif roll < 0.90:
                    backups.append({"every": "30d", "in": ["backup-gongju-vault"], "name": "monthly offline"})
                data["backups"] = backups
        if data:
            entry["data"] = {k: data[k] for k in ("size", "replication", "backups") if k in data}
        if deps[i]:
            entry["depends_on"] = deps[i]
        recovery.append({"kind": "restart", "duration": "2h" if g <= 2 else "4h"})
        recovery.append({"kind": "rebuild", "lead_time": "14d", "duration": "2d" if g <= 2 else "3d", "staff": 2})
        entry["recovery"] = recovery
        if public[i] and g <= 3 and fallback_roll[i] < 0.3:
            entry["fallback"] = {
                "activation": "4h",
                "staff": 2,
                "share": float(fallback_share[i]),
                "reentry": "5m",
                "label": "paper intake and phone at the counter",
            }
        out.append(entry)
    return out

def organization_links(
    rng: np.random.Generator,
    places: Places,
    hubs: tuple[str, ...],
    ids: list[str],
    org_of: np.ndarray,
    fitness: np.ndarray,
    site_of: np.ndarray,
    grades: np.ndarray,
) -> None:
    """``owns`` and ``uses`` lists, and one IT team per organization sized by what it owns."""
    owned: dict[int, list[int]] = defaultdict(list)
    for i, org in enumerate(org_of.tolist()):
        owned[org].append(i)
    central_systems = np.flatnonzero(np.isin(site_of, np.arange(len(places.national))))
    cw = fitness[central_systems]
    cw = cw / cw.sum() if len(cw) else cw
    for j, org in enumerate(places.orgs):
        mine = owned.get(j, [])
        if j == 0:
            org["owns"] = [h for h in hubs if h not in ("simple-auth", "infra-monitoring")] + [ids[i] for i in mine]
        else:
            org["owns"] = [ids[i] for i in mine]
        if places.org_central[j]:
            org["uses"] = ["gpki", "mobile-id", "info-share"]
        else:
            k = min(151, len(central_systems))
            picked: Any = np.sort(rng.choice(central_systems, size=k, replace=False, p=cw)) if k else []
            org["uses"] = ["gpki", "mobile-id", "address", "info-share"] + [ids[i] for i in picked]
        grade_one = any(grades[i] == 1 for i in mine) or j == 0
        team: dict[str, Any] = {
            "id": f"{org['id']}-it",
            "name": f"{org['name']} IT team",
            "name_local": f"{org['name_local']} 정보화 담당",
            "staff": int(max(2, min(60, round(2 + len(mine) / 6)))),
        }
        if grade_one:
            team["schedule"] = "24x7"
            team["call_in"] = "30m"
        else:
            team["schedule"] = "business-hours"
            team["call_in"] = "1h" if places.org_central[j] else "2h"
        if len(mine) > 100:
            team["mutual_aid"] = {"staff": max(2, team["staff"] // 2), "after": "2d"}
        places.teams.append(team)
