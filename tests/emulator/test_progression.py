"""The background lifecycle is paced like AWS's: every intermediate status is seen by the next Describe.

Before pacing, the worker threads finished a create or a delete within a millisecond, so a fresh
resource could be ACTIVE on the very next Describe and a deleted one already gone: code that skips
the waits (delete a campaign, then its solution at once) passed here and failed on AWS.  These tests
use ``seconds=inf`` (advance on Describes only), so nothing depends on timing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator.pacing import Gate, Pacer, Progression
from personalize_emulator.settings import Settings

ON_DESCRIBE = Settings(progression=Progression(describes=1, seconds=float("inf")))


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def _statuses(aws: Any, kind: str, arn: str, member: str = "", limit: float = 30.0) -> list[str]:
    """Every distinct status Describe shows, polling until it leaves flight (or the resource is gone)."""
    seen: list[str] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            body = aws.describe(kind, arn)
        except aws.personalize.exceptions.ResourceNotFoundException:
            seen.append("gone")
            return seen
        status = (body.get(member) or {}).get("status") if member else body["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("ACTIVE", "CREATE FAILED"):
            return seen
        time.sleep(0.005)
    raise AssertionError(f"{arn} still in flight after {limit}s: {seen}")


@pytest.fixture
def paced(attached: Callable[..., Any]) -> Any:
    return attached(lifecycle="background", settings=ON_DESCRIBE)


CREATE = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
DELETE = ["DELETE PENDING", "DELETE IN_PROGRESS", "gone"]


def test_create_and_delete_show_every_status(paced: Any) -> None:
    aws = paced.aws
    group = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    assert _statuses(aws, "dataset_group", group) == CREATE
    aws.personalize.delete_dataset_group(datasetGroupArn=group)
    assert _statuses(aws, "dataset_group", group) == DELETE


def test_the_whole_pipeline_is_paced(paced: Any, data_csv: Path, kit: SimpleNamespace) -> None:
    aws = paced.aws
    pipeline = kit.Pipeline(aws)
    group = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    assert _statuses(aws, "dataset_group", group) == CREATE
    pipeline.arns["dataset_group"] = group
    schema = aws.personalize.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = aws.personalize.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                                             datasetType="Interactions")["datasetArn"]
    assert _statuses(aws, "dataset", dataset) == CREATE
    job = aws.personalize.create_dataset_import_job(
        jobName="j", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()}, roleArn=kit.ROLE,
    )["datasetImportJobArn"]
    assert _statuses(aws, "import_job", job) == CREATE
    solution = aws.personalize.create_solution(name="s", datasetGroupArn=group,
                                               recipeArn=kit.POPULARITY)["solutionArn"]
    assert _statuses(aws, "solution", solution) == CREATE
    version = aws.personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert _statuses(aws, "version", version) == CREATE
    campaign = aws.personalize.create_campaign(name="c", solutionVersionArn=version)["campaignArn"]
    assert _statuses(aws, "campaign", campaign) == CREATE

    aws.personalize.update_campaign(campaignArn=campaign, minProvisionedTPS=2)
    assert _statuses(aws, "campaign", campaign, member="latestCampaignUpdate") == ["UPDATE IN_PROGRESS", "ACTIVE"]
    assert aws.describe("campaign", campaign)["status"] == "ACTIVE"
    assert aws.describe("campaign", campaign)["minProvisionedTPS"] == 2

    # AWS's cleanup notebook waits for each delete; skipping that wait fails there, and now here too.
    aws.personalize.delete_campaign(campaignArn=campaign)
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.delete_solution(solutionArn=solution)
    assert _error(exc) == ("ResourceInUseException", f"Solution {solution} has campaigns; delete them first.")
    assert _statuses(aws, "campaign", campaign) == DELETE
    aws.personalize.delete_solution(solutionArn=solution)
    assert _statuses(aws, "solution", solution) == DELETE


def test_an_update_in_progress_refuses_another(paced: Any, kit: SimpleNamespace, data_csv: Path) -> None:
    aws = paced.aws
    pipeline = kit.Pipeline(aws)
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(data_csv.as_uri())
    pipeline.solution()
    pipeline.version()
    campaign = pipeline.campaign()
    aws.personalize.update_campaign(campaignArn=campaign, minProvisionedTPS=2)
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.update_campaign(campaignArn=campaign, minProvisionedTPS=3)
    assert _error(exc) == ("ResourceInUseException", f"Campaign {campaign} has an update in progress.")


def test_lists_count_as_observations(paced: Any) -> None:
    aws = paced.aws
    group = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    seen = []
    deadline = time.monotonic() + 30
    while not seen or seen[-1] != "ACTIVE":
        assert time.monotonic() < deadline, seen
        (summary,) = aws.personalize.list_dataset_groups()["datasetGroups"]
        if not seen or seen[-1] != summary["status"]:
            seen.append(summary["status"])
    assert seen == CREATE
    assert summary["datasetGroupArn"] == group


def test_unobserved_statuses_advance_with_time(attached: Callable[..., Any]) -> None:
    """A client that never describes still sees progress (``seconds`` after each step)."""
    quick = attached(lifecycle="background", settings=Settings(progression=Progression(describes=1, seconds=0.01)))
    group = quick.aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    deadline = time.monotonic() + 30
    while (row := quick.emulator.store.get(group)) is None or row.body["status"] != "ACTIVE":  # not a Describe
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_pacer_counts_describes_per_status() -> None:
    pacer = Pacer(Progression(describes=2, seconds=float("inf")))
    resumed: list[str] = []
    gate = Gate("arn:x", "CREATE PENDING")
    pacer.observe([("arn:x", "", "CREATE PENDING")])
    pacer.park(gate, lambda: resumed.append("x"))
    assert resumed == []
    pacer.observe([("arn:x", "", "CREATE IN_PROGRESS"), ("arn:x", "", "ACTIVE")])  # other statuses do not count
    assert resumed == []
    pacer.observe([("arn:x", "", "CREATE PENDING")])
    assert resumed == ["x"]
    assert not pacer.passes(gate)  # the observations were used up
    pacer.close()


def test_cli_rejects_a_negative_progression(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from personalize_emulator.cli import main

    assert main(["serve", "--data-dir", str(tmp_path), "--progression-describes", "-1"]) == 2
    assert "invalid option progression.describes" in capsys.readouterr().err


def test_an_open_gate_uses_up_older_observations() -> None:
    """A status seen just before a move (or by a deleted resource of the same ARN) opens no later gate."""
    pacer = Pacer(Progression(describes=1, seconds=float("inf")))
    pacer.observe([("arn:x", "", "CREATE IN_PROGRESS")])  # stale: from an earlier life of this ARN
    pacer.observe([("arn:x", "", "CREATE PENDING")])
    assert pacer.passes(Gate("arn:x", "CREATE PENDING"))
    assert not pacer.passes(Gate("arn:x", "CREATE IN_PROGRESS"))  # needs a Describe of its own
    pacer.observe([("arn:x", "latestCampaignUpdate", "CREATE PENDING")])  # members count apart
    assert not pacer.passes(Gate("arn:x", "CREATE IN_PROGRESS"))
    assert pacer.passes(Gate("arn:x", "CREATE PENDING", "latestCampaignUpdate"))
    pacer.close()
