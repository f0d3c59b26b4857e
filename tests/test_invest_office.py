"""drillsim invest for the budget office: Korean units, the HTML report, the XLSX workbook, --json.

The tiny model, one zone fault with a frequency range, one option whose name and cost basis hold
HTML that must come out escaped.
"""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from drillsim.cli import main
from drillsim.invest.amounts import compact, korean

from invest_fixtures import write_inputs

THREATS = """\
threats:
  - id: zone-fault
    frequency: {p5: 0.2, p95: 1.0, basis: "a guess <b>in bold</b>"}
    injects:
      - {at: 1h, fail: zone-1}
"""

OPTIONS = """\
options:
  - id: faster-repair
    name: "Faster <script>alert(1)</script> repair"
    capital_cost: {min: 50000, mode: 100000, max: 200000}
    cost_basis: "quote <i>A&B</i>"
    lifetime: 5
    patch:
      domains:
        - {id: zone-1, repair: {team: ops, duration: 2h}}
"""


@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (9_999, "9,999"),
        (45_000_000, "4,500만"),
        (3_200_000_000, "32억"),
        (2_510_000_000, "25.1억"),
        (251_000_000_000, "2,510억"),
        (1.2e12, "1.2조"),
        (3.456e13, "34.6조"),
        (-2.5e9, "-25억"),
    ],
)
def test_korean_units(value, text):
    assert korean(value) == text


def test_compact_units():
    assert compact(251_000_000_000) == "251bn" and compact(4_500_000) == "4.5M" and compact(None) == "-"


def _reject(token):
    raise ValueError(f"JSON has {token}")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One run writing every file, with --json (stdout captured here: the fixture outlives capsys)."""
    tmp = tmp_path_factory.mktemp("office")
    model, threats, options = write_inputs(tmp, THREATS, OPTIONS)
    files = {"html": tmp / "report.html", "xlsx": tmp / "report.xlsx", "curves": tmp / "curves.png", "tornado": tmp / "tornado.png"}
    args = ["invest", str(model), "-t", str(threats), "-o", str(options), "--runs", "2", "--jobs", "1", "--risk-years", "1000", "--bootstrap", "20", "--outer-samples", "200"]
    args += ["--html", str(files["html"]), "--xlsx", str(files["xlsx"]), "--curves-plot", str(files["curves"]), "--tornado-plot", str(files["tornado"]), "--korean-units", "--json"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(args)
    return status, files, out.getvalue()


def test_html_report(outputs):
    status, files, _ = outputs
    assert status == 0
    page = files["html"].read_text(encoding="utf-8")
    assert "<script>alert" not in page and "Faster &lt;script&gt;alert(1)&lt;/script&gt; repair" in page  # the name, escaped
    assert "<b>in bold</b>" not in page and "a guess &lt;b&gt;in bold&lt;/b&gt;" in page  # the basis, escaped
    assert "quote &lt;i&gt;A&amp;B&lt;/i&gt;" in page
    assert page.count('src="data:image/png;base64,') == 4  # ranking, Pareto front, curves, tornado
    assert "10만 원" in page  # the capital cost's most likely value, 100,000 won, in Korean units
    for name in ("curves", "tornado"):
        assert files[name].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_workbook_holds_the_json_figures(outputs):
    """The workbook's amounts are numbers in 억: the JSON's won / 10^8."""
    from openpyxl import load_workbook

    status, files, out = outputs
    assert status == 0
    doc = json.loads(out, parse_constant=_reject)  # no NaN or Infinity
    book = load_workbook(files["xlsx"])
    assert {"About", "Ranking", "Robustness", "Portfolio", "Annual loss", "Tornado", "Break-even", "Assumptions", "Threats"} <= set(book.sheetnames)
    ranking = book["Ranking"]
    header = [c.value for c in ranking[4]]
    assert header[1] == "option" and header[10] == "NPV (억 원)"
    row = [c.value for c in ranking[5]]
    assert row[1] == "faster-repair" and row[2] == "Faster <script>alert(1)</script> repair"  # a cell holds the text as written
    assert ranking.cell(row=5, column=11).number_format == '#,##0.00"억"'
    assert row[3] == pytest.approx(100_000 / 1e8)  # capital cost in 억
    assert row[10] == pytest.approx(doc["options"][0]["npv"]["mean"] / 1e8, rel=1e-12)
    assert doc["files"]["XLSX workbook"] == str(files["xlsx"])


def test_json_keeps_the_annual_loss_and_the_uncertainty(outputs):
    _, _, out = outputs
    doc = json.loads(out, parse_constant=_reject)
    u = doc["uncertainty"]
    assert u["outer_samples"] == 200 and u["ranged_assumptions"] == ["frequency[zone-fault]", "capital_cost[faster-repair]"]
    (option,) = u["options"]
    assert option["break_even"]["threat"] == "zone-fault"
    assert 0 <= option["p_worth_its_cost"] <= 1
    risk = doc["annual_loss"]
    assert risk["years_simulated"] == 1000 and risk["portfolios"][0]["options"] == []
    assert {a["key"] for a in doc["assumptions"]} >= {"frequency[zone-fault]", "capital_cost[faster-repair]", "loss_figures.per_unserved"}
    basis = next(a for a in doc["assumptions"] if a["key"] == "capital_cost[faster-repair]")["basis"]
    assert basis == "quote <i>A&B</i>"  # the JSON keeps the text as written


def test_bad_output_names(tmp_path, capsys):
    model, threats, options = write_inputs(tmp_path, THREATS, OPTIONS)
    base = ["invest", str(model), "-t", str(threats), "-o", str(options)]
    assert main(base + ["--xlsx", str(tmp_path / "book.csv")]) == 2
    assert "--xlsx writes a XLSX file: give a file name ending in .xlsx" in capsys.readouterr().err
    assert main(base + ["--risk-years", "0", "--curves-plot", str(tmp_path / "c.png")]) == 2
    assert "--curves-plot needs the annual loss distribution" in capsys.readouterr().err
    assert main(base + ["--risk-years", "50"]) == 2
    assert "--risk-years: at least 100 simulated years" in capsys.readouterr().err
