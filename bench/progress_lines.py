"""Progress lines for long benchmark steps, on stderr, so a person sees the run is working.

Why stderr: stdout carries results (tables, JSON a parent process parses); progress is for the
terminal.  :func:`step` announces a step, repeats a "still ..." line every ``every`` seconds while
it runs (training a 1M-event log or fitting a peer takes minutes) and says how long it took;
:func:`training_lines` passes training's own milestones (``TrainingJob.progress``) through.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["say", "step", "training_lines"]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def step(label: str, *, every: float = 30.0) -> Iterator[None]:
    """Announce ``label``, print a heartbeat every ``every`` seconds, then its duration."""
    started = time.perf_counter()
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(every):
            say(f"still {label} ({time.perf_counter() - started:.0f} s)")

    say(f"{label} ...")
    beat = threading.Thread(target=heartbeat, name="bench-progress", daemon=True)
    beat.start()
    try:
        yield
    finally:
        done.set()
        beat.join()
        say(f"{label}: {time.perf_counter() - started:.1f} s")


def training_lines(label: str) -> Callable[[str], None]:
    """A ``TrainingJob.progress`` callback printing each milestone with the time since the first."""
    started = time.perf_counter()

    def progress(line: str) -> None:
        say(f"{label}: {line} (+{time.perf_counter() - started:.1f} s)")

    return progress
