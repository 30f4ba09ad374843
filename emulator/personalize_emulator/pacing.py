"""How fast background statuses advance: a status stays until clients have seen it.

On AWS a fresh resource is never ACTIVE on the Describe right after its Create, and a deleted one
is never gone: code that skips the waits fails there with ResourceInUseException.  An emulator
whose workers finish in a millisecond lets such code pass, so the background lifecycle is paced
the way moto's state manager paces its models (advance after N Describes, or after some time):

- a job reaching a :class:`Gate` stops until the status it set has been shown by ``describes``
  Describe/List answers, or ``seconds`` have passed since the gate was reached, whichever is first;
- a Describe or List that shows a resource in an in-flight status counts as one observation.

So with the default (one Describe, five seconds) every create, update and delete is visible in
each intermediate status to the next Describe, and a client that never describes still sees
progress.  ``Progression(describes=0, seconds=0)`` is the unpaced behaviour; the ``instant`` and
``manual`` lifecycles ignore gates altogether.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .clock import Clock

__all__ = ["IN_FLIGHT_STATUSES", "Gate", "Pacer", "Progression", "observed_in"]

#: Statuses a gate can wait on (the ones a job moves on from).
IN_FLIGHT_STATUSES = frozenset({"CREATE PENDING", "CREATE IN_PROGRESS", "CREATE STOPPING", "DELETE PENDING",
                                "DELETE IN_PROGRESS", "UPDATE IN_PROGRESS", "PENDING", "IN PROGRESS"})


class Progression(BaseModel):
    """When a background status may advance (moto's "manual" and "time" progressions, combined)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    describes: int = Field(1, ge=0, description="Describe/List answers that must show a status first")
    seconds: float = Field(5.0, ge=0, description="or this long after the job reached the gate")


@dataclass(frozen=True, slots=True)
class Gate:
    """Yielded by a job: continue once ``status`` of ``arn`` (or of its ``member`` update) was seen."""

    arn: str
    status: str
    member: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.arn, self.member, self.status)


Key = tuple[str, str, str]


class Pacer:
    """Counts observations and releases parked jobs; one timer thread serves every deadline."""

    def __init__(self, progression: Progression, *, clock: Clock | None = None) -> None:
        self.progression = progression
        self._clock = clock or Clock()
        self._lock = threading.Condition()
        self._clock.subscribe(self._wake)  # an advanced clock may have passed a deadline
        #: (arn, member) -> status -> Describes that showed it since the last gate of (arn, member) opened
        self._seen: dict[tuple[str, str], dict[str, int]] = {}
        self._parked: dict[Key, list[tuple[int, Callable[[], None]]]] = {}
        self._deadlines: list[tuple[float, int, Key]] = []
        self._order = itertools.count()
        self._timer: threading.Thread | None = None
        self._closed = False

    def passes(self, gate: Gate) -> bool:
        """True when the job may continue now (and forgets the observations it consumed)."""
        with self._lock:
            return self._take(gate.key)

    def park(self, gate: Gate, resume: Callable[[], None]) -> None:
        """Call ``resume`` once the gate opens (observations or time); at once if it is already open."""
        with self._lock:
            if self._closed:
                return  # shutting down: recovery at the next start resumes the job
            if self._take(gate.key):
                ready = True
            else:
                ready = False
                ticket = next(self._order)
                self._parked.setdefault(gate.key, []).append((ticket, resume))
                if self.progression.seconds != float("inf"):
                    heapq.heappush(self._deadlines, (self._clock.now() + self.progression.seconds, ticket, gate.key))
                    self._ensure_timer()
                    self._lock.notify_all()
        if ready:
            resume()

    def observe(self, keys: Iterable[Key]) -> None:
        """A Describe/List answer showed these (arn, member, status) triples."""
        released: list[Callable[[], None]] = []
        with self._lock:
            for key in keys:
                if key[2] not in IN_FLIGHT_STATUSES:
                    continue
                counts = self._seen.setdefault(key[:2], {})
                counts[key[2]] = counts.get(key[2], 0) + 1
                if key in self._parked and self._take(key):
                    released += [resume for _, resume in self._parked.pop(key)]
        for resume in released:
            resume()

    def _wake(self) -> None:
        with self._lock:
            self._lock.notify_all()

    def close(self) -> None:
        """Forget parked jobs and stop the timer."""
        with self._lock:
            self._closed = True
            self._parked.clear()
            self._deadlines.clear()
            self._lock.notify_all()

    # -- internals (called with the lock held) ------------------------------------------------
    def _take(self, key: Key) -> bool:
        if self._seen.get(key[:2], {}).get(key[2], 0) < self.progression.describes:
            return False
        self._forget(key)
        return True

    def _forget(self, key: Key) -> None:
        """An open gate uses up every observation of the resource (or update) so far: a status seen
        just before the move, or by a deleted resource of the same ARN, must not open a later gate."""
        self._seen.pop(key[:2], None)

    def _ensure_timer(self) -> None:
        if self._timer is None or not self._timer.is_alive():
            self._timer = threading.Thread(target=self._run_timer, name="personalize-pacer", daemon=True)
            self._timer.start()

    def _run_timer(self) -> None:
        while True:
            released: list[Callable[[], None]] = []
            with self._lock:
                if self._closed:
                    return
                if not self._deadlines:
                    self._lock.wait(timeout=1.0)
                    if not self._deadlines:
                        self._timer = None  # idle: the next park starts a new timer
                        return
                    continue
                due, ticket, key = self._deadlines[0]
                wait = due - self._clock.now()
                if wait > 0:
                    self._lock.wait(timeout=self._clock.real_seconds(wait))
                    continue
                heapq.heappop(self._deadlines)
                waiting = self._parked.get(key, [])
                for index, (parked, resume) in enumerate(waiting):
                    if parked == ticket:  # still parked (not released by observations meanwhile)
                        released.append(resume)
                        del waiting[index]
                        break
                if not waiting:
                    self._parked.pop(key, None)
                if released:
                    self._forget(key)
            for resume in released:
                resume()


def observed_in(params: Mapping[str, Any], result: Mapping[str, Any]) -> list[Key]:
    """The (arn, member, status) triples a Describe*/List* answer shows.

    Each resource object is identified by its ``<x>Arn`` members (for a Describe, the request's
    ARN); nested update summaries (``latestCampaignUpdate``...) count as ``member`` observations.
    """
    keys: list[Key] = []
    for value in result.values():
        if isinstance(value, Mapping):
            arns = [v for k, v in params.items() if k.endswith("Arn") and isinstance(v, str)]
            _resource(value, arns, keys)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    _resource(item, [], keys)
    return keys


def _resource(body: Mapping[str, Any], arns: list[str], keys: list[Key]) -> None:
    status = body.get("status")
    if not isinstance(status, str):
        return
    own = arns or [v for k, v in body.items() if k.endswith("Arn") and isinstance(v, str)]
    for arn in own:
        keys.append((arn, "", status))
        for member, nested in body.items():
            if isinstance(nested, Mapping) and isinstance(nested.get("status"), str):
                keys.append((arn, member, nested["status"]))
