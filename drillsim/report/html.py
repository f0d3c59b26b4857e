"""Rendering an after-action report as one self-contained HTML page.

Everything is inline: the CSS in a ``<style>`` element, the plots as ``data:`` URIs. The page
fetches nothing (no fonts, scripts or images from elsewhere) and prints cleanly. Every text that
comes from the scenario, the journal or the run is escaped; links from the scenario's sources
are kept only when they are plain http(s) addresses. Status is always shown by a symbol and a
word as well as a colour.
"""

from __future__ import annotations

import re

from ..model.timefmt import fmt_duration, fmt_elapsed, fmt_local
from .analysis import SEVERITIES
from .content import ReportContent
from .sitrep import CATEGORIES, SitRep
from .tables import COMPARISON_ROWS, cell, definitions, delta, meta_items, restore_text, rpo_text, status_text
from .text import fmt_num, h

__all__ = ["render_html", "CSS"]

_URL = re.compile(r"^https?://[^\s<>\"'`]+$")

CSS = """
:root { --ink:#1b1f24; --muted:#5b6570; --line:#d8dde3; --bg:#ffffff; --band:#f4f6f8; --blue:#1f4e9c;
        --red:#b03a2e; --amber:#9a6700; --green:#1e7b45; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans CJK KR", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; }
header.top { background: var(--blue); color: #fff; padding: 22px 28px; }
header.top .inner { max-width: 1180px; margin: 0 auto; }
header.top h1 { margin: 0 0 4px; font-size: 24px; }
header.top p { margin: 0; opacity: .9; }
h2 { margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); font-size: 19px; }
h3 { margin: 22px 0 8px; font-size: 15px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 12px; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
.note { border-left: 4px solid var(--amber); background: #fff8e6; padding: 8px 12px; margin: 10px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--band); }
.card .v { font-size: 22px; font-weight: 650; } .card .k { color: var(--muted); font-size: 12px; }
.card.bad { border-color: var(--red); background: #fdf0ee; } .card.bad .v { color: var(--red); }
ul.bottom li { margin: 2px 0; }
.lost { color: var(--red); font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
table.plan { table-layout: fixed; } table.plan td { overflow-wrap: anywhere; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); position: sticky; top: 0; z-index: 1; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.breach { color: var(--red); font-weight: 600; } .met { color: var(--green); } .open { color: var(--amber); }
.sev { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.sev.critical { background: var(--red); color: #fff; } .sev.high { background: #e67e22; color: #fff; }
.sev.medium { background: #f4d35e; color: #3a3000; } .sev.low { background: #dfe6ee; color: #233; }
.better { color: var(--green); } .worse { color: var(--red); }
figure { margin: 14px 0; } figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 12px; }
.unseen { color: var(--muted); font-style: italic; }
details > summary { cursor: pointer; color: var(--blue); margin: 6px 0; }
nav.toc { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 14px 0; }
nav.toc ol { margin: 4px 0; padding-left: 20px; } nav.toc a { color: var(--blue); text-decoration: none; }
footer { color: var(--muted); font-size: 12px; margin-top: 30px; }
.kind { white-space: nowrap; color: var(--muted); }
@media print {
  header.top { background: none; color: var(--ink); border-bottom: 3px solid var(--ink); }
  th { position: static; } details { display: block; } details > summary { display: none; }
  h2 { page-break-after: avoid; } tr, figure { page-break-inside: avoid; } nav.toc { display: none; }
}
"""
"""The page's style sheet (inline in the page)."""

_SECTIONS = [
    ("summary", "Summary"),
    ("comparison", "Score and comparison"),
    ("plan", "Improvement plan"),
    ("systems", "Systems: RTO and RPO"),
    ("organizations", "Organizations' situation reports"),
    ("timeline", "Timeline of events and decisions"),
    ("method", "Method and definitions"),
]


def _rto_cell(row: object) -> str:
    text = status_text(row)  # type: ignore[arg-type]
    cls = "breach" if text.startswith("✖") else "met" if text.startswith("✔") else "open"
    return f'<span class="{cls}">{h(text)}</span>'


def _rpo_cell(row: object) -> str:
    text = rpo_text(row)  # type: ignore[arg-type]
    if not text:
        return "-"
    cls = "lost" if "LOST" in text else "breach" if text.startswith("✖") else "met"
    return f'<span class="{cls}">{h(text)}</span>'


def _delta_cell(text: str, lower_is_better: bool, attr: str) -> str:
    if text in ("-", "±0"):
        return h(text)
    positive = text.startswith("+")
    good = (not positive) if lower_is_better else positive
    if attr == "fallback_served":
        return h(text)
    word = "better" if good else "worse"
    return f'<span class="{word}">{h(text)} <small>({word})</small></span>'


