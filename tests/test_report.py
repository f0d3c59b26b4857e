"""After-action report: content, comparison with the baselines, improvement plan, escaping, UTF-8, plots."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from drillsim.engine import run_scenario
from drillsim.model import DrillsimError
from drillsim.report import build_report, run_baselines
from drillsim.report.text import fmt_num, md_escape

from report_fixtures import fire_scenario

SEED = 1
TODAY = date(2025, 10, 1)


@pytest.fixture(scope="module")
def runs():
    loaded = fire_scenario()
    team = run_scenario(loaded, seed=SEED, policy="auto")
    return loaded, team, run_baselines(loaded, SEED)


@pytest.fixture(scope="module")
def report(runs):
    loaded, team, baselines = runs
    return build_report(loaded, team, baselines=baselines, report_date=TODAY, with_plots=False)


@pytest.fixture(scope="module")
def lazy_report(runs):
    """The do-nothing run reported as if it were the team's: every mistake in the book."""
    loaded, _, baselines = runs
    return build_report(loaded, baselines["none"], baselines=baselines, report_date=TODAY, with_plots=False)


def test_systems_table_lists_every_breaching_system(report, runs):
    _, team, _ = runs
    breaching = {s.id for s in team.systems.values() if s.rto_met is False or s.rpo_met is False}
    assert breaching == {"auth", "portal", "drive"}
    rows = {r.id: r for r in report.systems}
    assert breaching <= set(rows)
    assert rows["drive"].data_lost_permanently
    # Worst first: data lost for good, then RTO breaches.
    assert report.systems[0].id == "drive"
    md = report.to_markdown()
    table = md.split("## 4.")[1].split("## 5.")[0]
    for sid in breaching:
        assert re.search(rf"^\| {re.escape(md_escape(team.systems[sid].name))} \| .*✖ breached", table, re.M), sid
    assert "lost for good" in table


def test_comparison_numbers_are_those_of_the_baseline_runs(report, runs):
    _, team, baselines = runs
    s = report.summaries
    for key, run in (("team", team), ("auto", baselines["auto"]), ("none", baselines["none"])):
        assert s[key].unserved == run.metrics.unserved_demand
        assert s[key].weighted_unserved == run.metrics.weighted_unserved_demand
        assert s[key].rto_breaches == run.metrics.rto_breaches
        assert s[key].downtime_hours == pytest.approx(sum(r.downtime_hours for r in run.systems.values()))
    none = baselines["none"].metrics.weighted_unserved_demand
    assert s["team"].score == pytest.approx(100 * (none - team.metrics.weighted_unserved_demand) / none)
    assert s["none"].score == 0.0
    md = report.to_markdown()
    row = next(line for line in md.splitlines() if line.startswith("| Requests not served |"))
    assert fmt_num(baselines["none"].metrics.unserved_demand) in row
    assert fmt_num(baselines["auto"].metrics.unserved_demand) in row
    spared = baselines["none"].metrics.unserved_demand - team.metrics.unserved_demand
    assert f"spared citizens {fmt_num(spared)} requests" in md
    html = report.to_html()
    assert fmt_num(baselines["none"].metrics.unserved_demand) in html


def test_improvement_plan_covers_every_breach_grouped_by_cause_and_owner(lazy_report, runs):
    _, _, baselines = runs
    none = baselines["none"]
    plan = lazy_report.findings
    covered = {s for f in plan for s in f.systems}
    breaches = {s.id for s in none.systems.values() if s.rto_met is False}
    assert breaches and breaches <= covered, "every RTO breach is in some finding"
    lost = [f for f in plan if f.category == "data lost"]
    assert [f.systems for f in lost] == [["drive"]] == [none.metrics.data_lost_permanently]
    assert lost[0].severity == "critical" and lost[0].owner == "Operations (운영팀)" and lost[0].due == date(2025, 10, 15)
    by_cause = {f.subject: f for f in plan}
    room = by_cause["room-a"]  # the destroyed room heads the group of what burned in it
    assert room.category == "failure domain" and set(room.systems) == {"auth", "drive", "docs"}
    assert "Room A was destroyed" in room.finding and "2 missed their RTO (1 of grade 2, 1 of grade 3)" in room.finding
    assert "1 held 3 others down through their links" in room.finding  # Login, the single point of failure
    assert room.severity == "high"
    [grade1] = [f for f in plan if f.severity == "critical" and f.category == "RTO breach"]  # the grade-1 breaches apart
    assert sorted(grade1.systems) == ["auth", "portal"] and grade1.finding.startswith("2 grade-1 systems were down after Room A was destroyed")
    links = next(f for f in plan if f.category == "dependencies")
    assert set(links.systems) == {"app1", "app2", "app3"} and links.severity == "medium"
    assert "were down mostly because systems they depend on were" in links.finding
    docs = next(f for f in plan if f.category == "fallback not used")
    assert docs.systems == ["docs"] and docs.owner == "Front desk"  # the fallback's own team
    # Critical only where grade-1 RTOs were breached or data was lost for good; most severe first, numbered in order.
    grade1 = {s.id for s in none.systems.values() if s.rto_met is False and s.grade == 1}
    assert all(f.category == "data lost" or grade1 & set(f.systems) for f in plan if f.severity == "critical")
    assert [f.number for f in plan] == [f"F-{k:02d}" for k in range(1, len(plan) + 1)]
    severities = [f.severity for f in plan]
    assert severities == sorted(severities, key=["critical", "high", "medium", "low"].index)


