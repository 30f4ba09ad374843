"""Pulumi custom timeouts ("10m", "1h30m", "45s") as seconds.

The dynamic-provider SDK does not pass the engine's timeouts to the provider, so the resource
classes carry ``opts.custom_timeouts`` in the provider-only ``timeouts`` prop and the provider
parses them here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["TIMEOUT_KEYS", "parse_duration", "timeout_problems"]

TIMEOUT_KEYS = ("create", "update", "delete")
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


def parse_duration(value: Any) -> float:
    """Seconds for a Go-style duration string or a number of seconds; ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value <= 0:
            raise ValueError(f"must be positive, got {value!r}")
        return float(value)
    if not isinstance(value, str) or not value:
        raise ValueError(f"not a duration: {value!r}")
    pos, total = 0, 0.0
    for match in _PART.finditer(value):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(value) or total <= 0:
        raise ValueError(f"must be a positive duration such as '30s', '10m' or '1h30m'; got {value!r}")
    return total


def timeout_problems(value: Any) -> list[str]:
    """Why ``value`` is not a valid ``timeouts`` object, as dotted reasons (empty when it is)."""
    if not isinstance(value, Mapping):
        return [f"timeouts: must be an object with keys {', '.join(TIMEOUT_KEYS)}"]
    problems = []
    for key, item in value.items():
        if key not in TIMEOUT_KEYS:
            problems.append(f"timeouts.{key}: is not a timeout; allowed: {', '.join(TIMEOUT_KEYS)}")
            continue
        if item is None:
            continue
        try:
            parse_duration(item)
        except ValueError as exc:
            problems.append(f"timeouts.{key}: {exc}")
    return problems
