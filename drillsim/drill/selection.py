"""Selections: which systems an order is about, written the same way in the app, in scripts and from a seat.

A selection is one or more terms separated by spaces; a system is selected when every term
holds (and). A term is ``key:values``, the values separated by commas (any of them: or); ``!``
before a term negates it. Ids take shell-style patterns (``*``, ``?``, ``[1-6]``).

==================  ===============================================================================
term                the systems it selects
==================  ===============================================================================
``all``             every system
``in:D``            systems whose primary placement is in domain ``D`` or below it (``site:`` and
                    ``room:`` say the same): ``in:daejeon-room-[1-6]``, ``site:nirs-gwangju``
``grade:1``         by grade: ``grade:1-2``, ``grade:3,4``
``org:O``           the systems organization ``O`` uses or owns
``team:T``          the systems whose own team is ``T``
``sys:S``           named systems: ``sys:gov24,mobile-id``, ``sys:nirs-r7-g1-*``
``status:S``        what the team sees now: down, unknown, recovering, fallback, degraded, up
``@NAME``           a named list (``define NAME SELECTION``; ``list:NAME`` says the same)
a bare id           a system, domain, organization or team id: ``gov24``, ``daejeon-room-7``
==================  ===============================================================================

Examples: ``in:daejeon-bldg grade:1-2``, ``org:sejong-city !status:up``, ``@critical``. An
unknown id is refused with the closest known one (``unknown domain 'daejeon-rom-7' (did you mean
'daejeon-room-7'?)``); a pattern that matches nothing is refused too.

:class:`Selector` parses a selection against one drill (its scenario and what its team sees);
the :class:`Selection` it returns answers membership in O(1) (``status:`` terms ask the team's
view at that moment).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..engine import Simulation, Status
from ..model import DrillsimError
from ..model.suggest import did_you_mean

__all__ = ["OrderError", "Selection", "Selector", "SELECTION_KEYS"]

SELECTION_KEYS = ("all", "in", "site", "room", "grade", "org", "team", "sys", "status", "list")
"""The keys a selection term may have."""


class OrderError(DrillsimError):
    """An order or a selection that cannot be given as written, or would do nothing (the message says why)."""


@dataclass(frozen=True)
class Selection:
    """The systems an order is about (see the module docstring)."""

    text: str
    """The selection as written (normalised spaces)."""
    static: frozenset[int] | None
    """The systems its fixed terms select (None: every system)."""
    status: frozenset[Status] | None = None
    """The statuses its ``status:`` terms allow, in the team's view (None: any)."""
    status_of: Callable[[int], Status] | None = field(default=None, compare=False, repr=False)
    domains: frozenset[int] | None = field(default=None, compare=False, repr=False)
    """The domains its systems' primary placements are in (None: every domain): the repairs an order on it covers."""

    def __contains__(self, i: object) -> bool:
        if self.static is not None and i not in self.static:
            return False
        if self.status is not None and self.status_of is not None and isinstance(i, int):
            return self.status_of(i) in self.status
        return True

    def members(self, i: int) -> bool:
        """Whether system ``i`` is selected now."""
        return i in self

    def covers_domain(self, d: int) -> bool:
        """Whether the selection's systems sit in domain ``d`` (its repair helps them)."""
        return self.domains is None or d in self.domains

    def systems(self, sim: Simulation) -> list[int]:
        """The system indices selected now, in model order."""
        if self.status is not None and Status.up not in self.status:
            pool: Iterable[int] = sorted(sim.world.sys)  # only touched systems are anything but up
            if self.static is not None:
                pool = [i for i in pool if i in self.static]
        else:
            pool = sorted(self.static) if self.static is not None else range(len(sim.compiled.sys_ids))
        return [i for i in pool if i in self]

    def size(self) -> int | None:
        """How many systems the fixed terms select (None: every system)."""
        return None if self.static is None else len(self.static)


