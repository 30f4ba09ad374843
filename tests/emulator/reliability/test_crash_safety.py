"""kill -9 of ``serve`` while data imports, a model trains and requests write: nothing committed is lost.

After a restart on the same data directory every committed resource is there, trained versions are
still ACTIVE and serve recommendations from their models, and every job the crash interrupted has
ended (CREATE FAILED with a reason), none left in progress.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from personalize_emulator.training import supported_recipes

pytestmark = pytest.mark.slow

POPULARITY = "arn:aws:personalize:::recipe/aws-popularity-count"
IN_FLIGHT = {"CREATE PENDING", "CREATE IN_PROGRESS", "CREATE STOPPING", "DELETE PENDING", "DELETE IN_PROGRESS"}


def _statuses(client: Any) -> dict[str, str]:
    """Every resource the control plane lists, by ARN, with its status."""
    found: dict[str, str] = {}
    for group in client.list_dataset_groups()["datasetGroups"]:
        found[group["datasetGroupArn"]] = group["status"]
        for dataset in client.list_datasets(datasetGroupArn=group["datasetGroupArn"])["datasets"]:
            found[dataset["datasetArn"]] = dataset["status"]
            for job in client.list_dataset_import_jobs(datasetArn=dataset["datasetArn"])["datasetImportJobs"]:
                found[job["datasetImportJobArn"]] = job["status"]
        for solution in client.list_solutions(datasetGroupArn=group["datasetGroupArn"])["solutions"]:
            found[solution["solutionArn"]] = solution["status"]
            for version in client.list_solution_versions(solutionArn=solution["solutionArn"])["solutionVersions"]:
                found[version["solutionVersionArn"]] = version["status"]
    for campaign in client.list_campaigns()["campaigns"]:
        found[campaign["campaignArn"]] = campaign["status"]
    return found


def _slow_recipe() -> str:
    names = supported_recipes()
    for name in ("aws-user-personalization-v2", "aws-user-personalization", "aws-sims"):
        if name in names:
            return f"arn:aws:personalize:::recipe/{name}"
    return POPULARITY


def test_kill_9_mid_import_training_and_writes_loses_nothing(
    start_server: Any, tmp_path: Path, interactions_csv: Path, wait_for: Any, build_dataset: Any,
    write_interactions: Any,
) -> None:
    server = start_server()
    client = server.client()
    runtime = server.client("personalize-runtime")

    # Committed state: a trained, served pipeline.
    first = build_dataset(client, interactions_csv, "done")
    solution = client.create_solution(name="done-solution", datasetGroupArn=first["group"],
                                      recipeArn=POPULARITY)["solutionArn"]
    wait_for(lambda: client.describe_solution(solutionArn=solution)["solution"])
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert wait_for(lambda: client.describe_solution_version(solutionVersionArn=version)["solutionVersion"])[
        "status"] == "ACTIVE"
    campaign = client.create_campaign(name="done-campaign", solutionVersionArn=version)["campaignArn"]
    wait_for(lambda: client.describe_campaign(campaignArn=campaign)["campaign"])
    before = runtime.get_recommendations(campaignArn=campaign, userId="u1", numResults=10)["itemList"]

    # In flight at the moment of the crash: a large import, a training, and a stream of writes.
    big = write_interactions(tmp_path / "big.csv", users=4_000, per_user=80, items=3_000, seed=1)
    busy = build_dataset(client, interactions_csv, "busy")
    slow_solution = client.create_solution(name="busy-solution", datasetGroupArn=first["group"],
                                           recipeArn=_slow_recipe())["solutionArn"]
    wait_for(lambda: client.describe_solution(solutionArn=slow_solution)["solution"])
    training = client.create_solution_version(solutionArn=slow_solution)["solutionVersionArn"]
    importing = client.create_dataset_import_job(
        jobName="busy-import-2", datasetArn=busy["dataset"], dataSource={"dataLocation": f"file://{big}"}
    )["datasetImportJobArn"]

    written: list[str] = []
    stop = threading.Event()

    def writes() -> None:
        writer = server.client()
        for index in range(10_000):
            if stop.is_set():
                return
            try:
                writer.create_schema(name=f"crash-schema-{index}", schema=client.describe_schema(
                    schemaArn=first["schema"])["schema"]["schema"])
                written.append(f"crash-schema-{index}")
            except Exception:
                return  # the server died mid-request: that write may or may not have committed

    thread = threading.Thread(target=writes)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        # Statuses advance once a Describe has shown them (as on AWS, nothing is ACTIVE unseen), so
        # both jobs are watched until they are running.
        job = client.describe_dataset_import_job(datasetImportJobArn=importing)["datasetImportJob"]["status"]
        model = client.describe_solution_version(solutionVersionArn=training)["solutionVersion"]["status"]
        if job == "CREATE IN_PROGRESS" and model != "CREATE PENDING" and len(written) >= 3:
            break
        time.sleep(0.01)
    interrupted_status = {
        importing: client.describe_dataset_import_job(datasetImportJobArn=importing)["datasetImportJob"]["status"],
        training: client.describe_solution_version(solutionVersionArn=training)["solutionVersion"]["status"],
    }
    server.kill()
    stop.set()
    thread.join(10)
    assert interrupted_status[importing] == "CREATE IN_PROGRESS", "the import finished before the crash"

    # Restart on the same directory.
    restarted = start_server(server.data_dir)
    client = restarted.client()
    statuses = _statuses(client)
    assert not {arn: s for arn, s in statuses.items() if s in IN_FLIGHT}, statuses
    for arn in (first["group"], first["dataset"], first["job"], solution, version, campaign):
        assert statuses[arn] == "ACTIVE", (arn, statuses.get(arn))
    job = client.describe_dataset_import_job(datasetImportJobArn=importing)["datasetImportJob"]
    assert job["status"] == "CREATE FAILED"
    assert "stopped while this job was in progress" in job["failureReason"]
    trained = client.describe_solution_version(solutionVersionArn=training)["solutionVersion"]
    assert trained["status"] in {"ACTIVE", "CREATE FAILED"}
    if interrupted_status[training] == "CREATE IN_PROGRESS":
        assert trained["status"] == "CREATE FAILED" and trained["failureReason"]
    schemas = {s["name"] for s in client.list_schemas(maxResults=100)["schemas"]}
    next_token = client.list_schemas(maxResults=100).get("nextToken")
    while next_token:
        page = client.list_schemas(maxResults=100, nextToken=next_token)
        schemas |= {s["name"] for s in page["schemas"]}
        next_token = page.get("nextToken")
    assert set(written) <= schemas, "a write acknowledged before the crash was lost"
    after = restarted.client("personalize-runtime").get_recommendations(
        campaignArn=campaign, userId="u1", numResults=10)["itemList"]
    assert after == before
    # The interrupted import left no partial data: the busy dataset still serves its first import only.
    assert restarted.stop() == 0
