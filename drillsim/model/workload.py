"""How much work a run of a scenario will be, estimated before it starts.

Most of a scenario costs a few events per outage, whatever its demand (demand is fluid: a curve,
not an event per request). Two things cost an event each time they happen, and a file can ask
for billions of them in four lines: callers of a per-request queue (``queueing``), and
background failures and repairs (``failures``). Their expected counts are simple sums:

- a queue's arrivals: its rate (``arrivals``, or ``demand.per_day`` / 24 an hour) times the
  run's length, plus what each surge on it adds (rate x (factor - 1) x how long it lasts);
- a background failure's events: per target, two (a failure and a repair) per mean cycle
  (``time_to_failure`` mean + ``time_to_repair`` mean) over the run.

A per-request run expected to have more than :data:`~drillsim.model.limits.MAX_ARRIVALS`
callers is refused unless asked for (``--allow-large``): fluid mode gives the same demand
without an event per caller. Background failures over
:data:`~drillsim.model.limits.MAX_BACKGROUND_EVENTS` events are warned about at validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic, ScenarioError, Severity
from .injects import Action
from .limits import MAX_ARRIVALS, MAX_BACKGROUND_EVENTS
from .scenario import Scenario
from .validation import Finding

__all__ = ["QueueLoad", "expected_arrivals", "expected_background_events", "arrivals_problem", "require_feasible", "workload_findings"]


@dataclass(frozen=True)
class QueueLoad:
    """The expected callers of one per-request system over a run."""

    index: int
    """Position of the system in ``systems``."""
    system: str
    arrivals: float


def _surge_extra(scenario: Scenario, system_id: str, rate: float, end: float) -> float:
    """Callers that surges on ``system_id`` add to a run ending at ``end`` (decision effects counted too)."""
    extra = 0.0
    actions: list[tuple[float, Action]] = [(inject.at, inject) for inject in scenario.injects]
    actions += [(0.0, effect) for d in scenario.decisions for o in d.options for effect in o.effects]
    for at, action in actions:
        surge = action.surge
        if surge is None or system_id not in surge.systems or at >= end or surge.factor <= 1:
            continue
        lasts = min(surge.duration, end - at) if surge.duration is not None else end - at
        extra += rate * (surge.factor - 1.0) * lasts
    return extra


def expected_arrivals(scenario: Scenario, end: float | None = None) -> list[QueueLoad]:
    """Expected per-request callers of each system with a ``queueing`` block, in a run to ``end`` hours."""
    end = scenario.horizon if end is None else min(end, scenario.horizon)
    out = []
    for index, system in enumerate(scenario.systems):
        q = system.queueing
        if q is None:
            continue
        rate = q.arrivals if q.arrivals is not None else system.demand.per_day / 24.0
        out.append(QueueLoad(index, system.id, rate * end + _surge_extra(scenario, system.id, rate, end)))
    return out


def expected_background_events(scenario: Scenario, end: float | None = None) -> list[float]:
    """Expected failure and repair events of each ``failures`` entry in a run to ``end`` hours."""
    end = scenario.horizon if end is None else min(end, scenario.horizon)
    out = []
    for failure in scenario.failures:
        cycle = failure.time_to_failure.mean + failure.time_to_repair.mean
        per_target = 2.0 * end / cycle if cycle > 0 else float("inf")
        out.append(per_target * len(failure.targets))
    return out


def arrivals_problem(scenario: Scenario, end: float | None = None) -> str | None:
    """Why a run to ``end`` is too large to simulate request by request, or None if it is not."""
    loads = expected_arrivals(scenario, end)
    total = sum(load.arrivals for load in loads)
    if total <= MAX_ARRIVALS:
        return None
    worst = max(loads, key=lambda load: load.arrivals)
    return (
        f"systems[{worst.index}] {worst.system!r}: about {total:,.0f} callers are expected in per-request mode "
        f"({worst.arrivals:,.0f} at {worst.system!r}), more than the {MAX_ARRIVALS:,} a run simulates one by one. "
        f"Remove its 'queueing' block to run it in fluid mode (the same demand, as a curve), shorten the run "
        f"with --until, or pass --allow-large to simulate every caller anyway"
    )


def require_feasible(scenario: Scenario, end: float | None = None, data: Any = None, file: str | None = None) -> None:
    """Raise ScenarioError (located in ``data`` when given) if a run to ``end`` has too many per-request callers."""
    problem = arrivals_problem(scenario, end)
    if problem is None:
        return
    from .yamlio import locate

    worst = max(expected_arrivals(scenario, end), key=lambda load: load.arrivals)
    path = ("systems", worst.index, "queueing")
    loc, _ = locate(data, path) if data is not None else (None, path)
    message = problem.split(": ", 1)[1]
    raise ScenarioError([Diagnostic(Severity.error, message, loc.file if loc else file, loc.line if loc else None, path)])


def workload_findings(scenario: Scenario) -> list[Finding]:
    """Warnings about runs that will take very long: background failures far too frequent for the horizon."""
    findings = []
    for index, events in enumerate(expected_background_events(scenario)):
        if events > MAX_BACKGROUND_EVENTS:
            failure = scenario.failures[index]
            findings.append(
                Finding(
                    Severity.warning,
                    ("failures", index),
                    f"about {events:,.0f} failures and repairs are expected over the horizon ({len(failure.targets)} target(s), "
                    f"one cycle every {(failure.time_to_failure.mean + failure.time_to_repair.mean) * 3600:,.4g}s on average): "
                    f"more than {MAX_BACKGROUND_EVENTS:,}, the run will be very slow and may reach its event budget",
                )
            )
    return findings
