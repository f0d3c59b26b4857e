"""What the drill team can do: structured action ids, the options listed, and the handler of a kind.

An action is named by an :class:`ActionId` (kind, target, option), whose string form
(``recover/gov24/failover``, ``fallback/gov24``, ``repair/room-7-1``, ``cancel/12``) is what
journals record and :meth:`~drillsim.engine.simulation.Simulation.act` accepts, so journals
written before ids were structured still replay. Each kind has one :class:`ActionHandler`
(registered in :mod:`drillsim.engine.actions`): it lists the options of its kind with their cost
and, when impossible, the reason, and carries one out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ...model.diagnostics import DrillsimError
from ..kinds import Feasibility
from ..tasks import Task
from ..world import World

__all__ = ["ActionId", "ActionKind", "ActionOption", "ActionError", "ActionHandler", "hours_text"]


class ActionError(DrillsimError):
    """An action that cannot be taken now (the message says why)."""


class ActionKind(StrEnum):
    """The kinds of action the engine itself offers (layers above may register more, :func:`~drillsim.engine.actions.register_action`)."""

    recover = "recover"
    """Carry out a runbook option of a system."""
    fallback = "fallback"
    """Switch a system to its manual fallback."""
    repair = "repair"
    """Send a domain's repair crew."""
    cancel = "cancel"
    """Cancel a task whose hands-on work has not started."""


@dataclass(frozen=True, slots=True)
class ActionId:
    """A structured action id: kind, target (a system, domain or task id) and, for some kinds, an option."""

    kind: str
    """The action kind (an :class:`ActionKind`, or a kind registered by a layer above)."""
    target: str
    """What it acts on: a system id, a domain id, a task number."""
    option: str = ""
    """The runbook option (``recover``), else empty."""

    def __str__(self) -> str:
        """The stable string form journals record: ``kind/target[/option]``."""
        return f"{self.kind}/{self.target}/{self.option}" if self.option else f"{self.kind}/{self.target}"


@dataclass(frozen=True, slots=True)
class ActionOption:
    """Something the team could do now, what it costs, and whether it is possible."""

    action: ActionId
    """The action, as :meth:`~drillsim.engine.simulation.Simulation.act` takes it."""
    subject: str
    """The system, domain or task concerned."""
    label: str
    """How it reads: 'failover Government24 (정부24): 3 staff, about 2h'."""
    team: str | None
    staff: int
    hours: float | None
    """Expected hands-on hours (the mean of the duration distribution)."""
    status: Feasibility
    """ready (starts when staff are free), wait (will start once possible) or no (impossible)."""
    reason: str = ""
    """Why it must wait or cannot be done."""
    grade: int = 4
    id: str = field(init=False)
    """The action's string form (``str(action)``), e.g. ``recover/gov24/failover``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", str(self.action))

    @property
    def kind(self) -> str:
        """recover, fallback, repair or cancel (or a kind registered above the engine)."""
        return self.action.kind


class ActionHandler:
    """The options and the carrying out of one kind of action."""

    kind: str
    """The kind handled (the first part of the string form)."""

    def parse(self, rest: str) -> ActionId:
        """The id whose string form is ``kind/rest`` (by default the rest is the target)."""
        return ActionId(self.kind, rest)

    def options(self, world: World, truth: bool, now: float) -> Iterable[ActionOption]:
        """The actions of this kind the team could take now (impossible ones with the reason); ``truth``: the facilitator's view."""
        raise NotImplementedError

    def act(self, world: World, action: ActionId, by: str) -> Task | None:
        """Carry out ``action`` for ``by``; the task it starts (if any); ActionError if it cannot be done."""
        raise NotImplementedError


def hours_text(h: float) -> str:
    """A duration in an action's label: '45 min', '2.5 h', '3 days'."""
    if h < 1:
        return f"{h * 60:.0f} min"
    if h < 48:
        return f"{h:.1f} h".replace(".0 h", " h")
    return f"{h / 24:.1f} days".replace(".0 days", " days")
