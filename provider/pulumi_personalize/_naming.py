"""Names: snake_case <-> camelCase for property keys, and auto-generated resource names.

Pulumi programs use snake_case keywords (like pulumi-aws-native) while the provider's props are the
API's own camelCase members.  The translation must not touch user-defined map keys (hyperparameter
names such as ``hidden_dimension`` are already snake_case and must stay so), so it is a table of the
structure member names found in botocore's ``personalize`` model, not a blind regex.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from botocore import xform_name

__all__ = [
    "NAME_MAX",
    "PROVIDER_KEYS",
    "autoname",
    "camel_to_snake",
    "is_autonamed",
    "provider_keys",
    "sanitize_prefix",
    "snake_to_camel",
]

#: Keys that only the provider understands (never sent to the API).
PROVIDER_KEYS = ("target", "region", "timeouts", "namePrefix", "adoptArn")

#: The API's Name shape: 1..63 characters, ``^[a-zA-Z0-9][a-zA-Z0-9\-_]*``.
NAME_MAX = 63
_SUFFIX_LEN = 7
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_INVALID = re.compile(r"[^a-zA-Z0-9\-_]+")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(snake -> camel, camel -> snake) for every structure member of the personalize model."""
    from personalize_api.model import service_model

    model = service_model("personalize")
    names: set[str] = set(PROVIDER_KEYS)
    for shape_name in model.shape_names:
        shape = model.shape_for(shape_name)
        if shape.type_name == "structure":
            names.update(m for m in shape.members if m[:1].islower())
    camel_of = {xform_name(n): n for n in names}  # minProvisionedTPS -> min_provisioned_tps
    return camel_of, {camel: snake for snake, camel in camel_of.items()}


def snake_to_camel(key: str) -> str:
    """The API member name for a snake_case key; any other key (a map key, a camelCase key) unchanged."""
    return _tables()[0].get(key, key)


def camel_to_snake(key: str) -> str:
    """The Python name of an API member; keys that are not member names (map keys) unchanged."""
    return _tables()[1].get(key, key)


def provider_keys(props: Mapping[str, Any]) -> dict[str, Any]:
    """The provider-only keys of ``props`` that are set (target, region, timeouts, ...)."""
    return {k: props[k] for k in PROVIDER_KEYS if props.get(k) is not None}


def is_autonamed(props: Mapping[str, Any]) -> bool:
    """Whether the provider chose the resource's name (the program gave none, only a ``namePrefix``)."""
    prefix = props.get("namePrefix")
    return isinstance(prefix, str) and bool(prefix)


def sanitize_prefix(resource_name: str) -> str:
    """A Pulumi resource name made valid as the start of an API Name (room left for the suffix)."""
    prefix = _INVALID.sub("-", resource_name).strip("-_") or "resource"
    if not prefix[0].isalnum():
        prefix = "r" + prefix
    return prefix[: NAME_MAX - _SUFFIX_LEN - 1]


def autoname(prefix: str) -> str:
    """``<prefix>-<7 random [a-z0-9]>``: valid for the API's Name pattern and at most 63 characters."""
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(_SUFFIX_LEN))
    return f"{sanitize_prefix(prefix)}-{suffix}"
