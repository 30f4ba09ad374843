"""Waiting for Personalize's asynchronous lifecycles, with backoff and a deadline.

Every CreateX returns at once with ``CREATE PENDING``; the resource is usable only when ACTIVE.
Polling starts fast (an emulator is ready in milliseconds) and backs off to a cap suited to AWS
(training takes hours), and gives up at the Pulumi custom timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from personalize_api.statuses import NEVER_ACTIVE

from ._aws import ProviderError

__all__ = ["FAILED_STATUSES", "WaitTimeout", "poll"]

T = TypeVar("T")

#: Statuses from which a create never reaches ACTIVE.
FAILED_STATUSES = NEVER_ACTIVE
#: Replaced in tests (a fake clock makes timeouts instant).
clock: Callable[[], float] = time.monotonic
sleep: Callable[[float], None] = time.sleep


class WaitTimeout(ProviderError):
    """The resource did not reach the wanted state before the deadline."""


def poll(
    fetch: Callable[[], T],
    done: Callable[[T], bool],
    *,
    timeout: float,
    what: str,
    first: float = 0.02,
    factor: float = 1.5,
    cap: float = 15.0,
    arn: str | None = None,
) -> T:
    """Call ``fetch`` until ``done(result)``; ``fetch``/``done`` may raise to stop early."""
    deadline = clock() + timeout
    delay = first
    while True:
        result = fetch()
        if done(result):
            return result
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout("Timeout", f"{what} did not finish within {_human(timeout)}; "
                              "raise it with pulumi.CustomTimeouts", arn=arn)
        sleep(min(delay, remaining))
        delay = min(delay * factor, cap)


def _human(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"


def status_of(described: Any) -> str | None:
    """The ``status`` member of a Describe result (None for resources without one, like Schema)."""
    if isinstance(described, dict):
        status = described.get("status")
        return status if isinstance(status, str) else None
    return None
