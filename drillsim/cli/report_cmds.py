"""Report commands: ``report`` (after-action report), ``sitrep`` (situation reports per organization)
and ``injects export`` / ``injects import`` (the CSV master scenario events list)."""

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, command, console, err_console, escape
from .jsonout import dumps

if TYPE_CHECKING:
    from ..model import LoadedScenario

__all__ = ["report", "sitrep", "injects_export", "injects_import", "injects_app", "load_source"]


def _warn(loaded: "LoadedScenario") -> None:
    for diag in loaded.warnings:
        err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)


def _is_journal(path: Path) -> bool:
    """Whether ``path`` is a drill journal (JSON lines starting with a header) rather than a scenario."""
    from ..model.files import read_head

    return read_head(path, 512, "journal or a scenario file").lstrip().startswith(b"{")


def load_source(source: Path, scenario: Path | None = None, seed: int | None = None) -> "tuple[LoadedScenario, Any, dict[str, Any] | None, Any]":
    """What ``drillsim report`` reports on: (scenario, the team's RunResult, journal metadata, session or None).

    A drill journal is replayed through :mod:`drillsim.drill` (its commands, on its scenario and
    seed). A scenario file is played by the runbook (auto policy) as "the team", with ``seed``.
    """
    from ..model import DrillsimError, load_scenario
    from ..model.timefmt import fmt_elapsed

    if _is_journal(source):
        from ..drill import DrillSession

        session = DrillSession.replay(source, scenario_path=scenario, board=False)
        recorded = session.recorded
        if seed is not None and recorded is not None and seed != recorded.header.seed:
            raise DrillsimError(f"journal {source} was played with seed {recorded.header.seed}, not {seed}: leave --seed out")
        session.replay_all()
        result = session.result()
        header = recorded.header if recorded is not None else None
        meta: dict[str, Any] = {"journal": str(source)}
        if header is not None:
            meta["started"] = header.started_at
            meta["recorded by"] = f"drillsim {header.drillsim}" if header.drillsim else None
        meta["commands"] = len(session.history)
        if not session.done:
            meta["stopped at"] = f"{fmt_elapsed(result.ended_hours)} (before the horizon: the baselines stop there too)"
        if recorded is not None:
            for warning in recorded.warnings:
                err_console.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
        return session.loaded, result, meta, session
    if scenario is not None:
        raise DrillsimError("--scenario goes with a journal (to find a scenario file that moved); here the source is the scenario itself")
    from ..engine import run_scenario

    loaded = load_scenario(source)
    _warn(loaded)
    result = run_scenario(loaded, seed=seed or 0, policy="auto")
    return loaded, result, None, None


def _add_reporting(session: Any, paths: list[Path]) -> None:
    """A networked drill's journal (``drillsim serve``) holds situation reports: their score ends the Markdown report."""
    if session is None or session.recorded is None or not any(e.type == "report" for e in session.recorded.entries):
        return
    from ..seats.reports import book_from_journal, reporting_score, score_markdown

    section = score_markdown(reporting_score(book_from_journal(session.recorded.entries), session))
    for path in paths:
        if path.suffix == ".md":
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n" + section)


class Format(str, Enum):
    """Report formats."""

    md = "md"
    html = "html"
    both = "both"