def test_html_escapes_scenario_names_and_keeps_korean(report, tmp_path):
    html = report.to_html()
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in html
    assert "민원 포털" in html and "화재 훈련" in html and "운영팀" in html
    assert '<meta charset="utf-8">' in html
    # Self-contained: nothing is loaded from elsewhere; only plain http(s) sources become links.
    assert not re.search(r"<(link|iframe|object|embed)\b", html)
    assert not re.search(r"""src=["']?(?!data:)""", html)
    assert "url(" not in html
    assert 'href="https://example.org/report?a=1&amp;b=2"' in html
    assert 'href="javascript' not in html
    md = report.to_markdown()
    assert "<script" not in md and "&lt;script&gt;" in md and "민원 포털" in md
    paths = report.write(tmp_path, formats=("md", "html"))
    for path in paths:
        if path.suffix in (".md", ".html"):
            assert "민원 포털" in path.read_text(encoding="utf-8")


def test_report_sections_timeline_and_sitreps(report):
    md = report.to_markdown()
    for heading in ("## 1. Summary", "## 2. Score and comparison", "## 3. Improvement plan", "## 4. Systems",
                    "## 5. Organizations' situation reports", "## 6. Timeline", "## 7. Method and definitions"):
        assert heading in md
    kinds = [e.kind for e in report.timeline]
    assert kinds[0] == "inject" and "domain_destroyed" in kinds and "milestone" in kinds
    assert [e.t for e in report.timeline] == sorted(e.t for e in report.timeline)
    assert "Score = 100 × (W_nothing − W_run) / W_nothing" in report.to_html()
    assert len(report.sitreps) == 2 and report.sitreps[1].organizations[0].changes is not None


def test_plots_are_embedded_png(runs):
    loaded, team, baselines = runs
    report = build_report(loaded, team, baselines=baselines, report_date=TODAY)
    html = report.to_html()
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 3
    assert all(base64.b64decode(i).startswith(b"\x89PNG\r\n\x1a\n") for i in images)


def test_mismatched_baselines_are_refused(runs):
    loaded, team, baselines = runs
    other = run_scenario(loaded, seed=SEED + 1, policy="none")
    with pytest.raises(DrillsimError, match="seed 2, the team seed 1"):
        build_report(loaded, team, baselines={"none": other}, with_plots=False)
    short = run_scenario(loaded, seed=SEED, policy="none", until=12.0)
    notes = build_report(loaded, team, baselines={"none": short}, with_plots=False).notes
    assert any("totals cover different periods" in n for n in notes)


def test_report_command_from_a_journal_and_from_a_scenario(tmp_path, capsys):
    import yaml

    from drillsim.cli import main
    from drillsim.drill import DrillSession

    from report_fixtures import fire_data

    scenario = tmp_path / "fire.yaml"
    scenario.write_text(yaml.safe_dump(fire_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    journal = tmp_path / "drill.journal.jsonl"
    session = DrillSession.start(scenario, seed=4, journal_path=journal, board=False)
    session.advance(0.5)
    session.act("recover/auth/restore")
    session.advance(24.0)  # the drill stops at T+1d: the report and its baselines cover the first day
    session.close()
    out = tmp_path / "out"
    assert main(["report", str(journal), "-o", str(out), "--team", "Blue <b>", "--no-plots", "--json"]) == 0
    md = (out / "aar-fire-test-seed4.md").read_text(encoding="utf-8")
    html = (out / "aar-fire-test-seed4.html").read_text(encoding="utf-8")
    assert "**Drill: Team:** Blue &lt;b&gt;" in md and "Team (Blue &lt;b&gt;)" in html
    assert "| action | team | Action (team): restore Login at dr-room |" in md  # the timeline shows what the team did
    assert "(1d; times are local, Asia/Seoul)" in md
    data = __import__("json").loads((out / "aar-fire-test-seed4.json").read_text(encoding="utf-8"))
    assert data["seed"] == 4 and data["summaries"]["team"]["ended_hours"] == 24.0
    assert data["summaries"]["auto"]["ended_hours"] == data["summaries"]["none"]["ended_hours"] == 24.0
    assert "wrote" in capsys.readouterr().out
    # A scenario file: the runbook plays the team.
    assert main(["report", str(scenario), "--seed", "2", "-o", str(out), "-f", "md", "--no-plots"]) == 0
    assert "No drill journal" in (out / "aar-fire-test-seed2.md").read_text(encoding="utf-8")
    assert not (out / "aar-fire-test-seed2.html").exists()
    # Bad input: a clear message and exit status 2, never a traceback.
    capsys.readouterr()
    assert main(["report", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml: file not found" in capsys.readouterr().err
    assert main(["report", str(journal), "--seed", "3", "-o", str(out)]) == 2
    assert "was played with seed 4, not 3" in capsys.readouterr().err


def test_headline_compares_the_team_with_the_runbook(lazy_report, runs):
    # The do-nothing run reported as the team's: its grade-weighted unserved demand against the
    # runbook's is the ratio stated (the score against doing nothing cannot tell teams apart
    # when doing nothing is catastrophic).
    _, _, baselines = runs
    ratio = baselines["none"].metrics.weighted_unserved_demand / baselines["auto"].metrics.weighted_unserved_demand
    line = next(x for x in lazy_report.headline() if x.startswith("Against the runbook"))
    assert f"{ratio:.2f}×" in line and "worse than the runbook" in line
