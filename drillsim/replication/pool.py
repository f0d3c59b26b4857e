"""Worker processes on this machine, for replications: :class:`WorkerPool`.

One pool for every command that spreads runs over local processes (``drillsim batch``'s local
backend, ``drillsim check --jobs``), so they start, stop and fail the same way:

- **start method**: forked on Linux, so the workers start with everything the parent loaded and
  compiled (scenarios, cases) already in memory; spawned elsewhere, where ``initializer`` is
  given ``initargs`` once per process (:func:`start_method`);
- **started at once**: the workers are created when the pool is, before the caller starts any
  thread (a progress bar's): a process forked while another thread holds a lock (stderr's)
  would inherit it locked;
- **Ctrl-C** with ``ignore_sigint``: the workers ignore SIGINT and leave it to the parent, which
  stops the pool itself (no traceback from every worker);
- **stopping**: :meth:`WorkerPool.close` with ``cancel`` drops queued work and terminates the
  workers instead of waiting for runs nobody will use; leaving a ``with`` block on an exception
  does that;
- **a worker that dies** (killed, out of memory) raises :class:`WorkerLost` from :meth:`submit`
  or :meth:`result`.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..model.diagnostics import DrillsimError

__all__ = ["WorkerPool", "WorkerLost", "start_method", "default_jobs"]


class WorkerLost(DrillsimError):
    """A worker process died (killed, out of memory): the work it held was not finished."""


def start_method() -> str:
    """``fork`` on Linux (workers inherit what is loaded), ``spawn`` elsewhere."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def default_jobs(jobs: int | None = None) -> int:
    """``jobs`` if given, else the number of CPUs this process may use (at least 1).

    On Linux that is the CPU affinity mask (``os.sched_getaffinity``), which a container, ``taskset``
    or a batch scheduler may set below the machine's count; elsewhere ``os.cpu_count()``.
    """
    if jobs:
        return max(1, int(jobs))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(ignore_sigint: bool, initializer: Callable[..., Any] | None, initargs: Sequence[Any]) -> None:
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


class WorkerPool:
    """``workers`` processes running submitted functions (see the module docstring)."""

    def __init__(
        self,
        workers: int,
        initializer: Callable[..., Any] | None = None,
        initargs: Sequence[Any] = (),
        *,
        ignore_sigint: bool = False,
        method: str | None = None,
    ):
        self.workers = max(1, int(workers))
        self.method = method or start_method()
        context = multiprocessing.get_context(self.method)
        self._pool: cf.ProcessPoolExecutor | None = cf.ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(ignore_sigint, initializer, tuple(initargs))
        )
        # Start the workers now (see "started at once"): the first task makes a forking pool
        # create all of them.
        self._pool.submit(int).result()

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future[Any]:
        """Run ``fn(*args)`` in a worker; its future."""
        if self._pool is None:
            raise RuntimeError("the worker pool is closed")
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool as exc:
            raise WorkerLost(f"a worker process died ({exc})") from None

    @staticmethod
    def result(future: cf.Future[Any]) -> Any:
        """The value of a finished future (WorkerLost if its worker died)."""
        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerLost("a worker process died (killed, or out of memory)") from None

    @staticmethod
    def wait_first(pending: list[cf.Future[Any]]) -> tuple[list[cf.Future[Any]], list[cf.Future[Any]]]:
        """Block until at least one of ``pending`` is done: (done, still pending), each in the given order."""
        done, not_done = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        return [f for f in pending if f in done], [f for f in pending if f in not_done]

    def unordered(self, fn: Callable[..., Any], tasks: Iterable[Sequence[Any]]) -> Iterator[Any]:
        """``fn(*task)`` for every task, all submitted at once; the values as they finish."""
        futures = [self.submit(fn, *task) for task in tasks]
        for future in cf.as_completed(futures):
            yield self.result(future)

    def close(self, cancel: bool = False) -> None:
        """Stop the pool: wait for submitted work, or with ``cancel`` drop it and terminate the workers."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:
            for process in processes:  # do not wait for work nobody will use
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(timeout=5)
            # Let the pool's manager thread finish closing its wake-up pipe now: left running, it
            # races the interpreter's exit hook, which then writes to the closed pipe and prints
            # "Exception ignored in: <module 'threading'> ... Bad file descriptor" after our message.
            if manager is not None and manager.is_alive():
                manager.join(timeout=10)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(cancel=exc_type is not None)
