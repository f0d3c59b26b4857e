"""Where chunks run: local processes (default), a Dask cluster or a Ray cluster.

Every backend runs the same :func:`~drillsim.batch.worker.run_chunk` on the same tasks, so the
rows do not depend on the backend (seeds belong to run indices, not to workers). A backend keeps
only a small window of chunks in flight (about two per worker) and hands results back as they
finish; the runner saves each one and drops it, so memory stays flat however many runs there are.

- ``local``: ``jobs`` worker processes (``concurrent.futures.ProcessPoolExecutor``). On Linux they
  are forked after the scenarios are compiled, so they start with the compiled models in memory;
  elsewhere the scenarios are sent once to each process. ``jobs=1`` runs in this process.
- ``dask`` (``pip install 'drillsim[dask]'``): connects to the scheduler at ``address``
  (``tcp://host:8786``), or starts a local cluster of ``jobs`` single-threaded worker processes.
  Scenarios are scattered to every worker once.
- ``ray`` (``pip install 'drillsim[ray]'``): connects to the cluster at ``address``
  (``ray://host:10001`` or ``auto``), reuses a Ray runtime already initialised in this process, or
  starts a local one with ``jobs`` CPUs. Scenarios go into the object store once.

On a remote cluster every worker needs drillsim installed (the same version). A worker that dies
makes the batch stop with what it has saved (:class:`WorkerLost`); Dask and Ray retry a task whose
worker died before giving up.
"""

from __future__ import annotations

import concurrent.futures as cf
from concurrent.futures.process import BrokenProcessPool
import logging
import multiprocessing
import os
import sys
from abc import ABC, abstractmethod
from typing import Any, Callable, Iterator

from ..model.diagnostics import DrillsimError
from ..model.scenario import Scenario
from . import worker
from .worker import ChunkResult, ChunkTask

__all__ = ["Backend", "LocalBackend", "DaskBackend", "RayBackend", "WorkerLost", "make_backend", "BACKENDS"]

BACKENDS = ("local", "dask", "ray")


class WorkerLost(DrillsimError):
    """A worker process died (killed, out of memory): the chunks it held were not saved."""


