"""PutItems and PutUsers: the documented limits, errors that name the field, and what the records change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from personalize_emulator.datafiles import training_data
from personalize_emulator.service.records import camel_case

_NS = {"namespace": "com.amazonaws.personalize.schema", "version": "1.0", "type": "record"}
ITEMS_SCHEMA = json.dumps({**_NS, "name": "Items", "fields": [
    {"name": "ITEM_ID", "type": "string"},
    {"name": "GENRES", "type": "string", "categorical": True},
    {"name": "LIST_PRICE", "type": ["null", "float"]},
]})
USERS_SCHEMA = json.dumps({**_NS, "name": "Users", "fields": [
    {"name": "USER_ID", "type": "string"},
    {"name": "MEMBERSHIP", "type": "string", "categorical": True},
    {"name": "AGE", "type": ["null", "int"]},
]})


@dataclass
class Catalogue:
    """A dataset group with Interactions (imported), Items and Users datasets."""

    emulator: Any
    pipeline: Any
    items: str
    users: str

    @property
    def events(self) -> Any:
        return self.pipeline.aws.events

    def stored(self, dataset: str) -> dict[str, Any]:
        """The dataset's records as training would read them (a later record of an id replaces it)."""
        row = self.emulator.store.get(dataset)
        directory = self.emulator.data_dir / row.internal["dir"]
        kind = row.body["datasetType"].upper()
        data = training_data({kind: (directory, row.internal["parts"], frozenset())}, [])
        table = data.items if kind == "ITEMS" else data.users
        assert table is not None
        return {str(key): {name: values[i].item() for name, values in table.columns.items()}
                for i, key in enumerate(table.key)}


@pytest.fixture
def catalogue(mocked: Any, pipeline: Any, data_csv: Any) -> Catalogue:
    group = pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(data_csv.as_uri())["status"] == "ACTIVE"
    made = {}
    for kind, schema in (("Items", ITEMS_SCHEMA), ("Users", USERS_SCHEMA)):
        schema_arn = pipeline.aws.personalize.create_schema(name=f"{kind}-schema", schema=schema)["schemaArn"]
        made[kind] = pipeline.aws.personalize.create_dataset(
            name=kind.lower(), datasetGroupArn=group, schemaArn=schema_arn, datasetType=kind)["datasetArn"]
    return Catalogue(mocked, pipeline, made["Items"], made["Users"])


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def _item(item_id: str, **properties: Any) -> dict[str, str]:
    return {"itemId": item_id, "properties": json.dumps(properties)}


def test_properties_keys_are_the_columns_in_camel_case() -> None:
    assert [camel_case(c) for c in ("NUMBER_OF_RATINGS", "CREATION_TIMESTAMP", "GENRES", "A__B")] == [
        "numberOfRatings", "creationTimestamp", "genres", "aB"]


def test_records_are_stored_and_the_same_id_replaces_its_record(catalogue: Catalogue) -> None:
    catalogue.events.put_items(datasetArn=catalogue.items, items=[
        _item("i1", genres="drama|comedy", listPrice=9.5), _item("new", genres="horror")])
    catalogue.events.put_items(datasetArn=catalogue.items, items=[_item("i1", genres="drama", listPrice=7)])
    assert catalogue.stored(catalogue.items) == {
        "i1": {"GENRES": "drama", "LIST_PRICE": 7.0},
        "new": {"GENRES": "horror", "LIST_PRICE": pytest.approx(float("nan"), nan_ok=True)},
    }
    catalogue.events.put_users(datasetArn=catalogue.users, users=[
        {"userId": "u1", "properties": json.dumps({"membership": "gold", "age": 31})},
        {"userId": "someone-new", "properties": json.dumps({"membership": "free"})}])
    stored = catalogue.stored(catalogue.users)
    assert stored["u1"] == {"MEMBERSHIP": "gold", "AGE": 31.0}
    assert stored["someone-new"]["MEMBERSHIP"] == "free"


