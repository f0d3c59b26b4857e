"""Inject actions, model side: one handler per action key, registered here.

Validation (:mod:`drillsim.model.validation`), the events list (:mod:`drillsim.model.msel`) and
the event feed find an action's rules through :func:`inject_kind`. What each action does to a
run is registered in :mod:`drillsim.engine.injects`. To add an action, see docs/extending.md.
"""

from __future__ import annotations

from .add_staff import ADD_STAFF
from .base import IdInjectKind, InjectChecks, InjectKind
from .decision import DECISION
from .domains import DESTROY, FAIL, RESTORE
from .prefer import PREFER
from .set_capacity import SET_CAPACITY
from .surge import SURGE
from .systems import FAIL_SYSTEM, RESTORE_SYSTEM, RESUME, SUSPEND

__all__ = ["INJECT_KINDS", "InjectKind", "IdInjectKind", "InjectChecks", "inject_kind"]

INJECT_KINDS: dict[str, InjectKind] = {
    kind.key: kind
    for kind in (FAIL, DESTROY, RESTORE, FAIL_SYSTEM, RESTORE_SYSTEM, SUSPEND, RESUME, SURGE, ADD_STAFF, PREFER, SET_CAPACITY, DECISION)
}
"""The rules of every inject action, by key (in the order of :data:`~drillsim.model.injects.ACTION_FIELDS`)."""


def inject_kind(key: str) -> InjectKind:
    """The model-side rules of inject action ``key``."""
    return INJECT_KINDS[key]
