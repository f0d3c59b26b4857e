"""Failure domains: the places and shared facilities whose loss takes systems down.

Domains form a tree (region > site > building > floor > room > rack) through ``parent``; a
domain is effectively down when it or any ancestor is down. Cross-cutting domains (a network
zone, a power feed, a UPS battery room, a shared platform) usually have no parent, or a site as
parent, and a placement names them beside its room: a replica is up only if every domain it sits
in is up.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from .common import Count, Id, PositiveCount, Strict
from .distributions import DurationDist
from .units import Duration

__all__ = ["DomainKind", "Domain", "DomainRepair", "DATA_BEARING_KINDS"]


class DomainKind(str, Enum):
    """What a domain is; only informs display and the shared-failure-domain (G-Drive) check."""

    region = "region"
    site = "site"
    building = "building"
    floor = "floor"
    room = "room"
    rack = "rack"
    network_zone = "network_zone"
    power_feed = "power_feed"
    ups_room = "ups_room"
    platform = "platform"
    other = "other"


DATA_BEARING_KINDS = frozenset(
    {DomainKind.site, DomainKind.building, DomainKind.floor, DomainKind.room, DomainKind.rack, DomainKind.ups_room, DomainKind.other}
)
"""Kinds whose destruction can take stored data with it (a fire in a building, not a region or a network zone)."""


class DomainRepair(Strict):
    """How a failed (not destroyed) domain is brought back by people: a router replaced, power restored."""

    team: Id = Field(description="Team that does the repair.")
    staff: PositiveCount = Field(default=1, description="Staff held for the duration of the repair.")
    duration: DurationDist = Field(description="Hands-on repair time.")


class Domain(Strict):
    """A failure domain: a site, a room, a network zone, a power feed."""

    id: Id = Field(description="Unique domain id, e.g. 'daejeon-room-7-1'.")
    name: str | None = Field(default=None, description="Display name (English).")
    name_local: str | None = Field(default=None, description="Display name in the local language, e.g. '7-1 전산실'.")
    kind: DomainKind = Field(default=DomainKind.other, description="What the domain is.")
    parent: Id | None = Field(default=None, description="Enclosing domain; its failure takes this one down too.")
    free_capacity: Count | None = Field(
        default=None,
        description="Systems (in footprint units) that can be restored here from elsewhere; unset means no limit.",
    )
    detection: Duration = Field(default=0.0, description="Delay before a failure of this domain is noticed by operators.")
    restart_after: bool | None = Field(
        default=None,
        description=(
            "Whether systems in it must be restarted by staff after an injected outage ends (a power cut stops "
            "servers); default: yes, except for network zones and platforms, whose systems resume by themselves."
        ),
    )
    repair: DomainRepair | None = Field(
        default=None, description="Repair work that brings the domain back after a failure with no scheduled end."
    )

    @property
    def needs_restart(self) -> bool:
        """Whether an injected outage of this domain leaves its systems stopped until restarted."""
        if self.restart_after is not None:
            return self.restart_after
        return self.kind not in (DomainKind.network_zone, DomainKind.platform)

    @property
    def label(self) -> str:
        """The display name, with the local name beside it when there is one."""
        base = self.name or self.id
        return f"{base} ({self.name_local})" if self.name_local else base