class Backend(ABC):
    """Runs chunks somewhere and yields their results as they finish."""

    name = "backend"
    _pending: list[Any] = []  # handles in flight (set by run(), read by close())

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many chunks can run at once."""

    @abstractmethod
    def start(self, payloads: dict[str, Scenario]) -> None:
        """Make the scenarios (by key) available to the workers."""

    @abstractmethod
    def _submit(self, task: ChunkTask) -> Any: ...

    @abstractmethod
    def _wait(self, pending: list[Any]) -> tuple[list[Any], list[Any]]:
        """Block until at least one handle is done: (done, still pending)."""

    @abstractmethod
    def _result(self, handle: Any) -> ChunkResult: ...

    @abstractmethod
    def close(self, cancel: bool = False) -> None:
        """Stop (cancelling work in flight if ``cancel``) and release what :meth:`start` set up."""

    def run(self, next_task: Callable[[], ChunkTask | None], window: int | None = None) -> Iterator[ChunkResult]:
        """Run tasks from ``next_task()`` (None: no more) with at most ``window`` in flight."""
        window = window or 2 * self.workers
        pending: list[Any] = []
        self._pending = pending
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                task = next_task()
                if task is None:
                    exhausted = True
                    break
                pending.append(self._submit(task))
            if not pending:
                return
            done, pending = self._wait(pending)
            self._pending = pending
            for handle in done:
                yield self._result(handle)


class LocalBackend(Backend):
    """Worker processes on this machine (``jobs=1``: this process)."""

    name = "local"

    def __init__(self, jobs: int | None = None, start_method: str | None = None):
        self.jobs = max(1, int(jobs or os.cpu_count() or 1))
        if start_method is None:
            start_method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.start_method = start_method
        self._pool: cf.ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self.jobs

    def start(self, payloads: dict[str, Scenario]) -> None:
        worker.install(payloads)
        if self.jobs == 1:
            return
        if self.start_method == "fork":
            for key in payloads:  # compiled once here, inherited by every forked worker
                worker.compiled_for(key)
        context = multiprocessing.get_context(self.start_method)
        self._pool = cf.ProcessPoolExecutor(self.jobs, mp_context=context, initializer=worker.install, initargs=(payloads, True))
        # Start the workers now, before the progress bar's thread exists: with fork, a process
        # forked while another thread holds a lock (stderr's) would inherit it locked.
        self._pool.submit(int).result()

    def run(self, next_task: Callable[[], ChunkTask | None], window: int | None = None) -> Iterator[ChunkResult]:
        if self._pool is None:  # in this process, one chunk after another
            while (task := next_task()) is not None:
                yield worker.run_chunk(task)
            return
        yield from super().run(next_task, window)

    def _submit(self, task: ChunkTask) -> cf.Future:
        assert self._pool is not None
        try:
            return self._pool.submit(worker.run_chunk, task)
        except BrokenProcessPool as exc:
            raise WorkerLost(f"a worker process died ({exc})") from None

    def _wait(self, pending: list[Any]) -> tuple[list[Any], list[Any]]:
        done, not_done = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return [f for f in pending if f in done], [f for f in pending if f in not_done]

    def _result(self, handle: cf.Future) -> ChunkResult:
        try:
            return handle.result()
        except BrokenProcessPool:
            raise WorkerLost("a worker process died (killed, or out of memory)") from None

    def close(self, cancel: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:
            for process in processes:  # do not wait for chunks nobody will save
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
            # Let the pool's manager thread finish closing its wake-up pipe now: left running, it
            # races the interpreter's exit hook, which then writes to the closed pipe and prints
            # "Exception ignored in: <module 'threading'> ... Bad file descriptor" after our message.
            if manager is not None and manager.is_alive():
                manager.join(timeout=10)


def _missing_extra(extra: str, exc: ImportError) -> DrillsimError:
    return DrillsimError(f"the {extra} backend needs the {extra} extra: pip install 'drillsim[{extra}]' ({exc})")


class _ClusterBackend(Backend):
    """A backend on a cluster engine: the cluster at ``address``, or a local one of ``jobs`` workers."""

    def __init__(self, jobs: int | None = None, address: str | None = None):
        self.jobs = max(1, int(jobs or os.cpu_count() or 1))
        self.address = address
        self._workers = self.jobs  # updated from the cluster's size once started

    @property
    def workers(self) -> int:
        return self._workers


class DaskBackend(_ClusterBackend):
    """A Dask distributed cluster: the one at ``address``, or a local one of ``jobs`` workers."""

    name = "dask"

    def __init__(self, jobs: int | None = None, address: str | None = None):
        super().__init__(jobs, address)
        self._client: Any = None
        self._cluster: Any = None
        self._payloads: dict[str, Any] = {}

    def start(self, payloads: dict[str, Scenario]) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise _missing_extra("dask", exc) from None
        try:
            if self.address:
                self._client = distributed.Client(self.address, timeout="30s")
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
                )
                self._client = distributed.Client(self._cluster)
        except OSError as exc:
            self.close()
            raise DrillsimError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        threads = self._client.nthreads()
        self._workers = max(1, sum(threads.values())) if threads else self.jobs
        self._payloads = {key: self._client.scatter(scenario, broadcast=True, hash=False) for key, scenario in payloads.items()}

    def _submit(self, task: ChunkTask) -> Any:
        return self._client.submit(worker.run_chunk, task, self._payloads[task.key], pure=False)

    def _wait(self, pending: list[Any]) -> tuple[list[Any], list[Any]]:
        import distributed

        result = distributed.wait(pending, return_when="FIRST_COMPLETED")
        return [f for f in pending if f in result.done], [f for f in pending if f in result.not_done]

    def _result(self, handle: Any) -> ChunkResult:
        from distributed import KilledWorker

        try:
            return handle.result()
        except KilledWorker as exc:
            raise WorkerLost(f"Dask workers died running a chunk ({exc})") from None
        except Exception as exc:  # noqa: BLE001: run_chunk records run errors itself; this is the cluster
            raise WorkerLost(f"a chunk failed on the Dask cluster: {type(exc).__name__}: {exc} (is the same drillsim installed on every worker?)") from None

    def close(self, cancel: bool = False) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        self._payloads = {}
        if client is not None:
            if cancel and self._pending:
                client.cancel(self._pending)
            self._pending = []
            client.close()
        if cluster is not None:
            cluster.close()


def _ray_chunk(task: ChunkTask, box: list[Any]) -> ChunkResult:
    """Ray task body: fetch the scenario from the object store only if this worker lacks it."""
    import ray

    scenario = None if worker.is_cached(task.key) else ray.get(box[0])
    return worker.run_chunk(task, scenario)


class RayBackend(_ClusterBackend):
    """A Ray cluster: the one at ``address``, the runtime already started here, or a local one."""

    name = "ray"

    def __init__(self, jobs: int | None = None, address: str | None = None):
        super().__init__(jobs, address)
        self._owns = False
        self._refs: dict[str, Any] = {}
        self._remote: Any = None

    def start(self, payloads: dict[str, Scenario]) -> None:
        try:
            import ray
        except ImportError as exc:
            raise _missing_extra("ray", exc) from None
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
                else:
                    ray.init(num_cpus=self.jobs, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
            except (ConnectionError, RuntimeError) as exc:
                raise DrillsimError(f"cannot start or reach Ray{' at ' + self.address if self.address else ''}: {exc}") from None
            self._owns = True
        self._workers = max(1, int(ray.cluster_resources().get("CPU", self.jobs)))
        self._remote = ray.remote(num_cpus=1, max_retries=3)(_ray_chunk)
        self._refs = {key: ray.put(scenario) for key, scenario in payloads.items()}

    def _submit(self, task: ChunkTask) -> Any:
        return self._remote.remote(task, [self._refs[task.key]])

    def _wait(self, pending: list[Any]) -> tuple[list[Any], list[Any]]:
        import ray

        return ray.wait(pending, num_returns=1)

    def _result(self, handle: Any) -> ChunkResult:
        import ray

        try:
            return ray.get(handle)
        except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError, ray.exceptions.OutOfMemoryError) as exc:
            raise WorkerLost(f"a Ray worker died running a chunk ({exc})") from None
        except ray.exceptions.RayError as exc:  # run_chunk records run errors itself; this is the cluster
            raise WorkerLost(f"a chunk failed on the Ray cluster: {type(exc).__name__}: {exc} (is the same drillsim installed on every worker?)") from None

    def close(self, cancel: bool = False) -> None:
        if not (self._refs or self._owns or self._pending):
            return
        import ray

        self._refs = {}
        if cancel:
            for ref in self._pending:
                ray.cancel(ref, force=True)
        self._pending = []
        if self._owns:
            self._owns = False
            ray.shutdown()


def make_backend(name: str, jobs: int | None = None, address: str | None = None) -> Backend:
    """The backend called ``name`` (local, dask or ray)."""
    if name == "local":
        if address:
            raise DrillsimError("--address is for the dask and ray backends; the local backend runs on this machine")
        return LocalBackend(jobs)
    if name == "dask":
        return DaskBackend(jobs, address)
    if name == "ray":
        return RayBackend(jobs, address)
    raise DrillsimError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
