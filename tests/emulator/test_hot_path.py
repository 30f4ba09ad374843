"""The request hot path: ``Store.memo`` never serves stale state, and ``EmulatorProtocol`` speaks HTTP/1.1.

Both exist for speed (see ``bench/bench_server.py``); these tests pin what speed must not cost.
"""

from __future__ import annotations

import datetime
import socket
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from personalize_emulator import Emulator
from personalize_emulator.service import Context, runtime
from personalize_emulator.store import Store


# -- Store.memo -----------------------------------------------------------------------------------------
def _touch(conn: sqlite3.Connection, name: str) -> None:
    conn.execute("INSERT OR REPLACE INTO tags VALUES ('arn:x', ?, 'v')", (name,))


def test_memo_remembers_until_anything_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert store.memo("k", compute) == 1
    assert store.memo("k", compute) == 1  # nothing changed: remembered
    with store.write() as conn:  # a write on this thread's own connection
        _touch(conn, "a")
    assert store.memo("k", compute) == 2

    def other_thread() -> None:
        with store.write() as conn:
            _touch(conn, "b")

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert store.memo("k", compute) == 3  # another connection of this process committed

    outsider = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
    _touch(outsider, "c")  # as another process would
    outsider.close()
    assert store.memo("k", compute) == 4
    assert store.memo("k", compute) == 4
    store.close()


def test_memo_does_not_remember_errors(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    attempts: list[int] = []

    def failing() -> int:
        attempts.append(1)
        raise LookupError("not yet")

    for _ in range(2):
        with pytest.raises(LookupError):
            store.memo("k", failing)
    assert len(attempts) == 2
    store.close()


@pytest.fixture
def popular(pipeline: Any, make_csv: Any) -> Any:
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(make_csv(users=40, per_user=30, items=80).as_uri())
    pipeline.solution()
    pipeline.version()
    pipeline.campaign()
    return pipeline


def test_events_recorded_after_a_cached_lookup_are_seen(popular: Any, mocked: Emulator) -> None:
    aws, campaign = popular.aws, popular.arns["campaign"]
    aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")  # resolves and remembers the campaign
    context = Context(mocked, mocked.settings.account_id, mocked.settings.default_region)
    params = {"campaignArn": campaign}
    assert runtime._recent(context, runtime._campaign_version(context, params), "u1") == []
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=popular.arns["dataset_group"])
    now = datetime.datetime.now(tz=datetime.UTC)
    aws.events.put_events(trackingId=tracker["trackingId"], userId="u1", sessionId="s", eventList=[
        {"eventType": "click", "itemId": "fresh", "sentAt": now}])
    assert runtime._recent(context, runtime._campaign_version(context, params), "u1") == ["fresh"]
    assert runtime._recent(context, runtime._campaign_version(context, params), "u2") == []


def test_a_deleted_campaign_is_not_served_from_memory(popular: Any) -> None:
    aws, campaign = popular.aws, popular.arns["campaign"]
    assert aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")["itemList"]
    aws.personalize.delete_campaign(campaignArn=campaign)
    with pytest.raises(aws.runtime.exceptions.ResourceNotFoundException):
        aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")


# -- EmulatorProtocol over a real socket ------------------------------------------------------------------
LIST = (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonPersonalize.ListSchemas\r\n"
        b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}")


def _read_all(sock: socket.socket, expect_close: bool) -> bytes:
    """Everything the server sends: until it closes, or until it has been quiet for a moment."""
    sock.settimeout(5 if expect_close else 0.5)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        assert not expect_close, f"the server kept the connection open: {data!r}"
    return data


@pytest.fixture
def connect(serve: Callable[..., Any]) -> Callable[[], socket.socket]:
    url = urlsplit(serve().url)
    return lambda: socket.create_connection((url.hostname, url.port), timeout=10)


@pytest.mark.slow
def test_pipelined_requests_are_answered_in_order_with_content_length(connect: Any) -> None:
    with connect() as sock:
        sock.sendall(LIST + LIST.replace(b"ListSchemas", b"NoSuchThing") + LIST)
        replies = _read_all(sock, expect_close=False).split(b"HTTP/1.1 ")[1:]
    assert [r.split(b"\r\n", 1)[0] for r in replies] == [b"200 OK", b"400 Bad Request", b"200 OK"]
    for reply in replies:
        head, body = reply.split(b"\r\n\r\n", 1)
        assert b"transfer-encoding" not in head.lower()
        assert f"content-length: {len(body)}".encode() in head.lower()


@pytest.mark.slow
@pytest.mark.parametrize("request_bytes", [
    LIST.replace(b"HTTP/1.1", b"HTTP/1.0"),
    LIST.replace(b"Host: x\r\n", b"Host: x\r\nConnection: close\r\n"),
], ids=["http-1.0", "connection-close"])
def test_the_connection_ends_when_the_client_asks(connect: Any, request_bytes: bytes) -> None:
    with connect() as sock:
        sock.sendall(request_bytes)
        reply = _read_all(sock, expect_close=True)
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nconnection: close\r\n" in reply


@pytest.mark.slow
def test_expect_100_continue_and_unparsable_requests(connect: Any) -> None:
    head, body = LIST.split(b"\r\n\r\n")
    with connect() as sock:
        sock.sendall(head + b"\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        assert _read_all(sock, expect_close=False).startswith(b"HTTP/1.1 200 OK\r\n")
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        reply = _read_all(sock, expect_close=True)
    assert reply.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert reply.endswith(b"Invalid HTTP request received.")