def _sitrep_html(sitrep: SitRep) -> str:
    unknown = any(o.uses.unknown or o.owns.unknown for o in sitrep.organizations)
    cats = [c for c in CATEGORIES if c != "unknown" or unknown]
    symbols = {"normal": "●", "unreachable": "✖", "malfunctioning": "◐", "unknown": "?"}
    out = [f"<h3>{h(sitrep.title)}</h3>", "<table><thead><tr><th>Organization</th><th>Systems</th><th class=n>Total</th>"]
    out += [f"<th class=n>{symbols[c]} {h(c)}</th>" for c in cats]
    out.append("<th>Since the previous report</th></tr></thead><tbody>")
    for org in sitrep.organizations:
        for group_name, group in (("uses", org.uses), ("owns", org.owns)):
            if not group.total and group_name == "owns" and org.uses.total:
                continue
            changes = None if org.changes is None else [c for c in org.changes if c.group == group_name]
            if changes is None:
                change = "first report"
            elif not changes:
                change = "no change"
            else:
                shown = "; ".join(h(c.sentence()) for c in changes[:6])
                more = f"; {len(changes) - 6} more" if len(changes) > 6 else ""
                change = f"{len(changes)} changed: {shown}{more}"
            first = h(org.name) if group_name == "uses" or not org.uses.total else ""
            cells = "".join(f"<td class=n>{group.count(c)}</td>" for c in cats)
            label = "used" if group_name == "uses" else "own"
            out.append(f"<tr><td>{first}</td><td>{label}</td><td class=n>{group.total}</td>{cells}<td>{change if changes else h(change)}</td></tr>")
    out.append("</tbody></table>")
    out.append("<ul>" + "".join(f"<li>{h(o.sentence())}.</li>" for o in sitrep.organizations) + "</ul>")
    return "\n".join(out)


