"""Teams: the people who do recovery work, how many, and when they are on site."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from .common import Id, PositiveCount, Strict
from .units import Duration, written

__all__ = ["Team", "Schedule", "ScheduleKind", "MutualAid", "WEEKDAYS"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ScheduleKind(str, Enum):
    """Round the clock, or office hours with a call-in delay outside them."""

    always = "24x7"
    business_hours = "business-hours"


def _parse_clock(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 24:
        return float(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if match and int(match.group(1)) <= 24 and int(match.group(2)) < 60:
            return int(match.group(1)) + int(match.group(2)) / 60.0
    raise ValueError(f"{value!r} is not a time of day: write e.g. '09:00'")


ClockTime = Annotated[float, BeforeValidator(_parse_clock)]


class Schedule(Strict):
    """When a team's staff are on site. Outside these hours work waits for the call-in delay."""

    kind: ScheduleKind = Field(default=ScheduleKind.always, description="'24x7' or 'business-hours'.")
    start: ClockTime = Field(default=9.0, description="Start of the working day, local time ('09:00').")
    end: ClockTime = Field(default=18.0, description="End of the working day, local time ('18:00').")
    days: list[str] = Field(default_factory=lambda: list(WEEKDAYS[:5]), description="Working days: mon..sun.")

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"kind": value}
        return value

    @model_validator(mode="after")
    def _check(self) -> "Schedule":
        bad = [d for d in self.days if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown day {bad[0]!r}: use {', '.join(WEEKDAYS)}")
        if self.end <= self.start:
            raise ValueError("the working day must end after it starts")
        return self

    def on_site(self, weekday: int, hour: float) -> bool:
        """Whether staff are on site at local ``weekday`` (0 = Monday) and ``hour`` of day."""
        if self.kind is ScheduleKind.always:
            return True
        return WEEKDAYS[weekday] in self.days and self.start <= hour < self.end


class MutualAid(Strict):
    """Extra staff lent by other organizations or vendors, arriving some time after the team is first called."""

    staff: PositiveCount = Field(description="How many people arrive.")
    after: Duration = Field(description="Delay after the team's first task before they arrive.")


class Team(Strict):
    """A recovery team: staff count, schedule, call-in delay, mutual aid."""

    id: Id = Field(description="Unique team id.")
    name: str | None = Field(default=None, description="Display name.")
    name_local: str | None = Field(default=None, description="Display name in the local language.")
    staff: PositiveCount = Field(description="People available for recovery work at the same time.")
    schedule: Schedule = Field(default_factory=Schedule, description="'24x7' or business hours with call-in.")
    call_in: Duration = Field(default=written("1h"), description="Delay to get staff on site outside working hours.")
    mutual_aid: MutualAid | None = Field(default=None, description="Extra staff arriving later in a long incident.")

    @property
    def label(self) -> str:
        """The display name, with the local name beside it when there is one."""
        base = self.name or self.id
        return f"{base} ({self.name_local})" if self.name_local else base
