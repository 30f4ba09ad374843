"""moto's own Personalize tests (``tests/test_personalize/test_personalize_schema.py``), run here.

moto implements four schema calls; its tests are a third party's idea of how Personalize answers,
written without this emulator in mind.  Each test below makes the same calls and the same
assertions as moto's test of the same name, under ``mock_personalize()`` (alone, and inside moto's
``mock_aws()`` as moto's current tests run).  One change: moto's tests send ``"sth"`` (or
``json.dumps("sth")``) as the schema, which AWS refuses (the schema must be Avro), so a valid
Interactions schema is sent instead, and compared where moto compares ``"sth"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack

import boto3
import pytest
from botocore.exceptions import ClientError

from personalize_emulator import mock_personalize

DEFAULT_ACCOUNT_ID = "123456789012"  # moto.core.DEFAULT_ACCOUNT_ID, the emulator's default account too
SCHEMA = json.dumps({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}],
    "version": "1.0",
})


@pytest.fixture(autouse=True, params=["alone", "inside-mock_aws"])
def mocked(request: pytest.FixtureRequest) -> Iterator[None]:
    with ExitStack() as stack:
        if request.param == "inside-mock_aws":
            from moto import mock_aws

            stack.enter_context(mock_aws())
        stack.enter_context(mock_personalize(instant=True))
        yield


def test_create_schema() -> None:
    client = boto3.client("personalize", region_name="ap-southeast-1")
    create_schema_response = client.create_schema(name="personalize-demo-schema", schema=SCHEMA)
    assert create_schema_response["schemaArn"] == (
        f"arn:aws:personalize:ap-southeast-1:{DEFAULT_ACCOUNT_ID}:schema/personalize-demo-schema"
    )


def test_delete_schema() -> None:
    client = boto3.client("personalize", region_name="us-east-1")
    schema_arn = client.create_schema(name="myname", schema=SCHEMA)["schemaArn"]
    client.delete_schema(schemaArn=schema_arn)
    assert client.list_schemas()["schemas"] == []


def test_delete_schema__unknown() -> None:
    arn = f"arn:aws:personalize:ap-southeast-1:{DEFAULT_ACCOUNT_ID}:schema/personalize-demo-schema"
    client = boto3.client("personalize", region_name="us-east-2")
    with pytest.raises(ClientError) as exc:
        client.delete_schema(schemaArn=arn)
    err = exc.value.response["Error"]
    assert err["Code"] == "ResourceNotFoundException"
    assert err["Message"] == f"Resource Arn {arn} does not exist."


def test_describe_schema() -> None:
    client = boto3.client("personalize", region_name="us-east-2")
    schema_arn = client.create_schema(name="myname", schema=SCHEMA)["schemaArn"]
    resp = client.describe_schema(schemaArn=schema_arn)
    assert "schema" in resp
    schema = resp["schema"]
    assert schema["name"] == "myname"
    assert re.search("schema/myname", schema["schemaArn"])
    assert schema["schema"] == SCHEMA
    assert "creationDateTime" in schema
    assert "lastUpdatedDateTime" in schema


def test_describe_schema__with_domain() -> None:
    client = boto3.client("personalize", region_name="us-east-2")
    schema_arn = client.create_schema(name="myname", schema=SCHEMA, domain="ECOMMERCE")["schemaArn"]
    resp = client.describe_schema(schemaArn=schema_arn)
    assert "schema" in resp
    schema = resp["schema"]
    assert schema["domain"] == "ECOMMERCE"


def test_describe_schema__unknown() -> None:
    arn = "arn:aws:personalize:ap-southeast-1:486285699788:schema/personalize-demo-schema"
    client = boto3.client("personalize", region_name="us-east-2")
    with pytest.raises(ClientError) as exc:
        client.describe_schema(schemaArn=arn)
    err = exc.value.response["Error"]
    assert err["Code"] == "ResourceNotFoundException"
    assert err["Message"] == f"Resource Arn {arn} does not exist."


def test_list_schemas__initial() -> None:
    client = boto3.client("personalize", region_name="us-east-2")
    resp = client.list_schemas()
    assert resp["schemas"] == []


def test_list_schema() -> None:
    client = boto3.client("personalize", region_name="us-east-2")
    schema_arn = client.create_schema(name="myname", schema=SCHEMA)["schemaArn"]
    resp = client.list_schemas()
    assert len(resp["schemas"]) == 1
    schema = resp["schemas"][0]
    assert schema["name"] == "myname"
    assert schema["schemaArn"] == schema_arn
    assert "schema" not in schema
    assert "creationDateTime" in schema
    assert "lastUpdatedDateTime" in schema
