"""The after-action view: the score against the runbook and against doing nothing, the worst-hit systems.

Reachable at any moment (``r``): a drill still in progress is compared with the two baselines
run to the same time. The baselines run in a worker thread (a national model takes seconds), and
the screen fills in when they are done. ``w`` writes the full after-action report (Markdown and
HTML, from :mod:`drillsim.report`) beside the journal.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...drill import DrillSession
from ...drill.score import SCORE_ROWS, Comparison, compare
from ...engine import RunResult
from ...model import DrillsimError
from ..style import fmt_duration, fmt_elapsed

__all__ = ["ReportScreen", "score_table", "worst_table"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _num(value: float | None, name: str) -> str:
    if value is None:
        return "never" if "time to" in name else "-"
    if "(h)" in name:
        return fmt_duration(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def score_table(comparison: Comparison | None, team: RunResult) -> Table:
    """Team vs runbook vs doing nothing, one row per score (best of the three in bold)."""
    table = Table(title="Score", title_justify="left", expand=False)
    table.add_column("")
    table.add_column("your team", justify="right")
    table.add_column("runbook (auto)", justify="right")
    table.add_column("nobody acts", justify="right")
    for name, read, lower_better in SCORE_ROWS:
        values = [read(team)] + ([read(comparison.auto), read(comparison.nothing)] if comparison else [None, None])
        cells = []
        for k, value in enumerate(values):
            if comparison is None and k:
                cells.append(Text("…", style="dim"))
                continue
            text = Text(_num(value, name))
            if comparison is not None and value is not None and name != "systems hit":
                present = [v for v in values if v is not None]
                best = min(present) if lower_better else max(present)
                if value == best and len(set(present)) > 1:
                    text.stylize("bold green")
            cells.append(text)
        table.add_row(name, *cells)
    return table


def worst_table(result: RunResult, top: int = 15) -> Table:
    """The worst-hit systems of the team's run: time to restore against RTO, data lost against RPO."""
    table = Table(title="Worst-hit systems", title_justify="left")
    for column, justify in (("system", "left"), ("grade", "right"), ("restore", "right"), ("RTO", "right"), ("data lost", "right"), ("RPO", "right"), ("unserved", "right"), ("now", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    worst = sorted(
        result.systems.values(),
        key=lambda s: (not s.data_lost_permanently, s.rto_met is not False, s.grade, -(s.time_to_restore_hours or 0.0)),
    )
    worst = [s for s in worst if s.outages or s.data_loss_hours or s.data_lost_permanently][:top]
    for s in worst:
        breach = s.rto_met is False
        restore = fmt_duration(s.time_to_restore_hours) if s.time_to_restore_hours is not None else "-"
        restore += "" if s.restored else " (open)"
        rto = Text(("✖ " if breach else "✔ " if s.rto_met else "") + fmt_duration(s.rto_hours), style="bold red" if breach else "")
        if s.data_lost_permanently:
            lost = Text("LOST FOR GOOD", style="bold red")
        else:
            lost = Text(fmt_duration(s.data_loss_hours) if s.data_loss_hours else "-")
        rpo = Text("✖" if s.rpo_met is False else ("✔" if s.rpo_met else ""), style="red" if s.rpo_met is False else "green")
        table.add_row(escape(s.name), str(s.grade), Text(restore, style="red" if breach else ""), rto, lost, rpo, f"{s.unserved_demand:,.0f}", s.final_status)
    if not worst:
        table.add_row("(no system was hit)", "", "", "", "", "", "", "")
    return table


class ReportScreen(Screen):
    """Score, comparison with the baselines, worst-hit systems; ``w`` writes the full report."""

    BINDINGS = [
        Binding("escape,r", "app.pop_screen", "Back to the board"),
        Binding("w", "write", "Write report"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.comparison: Comparison | None = None
        self.result = session.result()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report"):
            yield Static(id="report-head")
            yield Static(id="report-score")
            yield Static(id="report-worth")
            yield Static(id="report-worst")
        yield Footer()

    def on_mount(self) -> None:
        session = self.session
        scenario = session.scenario
        state = "the drill is over" if session.done else f"in progress at {fmt_elapsed(session.now)}: baselines run to the same time"
        head = Text()
        head.append("After-action view · ", style="bold")
        head.append(scenario.label, style="bold")
        head.append(f"\nseed {session.seed} · {state} · {_plural(len(session.history), 'command')} · "
                    f"{_plural(len(self.result.actions), 'action')} · {_plural(len(self.result.decisions), 'decision')}", style="dim")
        self.query_one("#report-head", Static).update(head)
        self.query_one("#report-score", Static).update(score_table(None, self.result))
        self.query_one("#report-worth", Static).update(Text("Running the runbook and doing nothing on the same seed…", style="dim italic"))
        self.query_one("#report-worst", Static).update(worst_table(self.result))
        self.run_comparison()

    @work(thread=True, exclusive=True, group="report-baselines")
    def run_comparison(self) -> None:
        """Run the baselines off the UI thread, then show them."""
        comparison = compare(self.session)
        self.app.call_from_thread(self.show_comparison, comparison)

    def show_comparison(self, comparison: Comparison) -> None:
        """Fill in the baselines' columns and what the team's decisions were worth."""
        self.comparison = comparison
        self.query_one("#report-score", Static).update(score_table(comparison, self.result))
        worth = Text("What your decisions were worth (same seed, same world)\n", style="bold")
        for line in comparison.worth():
            worth.append("· " + line + "\n")
        lost = self.result.metrics.data_lost_permanently
        if lost:
            worth.append("Data lost for good: " + ", ".join(self.result.systems[s].name for s in lost), style="bold red")
        self.query_one("#report-worth", Static).update(Group(worth))

    def action_write(self) -> None:
        try:
            paths = write_report(self.session)
        except DrillsimError as exc:
            self.notify(str(exc), title="Report not written", severity="error", timeout=10)
            return
        self.notify("\n".join(str(p) for p in paths), title="Report written", timeout=10)


def write_report(session: DrillSession) -> list[Path]:
    """Write the after-action report (Markdown and HTML) beside the journal, through drillsim.report."""
    try:
        from ... import report as report_module
    except ImportError:  # pragma: no cover - the report package is part of drillsim
        report_module = None
    build = getattr(report_module, "write_drill_report", None) if report_module is not None else None
    if build is None:
        raise DrillsimError("this drillsim has no after-action report writer yet (drillsim.report); the score above is all there is")
    return list(build(session))
