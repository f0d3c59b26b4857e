"""Domains and replicas during a run: what is down, destroyed, stopped or failed, and free capacity.

Owned by :class:`~drillsim.engine.world.World`, whose methods (``domain_fail``, ``restart``,
``replace_replica``...) apply the rules and propagate; this table holds the facts and answers
questions about them (is a replica up, is a closure usable, how much room is left at a site).
Replicas created during a run (a restore or rebuild elsewhere) get indices after the compiled
ones.
"""

from __future__ import annotations

from .compiled import CompiledModel
from .tasks import Task

__all__ = ["Infrastructure"]


class Infrastructure:
    """Run-time state of the domains and replicas (compiled ones and those added by recovery)."""

    def __init__(self, compiled: CompiledModel):
        self.c = compiled
        # Domains.
        self.dom_causes: dict[int, set[str]] = {}
        """Causes of being down (inject, destroyed, background:<spec>), by domain; down while any is left."""
        self.dom_down: set[int] = set()
        """Domains with a cause of being down now (those whose ``dom_causes`` are not empty)."""
        self.dom_destroyed: set[int] = set()
        """Domains destroyed and not yet restored."""
        self.dom_destroyed_ever: set[int] = set()
        """Domains destroyed during the run (what was stored there is gone for good)."""
        self.dom_known_at: dict[int, float] = {}
        """When the operators know (or will know) that a domain is down."""
        self.dom_free: dict[int, int | None] = {}
        """Free capacity changed during the run, by domain (else the compiled one)."""
        self.dom_task: dict[int, Task] = {}
        """The repair sent to each domain."""
        self.dom_timed: set[int] = set()
        """Domains whose injected outage ends by itself (``fail: D, for: T``): nobody repairs them."""
        # Replicas.
        self.rep_block: dict[int, int] = {}
        """Number of down domains in each replica's closure."""
        self.rep_destroyed: set[int] = set()
        self.rep_stopped: set[int] = set()
        """Replicas left stopped by an outage: staff must restart them."""
        self.rep_failed: dict[int, int] = {}
        """Background failures of each replica of its own."""
        self.x_rep_sys: dict[int, int] = {}
        self.x_rep_closure: dict[int, tuple[int, ...]] = {}
        self.x_rep_capacity: dict[int, float] = {}
        self.x_rep_name: dict[int, str] = {}
        self.x_reps_under: dict[int, list[int]] = {}
        self._next_rep = len(compiled.rep_sys)

    # -- replicas -------------------------------------------------------------------------
    def rep_sys(self, r: int) -> int:
        """The system of replica ``r``."""
        return self.c.rep_sys[r] if r < len(self.c.rep_sys) else self.x_rep_sys[r]

    def rep_closure(self, r: int) -> tuple[int, ...]:
        """The domains replica ``r`` sits in, with their ancestors."""
        return self.c.rep_closure[r] if r < len(self.c.rep_closure) else self.x_rep_closure[r]

    def rep_capacity(self, r: int) -> float:
        """Share of full load replica ``r`` carries alone."""
        return self.c.rep_capacity[r] if r < len(self.c.rep_capacity) else self.x_rep_capacity[r]

    def rep_name(self, r: int) -> str:
        """The placement name of replica ``r``."""
        return self.c.rep_name[r] if r < len(self.c.rep_name) else self.x_rep_name[r]

    def rep_up(self, r: int) -> bool:
        """Whether replica ``r`` can serve: its domains up, not destroyed, not stopped, no failure of its own."""
        return not self.rep_block.get(r) and r not in self.rep_destroyed and r not in self.rep_stopped and not self.rep_failed.get(r)

    def reps_under(self, d: int) -> list[int] | tuple[int, ...]:
        """Replicas placed in domain ``d`` or below it."""
        extra = self.x_reps_under.get(d)
        base = self.c.reps_under[d]
        return (*base, *extra) if extra else base

    def new_replica(self, i: int, domain_ids: list[str], capacity: float, name: str) -> int:
        """Add a replica of system ``i`` in the given domains (restore or rebuild elsewhere); return its index."""
        r = self._next_rep
        self._next_rep += 1
        closure = self.c.closure_of(domain_ids)
        self.x_rep_sys[r] = i
        self.x_rep_closure[r] = closure
        self.x_rep_capacity[r] = capacity
        self.x_rep_name[r] = name
        blocked = 0
        down = self.dom_down
        for d in closure:
            self.x_reps_under.setdefault(d, []).append(r)
            if d in down:
                blocked += 1
        if blocked:
            self.rep_block[r] = blocked
        return r

    # -- domains --------------------------------------------------------------------------
    def closure_up(self, closure: tuple[int, ...]) -> bool:
        """Whether every domain of ``closure`` is up."""
        return self.dom_down.isdisjoint(closure)

    def closure_lost(self, closure: tuple[int, ...]) -> bool:
        """Whether anything stored in these domains was destroyed."""
        ever = self.dom_destroyed_ever
        if not ever:
            return False
        for d in closure:
            if d in ever:
                return True
        return False

    def destroyed_in(self, closure: tuple[int, ...]) -> int:
        """The first domain of ``closure`` that is destroyed (-1: none)."""
        for d in closure:
            if d in self.dom_destroyed:
                return d
        return -1

    def free_capacity(self, d: int) -> int | None:
        """Free capacity left at domain ``d`` (None: unlimited)."""
        if d < 0:
            return None
        if d in self.dom_free:
            return self.dom_free[d]
        return self.c.dom_free_capacity[d]

    def set_free_capacity(self, d: int, free: int | None) -> None:
        """Set the free capacity of domain ``d`` (a partner offers room; a restore takes some)."""
        self.dom_free[d] = free

    def set_timed(self, d: int, timed: bool) -> None:
        """Whether domain ``d``'s injected outage ends by itself."""
        if timed:
            self.dom_timed.add(d)
        else:
            self.dom_timed.discard(d)

    def set_repair(self, d: int, task: Task) -> None:
        """The repair task sent to domain ``d``."""
        self.dom_task[d] = task
