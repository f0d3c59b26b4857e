"""Inject action ``add_staff``: people added to a team (mutual aid, contractors), arriving after a delay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..injects import Action
from ..scenario import Scenario
from .base import Details, InjectChecks, InjectKind, Path

__all__ = ["ADD_STAFF"]


class _AddStaff(InjectKind):
    """Staff for a team."""

    key = "add_staff"
    target = "team"
    target_field = "team"
    details = ("staff", "after")
    required = (("staff", "add_staff needs staff=... (how many people)"),)

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        assert action.add_staff is not None
        ctx.ref((*path, "add_staff", "team"), action.add_staff.team, ctx.teams, "team")

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        assert action.add_staff is not None
        details: Details = [("staff", action.add_staff.staff)]
        if action.add_staff.after:
            details.append(("after", dur(action.add_staff.after)))
        return action.add_staff.team, details

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"add_staff": {"team": target, **details}}

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.add_staff is not None
        return f"{action.add_staff.staff} staff for {action.add_staff.team}"


ADD_STAFF = _AddStaff()
