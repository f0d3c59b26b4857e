"""A synthetic national-scale ecosystem, for scale tests, benchmarks and SPOF studies.

:func:`generate_ecosystem` builds a scenario *model* document (plain dicts and lists, as a YAML
file would hold) from a seed: the same arguments give the same document, and :func:`dump_yaml`
writes it byte for byte the same. Nothing in it describes a real system; the proportions follow
the public record gathered in ``INCIDENTS.md``:

- **Grades.** About 300 of ~17,000 government systems are grade 1 or 2 (section 5), split 40:68
  like the 709 systems of the Daejeon fire; the rest split 261:340 between grades 3 and 4. Counts
  scale with ``systems`` and are exact (not sampled). Grade-1/2 systems lean towards the national
  centers and towards systems many others depend on (ripple effect is a grading criterion).
- **Places.** A region (``kr``) holds three national data centers (Daejeon, Gwangju, Daegu) and
  regional ones (Seoul, Busan, ...); each site has buildings > five floors > rooms, a network zone
  for internal and one for public-facing (DMZ) systems, and two UPS battery rooms per building, each
  feeding some floors (cross-cutting domains: a replica sits in a room AND a UPS room AND a zone).
  A remote backup center (Gongju) holds off-site copies; a private cloud hosts the private simple
  authentication providers. Every site has an in-center backup room.
- **Hubs.** GPKI certificate authentication (linked to ~1,800 systems at national scale), mobile
  ID, private simple authentication, the road-name address service, administrative information
  sharing, and the center's own infrastructure-monitoring system. Grade-1 systems authenticate
  through ``any_of`` [GPKI, mobile ID, simple authentication] (the 2024 rule: several means for
  grade 1); some grade-2 ones through [GPKI, mobile ID]; the others hard-depend on GPKI alone.
  GPKI is active-active in two rooms that both draw on one UPS room: a hidden single point of
  failure for :mod:`drillsim.model.spof` to find.
- **Dependencies.** Besides the hub links, ``edges`` minus the hub links are drawn at random:
  most point at "platform" systems (~6 %, shared databases, portals, gateways), the rest at other
  applications. Targets are drawn in proportion to a Pareto fitness, so fan-in is heavy-tailed;
  a system only depends on systems earlier in a fixed order, so hard dependencies never cycle.
  70 % are hard, 30 % soft (factor 0.5-0.9).
- **Redundancy and DR.** 60 % of grade-1 and 35 % of grade-2 systems have a second replica
  (half active-active in another room of the site, half an active-standby DR copy at another
  national center); 3 % of grade-3/4 systems have a DR copy. Overall a few percent have DR, as
  in the Daejeon fire (4.3 % server-level DR).
- **Backups.** Every stateful system backs up daily inside its center; 62 % also copy daily to the
  remote backup center, 28 % monthly (offline); 8 % keep only the in-center copy and 2 % have no
  backup at all (validation warns about both: the G-Drive trap).
- **Organizations and teams.** Central agencies (one per ~700 systems) own the systems in the
  national centers; local governments (one per ~70 systems: 244 at national scale, as Korea has
  243) own the regional ones and each uses up to 151 central systems (Sejong's count). Each
  organization has one IT team sized by what it owns (24x7 if it owns a grade-1 system).
- **Fallbacks.** 30 % of public-facing systems of grade 1-3 have a manual fallback (paper intake,
  phone) serving 20-50 % of demand.

The "fire room" (default :data:`FIRE_ROOM`, room 1 on floor 5 of Daejeon's first building) can be
given an exact number of systems (``fire_room_systems``) and an inject that destroys it
(``fire_inject``), for benchmarks that need a fire of a known size. The hubs never sit in it.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from typing import Any

import numpy as np
import yaml

from .diagnostics import DrillsimError

__all__ = [
    "generate_ecosystem",
    "dump_yaml",
    "FIRE_ROOM",
    "HUBS",
    "GPKI_LINKS_AT_SCALE",
    "NATIONAL_SYSTEMS",
    "grade_targets",
    "default_sites",
    "default_edges",
]

NATIONAL_SYSTEMS = 17090
"""The size of the national ecosystem the incidents describe (~17,000 government systems)."""

GPKI_LINKS_AT_SCALE = 1800
"""Systems linked to GPKI at national scale (INCIDENTS.md section 2); scaled with ``systems``."""

HUBS = ("gpki", "mobile-id", "simple-auth", "address", "info-share", "infra-monitoring")
"""Ids of the shared hub systems every generated ecosystem has (they count towards ``systems``)."""

FIRE_ROOM = "dc-daejeon-b1-f5-r1"
"""The room ``fire_room_systems`` and ``fire_inject`` refer to unless ``fire_room`` names another."""

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

_GRADE_12_AT_SCALE = 300  # INCIDENTS.md section 5: ~300 of ~17,000 systems are grade 1-2
_NIRS_SPLIT = (40, 68, 261, 340)  # grade split of the 709 systems of the Daejeon fire
_FLOORS = 5
_ROOM_SIZE = 200  # systems per server room, on average
_PLATFORM_SHARE = 0.06
_HARD_SHARE = 0.35  # of an application's random links; the rest are soft
_HARD_SHARE_PLATFORM = 0.2  # of a platform's random links
_LOCAL_PLATFORM_SHARE = 0.6  # random links to a platform of the dependent's own organization
_APP_TARGET_SHARE = 0.15  # random links to another application of the same organization
_RTO = {1: "4h", 2: "12h", 3: "3d", 4: "7d"}
_RPO = {1: "1h", 2: "4h", 3: "24h", 4: "24h"}
_DEMAND_MEDIAN = {1: 300_000, 2: 50_000, 3: 5_000, 4: 800}


def grade_targets(systems: int) -> dict[int, int]:
    """The exact number of systems of each grade in a generated ecosystem of ``systems`` systems."""
    g12 = max(2, round(_GRADE_12_AT_SCALE * systems / NATIONAL_SYSTEMS))
    g1 = max(1, round(g12 * _NIRS_SPLIT[0] / (_NIRS_SPLIT[0] + _NIRS_SPLIT[1])))
    g2 = g12 - g1
    rest = systems - g12
    g3 = round(rest * _NIRS_SPLIT[2] / (_NIRS_SPLIT[2] + _NIRS_SPLIT[3]))
    return {1: g1, 2: g2, 3: g3, 4: rest - g3}


def default_sites(systems: int) -> int:
    """Data centers hosting systems by default: the three national ones plus one regional per ~4,000 systems."""
    return 3 + min(len(_REGIONAL), round(systems / 4000))


def default_edges(systems: int) -> int:
    """Dependency links by default: three per system."""
    return 3 * systems


def _round_sig(x: float, digits: int = 2) -> int:
    if x <= 0:
        return 0
    scale = 10 ** max(0, int(math.floor(math.log10(x))) - digits + 1)
    return int(round(x / scale) * scale)


class _Builder:
    """Holds the random generator and the growing document while :func:`generate_ecosystem` runs."""

    def __init__(
        self,
        systems: int,
        seed: int,
        edges: int,
        sites: int,
        fire_room: str,
        fire_room_systems: int | None,
        fire_room_leaves: bool,
        fire_inject: bool,
    ):
        self.n = systems
        self.fire_room_leaves = fire_room_leaves
        self.seed = seed
        self.fire_inject = fire_inject
        self.rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EED]))
        self.edges = edges
        self.n_sites = sites
        self.fire_room = fire_room
        self.fire_room_systems = fire_room_systems
        self.domains: list[dict[str, Any]] = []
        self.teams: list[dict[str, Any]] = []
        self.orgs: list[dict[str, Any]] = []

    # -- places -------------------------------------------------------------------------
    def domain(self, id: str, kind: str, parent: str | None, name: str | None = None, name_local: str | None = None, **extra: Any) -> str:
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

    def build_sites(self) -> None:
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
        self.rooms: dict[str, list[str]] = {}
        self.room_ups: dict[str, str] = {}
        self.room_floor: dict[str, int] = {}
        expected = weights * self.n
        for site, (key, name, local), count in zip(self.sites, specs, expected):
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
        all_rooms = {room for rooms in self.rooms.values() for room in rooms}
        if self.fire_room not in all_rooms:
            raise DrillsimError(f"fire room {self.fire_room!r} is not a generated server room (e.g. {FIRE_ROOM!r})")
        self.fire_site = next(site for site, rooms in self.rooms.items() if self.fire_room in rooms)

    # -- organizations ------------------------------------------------------------------
    def build_orgs(self) -> None:
        n_central = max(2, round(self.n / 700))
        n_local = max(len(self.regional), round(self.n / 70)) if self.regional else max(1, round(self.n / 70))
        self.org_site: list[str] = []
        self.org_central: list[bool] = []
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

    # -- systems ------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        self.build_sites()
        self.build_orgs()
        rng = self.rng
        n_hubs = len(HUBS)
        m = self.n - n_hubs  # ordinary systems
        site_index = {s: i for i, s in enumerate(self.sites)}

        # Site, then owner organization among those homed there, then room.
        site_of = rng.choice(len(self.sites), size=m, p=self.site_weights)
        org_of = np.empty(m, dtype=np.int64)
        room_of: list[str] = [""] * m
        orgs_at: dict[int, list[int]] = defaultdict(list)
        for j, site in enumerate(self.org_site):
            orgs_at[site_index[site]].append(j)
        for s in range(len(self.sites)):
            members = np.flatnonzero(site_of == s)
            if not len(members):
                continue
            candidates = orgs_at.get(s)
            if not candidates:  # a site with no organization homed there: any national agency
                candidates = [j for j, c in enumerate(self.org_central) if c]
            w = self.org_weight[candidates]
            org_of[members] = np.asarray(candidates)[rng.choice(len(candidates), size=len(members), p=w / w.sum())]
            rooms = self.rooms[self.sites[s]]
            rw = rng.dirichlet(np.full(len(rooms), 4.0))
            picks = rng.choice(len(rooms), size=len(members), p=rw)
            for idx, r in zip(members.tolist(), picks.tolist()):
                room_of[idx] = rooms[r]
        self.org_of = org_of

        # Fitness (how popular a target a system is), roles and the dependency order.
        fitness = rng.pareto(1.2, m) + 1.0
        n_platform = max(1, round(_PLATFORM_SHARE * m))
        platform = np.zeros(m, dtype=bool)
        platform[rng.choice(m, size=n_platform, replace=False, p=fitness / fitness.sum())] = True

        grades = self.assign_grades(m, fitness, site_of)
        public_p = np.array([0.0, 0.6, 0.5, 0.35, 0.25])[grades]
        public = rng.random(m) < public_p

        ids = [f"sys-{i + 1:05d}" for i in range(m)]
        deps = self.build_dependencies(m, fitness, platform, grades, public, ids)
        self.place_fire_room(site_of, room_of, site_index, deps, ids)

        systems = self.hub_systems()
        systems.extend(self.ordinary_systems(ids, site_of, org_of, room_of, grades, public, platform, deps))
        self.organization_links(ids, org_of, fitness, site_of)

        doc: dict[str, Any] = {
            "id": f"synthetic-ecosystem-{self.n}-s{self.seed}",
            "name": f"Synthetic national ecosystem ({self.n} systems, seed {self.seed})",
            "name_local": f"합성 국가 정보시스템 생태계 ({self.n}개 시스템)",
            "description": (
                "Generated by 'drillsim generate'. Nothing here describes a real system: the shape "
                "(grade shares, hubs, backups, DR share, organizations) follows the public record "
                "summarised in INCIDENTS.md; see drillsim/model/generator.py for every proportion."
            ),
            "start": "2025-09-26T20:15:00+09:00",
            "timezone": "Asia/Seoul",
            "horizon": "30d",
            "monitoring": {"system": "infra-monitoring", "report_delay": "2h"},
            "domains": self.domains,
            "teams": self.teams,
            "systems": systems,
            "organizations": self.orgs,
        }
        if self.fire_inject:
            doc["injects"] = [
                {
                    "at": "0m",
                    "destroy": self.fire_room,
                    "title": "Battery fire",
                    "message": f"A UPS battery fire has broken out in server room {self.fire_room}; the room is lost.",
                },
                {
                    # Without a usable room the rebuilds in place would wait forever: the burned
                    # room is cleaned and refitted (power, cooling, racks) after a week.
                    "at": "7d",
                    "restore": self.fire_room,
                    "title": "Room refitted",
                    "message": f"Server room {self.fire_room} is cleaned and refitted: rebuilt systems can go back in.",
                },
            ]
        return doc

    def place_fire_room(
        self, site_of: np.ndarray, room_of: list[str], site_index: dict[str, int], deps: list[list[Any]], ids: list[str]
    ) -> None:
        """Move systems in or out of the fire room so that exactly ``fire_room_systems`` sit there.

        With ``fire_room_leaves`` only systems nothing depends on may sit there, so a fire takes
        exactly that many systems down (their own dependencies are untouched).
        """
        want = self.fire_room_systems
        if want is None:
            return
        rng = self.rng
        s = site_index[self.fire_site]
        allowed = np.ones(len(room_of), dtype=bool)
        if self.fire_room_leaves:
            index = {sid: i for i, sid in enumerate(ids)}
            for entries in deps:
                for dep in entries:
                    targets = [dep] if isinstance(dep, str) else dep.get("any_of") or [dep["system"]]
                    for target in targets:
                        if target in index:
                            allowed[index[target]] = False
        others = [r for r in self.rooms[self.fire_site] if r != self.fire_room]
        in_room = [i for i, r in enumerate(room_of) if r == self.fire_room]
        evict = [i for i in in_room if not allowed[i]]
        keep = [i for i in in_room if allowed[i]]
        if len(keep) > want:
            evict.extend(rng.choice(keep, size=len(keep) - want, replace=False).tolist())
            keep = []  # count no longer needed
            need = 0
        else:
            need = want - len(keep)
        if evict:
            if not others:
                raise DrillsimError(f"the fire room is the only room of {self.fire_site!r}: it cannot hold fewer systems")
            for i, r in zip(evict, rng.choice(len(others), size=len(evict)).tolist()):
                room_of[i] = others[r]
        if need:
            candidates = np.flatnonzero(allowed & (site_of == s))
            pool = [i for i in candidates.tolist() if room_of[i] != self.fire_room]
            if need > len(pool):
                outside = np.flatnonzero(allowed & (site_of != s)).tolist()
                if need - len(pool) > len(outside):
                    what = "systems nothing depends on" if self.fire_room_leaves else "ordinary systems"
                    raise DrillsimError(f"fire_room_systems={want} is more than the {len(pool) + len(outside) + len(keep)} {what}")
                extra = rng.choice(outside, size=need - len(pool), replace=False)
                site_of[extra] = s
                pool.extend(extra.tolist())
            for i in rng.choice(pool, size=need, replace=False).tolist():
                room_of[i] = self.fire_room

    def assign_grades(self, m: int, fitness: np.ndarray, site_of: np.ndarray) -> np.ndarray:
        """Exact grade counts; grade 1-2 lean to popular systems and to the national centers."""
        targets = grade_targets(self.n)
        hub_grades = {1: 4, 2: 2}  # gpki, mobile-id, address, info-share; simple-auth, infra-monitoring
        g1 = max(0, targets[1] - hub_grades[1])
        g2 = max(0, targets[2] - hub_grades[2])
        g3 = round((m - g1 - g2) * targets[3] / max(1, targets[3] + targets[4]))
        grades = np.full(m, 4, dtype=np.int64)
        national = np.isin(site_of, np.arange(len(self.national)))
        weight = np.sqrt(fitness) * np.where(national, 4.0, 1.0)
        order = self.rng.choice(m, size=min(m, g1 + g2), replace=False, p=weight / weight.sum())
        grades[order[:g1]] = 1
        grades[order[g1:]] = 2
        rest = np.flatnonzero(grades == 4)
        grades[self.rng.choice(rest, size=min(len(rest), g3), replace=False)] = 3
        return grades

    def build_dependencies(
        self, m: int, fitness: np.ndarray, platform: np.ndarray, grades: np.ndarray, public: np.ndarray, ids: list[str]
    ) -> list[list[Any]]:
        """Each ordinary system's ``depends_on`` list: hub links first, then random links."""
        rng = self.rng
        deps: list[list[Any]] = [[] for _ in range(m)]
        scale = self.n / NATIONAL_SYSTEMS
        links = 0

        # Authentication: ~1,800 GPKI users at national scale, grade-1/2 ones first and public-facing ones next.
        n_auth = min(m, max(1, round(GPKI_LINKS_AT_SCALE * scale)))
        key = rng.random(m) + np.where(grades <= 2, 2.0, 0.0) + np.where(public, 1.0, 0.0)
        auth = np.argsort(-key, kind="stable")[:n_auth]
        for i in auth.tolist():
            if grades[i] == 1:
                deps[i].append({"any_of": ["gpki", "mobile-id", "simple-auth"]})
                links += 3
            elif grades[i] == 2 and rng.random() < 0.4:
                deps[i].append({"any_of": ["gpki", "mobile-id"]})
                links += 2
            else:
                deps[i].append("gpki")
                links += 1
        is_auth = np.zeros(m, dtype=bool)
        is_auth[auth] = True
        citizen = np.flatnonzero(public & ~is_auth)
        n_mobile = min(len(citizen), round(0.03 * m))
        for i in rng.choice(citizen, size=n_mobile, replace=False).tolist():
            deps[i].append({"any_of": ["mobile-id", "simple-auth"]})
            links += 2
        # Road-name address and information sharing: a few hard users, more soft ones.
        for hub, hard_share, soft_share, factor in (("address", 0.005, 0.04, 0.6), ("info-share", 0.02, 0.04, 0.5)):
            users = rng.choice(m, size=min(m, round((hard_share + soft_share) * m)), replace=False)
            n_hard = round(hard_share * m)
            for k, i in enumerate(users.tolist()):
                deps[i].append(hub if k < n_hard else {"system": hub, "kind": "soft", "factor": factor})
                links += 1
        self.hub_links = links

        random_links = self.edges - links
        if random_links < 0:
            raise DrillsimError(
                f"edges={self.edges} is fewer than the {links} links to the hub systems alone: ask for at least {links}"
            )
        if random_links == 0:
            return deps

        # The dependency order: platforms first (most popular first), then applications. A system
        # only depends on systems before it, so hard dependencies never form a cycle.
        order = np.lexsort((-fitness, ~platform))
        rank = np.empty(m, dtype=np.int64)
        rank[order] = np.arange(m)
        org_of = self.org_of

        def pool(members: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """Candidates sorted by rank, their ranks, and cumulative weights."""
            members = members[np.argsort(rank[members], kind="stable")]
            return members, rank[members], np.cumsum(weight[members])

        def draw(p: tuple[np.ndarray, np.ndarray, np.ndarray], r: np.ndarray, u: np.ndarray) -> np.ndarray:
            """For each dependent rank r, a candidate before it drawn by weight (-1 where there is none)."""
            members, ranks, cum = p
            if not len(members):
                return np.full(len(r), -1, dtype=np.int64)
            lim = np.searchsorted(ranks, r, side="left")
            out = np.full(len(r), -1, dtype=np.int64)
            ok = lim > 0
            if ok.any():
                k = np.searchsorted(cum, u[ok] * cum[lim[ok] - 1], side="right")
                out[ok] = members[np.minimum(k, lim[ok] - 1)]
            return out

        target_weight = np.minimum(fitness, 100.0)  # heavy tail, but no ordinary system outgrows the hubs
        all_platforms = pool(np.flatnonzero(platform), target_weight)
        org_platforms = {o: pool(np.flatnonzero(platform & (org_of == o)), target_weight) for o in np.unique(org_of).tolist()}
        org_apps = {o: pool(np.flatnonzero(~platform & (org_of == o)), np.sqrt(target_weight)) for o in np.unique(org_of).tolist()}
        # Dependents: applications mostly; platforms depend on other platforms less often.
        dep_weight = np.where(platform, 0.3, 1.0)
        dep_p = dep_weight / dep_weight.sum()

        chosen = np.empty(0, dtype=np.int64)
        want = random_links
        for _ in range(50):
            k = int((want - len(chosen)) * 1.2) + 16
            d = rng.choice(m, size=k, p=dep_p)
            cls = rng.choice(3, size=k, p=[_LOCAL_PLATFORM_SHARE, 1 - _LOCAL_PLATFORM_SHARE - _APP_TARGET_SHARE, _APP_TARGET_SHARE])
            u = rng.random(k)
            r = rank[d]
            t = np.full(k, -1, dtype=np.int64)
            for o in np.unique(org_of[d]).tolist():
                here = org_of[d] == o
                local = here & (cls == 0)
                if local.any():
                    t[local] = draw(org_platforms[o], r[local], u[local])
                apps = here & (cls == 2)
                if apps.any():
                    t[apps] = draw(org_apps[o], r[apps], u[apps])
            rest = t < 0  # global draws, and local ones that found nothing before the dependent
            t[rest] = draw(all_platforms, r[rest], u[rest])
            keep = t >= 0
            chosen = np.unique(np.concatenate([chosen, d[keep] * m + t[keep]]))
            if len(chosen) >= want:
                break
        if len(chosen) < want:
            raise DrillsimError(f"could not draw {want} distinct dependency links among {m} systems: ask for fewer edges")
        chosen = np.sort(rng.choice(chosen, size=want, replace=False))
        d_all = chosen // m
        hard = rng.random(want) < np.where(platform[d_all], _HARD_SHARE_PLATFORM, _HARD_SHARE)
        factors = rng.choice(np.array([0.5, 0.6, 0.7, 0.8, 0.9]), size=want)
        for pair, h, f in zip(chosen.tolist(), hard.tolist(), factors.tolist()):
            src, dst = divmod(pair, m)
            if h:
                deps[src].append(ids[dst])
            else:
                deps[src].append({"system": ids[dst], "kind": "soft", "factor": f})
        return deps

    def hub_systems(self) -> list[dict[str, Any]]:
        """The shared hubs, placed in Daejeon (floors 2-3, never the fire room) and the private cloud."""
        site = self.national[0]
        rooms = [r for r in self.rooms[site] if r != self.fire_room]
        by_floor: dict[int, list[str]] = defaultdict(list)
        for r in rooms:
            by_floor[self.room_floor[r]].append(r)
        r2 = by_floor.get(2, rooms)[0]
        r3 = by_floor.get(3, rooms)[0]
        r3b = (by_floor.get(3, []) + by_floor.get(1, []) + rooms)[1 if len(by_floor.get(3, [])) > 1 else 0]
        zone_int, zone_dmz = f"{site}-nz-int", f"{site}-nz-dmz"
        ops = f"{site}-ops"
        owner = self.teams_for_hubs()

        def place(room: str, zone: str, name: str | None = None) -> dict[str, Any]:
            placement: dict[str, Any] = {"name": name} if name else {}
            placement["domains"] = [room, self.room_ups[room], zone]
            return placement

        daily = [{"every": "1d", "in": [f"{site}-backup"]}, {"every": "1d", "in": ["backup-gongju"]}]
        other = self.national[1] if len(self.national) > 1 else None
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
                + ([{"name": "dr", "domains": [self.rooms[other][0], self.room_ups[self.rooms[other][0]], f"{other}-nz-dmz"]}] if other else []),
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

    def teams_for_hubs(self) -> str:
        self.teams.append({"id": "simple-auth-vendors", "name": "Simple authentication providers", "staff": 10, "schedule": "24x7", "call_in": "30m"})
        return "mois-it"  # the first central agency's team (created in organization_links)

    def ordinary_systems(
        self,
        ids: list[str],
        site_of: np.ndarray,
        org_of: np.ndarray,
        room_of: list[str],
        grades: np.ndarray,
        public: np.ndarray,
        platform: np.ndarray,
        deps: list[list[Any]],
    ) -> list[dict[str, Any]]:
        rng = self.rng
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
            site = self.sites[int(site_of[i])]
            org = int(org_of[i])
            room = room_of[i]
            zone = f"{site}-{'nz-dmz' if public[i] else 'nz-int'}"
            counters[org] += 1
            fname, flocal = _FUNCTIONS[int(func[i])]
            org_entry = self.orgs[org]
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
            primary: dict[str, Any] = {"domains": [room, self.room_ups[room], zone]}
            placements = [primary]
            recovery: list[dict[str, Any]] = []
            data: dict[str, Any] = {}
            if redundancy_roll[i] < redundancy_p[i]:
                if g <= 2 and aa_roll[i] < 0.5:
                    rooms = [r for r in self.rooms[site] if r != room]
                    if rooms:
                        other_room = rooms[int(second_room[i] * len(rooms))]
                        placements = [{"name": "a", **primary}, {"name": "b", "domains": [other_room, self.room_ups[other_room], zone]}]
                        entry["redundancy"] = "active-active"
                else:
                    dr_sites = [s for s in self.national if s != site] or [s for s in self.sites if s != site]
                    if dr_sites:
                        dr_site = dr_sites[int(dr_site_pick[i]) % len(dr_sites)]
                        dr_room = self.rooms[dr_site][int(second_room[i] * len(self.rooms[dr_site]))]
                        placements = [
                            {"name": "primary", **primary},
                            {"name": "dr", "domains": [dr_room, self.room_ups[dr_room], f"{dr_site}-{'nz-dmz' if public[i] else 'nz-int'}"]},
                        ]
                        entry["redundancy"] = {"mode": "active-standby", "switchover": "30m", "success": 0.9}
                        data["replication"] = {"to": "dr", "lag": "15m"}
                        recovery.append({"kind": "failover", "duration": "1h"})
            entry["placements"] = placements
            if not stateless[i]:
                data["size"] = f"{max(1, round(float(size_gb[i])))}GB"
                roll = backup_roll[i]
                if roll < 0.98:
                    backups = [{"every": "1d", "in": [f"{site}-backup"]}]
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
        self.grades = grades
        return out

    def organization_links(self, ids: list[str], org_of: np.ndarray, fitness: np.ndarray, site_of: np.ndarray) -> None:
        """``owns`` and ``uses`` lists, and one IT team per organization sized by what it owns."""
        rng = self.rng
        owned: dict[int, list[int]] = defaultdict(list)
        for i, org in enumerate(org_of.tolist()):
            owned[org].append(i)
        central_systems = np.flatnonzero(np.isin(site_of, np.arange(len(self.national))))
        cw = fitness[central_systems]
        cw = cw / cw.sum() if len(cw) else cw
        for j, org in enumerate(self.orgs):
            mine = owned.get(j, [])
            if j == 0:
                org["owns"] = [h for h in HUBS if h not in ("simple-auth", "infra-monitoring")] + [ids[i] for i in mine]
            else:
                org["owns"] = [ids[i] for i in mine]
            if self.org_central[j]:
                org["uses"] = ["gpki", "mobile-id", "info-share"]
            else:
                k = min(151, len(central_systems))
                picked: list[int] = np.sort(rng.choice(central_systems, size=k, replace=False, p=cw)).tolist() if k else []
                org["uses"] = ["gpki", "mobile-id", "address", "info-share"] + [ids[i] for i in picked]
            grade_one = any(self.grades[i] == 1 for i in mine) or j == 0
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
                team["call_in"] = "1h" if self.org_central[j] else "2h"
            if len(mine) > 100:
                team["mutual_aid"] = {"staff": max(2, team["staff"] // 2), "after": "2d"}
            self.teams.append(team)


def generate_ecosystem(
    systems: int = NATIONAL_SYSTEMS,
    seed: int = 0,
    *,
    edges: int | None = None,
    sites: int | None = None,
    fire_room: str = FIRE_ROOM,
    fire_room_systems: int | None = None,
    fire_room_leaves: bool = False,
    fire_inject: bool = False,
) -> dict[str, Any]:
    """A synthetic ecosystem document (see the module docstring for its structure).

    Args:
        systems: total number of systems, hubs included (at least 50).
        seed: seed of the numpy Generator; the same arguments give the same document.
        edges: total dependency links, each ``any_of`` alternative counting as one (default
            :func:`default_edges`); must cover the hub links (about 0.3 per system).
        sites: data centers hosting systems, national ones first (default :func:`default_sites`,
            1 to 15); a remote backup center and a private cloud come on top.
        fire_room: the server room ``fire_room_systems`` and ``fire_inject`` refer to.
        fire_room_systems: if set, exactly this many systems have their primary placement in the
            fire room (their dependents are hit too: see ``drillsim spof``).
        fire_room_leaves: with ``fire_room_systems``, only systems nothing depends on sit in the
            fire room, so its fire takes down exactly ``fire_room_systems`` systems.
        fire_inject: add an inject destroying the fire room at time 0.

    Raises:
        DrillsimError: on arguments out of range.
    """
    if isinstance(systems, bool) or not isinstance(systems, int) or systems < 50:
        raise DrillsimError(f"systems must be a whole number of at least 50, got {systems!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise DrillsimError(f"seed must be a non-negative whole number, got {seed!r}")
    if sites is None:
        sites = default_sites(systems)
    if not 1 <= sites <= len(_NATIONAL) + len(_REGIONAL):
        raise DrillsimError(f"sites must be between 1 and {len(_NATIONAL) + len(_REGIONAL)}, got {sites!r}")
    if edges is None:
        edges = default_edges(systems)
    if edges < 0:
        raise DrillsimError(f"edges must not be negative, got {edges!r}")
    if fire_room_systems is not None and not 0 <= fire_room_systems <= systems - len(HUBS):
        raise DrillsimError(f"fire_room_systems must be between 0 and {systems - len(HUBS)}, got {fire_room_systems!r}")
    return _Builder(systems, seed, edges, sites, fire_room, fire_room_systems, fire_room_leaves, fire_inject).build()


# -- writing ----------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./+-]*$")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_scalar_cache: dict[str, str] = {}


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write {value!r}")
        return repr(value)
    text = str(value)
    cached = _scalar_cache.get(text)
    if cached is None:
        if _PLAIN.match(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:  # type: ignore[no-untyped-call]
            cached = text
        else:
            cached = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
        if len(_scalar_cache) < 100_000:
            _scalar_cache[text] = cached
    return cached


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _one_line(value: Any) -> str | None:
    """Flow style for a small leaf collection (scalars, or a mapping of scalars and lists of scalars), else None."""
    if isinstance(value, dict):
        for v in value.values():
            if isinstance(v, dict) or isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
                return None
    elif isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return None
    text = _flow(value)
    return text if len(text) <= 100 else None


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Append block-style lines for a mapping or a sequence (small leaf collections in flow style)."""
    if isinstance(value, dict):
        for key, item in value.items():
            k = _scalar(key)
            if isinstance(item, (dict, list)) and item:
                line = _one_line(item)
                if line is None:
                    out.append(f"{indent}{k}:")
                    _emit(item, indent + "  ", out)
                else:
                    out.append(f"{indent}{k}: {line}")
            else:
                out.append(f"{indent}{k}: {_flow(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                line = _one_line(item)
                if line is None:
                    lines: list[str] = []
                    _emit(item, indent + "  ", lines)
                    lines[0] = f"{indent}- " + lines[0][len(indent) + 2:]
                    out.extend(lines)
                else:
                    out.append(f"{indent}- {line}")
            else:
                out.append(f"{indent}- {_flow(item)}")


def dump_yaml(document: dict[str, Any], header: str | None = None) -> str:
    """The document as YAML text: block style, one-line flow style for small leaf collections.

    Deterministic (the same document gives the same bytes, with or without libyaml) and fast
    (a 17,000-system model in well under a second); ``yaml.safe_load`` of the text gives the
    document back.
    """
    out: list[str] = []
    if header:
        out.extend(f"# {line}".rstrip() for line in header.splitlines())
    _emit(document, "", out)
    return "\n".join(out) + "\n"
