"""The whole loop with plain boto3: dataset group to GetRecommendations and PutEvents.

Once against a real ``personalize-emulator serve`` process (file:// import under
--allow-file-root), and once under ``mock_personalize()`` inside ``moto.mock_aws()`` importing from
moto's S3, in both nesting orders, while moto's own Personalize backend never sees a request.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator import mock_personalize

METRICS = {
    "coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5", "precision_at_10", "precision_at_25",
}


def run_the_loop(pipeline: Any, location: str) -> list[str]:
    """Dataset group to campaign, then what a user checks; returns the recommended item ids."""
    aws = pipeline.aws
    arns = pipeline.through_campaign(location)
    metrics = aws.personalize.get_solution_metrics(solutionVersionArn=arns["version"])
    assert metrics["solutionVersionArn"] == arns["version"]
    assert set(metrics["metrics"]) == METRICS
    assert all(0.0 <= value <= 1.0 for value in metrics["metrics"].values())
    answer = aws.runtime.get_recommendations(campaignArn=arns["campaign"], userId="u1")
    items = [entry["itemId"] for entry in answer["itemList"]]
    assert len(items) == 25 and len(set(items)) == 25
    assert items[0] == "i0"  # the head of the Zipf-like log: popularity-count really counted
    assert all("score" not in entry for entry in answer["itemList"])  # AWS: Popularity-Count has no scores
    assert answer["recommendationId"]
    tracker = aws.personalize.create_event_tracker(name="clicks", datasetGroupArn=arns["dataset_group"])
    assert aws.wait("event_tracker", tracker["eventTrackerArn"])["status"] == "ACTIVE"
    sent = aws.events.put_events(trackingId=tracker["trackingId"], userId="u1", sessionId="s-1", eventList=[
        {"eventType": "click", "itemId": "i7", "sentAt": time.time()},
        {"eventType": "click", "itemId": "i8", "sentAt": time.time(), "eventValue": 2.5},
    ])
    assert sent["ResponseMetadata"]["HTTPStatusCode"] == 200
    solution = aws.describe("solution", arns["solution"])
    assert solution["latestSolutionVersion"]["solutionVersionArn"] == arns["version"]
    assert solution["latestSolutionVersion"]["status"] == "ACTIVE"
    return items


@pytest.mark.slow
def test_pipeline_against_a_real_server(serve: Callable[..., Any], make_csv: Any, kit: SimpleNamespace) -> None:
    csv = make_csv()
    server = serve(None, csv.parent)
    run_the_loop(kit.Pipeline(server.clients()), csv.as_uri())
    server.stop()  # SIGTERM: drained, exit status 0


# -- inside moto ------------------------------------------------------------------------------------
@pytest.fixture
def moto_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every request moto's botocore stubber answered.

    botocore offers each request to every ``before-send`` handler and keeps the first answer, so
    moto's stubber is consulted after ``mock_personalize`` answered; it must pass Personalize through.
    """
    from moto.core.models import botocore_stubber

    seen: list[str] = []
    original = botocore_stubber.process_request

    def spy(request: Any) -> Any:
        answer = original(request)
        if answer is not None:
            seen.append(request.url)
        return answer

    monkeypatch.setattr(botocore_stubber, "process_request", spy)
    return seen


@contextlib.contextmanager
def nested(order: str) -> Iterator[None]:
    from moto import mock_aws

    if order == "moto-outside":
        with mock_aws(), mock_personalize():
            yield
    else:
        with mock_personalize(), mock_aws():
            yield


def _moto_personalize_schemas() -> list[Any]:
    from moto.personalize.models import personalize_backends

    return [schema for regions in personalize_backends.values() for backend in regions.values()
            for schema in backend.schemas.values()]


@pytest.mark.parametrize("order", ["moto-outside", "personalize-outside"])
def test_pipeline_under_mock_inside_moto(order: str, moto_spy: list[str], make_csv: Any,
                                         kit: SimpleNamespace) -> None:
    csv = make_csv()
    with nested(order):
        s3 = kit.make_client("s3")
        s3.create_bucket(Bucket="interactions-bucket")
        s3.put_object(Bucket="interactions-bucket", Key="logs/part-1.csv", Body=csv.read_bytes())
        # mock_personalize() runs the lifecycle in the background, as AWS does: the pipeline waits.
        run_the_loop(kit.Pipeline(kit.clients_for()), "s3://interactions-bucket/logs/")
        assert _moto_personalize_schemas() == []
        assert any("s3" in url for url in moto_spy), "moto served S3"
    assert not [url for url in moto_spy if "personalize" in url], "moto saw Personalize requests"


def test_import_reads_a_single_s3_object_and_reports_a_missing_one(make_csv: Any, kit: SimpleNamespace) -> None:
    from moto import mock_aws

    csv = make_csv()
    with mock_aws(), mock_personalize(instant=True):
        s3 = kit.make_client("s3")
        s3.create_bucket(Bucket="interactions-bucket")
        s3.put_object(Bucket="interactions-bucket", Key="one.csv", Body=csv.read_bytes())
        pipeline = kit.Pipeline(kit.clients_for())
        pipeline.dataset_group()
        pipeline.dataset()
        assert pipeline.import_data("s3://interactions-bucket/one.csv")["status"] == "ACTIVE"
        missing = pipeline.import_data("s3://interactions-bucket/nothing-here.csv")
        assert missing["status"] == "CREATE FAILED"
        assert "s3://interactions-bucket/nothing-here.csv" in missing["failureReason"]
        empty = pipeline.import_data("s3://interactions-bucket/no-such-prefix/")
        assert empty["status"] == "CREATE FAILED"
        assert empty["failureReason"] == "s3://interactions-bucket/no-such-prefix/ holds no .csv objects."


def test_mock_personalize_as_a_decorator_and_with_a_data_dir(tmp_path: Path, kit: SimpleNamespace) -> None:
    @mock_personalize(data_dir=tmp_path / "state", instant=True)
    def create() -> str:
        arn: str = kit.make_client("personalize").create_dataset_group(name="kept")["datasetGroupArn"]
        return arn

    arn = create()
    with mock_personalize(data_dir=tmp_path / "state"):
        group = kit.make_client("personalize").describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        assert group["status"] == "ACTIVE"


def test_mock_personalize_restores_the_environment_and_stops_answering(monkeypatch: pytest.MonkeyPatch,
                                                                         kit: SimpleNamespace) -> None:
    import botocore.exceptions

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    with mock_personalize(instant=True) as emulator:
        client = kit.make_client("personalize")
        client.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)
        assert emulator.store.get(f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:schema/s") is not None
    import os

    assert "AWS_ACCESS_KEY_ID" not in os.environ
    outside = kit.make_client("personalize", endpoint_url="http://127.0.0.1:9", aws_access_key_id="a",
                              aws_secret_access_key="b")
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        outside.list_schemas()


def test_attach_takes_precedence_over_mock_personalize(attached: Callable[..., Any], kit: SimpleNamespace) -> None:
    own = attached()
    with mock_personalize(instant=True) as mocked:
        own.aws.personalize.create_dataset_group(name="mine")
        kit.make_client("personalize").create_dataset_group(name="theirs")
        assert [g["name"] for g in own.aws.personalize.list_dataset_groups()["datasetGroups"]] == ["mine"]
        names = [row.name for row in mocked.store.all_rows()]
        assert names == ["theirs"]
