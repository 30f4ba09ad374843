"""Every error code, with its message: through boto3 where boto3 can send the request, raw otherwise.

Codes boto3 cannot provoke (a missing or unknown X-Amz-Target, a body that is not JSON) are sent
as raw HTTP to :meth:`Emulator.handle`, which is what the server calls for every request;
``test_server.py`` repeats them over a real socket.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator.settings import Quotas, Settings

JSON11 = {"content-type": "application/x-amz-json-1.1"}


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def raw(emulator: Any, target: str | None, body: bytes | str, *, path: str = "/", method: str = "POST"
        ) -> tuple[int, dict[str, Any]]:
    headers = dict(JSON11)
    if target is not None:
        headers["x-amz-target"] = target
    answer = emulator.handle(method, path, headers, body.encode() if isinstance(body, str) else body)
    assert answer.headers["x-amzn-errortype"] == json.loads(answer.body)["__type"]
    return answer.status, json.loads(answer.body)


# -- the wire ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("target", "body", "path", "code", "message"), [
    ("AmazonPersonalize.Nope", "{}", "/", "UnknownOperationException",
     "Amazon Personalize has no operation named 'Nope'."),
    ("DynamoDB_20120810.ListTables", "{}", "/", "UnknownOperationException",
     "Unknown target 'DynamoDB_20120810.ListTables': expected AmazonPersonalize.<Operation>."),
    (None, "{}", "/", "UnknownOperationException",
     "Missing X-Amz-Target header: control-plane requests name their operation as "
     "X-Amz-Target: AmazonPersonalize.<Operation>."),
    (None, "{}", "/nothing-here", "UnknownOperationException", "No Personalize operation answers POST /nothing-here."),
    ("AmazonPersonalize.ListSchemas", "{not json", "/", "SerializationException",
     "The request body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 "
     "(char 1)."),
    ("AmazonPersonalize.ListSchemas", "[1, 2]", "/", "SerializationException",
     "The request body must be a JSON object, not list."),
    ("AmazonPersonalize.ListSchemas", b"\xff\xfe", "/", "SerializationException",
     "The request body is not valid UTF-8 (byte 0)."),
    ("AmazonPersonalize.ListSchemas", "[" * 100_000 + "]" * 100_000, "/", "SerializationException",
     "The request body nests JSON too deeply."),
    (None, "{nope", "/recommendations", "SerializationException",
     "The request body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 "
     "(char 1)."),
    ("AmazonPersonalize.CreateRecommender", "{}", "/", "NotSupportedException",
     "The emulator does not support CreateRecommender yet."),
    (None, "{}", "/actions", "NotSupportedException", "The emulator does not support PutActions yet."),
])
def test_bad_requests_on_the_wire(mocked: Any, target: str | None, body: str, path: str, code: str,
                                  message: str) -> None:
    assert raw(mocked, target, body, path=path) == (400, {"__type": code, "message": message})


def test_not_supported_through_boto3(aws: Any) -> None:
    with pytest.raises(aws.personalize.exceptions.ClientError) as exc:
        aws.personalize.list_recommenders()
    assert _error(exc) == ("NotSupportedException", "The emulator does not support ListRecommenders yet.")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_wrong_types_and_unknown_members_on_the_wire(mocked: Any) -> None:
    status, body = raw(mocked, "AmazonPersonalize.CreateDatasetGroup",
                       json.dumps({"name": 5, "domian": "ECOMMERCE", "tags": "none"}))
    assert status == 400 and body["__type"] == "InvalidInputException"
    assert body["message"] == (
        "3 validation errors detected: name: value must be a string, got number (write it as the string '5'); "
        "domian: is not a member of CreateDatasetGroupRequest; did you mean 'domain'?; tags: must be a list, "
        "got string"
    )


# -- InvalidInputException --------------------------------------------------------------------------
def test_invalid_input_names_every_field(aws: Any) -> None:
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_solution(
            name="x" * 64, datasetGroupArn="not-an-arn", recipeArn="arn:aws:personalize:::recipe/aws-sims",
            solutionConfig={"algorithmHyperParameters": {"popularity_discount_factor": "2"},
                            "hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": "41"}}})
    code, message = _error(exc)
    assert code == "InvalidInputException"
    assert message.startswith("4 validation errors detected: ")
    for part in ("name: value must be at most 63 characters, got 64",
                 "datasetGroupArn: value must match the pattern arn:([a-z\\d-]+):personalize:.*:.*:.+; got "
                 "'not-an-arn'",
                 "solutionConfig.algorithmHyperParameters.popularity_discount_factor: must be a number in [0, 1]; "
                 "got '2'",
                 "solutionConfig.hpoConfig.hpoResourceConfig.maxNumberOfTrainingJobs: must be a whole number from 1 "
                 "to 40, written as a string; got '41'"):
        assert part in message


def test_list_max_results_bounds(aws: Any) -> None:
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.list_dataset_groups(maxResults=101)
    assert _error(exc)[1] == "1 validation error detected: maxResults: must be <= 100, got 101"


# -- ResourceNotFound / AlreadyExists / InUse: see the family files; here what crosses families ----
def test_resource_not_found_for_each_describe(aws: Any, kit: SimpleNamespace) -> None:
    """AWS's wording, whatever the kind (moto's Personalize tests expect the same)."""
    for kind in ("dataset_group", "dataset", "import_job", "solution", "version", "campaign", "event_tracker"):
        arn = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:{kind}/missing"
        with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
            aws.describe(kind, arn)
        assert _error(exc) == ("ResourceNotFoundException", f"Resource Arn {arn} does not exist.")


def test_a_name_race_has_exactly_one_winner(aws: Any) -> None:
    outcomes: list[str] = []

    def create() -> None:
        try:
            aws.personalize.create_dataset_group(name="contested")
            outcomes.append("created")
        except aws.personalize.exceptions.ResourceAlreadyExistsException:
            outcomes.append("exists")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["exists"] * 7


# -- LimitExceededException -------------------------------------------------------------------------
@pytest.fixture
def limited(attached: Callable[..., Any], data_csv: Any, kit: SimpleNamespace) -> Any:
    quotas = Quotas(dataset_groups=2, schemas=1, datasets=1, event_trackers=1, solutions=3,
                    solutions_per_dataset_group=2, campaigns=1, solution_versions_in_progress=1)
    emulator = attached(lifecycle="manual", settings=Settings(quotas=quotas))
    emulator.pipeline = kit.Pipeline(emulator.aws)
    return emulator


def _limit(exc: pytest.ExceptionInfo[Any], quota: int, label: str) -> None:
    assert _error(exc) == ("LimitExceededException",
                           f"You have reached the quota of {quota} {label}. Delete one, or raise the emulator's quota.")


def test_lowered_quotas_answer_limit_exceeded(limited: Any, data_csv: Any, kit: SimpleNamespace) -> None:
    p = limited.aws.personalize
    errors = p.exceptions.LimitExceededException
    group = p.create_dataset_group(name="g1")["datasetGroupArn"]
    other = p.create_dataset_group(name="g2")["datasetGroupArn"]
    with pytest.raises(errors) as exc:
        p.create_dataset_group(name="g3")
    _limit(exc, 2, "dataset groups")
    schema = p.create_schema(name="s1", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    with pytest.raises(errors) as exc:
        p.create_schema(name="s2", schema=kit.INTERACTIONS_SCHEMA)
    _limit(exc, 1, "schemas")
    limited.emulator.run_pending()
    dataset = p.create_dataset(name="d1", datasetGroupArn=group, schemaArn=schema,
                               datasetType="Interactions")["datasetArn"]
    with pytest.raises(errors) as exc:
        p.create_dataset(name="d2", datasetGroupArn=other, schemaArn=schema, datasetType="Interactions")
    _limit(exc, 1, "datasets")
    p.create_event_tracker(name="t1", datasetGroupArn=group)
    with pytest.raises(errors) as exc:
        p.create_event_tracker(name="t2", datasetGroupArn=other)
    _limit(exc, 1, "event trackers")
    limited.emulator.run_pending()
    p.create_dataset_import_job(jobName="j", datasetArn=dataset, dataSource={"dataLocation": data_csv.as_uri()})
    first = p.create_solution(name="s1", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    p.create_solution(name="s2", datasetGroupArn=group, recipeArn=kit.POPULARITY)
    with pytest.raises(errors) as exc:
        p.create_solution(name="s3", datasetGroupArn=group, recipeArn=kit.POPULARITY)
    _limit(exc, 2, "solutions in this dataset group")
    p.create_solution(name="s3", datasetGroupArn=other, recipeArn=kit.POPULARITY)
    with pytest.raises(errors) as exc:
        p.create_solution(name="s4", datasetGroupArn=other, recipeArn=kit.POPULARITY)
    _limit(exc, 3, "solutions")
    limited.emulator.run_pending()
    version = p.create_solution_version(solutionArn=first)["solutionVersionArn"]
    with pytest.raises(errors) as exc:
        p.create_solution_version(solutionArn=first)
    _limit(exc, 1, "pending or in-progress solution versions")
    limited.emulator.run_pending()
    p.create_campaign(name="c1", solutionVersionArn=version)
    with pytest.raises(errors) as exc:
        p.create_campaign(name="c2", solutionVersionArn=version)
    _limit(exc, 1, "campaigns")


# -- InvalidNextTokenException ----------------------------------------------------------------------
@pytest.mark.parametrize("token", ["garbage", "eyJhIjogMX0=", "W10=", "recipes-x", "recipes-"])
def test_invalid_next_tokens(aws: Any, token: str) -> None:
    for call in (aws.personalize.list_dataset_groups, aws.personalize.list_recipes, aws.personalize.list_schemas):
        with pytest.raises(aws.personalize.exceptions.InvalidNextTokenException) as exc:
            call(nextToken=token)
        assert _error(exc) == ("InvalidNextTokenException", "The nextToken is not valid for this request.")


def test_a_token_only_fits_its_own_list(aws: Any) -> None:
    for name in ("a", "b", "c"):
        aws.personalize.create_dataset_group(name=name)
    token = aws.personalize.list_dataset_groups(maxResults=1)["nextToken"]
    with pytest.raises(aws.personalize.exceptions.InvalidNextTokenException):
        aws.personalize.list_schemas(nextToken=token)
    with pytest.raises(aws.personalize.exceptions.InvalidNextTokenException):
        aws.personalize.list_solutions(datasetGroupArn="arn:aws:personalize:us-east-1:123456789012:dataset-group/a",
                                       nextToken=token)
