"""Data copies and data loss: where a system's data survives, and how much a recovery loses.

Copies are the replicas themselves (an active-active peer loses nothing), the replication target
(it loses its lag) and the backups (they lose their age when the primary failed: backups run
every interval from a random phase, one per run and backup). A copy stored in a domain that was
destroyed is gone for good; when no copy is left, the data is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.systems import RedundancyMode

if TYPE_CHECKING:  # pragma: no cover
    from .world import SysState

__all__ = ["DataMixin"]


class DataMixin:
    """Data-copy rules of :class:`~drillsim.engine.world.World` (state lives there)."""

    def backup_age(self, i: int, k: int, at: float) -> float:
        """Age of backup ``k`` of system ``i`` at time ``at``: backups run every interval from a random phase."""
        interval = self.c.backups[i][k].interval
        phase = self.backup_phase.get((i, k))
        if phase is None:
            phase = float(self.rng("backup-phase", self.c.sys_ids[i], str(k)).uniform(0.0, interval))
            self.backup_phase[(i, k)] = phase
        return (at - phase) % interval

    def best_copy(self, i: int, exclude_active: bool, available_only: bool) -> tuple[str, float, Any] | None:
        """The surviving copy of system ``i``'s data that loses least: (kind, hours lost, detail).

        Kinds: ``replica`` (a surviving active-active peer or the active replica itself: no
        loss), ``replication`` (the replication target: its lag), ``backup`` (a backup: its age
        when the primary failed). None when every copy is gone (or, with available_only, none
        can be read now).
        """
        st = self.state(i)
        c = self.c
        candidates: list[tuple[str, float, Any]] = []
        for r in st.reps:
            if exclude_active and r == st.active:
                continue
            if r in self.rep_destroyed:
                continue
            peer = c.mode[i] is RedundancyMode.active_active or r == st.active
            if peer and (not available_only or self.rep_up(r)):
                candidates.append(("replica", 0.0, r))
        replication = c.replication[i]
        if replication is not None:
            r, lag = replication
            if r not in self.rep_destroyed and (not exclude_active or r != st.active) and (not available_only or self.rep_up(r)):
                candidates.append(("replication", lag, r))
        at = st.fail_time if st.fail_time is not None else self.env.now
        for k, backup in enumerate(c.backups[i]):
            if self.closure_lost(backup.closure):
                continue
            if available_only and not self.closure_up(backup.closure):
                continue
            candidates.append(("backup", self.backup_age(i, k, at), k))
        if not candidates:
            return None
        return min(candidates, key=lambda x: x[1])

    def book_data_loss(self, st: SysState, hours: float) -> None:
        """Record that ``hours`` of data were lost in a recovery of the system."""
        if st.data_loss is None or hours > st.data_loss:
            st.data_loss = hours
        if hours > 0:
            i = st.i
            self.log("data_loss", self.c.sys_ids[i], f"{self.label(i)} lost the last {hours:.1f}h of data")
