"""Organizations (a city hall, a ministry) and the systems each uses, for per-organization situation reports."""

from __future__ import annotations

from pydantic import Field

from .common import Id, Strict

__all__ = ["Organization"]


class Organization(Strict):
    """An organization that uses central systems and owns systems of its own."""

    id: Id = Field(description="Unique organization id, e.g. 'sejong-city'.")
    name: str | None = Field(default=None, description="Display name (English).")
    name_local: str | None = Field(default=None, description="Display name in the local language, e.g. '세종시청'.")
    uses: list[Id] = Field(default_factory=list, description="Central systems the organization relies on.")
    owns: list[Id] = Field(default_factory=list, description="The organization's own systems.")

    @property
    def label(self) -> str:
        """The display name, with the local name beside it when there is one."""
        base = self.name or self.id
        return f"{base} ({self.name_local})" if self.name_local else base
