"""A team's order of work: ``by grade``, ``by @critical then demand``, ``by grade:4,3,2,1``.

A priority is one or more keys separated by ``then`` (or ``>``); the team works the systems
with the lowest key first, and grade, then the time of the alert, break the remaining ties:

=====================  ======================================================================
key                    first
=====================  ======================================================================
``grade``              grade 1 before grade 2 ... (the runbook's order)
``grade:4,3,2,1``      the grades in the order written (grades not named last)
``demand``             the systems most citizens use (requests per day), largest first
``rto``                the shortest RTO first
a selection term       its systems before the others: ``@critical``, ``org:sejong-city``,
                       ``sys:gov24``, ``in:daejeon-room-2`` (see :mod:`.selection`)
=====================  ======================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..engine.delegate import PriorityKey
from .selection import OrderError, Selector

__all__ = ["parse_priority", "PRIORITY_WORDS"]

PRIORITY_WORDS = ("grade", "demand", "rto")
"""The keys of a priority that are not selection terms."""

_THEN = re.compile(r"\s+then\s+|\s*>\s*")


def parse_priority(text: str, selector: Selector) -> tuple[str, PriorityKey]:
    """(the priority as it reads, its key function); OrderError naming a bad key."""
    parts = [p.strip() for p in _THEN.split(text.strip()) if p.strip()]
    if not parts:
        raise OrderError("say in which order: by grade, by demand, by rto, by grade:4,3,2,1 or by a selection (@NAME, org:ID) first")
    c = selector.c
    grade, per_day, rto = c.grade, c.per_day, c.rto
    keys: list[Callable[[int], float]] = []
    uses_grade = False
    for part in parts:
        if part == "grade":
            uses_grade = True
            keys.append(lambda i: float(grade[i]))
        elif part.startswith("grade:"):
            uses_grade = True
            try:
                order = [int(g) for g in part[6:].split(",") if g]
            except ValueError:
                raise OrderError(f"{part!r}: list grades in the order to work them, e.g. grade:2,1,3,4") from None
            if not order or len(set(order)) != len(order):
                raise OrderError(f"{part!r}: list each grade once, in the order to work them, e.g. grade:2,1,3,4")
            position = {g: float(k) for k, g in enumerate(order)}
            rest = float(len(order))
            keys.append(lambda i, position=position, rest=rest: position.get(grade[i], rest))
        elif part == "demand":
            keys.append(lambda i: -float(per_day[i]))
        elif part == "rto":
            keys.append(lambda i: float(rto[i]))
        elif ":" in part or part.startswith("@") or part == "all":
            selection = selector.parse(part)
            keys.append(lambda i, s=selection: 0.0 if s.members(i) else 1.0)
        else:
            try:
                selection = selector.parse(part)
            except OrderError:
                raise OrderError(f"unknown priority {part!r}: by grade, grade:4,3,2,1, demand, rto, or a selection first (@NAME, org:ID, sys:ID)") from None
            keys.append(lambda i, s=selection: 0.0 if s.members(i) else 1.0)
    if not uses_grade:
        keys.append(lambda i: float(grade[i]))
    fns = tuple(keys)
    return " then ".join(parts), lambda i: tuple(f(i) for f in fns)
