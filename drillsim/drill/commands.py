"""The drill's commands in one line of text, and the session's orders, facilitator commands and undo.

One syntax serves the app, scripted actions files (``drillsim run --actions``) and network
seats; :func:`parse_line` turns a line into a journalled command:

==========================================  =====================================================
line                                        command (journal type)
==========================================  =====================================================
an order: ``work all by grade`` ...         ``order`` (:mod:`.orders`)
``decide DECISION OPTION``                  ``decide``
``act ACTION``                              ``act`` (one action by hand, e.g. ``act recover/gov24/restart``)
``say ...``, ``fail ...``, ``restore ...``  ``inject``: the facilitator's (:mod:`.facilitator`)
``surge ...``
``end``                                     ``end``: the facilitator ends the drill now
``undo``                                    ``undo``: the team's last command (facilitator)
==========================================  =====================================================

:class:`SessionCommands` is the part of :class:`~drillsim.drill.DrillSession` that carries
these out: orders checked before they are journalled, injects, ending the drill, undoing the
team's last command (the drill is rebuilt from its commands without it: same seed, same world;
the journal keeps the undone command and the ``undo`` line that names it) and the hint.
"""

from __future__ import annotations

from typing import Any

from ..engine import ActionError, Event
from ..model import DrillsimError
from ..model.suggest import did_you_mean
from ..model.timefmt import fmt_elapsed
from .facilitator import FACILITATOR, FACILITATOR_VERBS, parse_inject
from .hint import Hint, runbook_hint
from .journal import JournalEntry
from .orders import ORDER_VERBS
from .prepared import Prepared
from .selection import OrderError

__all__ = ["SessionCommands", "ReadOnlyError", "parse_line", "TEAM_COMMANDS", "LINE_VERBS"]

TEAM_COMMANDS = ("step", "advance", "act", "decide", "order")
"""The journal types of the team's commands (the ones undo takes back)."""
LINE_VERBS = (*ORDER_VERBS, "decide", "act", *FACILITATOR_VERBS, "end", "undo")
"""The first words a command line may start with."""


class ReadOnlyError(DrillsimError):
    """A command given to a replay (which only plays back what was recorded)."""


def parse_line(line: str, session: Any, by: str = "team") -> tuple[str, dict[str, Any]]:
    """(journal type, fields) of a one-line command, checked against the drill now; OrderError if wrong."""
    words = line.split()
    if not words:
        raise OrderError("empty command")
    verb = words[0].lower()
    if verb in ORDER_VERBS:
        return "order", {"text": session.orders.prepare(line).text, "by": by}
    if verb == "decide":
        if len(words) != 3:
            raise OrderError("decide DECISION OPTION, e.g. decide burned-systems mixed")
        return "decide", {"decision": _decision(session, words[1], words[2]), "option": words[2]}
    if verb == "act":
        if len(words) != 2:
            raise OrderError("act ACTION, e.g. act recover/gov24/restart")
        _check_action(session, words[1])
        return "act", {"id": words[1]}
    if verb in FACILITATOR_VERBS:
        text, _action = parse_inject(line, session.sim, session.orders.selector)
        return "inject", {"text": text, "by": FACILITATOR}
    if verb == "end" and len(words) == 1:
        return "end", {"by": FACILITATOR}
    if verb == "undo" and len(words) == 1:
        target = session.undo_target()
        if target is None:
            raise OrderError("nothing to undo: the team has given no command that can be undone")
        return "undo", {"undone": target.n, "by": FACILITATOR}
    raise OrderError(f"unknown command {words[0]!r}{did_you_mean(verb, LINE_VERBS)}: commands are {', '.join(LINE_VERBS)}")


def _check_action(session: Any, action: str) -> None:
    """An action's kind and target exist (a did-you-mean if not); whether it can be taken now is the engine's to say."""
    from ..engine.actions import ACTIONS

    kind, _, rest = action.partition("/")
    if kind not in ACTIONS:
        raise OrderError(f"unknown action kind {kind!r}{did_you_mean(kind, ACTIONS)} (kinds: {', '.join(ACTIONS)}), e.g. act recover/gov24/restart")
    target = rest.split("/", 1)[0]
    c = session.sim.compiled
    known, what = {"recover": (c.sidx, "system"), "fallback": (c.sidx, "system"), "repair": (c.didx, "domain")}.get(kind, (None, ""))
    if known is not None and target not in known:
        raise OrderError(f"act {action}: unknown {what} {target!r}{did_you_mean(target, known)}")


