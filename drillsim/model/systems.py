"""Systems: the services people use, where they run, what they need, and how they come back.

A system has a grade (1 = most critical), demand, RTO and RPO targets, an owning team, one or
more placements (replicas, each in one or more failure domains), a redundancy mode, data with
backups and replication, dependencies on other systems, recovery options (runbook steps, in the
order the runbook tries them) and an optional manual fallback (paper, phone).
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import Count, Id, PositiveCount, Probability, Share, Strict, require_unique
from .distributions import DurationDist
from .limits import MAX_DEMAND_PER_DAY, MAX_FACTOR, MAX_MONEY, MAX_WEIGHT
from .queueing import Queueing
from .units import DataSize, Duration, PositiveDuration, Rate, written

__all__ = [
    "System",
    "Demand",
    "Placement",
    "PlacementRole",
    "Redundancy",
    "RedundancyMode",
    "Data",
    "Backup",
    "BackupFailureScope",
    "Replication",
    "Dependency",
    "DependencyKind",
    "RecoveryOption",
    "RecoveryKind",
    "WhenToolingDown",
    "Fallback",
    "Loss",
    "PROFILES",
    "DEFAULT_ATTEMPTS",
]

def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


DEFAULT_ATTEMPTS = 3
"""Attempts of a recovery option before the runbook moves on, unless the option says otherwise."""

PROFILES = ("flat", "office", "citizen")
"""Named demand profiles (see ``drillsim.engine.demand`` for their hourly and weekly shapes)."""


class Demand(Strict):
    """How much a system is used: a daily volume shaped by a daily and weekly profile."""

    per_day: float = Field(default=0.0, ge=0, le=MAX_DEMAND_PER_DAY, description="Requests (or users) on an average day (at most 10^12).")
    profile: str | list[float] = Field(
        default="flat",
        description="'flat', 'office' (working hours), 'citizen' (daytime and evening), or 24 hourly weights.",
    )
    weekly: list[float] | None = Field(
        default=None, description="7 weights Monday..Sunday; defaults follow the profile."
    )
    headroom: float = Field(
        default=1.5, gt=0, le=MAX_FACTOR, description="Full capacity as a multiple of normal demand (surges above it go unserved)."
    )
    collapse_at: float | None = Field(
        default=2.0,
        gt=1,
        le=MAX_FACTOR,
        description="Demand above this multiple of current capacity makes the system collapse until restarted; null: never.",
    )
    unit: str = Field(default="requests", description="What one unit of demand is, for reports.")

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"per_day": value}
        return value

    @field_validator("profile", "weekly", mode="before")
    @classmethod
    def _finite_weights(cls, value: Any, info: ValidationInfo) -> Any:
        """One clear error for a bad weight (not one per union member and item)."""
        if isinstance(value, list):
            for k, weight in enumerate(value):
                if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight):
                    raise ValueError(f"{info.field_name} weight {k + 1} is {_short(weight)}: each weight must be a finite number")
        return value

    @field_validator("profile")
    @classmethod
    def _check_profile(cls, value: str | list[float]) -> str | list[float]:
        if isinstance(value, str):
            if value not in PROFILES:
                raise ValueError(f"unknown profile {value!r}: use {', '.join(PROFILES)} or 24 hourly weights")
        elif len(value) != 24 or min(value) < 0 or sum(value) <= 0:
            raise ValueError(f"a custom profile needs 24 non-negative hourly weights, not all zero, got {len(value)}")
        elif max(value) > MAX_WEIGHT:
            raise ValueError(f"profile weight {max(value)!r} is more than {MAX_WEIGHT:.0e} (only their ratios matter: scale them down)")
        return value

    @field_validator("weekly")
    @classmethod
    def _check_weekly(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and (len(value) != 7 or min(value) < 0 or sum(value) <= 0):
            raise ValueError(f"weekly needs 7 non-negative weights (Monday..Sunday), not all zero, got {len(value)}")
        if value is not None and max(value) > MAX_WEIGHT:
            raise ValueError(f"weekly weight {max(value)!r} is more than {MAX_WEIGHT:.0e} (only their ratios matter: scale them down)")
        return value


class PlacementRole(str, Enum):
    """Whether a replica serves from the start (active) or waits to be switched to (standby)."""

    active = "active"
    standby = "standby"


class Placement(Strict):
    """One replica of a system, sitting in one or more failure domains (a room AND a network zone)."""

    name: Id | None = Field(default=None, description="Replica name, unique within the system (default: r1, r2, ...).")
    domains: list[Id] = Field(min_length=1, description="Domains the replica sits in; it is up only if all are up.")
    role: PlacementRole | None = Field(
        default=None, description="active or standby; by default the first placement is active and the others standby (all active in active-active)."
    )
    capacity: Share | None = Field(
        default=None, description="Share of full load this replica carries alone (default 1, or 1/n in active-active)."
    )


class RedundancyMode(str, Enum):
    """How replicas share the work."""

    none = "none"
    active_active = "active-active"
    active_standby = "active-standby"
    cold_standby = "cold-standby"


class Redundancy(Strict):
    """Redundancy mode, the automatic switchover (or a cold standby's automatic activation), and how idle standbys age."""

    mode: RedundancyMode = Field(default=RedundancyMode.none, description="none, active-active, active-standby or cold-standby.")
    switchover: DurationDist = Field(
        default=written("15m"), description="Time to switch to the standby (or activate a cold one) once the failure is detected.", examples=["15m", "2h"]
    )
    success: Probability = Field(default=0.95, description="Probability that the automatic switchover (or activation) works.", examples=[0.9])
    automatic: bool | None = Field(
        default=None, description="Switch over without staff after detection (unset: yes for active-standby, no for cold-standby: true activates it by itself).", examples=[True]
    )
    dormancy: float = Field(
        default=1.0,
        ge=0,
        le=1000,
        description="Failure-rate factor of an idle standby (0: no failures while idle; 1: as when serving); full rate once it serves.",
        examples=[0.0, 0.1],
    )

    @model_validator(mode="before")
    @classmethod
    def _from_mode(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"mode": value}
        return value


class BackupFailureScope(str, Enum):
    """What a backup's ``failure`` probability applies to."""

    copy = "copy"
    schedule = "schedule"


class Backup(Strict):
    """A periodic backup copy and where it is kept."""

    every: PositiveDuration = Field(description="Backup interval: data lost on restore is the age of the last copy.")
    location: list[Id] = Field(
        alias="in", min_length=1, description="Domains holding the copies (a remote backup center, a tape vault)."
    )
    restore_rate: Rate | None = Field(default=None, description="Restore throughput, e.g. 1TB/h; adds size/rate to a restore.")
    name: str | None = Field(default=None, description="Label for reports, e.g. 'daily to the backup center'.")
    failure: Probability = Field(default=0.0, description="Probability that a backup is bad (unreadable): each copy, or the schedule (failure_scope).", examples=[0.05])
    failure_scope: BackupFailureScope = Field(
        default=BackupFailureScope.copy, description="copy: each copy bad on its own; schedule: the whole schedule broken (all copies bad), drawn per run.", examples=["schedule"]
    )
    verified: bool = Field(default=False, description="Bad copies are known when taken (else found when a restore from one fails).", examples=[True])
    keep: int | None = Field(default=None, ge=1, description="Copies kept, newest first (unset: all); none of them good: the next runbook option.", examples=[7])


class Replication(Strict):
    """Continuous copy of the data to another placement of the same system."""

    to: Id = Field(description="Name of the placement receiving the copy.")
    lag: Duration = Field(default=0.0, description="Replication lag; 0 means synchronous (no loss on failover).")


class Data(Strict):
    """The system's data: how big, where its copies are."""

    size: DataSize | None = Field(default=None, description="Data volume, e.g. 858TB; restores take size/restore_rate on top.")
    replication: Replication | None = Field(default=None, description="Continuous replication to another placement.")
    backups: list[Backup] = Field(default_factory=list, description="Periodic backups, each with where it is kept.")


class DependencyKind(str, Enum):
    """Hard dependencies take the system down; soft ones degrade it by a factor."""

    hard = "hard"
    soft = "soft"


class Dependency(Strict):
    """A dependency on one system, or on any one of several alternatives (any_of)."""

    system: Id | None = Field(default=None, description="The system depended on.")
    any_of: list[Id] | None = Field(
        default=None, min_length=2, description="Alternatives: the dependency fails only when all of them are down."
    )
    kind: DependencyKind = Field(default=DependencyKind.hard, description="hard or soft.")
    factor: Share = Field(default=0.5, description="Soft: capacity multiplier while the dependency is down.")
    restart_if_down: Duration | None = Field(
        default=None, description="Down at least this long, the dependency leaves the system to restart (re-sync, checks) once it is back; unset: it resumes.", examples=["4h"]
    )

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"system": value}
        return value

    @model_validator(mode="after")
    def _one_target(self) -> "Dependency":
        if (self.system is None) == (self.any_of is None):
            raise ValueError("a dependency names exactly one of 'system' or 'any_of'")
        return self

    @property
    def targets(self) -> list[str]:
        """The system ids this dependency refers to."""
        return [self.system] if self.system is not None else list(self.any_of or [])


