"""The after-action view: the score against the runbook and against doing nothing, the improvement
plan, the worst-hit systems; ``w`` writes the full report (Markdown and HTML).

Reachable at any moment (``r``): a drill still in progress is compared with the two baselines run
to the same time. The session runs the baselines (:meth:`~drillsim.drill.DrillSession.baselines`)
and :func:`drillsim.report.build_report` reads the results; both run in a worker thread (a
national model takes seconds) and the screen fills in when they are done. The report files go
beside the journal.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

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
from ...engine import RunResult
from ...model import DrillsimError
from ...model.timefmt import fmt_duration, fmt_elapsed, fmt_system_hours
from ...report import Report, RunSummary, build_report
from ...report.summary import run_summary

__all__ = ["ReportScreen", "score_table", "worst_table", "plan_table", "SCORE_ROWS"]

SCORE_ROWS: tuple[tuple[str, str, bool | None], ...] = (
    ("score (0-100)", "score", False),
    ("systems hit", "systems_affected", None),
    ("still not serving", "down_at_end", True),
    ("grade-1 RTO breaches", "grade1_rto_breaches", True),
    ("RTO breaches", "rto_breaches", True),
    ("RPO breaches", "rpo_breaches", True),
    ("data lost for good (systems)", "data_lost", True),
    ("downtime (system-hours)", "downtime_hours", True),
    ("unserved requests", "unserved", True),
    ("grade-weighted unserved", "weighted_unserved", True),
    ("served by manual fallback", "fallback_served", False),
    ("time to 90 % recovery", "t90", True),
)
"""Rows of the score table: label, RunSummary attribute, whether lower is better (None: neither)."""

_COLUMNS = (("team", "your team"), ("auto", "runbook (auto)"), ("none", "nobody acts"))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _cell(value: Any, attr: str) -> str:
    if value is None:
        return "never" if attr.startswith("t") and attr[1:].isdigit() else "-"
    if attr.startswith("t") and attr[1:].isdigit():
        return fmt_duration(value)
    if attr == "downtime_hours":
        return fmt_system_hours(value)
    if attr == "score":
        return f"{value:.1f}"
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


def score_table(summaries: dict[str, RunSummary]) -> Table:
    """Team vs runbook vs doing nothing, one row per score (the best of the three in bold green)."""
    table = Table(title="Score (same seed, same world; only who recovers differs)", title_justify="left")
    table.add_column("")
    for _key, title in _COLUMNS:
        table.add_column(title, justify="right")
    for label, attr, lower_better in SCORE_ROWS:
        values = [getattr(summaries[key], attr) if key in summaries else None for key, _ in _COLUMNS]
        present = [v for v in values if v is not None]
        best = None
        if lower_better is not None and len(present) == len(values) and len(set(present)) > 1:
            best = min(present) if lower_better else max(present)
        cells = []
        for (key, _), value in zip(_COLUMNS, values):
            if key not in summaries:
                cells.append(Text("…", style="dim"))
                continue
            text = Text(_cell(value, attr))
            if best is not None and value == best:
                text.stylize("bold green")
            cells.append(text)
        table.add_row(label, *cells)
    return table


def worst_table(result: RunResult, top: int = 12) -> Table:
    """The worst-hit systems of the team's run: time to restore against RTO, data lost against RPO."""
    table = Table(title="Worst-hit systems", title_justify="left")
    columns = (("system", "left"), ("grade", "right"), ("restore", "right"), ("RTO", "right"), ("data lost", "right"), ("RPO", "right"), ("unserved", "right"), ("now", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]  # see plan_table
    worst = sorted(
        result.systems.values(),
        key=lambda s: (not s.data_lost_permanently, s.rto_met is not False, s.grade, -(s.time_to_restore_hours or 0.0), s.id),
    )
    worst = [s for s in worst if s.outages or s.data_loss_hours or s.data_lost_permanently][:top]
    for s in worst:
        breach = s.rto_met is False
        restore = fmt_duration(s.time_to_restore_hours) if s.time_to_restore_hours is not None else "-"
        restore += "" if s.restored else " (open)"
        rto = Text(("✖ " if breach else "✔ " if s.rto_met else "") + fmt_duration(s.rto_hours), style="bold red" if breach else "")
        lost = Text("LOST FOR GOOD", style="bold red") if s.data_lost_permanently else Text(fmt_duration(s.data_loss_hours) if s.data_loss_hours else "-")
        rpo = Text("✖" if s.rpo_met is False else ("✔" if s.rpo_met else ""), style="red" if s.rpo_met is False else "green")
        table.add_row(escape(s.name), str(s.grade), Text(restore, style="red" if breach else ""), rto, lost, rpo, f"{s.unserved_demand:,.0f}", s.final_status)
    if not worst:
        table.add_row("(no system was hit)", "", "", "", "", "", "", "")
    return table


def plan_table(report: Report, top: int | None = None) -> Table:
    """The improvement plan (finding, recommendation, owner, due), most severe first: all of it, or the first ``top``."""
    counts = ", ".join(f"{n} {s}" for s, n in Counter(f.severity for f in report.findings).items())
    shown = report.findings if top is None else report.findings[:top]
    more = f"; the first {len(shown)} here, all in the written report" if len(shown) < len(report.findings) else ""
    table = Table(title=f"Improvement plan: {len(report.findings)} findings ({counts}), grouped by cause and owner{more}", title_justify="left", expand=True)
    for column, ratio in (("#", None), ("finding", 6), ("recommendation", 4), ("owner", 2), ("due", None)):
        # "fold", not rich's default "ellipsis": on a wrapped line holding Korean text, rich
        # cuts the line's last word short ("took … other system") instead of wrapping it.
        table.add_column(column, overflow="fold", ratio=ratio, no_wrap=ratio is None)
    for f in shown:
        days = (f.due - report.report_date).days
        style = "bold red" if f.severity in ("critical", "high") else ""
        table.add_row(f.number, Text(f.finding, style=style), f.recommendation, f.owner.split(" (")[0], f"{days} days")
    if not report.findings:
        table.add_row("", "nothing went wrong that the plan needs to fix", "", "", "")
    return table


class ReportScreen(Screen):
    """Score, comparison with the baselines, improvement plan, worst-hit systems; ``w`` writes the report."""

    BINDINGS = [
        Binding("escape,r", "app.pop_screen", "Back to the board"),
        Binding("w", "write", "Write report"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.report: Report | None = None
        self.result = session.result()
        self.written: list[Path] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="report"):
            yield Static(id="report-head")
            yield Static(id="report-score")
            yield Static(id="report-worth")
            yield Static(id="report-plan")
            yield Static(id="report-worst")
        yield Footer()

    def on_mount(self) -> None:
        session = self.session
        state = "the drill is over" if session.done else f"in progress at {fmt_elapsed(session.now)}: the baselines run to the same time"
        head = Text()
        head.append("After-action view · ", style="bold")
        head.append(session.scenario.label, style="bold")
        head.append(
            f"\nseed {session.seed} · {state} · {_plural(len(session.history), 'command')} · "
            f"{_plural(len(self.result.actions), 'action')} · {_plural(len(self.result.decisions), 'decision')}",
            style="dim",
        )
        self.query_one("#report-head", Static).update(head)
        self.query_one("#report-score", Static).update(score_table({"team": run_summary("team", self.result)}))
        self.query_one("#report-worth", Static).update(Text("Playing the same seed by the runbook and by doing nothing…", style="dim italic"))
        self.query_one("#report-worst", Static).update(worst_table(self.result))
        self.build()

    def journal_meta(self) -> dict[str, Any]:
        """What the report says about the drill (journal, commands, how far it went)."""
        session = self.session
        meta: dict[str, Any] = {"commands": len(session.history)}
        if session.journal_path is not None:
            meta["journal"] = session.journal_path.name
        if session.recorded is not None:
            meta["started"] = session.recorded.header.started_at
        if not session.done:
            meta["stopped at"] = f"{fmt_elapsed(session.now)} (before the horizon: the baselines stop there too)"
        return meta

    @work(thread=True, exclusive=True, group="report")
    def build(self) -> None:
        """Run the baselines and build the report off the UI thread, then show it."""
        try:
            baselines = self.session.baselines(until=self.result.ended_hours)
            report = build_report(self.session.loaded, self.result, baselines=baselines, journal_meta=self.journal_meta())
        except DrillsimError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Report", severity="error")
            return
        self.app.call_from_thread(self.show_report, report)

    def show_report(self, report: Report) -> None:
        """Fill in the baselines, what the decisions were worth, and the improvement plan."""
        self.report = report
        self.query_one("#report-score", Static).update(score_table(report.summaries))
        worth = Text("What your decisions were worth\n", style="bold")
        for line in report.worth():
            worth.append("· " + line + "\n")
        lost = self.result.metrics.data_lost_permanently
        if lost:
            worth.append("Data lost for good: " + ", ".join(self.result.systems[s].name for s in lost), style="bold red")
        self.query_one("#report-worth", Static).update(Group(worth))
        self.query_one("#report-plan", Static).update(plan_table(report))

    def action_write(self) -> None:
        if self.report is None:
            self.notify("The report is still being prepared: try again in a moment.")
            return
        self.notify("Writing the report (drawing the plots)…", timeout=3)
        self.write_files()

    def output_folder(self) -> Path:
        """Beside the journal (or here, for a drill without one)."""
        path = self.session.journal_path
        return path.parent if path is not None else Path(".")

    def output_stem(self) -> str:
        """``<journal name>-aar`` (or the report's own default)."""
        path = self.session.journal_path
        if path is None:
            return f"aar-{self.session.scenario.id}-seed{self.session.seed}"
        name = path.name
        for suffix in (".journal.jsonl", ".jsonl"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        return f"{name}-aar"

    @work(thread=True, exclusive=True, group="report-write")
    def write_files(self) -> None:
        """Write Markdown (with PNG plots) and HTML beside the journal."""
        assert self.report is not None
        try:
            paths = self.report.write(self.output_folder(), formats=("md", "html"), stem=self.output_stem())
        except DrillsimError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Report not written", severity="error", timeout=10)
            return
        self.written = list(paths)
        shown = [str(p) for p in paths if p.suffix in (".md", ".html")]
        self.app.call_from_thread(self.notify, "\n".join(shown), title="Report written", timeout=10)
