"""Dataset groups, schemas, datasets (incl. UpdateDataset) and dataset import jobs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator.settings import Settings

KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd"
PREFIX = "1 validation error detected: schema: "


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


# -- dataset groups ---------------------------------------------------------------------------------
def test_dataset_group_create_describe_list(aws: Any, kit: SimpleNamespace) -> None:
    created = aws.personalize.create_dataset_group(name="shop", domain="ECOMMERCE", roleArn=kit.ROLE,
                                                   kmsKeyArn=KMS_KEY)
    arn = created["datasetGroupArn"]
    assert arn == f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:dataset-group/shop"
    assert created["domain"] == "ECOMMERCE"
    group = aws.describe("dataset_group", arn)
    assert group["name"] == "shop" and group["status"] == "ACTIVE" and group["roleArn"] == kit.ROLE
    # the model: "Supplying an IAM role is only valid when also specifying a KMS key."
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_dataset_group(name="no-key", roleArn=kit.ROLE)
    assert _error(exc)[1] == ("1 validation error detected: roleArn: is only valid together with kmsKeyArn (the role "
                              "lets Personalize use that KMS key); add kmsKeyArn or remove roleArn")
    assert group["creationDateTime"] <= group["lastUpdatedDateTime"]
    summaries = aws.personalize.list_dataset_groups()["datasetGroups"]
    assert [(s["name"], s["status"], s["domain"]) for s in summaries] == [("shop", "ACTIVE", "ECOMMERCE")]


def test_dataset_group_names_are_unique(aws: Any) -> None:
    aws.personalize.create_dataset_group(name="twice")
    with pytest.raises(aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        aws.personalize.create_dataset_group(name="twice")
    assert _error(exc) == ("ResourceAlreadyExistsException", "Another resource with Arn "
                           "arn:aws:personalize:us-east-1:123456789012:dataset-group/twice already exists.")


def test_dataset_group_invalid_input_names_the_field(aws: Any) -> None:
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_dataset_group(name="-bad name", domain="GROCERY", kmsKeyArn="key")
    code, message = _error(exc)
    assert code == "InvalidInputException"
    assert message.startswith("3 validation errors detected: ")
    assert "name: value must match the pattern ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*; got '-bad name'" in message
    assert "domain: value must be one of ECOMMERCE, VIDEO_ON_DEMAND; got 'GROCERY'" in message
    assert "kmsKeyArn: value must match the pattern" in message


def test_delete_dataset_group_in_use_then_gone(pipeline: Any, data_csv: Path) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    dataset = pipeline.dataset()
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.delete_dataset_group(datasetGroupArn=group)
    assert _error(exc) == ("ResourceInUseException", f"Dataset group {group} still has datasets; delete them first.")
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)["eventTrackerArn"]
    aws.personalize.delete_dataset(datasetArn=dataset)
    aws.wait_gone("dataset", dataset)
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.delete_dataset_group(datasetGroupArn=group)
    assert _error(exc)[1] == f"Dataset group {group} still has event trackers; delete them first."
    aws.personalize.delete_event_tracker(eventTrackerArn=tracker)
    aws.personalize.delete_dataset_group(datasetGroupArn=group)
    aws.wait_gone("dataset_group", group)
    assert aws.personalize.list_dataset_groups()["datasetGroups"] == []
    with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
        aws.personalize.delete_dataset_group(datasetGroupArn=group)
    assert _error(exc)[1] == f"Resource Arn {group} does not exist."


def test_delete_dataset_group_with_solutions(aws: Any, kit: SimpleNamespace) -> None:
    group = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    aws.personalize.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)
    with pytest.raises(aws.personalize.exceptions.ResourceInUseException) as exc:
        aws.personalize.delete_dataset_group(datasetGroupArn=group)
    assert _error(exc) == ("ResourceInUseException", f"Dataset group {group} still has solutions; delete them first.")


def test_a_recreated_dataset_group_does_not_inherit_events(pipeline: Any, data_csv: Path, mocked: Any) -> None:
    aws = pipeline.aws
    group = pipeline.dataset_group()
    tracker = aws.personalize.create_event_tracker(name="t", datasetGroupArn=group)
    aws.events.put_events(trackingId=tracker["trackingId"], sessionId="s", userId="u",
                          eventList=[{"eventType": "click", "itemId": "stale", "sentAt": 1}])
    aws.personalize.delete_event_tracker(eventTrackerArn=tracker["eventTrackerArn"])
    aws.personalize.delete_dataset_group(datasetGroupArn=group)
    again = pipeline.dataset_group()
    assert again == group  # same name, same ARN
    assert mocked.store.events(group) == []


# -- schemas ----------------------------------------------------------------------------------------
def test_schema_create_describe_delete(aws: Any, kit: SimpleNamespace) -> None:
    arn = aws.personalize.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA, domain="ECOMMERCE")["schemaArn"]
    schema = aws.personalize.describe_schema(schemaArn=arn)["schema"]
    assert schema["schema"] == kit.INTERACTIONS_SCHEMA and schema["domain"] == "ECOMMERCE"
    aws.personalize.delete_schema(schemaArn=arn)
    with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
        aws.personalize.describe_schema(schemaArn=arn)
    assert _error(exc)[1] == f"Resource Arn {arn} does not exist."


@pytest.mark.parametrize(("schema", "message"), [
    ("{not json", PREFIX + "not valid JSON (Expecting property name enclosed in double quotes: "
                  "line 1 column 2 (char 1))"),
    (json.dumps({"type": "enum"}), PREFIX + 'the schema must be an Avro record ({"type": "record", '
                                   '"name": ..., "fields": [...]})'),
    (json.dumps({"type": "record", "name": "x", "fields": []}), PREFIX + "a record needs a non-empty "
                                                                 "fields list"),
    (json.dumps({"type": "record", "name": "x", "fields": [{"name": "A", "type": "bytes"}]}),
     PREFIX + "field 'A' has type 'bytes'; Personalize supports string, int, long, float, double, "
     "boolean (and null)"),
    (json.dumps({"type": "record", "name": "x", "fields": [{"name": "A", "type": "string"},
                                                           {"name": "A", "type": "long"}]}),
     PREFIX + "duplicate field names: A"),
])
def test_invalid_schemas_say_what_is_wrong(aws: Any, schema: str, message: str) -> None:
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_schema(name="s", schema=schema)
    assert _error(exc) == ("InvalidInputException", message)


def test_schema_in_use_cannot_be_deleted(pipeline: Any) -> None:
    pipeline.dataset_group()
    dataset = pipeline.dataset()
    schema = pipeline.arns["schema"]
    with pytest.raises(pipeline.aws.personalize.exceptions.ResourceInUseException) as exc:
        pipeline.aws.personalize.delete_schema(schemaArn=schema)
    assert _error(exc)[1] == f"Schema {schema} is used by dataset {dataset}; delete the dataset first."


# -- datasets ---------------------------------------------------------------------------------------
def test_dataset_needs_the_fields_of_its_type(aws: Any, kit: SimpleNamespace) -> None:
    group = aws.personalize.create_dataset_group(name="g")["datasetGroupArn"]
    users = json.dumps({"type": "record", "name": "Users", "fields": [{"name": "USER_ID", "type": "string"},
                                                                      {"name": "AGE", "type": "int"}]})
    schema = aws.personalize.create_schema(name="users", schema=users)["schemaArn"]
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema, datasetType="Interactions")
    assert _error(exc)[1] == "A INTERACTIONS dataset's schema needs a non-null ITEM_ID field of type string."
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema, datasetType="Things")
    assert _error(exc)[1] == ("1 validation error detected: datasetType: must be one of Interactions, Items, Users, "
                              "Actions, Action_Interactions (any case); got 'Things'")
    dataset = aws.personalize.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema,
                                             datasetType="Users")["datasetArn"]
    assert dataset.endswith(":dataset/g/USERS")


def test_one_dataset_per_type_in_a_group(pipeline: Any, kit: SimpleNamespace) -> None:
    group = pipeline.dataset_group()
    first = pipeline.dataset()
    with pytest.raises(pipeline.aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        pipeline.aws.personalize.create_dataset(name="other", datasetGroupArn=group,
                                                schemaArn=pipeline.arns["schema"], datasetType="INTERACTIONS")
    assert _error(exc)[1] == f"Another resource with Arn {first} already exists."


def test_dataset_in_a_missing_group(aws: Any, kit: SimpleNamespace) -> None:
    schema = aws.personalize.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    missing = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:dataset-group/nope"
    with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
        aws.personalize.create_dataset(name="d", datasetGroupArn=missing, schemaArn=schema,
                                       datasetType="Interactions")
    assert _error(exc)[1] == f"Resource Arn {missing} does not exist."


def test_update_dataset_moves_to_the_new_schema(pipeline: Any, kit: SimpleNamespace) -> None:
    aws = pipeline.aws
    pipeline.dataset_group()
    dataset = pipeline.dataset()
    wider = json.dumps({"type": "record", "name": "Interactions", "fields": [
        *kit.FIELDS, {"name": "EVENT_TYPE", "type": ["null", "string"]}]})
    schema = aws.personalize.create_schema(name="wider", schema=wider)["schemaArn"]
    assert aws.personalize.update_dataset(datasetArn=dataset, schemaArn=schema)["datasetArn"] == dataset
    described = aws.describe("dataset", dataset)
    assert described["schemaArn"] == schema
    assert described["latestDatasetUpdate"]["schemaArn"] == schema
    assert described["latestDatasetUpdate"]["status"] == "ACTIVE"
    items = json.dumps({"type": "record", "name": "Items", "fields": [{"name": "ITEM_ID", "type": "string"},
                                                                      {"name": "PRICE", "type": "float"}]})
    unfit = aws.personalize.create_schema(name="items", schema=items)["schemaArn"]
    with pytest.raises(aws.personalize.exceptions.InvalidInputException) as exc:
        aws.personalize.update_dataset(datasetArn=dataset, schemaArn=unfit)
    assert _error(exc)[1] == "A INTERACTIONS dataset's schema needs a non-null USER_ID field of type string."


# -- import jobs ------------------------------------------------------------------------------------
@pytest.fixture
def ready(pipeline: Any) -> Any:
    """A pipeline with an ACTIVE dataset group and Interactions dataset."""
    pipeline.dataset_group()
    pipeline.dataset()
    return pipeline


def _top(ready: Any) -> str:
    """Train popularity-count on what was imported; the most popular item."""
    if "solution" not in ready.arns:
        ready.solution()
    version = ready.version()
    assert version["status"] == "ACTIVE", version
    campaign = ready.arns.get("campaign")
    if campaign is None:
        campaign = ready.campaign()
    else:
        ready.aws.personalize.update_campaign(campaignArn=campaign, solutionVersionArn=version["solutionVersionArn"])
    item: str = ready.aws.runtime.get_recommendations(campaignArn=campaign, userId="u0")["itemList"][0]["itemId"]
    return item


def test_import_a_file_then_a_directory(ready: Any, make_csv: Any) -> None:
    job = ready.import_data(make_csv("one.csv").as_uri())
    assert job["status"] == "ACTIVE" and job["importMode"] == "FULL"
    make_csv("dir/a.csv", seed=1)
    make_csv("dir/b.CSV", seed=2)
    (make_csv.directory / "dir" / "notes.txt").write_text("ignored")
    assert ready.import_data((make_csv.directory / "dir").as_uri() + "/")["status"] == "ACTIVE"
    jobs = ready.aws.personalize.list_dataset_import_jobs(datasetArn=ready.arns["dataset"])["datasetImportJobs"]
    assert [j["status"] for j in jobs] == ["ACTIVE", "ACTIVE"]


def test_full_import_replaces_and_incremental_appends(ready: Any, make_csv: Any) -> None:
    ready.import_data(make_csv("a.csv").as_uri())
    assert _top(ready) == "i0"
    hot = make_csv("hot.csv", users=30, per_user=40, items=1)  # 1,200 interactions, all on i0 ...
    hot.write_text(hot.read_text().replace(",i0,", ",hot,"))  # ... renamed: every one on "hot"
    ready.import_data(hot.as_uri(), importMode="INCREMENTAL")
    assert _top(ready) == "hot"
    ready.import_data(make_csv("b.csv", seed=3).as_uri(), importMode="FULL")
    assert _top(ready) == "i0"


@pytest.mark.parametrize(("extra", "line", "reason"), [
    ("u9,i1,not-a-time\n", 1502, "column TIMESTAMP: 'not-a-time' is not a valid long."),
    ("u9,i1\n", 1502, "expected 3 values, found 2."),
    ("u9,,1600000000\n", 1502, "column ITEM_ID: '' is empty but the field is not nullable."),
    ("u9,i1,1600000000,extra\n", 1502, "expected 3 values, found 4."),
])
def test_a_bad_row_fails_the_job_naming_file_and_line(ready: Any, make_csv: Any, extra: str, line: int,
                                                      reason: str) -> None:
    good = ready.import_data(make_csv("good.csv").as_uri())
    assert good["status"] == "ACTIVE"
    bad = make_csv("bad.csv", seed=5, extra=extra)
    job = ready.import_data(bad.as_uri())
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == f"{bad} line {line}{',' if 'column' in reason else ':'} {reason}"
    assert _top(ready) == "i0"  # the earlier import still stands: nothing of bad.csv got in


def test_a_failed_first_import_leaves_nothing_to_train(ready: Any, make_csv: Any) -> None:
    job = ready.import_data(make_csv("bad.csv", extra="u1,i1,soon\n").as_uri())
    assert job["status"] == "CREATE FAILED"
    ready.solution()
    version = ready.version()
    assert version["status"] == "CREATE FAILED"
    assert version["failureReason"] == ("The dataset group has no imported item interactions: create an "
                                        "Interactions dataset and import data into it first.")


@pytest.mark.parametrize(("header", "reason"), [
    (("USER_ID", "ITEM_ID", "TIME"), "line 1: column 'TIME' is not a field of the dataset's schema "
                                     "(fields: USER_ID, ITEM_ID, TIMESTAMP)."),
    (("USER_ID", "ITEM_ID"), "line 1: the header lacks the required field(s) TIMESTAMP."),
])
def test_header_mismatch(ready: Any, make_csv: Any, header: tuple[str, ...], reason: str) -> None:
    path = make_csv("h.csv", header=header)
    job = ready.import_data(path.as_uri())
    assert (job["status"], job["failureReason"]) == ("CREATE FAILED", f"{path} {reason}")


def test_header_in_any_order_and_empty_files(ready: Any, make_csv: Any) -> None:
    path = make_csv("order.csv")
    lines = path.read_text().splitlines()
    reordered = [",".join(reversed(line.split(","))) for line in lines]
    path.write_text("\n".join(reordered) + "\n")
    assert ready.import_data(path.as_uri())["status"] == "ACTIVE"
    empty = make_csv.directory / "empty.csv"
    empty.write_text("")
    job = ready.import_data(empty.as_uri())
    assert job["failureReason"] == f"{empty} is empty: the first line must be a header naming schema fields."
    header_only = make_csv.directory / "header.csv"
    header_only.write_text("USER_ID,ITEM_ID,TIMESTAMP\n")
    job = ready.import_data(header_only.as_uri())
    assert job["failureReason"] == f"{header_only.as_uri()} has a header but no rows."


def test_missing_locations(ready: Any, make_csv: Any) -> None:
    missing = make_csv.directory / "nothing.csv"
    assert ready.import_data(missing.as_uri())["failureReason"] == f"{missing.as_uri()} does not exist."
    (make_csv.directory / "none").mkdir()
    location = (make_csv.directory / "none").as_uri()
    assert ready.import_data(location)["failureReason"] == f"{location} is a directory with no .csv files."


def test_import_location_must_be_s3_or_file(ready: Any) -> None:
    with pytest.raises(ready.aws.personalize.exceptions.InvalidInputException) as exc:
        ready.import_data("ftp://host/x.csv")
    assert _error(exc)[1] == ("1 validation error detected: dataSource.dataLocation: value must match the "
                              "pattern (s3|http|https)://.+; got 'ftp://host/x.csv'")
    job = ready.import_data("https://example.com/x.csv")
    assert job["failureReason"] == ("The emulator imports s3:// and file:// locations only; got "
                                    "https://example.com/x.csv.")


def test_import_job_names_are_unique(ready: Any, make_csv: Any) -> None:
    ready.import_data(make_csv().as_uri(), job="once")
    with pytest.raises(ready.aws.personalize.exceptions.ResourceAlreadyExistsException) as exc:
        ready.import_data(make_csv().as_uri(), job="once")
    assert _error(exc)[1] == ("Another resource with Arn "
                              "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/once already exists.")


# -- --allow-file-root ------------------------------------------------------------------------------
@pytest.fixture
def confined(attached: Callable[..., Any], tmp_path: Path, make_csv: Any, kit: SimpleNamespace) -> Any:
    """A dataset ready for imports on an emulator that may read only ``tmp_path/data/allowed``."""
    allowed = make_csv.directory / "allowed"
    allowed.mkdir(parents=True)
    emulator = attached(settings=Settings(allow_file_roots=(allowed,)))
    pipeline = kit.Pipeline(emulator.aws)
    pipeline.dataset_group()
    pipeline.dataset()
    pipeline.allowed = allowed
    return pipeline


def _outside(location: str) -> str:
    return (f"{location} is outside the directories this emulator may read (--allow-file-root); symbolic "
            "links and '..' are resolved before the check.")


def test_file_roots_allow_inside(confined: Any, make_csv: Any) -> None:
    inside = make_csv("allowed/in.csv")
    assert confined.import_data(inside.as_uri())["status"] == "ACTIVE"
    linked = confined.allowed / "link-in.csv"
    linked.symlink_to(inside)
    assert confined.import_data(linked.as_uri())["status"] == "ACTIVE"


def test_file_roots_refuse_outside_dotdot_and_symlinks(confined: Any, make_csv: Any) -> None:
    secret = make_csv("secret.csv")
    cases = [secret.as_uri(), f"file://{confined.allowed}/../secret.csv"]
    link = confined.allowed / "link.csv"
    link.symlink_to(secret)
    cases.append(link.as_uri())
    outside_dir = confined.allowed / "elsewhere"
    outside_dir.symlink_to(secret.parent, target_is_directory=True)
    cases.append(outside_dir.as_uri() + "/")
    for location in cases:
        job = confined.import_data(location)
        assert (job["status"], job["failureReason"]) == ("CREATE FAILED", _outside(location)), location


def test_file_roots_check_each_file_of_a_directory(confined: Any, make_csv: Any) -> None:
    make_csv("allowed/batch/a.csv")
    (confined.allowed / "batch" / "b.csv").symlink_to(make_csv("secret.csv"))
    location = (confined.allowed / "batch").as_uri() + "/"
    job = confined.import_data(location)
    assert (job["status"], job["failureReason"]) == ("CREATE FAILED", _outside(f"{location} (b.csv)"))


def test_in_process_modes_read_any_path(ready: Any, make_csv: Any) -> None:
    """mock_personalize sets no file roots: tests import from wherever they wrote their data."""
    assert ready.import_data(make_csv("anywhere/at/all.csv").as_uri())["status"] == "ACTIVE"
