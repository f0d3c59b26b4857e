"""Rendering an after-action report as Markdown (GitHub-flavoured tables; every scenario name escaped)."""

from __future__ import annotations

import re

from ..model.timefmt import fmt_duration, fmt_elapsed
from .analysis import SEVERITIES
from .content import ReportContent
from .tables import COMPARISON_ROWS, cell, definitions, delta, meta_items, restore_text, rpo_text, status_text
from .text import fmt_num, md_escape

__all__ = ["render_markdown"]

_URL = re.compile(r"^https?://[^\s<>`|]+$")


def _table(head: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["l"] * len(head)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(report: ReportContent, images: dict[str, str] | None = None) -> str:
    """The whole report as Markdown text (see :meth:`drillsim.report.Report.to_markdown`)."""
    e = md_escape
    images = images or {}
    sc = report.scenario
    lines: list[str] = [f"# {e(report.title)}", ""]
    for label, value in meta_items(report):
        lines.append(f"- **{e(label)}:** {e(value)}")
    lines.append("")
    for note in report.notes:
        lines += [f"> {e(note)}", ""]

    # 1. Summary
    lines += ["## 1. Summary", ""]
    lines += [f"- {e(s)}" for s in report.headline()]
    lines.append("")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITIES}
    lines += [
        f"The improvement plan (section 3) has {len(report.findings)} findings: "
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n) + "." if report.findings else "The improvement plan has no findings.",
        "",
    ]

    # 2. Score and comparison
    lines += ["## 2. Score and comparison with the runbook and with doing nothing", ""]
    for sentence in report.worth():
        lines += [e(sentence), ""]
    keys = list(report.runs)
    labels = report.labels
    head = ["Measure"] + [e(labels.get(k, k)) for k in keys]
    others = [k for k in ("auto", "none") if k in report.summaries]
    head += [f"Team − {e(labels[k])}" for k in others]
    rows = []
    team = report.summaries["team"]
    for label, attr, unit, _ in COMPARISON_ROWS:
        if attr == "score" and team.score is None:
            continue
        row = [e(label)] + [cell(report.summaries[k], attr, unit) for k in keys]
        row += [delta(team, report.summaries[k], attr, unit) for k in others]
        rows.append(row)
    lines += _table(head, rows, ["l"] + ["r"] * (len(head) - 1)) + [""]
    lines += [f"How the score is computed: {e(definitions(report)[0][1])}", ""]
    if report.decisions:
        lines += ["### Decisions", ""]
        drows = []
        for d in report.decisions:
            runbook = d["default_label"] if d["option"] != d["default"] else "same"
            drows.append([fmt_elapsed(d['t']), e(d["prompt"]), e(d["label"]), e(d["by"]), e(runbook)])
        lines += _table(["When", "Decision", "Choice", "By", "Runbook's choice"], drows) + [""]
    for name, alt in (("recovery", "Recovery curves of the three runs"), ("unserved", "Requests not served by grade")):
        if images.get(name):
            lines += [f"![{alt}]({images[name]})", ""]

    # 3. Improvement plan
    lines += ["## 3. Improvement plan", ""]
    if report.findings:
        prow = [
            [f.number, f.severity, e(f.category), e(f.finding), e(f.recommendation), e(f.owner), f.due.isoformat()]
            for f in report.findings
        ]
        lines += _table(["#", "Severity", "Category", "Finding", "Recommendation", "Owner", "Due"], prow) + [""]
    else:
        lines += ["Nothing went wrong that the plan would list.", ""]

    # 4. Systems
    lines += ["## 4. Systems: time to restore against RTO, data lost against RPO", ""]
    if images.get("restore"):
        lines += [f"![Time to restore against RTO]({images['restore']})", ""]
    if report.systems:
        srows = []
        for r in report.systems:
            srows.append(
                [
                    e(r.name), str(r.grade), e(r.team), fmt_elapsed(r.first_down),
                    restore_text(r.time_to_restore, r.restored), fmt_duration(r.rto), status_text(r),
                    restore_text(r.auto_time_to_restore, r.auto_restored),
                    "lost for good" if r.data_lost_permanently else fmt_duration(r.data_loss) if r.data_loss else "-",
                    fmt_duration(r.rpo), rpo_text(r) or "-", fmt_num(r.unserved), fmt_num(r.fallback_served) if r.fallback_served else "-", e(r.final_status),
                ]
            )
        lines += _table(
            ["System", "Grade", "Team", "Down at", "Time to restore", "RTO", "RTO met", "Runbook (auto)", "Data lost", "RPO", "RPO met", "Not served", "By hand", "At end"],
            srows,
            ["l", "r", "l", "r", "r", "r", "l", "r", "r", "r", "l", "r", "r", "l"],
        ) + [""]
    else:
        lines += ["No system stopped serving.", ""]

    # 5. Organizations
    if report.sitreps:
        lines += ["## 5. Organizations' situation reports", ""]
        lines += ["At the worst moment of the team's run (fewest affected systems serving), then at the end, with the changes in between.", ""]
        for sitrep in report.sitreps:
            lines.append(sitrep.to_markdown(heading="###"))

    # 6. Timeline
    n = 5 if report.sitreps else 4
    lines += [f"## {n + 1}. Timeline of events and decisions", ""]
    lines += ["Injects, messages, decisions, the team's actions, facilities, data, fallbacks, grade-1 systems and recovery milestones. "
              "\"not seen\": the team did not see it when it happened (fog of war).", ""]
    trows = []
    for t in report.timeline:
        trows.append([fmt_elapsed(t.t), t.local, e(t.kind.replace("_", " ")), e(t.who), e(t.text) + ("" if t.seen else " *(not seen)*")])
    lines += _table(["T+", "Local time", "What", "Who", "Details"], trows) + [""]

    # 7. Method
    lines += [f"## {n + 2}. Method and definitions", ""]
    for term, text in definitions(report):
        lines.append(f"- **{e(term)}.** {e(text)}")
    lines.append("")
    if sc.sources:
        lines += ["Sources of the scenario:", ""] + [f"- <{s}>" if _URL.match(s) else f"- {e(s)}" for s in sc.sources] + [""]
    lines.append(
        f"*Generated by drillsim from scenario {e(sc.id)}, seed {report.result.seed}; "
        f"the baselines were run on the same seed to {fmt_duration(report.result.ended_hours)}.*"
    )
    return "\n".join(lines) + "\n"
