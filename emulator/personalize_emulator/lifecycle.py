"""Status lifecycles as data, and the runners that move resources through them.

Statuses and their allowed moves are the API contract's (:mod:`personalize_api.statuses`).
Background work is a *job*: a generator function that performs one visible step between ``yield``s
(it yields after every status change, failures included, and ends without changing anything).  The runner decides how it
runs: on worker threads (the server and the embedded provider target), to completion inside the
request (``instant``: deterministic tests), or one step at a time when a test calls
:meth:`ManualRunner.step` (to observe ``CREATE PENDING`` and ``CREATE IN_PROGRESS``).

Before it moves a resource on from a status, a job yields a :class:`~.pacing.Gate`.  Only the
background runner honours gates (see :mod:`.pacing`): it parks the job, freeing its worker, until
clients have seen the status; the instant and manual runners step straight over them.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from personalize_api.statuses import TRANSITIONS

from .clock import Clock
from .pacing import Gate, Pacer, Progression

__all__ = [
    "BackgroundRunner",
    "InstantRunner",
    "Job",
    "LifecycleError",
    "LifecycleMode",
    "ManualRunner",
    "Pool",
    "Runner",
    "gate",
    "make_runner",
    "move",
]

log = logging.getLogger(__name__)

class LifecycleError(RuntimeError):
    """An internal move the state machine does not allow (a bug, never a user error)."""


def move(body: dict[str, Any], status: str, now: float, *, failure: str | None = None) -> None:
    """Set ``body['status']`` to ``status`` if the lifecycle allows it, stamping the update time."""
    current = body.get("status")
    if current is not None and status not in TRANSITIONS.get(current, frozenset()):
        raise LifecycleError(f"cannot move from {current!r} to {status!r}")
    body["status"] = status
    body["lastUpdatedDateTime"] = now
    if failure is not None:
        body["failureReason"] = failure


Job = Callable[[], Iterator[Gate | None]]


def gate(arn: str, status: str, member: str = "") -> Gate:
    """What a job yields before it moves ``arn`` (or its ``member`` update) on from ``status``."""
    return Gate(arn, status, member)
LifecycleMode = Literal["background", "instant", "manual"]


#: Which workers run a job: status moves, data imports and training never queue behind each other.
Pool = Literal["light", "import", "training"]


class Runner:
    """Runs jobs; each pool (light transitions, imports, training) has bounded workers of its own."""

    def submit(self, job: Job, *, pool: Pool = "light") -> None:
        raise NotImplementedError

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait``, let the running ones finish."""

    @property
    def stopping(self) -> bool:
        return False


def _run(job: Job) -> None:
    try:
        for _ in job():
            pass  # gates do not hold the instant runner
    except Exception:  # a job must record its own failures; this is the last line of defence
        log.exception("background job failed")


class BackgroundRunner(Runner):
    """Worker threads: light transitions never queue behind training jobs; gates park jobs."""

    def __init__(self, *, training_workers: int | None = None, pacer: Pacer | None = None) -> None:
        training = training_workers or max(1, min(4, (os.cpu_count() or 2) // 2))
        self._pools = {
            "light": ThreadPoolExecutor(max_workers=4, thread_name_prefix="personalize-light"),
            "import": ThreadPoolExecutor(max_workers=2, thread_name_prefix="personalize-import"),
            "training": ThreadPoolExecutor(max_workers=training, thread_name_prefix="personalize-train"),
        }
        self._stopping = threading.Event()
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self.pacer = pacer or Pacer(Progression(describes=0, seconds=0))

    def submit(self, job: Job, *, pool: Pool = "light") -> None:
        self._start(job(), pool)

    def _start(self, steps: Iterator[Gate | None], pool: Pool) -> None:
        if self._stopping.is_set():
            return  # recovery at the next start resumes or fails it
        try:
            future = self._pools[pool].submit(self._drive, steps, pool)
        except RuntimeError:  # shut down meanwhile: recovery resumes it
            return
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _drive(self, steps: Iterator[Gate | None], pool: Pool) -> None:
        """Run the job until it ends or reaches a closed gate (then it waits off-thread)."""
        try:
            for value in steps:
                if isinstance(value, Gate) and not self.pacer.passes(value):
                    self.pacer.park(value, lambda: self._start(steps, pool))
                    return
        except Exception:  # a job must record its own failures; this is the last line of defence
            log.exception("background job failed")

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def idle(self) -> bool:
        with self._lock:
            return not self._futures

    def shutdown(self, *, wait: bool = True) -> None:
        self._stopping.set()
        self.pacer.close()
        for executor in self._pools.values():
            executor.shutdown(wait=wait, cancel_futures=True)


class InstantRunner(Runner):
    """Runs every job to completion before the request that started it returns."""

    def submit(self, job: Job, *, pool: Pool = "light") -> None:
        _run(job)


class ManualRunner(Runner):
    """Queues jobs until a test advances them: :meth:`step` one visible step, or :meth:`run_pending`."""

    def __init__(self) -> None:
        self._queue: deque[Iterator[Gate | None]] = deque()
        self._lock = threading.Lock()

    def submit(self, job: Job, *, pool: Pool = "light") -> None:
        with self._lock:
            self._queue.append(job())

    def step(self) -> bool:
        """Advance the oldest job by one visible step; False when nothing is left to advance.

        Jobs ``yield`` after every status change, so a job that ends on resumption made no change:
        it is dropped and the next job advances instead, so each call moves exactly one status.
        """
        while True:
            with self._lock:
                if not self._queue:
                    return False
                current = self._queue.popleft()
            try:
                while isinstance(next(current), Gate):
                    pass  # a gate is not a visible step
            except StopIteration:
                continue
            except Exception:
                log.exception("background job failed")
                return True
            with self._lock:
                self._queue.appendleft(current)
            return True

    def run_pending(self) -> int:
        """Run every queued job (and jobs they queue) to completion; the number of steps taken."""
        steps = 0
        while self.step():
            steps += 1
        return steps

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)


def make_runner(mode: LifecycleMode, *, training_workers: int | None = None,
                progression: Progression | None = None, clock: Clock | None = None) -> Runner:
    if mode == "background":
        return BackgroundRunner(training_workers=training_workers,
                                pacer=Pacer(progression or Progression(), clock=clock))
    if mode == "instant":
        return InstantRunner()
    if mode == "manual":
        return ManualRunner()
    raise ValueError(f"unknown lifecycle mode {mode!r}: expected background, instant or manual")