def render_html(report: ReportContent) -> str:
    """The whole report as an HTML document (see :meth:`drillsim.report.Report.to_html`)."""
    sc = report.scenario
    r = report.result
    team = report.summaries["team"]
    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add("<meta name=\"generator\" content=\"drillsim\">")
    add(f"<title>{h(report.title)}</title>")
    add(f"<style>{CSS}</style></head><body>")
    subtitle = f"Seed {r.seed} · {fmt_local(sc.local_time(0))} + {fmt_duration(r.ended_hours)} · report of {report.report_date.isoformat()}"
    add(f'<header class="top"><div class="inner"><h1>{h(report.title)}</h1><p>{h(subtitle)}</p></div></header>')
    add("<main>")
    add('<dl class="meta">' + "".join(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in meta_items(report)) + "</dl>")
    for note in report.notes:
        add(f'<div class="note">{h(note)}</div>')
    sections = [(k, t) for k, t in _SECTIONS if k != "organizations" or report.sitreps]
    add('<nav class="toc"><strong>Contents</strong><ol>' + "".join(f'<li><a href="#{k}">{h(t)}</a></li>' for k, t in sections) + "</ol></nav>")

    # Summary
    add('<section id="summary"><h2>1. Summary</h2>')
    cards = []
    if team.score is not None:
        bench = report.summaries.get("auto")
        sub = f" (runbook {bench.score:.1f})" if bench is not None and bench.score is not None else ""
        cards.append(("Score", f"{team.score:.1f}", f"of 100{sub}", False))
    cards += [
        ("Systems affected", fmt_num(team.systems_affected), f"of {fmt_num(r.metrics.systems_total)}", False),
        ("RTO breaches", fmt_num(team.rto_breaches), f"{team.grade1_rto_breaches} grade 1", team.grade1_rto_breaches > 0),
        ("Data lost for good", fmt_num(team.data_lost), "systems", team.data_lost > 0),
        ("Requests not served", fmt_num(team.unserved), f"{fmt_num(team.fallback_served)} served by hand", False),
        ("90 % recovered", fmt_duration(team.t90) if team.t90 is not None else "not reached", "of the affected systems", team.t90 is None),
        ("Still down at the end", fmt_num(team.down_at_end), "systems", team.down_at_end > 0),
    ]
    add('<div class="cards">' + "".join(
        f'<div class="card{" bad" if bad else ""}"><div class="k">{h(k)}</div><div class="v">{h(v)}</div><div class="k">{h(sub)}</div></div>'
        for k, v, sub, bad in cards
    ) + "</div>")
    lost = r.metrics.data_lost_permanently
    items = report.headline()
    add('<ul class="bottom">' + "".join(
        f'<li class="lost">{h(s)}</li>' if lost and k == 0 else f"<li>{h(s)}</li>" for k, s in enumerate(items)
    ) + "</ul>")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITIES}
    if report.findings:
        add(f"<p>The improvement plan has {len(report.findings)} findings: " + ", ".join(
            f'<span class="sev {s}">{n} {s}</span>' for s, n in counts.items() if n) + ".</p>")
    add("</section>")

    # Comparison
    add('<section id="comparison"><h2>2. Score and comparison with the runbook and with doing nothing</h2>')
    for sentence in report.worth():
        add(f"<p>{h(sentence)}</p>")
    keys = list(report.runs)
    labels = report.labels
    others = [k for k in ("auto", "none") if k in report.summaries]
    add("<table><thead><tr><th>Measure</th>" + "".join(f"<th class=n>{h(labels.get(k, k))}</th>" for k in keys)
        + "".join(f"<th class=n>Team − {h(labels[k])}</th>" for k in others) + "</tr></thead><tbody>")
    for label, attr, unit, lower in COMPARISON_ROWS:
        if attr == "score" and team.score is None:
            continue
        row = f"<tr><td>{h(label)}</td>" + "".join(f"<td class=n>{h(cell(report.summaries[k], attr, unit))}</td>" for k in keys)
        row += "".join(f"<td class=n>{_delta_cell(delta(team, report.summaries[k], attr, unit), lower, attr)}</td>" for k in others)
        add(row + "</tr>")
    add("</tbody></table>")
    add(f"<p><small>{h(definitions(report)[0][1])}</small></p>")
    if report.decisions:
        add("<h3>Decisions</h3><table><thead><tr><th class=n>When</th><th>Decision</th><th>Choice</th><th>By</th><th>Runbook's choice</th></tr></thead><tbody>")
        for d in report.decisions:
            runbook = "same" if d["option"] == d["default"] else d["default_label"]
            add(f"<tr><td class=n>{h(fmt_elapsed(d['t']))}</td><td>{h(d['prompt'])}</td><td>{h(d['label'])}</td><td>{h(d['by'])}</td><td>{h(runbook)}</td></tr>")
        add("</tbody></table>")
    for name, caption in (
        ("recovery", "Recovery curves on the same seed: share of the affected systems serving (top) and of their grade-weighted demand served "
                     "(bottom). Solid: the team; dashed: the runbook (auto); dotted: doing nothing."),
        ("unserved", "Citizens' requests not served, by grade, in the three runs (hatching tells the runs apart in black and white)."),
    ):
        uri = report.data_uri(name)
        if uri:
            add(f'<figure><img src="{uri}" alt="{h(caption)}"><figcaption>{h(caption)}</figcaption></figure>')
    add("</section>")

    # Improvement plan
    add('<section id="plan"><h2>3. Improvement plan</h2>')
    if not report.findings:
        add("<p>Nothing went wrong that the plan would list.</p>")
    else:
        add("<p>Pre-filled from what went wrong in the team's run: review each line, change what the team knows better, and agree the owners and dates.</p>")
        urgent = [f for f in report.findings if f.severity in ("critical", "high")]
        rest = [f for f in report.findings if f.severity not in ("critical", "high")]

        def plan_table(findings: list) -> str:
            rows = "".join(
                f'<tr><td class=n>{h(f.number)}</td><td><span class="sev {h(f.severity)}">{h(f.severity)}</span></td><td>{h(f.category)}</td>'
                f"<td>{h(f.finding)}</td><td>{h(f.recommendation)}</td><td>{h(f.owner)}</td><td class=n>{h(f.due.isoformat())}</td></tr>"
                for f in findings
            )
            return ('<table class="plan"><colgroup><col style="width:4.5%"><col style="width:7.5%"><col style="width:8%"><col style="width:29%">'
                    '<col style="width:31%"><col style="width:11%"><col style="width:9%"></colgroup>'
                    "<thead><tr><th>#</th><th>Severity</th><th>Category</th><th>Finding</th><th>Recommendation</th>"
                    f"<th>Owner</th><th class=n>Due</th></tr></thead><tbody>{rows}</tbody></table>")

        if urgent:
            add(plan_table(urgent))
        if rest:
            if len(rest) > 25:
                add(f"<details><summary>{len(rest)} medium and low findings</summary>{plan_table(rest)}</details>")
            else:
                add(plan_table(rest))
    add("</section>")

    # Systems
    add('<section id="systems"><h2>4. Systems: time to restore against RTO, data lost against RPO</h2>')
    uri = report.data_uri("restore")
    if uri:
        caption = "Time to restore of the systems furthest over their RTO (bars, log scale), the RTO (black tick) and the runbook's time (diamond)."
        add(f'<figure><img src="{uri}" alt="{h(caption)}"><figcaption>{h(caption)}</figcaption></figure>')
    if report.systems:
        breaches = [row for row in report.systems if row.rto_met is False or row.rpo_met is False or row.data_lost_permanently]
        add(f"<p>{len(report.systems)} systems stopped serving or lost data; {len(breaches)} breached their RTO or RPO. "
            "Worst first: data lost for good, then RTO breaches by grade and by how far over the RTO.</p>")
        head = ("<table><thead><tr><th>System</th><th class=n>Grade</th><th>Team</th><th class=n>Down at</th><th class=n>Time to restore</th>"
                "<th class=n>RTO</th><th>RTO met</th><th class=n>Runbook (auto)</th><th class=n>Data lost</th><th class=n>RPO</th><th>RPO met</th>"
                "<th class=n>Not served</th><th class=n>By hand</th><th>At end</th></tr></thead><tbody>")
        rows = []
        for row in report.systems:
            lost = '<span class="lost">lost for good</span>' if row.data_lost_permanently else h(fmt_duration(row.data_loss) if row.data_loss else "-")
            rows.append(
                f"<tr><td>{h(row.name)}</td><td class=n>{row.grade}</td><td>{h(row.team)}</td>"
                f"<td class=n>{h(fmt_elapsed(row.first_down))}</td>"
                f"<td class=n>{h(restore_text(row.time_to_restore, row.restored))}</td><td class=n>{h(fmt_duration(row.rto))}</td><td>{_rto_cell(row)}</td>"
                f"<td class=n>{h(restore_text(row.auto_time_to_restore, row.auto_restored))}</td><td class=n>{lost}</td><td class=n>{h(fmt_duration(row.rpo))}</td>"
                f"<td>{_rpo_cell(row)}</td><td class=n>{h(fmt_num(row.unserved))}</td><td class=n>{h(fmt_num(row.fallback_served) if row.fallback_served else '-')}</td>"
                f"<td>{h(row.final_status)}</td></tr>"
            )
        if len(rows) > 60:
            add(head + "".join(rows[:60]) + "</tbody></table>")
            add(f"<details><summary>{len(rows) - 60} more systems</summary>{head}{''.join(rows[60:])}</tbody></table></details>")
        else:
            add(head + "".join(rows) + "</tbody></table>")
    else:
        add("<p>No system stopped serving.</p>")
    add("</section>")

    # Organizations
    if report.sitreps:
        add("<section id=\"organizations\"><h2>5. Organizations' situation reports</h2>")
        add("<p>As each organization would report upward: at the worst moment of the team's run (fewest affected systems serving), then at the end, "
            "with what changed in between. These are the facts from the run, not what the team knew at the time.</p>")
        for sitrep in report.sitreps:
            add(_sitrep_html(sitrep))
        add("</section>")

    # Timeline
    n = 5 if report.sitreps else 4
    add(f'<section id="timeline"><h2>{n + 1}. Timeline of events and decisions</h2>')
    add("<p>Injects, messages, decisions, the team's actions, facilities, data, fallbacks, grade-1 systems and the recovery milestones. "
        "Lines in grey italics were not seen by the team when they happened (fog of war).</p>")
    add("<table><thead><tr><th class=n>T+</th><th>Local time</th><th>What</th><th>Who</th><th>Details</th></tr></thead><tbody>")
    for t in report.timeline:
        cls = "" if t.seen else ' class="unseen"'
        seen = "" if t.seen else " (not seen at the time)"
        add(f"<tr{cls}><td class=n>{h(fmt_elapsed(t.t))}</td><td class=n>{h(t.local)}</td><td class=kind>{h(t.kind.replace('_', ' '))}</td>"
            f"<td>{h(t.who)}</td><td>{h(t.text)}{h(seen)}</td></tr>")
    add("</tbody></table></section>")

    # Method
    add(f'<section id="method"><h2>{n + 2}. Method and definitions</h2><dl class="meta">')
    for term, text in definitions(report):
        add(f"<dt>{h(term)}</dt><dd>{h(text)}</dd>")
    add("</dl>")
    if sc.sources:
        links = []
        for s in sc.sources:
            if _URL.match(s):
                links.append(f'<li><a href="{h(s)}" rel="noreferrer noopener">{h(s)}</a></li>')
            else:
                links.append(f"<li>{h(s)}</li>")
        add("<h3>Sources of the scenario</h3><ul>" + "".join(links) + "</ul>")
    add(f"<footer>Generated by drillsim from scenario {h(sc.id)} (version {h(r.scenario_hash or '-')}), seed {r.seed}; "
        f"the baselines were run on the same seed to {h(fmt_duration(r.ended_hours))}.</footer>")
    add("</main></body></html>")
    return "\n".join(parts) + "\n"
