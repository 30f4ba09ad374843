"""The status lifecycle observed one step at a time (manual runner), and recovery after a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


class Stepper:
    """Drives a manual emulator: each ``step()`` must change exactly what the test expects."""

    def __init__(self, manual: Any) -> None:
        self.manual = manual
        self.aws = manual.aws

    def status(self, kind: str, arn: str) -> str:
        try:
            return str(self.aws.describe(kind, arn)["status"])
        except self.aws.personalize.exceptions.ResourceNotFoundException:
            return "gone"

    def walk(self, kind: str, arn: str, *expected: str) -> None:
        """The status now, then after each step."""
        seen = [self.status(kind, arn)]
        for _ in expected[1:]:
            assert self.manual.step(), f"nothing left to step; seen {seen}"
            seen.append(self.status(kind, arn))
        assert seen == list(expected)


@pytest.fixture
def stepper(manual: Any) -> Stepper:
    return Stepper(manual)


CREATE = ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE")
DELETE = ("DELETE PENDING", "DELETE IN_PROGRESS", "gone")


def test_every_resource_step_by_step(stepper: Stepper, data_csv: Path, kit: SimpleNamespace) -> None:
    p = stepper.aws.personalize
    group = p.create_dataset_group(name="g")["datasetGroupArn"]
    stepper.walk("dataset_group", group, *CREATE)
    schema = p.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                               datasetType="Interactions")["datasetArn"]
    stepper.walk("dataset", dataset, *CREATE)
    job = p.create_dataset_import_job(jobName="j", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()},
                                      roleArn=kit.ROLE)["datasetImportJobArn"]
    stepper.walk("import_job", job, *CREATE)
    solution = p.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    stepper.walk("solution", solution, *CREATE)
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    stepper.walk("version", version, *CREATE)
    campaign = p.create_campaign(name="c", solutionVersionArn=version)["campaignArn"]
    stepper.walk("campaign", campaign, *CREATE)
    tracker = p.create_event_tracker(name="t", datasetGroupArn=group)["eventTrackerArn"]
    stepper.walk("event_tracker", tracker, *CREATE)
    assert not stepper.manual.step()  # nothing left: no invisible steps hide in the queue

    p.delete_campaign(campaignArn=campaign)
    stepper.walk("campaign", campaign, *DELETE)
    p.delete_event_tracker(eventTrackerArn=tracker)
    stepper.walk("event_tracker", tracker, *DELETE)
    p.delete_solution(solutionArn=solution)
    stepper.walk("solution", solution, *DELETE)
    assert stepper.status("version", version) == "gone"
    p.delete_dataset(datasetArn=dataset)
    stepper.walk("dataset", dataset, *DELETE)
    p.delete_dataset_group(datasetGroupArn=group)
    stepper.walk("dataset_group", group, *DELETE)
    assert not stepper.manual.step()


def test_two_jobs_interleave_one_visible_step_each(stepper: Stepper) -> None:
    p = stepper.aws.personalize
    a = p.create_dataset_group(name="a")["datasetGroupArn"]
    b = p.create_dataset_group(name="b")["datasetGroupArn"]
    seen = [(stepper.status("dataset_group", a), stepper.status("dataset_group", b))]
    while stepper.manual.step():
        seen.append((stepper.status("dataset_group", a), stepper.status("dataset_group", b)))
    assert seen == [("CREATE PENDING", "CREATE PENDING"), ("CREATE IN_PROGRESS", "CREATE PENDING"),
                    ("ACTIVE", "CREATE PENDING"), ("ACTIVE", "CREATE IN_PROGRESS"), ("ACTIVE", "ACTIVE")]


@pytest.fixture
def solution(stepper: Stepper, data_csv: Path, kit: SimpleNamespace) -> str:
    """An ACTIVE solution over imported data, on the manual emulator."""
    p = stepper.aws.personalize
    group = p.create_dataset_group(name="g")["datasetGroupArn"]
    stepper.manual.emulator.run_pending()
    schema = p.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                               datasetType="Interactions")["datasetArn"]
    stepper.manual.emulator.run_pending()
    p.create_dataset_import_job(jobName="j", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()})
    arn: str = p.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    assert stepper.manual.emulator.run_pending() == 4
    return arn


def test_not_ready_resources_are_in_use(stepper: Stepper, solution: str, data_csv: Path) -> None:
    p = stepper.aws.personalize
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.get_solution_metrics(solutionVersionArn=version)
    assert _error(exc)[1] == f"Solution version {version} is not ACTIVE (status: CREATE PENDING)."
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.create_campaign(name="c", solutionVersionArn=version)
    assert _error(exc)[1] == f"Solution version {version} is not ACTIVE (status: CREATE PENDING)."
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.delete_solution(solutionArn=solution)
    assert _error(exc)[1] == f"Solution {solution} has a solution version in training; stop it or wait."
    group = stepper.aws.describe("solution", solution)["datasetGroupArn"]
    dataset = p.list_datasets(datasetGroupArn=group)["datasets"][0]["datasetArn"]
    p.create_dataset_import_job(jobName="again", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()})
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.create_dataset_import_job(jobName="third", datasetArn=dataset,
                                    dataSource={"dataLocation": data_csv.as_uri()})
    assert _error(exc)[1] == f"Dataset {dataset} already has an import job in progress."
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.delete_dataset(datasetArn=dataset)
    assert _error(exc)[1] == f"Dataset {dataset} has an import job in progress."
    other = p.create_dataset_group(name="young")["datasetGroupArn"]
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.delete_dataset_group(datasetGroupArn=other)
    assert _error(exc)[1] == f"Dataset group {other} cannot be deleted while its status is CREATE PENDING."
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.create_solution(name="early", datasetGroupArn=other, recipeArn="arn:aws:personalize:::recipe/"
                          "aws-popularity-count")
    assert _error(exc)[1] == f"Dataset group {other} is not ACTIVE (status: CREATE PENDING)."


def test_stop_a_pending_version(stepper: Stepper, solution: str) -> None:
    p = stepper.aws.personalize
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    p.stop_solution_version_creation(solutionVersionArn=version)
    assert stepper.status("version", version) == "CREATE STOPPED"
    assert not stepper.manual.step()  # the queued training notices and does nothing
    assert stepper.status("version", version) == "CREATE STOPPED"
    assert stepper.aws.describe("solution", solution)["latestSolutionVersion"]["status"] == "CREATE STOPPED"
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.stop_solution_version_creation(solutionVersionArn=version)
    assert _error(exc)[1] == (f"Solution version {version} can be stopped only while CREATE PENDING or "
                              "CREATE IN_PROGRESS (status: CREATE STOPPED).")


def test_stop_a_training_version(stepper: Stepper, solution: str) -> None:
    p = stepper.aws.personalize
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    stepper.walk("version", version, "CREATE PENDING", "CREATE IN_PROGRESS")
    p.stop_solution_version_creation(solutionVersionArn=version)
    stepper.walk("version", version, "CREATE STOPPING", "CREATE STOPPED")
    latest = stepper.aws.describe("solution", solution)["latestSolutionVersion"]
    assert (latest["solutionVersionArn"], latest["status"]) == (version, "CREATE STOPPED")
    assert not stepper.manual.step()


def test_updates_step_by_step(stepper: Stepper, solution: str, kit: SimpleNamespace) -> None:
    p = stepper.aws.personalize
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    stepper.manual.emulator.run_pending()
    campaign = p.create_campaign(name="c", solutionVersionArn=version)["campaignArn"]
    stepper.manual.emulator.run_pending()

    def update(kind: str, arn: str, member: str) -> str:
        return str(stepper.aws.describe(kind, arn)[member]["status"])

    p.update_campaign(campaignArn=campaign, minProvisionedTPS=5)
    # A campaign update reads UPDATE IN_PROGRESS (as AWS shows it); the campaign itself stays ACTIVE.
    assert update("campaign", campaign, "latestCampaignUpdate") == "UPDATE IN_PROGRESS"
    assert stepper.aws.describe("campaign", campaign)["status"] == "ACTIVE"
    with pytest.raises(p.exceptions.ResourceInUseException) as exc:
        p.update_campaign(campaignArn=campaign, minProvisionedTPS=6)
    assert _error(exc)[1] == f"Campaign {campaign} has an update in progress."
    assert stepper.aws.describe("campaign", campaign)["minProvisionedTPS"] == 1  # not yet
    stepper.manual.step()
    assert update("campaign", campaign, "latestCampaignUpdate") == "ACTIVE"
    assert stepper.aws.describe("campaign", campaign)["minProvisionedTPS"] == 5
    p.update_solution(solutionArn=solution, performAutoTraining=False)
    assert update("solution", solution, "latestSolutionUpdate") == "CREATE PENDING"
    assert stepper.manual.emulator.run_pending() == 2
    assert stepper.aws.describe("solution", solution)["performAutoTraining"] is False


def test_restart_fails_interrupted_work_and_resumes_the_rest(attached: Callable[..., Any], tmp_path: Path,
                                                             data_csv: Path, kit: SimpleNamespace) -> None:
    """In-process: an emulator closed mid-way (as by a crash) and a new one on the same data dir."""
    state = tmp_path / "state"
    before = attached(lifecycle="manual", data_dir=state)
    p = before.aws.personalize
    group = p.create_dataset_group(name="g")["datasetGroupArn"]
    before.emulator.run_pending()
    schema = p.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                               datasetType="Interactions")["datasetArn"]
    before.emulator.run_pending()
    p.create_dataset_import_job(jobName="j", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()})
    solution = p.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    before.emulator.run_pending()
    training = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    before.step()  # CREATE IN_PROGRESS when the "crash" comes
    pending_group = p.create_dataset_group(name="pending")["datasetGroupArn"]
    waiting_job = p.create_dataset_import_job(jobName="later", datasetArn=dataset,
                                              dataSource={"dataLocation": data_csv.as_uri()})["datasetImportJobArn"]
    before.emulator.close()

    after = attached(lifecycle="instant", data_dir=state)
    aws = after.aws
    failed = aws.describe("version", training)
    assert failed["status"] == "CREATE FAILED"
    assert failed["failureReason"] == ("The emulator stopped while this job was in progress (crash or restart); "
                                       "create it again.")
    latest = aws.describe("solution", solution)["latestSolutionVersion"]
    assert (latest["solutionVersionArn"], latest["status"]) == (training, "CREATE FAILED")
    assert aws.describe("dataset_group", pending_group)["status"] == "ACTIVE"  # resumed
    assert aws.describe("import_job", waiting_job)["status"] == "ACTIVE"  # never started: started now
    retrained = aws.personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert aws.describe("version", retrained)["status"] == "ACTIVE"


def test_restart_finishes_deletes_with_their_cleanup(attached: Callable[..., Any], tmp_path: Path,
                                                      data_csv: Path, kit: SimpleNamespace) -> None:
    state = tmp_path / "state"
    before = attached(data_dir=state)
    pipeline = kit.Pipeline(before.aws)
    arns = pipeline.through_campaign(data_csv.as_uri())
    before.aws.personalize.delete_campaign(campaignArn=arns["campaign"])
    before.emulator.close()
    model_dirs = list((state / "models").iterdir())
    assert len(model_dirs) == 1

    middle = attached(lifecycle="manual", data_dir=state)
    middle.aws.personalize.delete_solution(solutionArn=arns["solution"])
    middle.aws.personalize.delete_dataset(datasetArn=arns["dataset"])
    middle.emulator.close()  # both deletes still DELETE PENDING

    after = attached(data_dir=state)
    for kind in ("solution", "version", "dataset"):
        with pytest.raises(after.aws.personalize.exceptions.ResourceNotFoundException):
            after.aws.describe(kind, arns[kind])
    assert not model_dirs[0].exists()
    assert not any((state / "data").iterdir())