class Selector:
    """Parses selections for one drill: its scenario's ids, and the team's view for ``status:`` terms."""

    def __init__(self, sim: Simulation, named: dict[str, Selection] | None = None):
        self.sim = sim
        c = sim.compiled
        self.c = c
        scenario = sim.scenario
        self.n = len(c.sys_ids)
        self.named: dict[str, Selection] = named if named is not None else {}
        """Named lists (``define``), by name."""
        self.domain_ids = list(c.dom_ids)
        self.org_ids = [o.id for o in scenario.organizations]
        self.team_ids = [t.id for t in scenario.teams]
        self._closures: list[tuple[int, ...]] | None = None

    # -- parsing ------------------------------------------------------------------------
    def parse(self, text: str) -> Selection:
        """The selection written as ``text``; OrderError naming the bad term (with a did-you-mean)."""
        terms = text.split()
        if not terms:
            raise OrderError("name the systems: a selection such as all, in:daejeon-room-7, grade:1-2, org:sejong-city or @NAME")
        static: frozenset[int] | None = None
        status: frozenset[Status] | None = None
        for term in terms:
            negate = term.startswith("!")
            body = term[1:] if negate else term
            got_static, got_status = self._term(body, term)
            if got_static is not None:
                chosen = frozenset(range(self.n)) - got_static if negate else got_static
                static = chosen if static is None else static & chosen
            elif got_status is not None:
                chosen_status = frozenset(Status) - got_status if negate else got_status
                status = chosen_status if status is None else status & chosen_status
            elif negate:
                static = frozenset()  # !all
        domains = None if static is None else self._domains_of(static)
        return Selection(" ".join(terms), static, status, self.sim.visible_status, domains)

    def _term(self, body: str, term: str) -> tuple[frozenset[int] | None, frozenset[Status] | None]:
        if body in ("all", "*"):
            return None, None
        if body.startswith("@"):
            return self._named(body[1:], term), None
        key, sep, value = body.partition(":")
        if not sep:
            return self._bare(body), None
        if key not in SELECTION_KEYS or key == "all":
            raise OrderError(f"{term!r}: unknown selection key {key!r}{did_you_mean(key, SELECTION_KEYS)}; keys: {', '.join(SELECTION_KEYS[1:])}")
        values = [v for v in value.split(",") if v]
        if not values:
            raise OrderError(f"{term!r}: give a value after {key}:")
        if key == "status":
            return None, frozenset(self._status(v, term) for v in values)
        if key == "list":
            return frozenset().union(*(self._named(v, term) for v in values)), None
        if key == "grade":
            return frozenset().union(*(self._grades(v, term) for v in values)), None
        out: set[int] = set()
        for v in values:
            out |= self._ids(key, v, term)
        return frozenset(out), None

    def _named(self, name: str, term: str) -> frozenset[int]:
        selection = self.named.get(name)
        if selection is None:
            known = f" (defined: {', '.join('@' + k for k in self.named)})" if self.named else " (none is defined: define NAME SELECTION)"
            raise OrderError(f"{term!r}: unknown list {name!r}{did_you_mean(name, self.named)}{known}")
        if selection.status is not None:
            raise OrderError(f"{term!r}: list {name!r} filters on status: use its terms here instead")
        return selection.static if selection.static is not None else frozenset(range(self.n))

    def _bare(self, word: str) -> frozenset[int]:
        c = self.c
        if word in c.sidx:
            return frozenset({c.sidx[word]})
        if word in c.didx:
            return self._ids("in", word, word)
        if word in self.org_ids:
            return self._ids("org", word, word)
        if word in self.team_ids:
            return self._ids("team", word, word)
        if any(ch in word for ch in "*?["):
            return self._ids("sys", word, word)
        every = [*c.sys_ids, *self.domain_ids, *self.org_ids, *self.team_ids]
        raise OrderError(f"{word!r} is not a system, domain, organization or team{did_you_mean(word, every)}: "
                         "write all, in:DOMAIN, grade:N, org:ID, team:ID, sys:ID, status:S or @NAME")

    def _status(self, value: str, term: str) -> Status:
        try:
            return Status(value)
        except ValueError:
            names = [s.value for s in Status]
            raise OrderError(f"{term!r}: unknown status {value!r}{did_you_mean(value, names)} (statuses: {', '.join(names)})") from None

    def _grades(self, value: str, term: str) -> frozenset[int]:
        lo, dash, hi = value.partition("-")
        try:
            first, last = int(lo), int(hi) if dash else int(lo)
        except ValueError:
            raise OrderError(f"{term!r}: a grade is a number, 1 (most critical) to 4: grade:1, grade:1-2, grade:3,4") from None
        grades = set(range(min(first, last), max(first, last) + 1))
        known = set(self.c.grade)
        if not grades & known:
            raise OrderError(f"{term!r}: no system has grade {value} (the grades are {', '.join(str(g) for g in sorted(known))})")
        return frozenset(i for i, g in enumerate(self.c.grade) if g in grades)

    def _ids(self, key: str, value: str, term: str) -> frozenset[int]:
        c = self.c
        what, pool = {
            "in": ("domain", self.domain_ids), "site": ("domain", self.domain_ids), "room": ("domain", self.domain_ids),
            "org": ("organization", self.org_ids), "team": ("team", self.team_ids), "sys": ("system", c.sys_ids),
        }[key]
        matched = fnmatch.filter(pool, value) if any(ch in value for ch in "*?[") else ([value] if value in pool else [])
        if not matched:
            if what == "domain" and value in c.sidx:
                hint = f" ({value!r} is a system: write sys:{value})"
            else:
                hint = did_you_mean(value, pool)
            pattern = any(ch in value for ch in "*?[")
            raise OrderError(f"{term!r}: {'no ' + what + ' matches' if pattern else 'unknown ' + what} {value!r}{hint}")
        if what == "system":
            return frozenset(c.sidx[s] for s in matched)
        if what == "domain":
            wanted = {c.didx[d] for d in matched}
            closures = self._primary_closures()
            return frozenset(i for i, closure in enumerate(closures) if wanted.intersection(closure))
        if what == "team":
            teams = set(matched)
            return frozenset(i for i, s in enumerate(c.systems) if s.team in teams)
        orgs = [o for o in self.sim.scenario.organizations if o.id in matched]
        return frozenset(c.sidx[s] for o in orgs for s in (*o.uses, *o.owns) if s in c.sidx)

    def _primary_closures(self) -> list[tuple[int, ...]]:
        if self._closures is None:
            c = self.c
            self._closures = [c.rep_closure[c.sys_active0[i]] for i in range(self.n)]
        return self._closures

    def _domains_of(self, systems: frozenset[int]) -> frozenset[int]:
        closures = self._primary_closures()
        out: set[int] = set()
        for i in systems:
            out.update(closures[i])
        return frozenset(out)
