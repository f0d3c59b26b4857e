"""Invest benchmark: what the annual loss distribution and the uncertainty analysis add to `drillsim invest`.

    python benchmarks/bench_invest_risk.py [--runs 2] [--outer-samples 1000] [--trials 5]

On the bundled example (scenarios/models/korea-central-gov.yaml with scenarios/invest/), in one
process (``--jobs 1``, so the CPU time of this process is all of it):

1. the invest command's work without the new analyses: loading and checking the three files,
   the simulations of the baseline, every option and the portfolios the search needs (``--runs``
   per threat and portfolio), the point analysis (``--risk-years 0 --outer-samples 0``);
2. the uncertainty analysis alone (``--outer-samples`` samples of the ranges, the runs
   reweighted, tornado and break-even), best of ``--trials``;
3. the annual loss distribution alone (10,000 simulated years, 200 bootstrap replicates, for the
   baseline, each option alone and the chosen portfolio), best of ``--trials``.

Prints CPU seconds (time.process_time) and the ratios 2 / 1 and (2 + 3) / 1 (target for 2 / 1:
at most 10 %). The machine may be shared: wall time is printed beside. No assertion: the
numbers are for reading.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drillsim.invest import InvestAnalysis, Settings  # noqa: E402

MODEL = ROOT / "scenarios/models/korea-central-gov.yaml"
THREATS = ROOT / "scenarios/invest/korea-threats.yaml"
OPTIONS = ROOT / "scenarios/invest/korea-options.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--outer-samples", type=int, default=1000)
    parser.add_argument("--risk-years", type=int, default=10_000)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--budget", type=float, default=30e9)
    args = parser.parse_args()

    wall, cpu = time.perf_counter(), time.process_time()
    settings = Settings(runs=args.runs, jobs=1, budget=args.budget, risk_years=0, outer_samples=0)
    analysis = InvestAnalysis(MODEL, THREATS, OPTIONS, settings)
    report = analysis.run()
    base_cpu, base_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"invest command without the new analyses (--runs {args.runs}, {report.runs_simulated} runs): {base_cpu:.1f} s CPU, {base_wall:.1f} s wall")

    analysis.settings.outer_samples, analysis.settings.risk_years, analysis.settings.bootstrap = args.outer_samples, args.risk_years, args.bootstrap
    unc, risk = [], []
    for _ in range(args.trials):
        t = time.process_time()
        u = analysis.uncertainty(report.options, report.choice)
        unc.append(time.process_time() - t)
        t = time.process_time()
        analysis.annual_risk(report.choice)
        risk.append(time.process_time() - t)
    best_u, best_r = min(unc), min(risk)
    all_u = ", ".join(f"{x * 1000:.0f}" for x in unc)
    all_r = ", ".join(f"{x * 1000:.0f}" for x in risk)
    print(f"uncertainty analysis ({args.outer_samples} outer samples, {len(u.ranged) if u else 0} ranges): best {best_u * 1000:.0f} ms CPU of {args.trials} (all: {all_u} ms)")
    print(f"annual loss distribution ({args.risk_years:,} years, {args.bootstrap} bootstrap replicates): best {best_r * 1000:.0f} ms CPU (all: {all_r} ms)")
    print(f"ratio uncertainty / invest: {best_u / base_cpu:.2%}   (uncertainty + annual loss) / invest: {(best_u + best_r) / base_cpu:.2%}")


if __name__ == "__main__":
    main()
