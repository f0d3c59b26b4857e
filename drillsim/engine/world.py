"""The simulated world of one run: its state, and the only ways it changes.

The world owns its state (every other module reads it, and changes it through the methods
here or those of the tables it owns):

- :mod:`.state`: the per-system table (:class:`~drillsim.engine.state.SysState` per touched
  system, stuck systems, runbook preferences);
- :mod:`.infra`: domains and replicas (down, destroyed, stopped, failed; free capacity);
- :mod:`.accounting`: the demand books;
- :mod:`.domains`: domain outages, :mod:`.propagation`: how failures spread, :mod:`.detection`:
  when they become known and what follows, :mod:`.data`: data copies and data loss;
- the journal (:mod:`.events`), the teams (:mod:`.teams`), the tasks (:mod:`.tasks`) and the
  named random streams (:mod:`.rng`).

Every change is event-driven (no time steps, no sweeps over the model), so the cost of a run
follows the affected systems and their dependents, not the size of the model. Semantics: see
docs/semantics.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from .accounting import Books
from .clock import Waiters, schedule
from .compiled import CompiledModel
from .data import DataCopies
from .detection import Detection
from .domains import DomainRules
from .events import Event, Journal
from .hooks import PolicyHooks
from .infra import Infrastructure
from .propagation import Propagation
from .rng import Streams
from .state import SysState, SystemTable
from .tasks import Task
from .teams import TeamState

__all__ = ["World", "SysState"]


class World:
    """All run-time state of one simulation run, and the methods that change it."""

    def __init__(self, compiled: CompiledModel, seed: int, record_events: bool = True):
        self.c = compiled
        self.scenario = compiled.scenario
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.seed = seed
        self.journal = Journal(self.env, record_events)
        self.log = self.journal.log
        """Append an event to the journal (:meth:`Journal.log <drillsim.engine.events.Journal.log>`)."""
        self.events: list[Event] = self.journal.events
        self.table = SystemTable(compiled, self.env)
        self.sys: dict[int, SysState] = self.table.sys
        """State of every touched system, by index (untouched systems are up)."""
        self.state = self.table.state
        """The state of system ``i``, created (as fully up) on first touch."""
        self.infra = Infrastructure(compiled)
        self.books = Books(compiled)
        self.waiters = Waiters(self.env)
        self.wait_for = self.waiters.wait_for
        """An event fired the next time the condition ``key`` may have changed."""
        self.draw = self.streams.draw
        """``draw(dist, *names)``: a sample of ``dist`` from the named stream (:meth:`Streams.draw <drillsim.engine.rng.Streams.draw>`)."""
        self.chance = self.streams.chance
        """``chance(p, *names)``: True with probability ``p`` from the named stream (:meth:`Streams.chance <drillsim.engine.rng.Streams.chance>`)."""
        self.propagation = Propagation(compiled, self.env, self.table, self.infra, self.books, self.journal, self.waiters)
        self.data = DataCopies(compiled, self.env, self.streams, self.journal, self.table, self.infra)
        self.backup_phase: dict[tuple[int, int], float] = self.data.backup_phase
        self.policy: PolicyHooks | None = None
        self.detection = Detection(compiled, self.env, self.streams, self.journal, self.table, self.infra, self.propagation, self)
        self.propagation.rules = self.detection
        self.refresh_status = self.propagation.refresh_status
        """Re-derive system ``i``'s displayed status (after a task starts or a fallback switches)."""
        self.domains = DomainRules(compiled, self.env, self.journal, self.table, self.infra, self.propagation, self.data, self.waiters, self)
        self._stand_down: Callable[[SysState], None] | None = None
        start_local = self.scenario.start.astimezone(self.scenario.zone)
        offset = start_local.weekday() * 24 + start_local.hour + start_local.minute / 60 + start_local.second / 3600
        self.teams: list[TeamState] = [TeamState(self, t, offset) for t in compiled.teams]
        self.tasks: list[Task] = []
        """Every task of the run, oldest first."""
        self.decisions_made: list[dict[str, Any]] = []
        self.queues: dict[int, Any] = {}
        """Per-request simulations by system (:mod:`.queueing`)."""

    # ---------------------------------------------------------------------------------
    # Wiring (once, by the simulation)
    # ---------------------------------------------------------------------------------
    def attach_policy(self, policy: PolicyHooks) -> None:
        """The deciders the world tells about detections, repairs and ended tasks."""
        self.policy = policy

    def on_serving_again(self, fn: Callable[[SysState], None]) -> None:
        """What stands down when a system serves again (the manual fallbacks of :mod:`.recovery`)."""
        self._stand_down = fn

    def stand_down(self, st: SysState) -> None:
        """System ``st`` serves again: the work covering for it stands down."""
        if self._stand_down is not None:
            self._stand_down(st)

    def attach_queues(self, queues: dict[int, Any]) -> None:
        """The per-request simulations of the run, by system."""
        self.queues = queues

    # ---------------------------------------------------------------------------------
    # Utilities
    # ---------------------------------------------------------------------------------
    @property
    def n_logged(self) -> int:
        """Events logged so far, recorded or not (for stepping)."""
        return self.journal.n_logged

    @property
    def n_visible(self) -> int:
        """Events logged so far that the drill team could see."""
        return self.journal.n_visible

    def schedule(self, delay: float, fn: Callable[..., Any], *args: Any) -> simpy.Event:
        """Call ``fn(*args)`` after ``delay`` hours."""
        return schedule(self.env, delay, fn, *args)

    def rng(self, *names: str) -> np.random.Generator:
        """The named random stream (see :mod:`drillsim.engine.rng`)."""
        return self.streams.get(*names)

    def label(self, i: int) -> str:
        """Display name of system ``i``."""
        return self.c.sys_label[i]

    def serving(self, i: int) -> bool:
        """Whether system ``i`` serves now (untouched systems do)."""
        return self.table.serving(i)

    def free_capacity(self, d: int) -> int | None:
        """Free capacity left at domain ``d`` (None: unlimited)."""
        return self.infra.free_capacity(d)

    def pending(self, st: SysState, now: float) -> tuple[float, float, float]:
        """Demand, fallback-served and unserved demand of ``st`` since its last change (not booked)."""
        return self.books.pending(st, now)

    def _conditions_changed(self) -> None:
        if self.policy is not None:
            self.policy.on_conditions_changed()

    # ---------------------------------------------------------------------------------
    # Domains
    # ---------------------------------------------------------------------------------
    def domain_fail(self, d: int, cause: str, stop: bool = False) -> None:
        """Add a cause of failure to domain ``d``; on the first, its replicas go down.

        With ``stop`` (an injected power cut, a fire), the replicas in it stay stopped after the
        domain is back, until staff restart them.
        """
        self.domains.fail(d, cause, stop)

    def domain_destroy(self, d: int) -> None:
        """Destroy domain ``d``: everything placed in it (or below it) loses its hardware and stored data."""
        self.domains.destroy(d)

    def domain_restore(self, d: int, causes: tuple[str, ...] | None = None) -> None:
        """Remove causes of failure from domain ``d`` (all by default); replicas come back when none remain."""
        self.domains.restore(d, causes)

    def set_free_capacity(self, d: int, free: int) -> None:
        """Domain ``d`` can take ``free`` more systems (a ``set_capacity`` inject): stuck work may go on."""
        self.infra.set_free_capacity(d, free)
        self._conditions_changed()

    def take_capacity(self, site: int, footprint: int) -> int:
        """Claim ``footprint`` of ``site``'s free capacity when work starts; return the site (-1: nothing claimed)."""
        if site < 0:
            return -1
        free = self.infra.free_capacity(site)
        if free is None:
            return -1
        self.infra.dom_free[site] = free - footprint
        return site

    def give_capacity(self, site: int, footprint: int) -> None:
        """Give back capacity claimed by :meth:`take_capacity` (a failed attempt): stuck work may go on."""
        if site >= 0:
            free = self.infra.free_capacity(site)
            self.infra.set_free_capacity(site, (free or 0) + footprint)
            self._conditions_changed()

    # ---------------------------------------------------------------------------------
    # Replica and system failures of their own
    # ---------------------------------------------------------------------------------
    def replica_fail(self, r: int) -> None:
        """A background failure of one replica."""
        failed = self.infra.rep_failed
        failed[r] = failed.get(r, 0) + 1
        if failed[r] == 1:
            self.propagation.mark(self.infra.rep_sys(r))
            self.propagation.propagate()

    def replica_repair(self, r: int) -> None:
        """The end of a background failure of one replica."""
        failed = self.infra.rep_failed
        count = failed.get(r, 0) - 1
        if count <= 0:
            failed.pop(r, None)
            self.propagation.mark(self.infra.rep_sys(r))
            self.propagation.propagate()
            self.waiters.notify(("replica", r))
        else:
            failed[r] = count

    def system_fail(self, i: int) -> None:
        """A failure of the system itself (software fault, attack): it stays down until restarted or restored."""
        st = self.table.state(i)
        st.failed += 1
        if st.fail_time is None:
            st.fail_time = self.env.now
        self.propagation.mark(i)
        self.propagation.propagate()

    def system_unfail(self, i: int, everything: bool = True) -> None:
        """Clear the system's own failure(s) and any collapse."""
        st = self.table.state(i)
        st.failed = 0 if everything else max(0, st.failed - 1)
        st.collapsed = False
        self.propagation.mark(i)
        self.propagation.propagate()

    def system_suspend(self, i: int, suspended: bool) -> None:
        """Take a system offline on purpose (or put it back): it does not serve, and nobody recovers it."""
        st = self.table.state(i)
        if st.suspended == suspended:
            return
        st.suspended = suspended
        self.propagation.mark(i)
        self.propagation.propagate()

    def set_surge(self, i: int, factor: float) -> None:
        """Multiply the demand of system ``i`` by ``factor`` (divide to end a surge)."""
        st = self.table.state(i)
        self.books.account(st, self.env.now)
        st.surge *= factor
        if abs(st.surge - 1.0) < 1e-12:
            st.surge = 1.0
        self.propagation.mark(i)
        self.propagation.propagate()
        self.waiters.notify(("surge", i))  # per-request arrivals (queueing.py) follow the surge

    # ---------------------------------------------------------------------------------
    # What recovery does to a system
    # ---------------------------------------------------------------------------------
    def switch_to(self, st: SysState, r: int) -> None:
        """Make replica ``r`` the active one, booking the data lost in the switch."""
        i = st.i
        replication = self.c.replication[i]
        if self.c.has_data[i]:
            if replication is not None and replication[0] == r:
                self.data.book_loss(st, replication[1])
            else:
                copy = self.data.best_copy(i, exclude_active=True, available_only=True, readable_only=True)
                self.data.book_loss(st, copy.loss if copy is not None else 0.0)
        st.active = r
        if self.c.any_dormant:
            self.waiters.notify(("role", i))  # a dormant standby that now serves fails at its full rate (failures.py)
        self.propagation.mark(i)
        self.propagation.propagate()

    def restart(self, st: SysState, r: int | None) -> None:
        """Restart the system in place: replica ``r`` (if any) is no longer stopped; own failures and collapses clear."""
        if r is not None:
            self.infra.rep_stopped.discard(r)
        st.failed = 0
        st.collapsed = False
        self.propagation.mark(st.i)
        self.propagation.propagate()

    def rebuild_in_place(self, st: SysState, r: int) -> None:
        """Replica ``r`` was rebuilt where it stood: it has hardware again, and the system starts afresh."""
        self.infra.rep_destroyed.discard(r)
        self.infra.rep_stopped.discard(r)
        st.failed = 0
        st.collapsed = False
        self.propagation.mark(st.i)
        self.propagation.propagate()

    def replace_replica(self, st: SysState, old: int, domain_ids: list[str], name: str) -> int:
        """Bring up a new replica of the system in ``domain_ids`` in place of ``old`` (a restore or rebuild elsewhere)."""
        i = st.i
        new = self.infra.new_replica(i, domain_ids, self.infra.rep_capacity(old), name)
        if old in st.reps:
            st.reps[st.reps.index(old)] = new
        else:
            st.reps.append(new)
        if self.c.redundancy[i].takes_over(st, old):
            st.active = new
            if self.c.any_dormant:
                self.waiters.notify(("role", i))
        st.failed = 0
        st.collapsed = False
        self.propagation.mark(i)
        self.propagation.propagate()
        return new

    def lose_data(self, st: SysState, text: str) -> None:
        """The system came back without its data: lost for good."""
        self.data.lose_all(st, text)

    # ---------------------------------------------------------------------------------
    # Work: tasks, fallbacks, runbook preferences, decisions
    # ---------------------------------------------------------------------------------
    def add_task(self, task: Task) -> None:
        """List a new task (displays show it)."""
        self.tasks.append(task)

    def fallback_serves(self, st: SysState) -> None:
        """The system's manual fallback starts serving part of its demand."""
        self.books.account(st, self.env.now)
        st.fallback_on = True

    def fallback_ends(self, st: SysState, reentry_hours: float) -> None:
        """The manual fallback stands down, leaving ``reentry_hours`` of re-entry work."""
        st.fallback_on = False
        st.fallback_task = None
        st.reentry_hours += reentry_hours

    def prefer(self, i: int, option: str) -> None:
        """Try ``option`` first in system ``i``'s runbook from now on."""
        self.table.prefer(i, option)

    def record_decision(self, decision: str, option: str, by: str) -> None:
        """A decision point was answered."""
        self.decisions_made.append({"t": self.env.now, "decision": decision, "option": option, "by": by})
