"""What an inject action means before any run: the rules every action's module fills in.

An inject (or a decision effect) does exactly one action, named by its key (``fail``,
``surge``...: :data:`drillsim.model.injects.ACTION_FIELDS`). An action's model-side rules
(:class:`InjectKind`) say what it refers to (validation), how it reads in a master scenario
events list (:mod:`drillsim.model.msel`: the Target and Details columns, both ways) and the text
the event feed shows when it happens. What it does to a run is in :mod:`drillsim.engine.injects`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..injects import Action
from ..scenario import Scenario

__all__ = ["InjectKind", "IdInjectKind", "InjectChecks", "Path", "Details", "TARGET_TEXT"]

Path = tuple[str | int, ...]
Details = list[tuple[str, Any]]
"""The Details column of an events-list row, as (key, value) pairs in the order written."""

TARGET_TEXT = {
    "domain": "a domain",
    "system": "a system",
    "systems": "one or more systems",
    "team": "a team",
    "decision": "a decision id",
}
"""How an events list names what a target must be."""


class InjectChecks(Protocol):
    """What an action's validation needs from the scenario checker (:mod:`drillsim.model.validation`)."""

    s: Scenario
    domains: set[str]
    systems: set[str]
    teams: set[str]
    decisions: set[str]

    def ref(self, path: Path, value: str | None, known: set[str], what: str) -> bool:
        """Report an unknown reference at ``path``; return whether it is known."""
        ...

    def error(self, path: Path, message: str) -> None:
        """Report an error at ``path``."""
        ...


class InjectKind:
    """Model-side rules of one inject action."""

    key: str
    """The action's key (a field of :class:`~drillsim.model.injects.Action`)."""
    target: str
    """What it acts on: domain, system, systems (one or more), team or decision."""
    target_field: str | None = None
    """The field of the action's value naming the target (None: the value itself is the target)."""
    details: tuple[str, ...] = ()
    """Keys of the events list's Details column it takes."""
    required: tuple[tuple[str, str], ...] = ()
    """Details it cannot do without, with the message when one is missing."""

    @property
    def target_text(self) -> str:
        """What the target must be, as an events list says it ('a domain')."""
        return TARGET_TEXT[self.target]

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        """Report unknown references of ``action`` (at ``path`` in the scenario)."""
        raise NotImplementedError

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        """The Target cell and the Details of ``action`` in an events list (``dur`` writes a duration)."""
        raise NotImplementedError

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        """The fields of an inject entry read from an events-list row (texts as written; validation follows)."""
        raise NotImplementedError

    def column(self, path: tuple[Any, ...]) -> str:
        """The events-list column a validation error at ``path`` (inside the action's value) comes from."""
        if self.target_field is None or (path and path[0] == self.target_field):
            return "target"
        return "details"

    def summary(self, scenario: Scenario, action: Action) -> str:
        """What the event feed says when it happens ('Room 7-1 fails'): only what the players can know then.

        How long an outage or a surge will last is the truth of the scenario, not something the
        players are told: the feed does not say it (the facilitator's view shows it apart).
        """
        raise NotImplementedError


class IdInjectKind(InjectKind):
    """An action whose value is the id of what it acts on (``fail: room-7-1``), optionally with ``for``."""

    def __init__(self, key: str, target: str, verb: str, timed: bool = False):
        self.key = key
        self.target = target
        self.verb = verb
        """How the feed says it happens ('fails', 'is destroyed')."""
        self.timed = timed
        """It takes ``for`` (it ends by itself after that long)."""
        self.details = ("for",) if timed else ()

    def _known(self, ctx: InjectChecks) -> set[str]:
        return {"domain": ctx.domains, "system": ctx.systems, "decision": ctx.decisions}[self.target]

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        ctx.ref((*path, self.key), getattr(action, self.key), self._known(ctx), self.target)

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        details: Details = []
        if action.duration is not None:
            details.append(("for", dur(action.duration)))
        return str(getattr(action, self.key)), details

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        out: dict[str, Any] = {self.key: target}
        if "for" in details:
            out["for"] = details["for"]
        return out

    def summary(self, scenario: Scenario, action: Action) -> str:
        target = getattr(action, self.key)
        if self.target == "domain":
            return f"{scenario.domain_index[target].label} {self.verb}"
        return f"{scenario.system_index[target].label} {self.verb}"
