"""The thread that runs due schedules (automatic training) as emulated time passes on its own.

Why a thread: on a server, schedules must run without any request arriving.  It sleeps until the
earliest due time the last pass reported (in real seconds, so a faster clock wakes it sooner), wakes
early when the clock is advanced, and re-checks at least every ``poll`` real seconds, because a
solution created meanwhile brings a new due time.  ``Emulator.advance`` runs passes itself, in the
caller's thread, so tests never depend on this thread's timing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .clock import Clock

__all__ = ["Scheduler"]

log = logging.getLogger(__name__)


class Scheduler:
    """Calls ``run_due()`` (which returns the next due time, or None) whenever something may be due."""

    def __init__(self, clock: Clock, run_due: Callable[[], float | None], *, poll: float = 1.0) -> None:
        self._clock = clock
        self._run_due = run_due
        self._poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="personalize-scheduler", daemon=True)
        clock.subscribe(self._wake.set)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                due = self._run_due()
            except Exception:  # a broken pass must not end the schedules for good
                log.exception("scheduled work failed")
                due = None
            wait = self._poll
            if due is not None:
                wait = min(wait, self._clock.real_seconds(due - self._clock.now()))
            self._wake.wait(timeout=max(wait, 0.01))
            self._wake.clear()
