"""The drill app: one factory, :func:`make_app`, used by ``drillsim drill``, ``drillsim replay`` and the tests.

The app is presentation only. The world is a :class:`~drillsim.drill.DrillSession` (UI-free):
every key that changes the world calls the session, which applies the command and journals it
(flushed and fsync-ed) before the board redraws. Starting, resuming and replaying differ only in
how the session is made::

    app = make_app("scenarios/example-room-fire.yaml", seed=7, journal="x.journal.jsonl")
    app = make_app("scenarios/example-room-fire.yaml", resume="x.journal.jsonl")
    app = make_app(replay="x.journal.jsonl")
    app.run()                              # or: async with app.run_test() as pilot: ...
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from textual.app import App

from ..drill import DrillSession
from ..model import DrillsimError, LoadedScenario
from .screens.board import BoardScreen
from .screens.briefing import BriefingScreen

__all__ = ["DrillApp", "make_app"]


class DrillApp(App[None]):
    """The tabletop exercise in the terminal (or, with ``replay``, a read-only playback of one)."""

    CSS_PATH = "drill.tcss"
    TITLE = "drillsim drill"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, session: DrillSession, *, replay: bool = False, briefing: bool = True, truth: bool = False) -> None:
        super().__init__()
        self.session = session
        # The scenario and the compiled model (millions of objects on a national model) live as long
        # as the app and are never garbage: keep them out of the collector's full passes, which
        # would otherwise stall the board for a second or two now and then.
        gc.collect()
        gc.freeze()
        self.replay = replay
        self.show_briefing = briefing
        self.start_truth = truth
        self.board_screen: BoardScreen | None = None
        self.previous_sitreps: dict[bool, Any] = {}
        scenario = session.scenario
        self.title = ("Replay · " if replay else "Drill · ") + scenario.label
        self.sub_title = f"seed {session.seed}"

    def on_mount(self) -> None:
        if self.show_briefing:
            self.push_screen(BriefingScreen(self.session))
        else:
            self.begin()

    def begin(self) -> None:
        """Leave the briefing (if shown) for the board."""
        self.board_screen = BoardScreen(self.session, replay=self.replay, truth=self.start_truth)
        if isinstance(self.screen, BriefingScreen):
            self.switch_screen(self.board_screen)
        else:
            self.push_screen(self.board_screen)

    def on_unmount(self) -> None:
        self.session.close()
        gc.unfreeze()  # what the app kept alive may be collected again


def make_app(
    scenario: str | Path | None = None,
    *,
    seed: int | None = None,
    journal: str | Path | None = None,
    resume: str | Path | None = None,
    replay: str | Path | None = None,
    loaded: LoadedScenario | None = None,
    briefing: bool | None = None,
    truth: bool = False,
    from_last_good: bool = False,
) -> DrillApp:
    """The drill app for a new drill, a resumed one (``resume``) or a replay (``replay``).

    Args:
        scenario: the scenario file (required for a new drill; for a resume or a replay, it
            defaults to the one named in the journal, and must have the journal's hash).
        seed: random seed of a new drill (default 0); with ``resume``, must match the journal's.
        journal: where a new drill's journal goes (None: not journalled).
        resume: a journal to continue: its commands are replayed, new ones appended to it.
        replay: a journal to play back read-only.
        loaded: an already loaded scenario (saves loading it again).
        briefing: show the briefing first (default: yes, except for a replay).
        truth: start in the facilitator's view.
        from_last_good: with ``resume``, go on from the last good line of a damaged journal.

    Raises:
        DrillsimError: on a missing scenario, a journal of another scenario version, etc.
    """
    if replay is not None:
        if resume is not None or journal is not None:
            raise DrillsimError("a replay only reads its journal: it takes no --journal or --resume")
        session = DrillSession.replay(replay, scenario, loaded=loaded)
        return DrillApp(session, replay=True, briefing=bool(briefing), truth=truth)
    if resume is not None:
        if journal is not None and Path(journal) != Path(resume):
            raise DrillsimError("--resume continues the given journal: do not pass --journal as well")
        session = DrillSession.resume(resume, scenario, seed=seed, loaded=loaded, from_last_good=from_last_good)
        return DrillApp(session, briefing=briefing is not False, truth=truth)
    if scenario is None:
        raise DrillsimError("name the scenario file of the drill")
    session = DrillSession.start(scenario, seed=0 if seed is None else seed, journal_path=journal, loaded=loaded)
    return DrillApp(session, briefing=briefing is not False, truth=truth)
