"""The seats file: who sits at a networked drill, in which role, over which organizations and teams.

A seats file is YAML, read with drillsim's own loader (every value remembers its line), so a
mistake is reported as ``seats.yaml:12: seats[3].organizations[0]: unknown organization
'sejong' (did you mean 'sejong-city'?)`` and ``drillsim serve`` exits with status 2::

    seats:
      - id: facilitator
        role: facilitator            # sees the truth, moves the clock, injects, ends, undoes
      - id: sejong
        role: team                   # commands its teams, sees its organizations' systems
        name: Sejong city hall
        organizations: [sejong-city]
        teams: [sejong-it]
        token_env: DRILL_TOKEN_SEJONG   # the token comes from this variable (else one is generated)
      - id: press
        role: observer               # sees what its organizations' seat sees, cannot act
        organizations: [sejong-city]

Ids of organizations, teams and decisions are checked against the scenario, with a
did-you-mean. Tokens themselves are never written in the file (only the name of the variable
that holds one), and never in the journal.
"""

from __future__ import annotations

import os
import secrets
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import Field

from ..model.common import Id, Strict
from ..model.diagnostics import Diagnostic, DrillsimError, ScenarioError, Severity
from ..model.located import locate
from ..model.scenario import Scenario
from ..model.suggest import did_you_mean

__all__ = ["Role", "SeatSpec", "SeatsFile", "load_seats", "resolve_tokens"]


class Role(str, Enum):
    """What a seat may do: run the drill, play a part of it, or watch."""

    facilitator = "facilitator"
    team = "team"
    observer = "observer"


class SeatSpec(Strict):
    """One seat of the drill."""

    id: Id = Field(description="The seat's id, given to `drillsim join --seat`.")
    role: Role = Field(description="facilitator (the truth, the clock, injects), team (acts for its teams) or observer (watches).")
    name: str | None = Field(default=None, description="Display name, e.g. 'Sejong city hall'.")
    organizations: list[Id] = Field(default_factory=list, description="Organizations whose systems the seat sees (and reports on).")
    teams: list[Id] = Field(default_factory=list, description="Teams the seat commands (team) or watches (observer); their own systems are the seat's too.")
    decides: list[Id] = Field(default_factory=list, description="Decision points this seat may answer (the facilitator may answer any).")
    collects: list[Id] = Field(
        default_factory=list, description="Seats whose situation reports this seat receives (a ministry, the national headquarters); the facilitator receives all.")
    token_env: str | None = Field(default=None, description="Environment variable holding the seat's token; without it a token is generated at start and printed.")

    @property
    def label(self) -> str:
        """The display name, or the id."""
        return self.name or self.id


class SeatsFile(Strict):
    """A seats file: the seats of one networked drill."""

    seats: list[SeatSpec] = Field(min_length=1, description="The seats, each with a unique id.")

    def seat(self, seat_id: str) -> SeatSpec | None:
        """The seat with this id (None if there is none)."""
        return next((s for s in self.seats if s.id == seat_id), None)


def load_seats(path: str | Path, scenario: Scenario) -> SeatsFile:
    """Read and check a seats file against ``scenario``; ScenarioError (located diagnostics) if it is wrong."""
    from pydantic import ValidationError

    from ..model.loading import pydantic_diagnostics
    from ..model.yamlio import load_yaml

    file = str(path)
    data = load_yaml(path)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        line = getattr(getattr(data, "loc", None), "line", None)
        raise ScenarioError([Diagnostic(Severity.error, f"a seats file must be a mapping with a 'seats' list, this one is {kind}", file, line)])
    try:
        spec = SeatsFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(pydantic_diagnostics(exc, data, file, root=SeatsFile)) from None
    problems = _cross_check(spec, scenario, data, file)
    if problems:
        raise ScenarioError(problems)
    return spec


def _cross_check(spec: SeatsFile, scenario: Scenario, data: Any, file: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def error(path: tuple[Any, ...], message: str) -> None:
        loc, kept = locate(data, path)
        out.append(Diagnostic(Severity.error, message, loc.file if loc else file, loc.line if loc else None, kept))

    orgs = [o.id for o in scenario.organizations]
    teams = [t.id for t in scenario.teams]
    decisions = list(scenario.decision_index)
    ids = [s.id for s in spec.seats]
    seen: set[str] = set()
    for k, seat in enumerate(spec.seats):
        if seat.id in seen:
            error(("seats", k, "id"), f"seat id {seat.id!r} is used twice: every seat needs its own id")
        seen.add(seat.id)
        for field, known, what in (("organizations", orgs, "organization"), ("teams", teams, "team"), ("decides", decisions, "decision"), ("collects", ids, "seat")):
            for j, value in enumerate(getattr(seat, field)):
                if value not in known:
                    listing = ", ".join(known) if len(known) <= 12 else f"{len(known)} of them"
                    error(("seats", k, field, j), f"unknown {what} {value!r}{did_you_mean(value, known)} (the scenario's {what}s: {listing or 'none'})")
        if seat.role is Role.team and not seat.teams and not seat.organizations:
            error(("seats", k, "role"), f"team seat {seat.id!r} names no organization and no team: it would see and do nothing")
        if seat.role is Role.facilitator and (seat.teams or seat.organizations):
            error(("seats", k, "role"), f"facilitator seat {seat.id!r} sees everything: it takes no organizations or teams")
        if seat.token_env is not None and not seat.token_env.replace("_", "").isalnum():
            error(("seats", k, "token_env"), f"{seat.token_env!r} is not an environment variable name (letters, digits and _)")
    if not any(s.role is Role.facilitator for s in spec.seats):
        error(("seats",), "no seat has the role facilitator: someone must run the clock")
    return out


def resolve_tokens(spec: SeatsFile, env: dict[str, str] | None = None) -> dict[str, str]:
    """Each seat's token: from its ``token_env`` variable, else a new random one (32 url-safe characters)."""
    env = dict(os.environ) if env is None else env
    tokens: dict[str, str] = {}
    for seat in spec.seats:
        if seat.token_env is not None:
            value = env.get(seat.token_env, "")
            if len(value) < 8:
                state = "is not set" if not value else "holds fewer than 8 characters"
                raise DrillsimError(f"seat {seat.id!r} takes its token from ${seat.token_env}, which {state}: "
                                    "set it (at least 8 characters), or remove token_env to have one generated")
            tokens[seat.id] = value
        else:
            tokens[seat.id] = secrets.token_urlsafe(24)
    return tokens
