"""The wire: AWS JSON 1.1 for the control plane, rest-json for runtime and events, on one port.

Routing comes from botocore's models: ``X-Amz-Target: AmazonPersonalize.<Op>`` names control-plane
operations; runtime and events operations are found by their modelled method and request URI.
Every failure becomes ``{"__type": code, "message": ...}`` with the error's HTTP status (400 unless
said otherwise) so botocore raises its typed exception; nothing here ever answers a 500.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from personalize_api import join_problems, validate_output
from personalize_api.model import service_model

from .errors import (
    InternalFailure,
    PersonalizeError,
    RequestTooLargeException,
    SerializationException,
    UnknownOperationException,
)

__all__ = ["HttpResponse", "WireRequest", "encode_error", "encode_result", "parse_request", "region_of", "too_large"]

_TARGET_PREFIX = "AmazonPersonalize."
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
_CONTENT_TYPES = {
    "personalize": "application/x-amz-json-1.1",
    "personalize-runtime": "application/json",
    "personalize-events": "application/json",
}


@dataclass(frozen=True, slots=True)
class WireRequest:
    service: str
    operation: str
    params: dict[str, Any]
    region: str | None


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@lru_cache(maxsize=1)
def _rest_routes() -> dict[tuple[str, str], tuple[str, str]]:
    """(method, path) -> (service, operation) for the rest-json services, from their models."""
    routes: dict[tuple[str, str], tuple[str, str]] = {}
    for service in ("personalize-runtime", "personalize-events"):
        model = service_model(service)
        for name in model.operation_names:
            http = model.operation_model(name).http
            routes[(http["method"], http["requestUri"].split("?")[0])] = (service, name)
    return routes


@lru_cache(maxsize=1)
def _control_operations() -> frozenset[str]:
    return frozenset(service_model("personalize").operation_names)


def region_of(headers: Mapping[str, str]) -> str | None:
    """The region from a SigV4 ``Authorization`` header's credential scope (no signature check)."""
    match = _SCOPE.search(headers.get("authorization", ""))
    return match.group(1) if match else None


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SerializationException(f"The request body is not valid UTF-8 (byte {exc.start}).") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise SerializationException("The request body nests JSON too deeply.") from None
    except ValueError as exc:
        raise SerializationException(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(value, dict):
        raise SerializationException(f"The request body must be a JSON object, not {type(value).__name__}.")
    return value


def parse_request(method: str, path: str, headers: Mapping[str, str], body: bytes) -> WireRequest:
    """Decode one HTTP request. ``headers`` keys must be lower-case."""
    target = headers.get("x-amz-target")
    region = region_of(headers)
    if target is not None:
        if not target.startswith(_TARGET_PREFIX):
            raise UnknownOperationException(f"Unknown target {target!r}: expected AmazonPersonalize.<Operation>.")
        operation = target[len(_TARGET_PREFIX):]
        if operation not in _control_operations():
            raise UnknownOperationException(f"Amazon Personalize has no operation named {operation!r}.")
        return WireRequest("personalize", operation, _json_object(body), region)
    route = _rest_routes().get((method.upper(), path.split("?", 1)[0]))
    if route is None:
        if path.split("?", 1)[0] == "/":
            raise UnknownOperationException(
                "Missing X-Amz-Target header: control-plane requests name their operation as "
                "X-Amz-Target: AmazonPersonalize.<Operation>."
            )
        raise UnknownOperationException(f"No Personalize operation answers {method.upper()} {path}.")
    service, operation = route
    return WireRequest(service, operation, _json_object(body), region)


def _headers(service: str, extra: Mapping[str, str] = {}) -> dict[str, str]:
    return {
        "content-type": _CONTENT_TYPES.get(service, "application/json"),
        "x-amzn-requestid": str(uuid.uuid4()),
        **extra,
    }


def encode_result(service: str, operation: str, result: Mapping[str, Any] | None, *,
                  check: bool = False) -> HttpResponse:
    """The HTTP answer of one operation: every response is serialised here, and nowhere else.

    With ``check`` (the test suite turns it on: see :class:`~.settings.Settings`) the result is first
    validated against the operation's output shape, and a violation is an :class:`InternalFailure`
    naming every problem, so it fails the test loudly instead of reaching a client.  It is off by
    default because the walk costs about as much as answering a request.
    """
    if check:
        problems = validate_output(service, operation, result or {})
        if problems:
            raise InternalFailure(f"{operation} answered outside its output shape: {join_problems(problems)}")
    body = json.dumps(result or {}, separators=(",", ":")).encode("utf-8")
    return HttpResponse(200, _headers(service), body)


def too_large(size: int, limit: int) -> HttpResponse:
    """The 413 for a body over the emulator's cap (both HTTP front ends answer it before reading on)."""
    return encode_error("personalize", RequestTooLargeException(
        f"The request body ({size} bytes) exceeds the emulator's limit of {limit} bytes."
    ))


def encode_error(service: str, error: PersonalizeError) -> HttpResponse:
    body = json.dumps({"__type": error.code, "message": error.message}).encode("utf-8")
    return HttpResponse(error.status, _headers(service, {"x-amzn-errortype": error.code}), body)
