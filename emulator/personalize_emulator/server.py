"""The HTTP server: one port for the control plane, runtime and events, on uvicorn (httptools).

Why uvicorn + httptools: a maintained, C-accelerated HTTP/1.1 parser with keep-alive, slow-client
tolerance (an asyncio loop never blocks on one socket) and graceful SIGTERM handling, measured in
``bench/bench_server.py`` against moto's threaded werkzeug server.  Requests are answered inline on
the event loop: every operation is a few SQLite statements or a model lookup, and anything slow
(imports, training) runs on the emulator's worker threads.

uvicorn owns the listening socket, the signals, graceful shutdown and the lifespan; the per-connection
protocol is :class:`EmulatorProtocol`, which answers each request synchronously with one socket
write.  Why not uvicorn's own ASGI protocol: it spends a task, a scope and four message dicts per
request and writes headers and body in two syscalls, while the emulator's own work for a Describe*
or GetRecommendations is only ~50-100 us.  Measured with ``bench/bench_server.py``'s load generator on
a busy 2-core VM, server CPU per request went from ~210 to ~160 us (DescribeSchema) and from ~280 to
~220 us (GetRecommendations).  :class:`EmulatorApp` remains the ASGI face (lifespan, any ASGI server).
"""

from __future__ import annotations

import asyncio
import http
import ipaddress
import logging
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from types import FrameType
from typing import Any, ClassVar, cast

import httptools

from .console import route  # /_console/ pages; every other path goes on to Emulator.handle
from .emulator import Emulator
from .errors import RequestTooLargeException
from .protocol import HttpResponse, encode_error

__all__ = ["EmulatorApp", "EmulatorProtocol", "is_loopback", "protocol_for", "serve"]

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class EmulatorApp:
    """An ASGI application answering every request with :meth:`Emulator.handle`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.max_body = emulator.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        # ASGI servers lower-case header names already (the spec requires it).
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body = await self._body(headers, receive)
        if isinstance(body, HttpResponse):
            response = body
        else:
            path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
            if scope.get("query_string"):
                path += "?" + scope["query_string"].decode("latin-1")
            response = route(self.emulator, scope["method"], path, headers, body)
        # An explicit content-length (as AWS sends) spares chunked framing on both ends.
        await send({
            "type": "http.response.start",
            "status": response.status,
            "headers": [(b"content-length", b"%d" % len(response.body)),
                        *((k.encode(), v.encode()) for k, v in response.headers.items())],
        })
        await send({"type": "http.response.body", "body": response.body})

    async def _body(self, headers: dict[str, str], receive: Receive) -> bytes | HttpResponse:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return self._too_large(int(declared))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return self._too_large(size)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    def _too_large(self, size: int) -> HttpResponse:
        return encode_error("personalize", RequestTooLargeException(
            f"The request body ({size} bytes) exceeds the emulator's limit of {self.max_body} bytes."
        ))

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.emulator.close)
                await send({"type": "lifespan.shutdown.complete"})
                return


_STATUS_LINES = {s.value: b"HTTP/1.1 %d %s\r\n" % (s.value, s.phrase.encode()) for s in http.HTTPStatus}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_INVALID = b"Invalid HTTP request received."
_INVALID_REPLY = (_STATUS_LINES[400] + b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
                  b"connection: close\r\n\r\n%s" % (len(_INVALID), _INVALID))


class EmulatorProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive for :meth:`Emulator.handle`, as a uvicorn ``http`` protocol class.

    Same wire behaviour as uvicorn's httptools protocol with :class:`EmulatorApp` (status line,
    ``content-length``, ``connection: close`` when the client does not keep alive, 100-continue,
    the early 413 for bodies over the cap, 400 text reply to unparsable requests, idle keep-alive
    timeout, flow control) but each request is answered inline when its last byte arrives and the
    whole response leaves in one write.  It honours uvicorn's protocol contract: constructed with
    ``config``/``server_state``/``app_state``, listed in ``server_state.connections``, and
    ``shutdown()`` closes it once no request is half received.  Subclasses bind :attr:`emulator`
    (see :func:`protocol_for`).
    """

    emulator: ClassVar[Emulator]

    def __init__(self, config: Any, server_state: Any, app_state: Any = None,
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.loop = _loop or asyncio.get_event_loop()
        self.server_state = server_state
        self.keep_alive_timeout = float(config.timeout_keep_alive)
        self.max_body = self.emulator.settings.max_body_bytes
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
        response = route(self.emulator, method, path, self.headers, b"".join(self.chunks))
        self._respond(response, head=method == "HEAD")
        self._after_response()

    # -- responses ----------------------------------------------------------------------------------
    def _too_large(self, size: int) -> None:
        self.answered = True
        self._respond(encode_error("personalize", RequestTooLargeException(
            f"The request body ({size} bytes) exceeds the emulator's limit of {self.max_body} bytes."
        )))

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


def protocol_for(emulator: Emulator) -> type[EmulatorProtocol]:
    """An :class:`EmulatorProtocol` class bound to ``emulator`` (uvicorn instantiates it per connection)."""
    return type("BoundEmulatorProtocol", (EmulatorProtocol,), {"emulator": emulator})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(emulator: Emulator, *, host: str = "127.0.0.1", port: int = 0,
          announce: Callable[[str], None] | None = None) -> None:
    """Serve until SIGINT/SIGTERM; ``announce`` gets the URL once the server is ready to answer.

    Ready means warm: :meth:`Emulator.warm` has already paid for what the first request would load
    lazily, and uvicorn's loop is running, so the first request is answered as fast as the
    thousandth (it used to take 400-600 ms, enough to trip clients' and tests' timeouts).
    """
    import uvicorn

    if not is_loopback(host):
        log.warning("listening on %s: the emulator accepts any credentials, so anyone who can reach this "
                    "address can use it. Bind 127.0.0.1 unless you mean it.", host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    emulator.warm()
    config = uvicorn.Config(
        EmulatorApp(emulator), http=protocol_for(emulator), loop=_loop(), lifespan="on", log_level="warning",
        access_log=False, timeout_keep_alive=30, timeout_graceful_shutdown=10, server_header=False,
        date_header=False, proxy_headers=False,  # nothing reads the client address: skip that middleware
    )
    server = _announcing_server(uvicorn.Server)(config, f"http://{shown}:{bound}", announce)
    try:
        with _stop_on_signals(server):
            server.run(sockets=[sock])
    finally:
        sock.close()
        emulator.close()


def _announcing_server(base: type[Any]) -> type[Any]:
    """uvicorn's Server that announces the URL once it serves the socket (after its startup)."""

    class AnnouncingServer(base):  # type: ignore[misc, valid-type]
        def __init__(self, config: Any, url: str, announce: Callable[[str], None] | None) -> None:
            super().__init__(config)
            self._url = url
            self._announce = announce

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started and self._announce is not None:
                self._announce(self._url)

    return AnnouncingServer


@contextmanager
def _stop_on_signals(server: Any) -> Iterator[None]:
    """SIGTERM/SIGINT stop ``server`` gracefully and ``serve`` returns normally (exit status 0).

    uvicorn handles the signals while it runs, then re-raises the one it shut down on under the
    handlers it found: with Python's defaults that kills the drained process (status -15) or raises
    KeyboardInterrupt.  The handlers installed here only ask the server to exit, which makes the
    re-raise harmless and also stops a server signalled after the URL is announced but before
    uvicorn installs its own handlers (a no-op handler would swallow that signal and never exit).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _loop() -> str:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop" if sys.platform != "win32" else "asyncio"

