"""Campaigns (incl. UpdateCampaign and $LATEST) and event trackers."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def trained(pipeline: Any, data_csv: Any) -> Any:
    """An ACTIVE popularity-count solution version."""
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(data_csv.as_uri())
    pipeline.solution()
    assert pipeline.version()["status"] == "ACTIVE"
    return pipeline


def test_campaign_create_describe_list(trained: Any, kit: SimpleNamespace) -> None:
    arn = trained.campaign()
    assert arn == f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:campaign/demo-campaign"
    campaign = trained.aws.describe("campaign", arn)
    assert campaign["solutionVersionArn"] == trained.arns["version"]
    assert campaign["minProvisionedTPS"] == 1 and campaign["status"] == "ACTIVE"
    listed = trained.aws.personalize.list_campaigns(solutionArn=trained.arns["solution"])["campaigns"]
    assert [(c["campaignArn"], c["status"]) for c in listed] == [(arn, "ACTIVE")]


def test_campaign_names_are_unique_and_versions_must_exist(trained: Any, kit: SimpleNamespace) -> None:
    trained.campaign()
    with pytest.raises(trained.aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        trained.campaign()
    assert _error(exc)[1] == ("Another resource with Arn "
                              f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:campaign/demo-campaign already exists.")
    missing = trained.arns["solution"] + "/00000000"
    with pytest.raises(trained.aws.personalize.exceptions.ResourceNotFoundException) as exc:
        trained.aws.personalize.create_campaign(name="other", solutionVersionArn=missing)
    assert _error(exc)[1] == f"Resource Arn {missing} does not exist."


def test_update_campaign_to_a_newer_version(trained: Any) -> None:
    aws = trained.aws
    first = trained.arns["version"]
    arn = trained.campaign()
    second = trained.version()["solutionVersionArn"]
    aws.personalize.update_campaign(campaignArn=arn, solutionVersionArn=second, minProvisionedTPS=3,
                                    campaignConfig={"itemExplorationConfig": {"exploration_weight": "0.1"}})
    campaign = aws.describe("campaign", arn)
    assert campaign["solutionVersionArn"] == second != first
    assert campaign["minProvisionedTPS"] == 3
    assert campaign["campaignConfig"]["itemExplorationConfig"] == {"exploration_weight": "0.1"}
    update = campaign["latestCampaignUpdate"]
    assert (update["solutionVersionArn"], update["status"]) == (second, "ACTIVE")
    assert aws.runtime.get_recommendations(campaignArn=arn, userId="u1")["itemList"]


def test_update_campaign_with_another_solutions_version(trained: Any, kit: SimpleNamespace) -> None:
    aws = trained.aws
    arn = trained.campaign()
    other = aws.personalize.create_solution(name="other", datasetGroupArn=trained.arns["dataset_group"],
                                            recipeArn=kit.POPULARITY)["solutionArn"]
    foreign = aws.personalize.create_solution_version(solutionArn=other)["solutionVersionArn"]
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.update_campaign(campaignArn=arn, solutionVersionArn=foreign)
    assert _error(exc)[1] == (f"Campaign {arn} serves solution {trained.arns['solution']}; {foreign} belongs to "
                              "another solution.")


def test_latest_needs_sync_with_latest(trained: Any) -> None:
    aws = trained.aws
    latest = trained.arns["solution"] + "/$LATEST"
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_campaign(name="c", solutionVersionArn=latest)
    assert _error(exc)[1] == ("1 validation error detected: solutionVersionArn: a solutionVersionArn ending in "
                              "/$LATEST needs campaignConfig.syncWithLatestSolutionVersion = true")
    # the model's documentation: with syncWithLatestSolutionVersion "you must specify the ARN of your solution
    # ... in SolutionArn/$LATEST format"
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_campaign(name="c", solutionVersionArn=trained.arns["version"],
                                        campaignConfig={"syncWithLatestSolutionVersion": True})
    assert _error(exc)[1].startswith("1 validation error detected: solutionVersionArn: must be <solutionArn>/$LATEST "
                                     "when campaignConfig.syncWithLatestSolutionVersion is true")
    arn = aws.personalize.create_campaign(name="c", solutionVersionArn=latest,
                                          campaignConfig={"syncWithLatestSolutionVersion": True})["campaignArn"]
    assert aws.describe("campaign", arn)["solutionVersionArn"] == latest
    assert aws.runtime.get_recommendations(campaignArn=arn, userId="u3")["itemList"]


def test_delete_campaign(trained: Any) -> None:
    arn = trained.campaign()
    trained.aws.personalize.delete_campaign(campaignArn=arn)
    trained.aws.wait_gone("campaign", arn)
    with pytest.raises(trained.aws.runtime.exceptions.ResourceNotFoundException) as exc:
        trained.aws.runtime.get_recommendations(campaignArn=arn, userId="u1")
    assert _error(exc)[1] == f"Resource Arn {arn} does not exist."


def test_event_tracker_one_per_group(pipeline: Any, kit: SimpleNamespace) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    created = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)
    tracker = aws.describe("event_tracker", created["eventTrackerArn"])
    assert tracker["trackingId"] == created["trackingId"] and tracker["accountId"] == kit.ACCOUNT
    with pytest.raises(aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        aws.personalize.create_event_tracker(name="t2", datasetGroupArn=group)
    assert _error(exc)[1] == (f"Dataset group {group} already has an event tracker ({created['eventTrackerArn']}); "
                              "a dataset group can have only one.")
    listed = aws.personalize.list_event_trackers(datasetGroupArn=group)["eventTrackers"]
    assert [t["eventTrackerArn"] for t in listed] == [created["eventTrackerArn"]]
