"""The emulator's one clock: every status timestamp, pacing deadline and schedule reads it.

Why one clock: automatic training runs on a schedule measured in days, so tests must be able to move
time (``emu.advance(seconds)``) and a server can run time faster (``serve --clock-speed``).  If any
part of the emulator read ``time.time()`` itself, an advanced clock would leave it behind (a version
stamped before the solution it belongs to, a pacing gate that never opens).

By default the clock *is* real time: ``now()`` follows its source (``time.time``) at speed 1 and
nothing else changes.  ``advance`` jumps ahead; ``speed`` scales the passage of real time.  The
emulated "now" is persisted in the data dir by the emulator (see :meth:`Clock.resume_from`), so a
restarted emulator never goes back in time and a schedule that already ran does not run again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Clock"]


class Clock:
    """Emulated time: ``source`` time, scaled by ``speed``, plus whatever :meth:`advance` added."""

    def __init__(self, source: Callable[[], float] = time.time, *, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"clock speed must be positive, got {speed!r}")
        self.speed = float(speed)
        self._source = source
        self._lock = threading.Lock()
        self._base_source = source()
        self._base_now = self._base_source
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        """The emulated time (epoch seconds)."""
        with self._lock:
            return self._base_now + (self._source() - self._base_source) * self.speed

    __call__ = now

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` ahead (never back); tells every listener; the new now."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward; cannot advance by {seconds!r} seconds")
        with self._lock:
            self._base_now += seconds
        self._notify()
        return self.now()

    def resume_from(self, emulated: float) -> None:
        """Continue from ``emulated`` if it is later than now (a restart never moves time back)."""
        ahead = emulated - self.now()
        if ahead > 0:
            self.advance(ahead)

    def real_seconds(self, emulated_seconds: float) -> float:
        """How long to really wait for ``emulated_seconds`` to pass (without an advance)."""
        return max(0.0, emulated_seconds / self.speed)

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every :meth:`advance` (a sleeping timer re-reads its deadline)."""
        with self._lock:
            self._listeners.append(listener)

    def _notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
