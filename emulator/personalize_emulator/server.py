"""The HTTP server: one port for the control plane, runtime and events, on uvicorn (httptools).

Why uvicorn + httptools: a maintained, C-accelerated HTTP/1.1 parser with keep-alive, slow-client
tolerance (an asyncio loop never blocks on one socket) and graceful SIGTERM handling, measured in
``bench/bench_server.py`` against moto's threaded werkzeug server.  Requests are answered inline on
the event loop: every operation is a few SQLite statements or a model lookup, and anything slow
(imports, training) runs on the emulator's worker threads.

uvicorn owns the listening socket, the signals, graceful shutdown and the lifespan; the per-connection
protocol is :class:`~.http11.EmulatorProtocol`, which answers each request synchronously with one
socket write; :class:`~.asgi.EmulatorApp` remains the ASGI face (lifespan, any ASGI server).  Both
answer through the :func:`~.routing.router` built in :func:`serve`: mount a path prefix there.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from .asgi import EmulatorApp
from .console import PREFIX as CONSOLE
from .console import route as console_route
from .emulator import Emulator
from .http11 import EmulatorProtocol, protocol_for
from .routing import router

__all__ = ["EmulatorApp", "EmulatorProtocol", "is_loopback", "protocol_for", "serve"]

log = logging.getLogger(__name__)


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
    # /_console/ pages (read-only); console.route hands anything not exactly under it to the API.
    answer = router(emulator.handle, mounts={
        CONSOLE: lambda method, path, headers, body: console_route(emulator, method, path, headers, body)})
    max_body = emulator.settings.max_body_bytes
    config = uvicorn.Config(
        EmulatorApp(answer, max_body=max_body, on_shutdown=emulator.close),
        http=protocol_for(answer, max_body=max_body), loop=_loop(), lifespan="on", log_level="warning",
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

