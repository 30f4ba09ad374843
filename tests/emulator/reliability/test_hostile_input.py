"""Hostile input: every malformed request gets a typed 4xx and the server stays up.

Raw HTTP against a real ``serve`` process (what boto3 would never send), plus a hypothesis fuzz
over every operation's input shape from botocore's models, run in-process against
``Emulator.handle`` for speed: it must never answer a 5xx.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personalize_api.model import SERVICES, service_model
from personalize_emulator import Emulator

JSON = "application/x-amz-json-1.1"


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", "/", body=body, headers={"Content-Type": JSON, **headers})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def _target(operation: str) -> dict[str, str]:
    return {"X-Amz-Target": f"AmazonPersonalize.{operation}"}


CASES = [
    ("malformed JSON", b'{"name": ', _target("CreateSchema"), "SerializationException", "not valid JSON"),
    ("not UTF-8", b'{"name": "\xff\xfe"}', _target("CreateSchema"), "SerializationException", "UTF-8"),
    ("JSON array", b"[1, 2]", _target("ListSchemas"), "SerializationException", "JSON object"),
    ("deep nesting", b"[" * 200_000 + b"]" * 200_000, _target("ListSchemas"), "SerializationException", "deeply"),
    ("wrong types", b'{"name": 5, "schema": ["x"]}', _target("CreateSchema"), "InvalidInputException",
     "name: value must be a string"),
    ("missing members", b"{}", _target("CreateSchema"), "InvalidInputException", "name: is required"),
    ("unknown member", b'{"nam": "x", "schema": "{}"}', _target("CreateSchema"), "InvalidInputException",
     "did you mean 'name'"),
    ("unknown operation", b"{}", _target("LaunchRockets"), "UnknownOperationException", "LaunchRockets"),
    ("foreign target", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables"}, "UnknownOperationException",
     "AmazonPersonalize"),
    ("missing target", b"{}", {}, "UnknownOperationException", "Missing X-Amz-Target"),
    ("unsupported operation", b'{"name": "r", "datasetGroupArn": "arn:aws:personalize:us-east-1:1:x/y", '
     b'"recipeArn": "arn:aws:personalize:::recipe/aws-vod-top-picks"}', _target("CreateRecommender"),
     "NotSupportedException", "CreateRecommender"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import subprocess
    import sys

    data = tmp_path_factory.mktemp("hostile")
    process = subprocess.Popen(
        [sys.executable, "-m", "personalize_emulator.cli", "serve", "--port", "0", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    yield url
    process.terminate()
    assert process.wait(30) == 0


@pytest.mark.slow
@pytest.mark.parametrize(("case", "body", "headers", "code", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_requests_get_typed_400s(server: str, case: str, body: bytes, headers: dict[str, str], code: str,
                                     message: str) -> None:
    status, answer = _post(server, body, headers)
    assert status == 400, (case, answer)
    assert answer["__type"] == code
    assert message in answer["message"]
    assert _post(server, b"{}", _target("ListSchemas"))[0] == 200  # still up


@pytest.mark.slow
def test_huge_body_is_refused_with_413_before_it_is_read(server: str) -> None:
    parts = urlsplit(server)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonPersonalize.ListSchemas\r\n"
                     b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 104857600\r\n\r\n")
        sock.sendall(b"{" + b" " * 65536)
        reply = sock.recv(65536).decode("latin-1")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]
    assert "RequestEntityTooLargeException" in reply
    assert _post(server, b"{}", _target("ListSchemas"))[0] == 200


@pytest.mark.slow
def test_slow_clients_do_not_block_others(server: str) -> None:
    parts = urlsplit(server)
    stalled = []
    for _ in range(20):  # half-sent headers, and a body that never arrives
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Amz-Tar")
        stalled.append(sock)
    try:
        started = time.perf_counter()
        status, _ = _post(server, b"{}", _target("ListSchemas"))
        assert status == 200
        assert time.perf_counter() - started < 1.0
    finally:
        for sock in stalled:
            sock.close()


# -- fuzz over every operation's input shape ------------------------------------------------------
def _strategy(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    wrong = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
                      st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    kind = shape.type_name
    if depth > 4:
        return wrong
    if kind == "structure":
        members = {name: _strategy(member, depth + 1) for name, member in shape.members.items()}
        required = {name: _strategy(shape.members[name], depth + 1) for name in shape.required_members}
        optional = {name: s for name, s in members.items() if name not in required}
        right: st.SearchStrategy[Any] = st.one_of(
            st.fixed_dictionaries(required, optional=optional), st.fixed_dictionaries({}, optional=members)
        )
    elif kind == "list":
        right = st.lists(_strategy(shape.member, depth + 1), max_size=3)
    elif kind == "map":
        right = st.dictionaries(st.text(max_size=8), _strategy(shape.value, depth + 1), max_size=3)
    elif kind == "string":
        right = st.one_of(st.text(max_size=30), st.sampled_from(shape.enum or ["x"]),
                          st.just("arn:aws:personalize:us-east-1:123456789012:dataset-group/fuzz"))
    elif kind in ("integer", "long"):
        right = st.integers(-5, 600)
    elif kind in ("double", "float"):
        right = st.floats(allow_nan=True, allow_infinity=True)
    elif kind == "boolean":
        right = st.booleans()
    else:
        right = st.floats(0, 2e9)
    return st.one_of(right, wrong) if depth else right


def _operations() -> list[tuple[str, str]]:
    return [(s, o) for s in SERVICES for o in service_model(s).operation_names]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(lifecycle="instant") as instance:
        yield instance


@pytest.mark.parametrize(("service", "operation"), _operations(), ids=str)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_requests_never_answer_5xx(emulator: Emulator, service: str, operation: str, data: Any) -> None:
    model = service_model(service).operation_model(operation)
    params = data.draw(_strategy(model.input_shape))
    body = json.dumps(params, allow_nan=True).encode()
    if service == "personalize":
        answer = emulator.handle("POST", "/", {"x-amz-target": f"AmazonPersonalize.{operation}"}, body)
    else:
        answer = emulator.handle(model.http["method"], model.http["requestUri"], {}, body)
    assert answer.status < 500, (operation, params, answer.body[:300])
    if answer.status >= 400:
        error = json.loads(answer.body)
        assert error["__type"] and error["message"]
