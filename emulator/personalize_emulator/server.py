"""The HTTP server: one port for the control plane, runtime and events, on uvicorn (httptools).

Why uvicorn + httptools: a maintained, C-accelerated HTTP/1.1 parser with keep-alive, slow-client
tolerance (an asyncio loop never blocks on one socket) and graceful SIGTERM handling, measured in
``bench/bench_server.py`` against moto's threaded werkzeug server.  Requests are answered inline on
the event loop: every operation is a few SQLite statements or a model lookup, and anything slow
(imports, training) runs on the emulator's worker threads.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .emulator import Emulator
from .errors import RequestTooLargeException
from .protocol import HttpResponse, encode_error

__all__ = ["EmulatorApp", "is_loopback", "serve"]

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
            response = self.emulator.handle(scope["method"], path, headers, body)
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


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(emulator: Emulator, *, host: str = "127.0.0.1", port: int = 0,
          announce: Callable[[str], None] | None = None) -> None:
    """Serve until SIGINT/SIGTERM; ``announce`` gets the URL once the socket listens."""
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
    config = uvicorn.Config(
        EmulatorApp(emulator), http="httptools", loop=_loop(), lifespan="on", log_level="warning",
        access_log=False, timeout_keep_alive=30, timeout_graceful_shutdown=10, server_header=False,
        date_header=False, proxy_headers=False,  # nothing reads the client address: skip that middleware
    )
    server = uvicorn.Server(config)
    try:
        with _stop_on_signals(server):
            if announce is not None:
                announce(f"http://{shown}:{bound}")
            server.run(sockets=[sock])
    finally:
        sock.close()
        emulator.close()


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

