"""BatchInferenceJob: check refuses what the API refuses, diff replaces on every input but tags."""

from __future__ import annotations

from typing import Any

import pytest

import pulumi_personalize as pp

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
BASE: dict[str, Any] = {
    "jobName": "j", "solutionVersionArn": f"{ACCOUNT}:solution/s/v1", "roleArn": "arn:aws:iam::123456789012:role/r",
    "jobInput": {"s3DataSource": {"path": "s3://bucket/in/"}},
    "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}},
}


def failures(props: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in pp.BatchInferenceJobProvider().check({}, props).failures]


def test_a_documented_job_passes() -> None:
    assert failures({**BASE, "numResults": 10, "batchInferenceJobConfig": {"itemExplorationConfig": {
        "explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}}}) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"numResults": 0}, ("numResults", "numResults: must be at least 1 (recommendations per input line); got 0")),
    ({"jobOutput": {"s3DataDestination": {"path": "s3://bucket/in"}}},
     ("jobOutput", "jobOutput.s3DataDestination.path: must differ from jobInput.s3DataSource.path (the output "
                   "would be read as input); got 's3://bucket/in'")),
    ({"batchInferenceJobMode": "THEME_GENERATION"},
     ("themeGenerationConfig", "themeGenerationConfig: is required when batchInferenceJobMode is THEME_GENERATION "
                               "(it names the Items column holding each item's name)")),
    ({"themeGenerationConfig": {"fieldsForThemeGeneration": {"itemName": "TITLE"}}},
     ("themeGenerationConfig", "themeGenerationConfig: is only valid with batchInferenceJobMode THEME_GENERATION; "
                               "remove it or set the mode")),
    ({"batchInferenceJobConfig": {"itemExplorationConfig": {"weight": "0.3"}}},
     ("batchInferenceJobConfig", "batchInferenceJobConfig.itemExplorationConfig.weight: is not a documented key; "
                                 "allowed: explorationWeight, explorationItemAgeCutOff")),
])
def test_documented_rules(change: dict[str, Any], expected: tuple[str, str]) -> None:
    assert failures({**BASE, **change}) == [expected]


def test_file_locations_only_for_an_emulator_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_PERSONALIZE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    props = {**BASE, "jobInput": {"s3DataSource": {"path": "file:///data/in/"}},
             "jobOutput": {"s3DataDestination": {"path": "file:///data/out/"}}}
    found = failures(props)
    assert [f[0] for f in found] == ["jobInput", "jobOutput"]
    assert found[0][1].endswith("; file:// locations work only with an emulator target (target 'embedded' or an "
                                "emulator URL): use s3:// on AWS")
    assert failures({**props, "target": "embedded"}) == []


def diff(changes: dict[str, Any]) -> tuple[Any, ...]:
    provider = pp.BatchInferenceJobProvider()
    old = {**BASE, "batchInferenceJobArn": f"{ACCOUNT}:batch-inference-job/j", "status": "ACTIVE",
           "numResults": 25, "batchInferenceJobMode": "BATCH_INFERENCE"}
    result = provider.diff("id", old, {**BASE, **changes})
    return result.changes, result.replaces or []


def test_defaults_and_tags_do_not_replace() -> None:
    assert diff({}) == (False, [])  # numResults 25 and BATCH_INFERENCE are the API's defaults
    assert diff({"tags": [{"tagKey": "t", "tagValue": "v"}]}) == (True, [])


@pytest.mark.parametrize(("change", "key"), [
    ({"numResults": 10}, "numResults"),
    ({"filterArn": f"{ACCOUNT}:filter/f"}, "filterArn"),
    ({"jobInput": {"s3DataSource": {"path": "s3://bucket/other/"}}}, "jobInput"),
    ({"jobOutput": {"s3DataDestination": {"path": "s3://bucket/out2/"}}}, "jobOutput"),
    ({"solutionVersionArn": f"{ACCOUNT}:solution/s/v2"}, "solutionVersionArn"),
    ({"batchInferenceJobConfig": {"itemExplorationConfig": {"explorationWeight": "0.1"}}}, "batchInferenceJobConfig"),
])
def test_every_other_change_replaces(change: dict[str, Any], key: str) -> None:
    assert diff(change) == (True, [key])
