"""personalize-runtime (GetRecommendations, GetPersonalizedRanking) and personalize-events (PutEvents)."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace
from typing import Any

import pytest


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def wide(pipeline: Any, make_csv: Any) -> Any:
    """A campaign over 600 items, each with interactions (so 500 results exist)."""
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.import_data(make_csv(users=60, per_user=25, items=600, spread=True).as_uri())
    pipeline.solution()
    pipeline.version()
    pipeline.campaign()
    return pipeline


def _items(pipeline: Any, **params: Any) -> list[str]:
    answer = pipeline.aws.runtime.get_recommendations(campaignArn=pipeline.arns["campaign"], **params)
    return [entry["itemId"] for entry in answer["itemList"]]


def test_num_results_default_25_and_max_500(wide: Any) -> None:
    assert len(_items(wide, userId="u1")) == 25
    assert len(_items(wide, userId="u1", numResults=7)) == 7
    top = _items(wide, userId="u1", numResults=500)
    assert len(top) == 500 == len(set(top))
    assert _items(wide, userId="u1", numResults=0) == []
    with pytest.raises(wide.aws.runtime.exceptions.InvalidInputException) as exc:
        _items(wide, userId="u1", numResults=501)
    assert _error(exc) == ("InvalidInputException", "numResults must be at most 500; got 501.")


def test_popular_items_need_no_user(wide: Any) -> None:
    assert _items(wide) == _items(wide, userId="someone-new")


def test_ranking_and_recommenders_are_refused_clearly(wide: Any) -> None:
    runtime = wide.aws.runtime
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        runtime.get_personalized_ranking(campaignArn=wide.arns["campaign"], userId="u1", inputList=["i1", "i2"])
    assert _error(exc)[1] == ("GetPersonalizedRanking needs a campaign trained with a PERSONALIZED_RANKING recipe "
                              "(aws-personalized-ranking-v2).")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        runtime.get_recommendations(recommenderArn="arn:aws:personalize:us-east-1:123456789012:recommender/r")
    assert _error(exc)[1] == ("The emulator serves campaigns only; recommenders (domain dataset groups) are not "
                              "supported.")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        runtime.get_recommendations(userId="u1")
    assert _error(exc)[1] == "campaignArn is required."


def test_unknown_campaign(aws: Any, kit: SimpleNamespace) -> None:
    arn = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:campaign/none"
    with pytest.raises(aws.runtime.exceptions.ResourceNotFoundException) as exc:
        aws.runtime.get_recommendations(campaignArn=arn, userId="u1")
    assert _error(exc) == ("ResourceNotFoundException", f"Resource Arn {arn} does not exist.")


def test_put_events_join_the_next_training(pipeline: Any, make_csv: Any) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    pipeline.dataset()
    # Flat popularity: each of 600 items has 2 or 3 interactions.
    pipeline.import_data(make_csv(users=60, per_user=25, items=600, spread=True).as_uri())
    pipeline.solution()
    pipeline.version()
    campaign = pipeline.campaign()
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)["trackingId"]
    now = datetime.datetime.now(tz=datetime.UTC)
    for batch in range(2):
        aws.events.put_events(trackingId=tracker, userId=f"fan{batch}", sessionId=f"s{batch}", eventList=[
            {"eventType": "click", "itemId": "brand-new", "sentAt": now} for _ in range(10)])
    before = aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")["itemList"]
    assert "brand-new" not in [entry["itemId"] for entry in before]  # the served model is unchanged ...
    version = pipeline.version()["solutionVersionArn"]
    aws.personalize.update_campaign(campaignArn=campaign, solutionVersionArn=version)
    after = aws.runtime.get_recommendations(campaignArn=campaign, userId="u1")["itemList"]
    assert after[0]["itemId"] == "brand-new"  # ... until the next training counts the 20 events


def test_put_events_errors(pipeline: Any) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)["trackingId"]
    with pytest.raises(aws.events.exceptions.InvalidInputException) as exc:  # the only error PutEvents models
        aws.events.put_events(trackingId="no-such-id", sessionId="s",
                              eventList=[{"eventType": "click", "itemId": "i", "sentAt": 1}])
    assert _error(exc) == ("InvalidInputException", "trackingId: no event tracker has the tracking ID no-such-id.")
    with pytest.raises(aws.events.exceptions.InvalidInputException) as exc:
        aws.events.put_events(trackingId=tracker, sessionId="s", eventList=[{"eventType": "click", "sentAt": 1}])
    assert _error(exc)[1] == "eventList[0].itemId is required for item interactions."
    with pytest.raises(aws.events.exceptions.InvalidInputException) as exc:
        aws.events.put_events(trackingId=tracker, sessionId="s", eventList=[
            {"eventType": "click", "itemId": "i", "sentAt": 1} for _ in range(11)])
    assert _error(exc)[1] == "1 validation error detected: eventList: must have at most 10 items, got 11"


def test_ids_come_back_exactly_as_imported(pipeline: Any, make_csv: Any) -> None:
    """An id is a string: spaces, quotes and non-ASCII survive import, training and GetRecommendations
    (the groceries log has 'cream cheese ' and 'roll products '; trimming named items never imported)."""
    odd = ["cream cheese ", " roll products", 'say "hi"', "caf\u00e9 cr\u00e8me", "\u5bff\u53f8", "a,b"]
    lines = ["USER_ID,ITEM_ID,TIMESTAMP"]
    stamp = 1_600_000_000
    for user in range(40):
        for k in range(30):
            stamp += 60
            item = odd[(user + k) % len(odd)] if k % 3 == 0 else f"i{(user * 7 + k) % 25}"
            quoted = '"' + item.replace('"', '""') + '"'
            lines.append(f"u{user},{quoted},{stamp}")
    path = make_csv.directory / "odd.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(path.as_uri())["status"] == "ACTIVE"
    pipeline.solution()
    assert pipeline.version()["status"] == "ACTIVE"
    pipeline.campaign()
    recommended = set(_items(pipeline, userId="u1", numResults=50))
    assert set(odd) <= recommended
    assert not {item.strip() for item in odd if item != item.strip()} & recommended  # no trimmed twins


def test_put_events_take_item_id_from_properties(pipeline: Any, mocked: Any) -> None:
    """AWS's getting-started notebook 2 sends ``properties='{"itemId": "270"}'`` and no top-level itemId."""
    aws = pipeline.aws
    group = pipeline.dataset_group()
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)["trackingId"]
    aws.events.put_events(trackingId=tracker, userId="u1", sessionId="s", eventList=[
        {"sentAt": 1, "eventType": "EVENT_TYPE", "properties": json.dumps({"itemId": "270"})},
        {"sentAt": 2, "eventType": "watch", "properties": json.dumps({"itemId": 50, "eventValue": "3.5"})}])
    recorded = mocked.store.events(group)
    assert [(e.user_id, e.item_id, e.event_value) for e in recorded] == [("u1", "270", None), ("u1", "50", 3.5)]


@pytest.mark.parametrize("key", ["userId", "SESSIONID", "eventType", "timestamp", "recommendationId", "impression"])
def test_put_events_refuse_reserved_property_keys(pipeline: Any, key: str) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)["trackingId"]
    with pytest.raises(aws.events.exceptions.InvalidInputException) as exc:
        aws.events.put_events(trackingId=tracker, sessionId="s", eventList=[
            {"sentAt": 1, "eventType": "click", "itemId": "i", "properties": json.dumps({key: "x"})}])
    assert _error(exc) == ("InvalidInputException", f"eventList[0].properties cannot use the reserved key(s) {key}: "
                           "userId, sessionId, eventType, timestamp, recommendationId and impression are fields of "
                           "the event itself.")
    with pytest.raises(aws.events.exceptions.InvalidInputException) as exc:
        aws.events.put_events(trackingId=tracker, sessionId="s", eventList=[
            {"sentAt": 1, "eventType": "click", "itemId": "i", "properties": "[1]"}])
    assert _error(exc) == ("InvalidInputException", "eventList[0].properties must be a JSON object.")
