"""Data copies and data loss: where a system's data survives, and how much a recovery loses.

Copies are the replicas themselves (which replicas hold a current copy depends on the redundancy
mode, :mod:`.redundancy`: every active-active peer, else the active replica), the replication
target (it loses its lag) and the backups (they lose their age when the primary failed: backups
run every interval from a random phase, one per run and backup). A copy stored in a domain that
was destroyed is gone for good; when no copy is left, the data is.

Backups can be bad (``failure``): each copy on its own (copy number n of a schedule is good or
not for the whole run, decided by one hash of (seed, system, backup, n)), or the whole schedule
(drawn once per run). A restore uses the newest copy not known to be bad among the ``keep``
newest: verified backups know their bad copies from the start; unverified ones learn that a copy
is bad when a restore from it fails (:meth:`DataCopies.unreadable`), and a broken schedule is
then known to be broken as a whole.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

import simpy

from .compiled import CompiledModel
from .events import Journal
from .infra import Infrastructure
from .kinds import EventKind
from .rng import Streams
from .state import SysState, SystemTable

__all__ = ["DataCopies", "Copy", "CopyKind", "MAX_COPIES"]

CopyKind = Literal["replica", "replication", "backup"]

MAX_COPIES = 10_000
"""How far back a restore looks through a backup schedule that keeps every copy (``keep`` unset)."""


class Copy(NamedTuple):
    """A surviving copy of a system's data."""

    kind: CopyKind
    loss: float
    """Hours of data it loses."""
    detail: int
    """The replica index, or the backup's number in the system's list."""
    number: int = 0
    """A backup: which copy of its schedule (copy n was taken at phase + n x interval)."""


