"""Routing of ``/_console/...`` requests: pages, the progress feed and the static files.

Why a separate entry point (:func:`route`): the server hands every request to it and it forwards
anything outside :data:`PREFIX` to :meth:`Emulator.handle` untouched, so the API's hot path pays one
``startswith`` and the server module needs only a one-line hook.  Only GET and HEAD are answered:
the console is read-only (its "try it" box calls the runtime API like any client).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from ..errors import PersonalizeError
from ..protocol import HttpResponse
from ._html import PREFIX, Html, esc, page
from .pages import campaign_page, group_page, index_page, progress_json, version_page

if TYPE_CHECKING:
    from ..emulator import Emulator

__all__ = ["PREFIX", "answer", "is_console", "route"]

log = logging.getLogger(__name__)

_HTML = "text/html; charset=utf-8"
_STATIC = {"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"}
#: page name -> renderer of that page for the ``arn`` query parameter
_PAGES: dict[str, Callable[[Emulator, str], Html]] = {
    "group": group_page, "version": version_page, "campaign": campaign_page,
}


def is_console(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/") or path.startswith(PREFIX + "?")


def route(emulator: Emulator, method: str, path: str, headers: Mapping[str, str], body: bytes) -> HttpResponse:
    """The console's answer for its paths, the emulator's API for everything else."""
    if is_console(path):
        return answer(emulator, method, path)
    return emulator.handle(method, path, headers, body)


@lru_cache(maxsize=len(_STATIC))
def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def _reply(status: int, content_type: str, body: bytes) -> HttpResponse:
    # no-store: a console that shows live state must never be served from a cache
    return HttpResponse(status, {"content-type": content_type, "cache-control": "no-store",
                                 "x-content-type-options": "nosniff"}, body)


def _error_page(status: int, code: str, message: str) -> HttpResponse:
    body = page(code, Html(f'<p class="failure">{esc(message)}</p>'))
    return _reply(status, _HTML, body.encode())


def answer(emulator: Emulator, method: str, path: str) -> HttpResponse:
    """One console request (never raises: failures become error pages)."""
    if method not in ("GET", "HEAD"):
        return _error_page(405, "MethodNotAllowed", "The console is read-only: only GET and HEAD are answered.")
    parts = urlsplit(path)
    name = parts.path[len(PREFIX):].strip("/")
    arn = parse_qs(parts.query).get("arn", [""])[0]
    try:
        if name == "":
            return _reply(200, _HTML, index_page(emulator).encode())
        if name in _PAGES:
            return _reply(200, _HTML, _PAGES[name](emulator, arn).encode())
        if name == "progress":
            return _reply(200, "application/json", progress_json(emulator, arn))
        if name.startswith("static/") and name[len("static/"):] in _STATIC:
            file = name[len("static/"):]
            return _reply(200, _STATIC[file], _static(file))
    except PersonalizeError as error:
        return _error_page(404 if error.code == "ResourceNotFoundException" else 400, error.code, error.message)
    except Exception as exc:
        log.exception("console failed on %s", path)
        return _error_page(500, "InternalFailure", f"The console failed on this page: {exc}")
    return _error_page(404, "NotFound", f"The console has no page {parts.path}.")
