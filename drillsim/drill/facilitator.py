"""The facilitator's injects while the drill plays, written as one line each::

    say TEXT                                   a message to the players
    fail DOMAIN|SYSTEM [for DURATION]          a domain fails (a system: in itself)
    restore DOMAIN|SYSTEM                      it comes back (a domain's causes, a system's own failure)
    surge SELECTION xFACTOR [for DURATION]     demand multiplied: surge sys:gov24 x3 for 6h

Each becomes the scenario's own inject action (:class:`~drillsim.model.injects.Action`), applied
at once and journalled as a facilitator command (the report marks it so). What the team reads of
it follows the fog of war like every inject: how long a failure lasts is not told.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..engine import Simulation
from ..model.injects import Action
from ..model.suggest import did_you_mean
from ..model.units import parse_duration
from .selection import OrderError, Selector

__all__ = ["FACILITATOR_VERBS", "FACILITATOR", "parse_inject"]

FACILITATOR_VERBS = ("say", "fail", "restore", "surge")
"""The facilitator's injects (``end``, ``undo`` and ``hint`` are session commands)."""
FACILITATOR = "facilitator"
"""The source of a facilitator's inject (the events' subject) and the ``by`` of its command."""


def _duration(word: str) -> float:
    try:
        hours = parse_duration(word)
    except ValueError as exc:
        raise OrderError(f"for {word!r}: {exc}") from None
    if hours <= 0:
        raise OrderError(f"for {word!r}: a duration must be positive")
    return hours


def _target(sim: Simulation, word: str, verb: str) -> tuple[str, str]:
    """('domain' | 'system', id) of a fail or restore."""
    c = sim.compiled
    if word in c.didx:
        return "domain", word
    if word in c.sidx:
        return "system", word
    raise OrderError(f"{verb} {word!r}: not a domain or a system{did_you_mean(word, [*c.dom_ids, *c.sys_ids])}")


def parse_inject(text: str, sim: Simulation, selector: Selector | None = None) -> tuple[str, Action]:
    """(the inject as journalled, the action it applies); OrderError naming what is wrong."""
    words = text.split()
    if not words:
        raise OrderError(f"type an inject: {', '.join(FACILITATOR_VERBS)}")
    verb, rest = words[0].lower(), words[1:]
    data: dict[str, Any]
    if verb == "say":
        message = " ".join(rest)
        if not message:
            raise OrderError("say TEXT: the message to the players")
        canonical, data = f"say {message}", {"message": message}
    elif verb in ("fail", "restore"):
        if not rest:
            raise OrderError(f"{verb} DOMAIN|SYSTEM" + (" [for DURATION]" if verb == "fail" else ""))
        what, target = _target(sim, rest[0], verb)
        data = {("fail" if what == "domain" else "fail_system") if verb == "fail" else ("restore" if what == "domain" else "restore_system"): target}
        canonical = f"{verb} {target}"
        tail = rest[1:]
        if tail:
            if verb != "fail" or len(tail) != 2 or tail[0] != "for":
                raise OrderError(f"{text!r}: write {verb} {target}" + (" [for DURATION], e.g. for 2h" if verb == "fail" else ""))
            _duration(tail[1])
            data["for"] = tail[1]
            canonical += f" for {tail[1]}"
    elif verb == "surge":
        factor_at = next((k for k, w in enumerate(rest) if w.startswith("x") and w[1:].replace(".", "", 1).isdigit()), None)
        if factor_at is None or factor_at == 0:
            raise OrderError("surge SELECTION xFACTOR [for DURATION], e.g. surge sys:gov24 x3 for 6h")
        selection = (selector or Selector(sim)).parse(" ".join(rest[:factor_at]))
        systems = [sim.compiled.sys_ids[i] for i in selection.systems(sim)]
        if not systems:
            raise OrderError(f"{selection.text!r} selects no system: the surge would do nothing")
        factor = float(rest[factor_at][1:])
        if factor <= 0 or factor == 1:
            raise OrderError(f"{rest[factor_at]!r}: a surge multiplies demand by a positive factor other than 1")
        surge: dict[str, Any] = {"systems": systems, "factor": factor}
        canonical = f"surge {selection.text} x{factor:g}"
        tail = rest[factor_at + 1:]
        if tail:
            if len(tail) != 2 or tail[0] != "for":
                raise OrderError(f"{text!r}: write surge {selection.text} x{factor:g} [for DURATION]")
            _duration(tail[1])
            surge["for"] = tail[1]
            canonical += f" for {tail[1]}"
        data = {"surge": surge}
    else:
        raise OrderError(f"unknown inject {words[0]!r}{did_you_mean(verb, FACILITATOR_VERBS)}: injects are {', '.join(FACILITATOR_VERBS)}")
    try:
        return canonical, Action.model_validate(data)
    except ValidationError as exc:
        raise OrderError(f"{text!r}: {exc.errors()[0]['msg']}") from None
