"""Where a resource lives: real AWS, an emulator URL, or the embedded in-process emulator.

The target is a provider-only prop chosen in the program (``personalize:target`` stack config or a
resource argument).  Parsing is pure; the data dir of ``embedded`` is resolved only when a client
is made, so moving a project does not change its props.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

__all__ = ["DEFAULT_DATA_DIR", "Target", "find_project_dir", "parse_target", "region_problem", "target_problem"]

DEFAULT_DATA_DIR = ".personalize"
_URL = re.compile(r"https?://[^\s/]+(/\S*)?")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed target: ``kind`` is aws, url or embedded; ``value`` the URL or data dir (if any)."""

    kind: Literal["aws", "url", "embedded"]
    value: str = ""

    def data_dir(self, start: Path | None = None) -> Path:
        """The embedded emulator's data dir: explicit, else ``.personalize`` beside Pulumi.yaml."""
        base = find_project_dir(start or Path.cwd())
        path = Path(self.value).expanduser() if self.value else Path(DEFAULT_DATA_DIR)
        return path if path.is_absolute() else (base / path)


def find_project_dir(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding Pulumi.yaml (else ``start``)."""
    env = os.environ.get("PULUMI_PERSONALIZE_PROJECT_DIR")
    if env:
        return Path(env)
    for folder in (start, *start.parents):
        if (folder / "Pulumi.yaml").exists() or (folder / "Pulumi.yml").exists():
            return folder
    return start


def parse_target(value: Any) -> Target:
    """``None``/``"aws"`` -> AWS; ``http(s)://...`` -> URL; ``embedded[:DIR]`` -> embedded."""
    if value is None or value == "aws":
        return Target("aws")
    if not isinstance(value, str):
        raise ValueError(f"must be a string, got {type(value).__name__}")
    if value == "embedded":
        return Target("embedded")
    if value.startswith("embedded:") and len(value) > len("embedded:"):
        return Target("embedded", value[len("embedded:"):])
    if _URL.fullmatch(value):
        return Target("url", value.rstrip("/"))
    raise ValueError(
        f"must be 'aws', 'embedded', 'embedded:<data dir>' or an emulator URL (http://host:port); got {value!r}"
    )


def target_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid target, or None."""
    try:
        parse_target(value)
    except ValueError as exc:
        return str(exc)
    return None


def region_problem(value: Any) -> str | None:
    """Why ``value`` is not a valid region name, or None."""
    if isinstance(value, str) and _REGION.fullmatch(value):
        return None
    return f"must be an AWS region name such as us-east-1; got {value!r}"
