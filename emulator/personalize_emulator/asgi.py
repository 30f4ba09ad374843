"""The ASGI face of the emulator: lifespan and requests for any ASGI server.

``serve`` runs uvicorn with the faster :mod:`.http11` protocol for requests; this application still
receives the lifespan (shutdown closes the emulator) and serves under any other ASGI server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .protocol import HttpResponse, too_large
from .routing import Responder

__all__ = ["EmulatorApp"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class EmulatorApp:
    """An ASGI application answering every request with a :data:`~.routing.Responder`.

    ``on_shutdown`` runs (on a worker thread) when the server's lifespan ends: closing the emulator.
    """

    def __init__(self, answer: Responder, *, max_body: int, on_shutdown: Callable[[], None]) -> None:
        self.answer = answer
        self.max_body = max_body
        self.on_shutdown = on_shutdown

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
            response = self.answer(scope["method"], path, headers, body)
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
            return too_large(int(declared), self.max_body)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return too_large(size, self.max_body)
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.on_shutdown)
                await send({"type": "lifespan.shutdown.complete"})
                return
