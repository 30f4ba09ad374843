"""The whole pipeline driven over gRPC exactly as the engine drives it (``python -m pulumi.dynamic``):
preview with unknowns, create, no-op re-run, in-place update, replace, refresh/drift, import, delete;
against a ``personalize-emulator serve`` process and against the embedded target."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_personalize import (
    BatchInferenceJobProvider,
    CampaignProvider,
    DatasetGroupProvider,
    DatasetProvider,
    SolutionProvider,
)
from pulumi_personalize.quickstart import recommend, run_pipeline, write_interactions
from pulumi_personalize.testing import UNKNOWN, Deployment, ProviderServer, urn_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def emulator_url(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[str]:
    """``personalize-emulator serve`` on a free port; its URL is the first stdout line."""
    state = tmp_path_factory.mktemp("served")
    process = subprocess.Popen(
        [sys.executable, "-m", "personalize_emulator.cli", "serve", "--host", "127.0.0.1", "--port", "0",
         "--data-dir", str(state), "--allow-file-root", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    assert process.stdout is not None
    url = process.stdout.readline().decode().strip()
    threading.Thread(target=lambda: process.stdout and process.stdout.read(), daemon=True).start()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module", params=["serve", "embedded"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "serve":
        return str(request.getfixturevalue("emulator_url"))
    return f"embedded:{tmp_path_factory.mktemp('embedded')}"


@pytest.fixture(scope="module")
def csv_uri(data_dir: Path) -> str:
    return write_interactions(data_dir / "interactions.csv").as_uri()


def test_preview_with_unknowns(provider_server: ProviderServer, target: str) -> None:
    """A first preview: ARNs of resources not created yet are unknown; nothing fails, nothing crashes."""
    checked = provider_server.check(DatasetProvider(), urn_for("Dataset", "ds"), {}, {
        "target": target, "namePrefix": "ds", "datasetGroupArn": UNKNOWN, "schemaArn": UNKNOWN,
        "datasetType": "Interactions"})
    assert checked.failures == []
    assert checked.inputs["datasetGroupArn"] == UNKNOWN and checked.inputs["name"].startswith("ds-")
    bad = provider_server.check(SolutionProvider(), urn_for("Solution", "s"), {}, {
        "target": target, "name": "s", "datasetGroupArn": UNKNOWN, "performAutoML": True,
        "recipeArn": "arn:aws:personalize:::recipe/aws-sims"})
    assert bad.failures == [("recipeArn", "recipeArn: must be omitted when performAutoML is true (specify either "
                                          "performAutoML or recipeArn, not both)")]


def test_pipeline_lifecycle(provider_server: ProviderServer, target: str, csv_uri: str) -> None:
    deploy = Deployment(provider_server)
    outs = run_pipeline(deploy, target=target, data_location=csv_uri)
    assert [step for _, step in deploy.log] == ["create"] * 7
    assert {o.get("status") for k, o in outs.items() if k != "schema"} == {"ACTIVE"}
    assert outs["campaign"]["campaignArn"].startswith("arn:aws:personalize:")
    if target.startswith("http"):
        assert len(recommend(outs["campaign"], "user0001")) == 5

    # a second `up` with the same program changes nothing
    deploy.log.clear()
    run_pipeline(deploy, target=target, data_location=csv_uri)
    assert {step for _, step in deploy.log} == {"same"}

    # in place: solution auto-training, dataset group tags, campaign TPS
    deploy.log.clear()
    run_pipeline(deploy, target=target, data_location=csv_uri, extra={
        "quickstart-group": {"tags": [{"tagKey": "team", "tagValue": "ml"}]},
        "quickstart-solution": {"performAutoTraining": True},
        "quickstart-campaign": {"minProvisionedTPS": 2}})
    steps = dict(deploy.log)
    assert steps["quickstart-group"] == steps["quickstart-solution"] == steps["quickstart-campaign"] == "update"
    assert steps["quickstart-version"] == "same"
    group = deploy.resources["quickstart-group"].outputs
    assert group["tags"] == [{"tagKey": "team", "tagValue": "ml"}]
    assert deploy.resources["quickstart-campaign"].outputs["minProvisionedTPS"] == 2

    # a create-only change replaces (create before delete, fresh autoname) and cascades:
    # a new solution -> a new version (its solutionArn changed) -> a new campaign (UpdateCampaign
    # only deploys versions of the campaign's own solution); the old ones go at the end.
    old_solution = deploy.resources["quickstart-solution"].id
    deploy.log.clear()
    run_pipeline(deploy, target=target, data_location=csv_uri, extra={
        "quickstart-group": {"tags": [{"tagKey": "team", "tagValue": "ml"}]},
        "quickstart-solution": {"performAutoTraining": True, "eventType": "click"},
        "quickstart-campaign": {"minProvisionedTPS": 2}})
    steps = dict(deploy.log)
    assert (steps["quickstart-solution"], steps["quickstart-version"], steps["quickstart-campaign"]) == (
        "replace", "replace", "replace")
    assert deploy.resources["quickstart-solution"].id != old_solution

    # a retrain of the same solution (a new version) rolls out to the campaign in place
    retrained = {
        "quickstart-group": {"tags": [{"tagKey": "team", "tagValue": "ml"}]},
        "quickstart-solution": {"performAutoTraining": True, "eventType": "click"},
        "quickstart-version": {"name": "retrain-2"},
        "quickstart-campaign": {"minProvisionedTPS": 2}}
    deploy.log.clear()
    run_pipeline(deploy, target=target, data_location=csv_uri, extra=retrained)
    steps = dict(deploy.log)
    assert (steps["quickstart-solution"], steps["quickstart-version"], steps["quickstart-campaign"]) == (
        "same", "replace", "update")
    campaign = deploy.resources["quickstart-campaign"].outputs
    assert campaign["solutionVersionArn"] == deploy.resources["quickstart-version"].id

    # refresh (Read with the old inputs and outputs; the returned inputs replace the state's), then
    # the same program plans no change: the invariant `pulumi refresh && pulumi preview` checks
    for name in deploy.resources:
        assert deploy.refresh(name) is not None
    deploy.log.clear()
    run_pipeline(deploy, target=target, data_location=csv_uri, extra=retrained)
    assert {step for _, step in deploy.log} == {"same"}, deploy.log

    # a read by ID with only inputs (what `DatasetGroup.get(name, id)` sends: no old outputs)
    group_state = deploy.resources["quickstart-group"]
    read = provider_server.read(DatasetGroupProvider(), group_state.urn, group_state.id, {},
                                inputs={"target": target})
    assert read.id == group_state.id and read.outputs["name"] == group_state.outputs["name"]
    assert read.outputs["tags"] == [{"tagKey": "team", "tagValue": "ml"}]

    # destroy: everything goes, newest first; reading afterwards finds nothing
    states = dict(deploy.resources)
    deploy.destroy()
    for name in ("quickstart-campaign", "quickstart-solution", "quickstart-group"):
        state = states[name]
        assert provider_server.read(state.provider, state.urn, state.id, state.outputs).id == ""


def test_batch_inference_job_runs_once(provider_server: ProviderServer, target: str, csv_uri: str,
                                       data_dir: Path) -> None:
    """A BatchInferenceJob runs when created, never again on a re-run or a refresh; a changed input
    replaces it (a new job); destroy forgets it."""
    deploy = Deployment(provider_server)
    outs = run_pipeline(deploy, target=target, data_location=csv_uri)
    source = data_dir / "batch-in"
    source.mkdir(exist_ok=True)
    (source / "users.json").write_text('{"userId": "user0001"}\n{"userId": "user0002"}\n')
    out = data_dir / f"batch-out-{'serve' if target.startswith('http') else 'embedded'}"
    props = {"target": target, "namePrefix": "batch", "solutionVersionArn": outs["version"]["solutionVersionArn"],
             "roleArn": "arn:aws:iam::123456789012:role/personalize",
             "jobInput": {"s3DataSource": {"path": source.as_uri() + "/"}},
             "jobOutput": {"s3DataDestination": {"path": out.as_uri() + "/"}}, "numResults": 3}
    job = deploy.up(BatchInferenceJobProvider(), "batch", props)
    assert job["status"] == "ACTIVE" and job["batchInferenceJobArn"].startswith("arn:aws:personalize:")
    lines = (out / "users.json.out").read_text().splitlines()
    assert [len(json.loads(line)["output"]["recommendedItems"]) for line in lines] == [3, 3]

    (out / "users.json.out").unlink()  # a second run would write it again
    assert deploy.refresh("batch") is not None
    assert deploy.plan(BatchInferenceJobProvider(), "batch", props) == "same"
    deploy.up(BatchInferenceJobProvider(), "batch", props)
    assert deploy.log[-1] == ("batch", "same") and not (out / "users.json.out").exists()

    deploy.up(BatchInferenceJobProvider(), "batch", {**props, "numResults": 2})
    assert deploy.log[-1] == ("batch", "replace") and deploy.resources["batch"].id != job["batchInferenceJobArn"]
    deploy.finish()
    lines = (out / "users.json.out").read_text().splitlines()
    assert [len(json.loads(line)["output"]["recommendedItems"]) for line in lines] == [2, 2]
    state = deploy.resources["batch"]
    deploy.destroy()
    # the API cannot delete a job: destroy forgets it, and the job's record stays readable
    assert provider_server.read(state.provider, state.urn, state.id, state.outputs).id == state.id


def test_drift_is_reported_after_refresh(provider_server: ProviderServer, emulator_url: str) -> None:
    """A change made outside Pulumi shows up in the next diff after a refresh."""
    import boto3

    deploy = Deployment(provider_server)
    props: dict[str, Any] = {"target": emulator_url, "name": "drifting", "tags": [{"tagKey": "a", "tagValue": "1"}]}
    outs = deploy.up(DatasetGroupProvider(), "drifting", props)
    client = boto3.client("personalize", endpoint_url=emulator_url, region_name="us-east-1",
                          aws_access_key_id="x", aws_secret_access_key="x")
    client.tag_resource(resourceArn=outs["datasetGroupArn"], tags=[{"tagKey": "a", "tagValue": "2"}])
    refreshed = deploy.refresh("drifting")
    assert refreshed is not None and refreshed["tags"] == [{"tagKey": "a", "tagValue": "2"}]
    assert deploy.plan(DatasetGroupProvider(), "drifting", props) == "update"
    deploy.up(DatasetGroupProvider(), "drifting", props)
    assert deploy.log[-1] == ("drifting", "update")
    deploy.destroy()


def test_provider_errors_reach_the_engine_with_code_and_message(provider_server: ProviderServer,
                                                                emulator_url: str) -> None:
    from pulumi_personalize.testing import CallError

    with pytest.raises(CallError) as info:
        provider_server.create(CampaignProvider(), urn_for("Campaign", "c"), {
            "target": emulator_url, "name": "c",
            "solutionVersionArn": "arn:aws:personalize:us-east-1:123456789012:solution/none/abc"})
    first_line = str(info.value).splitlines()[0]
    assert first_line.startswith("pulumi_personalize._aws.ProviderError: ResourceNotFoundException: CreateCampaign:")


def test_missing_dataset_group_fails_cleanly(provider_server: ProviderServer, target: str) -> None:
    from pulumi_personalize.testing import CallError

    with pytest.raises(CallError, match="ResourceNotFoundException: CreateSolution"):
        provider_server.create(SolutionProvider(), urn_for("Solution", "s"), {
            "target": target, "name": "orphan-test",
            "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/missing",
            "recipeArn": "arn:aws:personalize:::recipe/aws-popularity-count"})


def test_data_dir_default_is_beside_pulumi_yaml(tmp_path: Path) -> None:
    """``embedded`` alone puts state in .personalize beside Pulumi.yaml (the provider's cwd)."""
    (tmp_path / "Pulumi.yaml").write_text("name: t\nruntime: python\n")
    (tmp_path / "sub").mkdir()
    with ProviderServer(cwd=tmp_path / "sub") as server:
        _, outs = server.create(DatasetGroupProvider(), urn_for("DatasetGroup", "g"),
                                {"target": "embedded", "name": "beside"})
    assert outs["status"] == "ACTIVE"
    assert (tmp_path / ".personalize").is_dir()
