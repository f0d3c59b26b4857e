"""Inject action ``prefer``: make one recovery option the first the auto policy tries for some systems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..injects import Action
from ..scenario import Scenario
from ..suggest import did_you_mean
from .base import Details, InjectChecks, InjectKind, Path

__all__ = ["PREFER"]


class _Prefer(InjectKind):
    """A runbook change for one or more systems."""

    key = "prefer"
    target = "systems"
    target_field = "systems"
    details = ("option",)
    required = (("option", "prefer needs option=... (the recovery option to try first)"),)

    def check(self, ctx: InjectChecks, path: Path, action: Action) -> None:
        assert action.prefer is not None
        for k, system_id in enumerate(action.prefer.systems):
            if ctx.ref((*path, "prefer", "systems", k), system_id, ctx.systems, "system"):
                keys = [o.key for o in ctx.s.system_index[system_id].recovery]
                if action.prefer.option not in keys:
                    ctx.error((*path, "prefer", "option"), f"{system_id!r} has no recovery option {action.prefer.option!r}{did_you_mean(action.prefer.option, keys)}")

    def row(self, action: Action, dur: Callable[[float], str]) -> tuple[str, Details]:
        assert action.prefer is not None
        return " ".join(action.prefer.systems), [("option", action.prefer.option)]

    def entry(self, target: str, details: dict[str, str], split_ids: Callable[[str], list[str]]) -> dict[str, Any]:
        return {"prefer": {"systems": split_ids(target), **details}}

    def summary(self, scenario: Scenario, action: Action) -> str:
        assert action.prefer is not None
        return f"runbook change: {action.prefer.option} first"


PREFER = _Prefer()
