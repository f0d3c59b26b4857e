"""Per-request demand mode (drillsim.engine.queueing): mechanics with fixed times, arrivals, validation."""

from __future__ import annotations

import json

import pytest

from drillsim.engine import run_scenario
from drillsim.model import ScenarioError

BASE = """
id: q
horizon: {horizon}
domains: [{{id: dc, restart_after: false}}]
teams: [{{id: ops, staff: 1}}]
systems:
  - id: line
    team: ops
    detection: 0
    demand: {{per_day: {per_day}, collapse_at: null}}
    placements: [{{domains: [dc]}}]
    queueing:
{queueing}
{extra}
"""


def scenario(make_scenario, queueing: str, horizon: str = "1000h", per_day: float = 0, extra: str = ""):
    block = "\n".join("      " + line for line in queueing.strip().splitlines())
    return make_scenario(BASE.format(horizon=horizon, per_day=per_day, queueing=block, extra=extra))


def test_loss_system_with_one_busy_server_blocks_everyone_else(make_scenario):
    # One server, service longer than the run, no waiting room: the first caller is served, the rest blocked.
    s = scenario(make_scenario, "arrivals: 5/h\nservice: 10000h\nservers: 1\nqueue_limit: 0")
    q = run_scenario(s, seed=1).queues["line"]
    assert q.arrivals > 4000
    assert q.admitted == 1 and q.blocked == q.arrivals - 1 and q.blocked_down == 0
    assert q.metric("blocked") == pytest.approx(1 - 1 / q.arrivals)
    assert q.metric("p_wait") == 0.0 and q.metric("mean_wait") == 0.0


def test_impatient_callers_give_up_after_their_patience(make_scenario):
    # The one server is taken for good; everyone else waits exactly their (fixed) 1h patience and leaves.
    s = scenario(make_scenario, "arrivals: 2/h\nservice: 10000h\nservers: 1\npatience: 1h")
    q = run_scenario(s, seed=2).queues["line"]
    assert q.abandoned == q.admitted - 1
    assert q.wait_hours == pytest.approx(q.abandoned * 1.0)
    assert q.waited == q.abandoned
    assert q.waiting_at_end < 15  # those who arrived in the last hour: Poisson(2), here 7
    assert q.metric("abandoned") == pytest.approx(q.abandoned / (q.arrivals - q.waiting_at_end))


def test_queue_limit_counts_waiting_callers_only(make_scenario):
    # One server taken for good, room for 3 waiting (patience is long): 1 served, 3 wait to the end, the rest blocked.
    s = scenario(make_scenario, "arrivals: 2/h\nservice: 10000h\nservers: 1\nqueue_limit: 3")
    q = run_scenario(s, seed=3).queues["line"]
    assert q.admitted == 1 and q.waiting_at_end == 3
    assert q.blocked == q.arrivals - 4


def test_arrivals_while_the_system_is_down_are_blocked(make_scenario):
    s = scenario(make_scenario, "arrivals: 10/h\nservice: 6m\nservers: 5", extra="injects:\n  - {at: 100h, fail: dc, for: 100h}")
    q = run_scenario(s, seed=4).queues["line"]
    # A tenth of the 1000h run is down: about a tenth of the 10,000 arrivals are blocked (Poisson: sd about 30).
    assert q.blocked == q.blocked_down
    assert 850 < q.blocked_down < 1150
    assert q.metric("blocked") == pytest.approx(0.1, abs=0.015)


def test_service_pauses_while_the_system_is_down(make_scenario):
    # Callers queued when the system goes down wait until it is back. A x50 rush in the hour
    # before the outage leaves some 45 callers queued at 100h, whatever the seed: in the run with
    # the 200h outage they each wait 200h more, which lifts the mean wait of the ~850 admitted
    # callers by some 10h; without it the rush drains within a day (mean wait ~1h).
    rush = "  - {at: 99h, surge: {system: line, factor: 50, for: 1h}}"
    queueing = "arrivals: 1/h\nservice: {dist: exponential, mean: 30m}\nservers: 1"
    up = scenario(make_scenario, queueing, extra="injects:\n" + rush)
    down = scenario(make_scenario, queueing, extra="injects:\n" + rush + "\n  - {at: 100h, fail: dc, for: 200h}")
    for seed in (5, 6, 7):
        q_down, q_up = run_scenario(down, seed=seed).queues["line"], run_scenario(up, seed=seed).queues["line"]
        assert q_down.blocked_down > 150  # callers arriving during the 200h outage are turned away
        assert q_down.mean_wait > q_up.mean_wait + 5.0


def test_rate_follows_demand_and_surges(make_scenario):
    # No 'arrivals': the rate follows demand (2,400 a day = 100/h, flat); a x3 surge for the second half.
    s = scenario(
        make_scenario,
        "service: 1m\nservers: 50",
        horizon="200h",
        per_day=2400,
        extra="injects:\n  - {at: 100h, surge: {system: line, factor: 3}}",
    )
    q = run_scenario(s, seed=6).queues["line"]
    expected = 100 * 100 + 300 * 100  # 40,000; Poisson sd 200
    assert abs(q.arrivals - expected) < 1000


