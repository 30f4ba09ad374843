"""TagResource, UntagResource and ListTagsForResource."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def _tags(aws: Any, arn: str) -> dict[str, str]:
    return {t["tagKey"]: t["tagValue"] for t in aws.personalize.list_tags_for_resource(resourceArn=arn)["tags"]}


def test_tags_from_create_then_tag_and_untag(aws: Any) -> None:
    arn = aws.personalize.create_dataset_group(name="g", tags=[{"tagKey": "team", "tagValue": "recs"}])[
        "datasetGroupArn"]
    assert _tags(aws, arn) == {"team": "recs"}
    aws.personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": "team", "tagValue": "search"},
                                                        {"tagKey": "cost:centre", "tagValue": "42"}])
    assert _tags(aws, arn) == {"team": "search", "cost:centre": "42"}
    aws.personalize.untag_resource(resourceArn=arn, tagKeys=["team", "not-there"])
    assert _tags(aws, arn) == {"cost:centre": "42"}


def test_tags_of_every_taggable_kind(pipeline: Any, data_csv: Any) -> None:
    arns = pipeline.through_campaign(data_csv.as_uri())
    for kind in ("dataset_group", "dataset", "import_job", "solution", "version", "campaign"):
        pipeline.aws.personalize.tag_resource(resourceArn=arns[kind], tags=[{"tagKey": "kind", "tagValue": kind}])
        assert _tags(pipeline.aws, arns[kind]) == {"kind": kind}, kind


def test_too_many_tags(aws: Any) -> None:
    arn = aws.personalize.create_dataset_group(name="g", tags=[
        {"tagKey": f"k{i}", "tagValue": "v"} for i in range(150)])["datasetGroupArn"]
    with pytest.raises(aws.personalize.exceptions.TooManyTagsException) as exc:
        aws.personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": f"n{i}", "tagValue": "v"} for i in range(51)])
    assert _error(exc) == ("TooManyTagsException", "A resource can have at most 200 tags; this would make 201.")
    aws.personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": f"n{i}", "tagValue": "v"} for i in range(50)])
    assert len(_tags(aws, arn)) == 200
    # Re-tagging existing keys adds nothing.
    aws.personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": "k0", "tagValue": "w"}])
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_dataset_group(name="h", tags=[{"tagKey": f"k{i}", "tagValue": "v"} for i in range(201)])
    assert _error(exc)[1] == "1 validation error detected: tags: must have at most 200 items, got 201"


def test_tag_rules_and_missing_resources(aws: Any, kit: SimpleNamespace) -> None:
    arn = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.tag_resource(resourceArn=arn, tags=[{"tagKey": "bad#key", "tagValue": "v"}])
    assert _error(exc)[1] == ("1 validation error detected: tags[0].tagKey: value must match the pattern "
                              "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$; got 'bad#key'")
    missing = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:dataset-group/none"
    for call in (lambda: aws.personalize.list_tags_for_resource(resourceArn=missing),
                 lambda: aws.personalize.tag_resource(resourceArn=missing, tags=[{"tagKey": "a", "tagValue": "b"}]),
                 lambda: aws.personalize.untag_resource(resourceArn=missing, tagKeys=["a"])):
        with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
            call()
        assert _error(exc)[1] == f"Resource Arn {missing} does not exist."


def test_tags_go_with_their_resource(aws: Any) -> None:
    arn = aws.personalize.create_dataset_group(name="g", tags=[{"tagKey": "a", "tagValue": "b"}])["datasetGroupArn"]
    aws.personalize.delete_dataset_group(datasetGroupArn=arn)
    aws.wait_gone("dataset_group", arn)
    assert aws.personalize.create_dataset_group(name="g")["datasetGroupArn"] == arn
    assert _tags(aws, arn) == {}
