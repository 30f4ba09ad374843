"""Targets and clients: AWS (boto3's own configuration applies), an emulator URL, the embedded
emulator; credentials never reach props, outputs, the pickled provider or logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from pulumi.dynamic.dynamic import serialize_provider

import pulumi_personalize as pp
from pulumi_personalize._aws import make_client
from pulumi_personalize._target import Target, parse_target

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRETKEY"


@pytest.mark.parametrize(("value", "expected"), [
    (None, Target("aws")), ("aws", Target("aws")), ("embedded", Target("embedded")),
    ("embedded:/var/x", Target("embedded", "/var/x")), ("http://127.0.0.1:4666/", Target("url", "http://127.0.0.1:4666")),
    ("https://emulator.example.com", Target("url", "https://emulator.example.com")),
])
def test_target_syntax(value: str | None, expected: Target) -> None:
    assert parse_target(value) == expected


@pytest.mark.parametrize("value", ["local", "embedded:", "ftp://x", 3, "http//x"])
def test_bad_targets_are_rejected(value: object) -> None:
    with pytest.raises(ValueError, match=r"must be 'aws', 'embedded'|must be a string"):
        parse_target(value)


def test_aws_target_uses_boto3_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", "http://localhost:9999")
    monkeypatch.delenv("AWS_REGION", raising=False)
    client = make_client("personalize", {})
    assert client.meta.region_name == "eu-west-1"
    assert client.meta.endpoint_url == "http://localhost:9999"
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert make_client("personalize", {}).meta.region_name == "ap-south-1"
    assert make_client("personalize", {"region": "us-west-2"}).meta.region_name == "us-west-2"


def test_url_target_uses_dummy_credentials_not_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    client = make_client("personalize", {"target": "http://127.0.0.1:4666"})
    assert client.meta.endpoint_url == "http://127.0.0.1:4666"
    assert client.meta.region_name == "us-east-1"
    assert client._request_signer._credentials.secret_key != SECRET


def test_embedded_target_routes_the_client_in_process(tmp_path: Path) -> None:
    client = make_client("personalize", {"target": f"embedded:{tmp_path}"})
    assert client.list_dataset_groups()["datasetGroups"] == []
    assert (tmp_path / "state.sqlite3").exists()


def test_credentials_never_enter_props_outputs_pickles_or_logs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    provider = pp.DatasetGroupProvider()
    created = provider.create({"name": "g", "target": f"embedded:{tmp_path}"})
    read = provider.read(created.id, created.outs or {})
    blobs = [json.dumps(created.outs), json.dumps(read.outs), json.dumps(read.inputs),
             *(serialize_provider(p()) for p in pp.PROVIDERS.values()), caplog.text]
    assert not any(SECRET in blob or "AKIAREALKEY" in blob for blob in blobs)
    assert vars(provider) == {}


def test_providers_are_tiny_and_pickled_by_reference() -> None:
    import base64

    import dill

    for name, cls in pp.PROVIDERS.items():
        text = serialize_provider(cls())
        assert len(text) <= 200, (name, len(text))
        raw = base64.b64decode(text)
        # a reference to the public name: module "pulumi_personalize", then the class name
        assert raw.index(b"pulumi_personalize") < raw.index(cls.__name__.encode()), raw
        assert type(dill.loads(base64.b64decode(text))) is cls
        assert cls.serialize_as_secret_always is False
