"""Where a resource lives: real AWS, an emulator URL, or the embedded in-process emulator.

The target is a provider-only prop chosen in the program (``personalize:target`` stack config or a
resource argument).  Parsing is pure; the data dir of ``embedded`` is resolved only when a client
is made, so moving a project does not change its props.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_DATA_DIR",
    "Target",
    "canonical_target",
    "configured_endpoint",
    "find_project_dir",
    "is_loopback_url",
    "parse_target",
    "region_problem",
    "target_problem",
    "uses_emulator",
]

DEFAULT_DATA_DIR = ".personalize"
_URL = re.compile(r"https?://[^\s/]+(/\S*)?", re.IGNORECASE)
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


def canonical_target(value: Any) -> Any:
    """One spelling per target, so that equivalent spellings never replace a resource.

    ``http://127.0.0.1:4666/`` is ``http://127.0.0.1:4666`` (scheme and host case-insensitive);
    ``embedded:.personalize`` and ``embedded:./.personalize`` are ``embedded``; ``aws`` is no target.
    Values that do not parse are returned as they are (``check`` reports them).
    """
    try:
        target = parse_target(value)
    except ValueError:
        return value
    if target.kind == "aws":
        return None
    if target.kind == "url":
        parts = urlsplit(target.value)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    folder = posixpath.normpath(target.value.replace(os.sep, "/")) if target.value else DEFAULT_DATA_DIR
    return "embedded" if folder == DEFAULT_DATA_DIR else f"embedded:{folder}"


#: boto3's per-service endpoint variables (``AWS_ENDPOINT_URL_<service id>``), then the global one.
_ENDPOINT_VARIABLES = {
    "personalize": "AWS_ENDPOINT_URL_PERSONALIZE",
    "personalize-runtime": "AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME",
    "personalize-events": "AWS_ENDPOINT_URL_PERSONALIZE_EVENTS",
}


def configured_endpoint(service: str) -> str | None:
    """The endpoint boto3 will use for ``service`` from the environment, as boto3 resolves it."""
    if os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    return os.environ.get(_ENDPOINT_VARIABLES.get(service, "")) or os.environ.get("AWS_ENDPOINT_URL") or None


def is_loopback_url(url: str | None) -> bool:
    """Whether ``url`` points at this machine (127.0.0.0/8, ::1 or localhost): a local emulator."""
    if not url:
        return False
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def uses_emulator(target: Target, service: str = "personalize") -> bool:
    """Whether requests go to an emulator: an emulator target, or a loopback endpoint from the environment.

    Such requests are signed with dummy credentials (the user's real keys never leave for a local
    endpoint) and may use the emulator's extensions (``file://`` data locations).  Any other
    endpoint, a VPC endpoint or a proxy included, is AWS and uses the normal credential chain.
    """
    return target.kind != "aws" or is_loopback_url(configured_endpoint(service))


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
