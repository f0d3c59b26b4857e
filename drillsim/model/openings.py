"""Decisions that fit the world: when a decision opens, and the live figures its text may quote.

A decision is put to the players by an inject at a time (``{at: 2d12h, decision: burned-systems}``)
or, with ``opens``, when the world (as the players see it) calls for it::

    decisions:
      - id: move-to-room-2
        opens:                               # checked every 15 minutes of simulated time
          after: 3d                          # not before
          serving: {share: 0.9, of: {in: [daejeon-room-1, daejeon-room-2]}}   # 90 % of these serve again
          down: nirs-ntops                   # and the team knows nTOPS is not serving
          by: 8d12h                          # at the latest, whatever the conditions
        figures:                             # live, as the team sees them when the decision opens
          back: {serving: {in: [daejeon-room-1, daejeon-room-2]}}
          rooms: {total: {in: [daejeon-room-1, daejeon-room-2]}}
          share: {share: {in: [daejeon-room-1, daejeon-room-2], grade: [1, 2]}}
        prompt: "{back} of the {rooms} systems of rooms 1-2 serve again ({share} of grades 1-2). ..."

A set of systems (:class:`SystemSet`) names domains (the systems whose primary placement is in
one of them, or below), grades, organizations (the systems they use or own) and system ids;
every key given must hold. A figure counts the systems of its set that serve (``serving``), that
do not serve or are not yet reported (``not_serving``), all of them (``total``), or gives the
share that serves (``share``, written ``87 %``). The prompt quotes figures as ``{name}`` (``{{``
and ``}}`` for braces). Validation reports unknown ids (with a did-you-mean) and unknown figures.
"""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import Field, model_validator

from .common import Id, Share, Strict
from .suggest import did_you_mean
from .units import Duration

__all__ = ["SystemSet", "Figure", "ServingCondition", "Opening", "FIGURE_KINDS", "prompt_fields", "check_decision", "CHECK_EVERY"]

CHECK_EVERY = 0.25
"""Hours between two checks of a decision's opening conditions."""

FIGURE_KINDS = ("serving", "not_serving", "total", "share")
"""What a figure gives about its set of systems."""


class SystemSet(Strict):
    """Systems picked by where they run, their grade, their organization or their ids (every key given must hold)."""

    in_: list[Id] = Field(default_factory=list, alias="in", description="Domains: the systems whose primary placement is in one of them (or below).")
    grade: list[int] = Field(default_factory=list, description="Grades (1 most critical .. 4).")
    org: list[Id] = Field(default_factory=list, description="Organizations: the systems they use or own.")
    systems: list[Id] = Field(default_factory=list, description="System ids.")

    @model_validator(mode="after")
    def _not_empty(self) -> "SystemSet":
        if not (self.in_ or self.grade or self.org or self.systems):
            raise ValueError("name the systems: in (domains), grade, org or systems")
        return self


class Figure(Strict):
    """A live figure of a decision's text: about a set of systems, as the team sees them when the decision opens."""

    serving: SystemSet | None = Field(default=None, description="How many of these systems serve.")
    not_serving: SystemSet | None = Field(default=None, description="How many do not serve (down, recovering, by hand) or are not yet reported.")
    total: SystemSet | None = Field(default=None, description="How many systems the set has.")
    share: SystemSet | None = Field(default=None, description="The share of these systems that serve, as '87 %'.")

    @model_validator(mode="after")
    def _one_kind(self) -> "Figure":
        kinds = [k for k in FIGURE_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"a figure is one of {', '.join(FIGURE_KINDS)}" + (f", not {' and '.join(kinds)}" if kinds else ""))
        return self

    @property
    def kind(self) -> Literal["serving", "not_serving", "total", "share"]:
        """What the figure gives."""
        for k in FIGURE_KINDS:
            if getattr(self, k) is not None:
                return k  # type: ignore[return-value]
        raise AssertionError("validated: one kind")  # pragma: no cover

    @property
    def of(self) -> SystemSet:
        """The set of systems it is about."""
        value = getattr(self, self.kind)
        assert isinstance(value, SystemSet)
        return value


class ServingCondition(Strict):
    """At least ``share`` of a set of systems serve, as the team sees them."""

    share: Share = Field(description="The share of the set that must serve (0.9: nine in ten).")
    of: SystemSet = Field(description="The systems.")


class Opening(Strict):
    """When a decision opens by itself: after a time, once its conditions hold (as the team sees the world), or at the latest by a time."""

    after: Duration = Field(default=0.0, description="Not before this time after the scenario start.")
    serving: ServingCondition | None = Field(default=None, description="Once at least this share of these systems serve.")
    down: Id | None = Field(default=None, description="Once the team knows this system is not serving (its alert came in).")
    by: Duration | None = Field(default=None, description="At the latest (opens then even if the conditions do not hold).")

    @model_validator(mode="after")
    def _order(self) -> "Opening":
        if self.by is not None and self.by < self.after:
            raise ValueError(f"'by' ({self.by:g}h) comes before 'after' ({self.after:g}h)")
        return self


def prompt_fields(prompt: str) -> list[str]:
    """The figure names a prompt quotes (``{name}``); ValueError for a malformed brace."""
    names = []
    for _text, field, _spec, _conv in string.Formatter().parse(prompt):
        if field is not None:
            names.append(field)
    return names


def check_decision(ctx: Any, i: int, decision: Any) -> None:
    """Report unknown ids in a decision's ``opens`` and ``figures``, and figures its prompt quotes but does not define."""
    base = ("decisions", i)
    orgs = {o.id for o in ctx.s.organizations}

    def check_set(path: tuple[Any, ...], chosen: SystemSet) -> None:
        for k, d in enumerate(chosen.in_):
            ctx.ref((*path, "in", k), d, ctx.domains, "domain")
        for k, o in enumerate(chosen.org):
            ctx.ref((*path, "org", k), o, orgs, "organization")
        for k, s in enumerate(chosen.systems):
            ctx.ref((*path, "systems", k), s, ctx.systems, "system")
        for k, g in enumerate(chosen.grade):
            if g not in (1, 2, 3, 4):
                ctx.error((*path, "grade", k), f"grade {g} does not exist (grades are 1 to 4)")

    opens = decision.opens
    if opens is not None:
        if opens.serving is not None:
            check_set((*base, "opens", "serving", "of"), opens.serving.of)
        ctx.ref((*base, "opens", "down"), opens.down, ctx.systems, "system")
        if opens.after > ctx.s.horizon:
            ctx.warn((*base, "opens", "after"), f"after the horizon ({opens.after:g}h > {ctx.s.horizon:g}h): the decision never opens")
    for name, figure in decision.figures.items():
        check_set((*base, "figures", name, figure.kind), figure.of)
    try:
        quoted = prompt_fields(decision.prompt)
    except ValueError as exc:
        ctx.error((*base, "prompt"), f"malformed figure in the prompt ({exc}): quote figures as {{name}}, braces as {{{{ and }}}}")
        return
    for name in quoted:
        if name not in decision.figures:
            known = f" (figures: {', '.join(decision.figures)})" if decision.figures else " (define it under figures:)"
            ctx.error((*base, "prompt"), f"the prompt quotes {{{name}}}, which is not a figure of this decision{did_you_mean(name, decision.figures)}{known}")
