"""Solutions (incl. UpdateSolution), solution versions (training, minimums, stop) and metrics."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def imported(pipeline: Any, data_csv: Any) -> Any:
    """A dataset group holding 1,500 imported interactions."""
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(data_csv.as_uri())["status"] == "ACTIVE"
    return pipeline


def test_solution_create_describe_list(imported: Any, kit: SimpleNamespace) -> None:
    arn = imported.solution(performAutoTraining=False, tags=[{"tagKey": "team", "tagValue": "recs"}])
    assert arn == f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:solution/demo-solution"
    solution = imported.aws.describe("solution", arn)
    assert solution["recipeArn"] == kit.POPULARITY
    assert solution["datasetGroupArn"] == imported.arns["dataset_group"]
    assert (solution["performHPO"], solution["performAutoML"], solution["performAutoTraining"]) == (False, False, False)
    assert "latestSolutionVersion" not in solution
    summaries = imported.aws.personalize.list_solutions(datasetGroupArn=imported.arns["dataset_group"])["solutions"]
    assert [(s["solutionArn"], s["status"], s["recipeArn"]) for s in summaries] == [(arn, "ACTIVE", kit.POPULARITY)]


def test_perform_auto_training_defaults_to_true(imported: Any) -> None:
    assert imported.aws.describe("solution", imported.solution())["performAutoTraining"] is True


def test_version_trains_and_reports_metrics(imported: Any, kit: SimpleNamespace) -> None:
    imported.solution()
    version = imported.version(name="first", tags=[{"tagKey": "k", "tagValue": "v"}])
    assert version["status"] == "ACTIVE"
    assert version["solutionVersionArn"].startswith(imported.arns["solution"] + "/")
    assert version["name"] == "first"
    assert (version["trainingMode"], version["trainingType"]) == ("FULL", "MANUAL")
    assert version["recipeArn"] == kit.POPULARITY and version["trainingHours"] >= 0
    metrics = imported.aws.personalize.get_solution_metrics(solutionVersionArn=version["solutionVersionArn"])
    values = metrics["metrics"]
    assert 0 < values["coverage"] <= 1 and 0 < values["normalized_discounted_cumulative_gain_at_25"] <= 1
    assert values["precision_at_5"] >= values["precision_at_25"]  # popularity: the head is where the hits are
    latest = imported.aws.describe("solution", imported.arns["solution"])["latestSolutionVersion"]
    assert (latest["solutionVersionArn"], latest["status"]) == (version["solutionVersionArn"], "ACTIVE")
    listed = imported.aws.personalize.list_solution_versions(solutionArn=imported.arns["solution"])
    assert [v["solutionVersionArn"] for v in listed["solutionVersions"]] == [version["solutionVersionArn"]]


def test_training_is_deterministic(imported: Any) -> None:
    imported.solution()
    first = imported.version()["solutionVersionArn"]
    second = imported.version()["solutionVersionArn"]
    metrics = [imported.aws.personalize.get_solution_metrics(solutionVersionArn=arn)["metrics"]
               for arn in (first, second)]
    assert metrics[0] == metrics[1]


@pytest.mark.parametrize(("shape", "found"), [
    ({"users": 30, "per_user": 20}, "found 600 interactions and 30 such users"),
    ({"users": 20, "per_user": 60}, "found 1,200 interactions and 20 such users"),
])
def test_training_minimums(pipeline: Any, make_csv: Any, shape: dict[str, int], found: str) -> None:
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(make_csv(**shape).as_uri())["status"] == "ACTIVE"
    pipeline.solution()
    version = pipeline.version()
    assert version["status"] == "CREATE FAILED"
    assert version["failureReason"] == (
        "Training needs at least 1,000 interactions and at least 25 users with 2 or more interactions each; "
        f"{found}. Import more interactions or relax the event filters."
    )
    with pytest.raises(pipeline.aws.personalize.exceptions.ResourceInUseException) as exc:
        pipeline.aws.personalize.get_solution_metrics(solutionVersionArn=version["solutionVersionArn"])
    assert _error(exc)[1] == (f"Solution version {version['solutionVersionArn']} is not ACTIVE "
                              "(status: CREATE FAILED).")


def test_minimums_count_after_the_event_type_filter(imported: Any) -> None:
    imported.solution(eventType="purchase")  # the synthetic log has no event types at all
    version = imported.version()
    assert version["status"] == "CREATE FAILED"
    assert "after filtering by eventType 'purchase'; found 0 interactions" in version["failureReason"]


def test_a_recipe_the_emulator_cannot_train(imported: Any, kit: SimpleNamespace) -> None:
    with pytest.raises(imported.aws.personalize.exceptions.InvalidInputException) as exc:
        imported.solution(recipe=kit.UNTRAINABLE)
    code, message = _error(exc)
    assert code == "InvalidInputException"
    assert message.startswith("The emulator does not support the recipe aws-item-affinity yet; it trains: ")
    assert "aws-popularity-count" in message


@pytest.mark.parametrize(("params", "message"), [
    ({"recipeArn": "arn:aws:personalize:::recipe/aws-nope"},
     "1 validation error detected: recipeArn: must name a predefined recipe (arn:aws:personalize:::recipe/<name>, "
     "name one of aws-user-personalization-v2, aws-user-personalization, aws-personalized-ranking-v2, "
     "aws-personalized-ranking, aws-trending-now, aws-popularity-count, aws-similar-items, aws-sims, "
     "aws-semantic-similarity, aws-next-best-action, aws-item-affinity, aws-item-attribute-affinity); "
     "got 'arn:aws:personalize:::recipe/aws-nope'"),
    ({"performAutoML": True, "recipeArn": "arn:aws:personalize:::recipe/aws-popularity-count"},
     "1 validation error detected: recipeArn: must be omitted when performAutoML is true (specify either "
     "performAutoML or recipeArn, not both)"),
    ({},
     "1 validation error detected: recipeArn: is required unless performAutoML is true"),
    ({"recipeArn": "arn:aws:personalize:::recipe/aws-popularity-count",
      "solutionConfig": {"autoTrainingConfig": {"schedulingExpression": "rate(31 days)"}}},
     "1 validation error detected: solutionConfig.autoTrainingConfig.schedulingExpression: must be rate(N days) "
     "with N from 1 to 30; got 'rate(31 days)'"),
])
def test_create_solution_rules(imported: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(imported.aws.personalize.exceptions.InvalidInputException) as exc:
        imported.aws.personalize.create_solution(name="s", datasetGroupArn=imported.arns["dataset_group"], **params)
    assert _error(exc) == ("InvalidInputException", message)


def test_solution_names_are_unique(imported: Any, kit: SimpleNamespace) -> None:
    imported.solution()
    with pytest.raises(imported.aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        imported.solution()
    assert _error(exc)[1] == ("Another resource with Arn "
                              f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:solution/demo-solution already exists.")


def test_update_solution(imported: Any) -> None:
    aws = imported.aws
    arn = imported.solution()
    events = {"eventParametersList": [{"eventType": "click", "weight": 0.5}]}
    aws.personalize.update_solution(solutionArn=arn, performAutoTraining=False, solutionUpdateConfig={
        "autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}, "eventsConfig": events})
    solution = aws.describe("solution", arn)
    assert solution["performAutoTraining"] is False
    assert solution["solutionConfig"]["autoTrainingConfig"] == {"schedulingExpression": "rate(3 days)"}
    assert solution["solutionConfig"]["eventsConfig"] == events
    update = solution["latestSolutionUpdate"]
    assert update["status"] == "ACTIVE" and update["performAutoTraining"] is False
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.update_solution(solutionArn=arn, performIncrementalUpdate=True)
    assert _error(exc)[1] == "performIncrementalUpdate can be true only for aws-semantic-similarity solutions."
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.update_solution(solutionArn=arn, solutionUpdateConfig={
            "autoTrainingConfig": {"schedulingExpression": "every day"}})
    assert _error(exc)[1] == ("1 validation error detected: solutionUpdateConfig.autoTrainingConfig."
                              "schedulingExpression: value must match the pattern rate\\(\\d+ days?\\); "
                              "got 'every day'")


def test_training_mode_update_needs_user_personalization(imported: Any) -> None:
    imported.solution()
    with pytest.raises(imported.aws.personalize.exceptions.InvalidInputException) as exc:
        imported.version(trainingMode="UPDATE")
    assert _error(exc)[1] == "trainingMode UPDATE is supported only by aws-user-personalization solutions."


def test_delete_solution_takes_its_versions(imported: Any) -> None:
    aws = imported.aws
    arn = imported.solution()
    version = imported.version()["solutionVersionArn"]
    campaign = imported.campaign()
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.delete_solution(solutionArn=arn)
    assert _error(exc)[1] == f"Solution {arn} has campaigns; delete them first."
    aws.personalize.delete_campaign(campaignArn=campaign)
    aws.personalize.delete_solution(solutionArn=arn)
    aws.wait_gone("solution", arn)
    with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
        aws.describe("version", version)
    assert _error(exc)[1] == f"Resource Arn {version} does not exist."
    assert aws.personalize.list_solution_versions()["solutionVersions"] == []


# -- true/false hyperparameters, spelled either way (the Developer Guide writes "true") ---------------
_UP = "arn:aws:personalize:::recipe/aws-user-personalization"
_UP2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"


@pytest.mark.parametrize(("recipe", "name", "value"), [
    (_UP, "recency_mask", "true"), (_UP, "recency_mask", "false"), (_UP, "recency_mask", "True"),
    (_UP2, "apply_recency_bias", "True"), (_UP2, "apply_recency_bias", "false"),
])
def test_boolean_hyperparameters_accept_either_case(imported: Any, recipe: str, name: str, value: str) -> None:
    config = {"algorithmHyperParameters": {name: value}}
    arn = imported.solution(recipe, solutionConfig=config)
    assert imported.aws.describe("solution", arn)["solutionConfig"]["algorithmHyperParameters"] == {name: value}


def test_hpo_example_of_the_developer_guide_is_accepted(imported: Any) -> None:
    """The guide's HPO example: recency_mask as a categorical range of lower-case "true"/"false"."""
    config = {"algorithmHyperParameters": {"hidden_dimension": "55"}, "hpoConfig": {
        "algorithmHyperParameterRanges": {
            "categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["true", "false"]}],
            "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2, "maxValue": 22}],
            "continuousHyperParameterRanges": []},
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "4", "maxParallelTrainingJobs": "2"}}}
    arn = imported.solution(_UP, performHPO=True, solutionConfig=config)
    assert imported.aws.describe("solution", arn)["solutionConfig"]["hpoConfig"] == config["hpoConfig"]


