"""The same provider calls against real AWS (off by default: ``pytest -m aws`` with credentials).

Needs AWS credentials and a region (boto3's usual configuration).  The full pipeline also needs
``PERSONALIZE_TEST_S3_URI`` (an interactions CSV like examples/quickstart/data/interactions.csv)
and ``PERSONALIZE_TEST_ROLE_ARN`` (a role Personalize may assume to read it).  Costs money.
"""

from __future__ import annotations

import os

import pytest

import pulumi_personalize as pp
from pulumi_personalize.quickstart import run_pipeline
from pulumi_personalize.testing import Deployment, ProviderServer, urn_for

pytestmark = [pytest.mark.aws, pytest.mark.slow]


@pytest.fixture(scope="module")
def server() -> ProviderServer:
    import boto3

    if boto3.session.Session().get_credentials() is None:
        pytest.skip("no AWS credentials")
    with ProviderServer(timeout=7200) as running:
        yield running  # type: ignore[misc]


def test_dataset_group_lifecycle_on_aws(server: ProviderServer) -> None:
    deploy = Deployment(server)
    outs = deploy.up(pp.DatasetGroupProvider(), "aws-check", {"target": "aws", "namePrefix": "pp-test"})
    assert outs["status"] == "ACTIVE"
    deploy.up(pp.DatasetGroupProvider(), "aws-check", {"target": "aws", "namePrefix": "pp-test",
                                                       "tags": [{"tagKey": "suite", "tagValue": "aws"}]})
    assert deploy.log[-1] == ("aws-check", "update")
    assert deploy.refresh("aws-check")["tags"] == [{"tagKey": "suite", "tagValue": "aws"}]  # type: ignore[index]
    deploy.destroy()


def test_check_rejects_what_aws_rejects(server: ProviderServer) -> None:
    checked = server.check(pp.DatasetImportJobProvider(), urn_for("DatasetImportJob", "j"), {}, {
        "target": "aws", "jobName": "j", "datasetArn": "arn:aws:personalize:us-east-1:1:dataset/x/INTERACTIONS",
        "dataSource": {"dataLocation": "file:///tmp/x.csv"}})
    assert checked.failures and "file:// locations work only with an emulator target" in checked.failures[0][1]


def test_full_pipeline_on_aws(server: ProviderServer) -> None:
    uri, role = os.environ.get("PERSONALIZE_TEST_S3_URI"), os.environ.get("PERSONALIZE_TEST_ROLE_ARN")
    if not uri or not role:
        pytest.skip("set PERSONALIZE_TEST_S3_URI and PERSONALIZE_TEST_ROLE_ARN")
    deploy = Deployment(server)
    try:
        outs = run_pipeline(deploy, target="aws", data_location=uri, extra={"quickstart-import": {"roleArn": role}})
        assert outs["campaign"]["status"] == "ACTIVE"
    finally:
        deploy.destroy()
