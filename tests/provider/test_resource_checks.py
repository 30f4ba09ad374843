"""check refuses what the API refuses, per resource, from the rules its documentation states.

Each rule's source is the member's documentation in botocore's ``personalize`` model (quoted);
the emulator applies the same rules, so a preview fails where ``pulumi up`` would (issue 9.13).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import pulumi_personalize as pp

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
ROLE = "arn:aws:iam::123456789012:role/PersonalizeRole"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd"
SCHEMA = {"type": "record", "name": "Interactions", "fields": [
    {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
    {"name": "TIMESTAMP", "type": "long"}]}


def failures(kind: str, props: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in pp.PROVIDERS[kind]().check({}, props).failures]


@pytest.mark.parametrize("kind", ["Interactions", "items", "USERS", "Actions", "action_interactions"])
def test_documented_dataset_types_in_any_case(kind: str) -> None:
    props = {"name": "d", "datasetGroupArn": f"{ACCOUNT}:dataset-group/g", "schemaArn": f"{ACCOUNT}:schema/s",
             "datasetType": kind}
    assert failures("Dataset", props) == []


def test_an_undocumented_dataset_type_fails() -> None:
    props = {"name": "d", "datasetGroupArn": f"{ACCOUNT}:dataset-group/g", "schemaArn": f"{ACCOUNT}:schema/s",
             "datasetType": "Clicks"}
    assert failures("Dataset", props) == [("datasetType", "datasetType: must be one of Interactions, Items, Users, "
                                                          "Actions, Action_Interactions (any case); got 'Clicks'")]


@pytest.mark.parametrize(("schema", "reason"), [
    ("{not json", "schema: not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
                  "(char 1))"),
    (json.dumps({"type": "enum", "name": "x", "symbols": ["a"]}),
     'schema: the schema must be an Avro record ({"type": "record", "name": ..., "fields": [...]})'),
    (json.dumps({**SCHEMA, "fields": [{"name": "X", "type": "bytes"}]}),
     "schema: field 'X' has type 'bytes'; Personalize supports string, int, long, float, double, boolean (and null)"),
])
def test_a_schema_that_is_not_an_avro_record_personalize_accepts_fails(schema: str, reason: str) -> None:
    assert failures("Schema", {"name": "s", "schema": schema}) == [("schema", reason)]
    assert failures("Schema", {"name": "s", "schema": json.dumps(SCHEMA)}) == []


def test_a_role_needs_a_kms_key() -> None:
    """"Supplying an IAM role is only valid when also specifying a KMS key." (CreateDatasetGroup.roleArn)"""
    assert failures("DatasetGroup", {"name": "g", "roleArn": ROLE}) == [(
        "roleArn", "roleArn: is only valid together with kmsKeyArn (the role lets Personalize use that KMS key); "
                   "add kmsKeyArn or remove roleArn")]
    assert failures("DatasetGroup", {"name": "g", "roleArn": ROLE, "kmsKeyArn": KMS}) == []
    assert failures("DatasetGroup", {"name": "g", "kmsKeyArn": KMS}) == []


def test_sync_with_latest_needs_the_latest_form() -> None:
    """"If you specify True, you must specify the ARN of your solution ... in SolutionArn/$LATEST format."""""
    sync = {"syncWithLatestSolutionVersion": True}
    concrete = {"name": "c", "solutionVersionArn": f"{ACCOUNT}:solution/s/abc", "campaignConfig": sync}
    assert failures("Campaign", concrete) == [(
        "solutionVersionArn", f"solutionVersionArn: must be <solutionArn>/$LATEST when campaignConfig."
        f"syncWithLatestSolutionVersion is true (the campaign then follows the solution's newest version); got "
        f"'{ACCOUNT}:solution/s/abc'")]
    latest = {"name": "c", "solutionVersionArn": f"{ACCOUNT}:solution/s/$LATEST"}
    assert failures("Campaign", {**latest, "campaignConfig": sync}) == []
    assert failures("Campaign", latest) == [("solutionVersionArn", "solutionVersionArn: a solutionVersionArn ending "
                                             "in /$LATEST needs campaignConfig.syncWithLatestSolutionVersion = true")]


def test_a_filter_expression_is_parsed_at_preview() -> None:
    """The documented filter language (Developer Guide, "Filter expressions"), with the emulator's parser."""
    props = {"name": "f", "datasetGroupArn": f"{ACCOUNT}:dataset-group/g"}
    documented = ('INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | '
                  'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")')
    assert failures("Filter", {**props, "filterExpression": documented}) == []
    assert failures("Filter", {**props, "filterExpression": "EXCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)"}) == [(
        "filterExpression", "filterExpression: Could not create filter. Invalid Expression: expected a quoted value "
        "(placeholders cannot be used with NOT IN: use IN with the opposite INCLUDE/EXCLUDE) at position 42, "
        "found '$GENRE'.")]
