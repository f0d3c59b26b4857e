"""``drillsim run``: one headless run of a scenario, as a scorecard or as JSON."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, console, err_console, escape
from .jsonout import dumps

if TYPE_CHECKING:
    from rich.table import Table

    from ..engine import RunResult

__all__ = ["run", "scorecard", "queue_table", "parse_until"]


def parse_until(value: str | None) -> float | None:
    """Parse the --until option (a duration) into hours."""
    if value is None:
        return None
    from ..model import DrillsimError
    from ..model.units import parse_duration

    try:
        hours = parse_duration(value)
    except ValueError as exc:
        raise DrillsimError(f"--until: {exc}") from None
    if hours <= 0:
        raise DrillsimError(f"--until must be a positive duration, got {value!r}")
    return hours


def scorecard(result: "RunResult", top: int = 25) -> "Table":
    """A rich table of the worst-hit systems (data lost for good, then RTO breaches, longest first).

    Columns: grade, time to restore (≥: still down at the end), RTO (✖ breached, ✔ met), data
    lost (LOST: for good), RPO, unserved demand, demand served by manual fallbacks, status now.
    """
    from rich.table import Table

    from ..model.timefmt import fmt_duration
    from ..model.units import human_count as _fmt_count

    m = result.metrics
    table = Table(
        title=f"{result.scenario}  seed {result.seed}  policy {result.policy}  ({fmt_duration(result.ended_hours)} simulated)",
        caption=(
            f"{m.systems_affected} of {m.systems_total} systems affected; grade-1 RTO breaches: {m.grade1_rto_breaches}; "
            f"RTO breaches: {m.rto_breaches}; unserved demand {m.unserved_demand:,.0f} (grade-weighted {m.weighted_unserved_demand:,.0f}); "
            "recovery 50/90/100%: " + " / ".join(fmt_duration(m.time_to_recover_hours[p]) for p in ("p50", "p90", "p100"))
        ),
        caption_justify="left",
        expand=True,
    )
    table.add_column("system", no_wrap=True, overflow="ellipsis", ratio=1, min_width=16)
    for column in ("gr", "restore", "RTO", "lost", "RPO", "unserved", "by hand", "now"):
        table.add_column(column, justify="left" if column == "status" else "right", no_wrap=True)
    worst = sorted(
        result.systems.values(),
        key=lambda s: (not s.data_lost_permanently, s.rto_met is not False, -(s.time_to_restore_hours or 0.0), s.grade),
    )
    worst = [s for s in worst if s.outages or s.data_loss_hours or s.data_lost_permanently][:top]
    for s in worst:
        breach = s.rto_met is False
        rto = f"[red]✖{fmt_duration(s.rto_hours)}[/]" if breach else (f"✔{fmt_duration(s.rto_hours)}" if s.rto_met else fmt_duration(s.rto_hours))
        if s.data_lost_permanently:
            lost = "[bold red]LOST[/]"
        else:
            lost = fmt_duration(s.data_loss_hours) if s.data_loss_hours else "-"
        rpo = "[red]✖[/]" if s.rpo_met is False else ("✔" if s.rpo_met else "")
        table.add_row(
            escape(s.name),
            str(s.grade),
            ("" if s.restored else "≥") + (f"[red]{fmt_duration(s.time_to_restore_hours)}[/]" if breach else fmt_duration(s.time_to_restore_hours)),
            rto,
            lost,
            rpo,
            _fmt_count(s.unserved_demand),
            _fmt_count(s.fallback_served_demand) if s.fallback_served_demand else "-",
            s.final_status,
        )
    return table


def queue_table(result: "RunResult") -> "Table":
    """The per-request results (systems with a queueing block): callers, waits, blocked, abandoned."""
    from rich.table import Table

    from ..model.timefmt import fmt_duration

    table = Table(title="Per-request queues", title_justify="left")
    for column in ("system", "servers", "callers", "mean wait", "waited", "blocked", "abandoned"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for sid, q in result.queues.items():
        wait = q.mean_wait
        table.add_row(
            escape(result.system(sid).name),
            str(q.servers),
            f"{q.arrivals:,}",
            fmt_duration(wait) if wait == wait else "-",
            f"{q.p_wait:.1%}" if q.admitted else "-",
            f"{q.blocked_share:.1%}" if q.arrivals else "-",
            f"{q.abandoned_share:.1%}" if q.arrivals else "-",
        )
    return table


@app.command()
def run(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML).", show_default=False)],
    seed: Annotated[int | None, typer.Option(help="Random seed: the same seed gives the same result (default 0, or the script's).", min=0, show_default=False)] = None,
    until: Annotated[str | None, typer.Option(help="Stop early, e.g. 12h or 3d (default: the scenario's horizon).")] = None,
    policy: Annotated[str, typer.Option(help="Who recovers: auto (runbooks), none (nobody: the do-nothing baseline).")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of the scorecard.")] = False,
    timelines: Annotated[bool, typer.Option(help="With --json: include each system's state timeline.")] = False,
    top: Annotated[int, typer.Option(help="Rows in the scorecard.", min=1)] = 25,
    allow_large: Annotated[bool, typer.Option("--allow-large", help="Simulate a per-request queue even when millions of callers are expected (slow; fluid mode is not).")] = False,
    actions: Annotated[
        Path | None,
        typer.Option("--actions", help="Play a scripted drill: orders, decisions and injects at their times (YAML; see the README's Drill section).", show_default=False),
    ] = None,
) -> None:
    """Run a scenario once, headless, and score the recovery.

    The scorecard lists the worst-hit systems first: time to restore against RTO (breaches in
    red), data lost against RPO (data lost for good called out), unserved demand and demand
    served by manual fallbacks. With --actions, the team's run plays a scripted drill (standing
    orders, decision answers, injects, at their times) and the score is compared with the runbook
    and with doing nothing on the same seed. Exit status: 0 ran, 2 bad input.
    """
    from ..engine import run_scenario
    from ..model import DrillsimError, load_scenario
    from ..model.workload import require_feasible

    if policy not in ("auto", "none"):
        raise DrillsimError(f"--policy must be auto or none, got {policy!r} (the manual policy is the drill: drillsim drill)")
    if actions is not None and policy != "auto":
        raise DrillsimError("--actions plays the team's script: leave --policy out")
    hours = parse_until(until)
    loaded = load_scenario(file)
    for diag in loaded.warnings:
        err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
    if not allow_large:
        require_feasible(loaded.scenario, hours, loaded.data, str(file))
    drill: dict | None = None
    if actions is not None:
        result, drill = _scripted(loaded, file, actions, seed, hours)
    else:
        result = run_scenario(loaded, seed=seed or 0, policy=policy, until=hours, allow_large=allow_large)
    if as_json:
        out = result.to_dict(timelines=timelines)
        if drill is not None:
            out["drill"] = drill
        typer.echo(dumps(out))
        return
    console.print(scorecard(result, top))
    if drill is not None:
        console.print(
            f"score {_num(drill['score'])} · runbook {_num(drill['runbook_score'])} · doing nothing 0 (same seed {drill['seed']}) · "
            f"{drill['commands']} commands from {escape(str(actions))}",
            highlight=False,
        )
    if result.queues:
        console.print(queue_table(result))
    lost = result.metrics.data_lost_permanently
    if lost:
        names = ", ".join(result.systems[s].name for s in lost)
        console.print(f"[bold red]Data lost for good:[/] {escape(names)}")


def _num(value: "float | None") -> str:
    return "-" if value is None else f"{value:.1f}"


def _scripted(loaded, file: Path, actions: Path, seed: "int | None", until: "float | None") -> "tuple[RunResult, dict]":
    """The team's run of a scripted drill, and its score against the runbook and doing nothing."""
    from ..drill import DrillSession, run_baselines
    from ..drill.script import load_script, play_script
    from ..report.summary import score

    script = load_script(actions, loaded)
    chosen = seed if seed is not None else (script.seed if script.seed is not None else 0)
    session = DrillSession.start(file, seed=chosen, loaded=loaded, board=False)
    if until is not None:
        session.sim.end = min(session.sim.end, until)
    play_script(session, script)
    result = session.result()
    base = run_baselines(loaded, chosen, until=result.ended_hours)
    nothing = base["none"].metrics.weighted_unserved_demand
    return result, {
        "seed": chosen,
        "script": str(actions),
        "commands": script.counted,
        "score": score(result.metrics.weighted_unserved_demand, nothing),
        "runbook_score": score(base["auto"].metrics.weighted_unserved_demand, nothing),
    }
