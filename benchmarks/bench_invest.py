"""Invest benchmark: the README's `drillsim invest` command, sequential with shortcuts, against the old fixed path.

    python benchmarks/bench_invest.py [--jobs 2] [--trials 2] [--old-runs 2 4] [--old-target 20]

Runs, each in a fresh process as a user would (the CPU time is that process's and its workers'):

1. **new**: the README's command (``--budget 30bn --jobs 2``, sequential replication, reachability
   skips, added-up portfolios, the baseline shared), best of ``--trials``: wall time, CPU time,
   runs and variants simulated, rounds, how many questions were decided;
2. **old**: the fixed path (``--runs N --no-shortcuts``: every option and portfolio simulated for
   every threat it patches, N runs each) at each ``--old-runs`` N. Running it at 20 runs takes
   about ten minutes on two cores, so by default it is measured at 2 and 4 runs and extrapolated
   linearly to ``--old-target`` runs (CPU(N) = a + b N: a the fixed cost of loading, building
   and analysing, b the cost of one run of every variant); give ``--old-runs 20`` to measure it.

Prints the numbers and the ratios old / new (CPU and wall). The old path here shares today's
faster variant building (a variant built from its validated baseline, about 0.03 s instead of
0.2 s); the old code also validated every variant in full, which this benchmark does not add
back. The machine may be shared with other work: CPU time is the figure to compare; wall time
is printed beside it. No assertion: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [
    "invest",
    "scenarios/models/korea-central-gov.yaml",
    "--threats",
    "scenarios/invest/korea-threats.yaml",
    "--options",
    "scenarios/invest/korea-options.yaml",
    "--budget",
    "30bn",
    "--json",
]


def _run(extra: list[str]) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds of the process and its workers, the JSON document)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "drillsim", *COMMAND, *extra], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"drillsim invest failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--trials", type=int, default=2)
    parser.add_argument("--old-runs", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--old-target", type=int, default=20)
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)]

    best = None
    for _ in range(args.trials):
        wall, cpu, doc = _run(jobs)
        if best is None or cpu < best[1]:
            best = (wall, cpu, doc)
    assert best is not None
    wall, cpu, doc = best
    rep = doc["replication"]
    questions = rep["questions"]
    decided = sum(q["decided"] for q in questions)
    print(f"new (sequential, shortcuts), best of {args.trials}: {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"  {rep['runs_simulated']} runs of {rep['variants_simulated']} variants, {rep['rounds']} round(s), runs {rep['min_runs']}-{rep['max_runs']}")
    print(f"  baseline runs per threat: {rep['baseline_runs_by_threat']}")
    print(f"  reachability skips: {len(rep['reachability_skips'])} option-threat pairs; added-up portfolio-threat pairs: {len(rep['added_up_portfolios'])}")
    print(f"  questions decided: {decided} of {len(questions)} (at {rep['decision_level']:.4f})")
    widest = max((q for q in questions if q["kind"] != "budget"), key=lambda q: (q["interval_width"] or 0), default=None)
    if widest is not None:
        print(f"  widest interval of an option question: {widest['what']}: width {widest['interval_width']:.3g}")

    measured = []
    for n in args.old_runs:
        w, c, d = _run([*jobs, "--runs", str(n), "--no-shortcuts"])
        measured.append((n, w, c, d["runs_simulated"]))
        print(f"old (--runs {n} --no-shortcuts): {w:.1f} s wall, {c:.1f} s CPU, {d['runs_simulated']} runs")
    if any(n == args.old_target for n, *_ in measured):
        _, old_wall, old_cpu, old_runs = next(m for m in measured if m[0] == args.old_target)
        how = "measured"
    elif len(measured) >= 2:
        (n1, w1, c1, r1), (n2, w2, c2, _) = measured[0], measured[-1]
        t = args.old_target
        old_cpu = c1 + (c2 - c1) / (n2 - n1) * (t - n1)
        old_wall = w1 + (w2 - w1) / (n2 - n1) * (t - n1)
        old_runs = round(r1 / n1 * t)
        how = f"extrapolated linearly from --runs {n1} and {n2}"
    else:
        raise SystemExit("give two --old-runs to extrapolate, or --old-runs equal to --old-target")
    print(f"old at --runs {args.old_target} ({how}): {old_wall:.0f} s wall, {old_cpu:.0f} s CPU, {old_runs} runs")
    print(f"ratio old / new: CPU {old_cpu / cpu:.1f}x, wall {old_wall / wall:.1f}x, runs {old_runs / rep['runs_simulated']:.1f}x")


if __name__ == "__main__":
    main()