def test_a_new_item_joins_the_catalogue_at_the_next_training(catalogue: Catalogue, kit: Any) -> None:
    aws, pipeline = catalogue.pipeline.aws, catalogue.pipeline
    pipeline.solution(recipe=kit.RECIPE + "aws-sims")
    pipeline.version()
    campaign = pipeline.campaign()
    with pytest.raises(aws.runtime.exceptions.InvalidInputException) as exc:
        aws.runtime.get_recommendations(campaignArn=campaign, itemId="brand-new")
    assert _error(exc) == ("InvalidInputException", "Item 'brand-new' is not in the training data of this campaign.")
    catalogue.events.put_items(datasetArn=catalogue.items, items=[_item("brand-new", genres="drama")])
    with pytest.raises(aws.runtime.exceptions.InvalidInputException):  # the served model is unchanged ...
        aws.runtime.get_recommendations(campaignArn=campaign, itemId="brand-new")
    version = pipeline.version()["solutionVersionArn"]
    aws.personalize.update_campaign(campaignArn=campaign, solutionVersionArn=version)
    answer = aws.runtime.get_recommendations(campaignArn=campaign, itemId="brand-new")["itemList"]
    assert answer and "brand-new" not in [entry["itemId"] for entry in answer]  # ... until it is trained on


@pytest.mark.parametrize(("items", "message"), [
    ([_item(f"i{k}", genres="g") for k in range(11)],
     "1 validation error detected: items: must have at most 10 items, got 11"),
    ([{"itemId": "i", "properties": "x" * 32001}],
     "1 validation error detected: items[0].properties: value must be at most 32000 characters, got 32001"),
    ([{"itemId": "i" * 257}], "1 validation error detected: items[0].itemId: value must be at most 256 characters, "
                              "got 257"),
    ([_item("i", genres="g"), {"itemId": "j", "properties": "{nope"}], "items[1].properties is not valid JSON."),
    ([{"itemId": "i", "properties": "[1]"}], "items[0].properties must be a JSON object."),
    ([_item("i", genres="g", colour="red")],
     "items[0].properties: colour is not a column of the dataset's schema; the keys are the schema's columns in "
     "camelCase (genres, listPrice), and itemId is given beside properties."),
    ([_item("i", GENRES="g")],
     "items[0].properties: GENRES is not a column of the dataset's schema; the keys are the schema's columns in "
     "camelCase (genres, listPrice), and itemId is given beside properties."),
    ([_item("i", listPrice=3)], "items[0].properties lacks genres: the schema declares it not nullable."),
    ([_item("i", genres="g", listPrice="cheap")],
     "items[0].properties: the value 'cheap' of LIST_PRICE is not a valid float."),
    ([_item("i", genres=["a", "b"])],
     "items[0].properties: the value ['a', 'b'] of GENRES is not a string or a number."),
])
def test_put_items_errors_name_the_field(catalogue: Catalogue, items: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(catalogue.events.exceptions.InvalidInputException) as exc:
        catalogue.events.put_items(datasetArn=catalogue.items, items=items)
    assert _error(exc) == ("InvalidInputException", message)
    assert catalogue.emulator.store.get(catalogue.items).internal["parts"] == []  # nothing half-written


def test_put_users_errors_name_the_field(catalogue: Catalogue) -> None:
    events = catalogue.events
    with pytest.raises(events.exceptions.InvalidInputException) as exc:
        events.put_users(datasetArn=catalogue.users, users=[{"userId": "u", "properties": "x" * 24001}])
    assert _error(exc) == ("InvalidInputException", "1 validation error detected: users[0].properties: value must "
                                                    "be at most 24000 characters, got 24001")
    with pytest.raises(events.exceptions.InvalidInputException) as exc:
        events.put_users(datasetArn=catalogue.users, users=[
            {"userId": "u", "properties": json.dumps({"membership": "m", "age": "old"})}])
    assert _error(exc) == ("InvalidInputException", "users[0].properties: the value 'old' of AGE is not a valid int.")


def test_the_dataset_must_exist_and_be_of_the_right_type(catalogue: Catalogue) -> None:
    events = catalogue.events
    missing = catalogue.items.replace("/ITEMS", "/NOPE")
    with pytest.raises(events.exceptions.ResourceNotFoundException) as exc:
        events.put_items(datasetArn=missing, items=[_item("i", genres="g")])
    assert _error(exc) == ("ResourceNotFoundException", f"Resource Arn {missing} does not exist.")
    with pytest.raises(events.exceptions.InvalidInputException) as exc:
        events.put_items(datasetArn=catalogue.users, items=[_item("i", genres="g")])
    assert _error(exc) == ("InvalidInputException",
                           f"datasetArn: PutItems needs a dataset of type Items; {catalogue.users} is of type Users.")
    with pytest.raises(events.exceptions.InvalidInputException) as exc:
        events.put_users(datasetArn=catalogue.pipeline.arns["dataset"], users=[{"userId": "u"}])
    assert _error(exc) == ("InvalidInputException", "datasetArn: PutUsers needs a dataset of type Users; "
                           f"{catalogue.pipeline.arns['dataset']} is of type Interactions.")
