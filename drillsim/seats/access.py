"""Who may do and read what at a networked drill: every command and every read goes through here.

The server resolves each seat of the seats file into a :class:`SeatAccess` (its systems as
indices, its teams, the decisions it answers) and asks :func:`authorize` before a command reaches
the drill session, and :meth:`SeatAccess.may_read` before it sends anything:

- the **facilitator** sees the truth and may give every command: the clock (``step``,
  ``advance``), injects (``say``, ``fail``, ``restore``, ``surge``), ``end`` and ``undo``;
- a **team** seat sees, in the team's view (fog of war), the systems of its organizations
  (those they use and own) and of its teams; it may give orders and take actions only for the
  teams it commands and only on its own systems (a bulk ``do`` is checked action by action: each
  must fall to one of its teams), and answer the decisions listed for it;
- an **observer** sees what a team seat with the same organizations and teams would, and acts
  never.

Tokens are compared with :func:`hmac.compare_digest` (constant time). A refusal is an
:class:`AccessDenied` with a message for the person at the seat; it is never journalled.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from typing import Any

from ..drill import parse_line, parse_time_target
from ..drill.facilitator import FACILITATOR, FACILITATOR_VERBS
from ..drill.orders import ORDER_VERBS
from ..model import DrillsimError
from .spec import Role, SeatSpec

__all__ = ["AccessDenied", "SeatAccess", "authorize", "check_token", "CLOCK_VERBS"]

CLOCK_VERBS = ("step", "advance")
"""The first words of the clock's commands (the facilitator's)."""

_WORK = re.compile(r"^work (?P<team>\S+)(?: on (?P<sel>.+?))?(?: by .+)?$")
_STOP = re.compile(r"^stop (?P<team>\S+)(?: on (?P<sel>.+))?$")
_MOVE = re.compile(r"^move \S+ from (?P<a>\S+) to (?P<b>\S+)$")
_RESERVE = re.compile(r"^reserve \S+ of (?P<team>\S+) for (?P<sel>.+)$")
_DO = re.compile(r"^do (?P<kind>\S+)(?: on (?P<sel>.+))?$")


class AccessDenied(DrillsimError):
    """A command or a read the seat's role does not allow (the message says why)."""


def check_token(given: object, expected: str) -> bool:
    """Whether ``given`` is the seat's token, compared in constant time (a non-text token is simply wrong)."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class SeatAccess:
    """A seat resolved against one drill: what it sees and what it commands."""

    spec: SeatSpec
    systems: frozenset[int] | None
    """Indices of the systems the seat sees (None: every system, the facilitator)."""
    teams: frozenset[str]
    """Teams the seat commands (team) or watches (observer)."""
    decides: frozenset[str]
    org_systems: dict[str, tuple[int, ...]]
    """Per organization of the seat: the indices of the systems it uses and owns, in the scenario's order."""

    @property
    def id(self) -> str:
        """The seat's id."""
        return self.spec.id

    @property
    def role(self) -> Role:
        """facilitator, team or observer."""
        return self.spec.role

    @property
    def truth(self) -> bool:
        """Whether the seat sees the truth (the facilitator) rather than the team's view."""
        return self.spec.role is Role.facilitator

    @classmethod
    def build(cls, spec: SeatSpec, sim: Any) -> "SeatAccess":
        """Resolve ``spec`` against the drill's simulation (ids to indices)."""
        c = sim.compiled
        scenario = sim.scenario
        orgs = {o.id: o for o in scenario.organizations}
        org_systems: dict[str, tuple[int, ...]] = {}
        for org_id in spec.organizations:
            org = orgs[org_id]
            seen: dict[int, None] = {}
            for sid in [*org.owns, *org.uses]:
                if sid in c.sidx:
                    seen[c.sidx[sid]] = None
            org_systems[org_id] = tuple(seen)
        if spec.role is Role.facilitator:
            return cls(spec, None, frozenset(t.id for t in scenario.teams), frozenset(scenario.decision_index), org_systems)
        mine: set[int] = set()
        for members in org_systems.values():
            mine.update(members)
        team_index = {c.tidx[t] for t in spec.teams}
        mine.update(i for i, t in enumerate(c.team) if t in team_index)
        return cls(spec, frozenset(mine), frozenset(spec.teams), frozenset(spec.decides), org_systems)

    def sees(self, i: int) -> bool:
        """Whether the seat may know about system ``i``."""
        return self.systems is None or i in self.systems

    def may_read(self, what: str) -> None:
        """AccessDenied unless the seat may read ``what`` (``truth``: the facilitator's view)."""
        if what == "truth" and not self.truth:
            raise AccessDenied(f"seat {self.id!r} ({self.role.value}) cannot read the truth: only the facilitator sees it; "
                               "your board shows what your monitoring and reports reveal")

    def may_take(self, option: Any, sim: Any) -> bool:
        """Whether an action (an :class:`~drillsim.engine.ActionOption`) is this seat's to take: its team's, on its systems."""
        if self.truth:
            return True
        if self.role is Role.observer or (option.team is not None and option.team not in self.teams):
            return False
        subject = sim.compiled.sidx.get(option.subject)
        if subject is None:  # a place to repair, a task: the seat's if its team does it
            return option.team is not None
        return self.sees(subject)

    def check_system(self, system_id: str, sim: Any) -> int:
        """The index of a system the seat may read; AccessDenied for another organization's (or an unknown id, said the same way)."""
        i: int | None = sim.compiled.sidx.get(system_id)
        if i is None or not self.sees(i):
            raise AccessDenied(f"seat {self.id!r} sees no system {system_id!r}: it is not one of your organizations' or teams' systems")
        return i


