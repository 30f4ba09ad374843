"""Property bags as the Pulumi engine hands them over: unknowns, secrets, canonical forms.

Facts of the SDK this module absorbs: during a preview, unknown values arrive as
``pulumi.output.Unknown`` (or, over the wire, as the sentinel string); numbers arrive as floats;
secret values may arrive wrapped in the RPC secret envelope.  Everything here is pure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown

__all__ = [
    "PROVIDER_KEY",
    "UNKNOWN",
    "canon",
    "canon_json",
    "has_unknown",
    "is_unknown",
    "plain",
    "strip_internal",
]

#: The key under which the SDK stores the pickled provider in every property bag.
PROVIDER_KEY = "__provider"
#: The preview sentinel for an unknown value on the wire.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is a preview unknown (``Unknown`` object or the wire sentinel)."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def has_unknown(value: Any) -> bool:
    """Whether ``value`` is or contains an unknown anywhere."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(has_unknown(k) or has_unknown(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unknown(v) for v in value)
    return False


def plain(value: Any) -> Any:
    """``value`` with RPC secret envelopes opened (the provider stores no secrets of its own)."""
    if isinstance(value, Mapping):
        if value.get(_SECRET_SIG_KEY) == _SECRET_SIG:
            return plain(value.get("value"))
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def strip_internal(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """A plain copy of ``props`` without ``__provider`` and other engine-internal keys."""
    if not props:
        return {}
    return {k: plain(v) for k, v in props.items() if not (isinstance(k, str) and k.startswith("__"))}


def canon(value: Any) -> Any:
    """A canonical form for comparison: None, empty objects and empty lists dropped, whole floats as ints.

    An empty list means what an absent member means in every Create request (no tags, no event
    parameters): Describe answers ``{"eventParametersList": []}`` after events were removed.

    Lists keep their order (order is meaningful in the API, except for tags: see the diff).
    Unknowns are kept as-is; callers decide what an unknown means before comparing.
    """
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            normal = canon(item)
            if normal is None or (isinstance(normal, dict | list) and not normal):
                continue
            out[str(key)] = normal
        return out
    if isinstance(value, list | tuple):
        return [canon(v) for v in value]
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def canon_json(value: Any) -> str:
    """``canon(value)`` as a sorted JSON string: equal strings mean equal values (``True != 1``)."""
    return json.dumps(canon(value), sort_keys=True, default=repr)
