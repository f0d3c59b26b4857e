"""The dask and ray backends on a small local cluster give the same rows as local processes."""

from __future__ import annotations

import pytest

from drillsim.batch import DaskBackend, RayBackend, replication_seed, run_batch

from batch_helpers import write_scenarios

RUNS = 24
SEED = 8


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_scenarios(tmp_path_factory.mktemp("scenarios"))


@pytest.fixture(scope="module")
def local(files):
    return run_batch(list(files), runs=RUNS, seed=SEED, jobs=2, chunk_size=5)


def test_dask_local_cluster_gives_the_same_rows(files, local, tmp_path):
    pytest.importorskip("distributed")
    result = run_batch(list(files), runs=RUNS, seed=SEED, jobs=2, backend="dask", chunk_size=3, out=tmp_path)
    assert result.backend == "dask" and result.workers == 2
    assert result.rows.equals(local.rows)
    assert result.system_rows("faster").equals(local.system_rows("faster"))
    # Resume works the same way on a cluster: nothing left to run.
    again = run_batch(list(files), runs=RUNS, seed=SEED, jobs=2, backend="dask", out=tmp_path)
    assert again.executed == 0 and again.rows.equals(local.rows)


def test_dask_existing_cluster_by_address(files, local):
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        backend = DaskBackend(address=cluster.scheduler_address)
        result = run_batch([files[0]], runs=RUNS, seed=SEED, backend=backend, chunk_size=4)
        assert result.workers == 2  # the cluster's threads, not --jobs
        assert result.rows.equals(local.table("fire"))


@pytest.fixture(scope="module")
def ray_runtime():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


def test_ray_gives_the_same_rows(files, local, ray_runtime, tmp_path):
    result = run_batch(list(files), runs=RUNS, seed=SEED, backend="ray", chunk_size=5, out=tmp_path)
    assert result.backend == "ray" and result.workers == 2
    assert result.rows.equals(local.rows)
    assert result.system_rows("fire").equals(local.system_rows("fire"))
    assert ray_runtime.is_initialized()  # a runtime it did not start is left running
    # Another batch on the same runtime, other chunks: the same rows again.
    again = run_batch([files[1]], runs=RUNS, seed=SEED, backend=RayBackend(), chunk_size=24, system_rows=False)
    assert again.rows.equals(local.table("faster"))
    assert again.table("faster").column("seed").to_pylist() == [replication_seed(SEED, i) for i in range(RUNS)]


@pytest.mark.parametrize("backend, module", [("dask", "distributed"), ("ray", "ray")])
def test_a_missing_extra_is_a_clear_error(files, monkeypatch, backend, module):
    import sys

    from drillsim.model import DrillsimError

    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    with pytest.raises(DrillsimError, match=rf"pip install 'drillsim\[{backend}\]'"):
        run_batch([files[0]], runs=2, backend=backend)
