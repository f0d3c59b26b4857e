"""``drillsim invest``: rank redundancy investments by the expected annual loss they avoid."""

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, console, err_console, escape
from .jsonout import dumps

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["invest", "parse_money"]

_SUFFIXES = {"": 1.0, "k": 1e3, "m": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "t": 1e12}


def parse_money(value: str) -> float:
    """``20bn``, ``450M``, ``3_000_000_000``, ``1.5e9`` -> a number (k, M, bn/b, tn/t suffixes)."""
    from ..model import DrillsimError

    text = value.strip().replace("_", "").replace(",", "")
    match = re.fullmatch(r"([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)", text, flags=re.IGNORECASE)
    if not match or match.group(2).lower() not in _SUFFIXES:
        raise DrillsimError(f"--budget: {value!r} is not an amount (write e.g. 20000000000, 20bn or 450M)")
    amount = float(match.group(1)) * _SUFFIXES[match.group(2).lower()]
    if not math.isfinite(amount):
        raise DrillsimError(f"--budget: {value!r} is not a finite amount")
    return amount


class _RichProgress:
    """Shows the analysis' phases as progress bars (on stderr, so --json output stays clean)."""

    def __init__(self, progress: "Progress"):
        self.progress = progress
        self.task = None

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(escape(description), total=total)

    def advance(self, runs: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, runs)


