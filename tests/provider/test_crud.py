"""Create/read/update/delete against a scripted client: waiting, failure reasons, cleanup of
half-created resources, timeouts, retries, in-place update requests, delete semantics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

import pulumi_personalize as pp
from pulumi_personalize import _aws, _provider, _wait
from pulumi_personalize._aws import ProviderError

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
DSG_ARN = f"{ACCOUNT}:dataset-group/dg"
SOL_ARN = f"{ACCOUNT}:solution/sol"
UP = "arn:aws:personalize:::recipe/aws-user-personalization"


def error(code: str, message: str = "boom", status: int = 400) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


class FakeClient:
    """A boto3-like client: each operation answers from a script (values or exceptions) and is logged."""

    def __init__(self, **script: Any) -> None:
        self.script = {k: list(v) if isinstance(v, list) else v for k, v in script.items()}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        def method(**params: Any) -> Any:
            self.calls.append((operation, params))
            answer = self.script.get(operation, {})
            if isinstance(answer, list):
                answer = answer.pop(0) if len(answer) > 1 else answer[0]
            if isinstance(answer, BaseException):
                raise answer
            return answer(params) if callable(answer) else answer

        return method

    def ops(self) -> list[str]:
        return [op for op, _ in self.calls]


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, no_sleep: list[float]) -> Callable[..., FakeClient]:
    def install(**script: Any) -> FakeClient:
        fake = FakeClient(**script)
        monkeypatch.setattr(_provider, "make_client", lambda service, props, arn=None: fake)
        return fake

    return install


def solution(status: str, **more: Any) -> dict[str, Any]:
    return {"solution": {"solutionArn": SOL_ARN, "status": status, "creationDateTime": "2026-01-01", **more}}


def props(**more: Any) -> dict[str, Any]:
    return {"name": "sol", "datasetGroupArn": DSG_ARN, "recipeArn": UP, "target": "aws", **more}


def test_create_waits_for_active_and_echoes_inputs(client: Callable[..., FakeClient]) -> None:
    fake = client(create_solution={"solutionArn": SOL_ARN},
                  describe_solution=[solution("CREATE PENDING"), solution("CREATE IN_PROGRESS"), solution("ACTIVE")])
    result = pp.SolutionProvider().create({**props(performHPO=False), "__provider": "x"})
    assert result.id == SOL_ARN
    assert result.outs == {**props(performHPO=False), "solutionArn": SOL_ARN, "status": "ACTIVE",
                           "creationDateTime": "2026-01-01"}
    assert fake.ops() == ["create_solution"] + ["describe_solution"] * 3
    assert fake.calls[0][1] == {"name": "sol", "datasetGroupArn": DSG_ARN, "recipeArn": UP, "performHPO": False}


def test_whole_floats_are_sent_as_ints(client: Callable[..., FakeClient]) -> None:
    fake = client(create_campaign={"campaignArn": f"{ACCOUNT}:campaign/c"},
                  describe_campaign={"campaign": {"status": "ACTIVE"}})
    pp.CampaignProvider().create({"name": "c", "solutionVersionArn": f"{SOL_ARN}/v1", "minProvisionedTPS": 3.0})
    sent = fake.calls[0][1]["minProvisionedTPS"]
    assert sent == 3 and isinstance(sent, int)


def test_create_failed_raises_the_failure_reason_and_deletes_the_leftover(client: Callable[..., FakeClient]) -> None:
    fake = client(create_solution={"solutionArn": SOL_ARN},
                  describe_solution=[solution("CREATE FAILED", failureReason="not enough interactions"),
                                     error("ResourceNotFoundException")])
    with pytest.raises(ProviderError) as info:
        pp.SolutionProvider().create(props())
    assert info.value.code == "CreateFailed"
    assert str(info.value) == (f"CreateFailed: Solution is CREATE FAILED: not enough interactions; the half-created "
                               f"resource was deleted (resource {SOL_ARN})")
    assert "delete_solution" in fake.ops()


def test_failed_cleanup_puts_the_arn_in_the_error(client: Callable[..., FakeClient]) -> None:
    client(create_solution={"solutionArn": SOL_ARN}, describe_solution=solution("CREATE FAILED", failureReason="bad"),
           delete_solution=error("AccessDeniedException", "no"))
    with pytest.raises(ProviderError, match=r"cleaning up failed too \(AccessDeniedException: DeleteSolution: no\)"
                       r".*adopt it with the import resource option \(resource arn:aws:personalize.*solution/sol\)"):
        pp.SolutionProvider().create(props())


def test_failed_import_job_cannot_be_deleted_and_says_so(client: Callable[..., FakeClient]) -> None:
    job_arn = f"{ACCOUNT}:dataset-import-job/j"
    fake = client(create_dataset_import_job={"datasetImportJobArn": job_arn},
                  describe_dataset_import_job={"datasetImportJob": {"status": "CREATE FAILED",
                                                                    "failureReason": "line 3: bad TIMESTAMP"}})
    with pytest.raises(ProviderError, match="bad TIMESTAMP; the API cannot delete a DatasetImportJob"):
        pp.DatasetImportJobProvider().create({"jobName": "j", "datasetArn": f"{ACCOUNT}:dataset/dg/INTERACTIONS",
                                              "dataSource": {"dataLocation": "s3://b/k.csv"}})
    assert fake.ops() == ["create_dataset_import_job", "describe_dataset_import_job"]


def test_custom_create_timeout_is_honoured(client: Callable[..., FakeClient], monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(_wait, "clock", lambda: now[0])
    monkeypatch.setattr(_wait, "sleep", lambda s: now.__setitem__(0, now[0] + s))
    client(create_solution={"solutionArn": SOL_ARN},
           describe_solution=[solution("CREATE IN_PROGRESS")] * 200 + [error("ResourceNotFoundException")])
    with pytest.raises(ProviderError) as info:
        pp.SolutionProvider().create(props(timeouts={"create": "90s"}))
    assert str(info.value).startswith("Timeout: Solution create did not finish within 90s; raise it with "
                                      "pulumi.CustomTimeouts")
    assert str(info.value).endswith(f"(resource {SOL_ARN})")
    assert 90.0 <= now[0] <= 90.0 + 120.0 + 20.0  # the wait, then a bounded cleanup attempt


def test_transient_errors_are_retried_with_backoff(client: Callable[..., FakeClient], no_sleep: list[float]) -> None:
    fake = client(create_solution=[error("ThrottlingException", status=400), error("InternalFailure", status=500),
                                   EndpointConnectionError(endpoint_url="http://x"), {"solutionArn": SOL_ARN}],
                  describe_solution=solution("ACTIVE"))
    assert pp.SolutionProvider().create(props()).id == SOL_ARN
    assert fake.ops().count("create_solution") == 4
    assert len([s for s in no_sleep if s >= 0.25]) >= 3  # growing delays with jitter


def test_permanent_errors_are_not_retried(client: Callable[..., FakeClient]) -> None:
    fake = client(create_solution=error("ResourceAlreadyExistsException", "Solution sol already exists"))
    with pytest.raises(ProviderError, match=r"^ResourceAlreadyExistsException: CreateSolution: Solution sol already "
                                            "exists$"):
        pp.SolutionProvider().create(props())
    assert fake.ops() == ["create_solution"]


def test_retries_give_up_after_the_last_attempt(client: Callable[..., FakeClient]) -> None:
    fake = client(describe_solution=error("ThrottlingException", "Rate exceeded"))
    with pytest.raises(ProviderError, match="ThrottlingException: DescribeSolution: Rate exceeded"):
        pp.SolutionProvider().read(SOL_ARN, props())
    assert fake.ops().count("describe_solution") == _aws.ATTEMPTS


def test_read_of_a_deleted_resource_returns_no_id(client: Callable[..., FakeClient]) -> None:
    client(describe_solution=error("ResourceNotFoundException"))
    result = pp.SolutionProvider().read(SOL_ARN, props())
    assert (result.id, result.outs) == ("", {})


def test_read_reports_live_values_and_keeps_provider_keys(client: Callable[..., FakeClient]) -> None:
    client(describe_solution=solution("ACTIVE", name="sol", datasetGroupArn=DSG_ARN, recipeArn=UP,
                                      performHPO=False, performAutoTraining=False),
           list_tags_for_resource={"tags": [{"tagKey": "t", "tagValue": "live"}]})
    result = pp.SolutionProvider().read(SOL_ARN, {**props(), "namePrefix": "sol", "timeouts": {"create": "1h"}})
    assert result.outs is not None and result.inputs is not None
    assert result.outs["performAutoTraining"] is False and result.outs["tags"] == [{"tagKey": "t", "tagValue": "live"}]
    assert result.inputs["namePrefix"] == "sol" and result.inputs["timeouts"] == {"create": "1h"}
    assert "status" not in result.inputs and result.outs["status"] == "ACTIVE"
    drift = pp.SolutionProvider().diff(SOL_ARN, result.outs, {**props(), "namePrefix": "sol"})
    assert (drift.changes, drift.replaces) == (True, [])  # auto-training and tags drifted: update back


def test_solution_update_sends_only_updatable_fields_and_waits(client: Callable[..., FakeClient]) -> None:
    pending = solution("ACTIVE", latestSolutionUpdate={"status": "CREATE IN_PROGRESS"})
    done = solution("ACTIVE", latestSolutionUpdate={"status": "ACTIVE"})
    fake = client(update_solution={}, describe_solution=[pending, done], tag_resource={}, untag_resource={})
    old = {**props(tags=[{"tagKey": "a", "tagValue": "1"}, {"tagKey": "gone", "tagValue": "x"}]),
           "solutionArn": SOL_ARN}
    new = props(performAutoTraining=False, solutionConfig={"eventsConfig": {"eventParametersList": [
        {"eventType": "buy", "weight": 1.0}]}}, tags=[{"tagKey": "a", "tagValue": "2"}])
    outs = pp.SolutionProvider().update(SOL_ARN, old, new).outs
    assert fake.calls[0] == ("update_solution", {
        "solutionArn": SOL_ARN, "performAutoTraining": False,
        "solutionUpdateConfig": {"eventsConfig": {"eventParametersList": [{"eventType": "buy", "weight": 1}]}}})
    assert ("untag_resource", {"resourceArn": SOL_ARN, "tagKeys": ["gone"]}) in fake.calls
    assert ("tag_resource", {"resourceArn": SOL_ARN, "tags": [{"tagKey": "a", "tagValue": "2"}]}) in fake.calls
    assert outs is not None and outs["performAutoTraining"] is False


def test_solution_update_failure_carries_its_reason(client: Callable[..., FakeClient]) -> None:
    client(update_solution={}, describe_solution=solution("ACTIVE", latestSolutionUpdate={
        "status": "CREATE FAILED", "failureReason": "schedule rejected"}))
    with pytest.raises(ProviderError, match="UpdateFailed: Solution update failed: schedule rejected"):
        pp.SolutionProvider().update(SOL_ARN, props(), props(performAutoTraining=False))


def test_campaign_and_dataset_updates(client: Callable[..., FakeClient]) -> None:
    arn = f"{ACCOUNT}:campaign/c"
    fake = client(update_campaign={}, describe_campaign={"campaign": {"status": "ACTIVE"}})
    old = {"name": "c", "solutionVersionArn": f"{SOL_ARN}/v1", "campaignArn": arn}
    pp.CampaignProvider().update(arn, old, {"name": "c", "solutionVersionArn": f"{SOL_ARN}/v2",
                                            "minProvisionedTPS": 4.0})
    assert fake.calls[0] == ("update_campaign", {"campaignArn": arn, "solutionVersionArn": f"{SOL_ARN}/v2",
                                                 "minProvisionedTPS": 4})
    ds_arn = f"{ACCOUNT}:dataset/dg/INTERACTIONS"
    fake = client(update_dataset={}, describe_dataset={"dataset": {"status": "ACTIVE"}})
    pp.DatasetProvider().update(ds_arn, {"schemaArn": "s1"}, {"schemaArn": "s2"})
    assert fake.calls[0] == ("update_dataset", {"datasetArn": ds_arn, "schemaArn": "s2"})


def test_delete_retries_in_use_only_while_its_own_lifecycle_moves(client: Callable[..., FakeClient]) -> None:
    """A campaign still being updated cannot be deleted yet: that settles by itself, so it is retried."""
    arn = f"{ACCOUNT}:campaign/c"
    fake = client(delete_campaign=[error("ResourceInUseException"), {}],
                  describe_campaign=[{"campaign": {"status": "ACTIVE", "latestCampaignUpdate": {
                      "status": "UPDATE IN_PROGRESS"}}},
                                     {"campaign": {"status": "DELETE PENDING"}},
                                     error("ResourceNotFoundException")])
    pp.CampaignProvider().delete(arn, {"name": "c"})
    assert fake.ops() == ["delete_campaign", "describe_campaign", "delete_campaign", "describe_campaign",
                          "describe_campaign"]


def test_delete_blocked_by_a_dependent_fails_at_once_with_the_reason(client: Callable[..., FakeClient],
                                                                      no_sleep: list[float]) -> None:
    """A dependent that exists is permanent: no retry until the timeout, the API's message as it is."""
    schema = f"{ACCOUNT}:schema/s"
    reason = f"Schema {schema} is used by dataset {ACCOUNT}:dataset/dg/INTERACTIONS; delete the dataset first."
    fake = client(delete_schema=error("ResourceInUseException", reason), describe_schema={"schema": {"name": "s"}})
    with pytest.raises(ProviderError) as info:
        pp.SchemaProvider().delete(schema, {"name": "s"})
    assert (info.value.code, info.value.message) == ("ResourceInUseException", f"DeleteSchema: {reason}")
    assert fake.ops() == ["delete_schema", "describe_schema"] and no_sleep == []


