"""HTTP/1.1 for uvicorn, answering each request inline with one socket write.

Why not uvicorn's own ASGI protocol: it spends a task, a scope and four message dicts per request
and writes headers and body in two syscalls, while the emulator's own work for a Describe* or
GetRecommendations is only ~50-100 us.  Measured with ``bench/bench_server.py``'s load generator on
a busy 2-core VM, server CPU per request went from ~210 to ~160 us (DescribeSchema) and from ~280 to
~220 us (GetRecommendations).
"""

from __future__ import annotations

import asyncio
import http
import logging
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import httptools

from .protocol import HttpResponse, too_large
from .routing import Responder

__all__ = ["Binding", "EmulatorProtocol", "protocol_for"]

log = logging.getLogger("personalize_emulator.server")


@dataclass(frozen=True)
class Binding:
    """What a protocol class answers with, and the body cap it enforces."""

    answer: Responder
    max_body: int

_STATUS_LINES = {s.value: b"HTTP/1.1 %d %s\r\n" % (s.value, s.phrase.encode()) for s in http.HTTPStatus}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_INVALID = b"Invalid HTTP request received."
_INVALID_REPLY = (_STATUS_LINES[400] + b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                  b"connection: close\r\n\r\n%s" % (len(_INVALID), _INVALID))


class EmulatorProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive for a :data:`~.routing.Responder`, as a uvicorn ``http`` protocol class.

    Same wire behaviour as uvicorn's httptools protocol with :class:`~.asgi.EmulatorApp` (status line,
    ``content-length``, ``connection: close`` when the client does not keep alive, 100-continue,
    the early 413 for bodies over the cap, 400 text reply to unparsable requests, idle keep-alive
    timeout, flow control) but each request is answered inline when its last byte arrives and the
    whole response leaves in one write.  It honours uvicorn's protocol contract: constructed with
    ``config``/``server_state``/``app_state``, listed in ``server_state.connections``, and
    ``shutdown()`` closes it once no request is half received.  Subclasses bind :attr:`bound` (see
    :func:`protocol_for`).
    """

    bound: ClassVar[Binding]

    def __init__(self, config: Any, server_state: Any, app_state: Any = None,
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = _loop or asyncio.get_event_loop()
        self.server_state = server_state
        self.keep_alive_timeout = float(config.timeout_keep_alive)
        self.answer, self.max_body = self.bound.answer, self.bound.max_body
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.idle: asyncio.TimerHandle | None = None
        self.closing = False
        self.receiving = False  # a request's headers are in, its body is not complete yet
        self._reset()

    def _reset(self) -> None:
        self.url = b""
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []
        self.size = 0
        self.answered = False  # the early 413: the rest of the body is read and dropped

    # -- asyncio.Protocol -----------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass it
        self.server_state.connections.add(self)
        self._arm_idle()

    def connection_lost(self, exc: Exception | None) -> None:
        self.server_state.connections.discard(self)
        self._disarm_idle()
        self.closing = True

    def eof_received(self) -> None:
        pass

    def data_received(self, data: bytes) -> None:
        self._disarm_idle()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # no upgrades here: the request was answered as plain HTTP, as uvicorn does
        except httptools.HttpParserError:
            log.warning("Invalid HTTP request received.")
            self._write(_INVALID_REPLY)
            self._close()

    def pause_writing(self) -> None:
        if self.transport is not None:
            self.transport.pause_reading()  # a client that does not read its answers gets no more

    def resume_writing(self) -> None:
        if self.transport is not None and not self.closing:
            self.transport.resume_reading()

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown: close now, or right after the request being received."""
        if self.receiving:
            self.closing = True
        else:
            self._close()

    # -- httptools callbacks ----------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._reset()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.receiving = True  # from here on, shutdown waits for the request (as uvicorn does)
        declared = self.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            self._too_large(int(declared))
        elif self.headers.get("expect", "").lower() == "100-continue":
            self._write(_CONTINUE)

    def on_body(self, body: bytes) -> None:
        if self.answered:
            return
        self.size += len(body)
        if self.size > self.max_body:
            self.chunks.clear()
            self._too_large(self.size)
        else:
            self.chunks.append(body)

    def on_message_complete(self) -> None:
        self.receiving = False
        self.server_state.total_requests += 1
        if self.answered:
            self._after_response()
            return
        method = self.parser.get_method().decode("ascii")
        url = httptools.parse_url(self.url)
        path = url.path.decode("latin-1")
        if url.query:
            path += "?" + url.query.decode("latin-1")
        response = self.answer(method, path, self.headers, b"".join(self.chunks))
        self._respond(response, head=method == "HEAD")
        self._after_response()

    # -- responses ----------------------------------------------------------------------------------
    def _too_large(self, size: int) -> None:
        self.answered = True
        self._respond(too_large(size, self.max_body))

    def _respond(self, response: HttpResponse, *, head: bool = False) -> None:
        parts = [_STATUS_LINES.get(response.status) or b"HTTP/1.1 %d \r\n" % response.status,
                 b"content-length: %d\r\n" % len(response.body)]
        parts.extend(f"{name}: {value}\r\n".encode("latin-1") for name, value in response.headers.items())
        if not self._keep_alive():
            parts.append(b"connection: close\r\n")
        parts.append(b"\r\n")
        if not head:
            parts.append(response.body)
        self._write(b"".join(parts))

    def _after_response(self) -> None:
        if self._keep_alive():
            self._arm_idle()
        else:
            self._close()

    def _keep_alive(self) -> bool:
        # As uvicorn: HTTP/1.0 always closes; HTTP/1.1 closes on "Connection: close".
        return not self.closing and self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive()

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def _close(self) -> None:
        self.closing = True
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def _arm_idle(self) -> None:
        self._disarm_idle()
        if not self.closing:
            self.idle = self.loop.call_later(self.keep_alive_timeout, self._close)

    def _disarm_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
            self.idle = None


def protocol_for(answer: Responder, *, max_body: int) -> type[EmulatorProtocol]:
    """An :class:`EmulatorProtocol` class bound to ``answer`` (uvicorn instantiates it per connection)."""
    return type("BoundEmulatorProtocol", (EmulatorProtocol,), {"bound": Binding(answer, max_body)})
