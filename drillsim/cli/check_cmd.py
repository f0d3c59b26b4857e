"""``drillsim check``: run the validation cases and compare the engine with theory."""

import math
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, console, err_console, escape
from .jsonout import dumps

if TYPE_CHECKING:
    from rich.table import Table

    from ..check import Case, Outcome

__all__ = ["check", "format_value"]


def format_value(x: float, half_width: float) -> str:
    """``x`` with enough decimals to show its confidence interval (two significant digits of the half-width)."""
    if not math.isfinite(x):
        return str(x)
    if half_width > 0 and math.isfinite(half_width):
        decimals = max(0, min(10, 1 - math.floor(math.log10(half_width))))
    else:
        decimals = 6
    if abs(x) >= 1e5:
        return f"{x:.4g}"
    return f"{x:.{decimals}f}"


def familywise_bounds(o: "Outcome", m: int) -> tuple[float, float]:
    """The interval of ``o`` widened (Bonferroni) so that ``m`` checks all cover their truth with o's confidence."""
    if o.stderr <= 0:
        return o.low, o.high
    from scipy import stats  # here: scipy takes most of a second to import

    level = 1.0 - (1.0 - o.confidence) / m
    low, high = stats.t.interval(level, o.runs - 1, loc=o.mean, scale=o.stderr)
    return float(low), float(high)


def verdict(o: "Outcome", m: int, strict: bool) -> str:
    """'pass' (inside its interval), 'chance' (outside it, inside the family-wise one) or 'fail'."""
    if o.passed:
        return "pass"
    if strict:
        return "fail"
    low, high = familywise_bounds(o, m)
    tol = 1e-12 * max(1.0, abs(o.theory))
    return "chance" if low - tol <= o.theory <= high + tol else "fail"


_VERDICTS = {"pass": "[green]✔ pass[/]", "chance": "[yellow]~ by chance[/]", "fail": "[bold red]✖ FAIL[/]"}


