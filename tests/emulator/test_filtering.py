"""filterArn + filterValues on GetRecommendations and GetPersonalizedRanking, end to end through boto3."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
ITEMS_SCHEMA = json.dumps({"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                           "fields": [{"name": "ITEM_ID", "type": "string"},
                                      {"name": "GENRE", "type": "string", "categorical": True},
                                      {"name": "PRICE", "type": "float"}], "version": "1.0"})


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def _seen(path: Path, user: str) -> set[str]:
    with path.open() as handle:
        return {row["ITEM_ID"] for row in csv.DictReader(handle) if row["USER_ID"] == user}


@pytest.fixture
def served(pipeline: Any, data_csv: Path) -> Any:
    """A popularity-count campaign over 40 items, with Items metadata (GENRE even/odd, PRICE = item number)."""
    pipeline.through_campaign(data_csv.as_uri())
    items = data_csv.parent / "items.csv"
    items.write_text("ITEM_ID,GENRE,PRICE\n" + "".join(
        f"i{k},{'even' if k % 2 == 0 else 'odd'}|all,{k}\n" for k in range(40)))
    p = pipeline.aws.personalize
    schema = p.create_schema(name="items", schema=ITEMS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="items", datasetGroupArn=pipeline.arns["dataset_group"], schemaArn=schema,
                               datasetType="Items")["datasetArn"]
    pipeline.aws.wait("dataset", dataset)
    job = p.create_dataset_import_job(jobName="items", datasetArn=dataset, dataSource={"dataLocation": items.as_uri()},
                                      roleArn=f"arn:aws:iam::{'1' * 12}:role/r")["datasetImportJobArn"]
    assert pipeline.aws.wait("import_job", job)["status"] == "ACTIVE"
    pipeline.seen = lambda user: _seen(data_csv, user)
    return pipeline


def _filter(pipeline: Any, expression: str, name: str = "f") -> str:
    arn: str = pipeline.aws.personalize.create_filter(name=name, datasetGroupArn=pipeline.arns["dataset_group"],
                                                      filterExpression=expression)["filterArn"]
    assert pipeline.aws.wait("filter", arn)["status"] == "ACTIVE"
    return arn


def _answer(pipeline: Any, **params: Any) -> list[dict[str, Any]]:
    answer = pipeline.aws.runtime.get_recommendations(campaignArn=pipeline.arns["campaign"], **params)
    return list(answer["itemList"])


def _items(pipeline: Any, **params: Any) -> list[str]:
    return [entry["itemId"] for entry in _answer(pipeline, **params)]


def test_exclude_what_the_user_interacted_with(served: Any) -> None:
    unfiltered = _items(served, userId="u1", numResults=40)
    seen = served.seen("u1")
    arn = _filter(served, SEEN)
    filtered = _items(served, userId="u1", filterArn=arn)
    assert len(filtered) == 25 and not set(filtered) & seen
    assert filtered == [i for i in unfiltered if i not in seen][:25]  # the model's order, minus what was seen


def test_fewer_results_when_fewer_items_survive(served: Any) -> None:
    arn = _filter(served, SEEN)
    survivors = _items(served, userId="u1", numResults=500, filterArn=arn)
    assert sorted(survivors) == sorted({f"i{k}" for k in range(40)} - served.seen("u1"))
    assert _items(served, userId="u1", numResults=0, filterArn=arn) == []


def test_put_events_filter_the_very_next_answer(served: Any) -> None:
    arn = _filter(served, 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")')
    aws = served.aws
    before = _items(served, userId="u1", filterArn=arn)
    assert before == _items(served, userId="u1")  # the CSV has no EVENT_TYPE: nothing was purchased yet
    tracking = aws.personalize.create_event_tracker(name="t", datasetGroupArn=served.arns["dataset_group"])
    assert aws.wait("event_tracker", tracking["eventTrackerArn"])["status"] == "ACTIVE"
    aws.events.put_events(trackingId=tracking["trackingId"], userId="u1", sessionId="s", eventList=[
        {"eventType": "Purchase", "itemId": before[0], "sentAt": time.time()},
        {"eventType": "view", "itemId": before[1], "sentAt": time.time()},
    ])
    after = _items(served, userId="u1", filterArn=arn)
    assert before[0] not in after and before[1] in after  # event types match case-insensitively
    assert after == [i for i in _items(served, userId="u1", numResults=40) if i != before[0]][:25]
    assert _items(served, userId="u2", filterArn=arn) == _items(served, userId="u2")  # only u1 purchased


def test_items_filter_with_values_and_renormalised_scores(served: Any) -> None:
    arn = _filter(served, "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) AND Items.PRICE < $PRICE")
    entries = _answer(served, userId="u1", numResults=500, filterArn=arn,
                      filterValues={"GENRE": '"even"', "PRICE": '"10"'})
    assert sorted(e["itemId"] for e in entries) == ["i0", "i2", "i4", "i6", "i8"]
    assert "score" not in entries[0]  # popularity-count answers carry no score, filtered or not
    both = _items(served, numResults=500, filterArn=arn, filterValues={"GENRE": '"even","odd"', "PRICE": "3"})
    assert sorted(both) == ["i0", "i1", "i2"]


def test_request_errors(served: Any, kit: SimpleNamespace) -> None:
    runtime = served.aws.runtime
    arn = _filter(served, "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        _items(served, userId="u1", filterArn=arn)
    assert _error(exc) == ("InvalidInputException",
                           "filterValues: the filter's INCLUDE expression uses $GENRE; supply a value for GENRE.")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        _items(served, userId="u1", filterArn=arn, filterValues={"GENRE": "even"})
    assert _error(exc)[1].startswith("filterValues.GENRE: expected a double-quoted value at character 1 of 'even'")
    missing = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:filter/nope"
    with pytest.raises(runtime.exceptions.ResourceNotFoundException) as exc:
        _items(served, userId="u1", filterArn=missing)
    assert _error(exc) == ("ResourceNotFoundException", f"Resource Arn {missing} does not exist.")
    segments = _filter(served, 'INCLUDE UserID WHERE Users.TIER IN ("gold")', name="segments")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        _items(served, userId="u1", filterArn=segments)
    assert _error(exc)[1] == (f"Filter {segments} filters UserIDs; item recommendations need an INCLUDE/EXCLUDE "
                              "ItemID filter.")
    related = _filter(served, "INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE", name="related")
    with pytest.raises(runtime.exceptions.InvalidInputException) as exc:
        _items(served, userId="u1", filterArn=related)
    assert _error(exc)[1] == (f"Filter {related} uses CurrentItem, which needs a campaign that recommends related "
                              "items (itemId).")


def test_a_filter_of_another_dataset_group(served: Any) -> None:
    p = served.aws.personalize
    other = p.create_dataset_group(name="other")["datasetGroupArn"]
    served.aws.wait("dataset_group", other)
    arn = p.create_filter(name="elsewhere", datasetGroupArn=other, filterExpression=SEEN)["filterArn"]
    served.aws.wait("filter", arn)
    with pytest.raises(served.aws.runtime.exceptions.InvalidInputException) as exc:
        _items(served, userId="u1", filterArn=arn)
    assert _error(exc)[1] == (f"Filter {arn} belongs to dataset group {other}; this campaign serves "
                              f"{served.arns['dataset_group']}.")



@pytest.fixture
def trained(pipeline: Any, data_csv: Path) -> Any:
    """The same data through a user-personalization solution (precomputed answers for known users)."""
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(data_csv.as_uri())["status"] == "ACTIVE"
    pipeline.seen = lambda user: _seen(data_csv, user)
    return pipeline


def test_user_personalization_and_personalized_ranking(trained: Any) -> None:
    recipe = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
    trained.solution(recipe)
    assert trained.version()["status"] == "ACTIVE"
    trained.campaign()
    arn = _filter(trained, SEEN)
    seen = trained.seen("u3")
    entries = _answer(trained, userId="u3", numResults=10, filterArn=arn)
    assert len(entries) == 10 and not {e["itemId"] for e in entries} & seen
    assert sum(e["score"] for e in entries) == pytest.approx(1.0, abs=1e-5)
    assert [e["score"] for e in entries] == sorted((e["score"] for e in entries), reverse=True)

    p, aws = trained.aws.personalize, trained.aws
    solution = p.create_solution(name="ranking", datasetGroupArn=trained.arns["dataset_group"],
                                 recipeArn="arn:aws:personalize:::recipe/aws-personalized-ranking-v2")["solutionArn"]
    aws.wait("solution", solution)
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert aws.wait("version", version)["status"] == "ACTIVE"
    campaign = p.create_campaign(name="ranking", solutionVersionArn=version)["campaignArn"]
    aws.wait("campaign", campaign)
    some = [*sorted(seen)[:2], "i39", "i38", "unknown-item"]
    ranked = aws.runtime.get_personalized_ranking(campaignArn=campaign, userId="u3", inputList=some,
                                                  filterArn=arn)["personalizedRanking"]
    assert sorted(e["itemId"] for e in ranked) == sorted(i for i in some if i not in seen)
    everything_seen = aws.runtime.get_personalized_ranking(campaignArn=campaign, userId="u3", inputList=sorted(seen),
                                                           filterArn=arn)["personalizedRanking"]
    assert everything_seen == []


def test_batches_grow_until_enough_survive_and_everything_is_remembered() -> None:
    from personalize_emulator.filters.evaluate import ItemMask
    from personalize_emulator.service.filtering import surviving

    ranking = [(f"x{k}", 1.0 / (k + 1)) for k in range(300)]
    asked: list[int] = []

    def fetch(n: int) -> list[tuple[str, float]]:
        asked.append(n)
        return ranking[:n]

    every_tenth = ItemMask(frozenset(f"x{k}" for k in range(0, 300, 10)), frozenset())
    kept = surviving(fetch, 20, every_tenth, "key")
    assert [item for item, _ in kept] == [f"x{k}" for k in range(0, 200, 10)]
    assert asked == [50, 100, 400] and sum(s for _, s in kept) == pytest.approx(1.0)
    asked.clear()
    assert len(surviving(fetch, 40, every_tenth, "key")) == 30  # fewer survive than asked for
    assert asked == [80, 100, 300]  # the model's 300 are remembered: its answer cache can serve them


def test_current_item_on_a_related_items_campaign(served: Any) -> None:
    p, aws = served.aws.personalize, served.aws
    solution = p.create_solution(name="sims", datasetGroupArn=served.arns["dataset_group"],
                                 recipeArn="arn:aws:personalize:::recipe/aws-sims")["solutionArn"]
    aws.wait("solution", solution)
    version = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    assert aws.wait("version", version)["status"] == "ACTIVE"
    campaign = p.create_campaign(name="sims", solutionVersionArn=version)["campaignArn"]
    aws.wait("campaign", campaign)
    arn = _filter(served, "INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE AND Items.PRICE > CurrentItem.PRICE")
    for item in ("i4", "i31"):
        related = aws.runtime.get_recommendations(campaignArn=campaign, itemId=item, numResults=40,
                                                  filterArn=arn)["itemList"]
        numbers = sorted(int(entry["itemId"][1:]) for entry in related)
        # every item shares the GENRE value "all" with the current one; PRICE is the item's number
        assert numbers == list(range(int(item[1:]) + 1, 40))
    odd = _filter(served, 'INCLUDE ItemID WHERE Items.GENRE IN CurrentItem.GENRE AND Items.GENRE NOT IN ("even")',
                  name="odd")
    related = aws.runtime.get_recommendations(campaignArn=campaign, itemId="i7", numResults=40, filterArn=odd)
    assert sorted(int(e["itemId"][1:]) for e in related["itemList"]) == [k for k in range(1, 40, 2) if k != 7]
