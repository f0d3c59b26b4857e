"""``drillsim drill`` (the tabletop exercise in the terminal) and ``drillsim replay`` (play one back)."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import command, err_console, escape

__all__ = ["drill", "replay"]

def _make_app():
    """Import the Textual app, or explain how to install it."""
    from ..model import DrillsimError

    try:
        from ..tui import make_app
    except ImportError as exc:
        if "textual" in str(exc).lower():
            raise DrillsimError(
                "the drill app needs Textual, which is not installed: pip install 'drillsim[tui]' "
                "(the headless commands, e.g. drillsim run, work without it)"
            ) from None
        raise
    return make_app


@command()
def drill(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)],
    seed: Annotated[int | None, typer.Option(help="Random seed (default 0; with --resume, the journal's).", min=0, show_default=False)] = None,
    journal: Annotated[Path | None, typer.Option(help="Where to write the journal (default: <scenario>-seed<N>-<time>.journal.jsonl here).", show_default=False)] = None,
    resume: Annotated[Path | None, typer.Option(help="Continue the drill of this journal, exactly where it stopped.", show_default=False)] = None,
    truth: Annotated[bool, typer.Option("--truth", help="Start in the facilitator's view (the truth, not the team's fog of war).")] = False,
    briefing: Annotated[bool, typer.Option("--briefing/--no-briefing", help="Show the briefing (situation, objectives, rules, resources) first.")] = True,
    from_last_good: Annotated[
        bool,
        typer.Option(
            "--from-last-good", help="With --resume: if the journal was damaged or edited, go on from its last good line (the whole file is kept in a copy first)."
        ),
    ] = False,
) -> None:
    """Play a scenario as a tabletop drill in the terminal.

    The simulation plays the world; the team sees what monitoring reveals (fog of war), moves the
    clock, takes actions from a searchable list (with their cost in staff and time, and why
    impossible ones are impossible) and answers the scenario's decision points. Every command is
    written to a JSON-lines journal (flushed to disk) before the screen changes: after a crash or
    a closed terminal, --resume JOURNAL rebuilds the identical state (same scenario version, same
    seed, same commands). A journal of another version of the scenario is refused.

    Keys on the board: space step to the next event, f +15 min, h +1 h, g go to a time, p
    play/pause (+/- speed), a actions, d open decisions, t facilitator view, v group by site or
    grade, o situation reports, r after-action view, Ctrl+P every command, q quit.
    """
    from ..model import load_scenario

    make_app = _make_app()
    loaded = load_scenario(scenario)
    for diag in loaded.warnings:
        err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
    if resume is not None:
        from ..drill import JournalTampered, read_journal

        if not from_last_good:
            try:
                read_journal(resume)
            except JournalTampered as exc:
                if exc.good is None or not (sys.stdin.isatty() and sys.stderr.isatty()):
                    raise
                err_console.print(f"[red]{escape(str(exc))}[/]", soft_wrap=True)
                if not typer.confirm("Continue the drill from the last good line?", default=False, err=True):
                    raise typer.Exit(2) from None
                from_last_good = True
        app_ = make_app(scenario, seed=seed, resume=resume, journal=journal, loaded=loaded, truth=truth, briefing=briefing, from_last_good=from_last_good)
        for warning in app_.session.recorded.warnings if app_.session.recorded else []:
            err_console.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    else:
        from ..drill import default_journal_path

        path = journal or default_journal_path(loaded.scenario.id, seed or 0)
        app_ = make_app(scenario, seed=seed or 0, journal=path, loaded=loaded, truth=truth, briefing=briefing)
    app_.run()
    _farewell(app_, scenario)


@command()
def replay(
    journal: Annotated[Path, typer.Argument(help="Journal of a drill (.journal.jsonl).", show_default=False)],
    scenario: Annotated[Path | None, typer.Option(help="The scenario file, if it is no longer where the journal says.", show_default=False)] = None,
    truth: Annotated[bool, typer.Option("--truth", help="Start in the facilitator's view.")] = False,
) -> None:
    """Play a recorded drill back, read-only.

    Opens the board at the start of the drill; space plays back the next recorded command, p plays
    them one after another (+/- speed), e jumps to the end, t shows the truth, r the after-action
    view. The scenario must be the version the drill was played on (same hash).
    """
    make_app = _make_app()
    app_ = make_app(scenario, replay=journal, truth=truth)
    app_.run()


def _farewell(app_, scenario: Path) -> None:
    session = app_.session
    path = session.journal_path
    if path is None:
        return
    from ..model.timefmt import fmt_elapsed

    err_console.print(f"journal: {escape(str(path))} ({len(session.history)} commands, at {fmt_elapsed(session.now)})", highlight=False)
    if not session.done:
        err_console.print(f"continue it with: drillsim drill {escape(str(scenario))} --resume {escape(str(path))}", highlight=False)
    err_console.print(f"play it back with: drillsim replay {escape(str(path))}", highlight=False)

