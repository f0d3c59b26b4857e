"""The briefing: the situation, the objectives, the rules, and the team's resources, before the clock starts."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from ...drill import DrillSession
from ...model.timefmt import fmt_duration, fmt_elapsed, fmt_local

__all__ = ["BriefingScreen", "briefing_markdown"]

DRILL_RULES = (
    "You see what monitoring and reports have revealed, not the truth (fog of war). The facilitator "
    "can show the truth with **t**; the screen says so in red while it is shown.",
    "Time moves only when you move it: **space** steps to the next event, **f** adds 15 minutes, "
    "**h** an hour, **g** goes to a chosen time, **p** plays at a chosen speed (**+**/**-**) and pauses.",
    "Act through the actions list (**a**): what is possible now, with its cost in staff and time, and "
    "why the other actions are not possible. Decision points pop up as dialogs.",
    "Every command is saved to the journal before the screen changes: a drill cut short resumes "
    "exactly where it stopped (`drillsim drill SCENARIO --resume JOURNAL`).",
)


def _md(text: str) -> str:
    """Scenario text made safe for Markdown tables (no pipes or line breaks)."""
    return text.replace("|", "\\|").replace("\n", " ")


def briefing_markdown(session: DrillSession) -> str:
    """The briefing as Markdown: situation, objectives, rules, resources, the ecosystem."""
    scenario = session.scenario
    start = scenario.local_time(0.0)
    lines = [f"# {scenario.label}", ""]
    journal = session.journal_path.name if session.journal_path else "none (not saved)"
    lines.append(
        f"**Starts** {fmt_local(start, weekday=True)} · **runs** {fmt_duration(scenario.horizon)} "
        f"· **seed** {session.seed} · **journal** `{journal}`"
    )
    if session.now > 0 or session.history:
        lines.append("")
        lines.append(f"**Resumed** at {fmt_elapsed(session.now)} after {len(session.history)} recorded commands.")
    lines += ["", "## Situation", "", (scenario.briefing or scenario.description or "(no briefing in this scenario)").strip(), ""]
    if scenario.objectives:
        lines += ["## Objectives", ""] + [f"- {o}" for o in scenario.objectives] + [""]
    lines += ["## Rules of the exercise", ""] + [f"- {r}" for r in list(scenario.rules) + list(DRILL_RULES)] + [""]
    teams = sorted(scenario.teams, key=lambda t: -t.staff)
    lines += ["## Your resources", ""]
    if teams:
        total = sum(t.staff for t in teams)
        lines.append(f"{len(teams)} team{'s' if len(teams) != 1 else ''}, {total} staff in all.")
        lines += ["", "| team | staff | on duty | outside hours | mutual aid |", "| --- | ---: | --- | --- | --- |"]
        for team in teams[:12]:
            sched = team.schedule
            duty = "24x7" if sched.kind.value != "business-hours" else f"{sched.start:02.0f}:00-{sched.end:02.0f}:00 {','.join(sched.days)}"
            outside = "-" if sched.kind.value != "business-hours" else f"called in, {fmt_duration(team.call_in)}"
            aid = f"+{team.mutual_aid.staff} after {fmt_duration(team.mutual_aid.after)}" if team.mutual_aid else "-"
            lines.append(f"| {_md(team.label)} | {team.staff} | {duty} | {outside} | {aid} |")
        if len(teams) > 12:
            lines.append(f"| … and {len(teams) - 12} more teams | {sum(t.staff for t in teams[12:])} | | | |")
    else:
        lines.append("No recovery teams.")
    grades = Counter(s.grade for s in scenario.systems)
    sites = [d for d in scenario.domains if d.kind.value == "site"]
    lines += [
        "",
        "## The ecosystem",
        "",
        f"{len(scenario.systems):,} systems (" + ", ".join(f"grade {g}: {grades[g]:,}" for g in sorted(grades)) + f"), {len(sites)} sites"
        + (": " + ", ".join(_md(d.label) for d in sites[:12]) + (" …" if len(sites) > 12 else "") if sites else "")
        + ".",
        "",
        "---",
        "",
        "**Press Enter to begin.**",
    ]
    return "\n".join(lines)


class BriefingScreen(Screen):
    """Shown before the board; Enter begins (or resumes) the drill."""

    BINDINGS = [
        Binding("enter,space", "begin", "Begin", priority=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="briefing"):
            yield Markdown(briefing_markdown(self.session))
        yield Footer()

    def action_begin(self) -> None:
        self.app.begin()  # type: ignore[attr-defined]