def test_a_boolean_hyperparameter_still_refuses_other_words(imported: Any) -> None:
    with pytest.raises(imported.aws.personalize.exceptions.InvalidInputException) as exc:
        imported.solution(_UP, solutionConfig={"algorithmHyperParameters": {"recency_mask": "yes"}})
    assert _error(exc) == ("InvalidInputException", "1 validation error detected: solutionConfig."
                           "algorithmHyperParameters.recency_mask: must be one of True, False; got 'yes'")


def test_the_shared_rules_accept_either_case() -> None:
    """The rules the provider's ``check`` shares: the same answer offline as from the emulator."""
    from personalize_api import check_create_solution

    base = {"name": "s", "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"}
    for recipe, config in (
        (_UP, {"algorithmHyperParameters": {"recency_mask": "false"}}),
        (_UP2, {"algorithmHyperParameters": {"apply_recency_bias": "True"}}),
        (_UP, {"hpoConfig": {"algorithmHyperParameterRanges": {"categoricalHyperParameterRanges": [
            {"name": "recency_mask", "values": ["true", "false"]}]}}}),
    ):
        assert check_create_solution({**base, "recipeArn": recipe, "solutionConfig": config}) == []
    problems = check_create_solution({**base, "recipeArn": _UP, "solutionConfig": {
        "algorithmHyperParameters": {"recency_mask": "maybe"}}})
    assert [p.reason for p in problems] == [
        "solutionConfig.algorithmHyperParameters.recency_mask: must be one of True, False; got 'maybe'"]


