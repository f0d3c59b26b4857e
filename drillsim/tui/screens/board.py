"""The board: where the drill is played.

Clock and view marker on top; on the left the system board (sites or grades with their status
counts) above the list of systems hit, worst first; on the right the orders in force, the RTO
countdowns, the team roster, the recovery curve and the feed. Every world-changing key goes
through the session, which journals the command durably before this screen redraws. The
dialogs (orders, decisions, the facilitator's console) and the keys panel are in :mod:`.board_dialogs`.
"""

from __future__ import annotations

import time
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandInput, CommandPalette
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from ...drill import DrillSession
from ...engine import ActionOption
from ...model import DrillsimError
from ...model.timefmt import fmt_elapsed
from ..commands import ActionsProvider, DrillCommands
from ..play import REPLAY_SPEEDS, SPEEDS, TICK, PlayClock
from ..widgets.clock import Clock, ViewMarker
from ..widgets.curve import RecoveryCurve
from ..widgets.feed import EventFeed
from ..widgets.groups import GroupBoard, legend
from ..widgets.orders import OrdersPanel
from ..widgets.roster import Roster
from ..widgets.rto import RtoPanel
from ..widgets.systems import SystemList, SystemListHeader
from .board_dialogs import BoardDialogs

__all__ = ["BoardScreen", "SPEEDS", "REPLAY_SPEEDS", "TICK"]