def _decision(session: Any, decision: str, option: str) -> str:
    scenario = session.scenario
    if decision not in scenario.decision_index:
        raise OrderError(f"unknown decision {decision!r}{did_you_mean(decision, scenario.decision_index)} "
                         f"(decisions: {', '.join(scenario.decision_index) or 'none'})")
    options = [o.id for o in scenario.decision_index[decision].options]
    if option not in options:
        raise OrderError(f"decision {decision!r} has no option {option!r}{did_you_mean(option, options)} (options: {', '.join(options)})")
    return decision


class SessionCommands:
    """Orders, the facilitator's commands, undo and the hint (mixed into :class:`~drillsim.drill.DrillSession`, whose world they use)."""

    history: list[JournalEntry]
    ended: bool
    rebuild_notes: list[str]
    read_only: bool
    sim: Any
    orders: Any

    def command(self, kind: str, **data: Any) -> list[Event]:  # pragma: no cover - DrillSession's
        raise NotImplementedError

    # -- orders -------------------------------------------------------------------------
    def preview(self, text: str) -> Prepared:
        """What an order would do now (nothing changes, nothing is journalled); OrderError if it is wrong or would do nothing."""
        self._check_open()
        return self.orders.prepare(text)

    def order(self, text: str, by: str = "team") -> list[Event]:
        """Give a standing order or a bulk action (checked first: OrderError before anything is journalled)."""
        self._check_open()
        return self.command("order", text=self.orders.prepare(text).text, by=by)

    def line(self, text: str, by: str = "team") -> list[Event]:
        """Carry out a one-line command (:func:`parse_line`): an order, a decision, an action, an inject, end or undo."""
        self._check_open()
        kind, data = parse_line(text, self, by)
        return self.command(kind, **data)

    # -- the facilitator ---------------------------------------------------------------
    def facilitate(self, text: str) -> list[Event]:
        """A facilitator's inject (``say``, ``fail``, ``restore``, ``surge``), journalled as such."""
        self._check_open()
        canonical, _action = parse_inject(text, self.sim, self.orders.selector)
        return self.command("inject", text=canonical, by=FACILITATOR)

    def end_drill(self) -> list[Event]:
        """End the drill now (the report covers the drill to here; the baselines stop here too)."""
        self._check_open()
        return self.command("end", by=FACILITATOR)

    def undo_target(self) -> JournalEntry | None:
        """The team's last command not undone yet (None: nothing to undo, or the drill has ended)."""
        if self.ended:
            return None
        undone = self._undone()
        for entry in reversed(self.history):
            if entry.type in TEAM_COMMANDS and entry.n not in undone and entry.data.get("by", "team") != FACILITATOR:
                return entry
        return None

    def undo(self) -> list[Event]:
        """Undo the team's last command: rebuild the drill from its commands without it (the journal keeps both)."""
        self._check_open()
        target = self.undo_target()
        if target is None:
            raise DrillsimError("nothing to undo: the team has given no command that can be undone")
        return self.command("undo", undone=target.n, by=FACILITATOR)

    def hint(self) -> Hint:
        """What the runbook would do next from the team's current state, and why (changes nothing)."""
        return runbook_hint(self.sim)

    # -- carrying them out ----------------------------------------------------------------
    def _check_open(self) -> None:
        if self.read_only:
            raise ReadOnlyError("this is a replay of a finished drill: it only plays back what was recorded")
        if self.ended:
            raise DrillsimError(f"the drill has ended (at {fmt_elapsed(self.now)}): open the after-action report")

    def _undone(self) -> set[int]:
        return {int(e.data["undone"]) for e in self.history if e.type == "undo"}

    def _apply_more(self, kind: str, data: dict[str, Any]) -> bool:
        """Apply an order, inject, undo or end; False if ``kind`` is none of them."""
        if kind == "order":
            self.orders.give(str(data["text"]), by=str(data.get("by", "team")))
        elif kind == "inject":
            _text, action = parse_inject(str(data["text"]), self.sim, self.orders.selector)
            self.sim.inject(action, FACILITATOR)
        elif kind == "end":
            self.sim.end = self.sim.now
            self.ended = True
        elif kind == "undo":
            self._rebuild_without(int(data["undone"]))
        else:
            return False
        return True

    def _rebuild_without(self, n: int) -> None:
        target = next((e for e in self.history if e.n == n), None)
        if target is None or target.type not in TEAM_COMMANDS or n in self._undone():
            raise DrillsimError(f"command #{n} cannot be undone (no such team command, or undone already)")
        undone = self._undone() | {n}
        keep = [e for e in self.history if e.type != "undo" and e.n not in undone]
        self._fresh_world()
        notes: list[str] = []
        for entry in keep:
            try:
                self._apply(entry.type, entry.data)
            except (ActionError, OrderError) as exc:
                notes.append(f"#{entry.n} {entry.describe()}: no longer possible ({exc})")
        self.rebuild_notes = notes
