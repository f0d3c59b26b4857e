"""The README commands that ``tests/test_readme_commands.py`` does not run as written, and why.

Every other shell command of the README's code blocks runs verbatim. Keys are README commands as
written (comments dropped; ``a && b`` is two commands); ``run`` lists what runs instead (nothing:
the command is skipped); ``keys`` drive an interactive command headlessly (Textual's auto-pilot,
on a 120x40 screen); ``files`` are copied from the repository into the working folder first.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Substitution:
    """What runs in place of one README command."""

    why: str
    """The reason it does not run as written."""
    run: tuple[str, ...] = ()
    """Commands run instead, in order (empty: nothing runs)."""
    keys: tuple[str, ...] = ()
    """Key presses for an interactive command (the drill app), then the app quits."""
    files: dict[str, str] = field(default_factory=dict)
    """Files copied first: working-folder name -> path in the repository."""


INSTALL = "installs into the environment: the suite runs the tree it tests (CI installs it with .ci/run)"

SUBSTITUTIONS: dict[str, Substitution] = {
    "python3 -m pip install -e .": Substitution(INSTALL),
    'python3 -m pip install -e ".[dev]"': Substitution(INSTALL),
    'python3 -m pip install -e ".[tui]"': Substitution(INSTALL),
    "python3 -m pytest -n 2": Substitution("the test suite itself (CI runs this very line: .ci/run)"),
    "drillsim drill scenarios/example-room-fire.yaml --seed 7 --journal my-drill.journal.jsonl": Substitution(
        "interactive: the same command, headless; the keys leave the briefing, play the fire and the alerts, +1 h, quit",
        run=("drillsim drill scenarios/example-room-fire.yaml --seed 7 --journal my-drill.journal.jsonl",),
        keys=("enter", "space", "space", "h", "q"),
    ),
    "drillsim drill scenarios/example-room-fire.yaml --resume my-drill.journal.jsonl": Substitution(
        "interactive: the same command, headless; the keys leave the briefing, +15 min, quit",
        run=("drillsim drill scenarios/example-room-fire.yaml --resume my-drill.journal.jsonl",),
        keys=("enter", "f", "q"),
    ),
    "drillsim replay my-drill.journal.jsonl": Substitution(
        "interactive: the same command, headless; the keys play one command back, jump to the end, quit",
        run=("drillsim replay my-drill.journal.jsonl",),
        keys=("space", "e", "q"),
    ),
    "drillsim batch scenarios/nirs-daejeon-fire-2025.yaml scenarios/variants/nirs-gov24-standby-with-dependencies.yaml --runs 100 --jobs 2": Substitution(
        "100 runs of each variant take minutes: 2 runs each exercise the same command, files and plots; "
        "--no-system-rows skips the per-system statistics (4,574 affected systems make them the slowest part "
        "of a 2-run summary; tests/test_batch.py covers them)",
        run=(
            "drillsim batch scenarios/nirs-daejeon-fire-2025.yaml scenarios/variants/nirs-gov24-standby-with-dependencies.yaml "
            "--runs 2 --jobs 2 --no-system-rows",
        ),
    ),
    "drillsim invest scenarios/models/korea-central-gov.yaml --threats scenarios/invest/korea-threats.yaml "
    "--options scenarios/invest/korea-options.yaml --budget 30bn --jobs 2 --plot pareto.png": Substitution(
        "the sequential analysis takes about 80 s of CPU and even --runs 2 about 30 s (92 runs), too much for the suite's "
        "budget: --check builds every option on every threat of the same files and options and runs nothing "
        "(tests/test_invest_fast.py runs the analysis on small files)",
        run=(
            "drillsim invest scenarios/models/korea-central-gov.yaml --threats scenarios/invest/korea-threats.yaml "
            "--options scenarios/invest/korea-options.yaml --budget 30bn --jobs 2 --plot pareto.png --check",
        ),
    ),
    "drillsim check": Substitution(
        "every built-in case at its own number of runs takes minutes: --list loads and lists every case (they run in tests/test_theory.py)",
        run=("drillsim check --list",),
    ),
    "drillsim check --case active-standby": Substitution(
        "the case's default 400 runs take a while: 20 runs check the same command",
        run=("drillsim check --case active-standby --runs 20",),
    ),
    "drillsim check my-case.yaml --runs 200 --seed 7 --jobs 2": Substitution(
        "my-case.yaml stands for the reader's own case file: a bundled case file stands in; --no-builtin and "
        "--runs 20 keep it to that one case (the README's line also runs every built-in case)",
        run=("drillsim check my-case.yaml --no-builtin --runs 20 --seed 7 --jobs 2",),
        files={"my-case.yaml": "drillsim/check/cases/06-series.yaml"},
    ),
    "python3 benchmarks/bench_engine.py": Substitution(
        "a benchmark of a 5,000-system model, many repeats: the same script on a small model, once",
        run=("python3 benchmarks/bench_engine.py --systems 200 --edges 600 --repeat 1",),
    ),
    "python3 benchmarks/bench_theory.py": Substitution(
        "a benchmark of 200 ten-year runs: the same script with 5 runs",
        run=("python3 benchmarks/bench_theory.py --runs 5",),
    ),
    "python3 benchmarks/bench_invest.py": Substitution(
        "the benchmark times the README's whole invest command (minutes of CPU) and the old fixed path twice: "
        "not run here; the invest command it times is run above",
    ),
    "python3 benchmarks/bench_ratios.py --skip-invest": Substitution(
        "every ratio of the targets, five trials each, a 17,090-system model built and batches run: the same script "
        "with one trial and neither the national model nor the batch (the parts it reuses have their own README lines)",
        run=("python3 benchmarks/bench_ratios.py --trials 1 --skip-invest --skip-national --skip-batch",),
    ),
    "python3 benchmarks/bench_instructions.py 0c9f19d": Substitution(
        "valgrind runs of two trees take about six minutes, and a fresh machine has no valgrind: not run here "
        "(the runs it counts are the ones bench_ratios.py times above)",
    ),
    "python3 benchmarks/bench_startup.py": Substitution(
        "a benchmark of 9 trials per command: the same script with one trial",
        run=("python3 benchmarks/bench_startup.py --trials 1",),
    ),
}
