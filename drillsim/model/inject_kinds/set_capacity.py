"""Inject action ``set_capacity``: change a domain's free capacity (a partner cloud offers room)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..injects import Action
from ..scenario import Scenario
from .base import Details, InjectChecks, InjectKind, Path

__all__ = ["SET_CAPACITY"]


class _SetCapacity(InjectKind):
    """New free capacity at a domain (usually a site)."""

    key = "set_capacity"
    target = "domain"
    target_field = "domain"
    details = ("free_capacity",)
    required = (("free_capacity", "set_capacity needs free_capacity=... (a number of systems)"),)

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        assert action.set_capacity is not None
        ctx.ref((*path, "set_capacity", "domain"), action.set_capacity.domain, ctx.domains, "domain")

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        assert action.set_capacity is not None
        return action.set_capacity.domain, [("free_capacity", action.set_capacity.free_capacity)]

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"set_capacity": {"domain": target, **details}}

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.set_capacity is not None
        return f"{action.set_capacity.domain} can take {action.set_capacity.free_capacity} systems"


SET_CAPACITY = _SetCapacity()
