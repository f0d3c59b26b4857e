"""Domain outages: a domain failing (with a cause), being destroyed, and coming back.

A domain is down while it has any cause of being down (an inject, a destruction, a background
failure of its own spec); it is effectively down when it or any ancestor is. Replicas placed in
it are blocked on the first cause and unblocked when the last one goes; with ``stop`` (an
injected power cut, a fire) they stay stopped until staff restart them. A destroyed domain takes
the hardware and the stored data of everything placed in it. Operators notice a domain's
failure after its own ``detection`` delay (a missed alarm).
"""

from __future__ import annotations

import simpy

from ..model.scenario import Scenario
from .clock import Waiters, schedule
from .compiled import CompiledModel
from .data import DataCopies
from .detection import DetectionHost
from .events import Journal
from .infra import Infrastructure
from .kinds import EventKind
from .propagation import Propagation
from .state import SystemTable

__all__ = ["DomainRules"]


class DomainRules:
    """Failing, destroying and restoring domains (the world's :meth:`~drillsim.engine.world.World.domain_fail` and kin)."""

    def __init__(self, compiled: CompiledModel, env: simpy.Environment, journal: Journal, table: SystemTable, infra: Infrastructure,
                 propagation: Propagation, data: DataCopies, waiters: Waiters, host: DetectionHost):
        self.c = compiled
        self.scenario: Scenario = compiled.scenario
        self.env = env
        self.journal = journal
        self.table = table
        self.infra = infra
        self.propagation = propagation
        self.data = data
        self.waiters = waiters
        self.host = host

    def _label(self, d: int) -> str:
        return self.scenario.domain_index[self.c.dom_ids[d]].label

    def fail(self, d: int, cause: str, stop: bool = False) -> None:
        """Add a cause of failure to domain ``d``; on the first, its replicas go down (``stop``: and stay stopped)."""
        infra = self.infra
        prop = self.propagation
        causes = infra.dom_causes.setdefault(d, set())
        was_up = not causes
        causes.add(cause)
        infra.dom_down.add(d)
        if stop:
            for r in infra.reps_under(d):
                if r not in infra.rep_stopped:
                    infra.rep_stopped.add(r)
                    prop.mark(infra.rep_sys(r))
        if not was_up:
            prop.propagate()
            return
        c = self.c
        infra.dom_known_at[d] = self.env.now + c.dom_detection[d]
        self.journal.log(EventKind.domain_down, c.dom_ids[d], f"{self._label(d)} is down", visible=c.dom_detection[d] == 0)
        if c.dom_detection[d] > 0:
            schedule(self.env, c.dom_detection[d], self._detected, d)
        else:
            self._detected(d)
        block = infra.rep_block
        for r in infra.reps_under(d):
            count = block.get(r, 0) + 1
            block[r] = count
            if count == 1:
                i = infra.rep_sys(r)
                st = self.table.state(i)
                if st.cause_domain < 0:
                    st.cause_domain = d
                prop.mark(i)
        prop.propagate()

    def _detected(self, d: int) -> None:
        if self.infra.dom_causes.get(d):
            if self.c.dom_detection[d] > 0:
                self.journal.log(EventKind.detected, self.c.dom_ids[d], f"Operators notice that {self._label(d)} is down")
            policy = self.host.policy
            if policy is not None:
                policy.on_domain_detected(d)

    def destroy(self, d: int) -> None:
        """Destroy domain ``d``: everything placed in it (or below it) loses its hardware and stored data."""
        infra = self.infra
        name = self.c.dom_ids[d]
        infra.dom_destroyed.add(d)
        infra.dom_destroyed_ever.add(d)
        self.journal.log(EventKind.domain_destroyed, name, f"{self._label(d)} is destroyed")
        for r in infra.reps_under(d):
            if r not in infra.rep_destroyed:
                infra.rep_destroyed.add(r)
                i = infra.rep_sys(r)
                self.table.state(i)
                self.propagation.mark(i)
        self.fail(d, "destroyed")
        self.propagation.propagate()
        data = self.data
        for r in infra.reps_under(d):
            i = infra.rep_sys(r)
            st = self.table.sys[i]
            if not st.data_lost and self.c.has_data[i] and data.best_copy(i, exclude_active=False, available_only=False) is None:
                label = self.c.sys_label[i]
                data.lose_all(st, f"Every copy of {label}'s data was in {name}: the data is gone for good", visible=False)

    def restore(self, d: int, causes: tuple[str, ...] | None = None) -> None:
        """Remove causes of failure from domain ``d`` (all by default); replicas come back when none remain.

        A destroyed domain comes back as an empty, usable facility: replicas that were in it stay
        destroyed until rebuilt.
        """
        infra = self.infra
        current = infra.dom_causes.get(d)
        if not current:
            return
        if causes is None:
            current.clear()
        else:
            current.difference_update(causes)
        if current:
            return
        infra.dom_down.discard(d)
        infra.dom_destroyed.discard(d)
        self.journal.log(EventKind.domain_up, self.c.dom_ids[d], f"{self._label(d)} is back in service")
        block = infra.rep_block
        for r in infra.reps_under(d):
            count = block.get(r, 0) - 1
            if count <= 0:
                block.pop(r, None)
                self.propagation.mark(infra.rep_sys(r))
            else:
                block[r] = count
        self.propagation.propagate()
        # Work waits on the first domain of its closure that is down in itself (the recovery
        # assessment's domain wait): only waiters on d itself can go on now.
        self.waiters.notify(("domain", d))
        policy = self.host.policy
        if policy is not None:
            policy.on_domain_restored(d)
