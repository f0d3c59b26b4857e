"""Inject action ``surge``: demand multiplied by ``factor`` on some systems, for a while or to the horizon."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..injects import Action
from ..scenario import Scenario
from .base import Details, InjectChecks, InjectKind, Path

__all__ = ["SURGE"]


class _Surge(InjectKind):
    """A demand surge on one or more systems."""

    key = "surge"
    target = "systems"
    target_field = "systems"
    details = ("factor", "for")
    required = (("factor", "a surge needs factor=... (e.g. factor=3.5)"),)

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        assert action.surge is not None
        for k, system in enumerate(action.surge.systems):
            ctx.ref((*path, "surge", "systems", k), system, ctx.systems, "system")

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        assert action.surge is not None
        details: Details = [("factor", f"{action.surge.factor:g}")]
        if action.surge.duration is not None:
            details.append(("for", dur(action.surge.duration)))
        return " ".join(action.surge.systems), details

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"surge": {"systems": split_ids(target), **details}}

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.surge is not None
        names = ", ".join(scenario.system_index[s].label for s in action.surge.systems)
        return f"demand surge x{action.surge.factor:g} on {names}"


SURGE = _Surge()
