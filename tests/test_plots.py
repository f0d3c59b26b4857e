"""Recovery-curve plots say when two curves coincide, and keep both visible.

Two plan variants with identical results (a variant that only renames the scenario), and a report
whose team is the runbook (a report from a scenario file), used to draw one line exactly over the
other: the reader saw one curve and a legend naming two.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from drillsim.batch import run_batch  # noqa: E402
from drillsim.batch.plots import coincident, recovery_curves_figure  # noqa: E402
from drillsim.engine import run_scenario  # noqa: E402
from drillsim.model import load_scenario  # noqa: E402
from drillsim.report.plots import recovery_figure  # noqa: E402

from helpers import SCENARIOS  # noqa: E402

EXAMPLE = SCENARIOS / "example-room-fire.yaml"
SLOWER = {"systems": [{"id": "login", "recovery": [{"kind": "restore", "target": ["dr-room"], "staff": 2, "duration": "30h"}]}]}


def test_coincident_finds_curves_drawn_over_an_earlier_one():
    a = np.array([[0.0, 0.5, 1.0]])
    assert coincident({"a": a, "b": a.copy(), "c": a + 0.1, "d": a + 0.1}) == {"b": "a", "d": "c"}
    assert coincident({"a": a, "b": a + 1e-3}) == {}


def test_batch_plot_says_which_variants_coincide_and_draws_them_dashed():
    result = run_batch([EXAMPLE, ("renamed", [{"name": "The same plan, renamed"}]), ("slower-login", [SLOWER])], runs=6, seed=1, jobs=1, system_rows=False)
    fig = recovery_curves_figure(result)
    title = fig._suptitle.get_text()
    assert "Coinciding curves: renamed coincides with example-room-fire" in title and "in both panels" in title
    assert "slower-login" not in title  # it differs: drawn with its bands, not called the same
    for ax in fig.axes:
        medians = {line.get_label(): line for line in ax.get_lines()}
        renamed = medians["renamed: the same curves as example-room-fire"]
        assert renamed.get_linestyle() != "-" and medians["example-room-fire (median, P25-P75, P10-P90)"].get_linestyle() == "-"
        assert "slower-login (median, P25-P75, P10-P90)" in medians
        assert [t.get_text() for t in ax.get_legend().get_texts()] == list(medians)


def test_batch_plot_of_different_variants_has_no_coincidence_note():
    result = run_batch([EXAMPLE, ("slower-login", [SLOWER])], runs=4, seed=1, jobs=1, system_rows=False)
    assert "Coinciding" not in recovery_curves_figure(result)._suptitle.get_text()


def test_report_plot_says_when_the_team_is_the_runbook():
    loaded = load_scenario(EXAMPLE)
    auto = run_scenario(loaded, seed=0, policy="auto")
    none = run_scenario(loaded, seed=0, policy="none")
    labels = {"team": "your team", "auto": "runbook (auto)", "none": "nobody acts"}
    fig = recovery_figure({"team": auto, "auto": run_scenario(loaded, seed=0, policy="auto"), "none": none}, labels)
    top = fig.axes[0]
    assert "Curves that coincide (drawn over one another): runbook (auto) = your team" in top.get_title()
    assert [t.get_text() for t in top.get_legend().get_texts()] == ["your team", "runbook (auto): the same curve as your team", "nobody acts"]
    styles = {line.get_label(): line.get_linestyle() for line in top.get_lines() if not line.get_label().startswith("_")}
    assert styles["your team"] != styles["runbook (auto): the same curve as your team"]  # both visible where they overlap
    different = recovery_figure({"team": none, "auto": auto}, {"team": "your team", "auto": "runbook (auto)"})
    assert "coincide" not in different.axes[0].get_title()