def test_solution_in_use_names_its_campaigns_and_the_ways_out(client: Callable[..., FakeClient]) -> None:
    campaign = f"{ACCOUNT}:campaign/live"
    client(delete_solution=error("ResourceInUseException", "Solution is used by a campaign."),
           describe_solution=solution("ACTIVE"), list_campaigns={"campaigns": [{"campaignArn": campaign}]})
    with pytest.raises(ProviderError) as info:
        pp.SolutionProvider().delete(SOL_ARN, props())
    assert info.value.code == "ResourceInUseException"
    assert info.value.message.startswith(f"DeleteSolution: Solution is used by a campaign. Still serving its "
                                         f"versions: {campaign}. Pulumi deletes a Solution with an explicit name")
    assert "drop the Solution's explicit name" in info.value.message
    assert "pulumi destroy --target <campaign URN>" in info.value.message


def test_delete_of_something_already_gone_succeeds(client: Callable[..., FakeClient]) -> None:
    client(delete_campaign=error("ResourceNotFoundException"), describe_campaign=error("ResourceNotFoundException"))
    pp.CampaignProvider().delete(f"{ACCOUNT}:campaign/c", {})


def test_solution_version_delete_stops_training_then_forgets(client: Callable[..., FakeClient]) -> None:
    version = f"{SOL_ARN}/v1"
    fake = client(describe_solution_version=[{"solutionVersion": {"status": "CREATE IN_PROGRESS"}},
                                             {"solutionVersion": {"status": "CREATE STOPPING"}},
                                             {"solutionVersion": {"status": "CREATE STOPPED"}}],
                  stop_solution_version_creation={})
    pp.SolutionVersionProvider().delete(version, {})
    assert fake.ops() == ["describe_solution_version", "stop_solution_version_creation",
                          "describe_solution_version", "describe_solution_version"]
    fake = client(describe_solution_version={"solutionVersion": {"status": "ACTIVE"}})
    pp.SolutionVersionProvider().delete(version, {})
    assert fake.ops() == ["describe_solution_version"]  # a trained version is simply forgotten


def test_solution_version_outputs_carry_metrics(client: Callable[..., FakeClient]) -> None:
    version = f"{SOL_ARN}/v1"
    client(create_solution_version={"solutionVersionArn": version},
           describe_solution_version={"solutionVersion": {"status": "ACTIVE", "trainingHours": 0.5}},
           get_solution_metrics={"metrics": {"coverage": 0.4}})
    outs = pp.SolutionVersionProvider().create({"solutionArn": SOL_ARN}).outs
    assert outs is not None and outs["metrics"] == {"coverage": 0.4} and outs["trainingHours"] == 0.5
