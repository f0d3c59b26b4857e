"""Data copies and data loss: where a system's data survives, and how much a recovery loses.

Copies are the replicas themselves (which replicas hold a current copy depends on the redundancy
mode, :mod:`.redundancy`: every active-active peer, else the active replica), the replication
target (it loses its lag) and the backups (they lose their age when the primary failed: backups
run every interval from a random phase, one per run and backup). A copy stored in a domain that
was destroyed is gone for good; when no copy is left, the data is.
"""

from __future__ import annotations

from typing import Literal

import simpy

from .compiled import CompiledModel
from .events import Journal
from .infra import Infrastructure
from .kinds import EventKind
from .rng import Streams
from .state import SysState, SystemTable

__all__ = ["DataCopies", "Copy", "CopyKind"]

CopyKind = Literal["replica", "replication", "backup"]
Copy = tuple[CopyKind, float, int]
"""A surviving copy: (kind, hours of data it loses, replica index or backup number)."""


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

    def backup_age(self, i: int, k: int, at: float) -> float:
        """Age of backup ``k`` of system ``i`` at time ``at``: backups run every interval from a random phase."""
        interval = self.c.backups[i][k].interval
        phase = self.backup_phase.get((i, k))
        if phase is None:
            phase = float(self.streams.get("backup-phase", self.c.sys_ids[i], str(k)).uniform(0.0, interval))
            self.backup_phase[(i, k)] = phase
        return (at - phase) % interval

    def best_copy(self, i: int, exclude_active: bool, available_only: bool) -> Copy | None:
        """The surviving copy of system ``i``'s data that loses least: (kind, hours lost, detail).

        Kinds: ``replica`` (a replica holding a current copy: no loss), ``replication`` (the
        replication target: its lag), ``backup`` (a backup: its age when the primary failed).
        None when every copy is gone (or, with available_only, none can be read now).
        """
        st = self.table.state(i)
        c = self.c
        infra = self.infra
        mode = c.redundancy[i]
        candidates: list[Copy] = []
        for r in st.reps:
            if exclude_active and r == st.active:
                continue
            if r in infra.rep_destroyed:
                continue
            if mode.holds_data(st, r) and (not available_only or infra.rep_up(r)):
                candidates.append(("replica", 0.0, r))
        replication = c.replication[i]
        if replication is not None:
            r, lag = replication
            if r not in infra.rep_destroyed and (not exclude_active or r != st.active) and (not available_only or infra.rep_up(r)):
                candidates.append(("replication", lag, r))
        at = st.fail_time if st.fail_time is not None else self.env.now
        for k, backup in enumerate(c.backups[i]):
            if infra.closure_lost(backup.closure):
                continue
            if available_only and not infra.closure_up(backup.closure):
                continue
            candidates.append(("backup", self.backup_age(i, k, at), k))
        if not candidates:
            return None
        return min(candidates, key=lambda x: x[1])

    def book_loss(self, st: SysState, hours: float) -> None:
        """Record that ``hours`` of data were lost in a recovery of the system."""
        if st.data_loss is None or hours > st.data_loss:
            st.data_loss = hours
        if hours > 0:
            i = st.i
            self.journal.log(EventKind.data_loss, self.c.sys_ids[i], f"{self.c.systems[i].label} lost the last {hours:.1f}h of data")

    def lose_all(self, st: SysState, text: str, visible: bool = True) -> None:
        """No copy of the system's data is left: it is lost for good (logged once)."""
        if not st.data_lost:
            st.data_lost = True
            self.journal.log(EventKind.data_lost, self.c.sys_ids[st.i], text, visible=visible)
