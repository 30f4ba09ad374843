"""``personalize-emulator serve`` as users run it: the URL line, endpoints, regions, file roots, SIGTERM."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow


def test_sigterm_right_after_the_url_line_exits_0(tmp_path: Path, kit: SimpleNamespace) -> None:
    """Signals that arrive before uvicorn installs its handlers must still stop the server, cleanly."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        server = kit.start_server(tmp_path / "state", log=tmp_path / "serve.log")
        server.process.send_signal(sig)
        try:
            assert server.process.wait(timeout=20) == 0, (tmp_path / "serve.log").read_text()
        except subprocess.TimeoutExpired:
            server.process.kill()
            pytest.fail(f"{sig.name} sent right after the URL line was swallowed")


def test_endpoint_from_the_environment_and_region_from_the_signature(serve: Callable[..., Any],
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      kit: SimpleNamespace) -> None:
    server = serve()
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "whatever")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "whatever")
    ireland = kit.make_client("personalize", region_name="eu-west-1")
    arn = ireland.create_dataset_group(name="g")["datasetGroupArn"]
    assert arn == f"arn:aws:personalize:eu-west-1:{kit.ACCOUNT}:dataset-group/g"
    assert [g["name"] for g in ireland.list_dataset_groups()["datasetGroups"]] == ["g"]
    virginia = kit.make_client("personalize", region_name="us-east-1")
    assert virginia.list_dataset_groups()["datasetGroups"] == []
    virginia.create_dataset_group(name="g")  # names are unique per region
    server.stop()


RAW_CASES = [
    ({"X-Amz-Target": "AmazonPersonalize.Nope"}, b"{}", "/", "UnknownOperationException"),
    ({}, b"{}", "/", "UnknownOperationException"),
    ({"X-Amz-Target": "AmazonPersonalize.ListSchemas"}, b"{oops", "/", "SerializationException"),
    ({"X-Amz-Target": "AmazonPersonalize.CreateRecommender"}, b"{}", "/", "NotSupportedException"),
    ({}, b"{}", "/actions", "NotSupportedException"),
    ({"X-Amz-Target": "AmazonPersonalize.ListSchemas"}, b"{}", "/", None),
]


def test_raw_http_over_one_keep_alive_socket(serve: Callable[..., Any]) -> None:
    """What boto3 cannot send, sent by hand; errors are typed 400s and the connection stays usable."""
    server = serve()
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    for headers, body, path, code in RAW_CASES:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/x-amz-json-1.1", **headers})
        response = connection.getresponse()
        answer = json.loads(response.read())
        if code is None:
            assert (response.status, answer) == (200, {"schemas": []})
        else:
            assert (response.status, answer["__type"], response.getheader("x-amzn-errortype")) == (400, code, code)
    connection.close()


def test_file_imports_are_confined_to_allow_file_root(serve: Callable[..., Any], tmp_path: Path, make_csv: Any,
                                                     kit: SimpleNamespace) -> None:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    inside = make_csv("../allowed/in.csv")
    secret = make_csv("secret.csv")
    (allowed / "link.csv").symlink_to(secret)
    server = serve(None, allowed)
    pipeline = kit.Pipeline(server.clients())
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(inside.as_uri())["status"] == "ACTIVE"
    for location in (secret.as_uri(), f"file://{allowed}/../data/secret.csv", (allowed / "link.csv").as_uri()):
        job = pipeline.import_data(location)
        assert job["status"] == "CREATE FAILED"
        assert job["failureReason"].startswith(f"{location} is outside the directories this emulator may read")
    server.stop()

    closed = serve(tmp_path / "other-state")  # no --allow-file-root: file:// reads nothing
    pipeline = kit.Pipeline(closed.clients())
    pipeline.dataset_group()
    pipeline.dataset()
    job = pipeline.import_data(inside.as_uri())
    assert job["failureReason"].startswith(f"{inside.as_uri()} is outside the directories this emulator may read")