class BoardScreen(BoardDialogs, Screen):
    """The drill board (also used read-only to replay a journal)."""

    COMMANDS = {ActionsProvider, DrillCommands}

    BINDINGS = [
        Binding("space,n", "step", "Step", priority=True),
        Binding("f", "advance(0.25)", "+15m"),
        Binding("h", "advance(1)", "+1h"),
        Binding("g", "goto", "Go to"),
        Binding("p", "toggle_play", "Play/pause"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False),
        Binding("minus", "speed(-1)", "Slower", show=False),
        Binding("c", "orders", "Orders"),
        Binding("a", "actions", "Actions"),
        Binding("d", "decisions", "Decide"),
        Binding("i", "console", "Facilitator"),
        Binding("t", "toggle_truth", "Truth"),
        Binding("v", "toggle_grouping", "Site/grade"),
        Binding("o", "sitreps", "Sitreps"),
        Binding("r", "report", "Report"),
        Binding("e", "replay_end", "To the end", show=False),
        Binding("escape", "clear_filter", "All systems", show=False),
        Binding("question_mark", "toggle_keys", "Keys", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: DrillSession, *, replay: bool = False, truth: bool = False) -> None:
        super().__init__()
        if session.board is None:
            raise DrillsimError("the board needs a session with a board model")
        self.session = session
        self.board = session.board
        self.replay = replay
        self.truth = truth
        self.grouping = "site" if len(self.board.totals["site"]) > 1 else "grade"
        self.group_filter: int | None = None
        self.player = PlayClock(replay)
        self._feed_cursor = 0
        self._generation = session.generation
        self._stamp: tuple[Any, ...] = ()
        self._shown_decisions: set[str] = set()
        self._timer: Any = None
        self.refreshes = 0
        self.last_refresh: float = 0.0
        """perf_counter() at the end of the last board refresh (benchmarks read it)."""

    # ------------------------------------------------------------------------------
    # Layout
    # ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Clock(id="clock")
            yield ViewMarker(id="marker")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield GroupBoard(self.board, id="groups", classes="panel")
                with Vertical(id="systems-panel", classes="panel"):
                    yield SystemListHeader(id="systems-header")
                    yield SystemList(self.board, id="systems")
            with Vertical(id="right"):
                yield OrdersPanel(id="orders", classes="panel")
                yield RtoPanel(self.board, id="rto", classes="panel")
                yield Roster(id="roster", classes="panel")
                yield RecoveryCurve(self.board, id="curve", classes="panel")
                yield EventFeed(id="feed", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#orders").border_title = "Orders"
        self.query_one("#orders").border_subtitle = "↻ running · … queued · ◌ waiting · c: give an order"
        self.query_one("#rto").border_title = "RTO watch"
        self.query_one("#roster").border_title = "Teams"
        self.query_one("#curve").border_title = "Recovery curve"
        self.query_one("#feed").border_title = "Feed"
        self.query_one(GroupBoard).border_subtitle = legend()
        self.query_one("#systems-panel").border_subtitle = "⇠ down through its links · ⚠ data lost · Enter: actions"
        self._timer = self.set_interval(TICK, self._tick, pause=True)
        self.query_one(SystemList).focus()
        self.refresh_board(reset_feed=True)
        self.call_after_refresh(self.check_decisions)

    # ------------------------------------------------------------------------------
    # Drawing
    # ------------------------------------------------------------------------------
    @property
    def view(self) -> str:
        """'truth' (facilitator) or 'team' (fog of war)."""
        return "truth" if self.truth else "team"

    @property
    def playing(self) -> bool:
        """Whether time runs by itself (play) rather than by command."""
        return self.player.playing

    def speed_label(self) -> str:
        """How fast play runs."""
        return self.player.label

    def refresh_board(self, reset_feed: bool = False) -> None:
        """Redraw every panel from the board model (which the session keeps up to date)."""
        session = self.session
        view = self.view
        if session.generation != self._generation:  # an undo rebuilt the world: the feed starts again
            self._generation = session.generation
            self._shown_decisions.clear()
            reset_feed = True
        self.set_class(self.truth, "-truth")
        replay = None
        if self.replay:
            replay = f"REPLAY · command {session.position} of {len(session.script)}"
        self.query_one(Clock).show(session, self.playing, self.speed_label(), replay)
        self.query_one(ViewMarker).show(self.truth)
        # Nothing happened since the last redraw (time moved on, no event): only what shows the time changes.
        stamp = (session.stamp, self.truth, self.grouping, self.group_filter)
        quiet = stamp == self._stamp and not reset_feed
        self._stamp = stamp
        groups = self.query_one(GroupBoard)
        groups.border_title = f"Systems by {self.grouping} ({self.board.size:,})"
        if not quiet:
            groups.show(self.grouping, view)
        systems = self.query_one(SystemList)
        if self.group_filter is not None:
            rows = self.board.rows(view, self.grouping, self.group_filter)
            title = f"Systems hit · {self.board.labels[self.grouping][self.group_filter]} (Esc: all)"
        else:
            rows = self.board.rows(view)
            title = "Systems hit · all sites" if self.grouping == "site" else "Systems hit · all grades"
        self.query_one("#systems-panel").border_title = f"{title} · {len(rows):,}"
        systems.set_rows(rows, view)
        if not quiet:
            self.query_one(OrdersPanel).show(*self.orders_state())
        self.query_one(RtoPanel).show(view)
        if not quiet:
            self.query_one(Roster).show(session.teams(), session.tasks(), self.truth)
        self.query_one(RecoveryCurve).show(view)
        feed = self.query_one(EventFeed)
        if reset_feed:
            total = self._feed_cursor = len(session.events())
            start = max(0, total - 400)
            feed.reset(session.events(since=start), self.truth)
        else:
            new = session.events(since=self._feed_cursor)
            self._feed_cursor += len(new)
            feed.add(new, self.truth)
        self.refreshes += 1
        self.last_refresh = time.perf_counter()

    # ------------------------------------------------------------------------------
    # Commands (journalled by the session before the redraw)
    # ------------------------------------------------------------------------------
    def _do(self, fn: Any, *args: Any) -> bool:
        if self.replay:
            self.notify("This is a replay: it plays back the recorded drill (space: next command).", severity="warning")
            return False
        try:
            fn(*args)
        except DrillsimError as exc:
            self.notify(str(exc), title="Not possible", severity="error", timeout=8)
            return False
        self.after_command()
        return True

    def after_command(self) -> None:
        """Redraw, then put any newly opened decision to the team."""
        self.refresh_board()
        if self.session.done and self.playing:
            self._set_playing(False)
        if self.session.done and not self.replay:
            self.notify("The drill has reached its end: press r for the after-action report.", title="Drill over")
        self.check_decisions()

    def action_step(self) -> None:
        if self.replay:
            self._replay(lambda: self.session.replay_next())
            return
        if self.session.done:
            self.notify("The drill is over: press r for the report.")
            return
        self._do(self.session.step)

    def action_advance(self, hours: float) -> None:
        if self.replay:
            target = self.session.now + float(hours)
            self._replay(lambda: self.session.replay_until(target))
            return
        self._do(self.session.advance_by, float(hours))

    def action_goto(self) -> None:
        from .goto import GotoScreen

        def chosen(target: float | None) -> None:
            if target is None:
                return
            if self.replay:
                self._replay(lambda: self.session.replay_until(target))
            else:
                self._do(self.session.advance, target)

        self.app.push_screen(GotoScreen(self.session), chosen)

    def action_replay_end(self) -> None:
        if self.replay:
            self._replay(lambda: self.session.replay_all())

    def _replay(self, fn: Any) -> None:
        try:
            fn()
        except DrillsimError as exc:
            self.notify(str(exc), title="Replay stopped", severity="error", timeout=10)
            self._set_playing(False)
        self.refresh_board()
        if self.session.replay_done and self.playing:
            self._set_playing(False)

    def available_actions(self) -> list[ActionOption]:
        """What the team could do now (the actions palette lists these)."""
        return self.session.actions()

    def choose_action(self, option: ActionOption) -> None:
        """Take an action picked in the palette (an impossible one is only explained)."""
        if option.status == "no":
            self.notify(f"{option.label}\n{option.reason}", title="Not possible", severity="warning", timeout=8)
            return
        if self._do(self.session.act, option.id):
            what = "Queued" if option.status == "wait" else "Ordered"
            self.notify(option.label, title=what)

    def action_actions(self, query: str = "") -> None:
        if self.replay:
            self.notify("This is a replay: actions cannot be taken.", severity="warning")
            return
        palette = CommandPalette(providers=[ActionsProvider], placeholder="Search actions: a system, 'failover', 'restore', 'fallback'…")

        def fill() -> None:
            if query:
                palette.query_one(CommandInput).value = query

        self.app.push_screen(palette)
        if query:
            self.call_after_refresh(fill)

    def on_system_list_selected(self, message: SystemList.Selected) -> None:
        self.action_actions(message.label)

    def on_group_board_selected(self, message: GroupBoard.Selected) -> None:
        self.group_filter = None if message.key == self.group_filter else message.key
        self.refresh_board()

    def action_clear_filter(self) -> None:
        if self.group_filter is not None:
            self.group_filter = None
            self.refresh_board()

    # ------------------------------------------------------------------------------
    # Play
    # ------------------------------------------------------------------------------
    def _set_playing(self, playing: bool) -> None:
        self.player.set_playing(playing)
        if self._timer is not None:
            (self._timer.resume if playing else self._timer.pause)()
        replay = f"REPLAY · command {self.session.position} of {len(self.session.script)}" if self.replay else None
        self.query_one(Clock).show(self.session, self.playing, self.speed_label(), replay)

    def on_screen_suspend(self) -> None:
        """Another screen (a dialog, the palette, the report) covers the board: time stops."""
        if self.playing:
            self._set_playing(False)

    def action_toggle_play(self) -> None:
        if not self.playing:
            if self.replay and self.session.replay_done:
                self.notify("The replay is at its end.")
                return
            if not self.replay and self.session.done:
                self.notify("The drill is over: press r for the report.")
                return
            if not self.replay and self.session.pending_decisions:
                self.notify("A decision is still open (d answers it): time runs on meanwhile.", severity="warning")
        self._set_playing(not self.playing)

    def action_speed(self, delta: int) -> None:
        self.player.change_speed(delta)
        self._set_playing(self.playing)
        self.notify(f"Play speed: {self.speed_label()}", timeout=2)

    def _tick(self) -> None:
        if not self.playing:
            return
        if self.replay:
            count = self.player.tick_commands()
            if count:
                def play(n: int = count) -> None:
                    for _ in range(n):
                        if self.session.replay_next() is None:
                            break
                self._replay(play)
            return
        if self.session.done:
            self._set_playing(False)
            return
        self._do(self.session.advance_by, self.player.tick_hours())

    # ------------------------------------------------------------------------------
    # Views and other screens
    # ------------------------------------------------------------------------------
    def action_toggle_truth(self) -> None:
        self.truth = not self.truth
        self.refresh_board(reset_feed=True)
        self.notify("Facilitator view: the truth, hidden failures included." if self.truth else "Team view: what monitoring and reports have revealed.", timeout=3)

    def action_toggle_grouping(self) -> None:
        self.grouping = "grade" if self.grouping == "site" else "site"
        self.group_filter = None
        self.refresh_board()

    def action_report(self) -> None:
        from .report import ReportScreen

        self.app.push_screen(ReportScreen(self.session))

    def action_sitreps(self) -> None:
        from .sitrep import SitrepScreen

        self.app.push_screen(SitrepScreen(self.session, truth=self.truth))

    def palette_command(self, action: str) -> None:
        """Run one of this screen's actions by name (from the command palette)."""
        self.app.call_later(self.app.run_action, action, self)

    def describe_time(self) -> str:
        """'T+01:05' (for messages)."""
        return fmt_elapsed(self.session.now)
