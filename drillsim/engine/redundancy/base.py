"""How the engine runs a redundancy mode: the behaviour every mode's module fills in.

A mode's behaviour answers the questions the engine's rules ask of it: what capacity the
replicas give (:mod:`..propagation`), what detection triggers (:mod:`..detection`), which
replica a restart brings back and which replica takes over when a new one is brought up
(:mod:`..recovery`), and which replicas hold a current copy of the data (:mod:`..data`). The
defaults are those of a mode where one active replica serves. The model-side rules of a mode
(validation, static blast radius) are in :mod:`drillsim.model.redundancy`.

The behaviours see replicas and systems through the small protocols below, so this package
depends on no other engine module.
"""

from __future__ import annotations

from typing import Protocol

from ...model.systems import Redundancy, RedundancyMode

__all__ = ["ModeBehaviour", "Replicas", "Replicated"]


class Replicas(Protocol):
    """Whether a replica is up and what it carries (:class:`~drillsim.engine.infra.Infrastructure`)."""

    def rep_up(self, r: int) -> bool:
        """Whether replica ``r`` can serve."""
        ...

    def rep_capacity(self, r: int) -> float:
        """Share of full load replica ``r`` carries alone."""
        ...


class Replicated(Protocol):
    """A system's replicas as a run sees them (:class:`~drillsim.engine.state.SysState`)."""

    reps: list[int]
    active: int


class ModeBehaviour:
    """The engine's behaviour of one redundancy mode (defaults: one active replica serves)."""

    mode: RedundancyMode
    """The mode this behaviour is for."""

    def own_capacity(self, replicas: Replicas, st: Replicated) -> float:
        """Capacity from the system's replicas alone (0..1)."""
        r = st.active
        return replicas.rep_capacity(r) if replicas.rep_up(r) else 0.0

    def switches_over(self, spec: Redundancy) -> bool:
        """Whether detecting a problem of the system's own starts an automatic switchover."""
        return False

    def restart_target(self, replicas: Replicas, st: Replicated) -> int | None:
        """The replica a restart brings back when the system has not failed in itself (None: nothing to restart)."""
        if not replicas.rep_up(st.active):
            return st.active
        return None

    def holds_data(self, st: Replicated, r: int) -> bool:
        """Whether replica ``r`` (not destroyed) holds a current copy of the system's data."""
        return r == st.active

    def takes_over(self, st: Replicated, old: int) -> bool:
        """Whether a replica brought up in place of ``old`` (a restore, a rebuild elsewhere) becomes the active one."""
        return True