@app.command()
def invest(
    model: Annotated[Path, typer.Argument(help="The model (YAML) the threats and options are written for.", show_default=False)],
    threats: Annotated[Path, typer.Option("--threats", "-t", help="Threats file: scenarios or inline injects, each with a frequency per year.", show_default=False)],
    options: Annotated[
        Path, typer.Option("--options", "-o", help="Options file: investments (overlays on the model) with capital cost, yearly cost and lifetime.", show_default=False)
    ],
    budget: Annotated[
        str | None,
        typer.Option(help="Budget for the portfolio, in the options' currency (e.g. 20bn, 450M): capital + YEARS x yearly cost of the chosen options must fit."),
    ] = None,
    years: Annotated[float, typer.Option(help="Budget period in years: an option's budget cost is its capital + YEARS x its yearly cost.", min=0)] = 5.0,
    runs: Annotated[
        int | None,
        typer.Option(help="Fixed runs per threat and portfolio, on the same seeds for all (common random numbers). Default: sequential, --min-runs to --max-runs.", min=1),
    ] = None,
    min_runs: Annotated[int, typer.Option(help="Sequential: runs every threat and portfolio starts with; questions still open get twice as many each round.", min=2)] = 10,
    max_runs: Annotated[int, typer.Option(help="Sequential: the most runs an open question's threats and portfolios get.", min=2)] = 80,
    shortcuts: Annotated[
        bool,
        typer.Option(
            help="Reuse the baseline's runs where a threat cannot reach an option; add up portfolios whose options influence disjoint systems (--no-shortcuts: simulate all)."
        ),
    ] = True,
    seed: Annotated[int, typer.Option(help="Root seed: run i of every threat and portfolio gets the same seed from (SEED, i).", min=0)] = 0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0, the default: one per CPU). Results do not depend on it.", min=0)] = 0,
    backend: Annotated[str, typer.Option(help="Where runs go: local processes, dask or ray (as for drillsim batch).")] = "local",
    address: Annotated[str | None, typer.Option(help="Dask scheduler or Ray cluster address (default: start a local one).")] = None,
    out: Annotated[Path | None, typer.Option(help="Keep the runs' chunk files in this folder: run again with the same inputs to resume or reuse them.")] = None,
    discount_rate: Annotated[float | None, typer.Option(help="Yearly discount rate, e.g. 0.045 (default: the options file's, else 4.5%).")] = None,
    objective: Annotated[str, typer.Option(help="What the portfolio search maximises: net (EAL avoided - equivalent annual cost) or avoided (EAL avoided).")] = "net",
    search: Annotated[str, typer.Option(help="Portfolio search: auto (exhaustive up to --exhaustive-limit options, else greedy), exhaustive or greedy.")] = "auto",
    exhaustive_limit: Annotated[int, typer.Option(help="Largest number of options 'auto' searches exhaustively (2^n portfolios).", min=0)] = 10,
    rank_by: Annotated[str, typer.Option(help="Rank single options by npv, bcr (benefit/cost ratio) or avoided (EAL avoided).")] = "npv",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document instead of the tables.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Only check the three files (every option on every threat), run nothing.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Write the cost-risk Pareto front to this PNG file.")] = None,
    risk_years: Annotated[int, typer.Option(help="Years simulated for the annual loss distribution from the runs (Poisson occurrences; 0: none).", min=0)] = 10_000,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates for the intervals of the annual loss distribution (0: none).", min=0)] = 200,
    outer_samples: Annotated[int, typer.Option(help="Samples of the assumptions' ranges for the uncertainty analysis (0: none).", min=0)] = 1000,
    curves_plot: Annotated[Path | None, typer.Option(help="Write the loss exceedance curves (baseline and chosen portfolio) to this PNG file.")] = None,
    tornado_plot: Annotated[Path | None, typer.Option(help="Write the tornado chart (what moves each option's NPV) to this PNG file.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the investment report as one self-contained HTML file (tables and plots).")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write the report's tables as an XLSX workbook.")] = None,
    korean_units: Annotated[bool, typer.Option("--korean-units", help="Amounts in Korean units: 만 (10^4), 억 (10^8), 조 (10^12); the workbook counts in 억.")] = False,
) -> None:
    """Rank redundancy investments by the expected annual loss they avoid, and pick a portfolio.

    Every threat is simulated without any option (the baseline) and with each option, on the same
    seeds, so differences are sharp: by default sequentially (MIN_RUNS runs, then twice as many
    for the comparisons whose interval still straddles zero, up to MAX_RUNS), or RUNS times each
    with --runs. An option a threat cannot reach (through placements, dependencies and teams)
    reuses the baseline's runs; portfolios whose options influence disjoint systems add up. A run's loss is the sum over systems of
    loss.per_unserved x unserved demand + loss.per_data_loss_hour x hours of data lost +
    loss.permanent_data_loss if the data is lost for good. Expected annual loss (EAL) = sum over
    threats of frequency x mean loss per occurrence.

    For each option: EAL avoided with a 95% interval (paired runs), NPV over its lifetime at the
    discount rate, benefit/cost ratio, payback time and the threats it helps; the options ranked.
    Then portfolios are simulated as combinations (two fixes of the same weak point do not add
    up): every subset that fits the budget for up to --exhaustive-limit options, else a greedy
    search by marginal value per won; the best one, and the cost-risk Pareto front.

    From the same runs, with no new simulation: the annual loss distribution (RISK_YEARS years
    of Poisson occurrences; exceedance curves, VaR and TVaR at 90/99 %, P(a grade-1 RTO breach),
    P(data lost for good)); and, where frequencies, costs, lifetimes or loss figures are given as
    ranges, a second-order Monte Carlo over them (OUTER_SAMPLES samples: NPV spread, P(worth its
    cost), P(in the best portfolio), rank intervals, a tornado, break-even frequencies).

    File formats: README section "Invest", the docstrings of drillsim.invest.threats and
    drillsim.invest.options, and the examples in scenarios/invest/.

    Exit status: 0 done, 2 bad input (the message names the file, the entry and the line).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..invest import InvestAnalysis, Settings
    from ..invest.report import render
    from ..model import DrillsimError

    settings = Settings(
        runs=runs,
        min_runs=min_runs,
        max_runs=max_runs,
        shortcuts=shortcuts,
        seed=seed,
        jobs=jobs,
        backend=backend,
        address=address,
        out=str(out) if out is not None else None,
        discount_rate=discount_rate,
        years=years,
        budget=parse_money(budget) if budget is not None else None,
        objective=objective,
        search=search,
        exhaustive_limit=exhaustive_limit,
        rank_by=rank_by,
        risk_years=risk_years,
        bootstrap=bootstrap,
        outer_samples=outer_samples,
    )
    settings.check()
    outputs = (
        ("--plot", plot, (".png",)),
        ("--curves-plot", curves_plot, (".png",)),
        ("--tornado-plot", tornado_plot, (".png",)),
        ("--html", html, (".html", ".htm")),
        ("--xlsx", xlsx, (".xlsx",)),
    )
    for name, path, suffixes in outputs:
        if path is not None and path.suffix.lower() not in suffixes:
            raise DrillsimError(f"{name} writes a {suffixes[0][1:].upper()} file: give a file name ending in {suffixes[0]}, got {str(path)!r}")
    if curves_plot is not None and risk_years == 0:
        raise DrillsimError("--curves-plot needs the annual loss distribution: --risk-years must not be 0")
    if check:
        analysis = InvestAnalysis(model, threats, options, settings)
        count = analysis.check_all()
        for diag in [*analysis.threats.warnings, *analysis.options.warnings]:
            err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
        console.print(
            f"[green]valid:[/] {len(analysis.threats.ids)} threats, {len(analysis.options.ids)} options "
            f"({count} option-threat pairs built and checked)"
        )
        return
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console.real,
        transient=True,
    ) as bar:
        analysis = InvestAnalysis(model, threats, options, settings, progress=_RichProgress(bar))
        report = analysis.run()
    for diag in report.warnings:
        err_console.print(f"[yellow]{escape(diag.format())}[/]", soft_wrap=True)
    written = _write_outputs(report, plot, curves_plot, tornado_plot, html, xlsx, korean_units)
    if as_json:
        document = report.to_dict()
        if plot is not None:
            document["plot"] = str(plot)
        document["files"] = {name: str(path) for name, path in written}
        typer.echo(dumps(_finite(document)))
        return
    console.print(render(report, korean_units))
    for name, path in written:
        console.print(f"{name} written to {escape(str(path))}")


def _write_outputs(report, plot, curves_plot, tornado_plot, html, xlsx, korean_units: bool) -> list[tuple[str, Path]]:
    """Write the files asked for; return (what, path) for each."""
    from ..invest.office_html import write_html
    from ..invest.office_xlsx import write_xlsx
    from ..invest.plot import plot_pareto
    from ..invest.risk_plot import exceedance_png, tornado_png, write_png

    written = []
    if plot is not None:
        written.append(("Pareto front plot", plot_pareto(report, plot)))
    if curves_plot is not None:
        written.append(("loss exceedance curves", write_png(exceedance_png(report, korean_units), curves_plot, "--curves-plot")))
    if tornado_plot is not None:
        if report.uncertainty is None:
            err_console.print("[yellow]--tornado-plot: no assumption is a range (or --outer-samples 0): no tornado to draw[/]")
        else:
            written.append(("tornado chart", write_png(tornado_png(report, korean_units), tornado_plot, "--tornado-plot")))
    if html is not None:
        written.append(("HTML report", write_html(report, html, korean_units)))
    if xlsx is not None:
        written.append(("XLSX workbook", write_xlsx(report, xlsx, korean_units)))
    return written


def _finite(value: object) -> object:
    """Non-finite floats (JSON has none) become null, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