class RecoveryKind(str, Enum):
    """The runbook steps the engine knows how to carry out."""

    failover = "failover"
    restore = "restore"
    restart = "restart"
    rebuild = "rebuild"


class WhenToolingDown(str, Enum):
    """What a recovery option does while a system it needs (VPN, admin console) is down."""

    block = "block"
    slow = "slow"


class RecoveryOption(Strict):
    """A runbook step. The auto policy tries a system's options in the order they are listed.

    - ``failover``: switch to a standby placement that is up (data loss: its replication lag).
    - ``restore``: bring the system up at ``target`` (an alternate site with free capacity) from a
      surviving backup or replica.
    - ``restart``: restart in place once the placement's domains are back (and not destroyed);
      also clears a software failure or a collapse.
    - ``rebuild``: after destruction, procure (``lead_time``) and rebuild the placement in place or
      at ``target``, restoring data from the best surviving copy.
    """

    id: Id | None = Field(default=None, description="Option id, unique within the system (default: the kind).")
    kind: RecoveryKind = Field(description="failover, restore, restart or rebuild.")
    label: str | None = Field(default=None, description="How the action reads in the drill's command palette.")
    team: Id | None = Field(default=None, description="Team doing the work (default: the system's team).")
    staff: PositiveCount = Field(default=1, description="Staff held while the work is done.")
    duration: DurationDist = Field(default=written("1h"), description="Hands-on work time (restores add size/restore_rate).")
    success: Probability = Field(default=1.0, description="Probability the step works; a failed attempt may be retried.")
    attempts: int = Field(
        default=DEFAULT_ATTEMPTS, ge=1, le=1000, description="Attempts before the runbook gives up on this option (the first try and its retries).", examples=[1, 5]
    )
    escalate: Id | None = Field(
        default=None,
        description="Team that takes the option over after its last failed attempt, with as many attempts again (unset: the runbook's next option).",
        examples=["vendor-support"],
    )
    target: list[Id] | None = Field(
        default=None, description="restore/rebuild: domains the new placement sits in (first one: the site whose free capacity it uses)."
    )
    source: Id | None = Field(default=None, description="failover: the placement to switch to (default: any standby that is up).")
    lead_time: Duration = Field(default=0.0, description="rebuild: procurement delay before work starts (no staff held).")
    needs: list[Id] = Field(default_factory=list, description="Systems the step needs (operators' VPN, admin console).")
    when_needs_down: WhenToolingDown = Field(default=WhenToolingDown.block, description="block the step, or slow it, while a needed system is down.")
    slowdown: float = Field(default=3.0, ge=1, le=MAX_FACTOR, description="Duration multiplier when when_needs_down is 'slow'.")

    @field_validator("target", mode="before")
    @classmethod
    def _target_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [value]
        return value

    @model_validator(mode="after")
    def _check_kind_fields(self) -> "RecoveryOption":
        if self.kind is RecoveryKind.restore and not self.target:
            raise ValueError("a 'restore' option needs a 'target' (the alternate site)")
        if self.source is not None and self.kind is not RecoveryKind.failover:
            raise ValueError(f"'source' only applies to failover, not {self.kind.value!r}")
        if self.lead_time and self.kind is not RecoveryKind.rebuild:
            raise ValueError(f"'lead_time' only applies to rebuild, not {self.kind.value!r}")
        return self

    @property
    def key(self) -> str:
        """The option's id, or its kind when it has none."""
        return self.id or self.kind.value


