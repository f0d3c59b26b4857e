"""Injects and decision points: the timed events of a drill (a master scenario events list).

An inject happens at a time after the scenario start and does one thing::

    - {at: 0m, destroy: daejeon-room-7-1, message: "Battery fire in room 7-1"}
    - {at: 40m, fail: daejeon-floor-5, for: 21h45m}
    - {at: 2h, surge: {system: vaccine-booking, factor: 3.5, for: 3h}}
    - {at: 6h, decision: relocate-or-rebuild}
    - {at: 8h, message: "The minister asks for a status report"}

A decision point asks the players to choose; each option carries effects, which are the same
actions as injects, happening ``after`` the choice. A decision opens by an inject, or by itself
when the world calls for it (``opens``), and its prompt may quote live figures (``figures``):
see :mod:`drillsim.model.openings`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from .common import Count, Id, PositiveCount, Strict, require_unique
from .limits import MAX_FACTOR
from .openings import Figure, Opening
from .units import Duration

__all__ = [
    "ACTION_FIELDS",
    "Action",
    "Inject",
    "Effect",
    "Surge",
    "AddStaff",
    "Prefer",
    "SetCapacity",
    "Decision",
    "DecisionOption",
]


class Surge(Strict):
    """Demand multiplied by ``factor`` on some systems, for a while or until the horizon."""

    systems: list[Id] = Field(min_length=1, description="Systems whose demand surges.")
    factor: float = Field(gt=0, le=MAX_FACTOR, description="Demand multiplier (3.5: three and a half times normal demand; at most 10^6).")
    duration: Duration | None = Field(default=None, alias="for", description="How long the surge lasts; unset: to the horizon.")

    @model_validator(mode="before")
    @classmethod
    def _one_system(cls, value: Any) -> Any:
        if isinstance(value, dict) and "system" in value and "systems" not in value:
            value = dict(value)
            value["systems"] = [value.pop("system")]
        return value


class AddStaff(Strict):
    """People added to a team (mutual aid, contractors), arriving after a delay."""

    team: Id = Field(description="The team that gets them.")
    staff: PositiveCount = Field(description="How many people.")
    after: Duration = Field(default=0.0, description="Delay before they arrive.")


class Prefer(Strict):
    """Make one recovery option the first the auto policy tries for some systems (e.g. relocate instead of rebuild)."""

    systems: list[Id] = Field(min_length=1, description="Systems concerned.")
    option: Id = Field(description="Id (or kind) of the recovery option to try first.")


class SetCapacity(Strict):
    """Change a domain's free capacity (a partner cloud offers room for 20 systems)."""

    domain: Id = Field(description="The domain (usually a site).")
    free_capacity: Count = Field(description="New free capacity, in footprint units.")


ACTION_FIELDS = (
    "fail",
    "destroy",
    "restore",
    "fail_system",
    "restore_system",
    "suspend",
    "resume",
    "surge",
    "add_staff",
    "prefer",
    "set_capacity",
    "decision",
)
"""The action keys; an inject or effect has exactly one of them, or only a message."""


class Action(Strict):
    """One thing that happens to the world. Exactly one action key, optionally with a message."""

    id: Id | None = Field(default=None, description="Optional id, for cross-reference from exported inject lists.")
    fail: Id | None = Field(default=None, description="Domain that fails (comes back when 'for' ends, is repaired, or restored).")
    destroy: Id | None = Field(default=None, description="Domain destroyed: its hardware is lost and must be rebuilt or relocated.")
    restore: Id | None = Field(default=None, description="Domain back in service (a destroyed one as an empty, usable facility).")
    fail_system: Id | None = Field(default=None, description="System that fails in itself (software fault, overload, cyber attack).")
    restore_system: Id | None = Field(default=None, description="System whose own failure ends.")
    suspend: Id | None = Field(
        default=None, description="System taken offline on purpose (not a fault: nobody tries to recover it; its fallback runs)."
    )
    resume: Id | None = Field(default=None, description="Suspended system put back online.")
    surge: Surge | None = Field(default=None, description="Demand surge.")
    add_staff: AddStaff | None = Field(default=None, description="Staff added to a team.")
    prefer: Prefer | None = Field(default=None, description="Change the runbook order for some systems.")
    set_capacity: SetCapacity | None = Field(default=None, description="Change a site's free capacity.")
    decision: Id | None = Field(default=None, description="Decision point put to the players.")
    duration: Duration | None = Field(default=None, alias="for", description="fail / fail_system: how long until it ends by itself.")
    message: str | None = Field(default=None, description="Text shown to the players (the inject as read aloud).")
    title: str | None = Field(default=None, description="Short title for the events list.")
    expected: str | None = Field(default=None, description="The player action or decision the facilitator expects (a column of the events list).")

    @model_validator(mode="after")
    def _exactly_one_action(self) -> "Action":
        present = [name for name in ACTION_FIELDS if getattr(self, name) is not None]
        if len(present) > 1:
            raise ValueError(f"one action per entry, found {', '.join(present)}: split it into several entries")
        if not present and not self.message:
            raise ValueError(f"an entry needs one of {', '.join(ACTION_FIELDS)} or a message")
        if self.duration is not None:
            if not present or present[0] not in ("fail", "fail_system"):
                raise ValueError("'for' applies to fail and fail_system only (a surge has its own 'for')")
            if self.duration <= 0:
                raise ValueError("'for' must be a positive duration")
        return self

    @property
    def action(self) -> str:
        """The action key ('fail', 'surge', ...) or 'message'."""
        for name in ACTION_FIELDS:
            if getattr(self, name) is not None:
                return name
        return "message"


class Inject(Action):
    """A timed event of the scenario."""

    at: Duration = Field(description="When it happens, after the scenario start (e.g. 0m, 21h45m, 3d).")


class Effect(Action):
    """What a decision option does, ``after`` the choice is made."""

    after: Duration = Field(default=0.0, description="Delay after the decision.")


class DecisionOption(Strict):
    """One answer to a decision point, and what it sets in motion."""

    id: Id = Field(description="Option id, unique within the decision.")
    label: str = Field(description="The option as shown to the players.")
    effects: list[Effect] = Field(default_factory=list, description="What happens when it is chosen.")
    default: bool = Field(default=False, description="The option the auto policy (and a timeout) picks.")


class Decision(Strict):
    """A decision point the players face: a prompt and its options; it opens by an inject, or by itself (``opens``)."""

    id: Id = Field(description="Unique decision id.")
    prompt: str = Field(description="The question, as put to the players; may quote live figures as {name} (see figures).")
    options: list[DecisionOption] = Field(min_length=2, description="The possible answers.")
    opens: Opening | None = Field(
        default=None, description="When it opens by itself: after a time, once conditions of the world hold as the team sees it, by a time at the latest."
    )
    figures: dict[str, Figure] = Field(
        default_factory=dict, description="Live figures the prompt quotes as {name}: counts or shares of systems serving, as the team sees them when it opens."
    )

    @model_validator(mode="after")
    def _one_default(self) -> "Decision":
        defaults = [o.id for o in self.options if o.default]
        if len(defaults) > 1:
            raise ValueError(f"only one option can be the default, found {', '.join(defaults)}")
        require_unique((o.id for o in self.options), "option id")
        return self

    @property
    def default_option(self) -> DecisionOption:
        """The option taken when nobody chooses: the marked default, else the first."""
        for option in self.options:
            if option.default:
                return option
        return self.options[0]
