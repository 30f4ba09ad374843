"""boto3 clients for a target, calls with retries, and AWS errors as provider errors.

Clients are created inside each provider call (never stored on the provider object, which is
pickled into Pulumi state), so boto3's own configuration applies: ``AWS_ENDPOINT_URL_PERSONALIZE``,
profiles, ``AWS_DEFAULT_REGION`` (and ``AWS_REGION``).  Only the botocore *loader* is shared, so a
client costs ~10 ms instead of ~55 ms.  One credentials rule: an emulator target, or a loopback
endpoint configured in the environment, gets fixed dummy credentials (the user's real credentials
never sign requests to a local endpoint, and no credential lookup, which may probe instance
metadata, happens); any other endpoint uses the normal AWS credential chain.  A resource that
exists is always addressed in its ARN's region.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from ._target import Target, parse_target, uses_emulator

__all__ = ["ProviderError", "arn_region", "call", "default_region", "is_not_found", "make_client", "resolve_region"]

_TRANSIENT_CODES = frozenset({
    "ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
    "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure", "InternalServerError",
    "RequestTimeout", "RequestTimeoutException",
})
_EMULATOR_REGION = "us-east-1"
#: Attempts for one call (botocore's own retries happen inside each attempt).
ATTEMPTS = 6
#: Replaced in tests to make retries instant.
sleep: Callable[[float], None] = time.sleep


class ProviderError(Exception):
    """An error the user should read: the AWS error code, the message, and what was being done."""

    def __init__(self, code: str, message: str, *, arn: str | None = None) -> None:
        text = f"{code}: {message}"
        if arn:
            text += f" (resource {arn})"
        super().__init__(text)
        self.code = code
        self.message = message
        self.arn = arn


@lru_cache(maxsize=1)
def _shared_loader() -> Any:
    """One botocore loader (models parsed once per process; it holds no credentials)."""
    import botocore.loaders

    return botocore.loaders.create_loader()


def resolve_region(region: Any, target: Target, session_region: str | None) -> str | None:
    """The region for a client: the prop, else ``AWS_REGION``, else boto3's own default."""
    if isinstance(region, str) and region:
        return region
    chosen = os.environ.get("AWS_REGION") or session_region
    if chosen is None and target.kind != "aws":
        return _EMULATOR_REGION
    return chosen


@lru_cache(maxsize=8)
def _configured_region(_profile: str | None, _config_file: str | None) -> str | None:
    """The region of the AWS config profile (``~/.aws/config``); read once per profile."""
    import botocore.session

    region = botocore.session.Session().get_config_variable("region")
    return region if isinstance(region, str) and region else None


def default_region(target: Target) -> str | None:
    """The region a resource without a ``region`` prop goes to: what :func:`make_client` would use."""
    env = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if env:
        return env
    return resolve_region(None, target, _configured_region(os.environ.get("AWS_PROFILE"),
                                                           os.environ.get("AWS_CONFIG_FILE")))


def make_client(service: str, props: Mapping[str, Any], arn: str | None = None) -> Any:
    """A fresh boto3 client of ``service`` for the target and region in ``props``.

    ``arn`` names an existing resource: without a ``region`` prop the client goes to the ARN's
    region, so refresh, update and delete reach the resource wherever the environment points now.
    """
    import boto3
    import botocore.session

    target = parse_target(props.get("target"))
    core = botocore.session.Session()
    core.register_component("data_loader", _shared_loader())
    session = boto3.session.Session(botocore_session=core)
    region = props.get("region") or arn_region(arn)
    region = resolve_region(region, target, session.region_name)
    dummy = {"aws_access_key_id": "emulator", "aws_secret_access_key": "emulator"}
    if target.kind == "aws":
        credentials = dummy if uses_emulator(target, service) else {}
        return session.client(service, region_name=region, **credentials)
    if target.kind == "url":
        return session.client(service, region_name=region, endpoint_url=target.value, **dummy)
    from personalize_emulator import Emulator

    client = session.client(service, region_name=region, **dummy)
    Emulator.shared(target.data_dir()).attach(client)
    return client


def arn_region(arn: Any) -> str | None:
    """The region in a Personalize ARN, or None (no ARN, or not one)."""
    if not isinstance(arn, str) or not arn:
        return None
    from personalize_api import parse_arn

    parsed = parse_arn(arn)
    return parsed.region if parsed and parsed.region else None


def _error_code(exc: BaseException) -> tuple[str, str, int]:
    response = getattr(exc, "response", None)
    if isinstance(response, Mapping):
        error = response.get("Error") or {}
        status = int((response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
        return str(error.get("Code") or "Unknown"), str(error.get("Message") or exc), status
    return type(exc).__name__, str(exc), 0


def _transient(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(exc, ClientError):
        code, _, status = _error_code(exc)
        return code in _TRANSIENT_CODES or status >= 500
    return isinstance(exc, ConnectionError | HTTPClientError)


def is_not_found(exc: BaseException) -> bool:
    """Whether ``exc`` says the resource does not exist."""
    return isinstance(exc, ProviderError) and exc.code == "ResourceNotFoundException"


def call(client: Any, operation: str, /, **params: Any) -> dict[str, Any]:
    """``client.<operation>(**params)``, retrying throttling, 5xx and connection errors with backoff.

    botocore retries too (its own configuration applies); this outer loop covers the longer
    throttling bursts a deployment of many resources meets.  Errors become :class:`ProviderError`.
    """
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError

    method = getattr(client, xform_name(operation))
    delay = 0.5
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result: dict[str, Any] = method(**params)
            return result
        except (ClientError, BotoCoreError) as exc:
            if attempt < ATTEMPTS and _transient(exc):
                sleep(delay * (0.5 + random.random()))  # jitter, not security
                delay = min(delay * 2, 20.0)
                continue
            code, message, _ = _error_code(exc)
            raise ProviderError(code, f"{operation}: {message}") from None
    raise AssertionError("unreachable")  # pragma: no cover
