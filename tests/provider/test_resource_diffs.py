"""diff for every resource besides Solution: which fields change in place, which replace, and the
normalisations each resource needs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi.output import Unknown

import pulumi_personalize as pp

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
SV1 = f"{ACCOUNT}:solution/sol/v1"
SCHEMA = {"type": "record", "name": "Interactions", "fields": [{"name": "USER_ID", "type": "string"}]}

BASE: dict[str, dict[str, Any]] = {
    "DatasetGroup": {"name": "dg", "domain": "ECOMMERCE", "tags": [{"tagKey": "a", "tagValue": "1"}]},
    "Schema": {"name": "s", "schema": json.dumps(SCHEMA)},
    "Dataset": {"name": "d", "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg", "datasetType": "Interactions",
                "schemaArn": f"{ACCOUNT}:schema/s"},
    "DatasetImportJob": {"jobName": "j", "datasetArn": f"{ACCOUNT}:dataset/dg/INTERACTIONS",
                         "dataSource": {"dataLocation": "s3://b/k.csv"}},
    "SolutionVersion": {"solutionArn": f"{ACCOUNT}:solution/sol", "name": "v"},
    "Campaign": {"name": "c", "solutionVersionArn": SV1},
    "EventTracker": {"name": "e", "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg"},
    "Filter": {"name": "f", "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg",
               "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'},
}


def diff(kind: str, changes: dict[str, Any], *, old_changes: dict[str, Any] | None = None) -> tuple[Any, ...]:
    provider = pp.PROVIDERS[kind]()
    old = {**BASE[kind], **(old_changes or {}), provider.spec.arn_key: f"{ACCOUNT}:x/y", "status": "ACTIVE"}
    new = {k: v for k, v in {**BASE[kind], **changes}.items() if v is not None}
    result = provider.diff("id", old, new)
    return result.changes, result.replaces or [], result.delete_before_replace


UPDATES = [
    ("DatasetGroup", {"tags": [{"tagKey": "a", "tagValue": "2"}]}),
    ("Dataset", {"schemaArn": f"{ACCOUNT}:schema/s2"}),
    ("Dataset", {"tags": [{"tagKey": "t", "tagValue": "v"}]}),
    ("DatasetImportJob", {"tags": [{"tagKey": "t", "tagValue": "v"}]}),
    ("SolutionVersion", {"tags": [{"tagKey": "t", "tagValue": "v"}]}),
    ("Campaign", {"solutionVersionArn": f"{ACCOUNT}:solution/sol/v2"}),
    ("Campaign", {"solutionVersionArn": f"{ACCOUNT}:solution/sol/$LATEST",
                  "campaignConfig": {"syncWithLatestSolutionVersion": True}}),
    ("Campaign", {"solutionVersionArn": Unknown()}),
    ("Campaign", {"minProvisionedTPS": 5}),
    ("Campaign", {"campaignConfig": {"itemExplorationConfig": {"exploration_weight": "0.5"}}}),
    ("EventTracker", {"tags": [{"tagKey": "t", "tagValue": "v"}]}),
    ("Filter", {"tags": [{"tagKey": "t", "tagValue": "v"}]}),
]


@pytest.mark.parametrize(("kind", "changes"), UPDATES, ids=[f"{k}-{sorted(c)[0]}" for k, c in UPDATES])
def test_in_place(kind: str, changes: dict[str, Any]) -> None:
    assert diff(kind, changes) == (True, [], None)


REPLACES = [
    ("DatasetGroup", {"name": "dg2"}, "name", False),
    ("DatasetGroup", {"domain": "VIDEO_ON_DEMAND"}, "domain", True),
    ("DatasetGroup", {"roleArn": "arn:aws:iam::123456789012:role/r"}, "roleArn", True),
    ("DatasetGroup", {"kmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/k"}, "kmsKeyArn", True),
    ("Schema", {"schema": json.dumps({**SCHEMA, "name": "Other"})}, "schema", True),
    ("Schema", {"domain": "ECOMMERCE"}, "domain", True),
    ("Dataset", {"datasetType": "Items"}, "datasetType", True),
    ("Dataset", {"datasetGroupArn": f"{ACCOUNT}:dataset-group/other"}, "datasetGroupArn", True),
    ("DatasetImportJob", {"dataSource": {"dataLocation": "s3://b/other.csv"}}, "dataSource", True),
    ("DatasetImportJob", {"importMode": "INCREMENTAL"}, "importMode", True),
    ("DatasetImportJob", {"roleArn": "arn:aws:iam::123456789012:role/r"}, "roleArn", True),
    ("SolutionVersion", {"trainingMode": "UPDATE"}, "trainingMode", True),
    ("SolutionVersion", {"solutionArn": f"{ACCOUNT}:solution/other"}, "solutionArn", True),
    ("Campaign", {"solutionVersionArn": f"{ACCOUNT}:solution/other/v1"}, "solutionVersionArn", True),
    ("Campaign", {"name": "c2"}, "name", False),
    ("EventTracker", {"datasetGroupArn": f"{ACCOUNT}:dataset-group/other"}, "datasetGroupArn", True),
    ("Filter", {"filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'},
     "filterExpression", True),
    ("Filter", {"datasetGroupArn": f"{ACCOUNT}:dataset-group/other"}, "datasetGroupArn", True),
    ("Filter", {"name": "f2"}, "name", False),
]


@pytest.mark.parametrize(("kind", "changes", "key", "delete_first"), REPLACES,
                         ids=[f"{k}-{key}" for k, _, key, _ in REPLACES])
def test_replace(kind: str, changes: dict[str, Any], key: str, delete_first: bool) -> None:
    """Deleted first only when the replacement keeps the explicit name (it would collide); a renamed
    resource is created first, so a campaign renamed ``live`` -> ``live-v2`` never goes offline."""
    assert diff(kind, changes) == (True, [key], delete_first)


NO_CHANGE = [
    ("Schema", {"schema": json.dumps(SCHEMA, indent=4)}),
    ("Dataset", {"datasetType": "INTERACTIONS"}),
    ("DatasetImportJob", {"importMode": "FULL", "publishAttributionMetricsToS3": False}),
    ("SolutionVersion", {"trainingMode": "FULL"}),
    ("Campaign", {"minProvisionedTPS": 1.0, "campaignConfig": {"enableMetadataWithRecommendations": False}}),
    ("DatasetGroup", {"tags": [{"tagKey": "a", "tagValue": "1"}], "timeouts": {"delete": "1h"}}),
]


@pytest.mark.parametrize(("kind", "changes"), NO_CHANGE, ids=[k for k, _ in NO_CHANGE])
def test_normalised_no_change(kind: str, changes: dict[str, Any]) -> None:
    assert diff(kind, changes) == (False, [], None)


def test_schema_given_as_a_dict_is_sent_as_json_text() -> None:
    from pulumi_personalize.schema import _as_text

    assert json.loads(_as_text(SCHEMA)) == SCHEMA


def test_an_unnamed_solution_version_replaces_create_before_delete() -> None:
    provider = pp.SolutionVersionProvider()
    old = {"solutionArn": f"{ACCOUNT}:solution/sol", "solutionVersionArn": SV1}
    result = provider.diff(SV1, old, {"solutionArn": f"{ACCOUNT}:solution/other"})
    assert (result.replaces, result.delete_before_replace) == (["solutionArn"], False)


def test_target_change_replaces_everything() -> None:
    for kind in BASE:
        assert diff(kind, {"target": "embedded"})[1] == ["target"], kind
