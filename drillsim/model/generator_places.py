"""The places and organizations of a generated ecosystem (see :mod:`drillsim.model.generator`).

:class:`Places` lays out the region: the national data centers (Daejeon, Gwangju, Daegu) and
regional ones, each with buildings, five floors of server rooms, two UPS rooms per building (A
feeds floors 1-3, B floors 4-5), an internal and a public (DMZ) network zone, an in-center backup
room and an operations team; the Gongju remote backup center and a private cloud. Then the
organizations: central agencies (one per ~700 systems) homed in the national centers and local
governments (one per ~70 systems) homed in the regional ones, with heavy-tailed sizes. Every
random draw comes from the generator's one ``numpy`` Generator, in a fixed order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["Places", "SITE_NAMES", "REGIONAL_SITES"]

_NATIONAL = (("daejeon", "Daejeon", "대전"), ("gwangju", "Gwangju", "광주"), ("daegu", "Daegu", "대구"))
_REGIONAL = (
    ("seoul", "Seoul", "서울"),
    ("busan", "Busan", "부산"),
    ("incheon", "Incheon", "인천"),
    ("suwon", "Suwon", "수원"),
    ("ulsan", "Ulsan", "울산"),
    ("sejong", "Sejong", "세종"),
    ("cheongju", "Cheongju", "청주"),
    ("jeonju", "Jeonju", "전주"),
    ("changwon", "Changwon", "창원"),
    ("chuncheon", "Chuncheon", "춘천"),
    ("pohang", "Pohang", "포항"),
    ("jeju", "Jeju", "제주"),
)
_PROVINCES = (
    ("seoul", "Seoul", "서울"),
    ("busan", "Busan", "부산"),
    ("daegu", "Daegu", "대구"),
    ("incheon", "Incheon", "인천"),
    ("gwangju", "Gwangju", "광주"),
    ("daejeon", "Daejeon", "대전"),
    ("ulsan", "Ulsan", "울산"),
    ("sejong", "Sejong", "세종"),
    ("gyeonggi", "Gyeonggi", "경기"),
    ("gangwon", "Gangwon", "강원"),
    ("chungbuk", "Chungbuk", "충북"),
    ("chungnam", "Chungnam", "충남"),
    ("jeonbuk", "Jeonbuk", "전북"),
    ("jeonnam", "Jeonnam", "전남"),
    ("gyeongbuk", "Gyeongbuk", "경북"),
    ("gyeongnam", "Gyeongnam", "경남"),
    ("jeju", "Jeju", "제주"),
)
_AGENCIES = (
    ("mois", "Ministry of the Interior and Safety", "행정안전부"),
    ("mohw", "Ministry of Health and Welfare", "보건복지부"),
    ("moef", "Ministry of Economy and Finance", "기획재정부"),
    ("molit", "Ministry of Land, Infrastructure and Transport", "국토교통부"),
    ("moe", "Ministry of Education", "교육부"),
    ("moel", "Ministry of Employment and Labor", "고용노동부"),
    ("pps", "Public Procurement Service", "조달청"),
    ("nts", "National Tax Service", "국세청"),
    ("kpost", "Korea Post", "우정사업본부"),
    ("mof", "Ministry of Oceans and Fisheries", "해양수산부"),
    ("me", "Ministry of Environment", "환경부"),
    ("mafra", "Ministry of Agriculture", "농림축산식품부"),
)
_FLOORS = 5
_ROOM_SIZE = 200  # systems per server room, on average

SITE_NAMES = len(_NATIONAL) + len(_REGIONAL)
"""How many data centers can host systems: the national ones, then the regional ones."""
REGIONAL_SITES = len(_REGIONAL)
"""How many regional data centers there can be."""


class Places:
    """The generated domains (region down to rooms), data-center teams and organizations, with their lookups."""

    def __init__(self, systems: int, sites: int, fire_room: str, rng: np.random.Generator):
        self.n = systems
        self.n_sites = sites
        self.fire_room = fire_room
        self.rng = rng
        self.domains: list[dict[str, Any]] = []
        self.teams: list[dict[str, Any]] = []
        self.orgs: list[dict[str, Any]] = []
        self.sites: list[str] = []
        """The data centers hosting systems, national ones first."""
        self.national: list[str] = []
        self.regional: list[str] = []
        self.site_weights = np.zeros(0)
        """Share of the systems each data center hosts."""
        self.rooms: dict[str, list[str]] = {}
        """Data center -> its server rooms."""
        self.room_ups: dict[str, str] = {}
        """Server room -> the UPS room feeding it."""
        self.room_floor: dict[str, int] = {}
        self.fire_site: str | None = None
        """The data center of the fire room (None: the fire room is not a generated room)."""
        self.org_site: list[str] = []
        """Organization -> the data center it is homed in."""
        self.org_central: list[bool] = []
        self.org_weight = np.zeros(0)
        """Organization sizes (heavy-tailed)."""
        self._build_sites()
        self._build_orgs()

    def domain(self, id: str, kind: str, parent: str | None, name: str | None = None, name_local: str | None = None, **extra: Any) -> str:
        """Add a failure domain; its id."""
        entry: dict[str, Any] = {"id": id, "kind": kind}
        if parent is not None:
            entry["parent"] = parent
        if name is not None:
            entry["name"] = name
        if name_local is not None:
            entry["name_local"] = name_local
        entry.update(extra)
        self.domains.append(entry)
        return id

    def _build_sites(self) -> None:
        n_national = min(3, self.n_sites)
        n_regional = self.n_sites - n_national
        specs = list(_NATIONAL[:n_national]) + list(_REGIONAL[:n_regional])
        self.sites = [f"dc-{key}" for key, _, _ in specs]
        self.national = self.sites[:n_national]
        self.regional = self.sites[n_national:]
        weights = np.array([0.16, 0.10, 0.06][:n_national] + [0.68 / max(1, n_regional)] * n_regional)
        if n_regional:
            weights[n_national:] *= self.rng.uniform(0.7, 1.3, n_regional)
        weights /= weights.sum()
        self.site_weights = weights
        self.domain("kr", "region", None, "Republic of Korea", "대한민국")
        self.rooms = {}
        self.room_ups = {}
        self.room_floor = {}
        expected = weights * self.n
        for site, (_key, name, local), count in zip(self.sites, specs, expected):
            kind_name = "national data center" if site in self.national else "regional data center"
            self.domain(site, "site", "kr", f"{name} {kind_name}", f"{local} {'국가' if site in self.national else '지역'}데이터센터")
            ops = f"{site}-ops"
            n_rooms = max(1, math.ceil(count / _ROOM_SIZE))
            if site == self.national[0]:
                n_rooms = max(n_rooms, 8)  # room for the hubs on floors 2-3 and the fire room on floor 5
            buildings = max(1, math.ceil(n_rooms / 20))
            per_floor = max(1, math.ceil(n_rooms / (buildings * _FLOORS)))
            rooms: list[str] = []
            for b in range(1, buildings + 1):
                building = self.domain(f"{site}-b{b}", "building", site, f"{name} building {b}", f"{local} {b}동")
                repair = {"team": ops, "duration": "6h", "staff": 2}
                ups_a = self.domain(f"{building}-ups-a", "ups_room", building, f"{name} b{b} UPS room A (floors 1-3)", None, repair=repair)
                ups_b = self.domain(f"{building}-ups-b", "ups_room", building, f"{name} b{b} UPS room B (floors 4-5)", None, repair=repair)
                for f in range(1, _FLOORS + 1):
                    floor = self.domain(f"{building}-f{f}", "floor", building, f"{name} b{b} floor {f}", f"{local} {b}동 {f}층")
                    for r in range(1, per_floor + 1):
                        room = self.domain(f"{floor}-r{r}", "room", floor, f"{name} server room {b}-{f}-{r}", f"{local} {f}-{r} 전산실")
                        rooms.append(room)
                        self.room_ups[room] = ups_a if f <= 3 else ups_b
                        self.room_floor[room] = f
            self.domain(f"{site}-backup", "room", f"{site}-b1-f1", f"{name} backup storage room", f"{local} 백업실")
            self.domain(f"{site}-nz-int", "network_zone", site, f"{name} internal network", None, repair={"team": ops, "duration": "4h", "staff": 2})
            self.domain(f"{site}-nz-dmz", "network_zone", site, f"{name} public (DMZ) network", None, repair={"team": ops, "duration": "4h", "staff": 2})
            self.rooms[site] = rooms
            self.teams.append({"id": ops, "name": f"{name} data center operations", "staff": max(6, min(40, round(count / 150))), "schedule": "24x7", "call_in": "30m"})
        self.domain("backup-gongju", "site", "kr", "Gongju remote backup center", "공주 원격백업센터")
        self.domain("backup-gongju-vault", "room", "backup-gongju", "Gongju backup vault", "공주 백업 보관실")
        self.domain("private-cloud", "site", "kr", "Private cloud (simple authentication providers)", "민간 클라우드")
        self.domain("private-cloud-r1", "room", "private-cloud", "Private cloud zone 1", None)
        self.domain("private-cloud-r2", "room", "private-cloud", "Private cloud zone 2", None)
        self.fire_site = next((site for site, rooms in self.rooms.items() if self.fire_room in rooms), None)

    def _build_orgs(self) -> None:
        n_central = max(2, round(self.n / 700))
        n_local = max(len(self.regional), round(self.n / 70)) if self.regional else max(1, round(self.n / 70))
        self.org_site = []
        self.org_central = []
        for i in range(n_central):
            if i < len(_AGENCIES):
                key, name, local = _AGENCIES[i]
            else:
                key, name, local = f"agency-{i + 1:02d}", f"Central agency {i + 1}", f"중앙기관 {i + 1}"
            self.orgs.append({"id": key, "name": name, "name_local": local})
            self.org_site.append(self.national[i % len(self.national)])
            self.org_central.append(True)
        homes = self.regional or self.national
        for i in range(n_local):
            key, name, local = _PROVINCES[i % len(_PROVINCES)]
            if i >= len(_PROVINCES):
                k = i // len(_PROVINCES)
                key, name, local = f"{key}-{k:02d}", f"{name} local government {k}", f"{local} 기초자치단체 {k}"
            else:
                key, name, local = f"{key}-metro", f"{name} metropolitan government", f"{local} 광역자치단체"
            self.orgs.append({"id": key, "name": name, "name_local": local})
            self.org_site.append(homes[i % len(homes)])
            self.org_central.append(False)
        # Organization sizes: heavy-tailed (a few big ministries, many small offices).
        self.org_weight = self.rng.pareto(1.5, len(self.orgs)) + 1.0
