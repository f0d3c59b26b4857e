"""The scenario: an ecosystem (domains, teams, systems, organizations) and what happens to it.

A scenario file may ``extends`` a shared model file and add or patch entries by id (see
``drillsim.model.overlays``); what this module describes is the merged, validated result.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from .common import Id, Strict
from .domains import Domain
from .failures import BackgroundFailure
from .injects import Decision, Inject
from .limits import MAX_HORIZON_HOURS, MAX_WEIGHT
from .organizations import Organization
from .systems import System
from .teams import Team
from .units import Duration, PositiveDuration, written

__all__ = ["Scenario", "Monitoring", "DEFAULT_GRADE_WEIGHTS"]

DEFAULT_GRADE_WEIGHTS = {1: 8.0, 2: 4.0, 3: 2.0, 4: 1.0}
"""Weight of one unit of demand by grade in grade-weighted scores: each grade counts twice the next."""


class Monitoring(Strict):
    """The monitoring system; while it is down, failures are noticed only when users report them."""

    system: Id | None = Field(default=None, description="The monitoring system's id; unset: monitoring never fails.")
    report_delay: Duration = Field(default=written("2h"), description="Detection delay while monitoring is down (user reports).")


class Scenario(Strict):
    """A complete drill scenario (or, with no injects, a model other scenarios extend)."""

    id: Id = Field(description="Scenario id, e.g. 'nirs-daejeon-fire-2025'.")
    name: str | None = Field(default=None, description="Title (English).")
    name_local: str | None = Field(default=None, description="Title in the local language.")
    extends: str | None = Field(default=None, description="Model or scenario file this one patches (path relative to this file).")
    description: str | None = Field(default=None, description="What the scenario is about.")
    briefing: str | None = Field(default=None, description="The situation as told to the players at the start of a drill.")
    objectives: list[str] = Field(default_factory=list, description="What the players should achieve.")
    rules: list[str] = Field(default_factory=list, description="Ground rules of the exercise.")
    sources: list[str] = Field(default_factory=list, description="Where the facts behind the scenario come from (URLs).")
    notes: str | None = Field(default=None, description="Modelling notes: assumptions and how close the scenario comes to the record.")
    start: datetime = Field(default=datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc), description="Start date-time with offset, e.g. 2025-09-26T20:15:00+09:00.")
    timezone: str | None = Field(default=None, description="IANA time zone for local display, e.g. 'Asia/Seoul'.")
    horizon: PositiveDuration = Field(default=written("30d"), description="How long the simulation runs.")
    curve_scope: list[Id] | None = Field(
        default=None,
        description=(
            "Domains whose systems the recovery curve and the times to 50/90/100 % recovery count (a system counts "
            "if its first active placement sits in or below one of them); default: every affected system."
        ),
    )
    grade_weights: dict[int, float] = Field(
        default_factory=lambda: dict(DEFAULT_GRADE_WEIGHTS), description="Weight of a unit of demand by grade, for weighted scores."
    )
    monitoring: Monitoring = Field(default_factory=Monitoring, description="The monitoring system and the user-report delay.")
    domains: list[Domain] = Field(default_factory=list, description="Failure domains.")
    teams: list[Team] = Field(default_factory=list, description="Recovery teams.")
    systems: list[System] = Field(default_factory=list, description="Systems.")
    organizations: list[Organization] = Field(default_factory=list, description="Organizations and the systems they use.")
    injects: list[Inject] = Field(default_factory=list, description="Timed events.")
    decisions: list[Decision] = Field(default_factory=list, description="Decision points, opened by injects or by their own 'opens' conditions.")
    failures: list[BackgroundFailure] = Field(default_factory=list, description="Background random failures.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            shown = value if len(value) <= 60 else value[:57] + "..."
            try:
                if len(value) > 64:  # the longest IANA name has 32 characters; longer ones no file system opens
                    raise ValueError(value)
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                raise ValueError(f"unknown time zone {shown!r} (use an IANA name such as 'Asia/Seoul')") from None
        return value

    @field_validator("grade_weights")
    @classmethod
    def _weights(cls, value: dict[int, float]) -> dict[int, float]:
        merged = dict(DEFAULT_GRADE_WEIGHTS)
        for grade, weight in value.items():
            if grade not in merged:
                raise ValueError(f"grade {grade!r} does not exist (grades are 1 to 4)")
            if weight < 0:
                raise ValueError(f"grade {grade} weight {weight!r} must not be negative")
            if weight > MAX_WEIGHT:
                raise ValueError(f"grade {grade} weight {weight!r} is more than {MAX_WEIGHT:.0e} (only their ratios matter: scale them down)")
            merged[grade] = float(weight)
        return merged

    @field_validator("horizon")
    @classmethod
    def _bounded_horizon(cls, hours: float) -> float:
        if hours > MAX_HORIZON_HOURS:
            raise ValueError(f"a horizon of {hours / 8760:,.4g} years is longer than the {MAX_HORIZON_HOURS / 8760:g} years a run may simulate")
        return hours

    @model_validator(mode="after")
    def _aware_start(self) -> "Scenario":
        if self.start.tzinfo is None:
            if self.timezone is None:
                raise ValueError(
                    f"start {self.start.isoformat()!r} has no time zone: add an offset (+09:00) or a 'timezone'"
                )
            self.start = self.start.replace(tzinfo=ZoneInfo(self.timezone))
        return self

    # Lookups. Cached: a scenario is not mutated once loaded.
    @cached_property
    def system_index(self) -> dict[str, System]:
        """Systems by id."""
        return {s.id: s for s in self.systems}

    @cached_property
    def domain_index(self) -> dict[str, Domain]:
        """Domains by id."""
        return {d.id: d for d in self.domains}

    @cached_property
    def team_index(self) -> dict[str, Team]:
        """Teams by id."""
        return {t.id: t for t in self.teams}

    @cached_property
    def decision_index(self) -> dict[str, Decision]:
        """Decision points by id."""
        return {d.id: d for d in self.decisions}

    @property
    def label(self) -> str:
        """The title, with the local title beside it when there is one."""
        base = self.name or self.id
        return f"{base} ({self.name_local})" if self.name_local else base

    @property
    def zone(self) -> Any:
        """The display time zone: the named one, else the start's own offset."""
        return ZoneInfo(self.timezone) if self.timezone else self.start.tzinfo

    def local_time(self, hours: float) -> datetime:
        """The local date-time ``hours`` after the start."""
        return (self.start + timedelta(hours=hours)).astimezone(self.zone)
