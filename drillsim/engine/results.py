"""What a run produced: per-system outcomes, ecosystem metrics, the recovery curve, the journal.

Every consumer (the CLI scorecard, the drill's after-action report, batch rows) reads a
:class:`RunResult`, never the engine's internals. Formulas (also in docs/scores.md):

- downtime: hours a system did not serve (served share below its threshold).
- availability: 1 - downtime / hours simulated.
- time to restore: the longest outage, from the moment the system stopped serving to the moment
  it served again, whatever brought it back; an outage still open at the end counts up to the
  end and the system is not ``restored``.
- RTO met: every outage no longer than the RTO (None while an open outage is still within it;
  None for a system that never stopped).
- data loss: the hours of data lost in the worst recovery (replication lag, or the age of the
  backup restored); ``data_lost_permanently`` when no copy survived. RPO met: loss <= RPO.
- demand: units requested (demand per day x profile x surge); unserved = demand - served -
  fallback-served; weighted unserved = sum over systems of grade weight x unserved.
- recovery curve: over the affected systems (those that stopped serving at least once; only
  those placed in the scenario's ``curve_scope`` domains when it has one), the share serving,
  and the share of their grade-weighted normal demand being served, over time.
- time to p % recovery: the first time from which the share of affected systems serving stays
  at or above p % to the end of the run (None if it never gets there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from .events import Event

__all__ = ["SystemResult", "Metrics", "RunResult", "CurvePoint"]


@dataclass(slots=True)
class SystemResult:
    """The outcome of one run for one system."""

    id: str
    name: str
    grade: int
    rto_hours: float
    rpo_hours: float
    availability: float = 1.0
    downtime_hours: float = 0.0
    outages: int = 0
    time_to_restore_hours: float | None = None
    restored: bool = True
    rto_met: bool | None = None
    data_loss_hours: float | None = None
    data_lost_permanently: bool = False
    rpo_met: bool | None = None
    demand: float = 0.0
    unserved_demand: float = 0.0
    fallback_served_demand: float = 0.0
    reentry_hours: float = 0.0
    final_status: str = "up"
    first_down_hours: float | None = None
    timeline: list[tuple[float, str, float]] = field(default_factory=list)
    links_timeline: list[tuple[float, bool]] = field(default_factory=list)
    """(t, through_links) at each change of 'held down by a dependency, nothing wrong in itself' (sitreps)."""

    def as_dict(self, timeline: bool = False) -> dict[str, Any]:
        """A JSON-friendly form (the timeline only on request: it can be long)."""
        out = dict(zip(_SYSTEM_SCALARS, _system_scalars(self)))
        if timeline:
            out["timeline"] = list(self.timeline)
            out["links_timeline"] = list(self.links_timeline)
        return out


@dataclass(slots=True)
class CurvePoint:
    """The recovery curve at one moment: share of affected systems serving, share of weighted demand served."""

    t: float
    systems: float
    weighted: float


@dataclass(slots=True)
class Metrics:
    """Ecosystem-wide scores of a run."""

    systems_total: int
    systems_affected: int
    systems_down_at_end: int
    grade1_rto_breaches: int
    rto_breaches: int
    rpo_breaches: int
    data_lost_permanently: list[str]
    total_demand: float
    unserved_demand: float
    fallback_served_demand: float
    weighted_unserved_demand: float
    first_impact_hours: float | None
    time_to_recover_hours: dict[str, float | None]
    recovery_curve: list[CurvePoint]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly form."""
        out = dict(zip(_METRIC_NAMES, _metric_values(self)))
        out["data_lost_permanently"] = list(self.data_lost_permanently)
        out["time_to_recover_hours"] = dict(self.time_to_recover_hours)
        out["recovery_curve"] = [[p.t, p.systems, p.weighted] for p in self.recovery_curve]
        return out


_SYSTEM_SCALARS = tuple(f.name for f in fields(SystemResult) if f.name not in ("timeline", "links_timeline"))
"""The fields of :meth:`SystemResult.as_dict` without the timelines (they are its last two fields: the same order either way)."""
_system_scalars = attrgetter(*_SYSTEM_SCALARS)
_METRIC_NAMES = tuple(f.name for f in fields(Metrics))
_metric_values = attrgetter(*_METRIC_NAMES)


@dataclass
class RunResult:
    """Everything one run produced."""

    scenario: str
    scenario_hash: str | None
    seed: int
    policy: str
    horizon_hours: float
    ended_hours: float
    systems: dict[str, SystemResult]
    """Results of the systems the run touched; see :meth:`system` for any system."""
    metrics: Metrics
    events: list[Event]
    decisions: list[dict[str, Any]]
    actions: list[dict[str, Any]] = field(default_factory=list)
    queues: dict[str, Any] = field(default_factory=dict)
    """Per-request results by system id (:class:`drillsim.engine.queueing.QueueResult`), for systems with a queueing block."""
    _untouched_factory: Any = field(default=None, repr=False)
    _untouched: dict[str, SystemResult] | None = field(default=None, repr=False)

    def bind_untouched(self, factory: Any) -> None:
        """Attach the builder of untouched systems' results (built lazily: a run's cost follows what it touched)."""
        self._untouched_factory = factory
        self._untouched = None

    @property
    def untouched(self) -> dict[str, SystemResult]:
        """Results of the systems nothing happened to (all up, demand fully served)."""
        if self._untouched is None:
            self._untouched = self._untouched_factory() if self._untouched_factory is not None else {}
        return self._untouched

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_untouched"] = self.untouched  # materialise: the factory holds the whole model
        state["_untouched_factory"] = None
        return state

    def system(self, system_id: str) -> SystemResult:
        """The result of any system, touched or not."""
        return self.systems.get(system_id) or self.untouched[system_id]

    def all_systems(self) -> list[SystemResult]:
        """Every system's result: touched ones first, then the rest."""
        return [*self.systems.values(), *self.untouched.values()]

    def to_dict(self, timelines: bool = False, events: bool = True) -> dict[str, Any]:
        """The JSON document of ``drillsim run --json``."""
        return {
            "scenario": self.scenario,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "policy": self.policy,
            "horizon_hours": self.horizon_hours,
            "ended_hours": self.ended_hours,
            "systems": {s.id: _system_json(s, timelines) for s in self.all_systems()},
            "metrics": _clean(self.metrics.as_dict()),
            "decisions": self.decisions,
            "actions": self.actions,
            "queues": {k: _clean(q.as_dict()) for k, q in self.queues.items()},
            "events": [e.as_dict() for e in self.events] if events else [],
        }


def _finite(value: Any) -> Any:
    """:func:`_clean` of a value that is no container."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _system_json(s: SystemResult, timelines: bool) -> dict[str, Any]:
    """``_clean(s.as_dict(timelines))`` without its walk through every value (a result has thousands)."""
    out = {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in zip(_SYSTEM_SCALARS, _system_scalars(s))}
    if timelines:
        out["timeline"] = [[_finite(t), status, _finite(share)] for t, status, share in s.timeline]
        out["links_timeline"] = [[_finite(t), links] for t, links in s.links_timeline]
    return out


def _clean(value: Any) -> Any:
    """Replace non-finite floats (JSON has none) with None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
