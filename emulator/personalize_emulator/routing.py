"""Which code answers a request: the one place a path prefix is dispatched.

Both HTTP front ends (:mod:`.http11` under uvicorn, :mod:`.asgi` for any ASGI server) call the
:data:`Responder` that :func:`router` builds.  Every path is the Personalize API's unless a prefix is
mounted (a read-only console, say): mounts are checked first, longest prefix first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .protocol import HttpResponse

__all__ = ["Responder", "router"]

#: ``(method, path with query, lower-case headers, body) -> response``; never raises.
Responder = Callable[[str, str, Mapping[str, str], bytes], HttpResponse]


def router(api: Responder, mounts: Mapping[str, Responder] | None = None) -> Responder:
    """``api`` (normally ``Emulator.handle``) for every path but those under a mounted prefix."""
    if not mounts:
        return api
    ordered = sorted(mounts.items(), key=lambda item: len(item[0]), reverse=True)

    def route(method: str, path: str, headers: Mapping[str, str], body: bytes) -> HttpResponse:
        for prefix, responder in ordered:
            if path.startswith(prefix):
                return responder(method, path, headers, body)
        return api(method, path, headers, body)

    return route
