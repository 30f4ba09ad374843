"""The console on a real ``serve`` port, over plain HTTP: the server's hook, beside the API."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow


def _request(url: str, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_serve_answers_the_console_beside_the_api(serve: Callable[..., Any]) -> None:
    server = serve()
    status, headers, body = _request(server.url, "GET", "/_console/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"No dataset group yet" in body
    status, headers, body = _request(server.url, "GET", "/_console/static/console.css")
    assert status == 200 and headers["content-type"].startswith("text/css") and body
    status, headers, body = _request(server.url, "HEAD", "/_console/")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    assert _request(server.url, "POST", "/_console/")[0] == 405
    # the API is untouched: same port, same answers
    assert server.clients().personalize.list_recipes()["recipes"]