def test_rate_follows_the_daily_profile(make_scenario):
    # The office profile puts most demand in working hours; over whole weeks the total is per_day x days.
    s = scenario(make_scenario, "service: 1m\nservers: 50", horizon="4w", per_day=1000)
    doc = s.model_dump(by_alias=True)
    doc["systems"][0]["demand"]["profile"] = "office"
    from drillsim.model import scenario_from_data

    office = scenario_from_data(json.loads(json.dumps(doc, default=str))).scenario
    q = run_scenario(office, seed=7).queues["line"]
    assert abs(q.arrivals - 28_000) < 840  # 5 sd of a Poisson count


def test_warmup_is_not_counted(make_scenario):
    s = scenario(make_scenario, "arrivals: 10/h\nservice: 6m\nservers: 5\nwarmup: 900h")
    q = run_scenario(s, seed=8).queues["line"]
    assert 800 < q.arrivals < 1200  # only the last 100h: about 1,000


def test_same_seed_same_result_and_json(make_scenario):
    s = scenario(make_scenario, "arrivals: 9/h\nservice: {dist: lognormal, mean: 1h, cv: 0.8}\nservers: 10\npatience: {dist: weibull, shape: 1.5, mean: 20m}")
    a, b = run_scenario(s, seed=9), run_scenario(s, seed=9)
    assert a.queues["line"] == b.queues["line"]
    assert run_scenario(s, seed=10).queues["line"] != a.queues["line"]
    doc = json.loads(json.dumps(a.to_dict(events=False)))
    line = doc["queues"]["line"]
    assert line["arrivals"] == a.queues["line"].arrivals
    assert 0 < line["abandoned_share"] < 1 and line["mean_wait_hours"] > 0


def test_no_demand_no_arrivals(make_scenario):
    s = scenario(make_scenario, "service: 6m\nservers: 1")
    q = run_scenario(s).queues["line"]
    assert q.arrivals == 0 and q.admitted == 0


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("arrivals", "9", "not an arrival rate"),
        ("arrivals", "9/fortnight", "not an arrival rate"),
        ("arrivals", "0/h", "positive"),
        ("servers", "0", "greater than or equal to 1"),
        ("queue_limit", "-1", "greater than or equal to 0"),
    ],
)
def test_bad_queueing_fields_name_the_path(make_scenario, field, value, fragment):
    fields = {"service": "6m", "servers": "2", field: value}
    text = "\n".join(f"{k}: {v}" for k, v in fields.items())
    with pytest.raises(ScenarioError) as info:
        scenario(make_scenario, text)
    (diag,) = info.value.errors
    assert diag.path == ("systems", 0, "queueing", field)
    assert fragment in diag.message


def test_a_surge_is_the_queues_business_and_servers_resume_when_capacity_returns(make_scenario):
    # A x10 surge (1/h becomes 10/h) from the start: in fluid terms the system no longer serves
    # (share 1.5/10 < threshold; collapse off), but its servers keep working: overload shows as
    # waits. The room is down from 100h to 300h: arrivals are blocked, and afterwards service resumes.
    s = scenario(
        make_scenario,
        "arrivals: 1/h\nservice: {dist: exponential, mean: 3m}\nservers: 2",
        extra=(
            "injects:\n"
            "  - {at: 0m, surge: {system: line, factor: 10}}\n"
            "  - {at: 100h, fail: dc, for: 200h}"
        ),
    )
    result = run_scenario(s, seed=11)
    q = result.queues["line"]
    assert result.system("line").final_status != "up"  # the fluid view: overloaded
    assert 1700 < q.blocked_down < 2300  # 200h x 10/h, all while the room is down
    assert q.admitted > 7000 and q.waiting_at_end < 10  # served again after 300h
    assert q.blocked == q.blocked_down


def test_hard_dependency_down_stops_the_line(make_scenario):
    s = make_scenario(
        """
        id: q
        horizon: 1000h
        domains: [{id: dc}, {id: auth-room, restart_after: false}]
        teams: [{id: ops, staff: 1}]
        systems:
          - {id: auth, team: ops, placements: [{domains: [auth-room]}]}
          - id: line
            team: ops
            depends_on: [auth]
            placements: [{domains: [dc]}]
            queueing: {arrivals: 10/h, service: 6m, servers: 5}
        injects:
          - {at: 500h, fail: auth-room, for: 100h}
        """
    )
    q = run_scenario(s, seed=12).queues["line"]
    assert 850 < q.blocked_down < 1150  # 100h x 10/h


def test_queueing_blocks_that_count_nobody_are_warnings():
    from drillsim.model import scenario_from_data
    from drillsim.model.yamlio import loads_yaml

    text = BASE.format(horizon="100h", per_day=0, queueing="      service: 6m\n      servers: 1\n      warmup: 200h", extra="")
    warnings = scenario_from_data(loads_yaml(text, "q.yaml")).warnings
    assert [(w.path, "no callers" in w.message or "whole run" in w.message) for w in warnings] == [
        (("systems", 0, "queueing"), True),
        (("systems", 0, "queueing", "warmup"), True),
    ]
