"""Restart and still serve: a new ``serve`` on the same data dir keeps every resource and model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _snapshot(aws: Any, arns: dict[str, str]) -> dict[str, Any]:
    """What a user sees of the pipeline: statuses, lists, the served recommendations."""
    kinds = ("dataset_group", "dataset", "import_job", "solution", "version", "campaign")
    return {
        "statuses": {kind: aws.describe(kind, arns[kind])["status"] for kind in kinds},
        "latest": aws.describe("solution", arns["solution"])["latestSolutionVersion"],
        "groups": aws.personalize.list_dataset_groups()["datasetGroups"],
        "versions": aws.personalize.list_solution_versions(solutionArn=arns["solution"])["solutionVersions"],
        "metrics": aws.personalize.get_solution_metrics(solutionVersionArn=arns["version"])["metrics"],
        "items": aws.runtime.get_recommendations(campaignArn=arns["campaign"], userId="u1", numResults=40)["itemList"],
    }


def test_restart_keeps_serving(serve: Callable[..., Any], tmp_path: Path, make_csv: Any,
                               kit: SimpleNamespace) -> None:
    state = tmp_path / "state"
    csv = make_csv()
    first = serve(state, csv.parent)
    arns = kit.Pipeline(first.clients()).through_campaign(csv.as_uri())
    before = _snapshot(first.clients(), arns)
    assert set(before["statuses"].values()) == {"ACTIVE"}
    first.stop()

    second = serve(state, csv.parent)
    aws = second.clients()
    assert _snapshot(aws, arns) == before
    version = kit.Pipeline(aws, arns=dict(arns)).version()  # and it still trains
    assert version["status"] == "ACTIVE"
    second.stop()


def test_a_version_in_progress_at_restart_ends_failed(serve: Callable[..., Any], attached: Callable[..., Any],
                                                      tmp_path: Path, make_csv: Any, kit: SimpleNamespace) -> None:
    """State left by a process that died mid-training (built in-process), then a server on it."""
    state = tmp_path / "state"
    csv = make_csv()
    crashed = attached(lifecycle="manual", data_dir=state)
    pipeline = kit.Pipeline(crashed.aws)
    p = crashed.aws.personalize
    group = p.create_dataset_group(name="g")["datasetGroupArn"]
    crashed.emulator.run_pending()
    schema = p.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                               datasetType="Interactions")["datasetArn"]
    crashed.emulator.run_pending()
    p.create_dataset_import_job(jobName="j", datasetArn=dataset, dataSource={"dataLocation": csv.as_uri()})
    solution = p.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    crashed.emulator.run_pending()
    training = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    crashed.step()
    assert pipeline.aws.describe("version", training)["status"] == "CREATE IN_PROGRESS"
    queued = p.create_dataset_import_job(jobName="queued", datasetArn=dataset,
                                         dataSource={"dataLocation": csv.as_uri()})["datasetImportJobArn"]
    crashed.emulator.close()

    server = serve(state, csv.parent)
    aws = server.clients()
    failed = aws.describe("version", training)
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == ("The emulator stopped while this job was in progress (crash or restart); "
                                       "create it again.")
    latest = aws.describe("solution", solution)["latestSolutionVersion"]
    assert (latest["solutionVersionArn"], latest["status"]) == (training, "CREATE FAILED")
    assert aws.wait("import_job", queued)["status"] == "ACTIVE"  # never started, so it starts now
    retrained = aws.personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert aws.wait("version", retrained)["status"] == "ACTIVE"
    server.stop()
