"""``drillsim batch``: Monte Carlo runs of scenarios and plan variants, with paired comparisons."""

import re
from pathlib import Path
from typing import Annotated

import typer

from .app import command, console, err_console, escape
from .jsonout import dumps
from .run_cmd import parse_until

__all__ = ["batch", "default_out"]

_MAX_WARNINGS = 5
BACKENDS = ("local", "dask", "ray")
POLICIES = ("auto", "none")


def default_out(names: list[str], seed: int) -> Path:
    """The output folder when --out is not given: the same command gives the same folder (resume)."""
    joined = "+".join(names)
    joined = re.sub(r"[^A-Za-z0-9._+-]+", "_", joined)[:80]
    return Path("drillsim-batch") / f"{joined}-seed{seed}"


@command()
def batch(
    files: Annotated[list[Path], typer.Argument(help="Scenario or variant files (YAML); the first is the baseline the others are compared with.", show_default=False)],
    runs: Annotated[int, typer.Option("--runs", "-n", help="Replications per scenario; run i of every scenario uses the same seed.", min=1)] = 100,
    seed: Annotated[int, typer.Option(help="Root seed of the batch: the same seed gives the same rows on any backend and number of jobs.", min=0)] = 0,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (local backend) or local-cluster workers (dask, ray). Default: the number of CPUs.", min=1)
    ] = None,
    backend: Annotated[str, typer.Option(help="Where runs go: local (processes on this machine), dask or ray (extras: pip install 'drillsim[dask]' / 'drillsim[ray]').")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Existing cluster to use: a Dask scheduler (tcp://host:8786) or a Ray cluster (ray://host:10001, auto). Default: start a local one.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (chunks, Parquet, JSON, plots). Default: drillsim-batch/<names>-seed<seed>.")] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Also write runs.csv, system_summary.csv and recovery_curves.csv.")] = False,
    policy: Annotated[str, typer.Option(help="Who recovers: auto (runbooks) or none (the do-nothing baseline).")] = "auto",
    until: Annotated[str | None, typer.Option(help="Stop every run early, e.g. 30d (default: the scenario's horizon).")] = None,
    chunk_size: Annotated[int | None, typer.Option(help="Runs per task (default: sized to about two seconds of work).", min=1)] = None,
    system_rows: Annotated[bool, typer.Option("--system-rows/--no-system-rows", help="Keep one row per run and affected system (per-system statistics).")] = True,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write recovery_curves.png and restore_by_grade.png.")] = True,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard runs saved earlier in the output folder and start again.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json to stdout instead of the tables.")] = False,
    top: Annotated[int, typer.Option(help="Systems listed per scenario in the table of likeliest RTO breaches.", min=0)] = 10,
    allow_large: Annotated[bool, typer.Option("--allow-large", help="Simulate per-request queues even when millions of callers are expected in a run (slow).")] = False,
) -> None:
    """Run scenarios and plan variants many times; compare them on the same random worlds.

    Every file is a scenario, or a plan variant: a small file that 'extends' a scenario and patches it.
    Run i of every file uses the same seed, so differences between variants are sharp (paired
    comparison: mean difference with its 95 % CI, share of runs in which the variant beat the baseline).
    For each metric (time to 50/90/100 % recovery, RTO breaches, data lost, unserved demand, time to
    restore per grade): mean, sd, 95 % CI, P50/P90/P99.

    Results are saved in chunks as they arrive. After Ctrl-C, a killed process or a dead worker, run the
    same command again: only the missing runs are run. A larger --runs extends a finished batch. A run
    that raises is recorded (seed and error) and the batch goes on; replay it with 'drillsim run FILE
    --seed SEED'.

    Exit status: 0 done, 2 bad input or a batch that could not finish, 130 interrupted.
    """

    # Imported here: pyarrow, scipy and matplotlib are not needed by the other commands.
    from ..batch import WorkerLost, resolve_variants, run_batch
    from ..batch.output import _json_default as json_default
    from ..batch.output import summary_tables, write_outputs
    from ..model import DrillsimError

    if backend not in BACKENDS:
        raise DrillsimError(f"--backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if policy not in POLICIES:
        raise DrillsimError(f"--policy must be one of {', '.join(POLICIES)}, got {policy!r}")
    hours = parse_until(until)
    variants = resolve_variants(files)
    for v in variants:
        warnings = v.loaded.warnings
        for diag in warnings[:_MAX_WARNINGS]:
            err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
        if len(warnings) > _MAX_WARNINGS:
            err_console.print(f"[yellow]... and {len(warnings) - _MAX_WARNINGS} more warnings in {escape(v.origin)} (drillsim validate)[/]", soft_wrap=True)
    if not allow_large:
        from ..model.workload import require_feasible

        for v in variants:
            require_feasible(v.scenario, hours, v.loaded.data, v.origin)
    folder = out if out is not None else default_out([v.name for v in variants], seed)
    try:
        result = run_batch(
            variants,
            runs,
            seed,
            jobs=jobs,
            backend=backend,
            address=address,
            out=folder,
            progress=not as_json,
            policy=policy,
            until=hours,
            chunk_size=chunk_size,
            system_rows=system_rows,
            fresh=fresh,
            allow_large=allow_large,
        )
    except KeyboardInterrupt:
        err_console.print(f"Runs finished so far are saved in {escape(str(folder))}: run the same command again to go on.", soft_wrap=True)
        raise
    except WorkerLost as exc:
        raise DrillsimError(f"{exc}. Runs finished so far are saved in {folder}: run the same command again to go on.") from None
    summary = result.summary()
    written = write_outputs(result, folder, csv=csv, plots=plots, summary=summary)
    if as_json:
        typer.echo(dumps(summary, default=json_default))
        return
    console.print(summary_tables(result, summary, top=top))
    failed = result.errors()
    if failed:
        console.print(f"[bold red]{len(failed)} run(s) raised[/] (recorded in runs.parquet, column error); first:")
        for e in failed[:5]:
            console.print(f"  {escape(e['variant'])} run {e['run']} seed {e['seed']}: {escape(str(e['error']))}", soft_wrap=True)
    reused = f", {result.reused:,} found saved" if result.reused else ""
    console.print(
        f"{result.executed:,} runs executed in {result.seconds:.1f}s on {result.backend} ({result.workers} workers){reused}. "
        f"Files in {escape(str(folder))}: {', '.join(p.name for p in written)}",
        soft_wrap=True,
    )