class Fallback(Strict):
    """A manual fallback (paper forms, phone, fax) that serves part of the demand while the system is down."""

    activation: Duration = Field(default=written("4h"), description="Delay from detection until the fallback runs.")
    staff: Count = Field(default=1, description="Front-line staff it takes (they also work off the re-entry backlog).")
    team: Id | None = Field(default=None, description="Team whose staff it holds; unset: front-line staff outside the recovery teams.")
    share: Share = Field(description="Share of normal demand the fallback serves.")
    reentry: Duration = Field(default=0.0, description="Staff time per fallback-served request to re-enter it once the system is back.")
    label: str | None = Field(default=None, description="What the fallback is, e.g. 'paper intake at counters'.")


class Loss(Strict):
    """What an outage costs, for investment analysis (in won, or any one currency throughout)."""

    per_unserved: float = Field(default=0.0, ge=0, le=MAX_MONEY, description="Cost of one unit of unserved demand.")
    per_data_loss_hour: float = Field(default=0.0, ge=0, le=MAX_MONEY, description="Cost of one hour of data lost (re-entry, disputes).")
    permanent_data_loss: float = Field(default=0.0, ge=0, le=MAX_MONEY, description="Cost of losing the data for good.")


class System(Strict):
    """An IT service: grade, demand, targets, placements, redundancy, data, dependencies, recovery."""

    id: Id = Field(description="Unique system id, e.g. 'gov24'.")
    name: str | None = Field(default=None, description="Display name (English).")
    name_local: str | None = Field(default=None, description="Display name in the local language, e.g. '정부24'.")
    grade: int = Field(default=3, ge=1, le=4, description="Impact grade: 1 (most critical) to 4.")
    team: Id = Field(description="Owning team, which does its recovery unless an option says otherwise.")
    demand: Demand = Field(default_factory=Demand, description="Normal demand: per_day and profile.")
    rto: PositiveDuration = Field(default=written("24h"), description="Recovery time objective.")
    rpo: Duration = Field(default=written("24h"), description="Recovery point objective (0: no data loss allowed).")
    threshold: float = Field(default=0.5, gt=0, le=1, description="Served share at or above which the system counts as serving.")
    footprint: Count = Field(default=1, description="Capacity units it takes when restored at another site.")
    placements: list[Placement] = Field(min_length=1, description="Replicas and the domains each sits in.")
    redundancy: Redundancy = Field(default_factory=Redundancy, description="Redundancy mode.")
    data: Data = Field(default_factory=Data, description="Data size, replication and backups.")
    depends_on: list[Dependency] = Field(default_factory=list, description="Dependencies: an id (hard), or {system|any_of, kind, factor}.")
    recovery: list[RecoveryOption] = Field(default_factory=list, description="Runbook steps, in the order the auto policy tries them.")
    fallback: Fallback | None = Field(default=None, description="Manual fallback while the system is down.")
    detection: DurationDist = Field(default=written("5m"), description="Delay before monitoring notices the system stopped serving.")
    report_delay: Duration | None = Field(
        default=None,
        description="Delay before users report it while monitoring is down (default: the scenario's monitoring.report_delay).",
    )
    loss: Loss = Field(default_factory=Loss, description="Cost of an outage, for investment analysis.")
    queueing: Queueing | None = Field(
        default=None, description="Per-request mode: Poisson arrivals, servers, queue limit, patience (see drillsim.model.queueing)."
    )

    @model_validator(mode="after")
    def _name_placements(self) -> "System":
        for index, placement in enumerate(self.placements):
            if placement.name is None:
                placement.name = "primary" if index == 0 and len(self.placements) == 1 else f"r{index + 1}"
        require_unique((p.name for p in self.placements), "placement name")
        require_unique((o.key for o in self.recovery), "recovery option", ": give each an 'id'")
        return self

    @property
    def label(self) -> str:
        """The display name, with the local name beside it when there is one."""
        base = self.name or self.id
        return f"{base} ({self.name_local})" if self.name_local else base

    def placement(self, name: str) -> Placement | None:
        """The placement called ``name``, if any."""
        for placement in self.placements:
            if placement.name == name:
                return placement
        return None
