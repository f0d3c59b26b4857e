"""Long-horizon and per-request benchmarks behind ``drillsim check`` (numbers, not tests).

    python benchmarks/bench_theory.py [--runs 200] [--check]

Prints, for the 10-year run of a two-component system (two rooms, one shared repair crew, MTBF
1000h, MTTR 10h): SimPy events per run, wall time per run with and without the event journal,
and events per second; the cost of setting up a run (Simulation() on a compiled scenario); the
per-request mode's cost per caller (M/M/10 at 90 % load, and with impatient callers). With
``--check``: the wall time of the whole ``drillsim check`` (built-in cases, default runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from drillsim.check import builtin_cases, run_cases
from drillsim.engine import Simulation
from drillsim.model import scenario_from_data

PAIR = {
    "id": "bench-pair",
    "horizon": "10y",
    "domains": [{"id": "room-a"}, {"id": "room-b"}],
    "teams": [{"id": "ops", "staff": 2}, {"id": "crew", "staff": 1}],
    "systems": [
        {
            "id": "app",
            "team": "ops",
            "redundancy": "active-active",
            "placements": [{"domains": ["room-a"], "capacity": 1}, {"domains": ["room-b"], "capacity": 1}],
        }
    ],
    "failures": [
        {
            "targets": ["room-a", "room-b"],
            "crew": "crew",
            "time_to_failure": {"dist": "exponential", "mean": "1000h"},
            "time_to_repair": {"dist": "exponential", "mean": "10h"},
        }
    ],
}


def count_events(scenario, seed: int) -> int:
    """SimPy events processed by one run (stepping by hand; same seed, same events)."""
    sim = Simulation(scenario, seed=seed, record_events=False)
    env = sim.world.env
    steps = 0
    while env.peek() < sim.end:
        env.step()
        steps += 1
    return steps


def time_runs(scenario, runs: int, record: bool) -> tuple[list[float], float]:
    """Wall time of each run, and the CPU time per run (robust when the machine is busy)."""
    out = []
    cpu = time.process_time()
    for seed in range(runs):
        t0 = time.perf_counter()
        Simulation(scenario, seed=seed, record_events=record).run()
        out.append(time.perf_counter() - t0)
    return out, (time.process_time() - cpu) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200, help="runs of the 10-year pair to time")
    parser.add_argument("--check", action="store_true", help="also time the whole drillsim check")
    args = parser.parse_args()

    pair = scenario_from_data(PAIR).scenario
    events = [count_events(pair, seed) for seed in range(20)]
    quiet, quiet_cpu = time_runs(pair, args.runs, record=False)
    journal, journal_cpu = time_runs(pair, args.runs, record=True)
    mean_events = statistics.mean(events)
    print("10-year run, 2 components, one shared crew (MTBF 1000h, MTTR 10h)")
    print(f"  SimPy events per run:         {mean_events:8.0f}  (min {min(events)}, max {max(events)})")
    print(f"  per run, no journal:          {statistics.median(quiet) * 1e3:8.2f} ms wall (median of {args.runs}), {quiet_cpu * 1e3:.2f} ms CPU")
    print(f"  per run, with journal:        {statistics.median(journal) * 1e3:8.2f} ms wall, {journal_cpu * 1e3:.2f} ms CPU")
    print(f"  events per CPU second:        {mean_events / quiet_cpu:8.0f}")
    t0 = time.perf_counter()
    for seed in range(2000):
        Simulation(pair, seed=seed, record_events=False)
    print(f"  set-up of a run:              {(time.perf_counter() - t0) / 2000 * 1e6:8.0f} us (Simulation() on a compiled scenario)")

    cases = {c.name: c for c in builtin_cases()}
    for name, label in (("erlang-c", "M/M/10 at 90 % load"), ("erlang-a", "M/M/10+M at 110 % load, impatient callers")):
        case = cases[name]
        t0, cpu = time.perf_counter(), time.process_time()
        result = Simulation(case.scenario, seed=1, record_events=False).run()
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu
        callers = next(iter(result.queues.values())).arrivals
        print(f"per-request mode, {label}: {callers} callers, {wall:.2f} s wall, {cpu / callers * 1e6:.1f} us CPU per caller")

    if args.check:
        jobs = os.cpu_count() or 1
        t0 = time.perf_counter()
        results = run_cases(list(cases.values()), jobs=jobs)
        wall = time.perf_counter() - t0
        passed = sum(o.passed for group in results for o in group)
        total = sum(len(group) for group in results)
        print(f"drillsim check (built-in cases, default runs, {jobs} jobs): {wall:.1f} s wall, {passed} of {total} checks passed")


if __name__ == "__main__":
    main()
