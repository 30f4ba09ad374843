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


# -- one credentials rule (issue 9.9) --------------------------------------------------------------
@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:4666", "http://localhost:4666/", "http://[::1]:4666",
                                      "http://127.10.0.3:80"])
def test_a_loopback_endpoint_from_the_environment_gets_dummy_credentials(
    monkeypatch: pytest.MonkeyPatch, endpoint: str
) -> None:
    """``AWS_ENDPOINT_URL_PERSONALIZE`` on this machine is an emulator: the user's keys never sign its
    requests, and a machine without any credentials still works."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    client = make_client("personalize", {"region": "us-east-1"})
    assert client._request_signer._credentials.access_key == "emulator"
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    assert make_client("personalize", {"region": "us-east-1"})._request_signer._credentials is not None


@pytest.mark.parametrize("endpoint", ["https://vpce-1234.personalize.us-east-1.vpce.amazonaws.com",
                                      "http://10.0.0.5:8080", "http://proxy.internal:3128"])
def test_any_other_endpoint_uses_the_normal_credential_chain(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    client = make_client("personalize", {"region": "us-east-1"})
    assert client._request_signer._credentials.access_key == "AKIAREALKEY"


def test_file_locations_pass_check_with_a_loopback_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    props = {"jobName": "j", "datasetArn": "arn:aws:personalize:us-east-1:123456789012:dataset/g/INTERACTIONS",
             "dataSource": {"dataLocation": "file:///data/interactions.csv"}}
    monkeypatch.delenv("AWS_ENDPOINT_URL_PERSONALIZE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert pp.DatasetImportJobProvider().check({}, props).failures  # AWS: s3:// only
    monkeypatch.setenv("AWS_ENDPOINT_URL_PERSONALIZE", "http://127.0.0.1:4666")
    assert pp.DatasetImportJobProvider().check({}, props).failures == []
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")  # boto3 then ignores the variable
    assert pp.DatasetImportJobProvider().check({}, props).failures


# -- equivalent targets (issue 9.8) ----------------------------------------------------------------
@pytest.mark.parametrize(("old", "new"), [
    ("http://127.0.0.1:4666", "http://127.0.0.1:4666/"), ("HTTP://LOCALHOST:4666", "http://localhost:4666"),
    ("embedded", "embedded:.personalize"), ("embedded", "embedded:./.personalize/"),
    ("embedded:/srv/state", "embedded:/srv/./state/"), (None, "aws"),
])
def test_equivalent_target_spellings_are_no_change(old: str | None, new: str) -> None:
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    before = {"name": "g", "datasetGroupArn": arn, "region": "us-east-1", **({"target": old} if old else {})}
    result = pp.DatasetGroupProvider().diff(arn, before, {"name": "g", "target": new, "region": "us-east-1"})
    assert (result.changes, result.replaces) == (False, [])


def test_another_target_still_replaces() -> None:
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    before = {"name": "g", "datasetGroupArn": arn, "target": "http://127.0.0.1:4666"}
    result = pp.DatasetGroupProvider().diff(arn, before, {"name": "g", "target": "http://127.0.0.1:4667"})
    assert result.replaces == ["target"]


# -- region drift (issue 9.15) ---------------------------------------------------------------------
def test_a_resource_without_region_is_tied_to_its_arns_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """Created while AWS_REGION was us-east-1; now it says eu-west-1: the plan moves the resource
    (created first: nothing collides across regions), and refresh/delete still reach it."""
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    provider = pp.DatasetGroupProvider()
    assert not provider.diff(arn, {"name": "g", "datasetGroupArn": arn}, {"name": "g"}).changes
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    result = provider.diff(arn, {"name": "g", "datasetGroupArn": arn}, {"name": "g"})
    assert (result.changes, result.replaces, result.delete_before_replace) == (True, ["region"], False)
    assert make_client("personalize", {}, arn).meta.region_name == "us-east-1"
    assert make_client("personalize", {}).meta.region_name == "eu-west-1"