@command()
def report(
    source: Annotated[Path, typer.Argument(help="A drill journal (.journal.jsonl) or a scenario file (YAML).", show_default=False)],
    seed: Annotated[int | None, typer.Option(help="With a scenario file: the seed (default 0). A journal has its own.", min=0, show_default=False)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder the report is written to (created if needed).")] = Path("."),
    fmt: Annotated[Format, typer.Option("--format", "-f", help="md (Markdown with PNG plots beside it), html (one self-contained page) or both.")] = Format.both,
    scenario: Annotated[Path | None, typer.Option(help="With a journal: the scenario file, if it is no longer where the journal says.", show_default=False)] = None,
    team: Annotated[str | None, typer.Option(help="Name of the team, shown in the report.", show_default=False)] = None,
    plots: Annotated[bool, typer.Option(help="Draw the plots (matplotlib).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Also write the report's content as JSON (findings, systems, comparison).")] = False,
) -> None:
    """Write the after-action report of a drill, as Markdown and/or a self-contained HTML page.

    From a drill journal, the team's run is replayed exactly (same scenario version, same seed,
    same commands). From a scenario file, the runbook (auto policy) plays the team: useful to
    see the report before a drill, or to report on a plan. Either way the same seed is also
    played by the runbook and by doing nothing, so the report shows what the team's decisions
    were worth, in hours and in citizens' unserved requests.

    Sections: summary; score and comparison (with recovery curves); improvement plan (finding,
    recommendation, owner, due date); systems against RTO and RPO; organizations' situation
    reports; timeline of events and decisions; method and definitions (the scoring formula).

    Exit status: 0 written, 2 bad input.
    """
    from ..drill import run_baselines
    from ..model import DrillsimError
    from ..report import build_report

    loaded, result, meta, session = load_source(source, scenario, seed)
    if team:
        meta = {"team": team, **(meta or {})}
    baselines = run_baselines(loaded, result.seed, until=result.ended_hours)
    built = build_report(loaded, result, baselines=baselines, journal_meta=meta, with_plots=plots)
    formats = ("md", "html") if fmt is Format.both else (fmt.value,)
    paths = built.write(out, formats)
    if as_json:
        path = out / f"aar-{loaded.scenario.id}-seed{result.seed}.json"
        try:
            path.write_text(dumps(built.to_dict(), indent=2, default=str), encoding="utf-8")
        except OSError as exc:
            raise DrillsimError(f"{path}: cannot write: {exc.strerror}") from None
        paths.append(path)
    _add_reporting(session, paths)
    for line in built.headline():
        console.print(escape(line), soft_wrap=True)
    for path in paths:
        if path.suffix in (".md", ".html", ".json"):
            console.print(f"wrote {escape(str(path))}", soft_wrap=True)


@command()
def sitrep(
    source: Annotated[Path, typer.Argument(help="A scenario file (YAML), or a drill journal.", show_default=False)],
    at: Annotated[str, typer.Option(help="When: T+36h / 1d12h after the start, or a local date-time '2025-09-28 16:00'.")] = "1d",
    seed: Annotated[int | None, typer.Option(help="With a scenario file: the seed (default 0).", min=0, show_default=False)] = None,
    org: Annotated[list[str] | None, typer.Option("--org", help="Only this organization (repeat for several).", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(help="Also report the changes since this earlier time (same forms as --at).", show_default=False)] = None,
    truth: Annotated[bool, typer.Option(help="The facts (facilitator's view) instead of what the team knows (fog of war).")] = False,
    policy: Annotated[str, typer.Option(help="With a scenario file: who recovers: auto (the runbook) or none.")] = "auto",
    scenario: Annotated[Path | None, typer.Option(help="With a journal: the scenario file, if it moved.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of the table.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown instead of the table.")] = False,
) -> None:
    """Situation report of every organization at a moment of a run, as city halls reported in 2025.

    For each organization of the scenario: of the central systems it uses, how many are normal,
    unreachable (down in themselves) and malfunctioning (degraded, or down only through a
    system they depend on); the same for its own systems; and, with --since, what changed since
    the earlier report. By default it shows what the team knows at that moment (fog of war:
    failures not yet reported count as unknown); --truth shows the facts.

    From a scenario file the run is played by --policy with --seed; from a drill journal, the
    recorded commands are replayed up to --at.
    """
    from ..drill import StatusView, parse_time_target
    from ..model import DrillsimError, load_scenario
    from ..model.timefmt import fmt_elapsed
    from ..report import sitrep_from_view

    if policy not in ("auto", "none"):
        raise DrillsimError(f"--policy must be auto or none, got {policy!r}")
    if _is_journal(source):
        from ..drill import DrillSession

        session = DrillSession.replay(source, scenario_path=scenario, board=False)
        sim = session.sim
        scenario_obj = session.scenario

        def goto(t: float) -> None:
            for entry in session.script[session.position:]:
                if entry.t is not None and entry.t <= t + 1e-9:
                    session.replay_next()
                else:
                    break
            recorded_end = max((e.t for e in session.script if e.t is not None), default=0.0)
            if t > recorded_end + 1e-9:
                err_console.print(f"[yellow]the journal ends at {fmt_elapsed(recorded_end)}: after that, nobody acts[/]", soft_wrap=True)
            sim.advance(t)
    else:
        if scenario is not None:
            raise DrillsimError("--scenario goes with a journal; here the source is the scenario itself")
        from ..engine import Simulation

        loaded = load_scenario(source)
        _warn(loaded)
        sim = Simulation(loaded, seed=seed or 0, policy=policy)
        scenario_obj = loaded.scenario

        def goto(t: float) -> None:
            sim.advance(t)

    if not scenario_obj.organizations:
        raise DrillsimError(f"scenario {scenario_obj.id!r} names no organizations (add 'organizations:' with the systems each uses and owns)")
    when = parse_time_target(at, 0.0, scenario_obj)
    if when > sim.end + 1e-9:
        raise DrillsimError(f"--at {at} is after the end of the run ({fmt_elapsed(sim.end)})")
    previous = None
    if since is not None:
        before = parse_time_target(since, 0.0, scenario_obj)
        if before > when:
            raise DrillsimError(f"--since {since} is after --at {at}")
        goto(before)
        previous = sitrep_from_view(StatusView(sim, truth), orgs=org)
    goto(when)
    current = sitrep_from_view(StatusView(sim, truth), previous=previous, orgs=org)
    if as_json:
        typer.echo(dumps(current.to_dict(), indent=2))
    elif markdown:
        typer.echo(current.to_markdown(), nl=False)
    else:
        console.print(current.table())
        for organization in current.organizations:
            console.print(escape(organization.sentence()) + ".", soft_wrap=True)
        lines = current.change_lines()
        if lines:
            console.print(f"\n[bold]Changes since {fmt_elapsed(previous.t) if previous else '?'}[/] (--json lists them all):")
            for line in lines:
                console.print(escape(line), soft_wrap=True)


injects_app = typer.Typer(
    name="injects",
    help="Inject lists in and out: a scenario's injects as a master scenario events list (MSEL), a CSV file or an Excel workbook.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(injects_app)


@command(injects_app, "export")
def injects_export(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write: FILE.xlsx (an Excel workbook) or FILE.csv (default: print the CSV).", show_default=False)
    ] = None,
) -> None:
    """Export a scenario's injects as a master scenario events list, in time order: CSV, or XLSX.

    Columns: ID, Time after start, Local date-time, Action, Target, Details (key=value; ...),
    Title, Message, Expected player action / decision (for a decision point: its prompt and
    options). A CSV file is UTF-8 with a byte-order mark, so spreadsheet programs show Korean
    text correctly; a name ending in .xlsx writes an Excel workbook with the same columns. Text
    a spreadsheet would run as a formula (starting with =, +, - or @) is written so that it stays
    text. Edit the list, then bring it back with 'drillsim injects import'.
    """
    from ..model import load_scenario
    from ..model.msel import export_msel

    loaded = load_scenario(scenario)
    _warn(loaded)
    if output is None:
        typer.echo(export_msel(loaded), nl=False)
        return
    export_msel(loaded, output)  # .xlsx: a workbook; anything else: CSV
    console.print(f"wrote {len(loaded.scenario.injects)} injects to {escape(str(output))}", soft_wrap=True)


@command(injects_app, "import")
def injects_import(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (YAML) the events list belongs to.", show_default=False)],
    csv_file: Annotated[Path, typer.Argument(metavar="FILE", help="The events list: a CSV file or an Excel workbook (.xlsx).", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Overlay to write (default: the list's name with .yaml).", show_default=False)
    ] = None,
) -> None:
    """Import a master scenario events list (CSV or XLSX) as the scenario's injects, written as a YAML overlay.

    Every row is checked against the scenario (actions, targets, durations, decision ids); all
    problems are listed at once, each with the file, the row as the spreadsheet numbers it and
    the column. A row may give its time after start, its local date-time or both; when both are
    filled in and disagree, the one changed since the export wins (editing only the time after
    start of an exported list works), and when both changed the message says which to clear. The overlay extends the scenario and replaces its inject list ('replace:
    [injects]'); run, drill or validate the overlay instead of the scenario. The scenario file
    itself is not changed. Exit status: 0 written, 2 problems in the list.
    """
    from ..model import load_scenario
    from ..model.msel_import import import_msel

    loaded = load_scenario(scenario)
    result, path = import_msel(loaded, scenario, csv_file, output)
    for warning in result.warnings:
        err_console.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    changes = result.changes(loaded.scenario)
    console.print(
        f"wrote {escape(str(path))}: {len(result.injects)} injects "
        f"({changes['kept']} unchanged, {changes['added']} new or changed, {changes['removed']} removed or changed in the scenario's list)",
        soft_wrap=True,
    )
