"""Command palette providers: the team's actions, and the drill's own commands.

:class:`ActionsProvider` lists what the team could do now (:meth:`drillsim.drill.DrillSession.actions`), each with
its cost in staff and time; actions that must wait say why, and impossible ones are listed too,
with the reason, rather than hidden. Choosing a possible action takes it (journalled like every
command); choosing an impossible one only explains it. :class:`DrillCommands` offers the time
controls and views, so everything on the keyboard can also be found by name (Ctrl+P).
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from ..engine import ActionOption

__all__ = ["ActionsProvider", "DrillCommands", "PaletteHost", "action_help", "MAX_LISTED"]


class PaletteHost(Protocol):
    """What the providers need of the screen that opens the palette (the board)."""

    replay: bool
    """Whether the screen plays back a recorded drill (its commands differ)."""

    def available_actions(self) -> list[ActionOption]:
        """What the team could do now."""
        ...

    def choose_action(self, option: ActionOption) -> None:
        """Take (or explain) an action picked in the palette."""
        ...

    def palette_command(self, action: str) -> None:
        """Run one of the screen's actions by name."""
        ...

MAX_LISTED = 300
"""At most this many actions are listed at once (a national fire offers thousands); type to narrow."""

_MARK = {"ready": ("▶ ", "bold green"), "wait": ("◌ ", "bold yellow"), "no": ("✖ ", "red")}
_WEIGHT = {"ready": 1.0, "wait": 0.9, "no": 0.75}


def action_help(option: ActionOption) -> str:
    """The line under an action: who does it and whether it can start, or why it cannot."""
    if option.team:
        who = f"team {option.team}, {option.staff} staff (starts when they are free)" if option.staff else f"team {option.team}"
    else:
        who = f"{option.staff} staff outside the recovery teams" if option.staff else "no staff needed"
    if option.status == "ready":
        return f"possible now · {who}"
    if option.status == "wait":
        return f"will wait · {option.reason} · {who}"
    return f"not possible: {option.reason}"


def _prompt(option: ActionOption, query: str | None = None, matcher=None) -> Content:
    """The action as listed: a mark for its status, then its label (search matches highlighted)."""
    mark, style = _MARK.get(option.status, ("", ""))
    label = Content(option.label)
    if option.status == "no":
        label = label.stylize("dim")
    if matcher is not None and query:
        _score, offsets = matcher.fuzzy_search.match(query, option.label)
        for offset in offsets:
            if offset < len(option.label) and not option.label[offset].isspace():
                label = label.stylize(matcher.match_style, offset, offset + 1)
    return Content.assemble((mark, style), label)


class ActionsProvider(Provider):
    """What the team could do now: possible actions first, then those that must wait, then impossible ones."""

    async def startup(self) -> None:
        screen: PaletteHost = self.screen  # type: ignore[assignment]
        self.options: list[ActionOption] = screen.available_actions()

    def _command(self, option: ActionOption):
        screen: PaletteHost = self.screen  # type: ignore[assignment]
        return partial(screen.choose_action, option)

    async def discover(self) -> Hits:
        for option in self.options[:MAX_LISTED]:
            yield DiscoveryHit(_prompt(option), self._command(option), text=option.label, help=escape(action_help(option)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        scored = []
        for k, option in enumerate(self.options):
            score = matcher.match(f"{option.label} {option.subject}")
            if score > 0:
                scored.append((score * _WEIGHT.get(option.status, 0.5), k, option))
            if k % 250 == 249:
                await asyncio.sleep(0)  # stay responsive on a national model (thousands of options)
        scored.sort(key=lambda x: (-x[0], x[1]))
        for score, _k, option in scored[:MAX_LISTED]:
            yield Hit(min(1.0, score), _prompt(option, query, matcher), self._command(option), text=option.label, help=escape(action_help(option)))


class DrillCommands(Provider):
    """The drill's controls by name: time, views, screens."""

    def _host(self) -> PaletteHost:
        return self.screen  # type: ignore[return-value]

    def _commands(self) -> list[tuple[str, str, str]]:
        if self._host().replay:
            return [
                ("Next recorded command", "replay_next", "play back the next command of the journal (space)"),
                ("Play / pause the replay", "toggle_play", "play the recorded commands one after another (p)"),
                ("Replay to the end", "replay_end", "play back every remaining command (e)"),
                ("Toggle facilitator view", "toggle_truth", "the truth vs the team's view (t)"),
                ("Group systems by site / grade", "toggle_grouping", "(v)"),
                ("After-action report", "report", "score, comparison with the runbook and with doing nothing (r)"),
                ("Situation reports by organization", "sitreps", "each organization's status count (o)"),
            ]
        return [
            ("Step to the next event", "step", "run until something the team can see happens (space)"),
            ("Advance 15 minutes", "advance(0.25)", "(f)"),
            ("Advance 1 hour", "advance(1)", "(h)"),
            ("Go to a chosen time…", "goto", "+2h, T+36h or a local date-time (g)"),
            ("Play / pause", "toggle_play", "let time run at the chosen speed (p; + and - change the speed)"),
            ("Give an order…", "orders", "standing orders for the team leads: work the runbook, hold, reprioritise, move staff, bulk actions (c)"),
            ("Take an action…", "actions", "what the team can do now, with its cost (a)"),
            ("Open decisions", "decisions", "answer the decision points put to the team (d)"),
            ("Toggle facilitator view", "toggle_truth", "the truth vs the team's view (t)"),
            ("Group systems by site / grade", "toggle_grouping", "(v)"),
            ("After-action report", "report", "score, comparison with the runbook and with doing nothing (r)"),
            ("Situation reports by organization", "sitreps", "each organization's status count (o)"),
            ("Facilitator console…", "console", "injects, a hint, undo the team's last command, end the drill (i)"),
            ("Show / hide the keys", "toggle_keys", "(?)"),
        ]

    async def discover(self) -> Hits:
        for name, action, help in self._commands():
            yield DiscoveryHit(name, partial(self._host().palette_command, action), help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._host().palette_command, action), text=name, help=help)