def _table(outcomes: "list[Outcome]", confidence: float, width: int, verdicts: list[str] | None = None) -> "Table":
    """The outcomes; on a narrow console the interval shows as mean +- half-width (it is symmetric)."""
    from rich import box
    from rich.table import Table

    level = f"{confidence * 100:.4g} %"
    wide = width >= 100
    table = Table(title=f"drillsim check: simulated vs theory ({level} confidence intervals)", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("case / output", overflow="fold", ratio=1)
    columns = ("runs", "simulated", f"{level} CI", "theory", "z", "result") if wide else ("runs", f"simulated ± {level} CI", "theory", "z", "result")
    for column in columns:
        table.add_column(column, justify="left" if column == "result" else "right", no_wrap=True)
    for k, o in enumerate(outcomes):
        hw = o.half_width
        mark = _VERDICTS[verdicts[k]] if verdicts is not None else ("[green]✔ pass[/]" if o.passed else "[bold red]✖ FAIL[/]")
        if wide:
            values = [format_value(o.mean, hw), f"[{format_value(o.low, hw)}, {format_value(o.high, hw)}]"]
        else:
            values = [f"{format_value(o.mean, hw)} ± {format_value(hw, hw)}"]
        z = f"{o.z:+.1f}" if math.isfinite(o.z) else "inf"
        table.add_row(f"{escape(o.case)}\n[dim]{escape(o.label)}[/]", str(o.runs), *values, format_value(o.theory, hw), z, mark)
    return table


def _select(cases: "list[Case]", names: list[str]) -> "list[Case]":
    if not names:
        return cases
    from ..model import DrillsimError

    known = {c.name for c in cases}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DrillsimError(f"no case named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}")
    return [c for c in cases if c.name in names]


@app.command()
def check(
    files: Annotated[list[Path] | None, typer.Argument(help="Case files (YAML) to run besides the built-in cases.", show_default=False)] = None,
    runs: Annotated[int | None, typer.Option("--runs", "-n", help="Replications per case (default: each case's own, enough for tight intervals).", min=2)] = None,
    seed: Annotated[int, typer.Option(help="Base seed: replication k of case C uses a seed derived from (seed, C, k).", min=0)] = 0,
    case: Annotated[list[str] | None, typer.Option("--case", "-c", help="Run only this case (repeat for several).")] = None,
    builtin: Annotated[bool, typer.Option("--builtin/--no-builtin", help="Include the built-in cases.")] = True,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes (default: the number of CPUs); results do not depend on it.", min=1)] = None,
    confidence: Annotated[float, typer.Option(help="Confidence level of the intervals.", min=0.5, max=0.999999)] = 0.95,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Fail on any check whose theoretical value is outside its own interval (a correct engine then fails some check by chance, more often the more checks run).",
        ),
    ] = False,
    list_only: Annotated[bool, typer.Option("--list", help="List the cases and their theoretical values without running them.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcomes as JSON instead of the table.")] = False,
) -> None:
    """Check the engine against theory: availability, redundancy, common cause, backups, queues.

    Each case is a scenario run through the real engine many times (independent seeds); an
    output of each run (a system's availability, data lost, a queue's mean wait...) gives a mean
    and a Student t confidence interval, which must contain the theoretical value (Erlang B/C,
    Markov chains, renewal theory: see drillsim/check/theory.py for the formulas and sources).

    A case file holds a scenario, the outputs to check and their theoretical values (a number,
    or a formula and its inputs): see drillsim/check/cases/ for examples.

    A 95 % interval misses the truth one time in twenty, so with 20 checks a correct engine has
    a check outside its interval more often than not. Such a check is marked "by chance" when
    theory still lies in its family-wise interval (Bonferroni: confidence 1 - 0.05/m for m
    checks), and fails only outside that: a correct engine then passes the whole run 95 % of the
    time, whatever the seed. --strict fails on any check outside its own 95 % interval. A real
    disagreement persists across seeds and grows with --runs (a large |z|).

    Exit status: 0 every check passed, 1 some check failed, 2 bad input.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.table import Table

    from ..check import builtin_cases, load_case, run_cases
    from ..model import DrillsimError

    cases: "list[Case]" = builtin_cases() if builtin else []
    for path in files or []:
        cases.append(load_case(path))
    names = [c.name for c in cases]
    for name in names:
        if names.count(name) > 1:
            raise DrillsimError(f"two cases are named {name!r}: give each case file its own 'case:' name")
    cases = _select(cases, case or [])
    if not cases:
        raise DrillsimError("no case to run (--no-builtin needs case files)")
    for c in cases:
        for warning in c.warnings:
            err_console.print(f"[yellow]{escape(warning)}[/]", soft_wrap=True)
    if list_only:
        table = Table(title="drillsim check: cases", title_justify="left")
        table.add_column("case: output", overflow="fold", ratio=2)
        table.add_column("runs", justify="right", no_wrap=True)
        table.add_column("theory", justify="right", no_wrap=True)
        table.add_column("from", overflow="fold", ratio=3)
        for c in cases:
            for chk in c.checks:
                table.add_row(f"{escape(c.name)}: [dim]{escape(chk.label)}[/]", str(runs or c.runs), f"{chk.theory:.6g}", escape(chk.theory_text))
        console.print(table)
        return
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    started = time.perf_counter()
    total = sum(runs or c.runs for c in cases)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console.real,
        transient=True,
        disable=as_json or not err_console.is_terminal,
    ) as progress:
        overall = progress.add_task(f"{len(cases)} cases, {workers} job{'s' if workers != 1 else ''}", total=total)
        per_case = {c.name: progress.add_task(f"  {c.name}", total=runs or c.runs) for c in cases}

        def advance(c: "Case", n: int) -> None:
            progress.advance(per_case[c.name], n)
            progress.advance(overall, n)

        results = run_cases(cases, runs=runs, seed=seed, jobs=workers, confidence=confidence, on_progress=advance)
    elapsed = time.perf_counter() - started
    outcomes = [o for group in results for o in group]
    verdicts = [verdict(o, len(outcomes), strict) for o in outcomes]
    failed = [o for o, v in zip(outcomes, verdicts) if v == "fail"]
    chance = [o for o, v in zip(outcomes, verdicts) if v == "chance"]
    if as_json:
        doc = {
            "seed": seed,
            "confidence": confidence,
            "seconds": elapsed,
            "passed": not failed,
            "strict": strict,
            "checks": [
                {
                    "case": o.case,
                    "output": o.label,
                    "runs": o.runs,
                    "mean": o.mean,
                    "ci": [o.low, o.high],
                    "stderr": o.stderr,
                    "theory": o.theory,
                    "theory_from": o.theory_text,
                    "z": o.z if math.isfinite(o.z) else None,
                    "inside_interval": o.passed,
                    "familywise_ci": list(familywise_bounds(o, len(outcomes))),
                    "verdict": v,
                    "passed": v != "fail",
                }
                for o, v in zip(outcomes, verdicts)
            ],
        }
        typer.echo(dumps(doc))
    else:
        console.print(_table(outcomes, confidence, console.width, verdicts))
        summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} checks passed in {len(cases)} cases ({elapsed:.0f} s, {workers} job{'s' if workers != 1 else ''}, seed {seed})"
        console.print(f"[bold red]{summary}[/]" if failed else f"[green]{summary}[/]")
        for o in chance:
            console.print(
                f"[yellow]~ {escape(o.case)}: {escape(o.label)}: theory {o.theory:.6g} is {abs(o.z):.1f} standard errors from the simulated "
                f"{o.mean:.6g}: outside its {confidence:.0%} interval, inside the family-wise one ({len(outcomes)} checks): "
                "expected now and then; it should not persist across seeds[/]"
            )
        for o in failed:
            console.print(
                f"[red]✖ {escape(o.case)}: {escape(o.label)}: theory {o.theory:.6g} ({escape(o.theory_text)}) "
                f"is {abs(o.z):.1f} standard errors from the simulated {o.mean:.6g}[/]"
            )
    if failed:
        raise typer.Exit(1)
