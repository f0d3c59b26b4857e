"""Building situation reports from what a view of a run exposes.

A sitrep needs, at one moment: the scenario (its organizations and what each uses and owns), the
time, whose view it is, and per system its status and whether it is down only through a system
it depends on. That is :class:`StatusSource`; two things provide it:

- a live drill: :meth:`drillsim.drill.DrillSession.status_view` (or
  :class:`drillsim.drill.StatusView` of any simulation), as the team sees it (fog of war) or, with
  ``truth=True``, as the facilitator sees it: :func:`sitrep_from_view`;
- a finished :class:`~drillsim.engine.RunResult`, at any time ``at``, from its per-system
  timelines (always the truth: a result does not keep what the team knew when):
  :class:`ResultStatus`, and :func:`sitrep_from_result` for short.

:func:`sitrep_from_simulation` takes a bare :class:`~drillsim.engine.Simulation` and reads it
through the drill layer's :class:`~drillsim.drill.StatusView` (the one place that knows the
engine's views).

Pass the previous report as ``previous`` to get the changes since.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, Iterable, Protocol

from ..model.diagnostics import DrillsimError
from ..model.loading import LoadedScenario
from ..model.scenario import Scenario
from ..model.timefmt import fmt_elapsed, fmt_instant
from .sitrep import Change, Counts, OrgSitrep, SitRep, classify

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.results import RunResult

__all__ = ["StatusSource", "ResultStatus", "sitrep_from_view", "sitrep_from_result", "sitrep_from_simulation"]


class StatusSource(Protocol):
    """What a sitrep reads of a moment of a run (see the module docstring)."""

    scenario: Scenario
    t: float
    """Hours since the scenario start."""
    truth: bool
    """True: the facts; False: what the team knew (fog of war)."""
    source: str
    """``simulation`` or ``result``."""

    def state(self, system_id: str) -> tuple[str, bool]:
        """(status value, whether it is down only through its links) of one system."""
        ...


def _state_at(timeline: list[tuple], t: float, default: Any) -> Any:
    """The value of a (t, value, ...) timeline at time t: its last entry at or before t."""
    k = bisect.bisect_right([entry[0] for entry in timeline], t + 1e-9)
    return timeline[k - 1] if k else default


class ResultStatus:
    """Each system's status at ``at`` hours into a finished run, from its timelines (the facts)."""

    source = "result"
    truth = True

    def __init__(self, scenario: Scenario | LoadedScenario, result: "RunResult", at: float):
        sc = _scenario(scenario)
        if result.scenario != sc.id:
            raise DrillsimError(f"the run is of scenario {result.scenario!r}, not {sc.id!r}")
        if at < 0 or at > result.ended_hours + 1e-9:
            raise DrillsimError(f"--at {fmt_elapsed(at)} is outside the run (T+00:00 to {fmt_elapsed(result.ended_hours)})")
        self.scenario = sc
        self.t = at
        self._touched = result.systems

    def state(self, system_id: str) -> tuple[str, bool]:
        """(status value, down only through its links); a system the run never touched is up."""
        r = self._touched.get(system_id)
        if r is None:
            return "up", False
        _, status, _ = _state_at(r.timeline, self.t, (0.0, "up", 1.0))
        _, links = _state_at(r.links_timeline, self.t, (0.0, False))
        return status, links


def _scenario(source: Scenario | LoadedScenario) -> Scenario:
    return source.scenario if isinstance(source, LoadedScenario) else source


def _select(scenario: Scenario, orgs: Iterable[str] | None) -> list[Any]:
    if orgs is None:
        return list(scenario.organizations)
    index = {o.id: o for o in scenario.organizations}
    out = []
    for org_id in orgs:
        if org_id not in index:
            from ..model.validation import did_you_mean

            known = ", ".join(index) or "none"
            raise DrillsimError(f"unknown organization {org_id!r}{did_you_mean(org_id, index)} (organizations: {known})")
        out.append(index[org_id])
    return out


def _build(scenario: Scenario, organizations: list[Any], category_of: Any, previous: SitRep | None) -> list[OrgSitrep]:
    out = []
    names = scenario.system_index
    for org in organizations:
        uses = Counts({s: category_of(s) for s in org.uses})
        owns = Counts({s: category_of(s) for s in org.owns})
        changes: list[Change] | None = None
        if previous is not None:
            try:
                before = previous.organization(org.id)
            except KeyError:
                before = None
            if before is not None:
                changes = []
                for group, now, then in (("uses", uses, before.uses), ("owns", owns, before.owns)):
                    for sid, cat in now.systems.items():
                        old = then.systems.get(sid)
                        if old is not None and old != cat:
                            changes.append(Change(sid, names[sid].label if sid in names else sid, group, old, cat))
        out.append(OrgSitrep(org.id, org.label, uses, owns, changes))
    return out


def sitrep_from_view(view: StatusSource, previous: SitRep | None = None, orgs: Iterable[str] | None = None) -> SitRep:
    """Every organization's report (or those in ``orgs``) at the view's moment, as the view sees it."""
    scenario = view.scenario
    cache: dict[str, str] = {}

    def category_of(system_id: str) -> str:
        if system_id not in cache:
            cache[system_id] = classify(*view.state(system_id))
        return cache[system_id]

    organizations = _build(scenario, _select(scenario, orgs), category_of, previous)
    local = scenario.local_time(view.t)
    return SitRep(
        scenario=scenario.id,
        t=view.t,
        local_time=local.isoformat(),
        truth=view.truth,
        source=view.source,
        organizations=organizations,
        previous_t=previous.t if previous is not None else None,
        moment=fmt_instant(local, view.t),
    )


def sitrep_from_result(
    scenario: Scenario | LoadedScenario,
    result: "RunResult",
    at: float,
    previous: SitRep | None = None,
    orgs: Iterable[str] | None = None,
) -> SitRep:
    """Every organization's report at ``at`` hours into a finished run (the facts, from the timelines)."""
    return sitrep_from_view(ResultStatus(scenario, result, at), previous, orgs)


def sitrep_from_simulation(sim: Any, truth: bool = False, previous: SitRep | None = None, orgs: Iterable[str] | None = None) -> SitRep:
    """Every organization's report at a live simulation's current time (fog of war unless ``truth``)."""
    from ..drill.views import StatusView

    return sitrep_from_view(StatusView(sim, truth), previous, orgs)
