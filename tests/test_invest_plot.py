"""The Pareto plot reads at a glance: numbers that do not overlap, an axis scaled to the portfolios.

The report is built by hand (the plot reads only these fields), shaped like the bundled example's:
options close together in cost and loss, and a baseline whose own interval is far wider than
any difference between portfolios.
"""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace as NS

import pytest

pytest.importorskip("matplotlib")

from drillsim.invest.plot import pareto_figure, plot_pareto  # noqa: E402

BASE = 39.3e9


def estimate(mean, half=None):
    return NS(mean=mean, low=None if half is None else mean - half, high=None if half is None else mean + half, n=20)


def portfolio(options, cost, eal, half=None):
    return NS(options=tuple(options), budget_cost=cost, eal=estimate(eal), avoided=estimate(BASE - eal, half), eac=0.0, value=0.0, by_threat={})


def report():
    ps = [
        portfolio([], 0, BASE),
        portfolio(["on-call-rota"], 4.3e9, 39.29e9, 0.02e9),
        portfolio(["second-auth-grade1"], 5.0e9, 39.23e9, 0.05e9),
        portfolio(["gdrive-offsite-backup"], 6.5e9, 37.3e9, 0.9e9),
        portfolio(["ups-battery-room"], 8.5e9, 36.3e9, 1.2e9),
        portfolio(["gov24-gwangju-standby"], 19.5e9, 39.29e9, 0.01e9),
        portfolio(["night-shift-24x7"], 50.1e9, 39.28e9, 0.02e9),
        portfolio(["on-call-rota", "ups-battery-room"], 12.8e9, 36.29e9, 1.2e9),
        portfolio(["second-auth-grade1", "ups-battery-room"], 13.5e9, 36.23e9, 1.2e9),
        portfolio(["second-auth-grade1", "on-call-rota", "ups-battery-room"], 13.9e9, 36.22e9, 1.2e9),
    ]
    ps[0].eal = NS(mean=BASE, low=BASE - 35e9, high=BASE + 35e9, n=20)  # the baseline's own, wide interval
    front = [ps[0], ps[1], ps[2], ps[3], ps[4], ps[7], ps[8], ps[9]]
    return NS(pareto=front, portfolios=ps, choice=NS(portfolio=ps[4], budget=30e9), currency="KRW",
              settings=NS(years=5.0, runs=20), options_file="korea-options.yaml", runs_label="20 runs")


def numbers(fig):
    ax = fig.axes[0]
    return [t for t in ax.texts if t.get_text().startswith("[")]


def test_every_front_point_and_single_option_has_a_number_and_no_two_overlap():
    fig = pareto_figure(report())
    renderer = fig.canvas.get_renderer()
    labels = numbers(fig)
    assert sorted(t.get_text() for t in labels) == sorted(f"[{k}]" for k in range(1, 11))  # 8 on the front, 2 singles off it
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlapping = [(a.get_text(), b.get_text()) for (a, x), (b, y) in combinations(zip(labels, boxes), 2) if x.overlaps(y)]
    assert not overlapping
    frame = fig.axes[0].get_window_extent(renderer)
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)


def test_the_axis_is_scaled_to_the_portfolios_not_to_the_baseline_interval():
    r = report()
    fig = pareto_figure(r)
    low, high = fig.axes[0].get_ylim()
    lows = [p.eal.mean - (p.avoided.high - p.avoided.mean) for p in r.pareto if p.avoided.high is not None]
    highs = [p.eal.mean for p in r.portfolios]
    span = max(highs) - min(lows)
    assert min(lows) - 0.3 * span < low < min(lows) and max(highs) < high < max(highs) + 0.3 * span
    key = fig.axes[1].texts[0].get_text()
    assert "95% interval 4.3bn to 74.3bn" in key  # the baseline's interval is stated, not drawn
    assert "[9] gov24-gwangju-standby (off the front)" in key and "[1] baseline (nothing bought)" in key


def test_plot_pareto_writes_a_png(tmp_path):
    path = plot_pareto(report(), tmp_path / "pareto.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
