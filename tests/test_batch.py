"""The batch runner: seeds, rows, determinism over jobs, resume, failing runs, variants, the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from drillsim.batch import METRICS, Variant, WorkerLost, replication_seed, resolve_variants, run_batch
from drillsim.batch import worker as batch_worker
from drillsim.batch.rows import RowBuilder, time_grid
from drillsim.batch.runner import HOLD_ENV
from drillsim.batch.store import ChunkStore
from drillsim.cli import main
from drillsim.engine import run_scenario
from drillsim.model import DrillsimError, load_scenario

from batch_helpers import write_scenarios
from helpers import SCENARIOS

EXAMPLE = SCENARIOS / "example-room-fire.yaml"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_scenarios(tmp_path_factory.mktemp("scenarios"))


@pytest.fixture(scope="module")
def reference(files, tmp_path_factory):
    """An uninterrupted 60-run batch of both variants, in this process."""
    return run_batch(list(files), runs=60, seed=11, jobs=1, out=tmp_path_factory.mktemp("reference"))


# -- seeds ------------------------------------------------------------------------------------
def test_replication_seed_is_the_spawned_child_of_the_root_seed():
    children = np.random.SeedSequence(2024).spawn(5)
    for i, child in enumerate(children):
        words = child.generate_state(2, np.uint32)
        expected = (int(words[0]) | int(words[1]) << 32) & ((1 << 63) - 1)
        assert replication_seed(2024, i) == expected
    seeds = {replication_seed(0, i) for i in range(1000)}
    assert len(seeds) == 1000 and all(0 <= s < 2**63 for s in seeds)
    assert replication_seed(1, 0) != replication_seed(0, 0)
    with pytest.raises(ValueError):
        replication_seed(-1, 0)
    with pytest.raises(ValueError):
        replication_seed(0, -1)


# -- rows -------------------------------------------------------------------------------------
def test_rows_carry_the_run_result(files):
    loaded = load_scenario(files[0])
    result = run_scenario(loaded, seed=5, record_events=False)
    grid = time_grid(loaded.scenario.horizon, 8)
    builder = RowBuilder(grid)
    builder.add(0, 5, result)
    runs, systems = builder.tables()
    row = runs.to_pylist()[0]
    m = result.metrics
    assert row["rto_breaches"] == m.rto_breaches and row["grade1_rto_breaches"] == m.grade1_rto_breaches
    assert row["recover_90_hours"] == m.time_to_recover_hours["p90"]
    assert row["unserved_demand"] == pytest.approx(m.unserved_demand)
    g1 = [s for s in result.systems.values() if s.grade == 1 and s.outages]
    assert row["g1_affected"] == len(g1)
    assert row["g1_restore_max_hours"] == pytest.approx(max(s.time_to_restore_hours for s in g1))
    assert row["downtime_hours"] == pytest.approx(sum(s.downtime_hours for s in result.systems.values()))
    # The curve at each grid time is the last curve point at or before it (1.0 before the fire).
    curve = m.recovery_curve
    for t, value in zip(grid, row["curve_systems"]):
        before = [p for p in curve if p.t <= t]
        assert value == pytest.approx(before[-1].systems if before else 1.0)
    assert row["curve_systems"][0] == 1.0  # the fire starts at 1h
    affected = {s.id for s in result.systems.values() if s.outages or s.data_loss_hours is not None or s.unserved_demand > 0}
    assert set(systems.column("system").to_pylist()) == affected
    assert {f.name for f in runs.schema} >= {m.name for m in METRICS}


def test_a_failed_run_has_its_seed_and_error_and_null_metrics():
    builder = RowBuilder(time_grid(10.0, 4))
    builder.add_error(3, 99, "ValueError: boom")
    runs, systems = builder.tables()
    row = runs.to_pylist()[0]
    assert (row["run"], row["seed"], row["error"]) == (3, 99, "ValueError: boom")
    assert row["rto_breaches"] is None and row["curve_systems"] is None
    assert systems.num_rows == 0


# -- determinism ------------------------------------------------------------------------------
def test_same_rows_with_any_number_of_jobs_and_any_chunking(files, reference, tmp_path):
    other = run_batch(list(files), runs=60, seed=11, jobs=2, chunk_size=7, out=tmp_path)
    assert other.workers == 2
    assert other.rows.equals(reference.rows)
    for name in reference.names:
        assert other.system_rows(name).equals(reference.system_rows(name))
    # Run i of each variant used the seed of run i (common random numbers), and the seeds vary.
    seeds = [reference.table(n).column("seed").to_pylist() for n in reference.names]
    assert seeds[0] == seeds[1] == [replication_seed(11, i) for i in range(60)]
    assert len(set(reference.metric("fire", "downtime_hours"))) > 30


def test_spawned_workers_give_the_same_rows(files, reference):
    # macOS and Windows start workers by spawning a fresh interpreter (scenarios sent pickled).
    from drillsim.batch import LocalBackend

    result = run_batch([files[0]], runs=10, seed=11, backend=LocalBackend(2, start_method="spawn"))
    assert result.rows.equals(reference.table("fire").slice(0, 10))


def test_rows_are_what_a_single_run_gives(files, reference):
    loaded = load_scenario(files[0])
    for i in (0, 17):
        single = run_scenario(loaded, seed=replication_seed(11, i), record_events=False)
        assert reference.metric("fire", "downtime_hours")[i] == pytest.approx(
            sum(s.downtime_hours for s in single.systems.values())
        )
        assert reference.metric("fire", "rto_breaches")[i] == single.metrics.rto_breaches


def test_the_faster_variant_wins_the_paired_comparison(reference):
    comparison = reference.compare()["faster"]
    g1 = comparison["g1_restore_mean_hours"]
    assert g1["mean_diff"] < 0 and g1["ci_high"] < 0
    assert g1["b_better"] > 0.5 and g1["a_better"] == 0.0  # never worse: same world, faster restore
    changed = {c["system"]: c for c in reference.system_changes("fire", "faster")}
    login = changed["login"]
    assert login["restore_mean_hours_change"] < 0 and login["p_rto_breach_change"] <= 0
    table = reference.system_table("faster")
    assert login["restore_mean_hours_variant"] == pytest.approx(
        table.filter(pa.compute.equal(table["system"], "login"))["restore_mean_hours"][0].as_py()
    )
    summary = reference.summary()
    assert summary["comparisons"][0]["systems_changed"][0]["system"] in changed
    assert [v["name"] for v in summary["variants"]] == ["fire", "faster"]
    assert summary["variants"][0]["metrics"]["downtime_hours"]["n"] == 60
    json.dumps(summary, allow_nan=False)


# -- failing runs -----------------------------------------------------------------------------
def _failing_at(bad: set[int], exc: type[BaseException] = ValueError):
    real = batch_worker.run_one

    def run_one(compiled, seed, task):
        if seed in bad:
            raise exc(f"injected failure for seed {seed}")
        return real(compiled, seed, task)

    return run_one


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_that_raises_is_recorded_and_the_batch_goes_on(files, reference, tmp_path, monkeypatch, jobs):
    bad = {replication_seed(11, 4), replication_seed(11, 33)}
    monkeypatch.setattr(batch_worker, "run_one", _failing_at(bad))  # forked workers inherit it
    result = run_batch([files[0]], runs=60, seed=11, jobs=jobs, chunk_size=8, out=tmp_path)
    errors = result.errors()
    assert [(e["run"], e["seed"]) for e in errors] == [(4, replication_seed(11, 4)), (33, replication_seed(11, 33))]
    assert all("injected failure" in e["error"] for e in errors)
    ok = result.ok("fire")
    assert ok.sum() == 58 and not ok[4] and not ok[33]
    values = result.metric("fire", "downtime_hours")
    assert np.isnan(values[4]) and np.array_equal(values[ok], reference.metric("fire", "downtime_hours")[ok])
    curves = result.curves("fire")
    assert np.isnan(curves[~ok]).all() and np.array_equal(curves[ok], reference.curves("fire")[ok])
    assert result.summary()["variants"][0]["runs_failed"] == 2
    assert np.isnan(result.loss("fire", {"downtime_hours": 1.0})[33])


# -- resume -----------------------------------------------------------------------------------
def test_resume_after_an_interruption_runs_only_what_is_missing(files, reference, tmp_path, monkeypatch):
    monkeypatch.setattr(batch_worker, "run_one", _failing_at({replication_seed(11, 37)}, KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        run_batch(list(files), runs=60, seed=11, jobs=1, chunk_size=10, out=tmp_path)
    monkeypatch.undo()
    # Chunks go in run order across variants: runs 0-29 of both variants were saved.
    assert len(list((tmp_path / "chunks").glob("*/runs-*.parquet"))) == 6
    result = run_batch(list(files), runs=60, seed=11, jobs=2, out=tmp_path)
    assert (result.reused, result.executed) == (60, 60)
    assert result.rows.equals(reference.rows)
    assert result.system_rows("faster").equals(reference.system_rows("faster"))
    again = run_batch(list(files), runs=60, seed=11, jobs=2, out=tmp_path)
    assert (again.reused, again.executed) == (120, 0)
    more = run_batch(list(files), runs=70, seed=11, jobs=1, out=tmp_path)
    assert (more.reused, more.executed) == (120, 20)
    fewer = run_batch(list(files), runs=30, seed=11, jobs=1, out=tmp_path)
    assert fewer.executed == 0 and fewer.rows.equals(reference.rows.filter(pa.compute.less(reference.rows["run"], 30)))


def test_a_worker_that_dies_stops_the_batch_and_the_same_call_finishes_it(files, reference, tmp_path, monkeypatch):
    real = batch_worker.run_one
    doomed = replication_seed(11, 45)

    def run_one(compiled, seed, task):
        if seed == doomed:
            os._exit(3)  # the process vanishes, as if killed or out of memory
        return real(compiled, seed, task)

    monkeypatch.setattr(batch_worker, "run_one", run_one)  # forked workers inherit it
    with pytest.raises(WorkerLost, match="worker process died"):
        run_batch(list(files), runs=60, seed=11, jobs=2, chunk_size=5, out=tmp_path)
    monkeypatch.undo()
    saved = sum(b - a for key in (tmp_path / "chunks").iterdir() for a, b in ChunkStore(tmp_path).ranges(key.name))
    assert 0 < saved < 120
    result = run_batch(list(files), runs=60, seed=11, jobs=2, out=tmp_path)
    assert (result.reused, result.executed) == (saved, 120 - saved)
    assert result.rows.equals(reference.rows)


def test_leftovers_of_an_interrupted_write_are_cleaned_up(files, tmp_path):
    run_batch([files[0]], runs=20, seed=1, jobs=1, chunk_size=5, out=tmp_path)
    folder = next((tmp_path / "chunks").iterdir())
    (folder / "runs-000000005-000000010.parquet").write_bytes(b"not parquet")  # torn write
    (folder / "runs-000000020-000000025.parquet.tmp").write_bytes(b"")
    (folder / "systems-000000020-000000025.parquet").write_bytes(b"")  # no runs file: incomplete
    store = ChunkStore(tmp_path)
    assert store.ranges(folder.name) == [(0, 5), (10, 15), (15, 20)]
    assert not (folder / "systems-000000005-000000010.parquet").exists()
    assert not (folder / "systems-000000020-000000025.parquet").exists()
    again = run_batch([files[0]], runs=20, seed=1, jobs=1, out=tmp_path)
    assert (again.reused, again.executed) == (15, 5)


def test_a_changed_scenario_or_seed_does_not_reuse_old_rows(files, tmp_path):
    run_batch([files[0]], runs=10, seed=1, jobs=1, out=tmp_path)
    assert run_batch([files[0]], runs=10, seed=2, jobs=1, out=tmp_path).executed == 10
    patched = Variant("fire", files[0], [{"horizon": "6d"}])
    assert run_batch([patched], runs=10, seed=1, jobs=1, out=tmp_path).executed == 10
    assert run_batch([files[0]], runs=10, seed=1, jobs=1, out=tmp_path).executed == 0
    assert run_batch([files[0]], runs=10, seed=1, jobs=1, out=tmp_path, fresh=True).executed == 10


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "drillsim", *args]


def _start_and_interrupt(command: list[str], marker: Path, sig: int) -> subprocess.CompletedProcess:
    """Start the command, wait until it has saved a chunk and holds (the test hook creates
    ``marker``), then send ``sig`` to its process group: the batch cannot finish before the signal."""
    marker.unlink(missing_ok=True)
    env = {**os.environ, HOLD_ENV: str(marker)}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    try:
        deadline = time.monotonic() + 120
        for _ in range(12_000):  # bounded in count and in time
            if marker.exists() or proc.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        assert marker.exists(), f"the batch never held after its first chunk (exit {proc.poll()})"
        os.killpg(proc.pid, sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def test_cli_resumes_after_ctrl_c_and_after_the_process_is_killed(files, tmp_path):
    out = tmp_path / "out"
    marker = tmp_path / "held"
    runs, chunk = 40, 5
    command = _cli("batch", str(files[0]), "--runs", str(runs), "--seed", "3", "-j", "2", "--chunk-size", str(chunk), "--out", str(out), "--no-plots", "--no-system-rows", "--json")

    def saved() -> int:
        return int(ChunkStore(out).done_mask(next((out / "chunks").iterdir()).name, runs).sum())

    stopped = _start_and_interrupt(command, marker, signal.SIGINT)  # Ctrl-C while it holds after one chunk
    assert stopped.returncode == 130
    assert "run the same command again" in " ".join(stopped.stderr.split()) and "Traceback" not in stopped.stderr
    assert saved() == chunk  # the chunk saved before the signal, and nothing after it
    killed = _start_and_interrupt(command, marker, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    after_kill = saved()
    assert after_kill == 2 * chunk  # the first run's chunk was reused, one more was saved
    finished = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout)
    assert summary["reused"] == after_kill and summary["executed"] == runs - after_kill
    uninterrupted = run_batch([files[0]], runs=runs, seed=3, jobs=1, system_rows=False)
    assert pq.read_table(out / "runs.parquet").equals(uninterrupted.rows)


# -- variants and the Python API --------------------------------------------------------------
def test_in_memory_variants_need_no_file(files):
    base = load_scenario(files[0])
    patch = {"systems": [{"id": "login", "recovery": [{"kind": "restore", "target": ["dr-room"], "staff": 1, "duration": "1h"}]}]}
    resolved = resolve_variants([files[0], ("fixed-1h", [patch]), Variant("loaded", base)])
    assert [v.name for v in resolved] == ["fire", "fixed-1h", "loaded"]
    assert resolved[0].content_hash == resolved[2].content_hash != resolved[1].content_hash
    result = run_batch(resolved[:2], runs=12, seed=2, jobs=1)
    assert result.out is None
    assert result.compare()["fixed-1h"]["g1_restore_mean_hours"]["mean_diff"] is not None
    loss = result.loss("fixed-1h", {"g1_downtime_hours": 1000.0, "recover_100_hours": 1.0})
    expected = 1000.0 * result.metric("fixed-1h", "g1_downtime_hours") + np.where(
        np.isnan(result.metric("fixed-1h", "recover_100_hours")), result.metric("fixed-1h", "ended_hours"), result.metric("fixed-1h", "recover_100_hours")
    )
    assert np.allclose(loss, expected)
    per_system = result.system_loss("fire", {"login": 2.0})
    rows = result.system_rows("fire").to_pylist()
    expected = np.zeros(12)
    for r in rows:
        if r["system"] == "login":
            expected[r["run"]] += 2.0 * r["downtime_hours"]
    assert np.allclose(per_system, expected)
    table = result.system_table("fire")
    login = table.filter(pa.compute.equal(table["system"], "login")).to_pylist()[0]
    assert login["p_down"] == pytest.approx(sum(r["outages"] > 0 for r in rows if r["system"] == "login") / 12)
    assert login["p_rto_breach"] == pytest.approx(sum(r["rto_breach"] for r in rows if r["system"] == "login") / 12)
    restores = [r["time_to_restore_hours"] for r in rows if r["system"] == "login" and r["outages"]]
    assert login["restore_mean_hours"] == pytest.approx(np.mean(restores))
    assert login["restore_sd_hours"] == pytest.approx(np.std(restores, ddof=1))
    assert login["restore_max_hours"] == pytest.approx(max(restores))


def test_scenario_loss_uses_the_systems_loss_figures(files):
    patch = {"systems": [{"id": "login", "loss": {"per_unserved": 2.0, "per_data_loss_hour": 10.0}}]}
    result = run_batch([Variant("costed", files[0], [patch])], runs=8, seed=4, jobs=1)
    loss = result.scenario_loss("costed")
    rows = [r for r in result.system_rows("costed").to_pylist() if r["system"] == "login"]
    unserved = np.zeros(8)
    data = np.zeros(8)
    for r in rows:
        unserved[r["run"]] += 2.0 * r["unserved_demand"]
        data[r["run"]] += 10.0 * (r["data_loss_hours"] or 0.0)
    assert np.allclose(loss["unserved"], unserved) and unserved.sum() > 0
    assert np.allclose(loss["data_loss"], data) and np.all(loss["permanent"] == 0)


def test_bad_input_is_a_clear_error(files, tmp_path):
    with pytest.raises(DrillsimError, match="does not exist"):
        run_batch([tmp_path / "nope.yaml"], runs=5)
    with pytest.raises(DrillsimError, match="runs must be"):
        run_batch([files[0]], runs=0)
    with pytest.raises(DrillsimError, match="unknown backend"):
        run_batch([files[0]], runs=5, backend="spark")
    with pytest.raises(DrillsimError, match="policy"):
        run_batch([files[0]], runs=5, policy="manual")
    with pytest.raises(DrillsimError, match="cannot come first"):
        resolve_variants([("x", [{}])])
    with pytest.raises(DrillsimError, match="two variants"):
        resolve_variants([Variant("a", files[0]), Variant("a", files[1])])
    with pytest.raises(DrillsimError, match="same scenario"):
        run_batch([files[0], Variant("again", files[0])], runs=2)
    with pytest.raises(DrillsimError, match="address"):
        run_batch([files[0]], runs=2, address="tcp://127.0.0.1:1")
    names = [v.name for v in resolve_variants([files[0], files[0]])]
    assert names == ["fire", "fire-2"]


def test_cli_batch_writes_its_files_and_compares_variants(files, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["batch", str(files[0]), str(files[1]), "--runs", "30", "--seed", "5", "-j", "1", "--out", str(out), "--csv"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "faster against fire" in captured.out and "P50 / P90 / P99" in captured.out
    for name in ("runs.parquet", "systems.parquet", "system_summary.parquet", "summary.json", "runs.csv", "recovery_curves.csv", "recovery_curves.png", "restore_by_grade.png"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "recovery_curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["comparisons"][0]["variant"] == "faster" and summary["runs"] == 30
    rows = pq.read_table(out / "runs.parquet")
    assert rows.num_rows == 60 and rows.column_names[0] == "variant"
    assert "curve_systems" not in (out / "runs.csv").read_text().splitlines()[0]


def test_downtime_summed_over_systems_reads_in_hours(reference):
    """System-hours are not a span of time: the summary shows them in hours (374,294h, never 15,595d)."""
    from rich.console import Console

    from drillsim.batch.output import summary_tables
    from drillsim.model.timefmt import fmt_duration, fmt_system_hours

    console = Console(width=400, record=True, color_system=None)
    console.print(summary_tables(reference))
    text = console.export_text()
    line = next(row for row in text.splitlines() if "downtime (system-hours)" in row and "grade" not in row)  # the metrics table
    mean = reference.summary()["variants"][0]["metrics"]["downtime_hours"]["mean"]
    assert mean > 24 and fmt_system_hours(mean) in line and fmt_duration(mean) not in line  # over a day of system-hours, in hours
    cells = [c.strip() for c in line.split("│")[2:] if c.strip()]
    assert cells and all(part.endswith("h") for cell in cells for part in cell.replace("[", " ").replace("]", " ").replace(",", "").replace("/", " ").split() if part[0].isdigit())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--backend", "spark"], "--backend"),
        (["--policy", "manual"], "--policy"),
        (["--until", "-3h"], "--until"),
        (["--address", "tcp://127.0.0.1:1"], "--address"),
    ],
)
def test_cli_bad_options_exit_2_without_a_traceback(files, tmp_path, capsys, args, message):
    code = main(["batch", str(files[0]), "--runs", "2", "--out", str(tmp_path), *args])
    captured = capsys.readouterr()
    assert code == 2 and message in captured.err and "Traceback" not in captured.err


def test_cli_knows_the_same_backends_and_policies():
    from drillsim.batch.backends import BACKENDS
    from drillsim.batch.runner import POLICIES
    from drillsim.cli import batch_cmd

    assert batch_cmd.BACKENDS == BACKENDS and batch_cmd.POLICIES == POLICIES


def test_cli_missing_file_exits_2(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "missing.yaml"), "--runs", "2", "--out", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_example_scenario_batch_smoke():
    result = run_batch([EXAMPLE], runs=4, seed=0, jobs=1, system_rows=False)
    assert result.rows.num_rows == 4 and not result.errors()
    assert result.system_table("example-room-fire") is None
