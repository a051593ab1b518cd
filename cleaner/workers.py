"""A process pool that maps over chunks in order and outlives its workers.

A worker can die under a batch job: the kernel's out-of-memory killer, an operator's
``kill``, a crash in a C extension on one strange page. ``multiprocessing.Pool`` then waits
for the lost chunk forever; ``concurrent.futures.ProcessPoolExecutor`` at least says so
(``BrokenProcessPool``) and fails every pending chunk with it. This module builds recovery
on the latter: when the pool breaks it starts a new one, runs the chunk at the head of the
queue alone (so a break then has one suspect), splits a chunk that breaks alone into single
records, and hands a record that kills a worker on its own to ``lost`` to stand in for its
result. Every other chunk is submitted again. Results come out in input order, so the
output is the same as if nothing had died; a chunk may come back as several results (one
per record) when it had to be split.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from .errors import WorkersFailed

T = TypeVar("T")
R = TypeVar("R")

#: What a worker's death is reported as, for the one record that caused it.
DIED = ("the worker process died while handling this record (killed, out of memory or "
        "crashed); it was retried alone and died again")


class WorkerPool(Generic[T, R]):
    """``jobs`` spawned processes, each set up once by ``initializer(*initargs)``.

    ``lost(item, reason)`` gives the result to stand in for one item that kills a worker
    every time it runs (for the batch job, an error record); without it the death is raised.
    """

    def __init__(self, jobs: int, initializer: Callable[..., None],
                 initargs: tuple[Any, ...] = (),
                 lost: Callable[[T, str], R] | None = None) -> None:
        self.jobs = jobs
        self.initializer = initializer
        self.initargs = initargs
        self.lost = lost
        #: Worker deaths seen so far (each one restarted the pool).
        self.restarts = 0
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing

        # spawn, not fork: a forked child inherits the parent's threads and locks mid-state.
        return ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_setup,
                                   initargs=(os.getpid(), self.initializer, self.initargs))

    def _restart(self) -> None:
        self.restarts += 1
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._start()
        # Before any record is blamed for a death, the new workers must show they can start
        # and run at all; otherwise every record would be retried alone and marked lost.
        try:
            self._executor.submit(_alive).result()
        except BrokenProcessPool as exc:
            self._executor.shutdown(wait=False, cancel_futures=True)
            raise WorkersFailed(
                "worker processes die as soon as they start (their set-up fails or the "
                "machine cannot start processes): stopping rather than blaming records") from exc

    def map_ordered(self, fn: Callable[[list[T]], R], chunks: Iterable[list[T]],
                    in_flight: int) -> Iterator[R]:
        """``fn`` over ``chunks`` in order, with at most ``in_flight`` chunks pending."""
        pending: deque[tuple[list[T], Future[R]]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(fn, chunk)))
            if len(pending) >= in_flight:
                yield from self._take(fn, pending)
        while pending:
            yield from self._take(fn, pending)

    def _submit(self, fn: Callable[[list[T]], R], chunk: list[T]) -> Future[R]:
        # A worker can die between two submissions: the pool is then broken and refuses new
        # work. The chunk gets a future that failed the same way, and is retried with the rest
        # when its turn comes.
        try:
            return self._executor.submit(fn, chunk)
        except BrokenProcessPool as exc:
            failed: Future[R] = Future()
            failed.set_exception(exc)
            return failed

    def _take(self, fn: Callable[[list[T]], R],
              pending: deque[tuple[list[T], Future[R]]]) -> Iterator[R]:
        chunk, future = pending.popleft()
        try:
            yield future.result()
            return
        except BrokenProcessPool:
            pass
        self._restart()
        # The head alone first: if it breaks the new pool, it is the one to blame.
        yield from self._alone(fn, chunk)
        for i, (other, f) in enumerate(pending):
            if not (f.done() and not f.cancelled() and f.exception() is None):
                pending[i] = (other, self._submit(fn, other))

    def _alone(self, fn: Callable[[list[T]], R], chunk: list[T]) -> Iterator[R]:
        try:
            yield self._submit(fn, chunk).result()
            return
        except BrokenProcessPool:
            self._restart()
        if len(chunk) > 1:
            for item in chunk:
                yield from self._alone(fn, [item])
        elif self.lost is None:
            raise BrokenProcessPool(DIED)
        else:
            yield self.lost(chunk[0], DIED)

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def terminate(self) -> None:
        """Stop without waiting for pending work (an interrupt, an error while writing)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(self._executor, "_processes", None) or {}).values()):
            process.terminate()


def _alive() -> bool:
    return True


#: How often a worker looks whether its parent is still there.
PARENT_POLL_SECONDS = 0.2


def _worker_setup(parent: int, initializer: Callable[..., None],
                  initargs: tuple[Any, ...]) -> None:
    """Runs first in every worker. Ctrl-C reaches the whole process group, and the parent
    alone handles it (it stops the pool); a worker would print a traceback per task. And a
    worker must not outlive its parent: killed with SIGKILL, the parent cannot stop it, and
    the worker waits on the task queue forever (the pipe never closes, since the workers hold
    its other end too), so each worker watches its parent and exits when it is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()
    initializer(*initargs)


def _exit_with_parent(parent: int) -> None:
    # A process whose parent died is handed to another (init or a subreaper): its parent id
    # changes. Polling it works wherever getppid does, with no platform-specific signal.
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def run_ordered(pool: WorkerPool[T, R] | None, fn: Callable[[list[T]], R],
                chunks: Iterable[list[T]], in_flight: int) -> Iterator[R]:
    """In the pool when there is one, else in this process."""
    if pool is None:
        return map(fn, chunks)
    return pool.map_ordered(fn, chunks, in_flight)