def authorize(access: SeatAccess, line: str, session: Any) -> tuple[str, dict[str, Any]]:
    """(journal type, fields) of ``line`` given by this seat, checked against its role; AccessDenied or OrderError if not."""
    words = line.split()
    if not words:
        raise AccessDenied("empty command")
    verb = words[0].lower()
    who = f"seat {access.id!r} ({access.role.value})"
    if access.role is Role.observer:
        raise AccessDenied(f"{who} watches the drill: an observer gives no commands")
    if verb in CLOCK_VERBS:
        if not access.truth:
            raise AccessDenied(f"{who} cannot move the clock: the facilitator runs it (ask for a pause with 'pause')")
        return _clock(words, session)
    if verb in FACILITATOR_VERBS or verb in ("end", "undo"):
        if not access.truth:
            raise AccessDenied(f"{who} cannot {verb}: only the facilitator injects, ends the drill or undoes")
        return parse_line(line, session, by=FACILITATOR)
    if access.truth:
        return parse_line(line, session, by=FACILITATOR)
    if verb == "decide" and len(words) >= 2 and words[1] not in access.decides:
        raise AccessDenied(f"{who} does not answer decision {words[1]!r}" + (f" (yours: {', '.join(sorted(access.decides))})" if access.decides else " (the facilitator does)"))
    if verb in ORDER_VERBS:  # checked as written first: a refusal says nothing of others' teams and systems
        _check_order(access, " ".join([verb, *words[1:]]), session, who, bulk=False)
    if verb == "act" and len(words) == 2:  # checked before parsing: an unknown id gets no did-you-mean over others' systems
        _check_action(access, words[1], session, who)
    kind, data = parse_line(line, session, by=access.id)
    if kind == "act":
        _check_action(access, str(data["id"]), session, who)
    elif kind == "order":
        _check_order(access, str(data["text"]), session, who, bulk=True)
    return kind, data


def _clock(words: list[str], session: Any) -> tuple[str, dict[str, Any]]:
    if words[0].lower() == "step":
        if len(words) != 1:
            raise AccessDenied("step takes nothing after it (advance +2h to move by a time)")
        return "step", {}
    rest = words[1:]
    if rest and rest[0].lower() == "to":
        rest = rest[1:]
    if not rest:
        raise AccessDenied("advance +2h (from now), advance T+36h (after the start) or advance 2025-09-27 09:00")
    to = parse_time_target(" ".join(rest), session.now, session.scenario)
    return "advance", {"to": round(float(min(to, session.end)), 9)}


def _team(access: SeatAccess, team: str, who: str) -> None:
    if team not in access.teams:
        mine = ", ".join(sorted(access.teams)) or "none"
        raise AccessDenied(f"{who} does not command team {team!r} (your teams: {mine})")


def _selection(access: SeatAccess, text: str | None, session: Any, who: str) -> None:
    selection = session.orders.selector.parse(text or "all")
    if selection.static is None:
        raise AccessDenied(f"{who}: {text!r} reaches every system of the drill; name your own ({_example(access)})")
    outside = [i for i in selection.static if not access.sees(i)]
    if outside:
        raise AccessDenied(f"{who}: {text!r} selects {len(outside)} system(s) that are not yours; name your own ({_example(access)})")


def _example(access: SeatAccess) -> str:
    if access.spec.organizations:
        return f"e.g. org:{access.spec.organizations[0]}"
    return f"e.g. team:{sorted(access.teams)[0]}" if access.teams else "you have none"


def _check_order(access: SeatAccess, text: str, session: Any, who: str, bulk: bool) -> None:
    words = text.split()
    verb = words[0]
    if len(words) < 2:
        return  # incomplete: parse_line says how it is written
    if verb in ("priority", "aid", "unreserve"):
        _team(access, words[1], who)
    elif verb == "hold":
        _selection(access, text.split(None, 1)[1], session, who)
    elif verb == "define":
        _selection(access, text.split(None, 2)[2] if len(words) > 2 else None, session, who)
    elif verb == "release":
        target = text.split(None, 1)[1]
        if target == "all":
            raise AccessDenied(f"{who} cannot release every hold (others' too): name your own selection")
        _selection(access, target, session, who)
    elif verb == "move":
        match = _MOVE.match(text)
        if match is None:
            return
        _team(access, match["a"], who)
        _team(access, match["b"], who)
    elif verb in ("work", "stop", "reserve"):
        match = {"work": _WORK, "stop": _STOP, "reserve": _RESERVE}[verb].match(text)
        if match is None:
            return
        _team(access, match["team"], who)
        if match["sel"] or verb == "work":
            _selection(access, match["sel"], session, who)
    elif verb == "do":
        match = _DO.match(text)
        if match is None:
            return
        _selection(access, match["sel"], session, who)
        if not bulk:
            return
        from ..drill.bulk import bulk_actions

        chosen, _refused = bulk_actions(session.sim, match["kind"], session.orders.selector.parse(match["sel"] or "all"))
        others = sorted({a.team for a in chosen if a.team is not None and a.team not in access.teams})
        if others:
            raise AccessDenied(f"{who}: {text!r} would put teams you do not command to work ({', '.join(others)}); ask their seat")


def _check_action(access: SeatAccess, action: str, session: Any, who: str) -> None:
    option = next((o for o in session.actions() if o.id == action), None)
    if option is None:
        raise AccessDenied(f"{who}: {action!r} is not among the actions open to you now")
    if option.team is not None and option.team not in access.teams:
        raise AccessDenied(f"{who} cannot act for team {option.team!r}: {action} falls to it, and you do not command it")
    if not access.may_take(option, session.sim):
        raise AccessDenied(f"{who}: {action!r} is not one of yours to take ({option.subject!r} is not one of your systems)")
