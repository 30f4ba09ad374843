"""SolutionProvider.diff: normalise, then decide per nested field; no network."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_personalize import SolutionProvider

DSG_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"
ARN = "arn:aws:personalize:us-east-1:123456789012:solution/my-solution"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"


def inputs(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": "my-solution", "datasetGroupArn": DSG_ARN, "recipeArn": UP,
        "solutionConfig": {"eventValueThreshold": "1", "autoTrainingConfig": {"schedulingExpression": "rate(3 days)"},
                           "eventsConfig": {"eventParametersList": [{"eventType": "click", "weight": 0.5}]}},
        "tags": [{"tagKey": "a", "tagValue": "1"}, {"tagKey": "b", "tagValue": "2"}],
    }
    props.update(changes)
    return {k: v for k, v in props.items() if v is not None}


def outputs(props: dict[str, Any]) -> dict[str, Any]:
    """What create echoes: every input plus the output-only members."""
    return {**copy.deepcopy(props), "solutionArn": ARN, "status": "ACTIVE",
            "creationDateTime": "2026-01-01T00:00:00", "lastUpdatedDateTime": "2026-01-01T00:00:00",
            "latestSolutionVersion": {"status": "ACTIVE"}, "__provider": "pickled"}


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[bool | None, list[str], bool | None]:
    result = SolutionProvider().diff(ARN, outputs(old), new)
    return result.changes, result.replaces or [], result.delete_before_replace


def with_config(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    props = inputs()
    node = props
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return props


def test_no_change_is_no_diff() -> None:
    assert diff(inputs(), inputs()) == (False, [], None)


IN_PLACE = [
    ("performAutoTraining", inputs(performAutoTraining=False)),
    ("performIncrementalUpdate", inputs(performIncrementalUpdate=True)),
    ("autoTrainingConfig", with_config(("solutionConfig", "autoTrainingConfig", "schedulingExpression"),
                                       "rate(5 days)")),
    ("eventsConfig-weight", with_config(("solutionConfig", "eventsConfig", "eventParametersList"),
                                        [{"eventType": "click", "weight": 0.7}])),
    ("eventsConfig-removed", with_config(("solutionConfig", "eventsConfig"), None)),
    ("tags-value", inputs(tags=[{"tagKey": "a", "tagValue": "9"}, {"tagKey": "b", "tagValue": "2"}])),
    ("tags-removed", inputs(tags=None)),
]


@pytest.mark.parametrize("new", [c[1] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_in_place_fields_update(new: dict[str, Any]) -> None:
    assert diff(inputs(), new) == (True, [], None)


REPLACE = [
    ("name", inputs(name="other"), "name"),
    ("recipeArn", inputs(recipeArn="arn:aws:personalize:::recipe/aws-user-personalization-v2"), "recipeArn"),
    ("datasetGroupArn", inputs(datasetGroupArn=DSG_ARN + "2"), "datasetGroupArn"),
    ("performHPO", inputs(performHPO=True), "performHPO"),
    # with AutoML the API documents performHPO as always true (DescribeSolution reports it)
    ("performAutoML", inputs(performAutoML=True), ["performAutoML", "performHPO"]),
    ("eventType", inputs(eventType="click"), "eventType"),
    ("eventValueThreshold", with_config(("solutionConfig", "eventValueThreshold"), "2"), "solutionConfig"),
    ("hpoConfig", with_config(("solutionConfig", "hpoConfig"), {"hpoResourceConfig": {
        "maxNumberOfTrainingJobs": "4"}}), "solutionConfig"),
    ("algorithmHyperParameters", with_config(("solutionConfig", "algorithmHyperParameters"), {"bptt": "3"}),
     "solutionConfig"),
    ("featureTransformationParameters", with_config(("solutionConfig", "featureTransformationParameters"),
                                                    {"x": "1"}), "solutionConfig"),
    ("autoMLConfig", with_config(("solutionConfig", "autoMLConfig"), {"metricName": "coverage"}), "solutionConfig"),
    ("optimizationObjective", with_config(("solutionConfig", "optimizationObjective"), {"itemAttribute": "P"}),
     "solutionConfig"),
    ("trainingDataConfig", with_config(("solutionConfig", "trainingDataConfig"), {"excludedDatasetColumns": {
        "ITEMS": ["C"]}}), "solutionConfig"),
    ("target", inputs(target="embedded"), "target"),
    ("region", inputs(region="eu-west-1"), "region"),
]


@pytest.mark.parametrize(("new", "key"), [c[1:] for c in REPLACE], ids=[c[0] for c in REPLACE])
def test_create_only_fields_replace_naming_the_top_level_key(new: dict[str, Any], key: str | list[str]) -> None:
    """Deleted first only when the replacement would collide: the same name in the same region."""
    keys = key if isinstance(key, list) else [key]
    assert diff(inputs(), new) == (True, keys, key not in ("name", "region"))


def test_replace_and_update_together_list_only_the_replacing_key() -> None:
    new = inputs(performAutoTraining=False, recipeArn="arn:aws:personalize:::recipe/aws-user-personalization-v2")
    assert diff(inputs(), new) == (True, ["recipeArn"], True)


NORMALISED = [
    ("none-vs-absent", inputs(eventType=None), {**inputs(), "eventType": None}),
    ("int-vs-whole-float", with_config(("solutionConfig", "eventsConfig", "eventParametersList"),
                                       [{"eventType": "click", "weight": 1}]),
     with_config(("solutionConfig", "eventsConfig", "eventParametersList"), [{"eventType": "click", "weight": 1.0}])),
    ("tag-order", inputs(), inputs(tags=[{"tagKey": "b", "tagValue": "2"}, {"tagKey": "a", "tagValue": "1"}])),
    ("empty-tags", inputs(tags=None), inputs(tags=[])),
    ("default-performAutoTraining", inputs(), inputs(performAutoTraining=True)),
    ("default-performHPO", inputs(), inputs(performHPO=False)),
    ("default-performAutoML", inputs(), inputs(performAutoML=False)),
    ("default-incremental", inputs(), inputs(performIncrementalUpdate=False)),
    ("default-schedule", with_config(("solutionConfig", "autoTrainingConfig"), None),
     with_config(("solutionConfig", "autoTrainingConfig"), {"schedulingExpression": "rate(7 days)"})),
    ("empty-object", inputs(), with_config(("solutionConfig", "hpoConfig"), {})),
    ("target-aws", inputs(), inputs(target="aws")),
    ("timeouts", inputs(), inputs(timeouts={"create": "2h"})),
    ("region-from-arn", inputs(), inputs(region="us-east-1")),
]


@pytest.mark.parametrize(("old", "new"), [c[1:] for c in NORMALISED], ids=[c[0] for c in NORMALISED])
def test_normalisation_hides_non_changes(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert diff(old, new) == (False, [], None)
    assert diff(new, old)[1] == []


def test_output_only_keys_never_diff() -> None:
    old = outputs(inputs())
    old.update(status="CREATE FAILED", solutionArn="changed", autoMLResult={"bestRecipeArn": "x"})
    assert SolutionProvider().diff(ARN, old, inputs()).changes is False


def test_bool_is_not_a_number() -> None:
    assert diff(inputs(performHPO=True), inputs(performHPO=1))[1] == ["performHPO"]


def test_unknown_create_only_value_replaces() -> None:
    assert diff(inputs(), inputs(datasetGroupArn=Unknown())) == (True, ["datasetGroupArn"], True)
    unknown_nested = with_config(("solutionConfig", "algorithmHyperParameters"), {"bptt": Unknown()})
    assert diff(inputs(), unknown_nested)[1] == ["solutionConfig"]
    assert diff(inputs(), inputs(solutionConfig=Unknown()))[1] == ["solutionConfig"]


def test_unknown_in_place_value_updates() -> None:
    assert diff(inputs(), inputs(performAutoTraining=Unknown())) == (True, [], None)
    events = with_config(("solutionConfig", "eventsConfig"), Unknown())
    assert diff(inputs(), events) == (True, [], None)
    assert diff(inputs(), inputs(tags=[{"tagKey": "a", "tagValue": Unknown()}])) == (True, [], None)


def test_autonamed_solution_replaces_create_before_delete() -> None:
    old = {**inputs(name="sol-abc1234"), "namePrefix": "sol"}
    new = {**inputs(name="sol-xyz9876", eventType="click"), "namePrefix": "sol"}
    assert diff(old, new) == (True, ["eventType"], False)


def test_switching_from_autoname_to_explicit_name_replaces() -> None:
    old = {**inputs(name="sol-abc1234"), "namePrefix": "sol"}
    assert diff(old, inputs(name="fixed")) == (True, ["name"], False)
    # ...and back: the autoname is fresh, so nothing collides either
    assert diff(inputs(name="fixed"), {**inputs(name="sol-abc1234"), "namePrefix": "sol"}) == (True, ["name"], False)


class TestAutonaming:
    """check fills ``name`` from ``namePrefix``: kept across updates, fresh on replacement."""

    def test_new_name_is_valid_for_the_api(self) -> None:
        long_prefix = "My.Very Long/Resource" * 5
        name = SolutionProvider().check({}, {**inputs(name=None), "namePrefix": long_prefix}).inputs["name"]
        assert len(name) <= 63 and name.startswith("My-Very-Long-Resource")
        assert SolutionProvider().check({}, {**inputs(name=None), "namePrefix": long_prefix}).failures == []

    def test_name_kept_when_the_change_is_in_place(self) -> None:
        first = SolutionProvider().check({}, {**inputs(name=None), "namePrefix": "sol"}).inputs
        again = SolutionProvider().check(first, {**inputs(name=None, performAutoTraining=False),
                                                 "namePrefix": "sol"}).inputs
        assert again["name"] == first["name"]

    def test_fresh_name_when_the_change_replaces(self) -> None:
        first = SolutionProvider().check({}, {**inputs(name=None), "namePrefix": "sol"}).inputs
        again = SolutionProvider().check(first, {**inputs(name=None, eventType="buy"), "namePrefix": "sol"}).inputs
        assert again["name"] != first["name"] and again["name"].startswith("sol-")