class DataCopies:
    """Data-copy rules of the world, and the backup phases drawn for this run."""

    def __init__(self, compiled: CompiledModel, env: simpy.Environment, streams: Streams, journal: Journal,
                 table: SystemTable, infra: Infrastructure):
        self.c = compiled
        self.env = env
        self.streams = streams
        self.journal = journal
        self.table = table
        self.infra = infra
        self.backup_phase: dict[tuple[int, int], float] = {}
        """The random phase of each (system, backup) used so far."""
        self.known_bad: set[tuple[int, int, int]] = set()
        """Copies (system, backup, copy number) a restore has found bad."""
        self.known_broken: set[tuple[int, int]] = set()
        """Backup schedules (system, backup) a restore has found broken."""
        self._broken: dict[tuple[int, int], bool] = {}

    def _phase(self, i: int, k: int) -> float:
        phase = self.backup_phase.get((i, k))
        if phase is None:
            interval = self.c.backups[i][k].interval
            phase = self.streams.first_uniform(0.0, interval, "backup-phase", self.c.sys_ids[i], str(k))
            self.backup_phase[(i, k)] = phase
        return phase

    def backup_age(self, i: int, k: int, at: float) -> float:
        """Age of backup ``k`` of system ``i`` at time ``at``: backups run every interval from a random phase."""
        phase = self.backup_phase.get((i, k))
        if phase is None:
            phase = self._phase(i, k)
        return (at - phase) % self.c.backups[i][k].interval

    def schedule_broken(self, i: int, k: int) -> bool:
        """Whether backup schedule ``k`` of system ``i`` is broken as a whole (every copy bad) in this run."""
        b = self.c.backups[i][k]
        if b.failure <= 0.0 or b.per_copy and b.failure < 1.0:
            return False
        broken = self._broken.get((i, k))
        if broken is None:
            broken = b.per_copy or self.streams.chance(b.failure, "backup-schedule", self.c.sys_ids[i], str(k))
            self._broken[(i, k)] = broken
        return broken

    def copy_good(self, i: int, k: int, n: int) -> bool:
        """Whether copy ``n`` of backup ``k`` of system ``i`` is good (the truth, the same for the whole run)."""
        b = self.c.backups[i][k]
        if b.failure <= 0.0:
            return True
        if self.schedule_broken(i, k):
            return False
        if not b.per_copy:
            return True
        return self.streams.once("backup-copy", self.c.sys_ids[i], str(k), str(n)) >= b.failure

    def newest_copy(self, i: int, k: int, at: float, readable_only: bool = False) -> tuple[float, int] | None:
        """(age, copy number) of the newest copy of backup ``k`` taken by ``at`` that a restore would use.

        That is the newest of the ``keep`` newest copies not known to be bad (verified backups, or
        with ``readable_only``: not bad at all); None when there is none.
        """
        b = self.c.backups[i][k]
        steps, age = divmod(at - self._phase(i, k), b.interval)
        newest = int(steps)
        if b.failure <= 0.0:
            return age, newest
        known = readable_only or b.verified
        if self.schedule_broken(i, k) and (known or (i, k) in self.known_broken):
            return None
        for back in range(b.keep if b.keep is not None else MAX_COPIES):
            n = newest - back
            if self.copy_good(i, k, n) if known else (i, k, n) not in self.known_bad:
                return age + back * b.interval, n
        return None

    def unreadable(self, st: SysState, copy: Copy | None) -> bool:
        """Whether the copy a restore used turns out bad: it (or its broken schedule) is then known to be bad."""
        if copy is None or copy.kind != "backup" or self.c.backups[st.i][copy.detail].failure <= 0.0:
            return False
        i, k = st.i, copy.detail
        if self.copy_good(i, k, copy.number):
            return False
        if self.schedule_broken(i, k):
            self.known_broken.add((i, k))
        else:
            self.known_bad.add((i, k, copy.number))
        if self.best_copy(i, exclude_active=False, available_only=False) is None:
            self.lose_all(st, f"No good copy of {self.c.sys_label[i]}'s data is left: it is lost for good")
        return True

    def best_copy(self, i: int, exclude_active: bool, available_only: bool, readable_only: bool = False) -> Copy | None:
        """The surviving copy of system ``i``'s data that loses least (see :class:`Copy`).

        Kinds: ``replica`` (a replica holding a current copy: no loss), ``replication`` (the
        replication target: its lag), ``backup`` (a backup: the age, when the primary failed, of
        its newest copy not known to be bad; with ``readable_only``, not bad at all). None when
        every copy is gone (or, with available_only, none can be read now).
        """
        st = self.table.sys.get(i) or self.table.state(i)
        c = self.c
        infra = self.infra
        mode = c.redundancy[i]
        destroyed = infra.rep_destroyed
        # The first candidate with the least loss, in the order replicas, replication, backups
        # (what ``min`` over the list of candidates picked).
        best: tuple[CopyKind, float, int, int] | None = None
        for r in st.reps:
            if exclude_active and r == st.active:
                continue
            if r in destroyed:
                continue
            if mode.holds_data(st, r) and (not available_only or infra.rep_up(r)):
                if best is None or 0.0 < best[1]:
                    best = ("replica", 0.0, r, 0)
        replication = c.replication[i]
        if replication is not None:
            r, lag = replication
            if r not in destroyed and (not exclude_active or r != st.active) and (not available_only or infra.rep_up(r)):
                if best is None or lag < best[1]:
                    best = ("replication", lag, r, 0)
        backups = c.backups[i]
        if backups:
            at = st.fail_time if st.fail_time is not None else self.env.now
            for k, backup in enumerate(backups):
                if infra.closure_lost(backup.closure):
                    continue
                if available_only and not infra.closure_up(backup.closure):
                    continue
                if backup.failure <= 0.0:
                    age = self.backup_age(i, k, at)
                    if best is None or age < best[1]:
                        best = ("backup", age, k, 0)
                    continue
                newest = self.newest_copy(i, k, at, readable_only)
                if newest is not None and (best is None or newest[0] < best[1]):
                    best = ("backup", newest[0], k, newest[1])
        if best is None:
            return None
        return Copy._make(best)

    def book_loss(self, st: SysState, hours: float) -> None:
        """Record that ``hours`` of data were lost in a recovery of the system."""
        if st.data_loss is None or hours > st.data_loss:
            st.data_loss = hours
        if hours > 0:
            i = st.i
            if self.journal.record:
                self.journal.log(EventKind.data_loss, self.c.sys_ids[i], f"{self.c.sys_label[i]} lost the last {hours:.1f}h of data")
            else:
                self.journal.count()

    def lose_all(self, st: SysState, text: str, visible: bool = True) -> None:
        """No copy of the system's data is left: it is lost for good (logged once)."""
        if not st.data_lost:
            st.data_lost = True
            self.journal.log(EventKind.data_lost, self.c.sys_ids[st.i], text, visible=visible)
