"""In-process transport: botocore requests answered by an emulator without a socket.

A ``before-send`` handler receives the fully serialised, signed HTTP request that botocore would
put on the wire, hands it to the emulator's ``handle`` and returns the raw response for botocore's
own parser, so in-process tests exercise exactly the bytes a server would see.

Two routes use it: one client bound to one emulator (:class:`InProcessTransport`, the embedded
target) and the process-wide route of ``mock_personalize`` (:func:`dispatch`, answering for the
innermost active emulator).  Both live here so neither module reaches into the other.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from io import BytesIO
from typing import Any, Protocol
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse
from botocore.handlers import BUILTIN_HANDLERS, REGISTER_FIRST

from .protocol import HttpResponse

__all__ = ["ANSWERED", "EVENTS", "MOCK_ID", "Answers", "InProcessTransport", "RawBody", "activate", "deactivate",
           "dispatch", "respond"]

#: unique_id prefix of the handler registered on ``boto3.DEFAULT_SESSION``.
MOCK_ID = "personalize-mock"

#: moto has no runtime/events backend, so passing services through does not cover them: its stubber
#: would compute a "404 Not yet implemented" for every such request (botocore keeps our answer, the
#: first one, but moto must not even look).  Their hosts are passed through by URL as well.
_MOTO_PASSTHROUGH = {
    "services": ("personalize", "personalize-runtime", "personalize-events"),
    "urls": (r"https?://personalize(-runtime|-events)?\.[^/]+\.amazonaws\.com",),
}


class Answers(Protocol):
    """What the transport needs of an emulator: an HTTP request in, a response out, never raising."""

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> HttpResponse: ...

#: botocore event names of the three Personalize services (service ids, hyphenised).
EVENTS = ("before-send.personalize", "before-send.personalize-runtime", "before-send.personalize-events")


class RawBody(BytesIO):
    """The raw stream botocore reads a response body from."""

    def stream(self, **_kwargs: Any) -> Any:
        contents = self.read()
        while contents:
            yield contents
            contents = self.read()


#: Set on a request once an emulator answered it, so no second in-process handler answers it again.
ANSWERED = "_personalize_emulator_answered"


def respond(emulator: Answers, request: Any) -> AWSResponse:
    """Answer one ``AWSPreparedRequest``."""
    setattr(request, ANSWERED, True)
    parts = urlsplit(request.url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    body = request.body
    if body is None:
        body = b""
    elif hasattr(body, "read"):
        body = body.read()
    elif isinstance(body, str):
        body = body.encode("utf-8")
    headers = {k.lower(): (v.decode() if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()}
    answer = emulator.handle(request.method, path, headers, bytes(body))
    return AWSResponse(request.url, answer.status, answer.headers, RawBody(answer.body))


class InProcessTransport:
    """A ``before-send`` handler bound to one emulator."""

    def __init__(self, emulator: Answers) -> None:
        self.emulator = emulator

    def __call__(self, request: Any, **_kwargs: Any) -> AWSResponse:
        return respond(self.emulator, request)

    def register(self, events: Any) -> None:
        """Answer this client's requests, ahead of (and instead of) any active ``mock_personalize``."""
        for event in EVENTS:
            events.unregister(event, dispatch)
            events.unregister(event, unique_id=f"{MOCK_ID}-{event}")
            events.register_first(event, self, unique_id=f"personalize-emulator-{event}")


_active: list[Answers] = []
_lock = threading.Lock()


def _moto_passthrough(*, add: bool) -> None:
    """Add our services to moto's passthrough settings (or take them out again), when moto is loaded."""
    config = sys.modules.get("moto.core.config")
    if config is None:
        return
    passthrough = config.default_user_config.setdefault("core", {}).setdefault("passthrough", {})
    for key, ours in _MOTO_PASSTHROUGH.items():
        values: list[str] = passthrough.setdefault(key, [])
        if add:
            values.extend(value for value in ours if value not in values)
        else:
            values[:] = [value for value in values if value not in ours]


def dispatch(request: Any, **_kwargs: Any) -> Any:
    """The process-wide handler: answers only while a mock is active."""
    if not _active or getattr(request, ANSWERED, False):
        return None
    _moto_passthrough(add=True)
    return respond(_active[-1], request)


def activate(emulator: Answers) -> bool:
    """Make ``emulator`` answer the process-wide route; True when it is the first active one."""
    with _lock:
        first = not _active
        _active.append(emulator)
        return first


def deactivate(emulator: Answers) -> bool:
    """Stop ``emulator`` answering; True when no emulator answers any more (moto takes its services back)."""
    with _lock:
        if emulator in _active:
            _active.remove(emulator)
        if _active:
            return False
        _moto_passthrough(add=False)
        return True


def _install() -> None:
    for event in EVENTS:
        spec = (event, dispatch, REGISTER_FIRST)
        if spec not in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.append(spec)


_install()
