"""A drill session: one simulation (the team's policy), its journal, and the commands that drive both.

This is the drill's UI-free core (the Textual app, ``drillsim report``, ``drillsim run
--actions`` and the tests all use it, and network seats can drive it the same way). Every
command that changes the world (step, advance, act, decide, order, a facilitator's inject, undo,
end) goes through :meth:`DrillSession.command`: it is applied to the simulation, then appended
to the journal and made durable (flush + fsync), and only then does the caller (the app) redraw.
A command that cannot be taken raises (:class:`~drillsim.engine.ActionError`,
:class:`~drillsim.drill.selection.OrderError`) before anything is written.

The team plays at command level: its standing orders (:mod:`.orders`) are carried out by the
simulated team leads (:class:`~drillsim.engine.delegate.DelegatePolicy`); individual actions stay
available. Orders, injects, undo and the hint are in :mod:`.commands`.

Three ways in::

    session = DrillSession.start("scenarios/example-room-fire.yaml", seed=7, journal_path="x.journal.jsonl")
    session = DrillSession.resume("x.journal.jsonl", "scenarios/example-room-fire.yaml")   # after a crash
    session = DrillSession.replay("x.journal.jsonl")                                      # read-only playback

Same scenario (by content hash), same seed, same commands: the same world, bit for bit. A journal
recorded on another version of the scenario is refused, naming both hashes.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .. import __version__
from ..engine import ActionError, ActionOption, Event, RunResult, Simulation
from ..engine.delegate import DelegatePolicy
from ..model import DrillsimError, LoadedScenario, load_scenario
from .baselines import run_baselines
from .board import BoardModel
from .commands import ReadOnlyError, SessionCommands
from .journal import Journal, JournalEntry, JournalHeader, JournalTampered, JournalWriter, utc_now
from .journal_files import default_journal_path, set_aside
from .journal_read import read_journal
from .orders import OrderBook
from .selection import OrderError
from .times import parse_time_target
from .views import StatusView

__all__ = ["DrillSession", "default_journal_path", "parse_time_target", "ReadOnlyError"]


class DrillSession(SessionCommands):
    """One drill: the simulation (the team's policy and its standing orders), the board model, and the journal."""

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int,
        *,
        scenario_path: str | Path | None = None,
        journal: JournalWriter | None = None,
        read_only: bool = False,
        board: bool = True,
    ):
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.scenario_path = Path(scenario_path) if scenario_path is not None else None
        self.seed = int(seed)
        self.journal = journal
        self.read_only = read_only
        self.board: BoardModel | None = None
        self._with_board = board
        self.history: list[JournalEntry] = []
        """Commands applied so far, in order (recorded ones when resumed or replayed; undone ones too)."""
        self.script: list[JournalEntry] = []
        """Replay: the recorded commands, all of them; :attr:`position` says how many were played."""
        self.position = 0
        self.recorded: Journal | None = None
        self.ended = False
        """Whether the facilitator ended the drill (``end``)."""
        self.rebuild_notes: list[str] = []
        """After an undo: the later commands that no longer applied to the rebuilt world."""
        self.generation = 0
        """How many times the world was rebuilt (an undo): displays reset their feed when it changes."""
        self._next_n = 1
        self._fresh_world()

    def _fresh_world(self) -> None:
        """A new simulation of the scenario and seed, with no command applied (the board model is kept, emptied)."""
        self.policy = DelegatePolicy()
        self.sim = Simulation(self.loaded, seed=self.seed, policy=self.policy)
        self.orders = OrderBook(self.sim, self.policy)
        """The standing orders in force (:mod:`.orders`)."""
        if self._with_board:
            if self.board is None:
                self.board = BoardModel(self.sim)
            else:
                self.board.rebind(self.sim)
            self.board.update()
        self._seen_events = 0
        self.ended = False
        self.generation += 1

    # ------------------------------------------------------------------------------
    # Starting, resuming, replaying
    # ------------------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        scenario_path: str | Path,
        seed: int = 0,
        journal_path: str | Path | None = None,
        loaded: LoadedScenario | None = None,
        board: bool = True,
    ) -> "DrillSession":
        """A new drill; with ``journal_path``, a new journal (never overwriting one) gets its header."""
        scenario_path = Path(scenario_path)
        loaded = loaded or load_scenario(scenario_path)
        writer = None
        if journal_path is not None:
            header = JournalHeader(
                scenario=str(scenario_path.resolve()),
                scenario_hash=loaded.hash,
                seed=int(seed),
                scenario_id=loaded.scenario.id,
                drillsim=__version__,
                started_at=utc_now(),
            )
            writer = JournalWriter.create(journal_path, header)
        return cls(loaded, seed, scenario_path=scenario_path, journal=writer, board=board)

    @staticmethod
    def _load_for(journal: Journal, scenario_path: str | Path | None, loaded: LoadedScenario | None) -> tuple[LoadedScenario, Path]:
        header = journal.header
        path = Path(scenario_path) if scenario_path is not None else Path(header.scenario)
        if loaded is None:
            try:
                exists = path.exists()
            except (OSError, ValueError):
                exists = False
            if not exists:
                raise DrillsimError(
                    f"the scenario of journal {journal.path} ({header.scenario}) is not there any more: "
                    "name the scenario file explicitly"
                )
            loaded = load_scenario(path)
        if loaded.hash != header.scenario_hash:
            raise DrillsimError(
                f"journal {journal.path} was recorded on scenario {header.scenario_id or header.scenario} with hash "
                f"{header.scenario_hash}, but {path} now has hash {loaded.hash}: the scenario has changed since the "
                "drill was played, so its commands would not give the same world. Use the scenario file as it was "
                f"(hash {header.scenario_hash}), or start a new drill."
            )
        return loaded, path

    @classmethod
    def resume(
        cls,
        journal_path: str | Path,
        scenario_path: str | Path | None = None,
        seed: int | None = None,
        loaded: LoadedScenario | None = None,
        board: bool = True,
        append: bool = True,
        from_last_good: bool = False,
    ) -> "DrillSession":
        """Rebuild a drill from its journal (same seed, same commands) and keep journalling to it.

        With ``from_last_good``, a journal with a damaged or tampered line (or lines removed
        from its end) is resumed from its last good line: the whole file is first copied beside
        it (``<journal>.damaged``), then the journal is cut after that line and goes on.

        Raises DrillsimError if the scenario's hash differs from the journal's, if ``seed`` is
        given and differs, or if a recorded command no longer plays the same way;
        JournalTampered (naming the line) for a damaged journal without ``from_last_good``.
        """
        try:
            journal = read_journal(journal_path)
        except JournalTampered as exc:
            if not from_last_good or exc.good is None:
                raise
            journal = exc.good
            if append:
                copy = set_aside(journal.path)
                journal.warnings.append(
                    f"{exc}".split(". The journal is good", 1)[0]
                    + f"; resumed from the last good line, the journal as it was is kept in {copy}"
                )
        header = journal.header
        if seed is not None and int(seed) != header.seed:
            raise DrillsimError(f"journal {journal.path} was played with seed {header.seed}, not {seed}: resume it without --seed (or with --seed {header.seed})")
        loaded, path = cls._load_for(journal, scenario_path, loaded)
        session = cls(loaded, header.seed, scenario_path=path, board=board)
        session.recorded = journal
        for entry in journal.commands:
            session._replay_entry(entry)
        if append:
            session.journal = JournalWriter.reopen(journal)
            session.journal.append("resume", session.sim.now)
        return session

    @classmethod
    def replay(
        cls,
        journal_path: str | Path,
        scenario_path: str | Path | None = None,
        loaded: LoadedScenario | None = None,
        board: bool = True,
    ) -> "DrillSession":
        """A read-only session positioned at the start of a recorded drill; play it with :meth:`replay_next`."""
        journal = read_journal(journal_path)
        loaded, path = cls._load_for(journal, scenario_path, loaded)
        session = cls(loaded, journal.header.seed, scenario_path=path, read_only=True, board=board)
        session.recorded = journal
        session.script = journal.commands
        return session

    # ------------------------------------------------------------------------------
    # Commands
    # ------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Hours since the scenario start."""
        return self.sim.now

    @property
    def done(self) -> bool:
        """Whether the simulation reached its horizon."""
        return self.sim.done

    def step(self) -> list[Event]:
        """Run to the next event the team can see."""
        return self.command("step")

    def advance(self, to: float) -> list[Event]:
        """Run to ``to`` hours after the start (capped at the horizon), stopping early if a decision point opens."""
        if not math.isfinite(to):
            raise DrillsimError(f"cannot advance to {to!r}")
        return self.command("advance", to=round(float(min(to, self.sim.end)), 9))

    def advance_by(self, hours: float) -> list[Event]:
        """Run ``hours`` further."""
        return self.advance(self.sim.now + hours)

    def act(self, action_id: str) -> list[Event]:
        """Take an action (an id from :meth:`actions`); ActionError if it cannot be taken now."""
        return self.command("act", id=action_id)

    def decide(self, decision: str, option: str) -> list[Event]:
        """Answer an open decision point."""
        return self.command("decide", decision=decision, option=option)

    def command(self, kind: str, **data: Any) -> list[Event]:
        """Apply one command to the world, then journal it durably; return the events it caused."""
        if kind in ("step", "advance") and self.sim.done and not self.read_only:
            return []  # the horizon (or the facilitator's end): time does not move on
        self._check_open()
        self._apply(kind, data)
        if self.journal is not None:
            entry = self.journal.append(kind, self.sim.now, **data)
        else:
            entry = JournalEntry(kind, data, self.sim.now, self._next_n)
        self._next_n = entry.n + 1
        return self._after(entry)

    def _apply(self, kind: str, data: dict[str, Any]) -> None:
        sim = self.sim
        if kind == "step":
            sim.step()
        elif kind == "advance":
            sim.advance(float(data["to"]), stop_at_decision=True)
        elif kind == "act":
            sim.act(str(data["id"]))
        elif kind == "decide":
            sim.decide(str(data["decision"]), str(data["option"]))
        elif not self._apply_more(kind, data):
            raise DrillsimError(f"unknown drill command {kind!r}")

    def _after(self, entry: JournalEntry) -> list[Event]:
        self.history.append(entry)
        self._next_n = max(self._next_n, entry.n + 1)
        new = self.sim.events(visible_only=False, since=self._seen_events)
        self._seen_events += len(new)
        if self.board is not None:
            self.board.update()
        return new

    def _replay_entry(self, entry: JournalEntry) -> list[Event]:
        where = f"{self.recorded.path if self.recorded else 'journal'}:{entry.line}"
        try:
            self._apply(entry.type, entry.data)
        except (ActionError, OrderError) as exc:
            raise DrillsimError(f"{where}: the recorded command '{entry.describe()}' cannot be replayed: {exc}") from None
        if entry.t is not None and not math.isclose(self.sim.now, entry.t, rel_tol=1e-12, abs_tol=1e-9):
            recorded_by = self.recorded.header.drillsim if self.recorded else "?"
            raise DrillsimError(
                f"{where}: after '{entry.describe()}' the simulation is at T+{self.sim.now:.6g}h but the journal "
                f"recorded T+{entry.t:.6g}h: this drillsim ({__version__}) no longer plays the journal (recorded by "
                f"{recorded_by}) the same way"
            )
        return self._after(entry)

    # ------------------------------------------------------------------------------
    # Replay
    # ------------------------------------------------------------------------------
    @property
    def replay_done(self) -> bool:
        """Whether every recorded command has been played back."""
        return self.position >= len(self.script)

    def replay_next(self) -> JournalEntry | None:
        """Play back the next recorded command (None when all have been played)."""
        if self.replay_done:
            return None
        entry = self.script[self.position]
        self.position += 1
        self._replay_entry(entry)
        return entry

    def replay_until(self, t: float) -> list[JournalEntry]:
        """Play back recorded commands while the simulation is before ``t``."""
        out = []
        while not self.replay_done and self.sim.now < t - 1e-9:
            entry = self.replay_next()
            if entry is not None:
                out.append(entry)
        return out

    def replay_all(self) -> list[JournalEntry]:
        """Play back every remaining recorded command."""
        out = []
        while not self.replay_done:
            entry = self.replay_next()
            if entry is not None:
                out.append(entry)
        return out

    # ------------------------------------------------------------------------------
    # What the screens read (they never reach into the simulation themselves)
    # ------------------------------------------------------------------------------
    @property
    def stamp(self) -> tuple[int, int, int]:
        """Changes whenever something happens (a command, an event hidden or not, a rebuild): displays redraw what depends on it."""
        return self.generation, self._next_n, self.sim.world.n_logged

    @property
    def end(self) -> float:
        """Where the drill ends, in hours since the start (the horizon)."""
        return self.sim.end

    @property
    def pending_decisions(self) -> list[str]:
        """The decision points open now, in the order they opened."""
        return list(self.sim.pending_decisions)

    def actions(self) -> list[ActionOption]:
        """What the team could do now: every action with its cost, and why it must wait or cannot be taken."""
        return self.sim.actions()

    def teams(self) -> list[dict[str, Any]]:
        """The recovery teams: staff on duty, busy, arriving."""
        return self.sim.teams()

    def tasks(self) -> list[dict[str, Any]]:
        """The recovery tasks under way or waiting."""
        return self.sim.tasks()

    def events(self, since: int = 0) -> list[Event]:
        """Every event from the ``since``-th on (hidden ones too: the view decides what to show)."""
        return self.sim.events(visible_only=False, since=since)

    def status_view(self, truth: bool = False) -> StatusView:
        """Each system's status now, as the team knows it (or, with ``truth``, as it is): what a sitrep reads."""
        return StatusView(self.sim, truth)

    # ------------------------------------------------------------------------------
    # Results
    # ------------------------------------------------------------------------------
    def result(self) -> RunResult:
        """The run's result so far (final once the horizon is reached)."""
        return self.sim.result()

    def baselines(self, until: float | None = None) -> dict[str, RunResult]:
        """The same seed played by the runbook (``auto``) and by doing nothing (``none``), to ``until`` (default: now)."""
        return run_baselines(self.loaded, self.seed, until=self.now if until is None else until)

    @property
    def journal_path(self) -> Path | None:
        """Where the journal is written (or, in a replay, read from)."""
        if self.journal is not None:
            return self.journal.path
        return self.recorded.path if self.recorded is not None else None

    def close(self) -> None:
        """Close the journal (every entry is on disk already)."""
        if self.journal is not None:
            self.journal.close()
