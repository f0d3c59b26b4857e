"""Completion for the order and console lines: the last word, from the drill's own vocabulary.

Typing ``work nirs-o`` suggests ``work nirs-ops``; ``hold in:daejeon-ro`` suggests the first
matching domain; the right arrow (or End) takes the suggestion, as in every Textual input.
"""

from __future__ import annotations

from textual.suggester import Suggester

from ..drill import LINE_VERBS, DrillSession
from ..drill.selection import SELECTION_KEYS

__all__ = ["CommandSuggester"]

_WORDS = ("all", "on", "by", "then", "from", "to", "of", "for", "grade", "demand", "rto")


class CommandSuggester(Suggester):
    """Suggests the rest of the last word: verbs first, then team, domain, organization, system and list names."""

    def __init__(self, session: DrillSession, verbs: tuple[str, ...] = LINE_VERBS) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.session = session
        self.verbs = verbs
        scenario = session.scenario
        c = session.sim.compiled
        self.words = [
            *[t.id for t in scenario.teams],
            *_WORDS,
            *[f"{k}:" for k in SELECTION_KEYS if k not in ("all", "list")],
            *[f"in:{d}" for d in c.dom_ids],
            *[f"org:{o.id}" for o in scenario.organizations],
            *[f"team:{t.id}" for t in scenario.teams],
            *[f"status:{s}" for s in ("down", "unknown", "recovering", "fallback", "degraded", "up")],
            *list(scenario.decision_index),
            *[f"sys:{s}" for s in c.sys_ids],
            *list(c.dom_ids),
            *list(c.sys_ids),
        ]

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        pool = self.verbs if not head else [*(f"@{n}" for n in self.session.orders.selector.named), *self.words]
        for word in pool:
            if word.startswith(last) and word != last:
                return f"{head} {word}" if head else word
        return None
