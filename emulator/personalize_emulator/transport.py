"""In-process transport: botocore requests answered by an emulator without a socket.

A ``before-send`` handler receives the fully serialised, signed HTTP request that botocore would
put on the wire, hands it to :meth:`Emulator.handle` and returns the raw response for botocore's own
parser, so in-process tests exercise exactly the bytes a server would see.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse

if TYPE_CHECKING:
    from .emulator import Emulator

__all__ = ["ANSWERED", "EVENTS", "InProcessTransport", "RawBody", "respond"]

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


def respond(emulator: Emulator, request: Any) -> AWSResponse:
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

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def __call__(self, request: Any, **_kwargs: Any) -> AWSResponse:
        return respond(self.emulator, request)

    def register(self, events: Any) -> None:
        """Answer this client's requests, ahead of (and instead of) any active ``mock_personalize``."""
        from .mock import MOCK_ID, _dispatch

        for event in EVENTS:
            events.unregister(event, _dispatch)
            events.unregister(event, unique_id=f"{MOCK_ID}-{event}")
            events.register_first(event, self, unique_id=f"personalize-emulator-{event}")
