"""botocore's models against the emulator: every operation is answered, none ever with a 500.

Each operation of personalize, personalize-runtime and personalize-events is sent on the wire the
way botocore routes it, with an empty body and with a minimal body (required members filled with
well-typed values naming nothing that exists).  An implemented operation must answer 200 or a
modelled 4xx error; any other must answer NotSupportedException naming the operation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from personalize_api.model import SERVICES, service_model
from personalize_emulator.service import implemented

#: The operations issue 3 asks for, by service.
REQUIRED = {
    "personalize": {
        "CreateDatasetGroup", "DescribeDatasetGroup", "ListDatasetGroups", "DeleteDatasetGroup",
        "CreateSchema", "DescribeSchema", "ListSchemas", "DeleteSchema",
        "CreateDataset", "DescribeDataset", "ListDatasets", "DeleteDataset", "UpdateDataset",
        "CreateDatasetImportJob", "DescribeDatasetImportJob", "ListDatasetImportJobs",
        "CreateSolution", "DescribeSolution", "ListSolutions", "DeleteSolution", "UpdateSolution",
        "CreateSolutionVersion", "DescribeSolutionVersion", "ListSolutionVersions", "StopSolutionVersionCreation",
        "GetSolutionMetrics",
        "CreateCampaign", "DescribeCampaign", "ListCampaigns", "DeleteCampaign", "UpdateCampaign",
        "ListRecipes", "DescribeRecipe",
        "CreateEventTracker", "DescribeEventTracker", "ListEventTrackers", "DeleteEventTracker",
        "TagResource", "UntagResource", "ListTagsForResource",
    },
    "personalize-runtime": {"GetRecommendations", "GetPersonalizedRanking"},
    "personalize-events": {"PutEvents"},
}
ALL = [(service, op) for service in SERVICES for op in service_model(service).operation_names]
MISSING_ARN = "arn:aws:personalize:us-east-1:123456789012:nothing/missing"


def minimal(shape: Any, name: str = "") -> Any:
    """A value of ``shape`` with only required members, typed right, naming nothing that exists."""
    kind = shape.type_name
    if kind == "structure":
        return {member: minimal(shape.members[member], member) for member in shape.required_members}
    if kind == "list":
        return [minimal(shape.member, name)]
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return MISSING_ARN if name.lower().endswith("arn") else "missing1"
    return {"integer": 1, "long": 1, "double": 1.0, "float": 1.0, "boolean": False, "timestamp": 1,
            "blob": "eA=="}[kind]


def send(emulator: Any, service: str, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    model = service_model(service).operation_model(operation)
    if service == "personalize":
        headers = {"x-amz-target": f"AmazonPersonalize.{operation}", "content-type": "application/x-amz-json-1.1"}
        answer = emulator.handle("POST", "/", headers, json.dumps(body).encode())
    else:
        answer = emulator.handle(model.http["method"], model.http["requestUri"], {"content-type": "application/json"},
                                 json.dumps(body).encode())
    return answer.status, json.loads(answer.body)


def test_the_issue_operations_are_implemented() -> None:
    answered = set(implemented())
    for service, operations in REQUIRED.items():
        missing = {op for op in operations if (service, op) not in answered}
        assert not missing, f"{service} lacks {sorted(missing)}"


@pytest.mark.parametrize(("service", "operation"), ALL, ids=[f"{s}.{o}" for s, o in ALL])
def test_every_operation_is_answered_and_never_with_a_500(mocked: Any, service: str, operation: str) -> None:
    model = service_model(service).operation_model(operation)
    errors = {shape.name for shape in model.error_shapes} | {"InvalidInputException"}
    for body in ({}, minimal(model.input_shape) if model.input_shape is not None else {}):
        status, answer = send(mocked, service, operation, body)
        assert status < 500, (body, answer)
        if (service, operation) not in set(implemented()):
            assert (status, answer) == (400, {"__type": "NotSupportedException",
                                              "message": f"The emulator does not support {operation} yet."})
        elif status != 200:
            assert status == 400 and answer["__type"] in errors, (body, answer)


# -- JSON nulls are "absent", never a crash ---------------------------------------------------------
@pytest.fixture
def existing(mocked: Any, data_csv: Any, kit: Any) -> dict[str, str]:
    """Real ARNs by request member name, so requests reach the handlers' code."""
    def call(op: str, **params: Any) -> dict[str, Any]:
        return mocked.call("personalize", op, params)

    group = call("CreateDatasetGroup", name="g")["datasetGroupArn"]
    schema = call("CreateSchema", name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = call("CreateDataset", name="d", datasetGroupArn=group, schemaArn=schema,
                   datasetType="Interactions")["datasetArn"]
    job = call("CreateDatasetImportJob", jobName="j", datasetArn=dataset,
               dataSource={"dataLocation": data_csv.as_uri()})["datasetImportJobArn"]
    solution = call("CreateSolution", name="sol", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    version = call("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    campaign = call("CreateCampaign", name="c", solutionVersionArn=version)["campaignArn"]
    tracker = call("CreateEventTracker", name="t", datasetGroupArn=group)
    return {"datasetGroupArn": group, "schemaArn": schema, "datasetArn": dataset, "datasetImportJobArn": job,
            "solutionArn": solution, "solutionVersionArn": version, "campaignArn": campaign,
            "eventTrackerArn": tracker["eventTrackerArn"], "trackingId": tracker["trackingId"], "resourceArn": group,
            "recipeArn": kit.POPULARITY}


def _null_variants(shape: Any, base: dict[str, Any]) -> list[dict[str, Any]]:
    """``base`` with one member null, or one structure's members (one level further too) null."""
    variants: list[dict[str, Any]] = []
    for name, member in shape.members.items():
        if name not in shape.required_members:
            variants.append({**base, name: None})
        if member.type_name == "structure":
            variants.append({**base, name: dict.fromkeys(member.members)})
            variants += [{**base, name: {key: dict.fromkeys(inner.members)}}
                         for key, inner in member.members.items() if inner.type_name == "structure"]
    return variants


def test_json_nulls_never_answer_a_500(mocked: Any, existing: dict[str, str]) -> None:
    sent = 0
    for service, operation in implemented():
        shape = service_model(service).operation_model(operation).input_shape
        base = {m: existing.get(m, minimal(shape.members[m], m)) for m in shape.required_members}
        variants = _null_variants(shape, base)
        if operation == "CreateSolution":  # AutoML reads solutionConfig.autoMLConfig: null must be "absent"
            variants.append({**base, "performAutoML": True, "solutionConfig": {"autoMLConfig": None}})
        for index, body in enumerate(variants):
            body.update({k: f"n{sent}-{index}" for k in ("name", "jobName") if body.get(k)})
            status, answer = send(mocked, service, operation, body)
            assert status < 500, (operation, body, answer)
            sent += 1
    assert sent > len(implemented())  # every operation, most of them several times