def test_a_version_trains_its_own_snapshot_of_the_solution(manual: Any, data_csv: Any, kit: SimpleNamespace,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # The version copies the solution's fields at CreateSolutionVersion; an UpdateSolution that lands
    # while it waits (here: a new eventsConfig) must not change what it trains.
    from personalize_emulator import training

    trained: list[dict[str, Any]] = []
    real_train = training.train
    monkeypatch.setattr(training, "train", lambda job, data, out: (trained.append(job.solution),
                                                                   real_train(job, data, out))[1])
    aws, emulator = manual.aws, manual.emulator
    group = aws.personalize.create_dataset_group(name="snap")["datasetGroupArn"]
    emulator.run_pending()
    schema = aws.personalize.create_schema(name="snap-schema", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = aws.personalize.create_dataset(name="snap-interactions", datasetGroupArn=group, schemaArn=schema,
                                             datasetType="Interactions")["datasetArn"]
    emulator.run_pending()
    aws.personalize.create_dataset_import_job(jobName="snap-import", datasetArn=dataset, roleArn=kit.ROLE,
                                              dataSource={"dataLocation": data_csv.as_uri()})
    emulator.run_pending()
    solution = aws.personalize.create_solution(name="snap-solution", datasetGroupArn=group,
                                               recipeArn=kit.POPULARITY, performAutoTraining=False)["solutionArn"]
    emulator.run_pending()
    version = aws.personalize.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    events = {"eventParametersList": [{"eventType": "click", "weight": 0.5}]}
    with emulator.store.write() as conn:  # an update that became ACTIVE while the version waited
        row = emulator.store.lock_row(conn, solution)
        assert row is not None
        row.body["solutionConfig"] = {**row.body.get("solutionConfig", {}), "eventsConfig": events}
        emulator.store.save(row, conn)
    emulator.run_pending()
    assert aws.describe("version", version)["status"] == "ACTIVE"
    assert len(trained) == 1 and "eventsConfig" not in trained[0].get("solutionConfig", {})
