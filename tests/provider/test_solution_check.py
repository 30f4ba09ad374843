"""SolutionProvider.check: one failure per problem, property = top-level key, reason = dotted path
+ rule + what is allowed; unknowns skipped; no network."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_personalize import SolutionProvider
from pulumi_personalize.testing import UNKNOWN

DSG_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
POP = "arn:aws:personalize:::recipe/aws-popularity-count"


def check(props: dict[str, Any], olds: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    result = SolutionProvider().check(olds or {}, props)
    return [(f.property, f.reason) for f in result.failures]


def base(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"name": "my-solution", "datasetGroupArn": DSG_ARN, "recipeArn": UP}
    props.update(changes)
    return {k: v for k, v in props.items() if v is not None}


def test_valid_request_has_no_failures() -> None:
    assert check(base()) == []


# (id, props, property, text every matching reason must contain)
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # -- constraint classes from the model ------------------------------------------------------
    ("required", {"recipeArn": UP, "name": "s"}, "datasetGroupArn", "datasetGroupArn: is required"),
    ("unknown-key", base(recipeARN=UP), "recipeARN", "is not a member of CreateSolutionRequest; did you mean "
                                                     "'recipeArn'?"),
    ("type-bool", base(performHPO="yes"), "performHPO", "performHPO: must be a boolean"),
    ("type-struct", base(solutionConfig="x"), "solutionConfig", "solutionConfig: must be an object"),
    ("type-list", base(tags={"a": "b"}), "tags", "tags: must be a list"),
    ("type-string-number", base(solutionConfig={"eventValueThreshold": 1.5}), "solutionConfig",
     "solutionConfig.eventValueThreshold: value must be a string, got number (write it as the string '1.5')"),
    ("min-length", base(name=""), "name", "name: value must be at least 1 characters, got 0"),
    ("max-length", base(name="a" * 64), "name", "name: value must be at most 63 characters, got 64"),
    ("pattern", base(name="-bad"), "name", "name: value must match the pattern ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"),
    ("pattern-arn", base(datasetGroupArn="dg"), "datasetGroupArn", "must match the pattern arn:"),
    ("enum", base(solutionConfig={"optimizationObjective": {"objectiveSensitivity": "MAX"}}), "solutionConfig",
     "solutionConfig.optimizationObjective.objectiveSensitivity: value must be one of LOW, MEDIUM, HIGH, OFF"),
    ("range-double", base(solutionConfig={"eventsConfig": {"eventParametersList": [{"weight": 1.5}]}}),
     "solutionConfig", "solutionConfig.eventsConfig.eventParametersList[0].weight: must be <= 1"),
    ("range-integer", base(performHPO=True, solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
        "integerHyperParameterRanges": [{"name": "bptt", "minValue": -2000000, "maxValue": 3}]}}}),
     "solutionConfig", "integerHyperParameterRanges[0].minValue: must be >= -1000000"),
    ("type-integer", base(solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
        "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2.5}]}}}),
     "solutionConfig", "minValue: must be a whole number"),
    ("max-items", base(solutionConfig={"eventsConfig": {"eventParametersList": [{"weight": 0.1}] * 11}}),
     "solutionConfig", "solutionConfig.eventsConfig.eventParametersList: must have at most 10 items, got 11"),
    ("map-max", base(solutionConfig={"trainingDataConfig": {"excludedDatasetColumns": {
        k: ["C"] for k in ("INTERACTIONS", "ITEMS", "USERS", "ACTIONS")}}}),
     "solutionConfig", "excludedDatasetColumns: must have at most 3 entries, got 4"),
    ("map-key-pattern", base(solutionConfig={"trainingDataConfig": {"excludedDatasetColumns": {"IT-EMS": ["C"]}}}),
     "solutionConfig", "excludedDatasetColumns.IT-EMS: key must match the pattern ^[A-Za-z_]+$"),
    ("tag-required", base(tags=[{"tagKey": "team"}]), "tags", "tags[0].tagValue: is required"),
    ("tag-pattern", base(tags=[{"tagKey": "a!", "tagValue": "b"}]), "tags", "tags[0].tagKey: value must match"),
    ("tags-max", base(tags=[{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)]), "tags",
     "tags: must have at most 200 items, got 201"),
    # -- cross-field rules (reference: CreateSolution semantic rules) -----------------------------
    ("automl-and-recipe", base(performAutoML=True), "recipeArn",
     "recipeArn: must be omitted when performAutoML is true"),
    ("automl-hpo-false", base(recipeArn=None, performAutoML=True, performHPO=False), "performHPO",
     "performHPO: is always true when performAutoML is true"),
    ("recipe-required", base(recipeArn=None), "recipeArn", "recipeArn: is required unless performAutoML is true"),
    ("recipe-unknown", base(recipeArn="arn:aws:personalize:::recipe/aws-magic"), "recipeArn",
     "recipeArn: must name a predefined recipe"),
    ("recipe-legacy", base(recipeArn="arn:aws:personalize:::recipe/aws-hrnn"), "recipeArn",
     "a legacy recipe that is no longer available"),
    ("automl-metric", base(recipeArn=None, performAutoML=True, solutionConfig={"autoMLConfig": {
        "metricName": "accuracy"}}), "solutionConfig", "solutionConfig.autoMLConfig.metricName: must be one of"),
    ("automl-recipe-list", base(recipeArn=None, performAutoML=True, solutionConfig={"autoMLConfig": {
        "recipeList": [SIMS]}}), "solutionConfig", "AutoML searches USER_PERSONALIZATION recipes only"),
    ("hpo-jobs-40", base(performHPO=True, solutionConfig={"hpoConfig": {"hpoResourceConfig": {
        "maxNumberOfTrainingJobs": "41"}}}), "solutionConfig",
     "maxNumberOfTrainingJobs: must be a whole number from 1 to 40"),
    ("hpo-parallel-10", base(performHPO=True, solutionConfig={"hpoConfig": {"hpoResourceConfig": {
        "maxParallelTrainingJobs": "11"}}}), "solutionConfig",
     "maxParallelTrainingJobs: must be a whole number from 1 to 10"),
    ("range-min-gt-max", base(performHPO=True, solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
        "integerHyperParameterRanges": [{"name": "bptt", "minValue": 20, "maxValue": 10}]}}}),
     "solutionConfig", "integerHyperParameterRanges[0].minValue: must be <= maxValue (10); got 20"),
    ("range-not-tunable", base(performHPO=True, solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
        "continuousHyperParameterRanges": [{"name": "min_user_history_length_percentile", "minValue": 0,
                                            "maxValue": 1}]}}}),
     "solutionConfig", "is not a tunable hyperparameter of aws-user-personalization"),
    ("schedule-days", base(solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(31 days)"}}),
     "solutionConfig", "must be rate(N days) with N from 1 to 30; got 'rate(31 days)'"),
    ("schedule-pattern", base(solutionConfig={"autoTrainingConfig": {"schedulingExpression": "cron(1)"}}),
     "solutionConfig", "schedulingExpression: value must match the pattern"),
    ("incremental", base(performIncrementalUpdate=True), "performIncrementalUpdate",
     "can be true only with the aws-semantic-similarity recipe"),
    ("hyperparameter-name", base(solutionConfig={"algorithmHyperParameters": {"depth": "3"}}), "solutionConfig",
     "solutionConfig.algorithmHyperParameters.depth: is not a hyperparameter of aws-user-personalization"),
    ("hyperparameter-value", base(solutionConfig={"algorithmHyperParameters": {"bptt": "99"}}), "solutionConfig",
     "solutionConfig.algorithmHyperParameters.bptt: must be an integer in [2, 32]; got '99'"),
    ("feature-transformation", base(recipeArn="arn:aws:personalize:::recipe/aws-trending-now", solutionConfig={
        "featureTransformationParameters": {"trend_discovery_frequency": "2 days"}}), "solutionConfig",
     "trend_discovery_frequency: must be one of 30 minutes, 1 hour, 2 hours, 3 hours, 1 day"),
    ("objective-recipe", base(recipeArn=SIMS, solutionConfig={"optimizationObjective": {"itemAttribute": "PRICE"}}),
     "solutionConfig", "optimizationObjective: is supported only by USER_PERSONALIZATION and PERSONALIZED_RANKING"),
    ("event-threshold-number", base(solutionConfig={"eventValueThreshold": "high"}), "solutionConfig",
     "solutionConfig.eventValueThreshold: must be a number written as a string"),
    ("hpo-objective", base(performHPO=True, solutionConfig={"hpoConfig": {"hpoObjective": {
        "type": "Maximize", "metricName": "precision_at_25"}}}), "solutionConfig",
     "solutionConfig.hpoConfig.hpoObjective: is not configurable"),
    # -- provider-only keys ------------------------------------------------------------------------
    ("target", base(target="localhost:4566"), "target", "target: must be 'aws', 'embedded'"),
    ("region", base(region="mars-1"), "region", "region: must be an AWS region name"),
    ("timeouts-key", base(timeouts={"craete": "5m"}), "timeouts", "timeouts.craete: is not a timeout"),
    ("timeouts-value", base(timeouts={"create": "soon"}), "timeouts", "timeouts.create: must be a positive duration"),
    ("name-prefix", {"datasetGroupArn": DSG_ARN, "recipeArn": UP, "namePrefix": 3}, "namePrefix",
     "namePrefix: must be a non-empty string"),
]


@pytest.mark.parametrize(("props", "prop", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_fails_with_property_and_reason(props: dict[str, Any], prop: str, text: str) -> None:
    failures = check(props)
    assert any(p == prop and text in reason for p, reason in failures), failures
    assert all(reason.startswith(p) for p, reason in failures if p), failures


def test_every_problem_is_reported_not_just_the_first() -> None:
    failures = check(base(name="", performHPO="no", tags=[{"tagKey": ""}], recipeArn=None, bogus=1))
    props = [p for p, _ in failures]
    assert set(props) == {"name", "performHPO", "tags", "recipeArn", "bogus"}
    assert props.count("tags") == 2  # tagKey too short and tagValue missing: one failure per problem


def test_whole_floats_are_integers_as_the_sdk_sends_numbers_as_doubles() -> None:
    props = base(performHPO=True, solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
        "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2.0, "maxValue": 16.0}]}}})
    assert check(props) == []


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown", "sentinel"])
def test_unknown_values_are_skipped(unknown: Any) -> None:
    props = base(datasetGroupArn=unknown, recipeArn=unknown, performAutoML=unknown, tags=unknown,
                 solutionConfig={"eventsConfig": unknown, "autoTrainingConfig": {"schedulingExpression": unknown},
                                 "algorithmHyperParameters": {"bptt": unknown}})
    assert check(props) == []


def test_unknown_automl_flag_does_not_require_a_recipe() -> None:
    assert check(base(recipeArn=None, performAutoML=Unknown())) == []


def test_check_returns_inputs_and_keeps_unknowns_for_the_engine() -> None:
    result = SolutionProvider().check({}, {**base(datasetGroupArn=Unknown()), "__provider": "x"})
    assert isinstance(result.inputs["datasetGroupArn"], Unknown)
    assert "__provider" not in result.inputs  # the SDK adds it back itself


def test_file_scheme_only_with_an_emulator_target() -> None:
    from pulumi_personalize import DatasetImportJobProvider

    props = {"jobName": "j", "datasetArn": DSG_ARN.replace("dataset-group/dg", "dataset/dg/INTERACTIONS"),
             "dataSource": {"dataLocation": "file:///tmp/x.csv"}}
    aws = DatasetImportJobProvider().check({}, props).failures
    assert [(f.property, f.reason.split(";")[0]) for f in aws] == [
        ("dataSource", "dataSource.dataLocation: value must match the pattern (s3|http|https)://.+")]
    assert "file:// locations work only with an emulator target" in aws[0].reason
    for target in ("embedded", "http://127.0.0.1:9000", Unknown()):
        assert DatasetImportJobProvider().check({}, {**props, "target": target}).failures == []


def hpo(jobs: str) -> dict[str, Any]:
    return base(performHPO=True, solutionConfig={"hpoConfig": {"hpoResourceConfig": {
        "maxNumberOfTrainingJobs": jobs}}})


@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0660", "1_0", " 4", "4.0", "+4"])
def test_hpo_limits_are_ascii_whole_numbers_and_never_crash_check(value: str) -> None:
    """``"²".isdigit()`` is true and ``int("²")`` raises: check must fail, not crash (issue 9.10)."""
    assert check(hpo(value)) == [(
        "solutionConfig", "solutionConfig.hpoConfig.hpoResourceConfig.maxNumberOfTrainingJobs: must be a whole "
        f"number from 1 to 40, written as a string; got {value!r}")]
    assert check(hpo("4")) == []


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "\u0661\u0660", "1_0", "0x1", " 0.5", "1e999"])
def test_event_value_threshold_is_an_ascii_decimal(value: str) -> None:
    assert check(base(solutionConfig={"eventValueThreshold": value})) == [(
        "solutionConfig", "solutionConfig.eventValueThreshold: must be a number written as a string (events with a "
        f"value >= it are kept); got {value!r}")]
    assert check(base(solutionConfig={"eventValueThreshold": "-1.5e2"})) == []


def test_schedule_days_are_ascii_digits() -> None:
    """The model's pattern ``rate\\(\\d+ days?\\)`` is a Java regex: ``\\d`` is ASCII there."""
    failures = check(base(solutionConfig={"autoTrainingConfig": {"schedulingExpression": "rate(\u0667 days)"}}))
    assert [p for p, _ in failures] == ["solutionConfig"]
    assert failures[0][1].startswith("solutionConfig.autoTrainingConfig.schedulingExpression: value must match "
                                     "the pattern rate")


@pytest.mark.parametrize(("value", "text"), [(4.0, "'4'"), (0.5, "'0.5'")])
def test_a_number_for_a_string_hints_at_a_string_that_is_valid(value: float, text: str) -> None:
    """The hint used to say "write it as the string '4.0'", which then fails as no whole number."""
    failures = check(hpo(value))  # type: ignore[arg-type]
    assert failures[0][1].endswith(f"value must be a string, got number (write it as the string {text})")


def test_the_hpo_guides_lowercase_booleans_pass_check() -> None:
    """The Developer Guide's HPO example writes ``"values": ["true", "false"]`` for recency_mask, and
    DescribeSolutionVersion shows ``"recency_mask": "false"`` (issue 9.11)."""
    ranges = {"categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["true", "false"]}]}
    assert check(base(performHPO=True, solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": ranges}})) == []
    assert check(base(solutionConfig={"algorithmHyperParameters": {"recency_mask": "false"}})) == []
    v2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
    assert check(base(recipeArn=v2, solutionConfig={"algorithmHyperParameters": {"apply_recency_bias": "False"}})) == []
    assert [p for p, _ in check(base(solutionConfig={"algorithmHyperParameters": {"recency_mask": "yes"}}))] == [
        "solutionConfig"]
