"""A synthetic national-scale ecosystem, for scale tests, benchmarks and SPOF studies.

:func:`generate_ecosystem` builds a scenario *model* document (plain dicts and lists, as a YAML
file would hold) from a seed: the same arguments give the same document, and :func:`dump_yaml`
writes it byte for byte the same. Nothing in it describes a real system; the proportions follow
the public record summarised in ``docs/incidents.md``:

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

from collections import defaultdict
from typing import Any

import numpy as np

from .diagnostics import DrillsimError
from .generator_links import build_dependencies
from .generator_places import REGIONAL_SITES, SITE_NAMES, Places
from .generator_systems import hub_systems, ordinary_systems, organization_links
from .yaml_writer import dump_yaml

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
"""Systems linked to GPKI at national scale (docs/incidents.md, section 2); scaled with ``systems``."""

HUBS = ("gpki", "mobile-id", "simple-auth", "address", "info-share", "infra-monitoring")
"""Ids of the shared hub systems every generated ecosystem has (they count towards ``systems``)."""

FIRE_ROOM = "dc-daejeon-b1-f5-r1"
"""The room ``fire_room_systems`` and ``fire_inject`` refer to unless ``fire_room`` names another."""

_GRADE_12_AT_SCALE = 300  # docs/incidents.md, section 5: ~300 of ~17,000 systems are grade 1-2
_NIRS_SPLIT = (40, 68, 261, 340)  # grade split of the 709 systems of the Daejeon fire
_PLATFORM_SHARE = 0.06  # of the ordinary systems: shared databases, portals, gateways

# The document is built by parts: places and organizations (.generator_places), dependency links
# (.generator_links), systems and what organizations own and use (.generator_systems); written by
# .yaml_writer.


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
    return 3 + min(REGIONAL_SITES, round(systems / 4000))


def default_edges(systems: int) -> int:
    """Dependency links by default: three per system."""
    return 3 * systems


class _Builder:
    """Holds the arguments and the random generator while :func:`generate_ecosystem` runs, and assembles the document."""

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
        self.places: Places | None = None

    def build(self) -> dict[str, Any]:
        """The document: places and organizations, then systems, their links and owners."""
        p = self.places = Places(self.n, self.n_sites, self.fire_room, self.rng)
        if p.fire_site is None:
            raise DrillsimError(f"fire room {self.fire_room!r} is not a generated server room (e.g. {FIRE_ROOM!r})")
        rng = self.rng
        n_hubs = len(HUBS)
        m = self.n - n_hubs  # ordinary systems
        site_index = {s: i for i, s in enumerate(p.sites)}

        # Site, then owner organization among those homed there, then room.
        site_of = rng.choice(len(p.sites), size=m, p=p.site_weights)
        org_of = np.empty(m, dtype=np.int64)
        room_of: list[str] = [""] * m
        orgs_at: dict[int, list[int]] = defaultdict(list)
        for j, site in enumerate(p.org_site):
            orgs_at[site_index[site]].append(j)
        for s in range(len(p.sites)):
            members = np.flatnonzero(site_of == s)
            if not len(members):
                continue
            candidates = orgs_at.get(s)
            if not candidates:  # a site with no organization homed there: any national agency
                candidates = [j for j, c in enumerate(p.org_central) if c]
            w = p.org_weight[candidates]
            org_of[members] = np.asarray(candidates)[rng.choice(len(candidates), size=len(members), p=w / w.sum())]
            rooms = p.rooms[p.sites[s]]
            rw = rng.dirichlet(np.full(len(rooms), 4.0))
            picks = rng.choice(len(rooms), size=len(members), p=rw)
            for idx, r in zip(members.tolist(), picks.tolist()):
                room_of[idx] = rooms[r]

        # Fitness (how popular a target a system is), roles and the dependency order.
        fitness = rng.pareto(1.2, m) + 1.0
        n_platform = max(1, round(_PLATFORM_SHARE * m))
        platform = np.zeros(m, dtype=bool)
        platform[rng.choice(m, size=n_platform, replace=False, p=fitness / fitness.sum())] = True

        grades = self.assign_grades(m, fitness, site_of)
        public_p = np.array([0.0, 0.6, 0.5, 0.35, 0.25])[grades]
        public = rng.random(m) < public_p

        ids = [f"sys-{i + 1:05d}" for i in range(m)]
        gpki_links = GPKI_LINKS_AT_SCALE * (self.n / NATIONAL_SYSTEMS)
        deps, self.hub_links = build_dependencies(rng, self.edges, gpki_links, fitness, platform, grades, public, ids, org_of)
        self.place_fire_room(site_of, room_of, site_index, deps, ids)

        systems = hub_systems(p)
        systems.extend(ordinary_systems(rng, p, ids, site_of, org_of, room_of, grades, public, platform, deps))
        organization_links(rng, p, HUBS, ids, org_of, fitness, site_of, grades)

        doc: dict[str, Any] = {
            "id": f"synthetic-ecosystem-{self.n}-s{self.seed}",
            "name": f"Synthetic national ecosystem ({self.n} systems, seed {self.seed})",
            "name_local": f"합성 국가 정보시스템 생태계 ({self.n}개 시스템)",
            "description": (
                "Generated by 'drillsim generate'. Nothing here describes a real system: the shape "
                "(grade shares, hubs, backups, DR share, organizations) follows the public record "
                "summarised in docs/incidents.md; see drillsim/model/generator.py for every proportion."
            ),
            "start": "2025-09-26T20:15:00+09:00",
            "timezone": "Asia/Seoul",
            "horizon": "30d",
            "monitoring": {"system": "infra-monitoring", "report_delay": "2h"},
            "domains": p.domains,
            "teams": p.teams,
            "systems": systems,
            "organizations": p.orgs,
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
        p = self._places()
        fire_site = p.fire_site
        assert fire_site is not None  # checked by build()
        s = site_index[fire_site]
        allowed = np.ones(len(room_of), dtype=bool)
        if self.fire_room_leaves:
            index = {sid: i for i, sid in enumerate(ids)}
            for entries in deps:
                for dep in entries:
                    targets = [dep] if isinstance(dep, str) else dep.get("any_of") or [dep["system"]]
                    for target in targets:
                        if target in index:
                            allowed[index[target]] = False
        others = [r for r in p.rooms[fire_site] if r != self.fire_room]
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
                raise DrillsimError(f"the fire room is the only room of {p.fire_site!r}: it cannot hold fewer systems")
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
        p = self._places()
        hub_grades = {1: 4, 2: 2}  # gpki, mobile-id, address, info-share; simple-auth, infra-monitoring
        g1 = max(0, targets[1] - hub_grades[1])
        g2 = max(0, targets[2] - hub_grades[2])
        g3 = round((m - g1 - g2) * targets[3] / max(1, targets[3] + targets[4]))
        grades = np.full(m, 4, dtype=np.int64)
        national = np.isin(site_of, np.arange(len(p.national)))
        weight = np.sqrt(fitness) * np.where(national, 4.0, 1.0)
        order = self.rng.choice(m, size=min(m, g1 + g2), replace=False, p=weight / weight.sum())
        grades[order[:g1]] = 1
        grades[order[g1:]] = 2
        rest = np.flatnonzero(grades == 4)
        grades[self.rng.choice(rest, size=min(len(rest), g3), replace=False)] = 3
        return grades

    def _places(self) -> Places:
        assert self.places is not None, "build() lays out the places first"
        return self.places


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
    if not 1 <= sites <= SITE_NAMES:
        raise DrillsimError(f"sites must be between 1 and {SITE_NAMES}, got {sites!r}")
    if edges is None:
        edges = default_edges(systems)
    if edges < 0:
        raise DrillsimError(f"edges must not be negative, got {edges!r}")
    if fire_room_systems is not None and not 0 <= fire_room_systems <= systems - len(HUBS):
        raise DrillsimError(f"fire_room_systems must be between 0 and {systems - len(HUBS)}, got {fire_room_systems!r}")
    return _Builder(systems, seed, edges, sites, fire_room, fire_room_systems, fire_room_leaves, fire_inject).build()
