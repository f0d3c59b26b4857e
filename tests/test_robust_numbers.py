"""Numbers are finite and in range where they are parsed (issue 17's cases, one small file each).

Each value below validated before and then crashed the run, printed ``Infinity`` or gave a
silently wrong result (a profile of NaN weights served everything). Now each is a located error
naming the bound.
"""

from __future__ import annotations

import pytest
from cli_helpers import assert_located

from drillsim.model.limits import MAX_DURATION_HOURS, MAX_RATE_GB_PER_HOUR, MAX_SIZE_GB
from drillsim.model.units import parse_duration, parse_rate, parse_size

BASE = """\
id: x
horizon: 2d
domains: [{id: d}]
teams: [{id: t, staff: 1}]
injects: [{at: 0m, fail: d, for: 1h}]
systems:
  - id: a
    team: t
    demand: {per_day: 1000}
    placements: [{domains: [d]}]
"""
HUGE = "9" * 300

CASES = {
    "weibull-shape": ("    recovery: [{kind: restart, duration: {dist: weibull, shape: 0.001, mean: 2h}}]\n", "greater than or equal to 0.1"),
    "weibull-tiny-shape": ("    recovery: [{kind: restart, duration: {dist: weibull, shape: 1e-300, scale: 2h}}]\n", "greater than or equal to 0.1"),
    "weibull-mean": ("    recovery: [{kind: restart, duration: {dist: weibull, shape: 0.1, scale: 1000000h}}]\n", "longer than any scenario means"),
    "lognormal-cv": ("    recovery: [{kind: restart, duration: {dist: lognormal, mean: 2h, cv: 1e200}}]\n", "less than or equal to 1000"),
    "lognormal-sigma": ("    recovery: [{kind: restart, duration: {dist: lognormal, mean: 2h, sigma: 40}}]\n", "less than or equal to 4"),
    "triangular-huge": (f"    recovery: [{{kind: restart, duration: {{dist: triangular, low: 0, mode: 0, high: {HUGE}h}}}}]\n", "longer than any scenario means"),
    "staff-huge": ("    recovery: [{kind: restart, staff: 1" + "0" * 400 + "}]\n", "less than or equal to 1000000000"),
    "size-huge": ("    data: {size: " + "9" * 400 + "GB, backups: [{every: 1d, in: [d]}]}\n", "more data than any scenario means"),
    "rate-huge": ("    data: {size: 1GB, backups: [{every: 1d, in: [d], restore_rate: " + "9" * 400 + "GB/h}]}\n", "more data than any scenario means"),
    "queue-servers": ("    queueing: {arrivals: 1/h, service: 1h, servers: 1" + "0" * 30 + "}\n", "less than or equal to 1000000000"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_number_out_of_range_is_located(name, tmp_path, capsys):
    extra, needle = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(BASE + extra, encoding="utf-8")
    flat = assert_located(capsys, path, needle)
    assert "..." in flat or len(flat) < 400  # a 400-digit value is quoted by its start


@pytest.mark.parametrize(
    "name, old, new, needle",
    [
        ("nan-profile", "{per_day: 1000}", "{per_day: 1000, profile: [" + ", ".join([".nan"] * 24) + "]}", "profile weight 1 is nan"),
        ("nan-weekly", "{per_day: 1000}", "{per_day: 1000, weekly: [1, 1, 1, .inf, 1, 1, 1]}", "weekly weight 4 is inf"),
        ("inf-surge", "injects: [{at: 0m, fail: d, for: 1h}]", "injects: [{at: 0m, surge: {system: a, factor: .inf}}]", "finite number"),
        ("huge-surge", "injects: [{at: 0m, fail: d, for: 1h}]", "injects: [{at: 0m, surge: {system: a, factor: 1.0e+12}}]", "less than or equal to 1000000"),
        ("nan-per-day", "{per_day: 1000}", "{per_day: .nan}", "finite number"),
        ("nan-grade-weight", "horizon: 2d", "horizon: 2d\ngrade_weights: {1: .nan}", "finite number"),
        ("horizon-forever", "horizon: 2d", "horizon: 18446744073709551617s", "longer than any scenario means"),
        ("horizon-200y", "horizon: 2d", "horizon: 200y", "longer than the 100 years"),
    ],
)
def test_non_finite_and_absurd_values_are_located(name, old, new, needle, tmp_path, capsys):
    path = tmp_path / f"{name}.yaml"
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    assert_located(capsys, path, needle)


def test_parsers_refuse_what_overflows_and_keep_what_is_real():
    with pytest.raises(ValueError, match="more data than any scenario means"):
        parse_size("9" * 400 + "GB")
    with pytest.raises(ValueError, match="more data than any scenario means"):
        parse_rate("9" * 400 + "TB/h")
    with pytest.raises(ValueError, match="faster than any scenario means"):
        parse_rate(f"{MAX_RATE_GB_PER_HOUR:.0f}GB/s")  # a size within bounds, per second
    with pytest.raises(ValueError, match="longer than any scenario means"):
        parse_duration(f"{MAX_DURATION_HOURS * 2:.0f}h")
    assert parse_size("858TB") == 858_000.0 and parse_size(f"{MAX_SIZE_GB:.0f}GB") == MAX_SIZE_GB
    assert parse_rate("200MB/s") == pytest.approx(720.0)
    assert parse_duration("2500000h") == 2_500_000.0  # a disk's MTBF fits
