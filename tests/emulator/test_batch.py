"""Batch inference jobs: JSON-lines in (file:// and moto S3), AWS's output documents out, per-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from personalize_emulator import mock_personalize

USERS = '{"userId": "u1"}\n{"userId": "u2"}\n{"userId": "someone-new"}\n'


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def imported(pipeline: Any, data_csv: Path) -> Any:
    """A dataset group with 1,500 interactions imported (60 users u0..u59, 40 items i0..i39)."""
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(data_csv.as_uri())["status"] == "ACTIVE"
    return pipeline


@pytest.fixture
def trained(imported: Any, kit: SimpleNamespace) -> Callable[[str], str]:
    """Factory: the ARN of an ACTIVE version of ``recipe`` (one solution per recipe)."""

    def train(recipe: str) -> str:
        imported.name = recipe
        imported.solution(recipe=kit.RECIPE + recipe)
        version = imported.version()
        assert version["status"] == "ACTIVE", version
        return str(version["solutionVersionArn"])

    return train


def _run(aws: Any, version: str, source: str, destination: str, name: str = "job", **kwargs: Any) -> dict[str, Any]:
    kit_role = "arn:aws:iam::123456789012:role/personalize"
    arn = aws.personalize.create_batch_inference_job(
        jobName=name, solutionVersionArn=version, roleArn=kit_role, jobInput={"s3DataSource": {"path": source}},
        jobOutput={"s3DataDestination": {"path": destination}}, **kwargs)["batchInferenceJobArn"]
    return aws.wait("batch_job", arn)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_user_personalization_through_file_urls(trained: Any, imported: Any, files: SimpleNamespace) -> None:
    version = trained("aws-user-personalization")
    (files.folder / "users.json").write_text(USERS, encoding="utf-8")
    job = _run(imported.aws, version, files.input, files.output, numResults=5)
    assert job["status"] == "ACTIVE", job
    assert (job["numResults"], job["batchInferenceJobMode"], job["solutionVersionArn"]) == (5, "BATCH_INFERENCE",
                                                                                            version)
    lines = _lines(files.out_dir / "users.json.out")
    assert [line["input"] for line in lines] == [json.loads(t) for t in USERS.splitlines()]
    runtime = imported.aws.runtime
    campaign = imported.campaign()
    for line in lines:
        assert line["error"] is None
        assert set(line["output"]) == {"recommendedItems", "scores"}
        assert len(line["output"]["recommendedItems"]) == 5 == len(line["output"]["scores"])
        assert line["output"]["scores"] == sorted(line["output"]["scores"], reverse=True)
        served = runtime.get_recommendations(campaignArn=campaign, userId=line["input"]["userId"], numResults=5)
        assert line["output"]["recommendedItems"] == [entry["itemId"] for entry in served["itemList"]]


def test_bad_lines_get_their_own_error_and_never_fail_the_job(trained: Any, imported: Any,
                                                               files: SimpleNamespace) -> None:
    version = trained("aws-user-personalization")
    text = '{"userId": "u1"}\nnot json\n["u1"]\n{"itemId": "i1"}\n\n{"userId": 7}\n{"userId": "u2"}\n'
    (files.folder / "mixed.jsonl").write_text(text, encoding="utf-8")
    assert _run(imported.aws, version, files.input, files.output, numResults=3)["status"] == "ACTIVE"
    lines = _lines(files.out_dir / "mixed.jsonl.out")
    assert [line["error"] for line in lines] == [
        None,
        "Line 2: not valid JSON (Expecting value at column 1).",
        'Line 3: not a JSON object; expected one such as {"userId": "u1"}.',
        "Line 4: userId is required: this solution version recommends items for a user.",
        "Line 6: userId must be a non-empty string; got 7.",
        None,
    ]
    assert lines[1] == {"input": "not json", "output": None, "error": lines[1]["error"]}
    assert len(lines[5]["output"]["recommendedItems"]) == 3


def test_popular_and_related_lines_are_as_documented(trained: Any, imported: Any, files: SimpleNamespace) -> None:
    popular = trained("aws-popularity-count")
    (files.folder / "users.json").write_text('{"userId": "u1"}\n{}\n', encoding="utf-8")
    assert _run(imported.aws, popular, files.input, files.output + "popular/")["status"] == "ACTIVE"
    lines = _lines(files.out_dir / "popular" / "users.json.out")
    assert lines[0]["output"]["recommendedItems"] == lines[1]["output"]["recommendedItems"]
    assert lines[0] == {"input": {"userId": "u1"}, "output": {"recommendedItems": lines[0]["output"]
                                                              ["recommendedItems"]}}
    assert len(lines[0]["output"]["recommendedItems"]) == 25  # the default numResults

    sims = trained("aws-sims")
    (files.folder / "users.json").unlink()
    (files.folder / "items.json").write_text('{"itemId": "i1"}\n{"itemId": "nope"}\n{"userId": "u1"}\n')
    job = _run(imported.aws, sims, files.input, files.output + "sims/", name="sims", numResults=4)
    assert job["status"] == "ACTIVE"
    first, unknown, no_item = _lines(files.out_dir / "sims" / "items.json.out")
    assert set(first) == {"input", "output"} and len(first["output"]["recommendedItems"]) == 4
    assert "i1" not in first["output"]["recommendedItems"]
    assert unknown["error"] == "Line 2: Item 'nope' is not in the training data of this solution version."
    assert no_item["error"] == "Line 3: itemId is required: this solution version recommends related items."


def test_personalized_ranking_lines(trained: Any, imported: Any, files: SimpleNamespace) -> None:
    version = trained("aws-personalized-ranking")
    (files.folder / "rank.json").write_text('{"userId": "u1", "itemList": ["i3", "i1", "unknown", "i2"]}\n'
                                         '{"userId": "u1"}\n', encoding="utf-8")
    assert _run(imported.aws, version, files.input, files.output)["status"] == "ACTIVE"
    ranked, missing = _lines(files.out_dir / "rank.json.out")
    assert sorted(ranked["output"]["recommendedItems"]) == ["i1", "i2", "i3", "unknown"]
    assert ranked["output"]["recommendedItems"][-1] == "unknown"  # items unknown to training come last
    assert len(ranked["output"]["scores"]) == 4 and ranked["error"] is None
    assert missing["error"] == "Line 2: itemList is required: a non-empty list of item ids to rank."


def test_the_input_path_is_a_prefix(trained: Any, imported: Any, tmp_path: Path, files: SimpleNamespace) -> None:
    version = trained("aws-popularity-count")
    (files.folder / "users.json").write_text('{"userId": "u1"}\n')
    (files.folder / "users_test").mkdir()
    (files.folder / "users_test" / "more.json").write_text('{"userId": "u2"}\n{"userId": "u3"}\n')
    (files.folder / "other.json").write_text('{"userId": "u4"}\n')
    assert _run(imported.aws, version, files.input + "users", files.output, numResults=2)["status"] == "ACTIVE"
    written = sorted(p.relative_to(files.out_dir).as_posix() for p in files.out_dir.rglob("*") if p.is_file())
    assert written == ["users.json.out", "users_test/more.json.out"]
    assert len(_lines(files.out_dir / "users_test" / "more.json.out")) == 2


def test_a_failed_job_publishes_nothing(trained: Any, imported: Any, files: SimpleNamespace) -> None:
    version = trained("aws-popularity-count")
    (files.folder / "a.json").write_text('{"userId": "u1"}\n')
    (files.folder / "b.json").write_bytes(b'{"userId": "\xff"}\n')  # the second file is not UTF-8
    job = _run(imported.aws, version, files.input, files.output)
    assert job["status"] == "CREATE FAILED"
    assert job["failureReason"] == f"{files.folder / 'b.json'} is not UTF-8 text."
    assert not files.out_dir.exists() or not any(files.out_dir.rglob("*"))

    empty = _run(imported.aws, version, files.input + "nothing", files.output, name="empty")
    assert empty["failureReason"] == (f"{files.input}nothing matches no input files (jobInput.s3DataSource.path is a "
                                      "prefix).")


def test_create_errors(trained: Any, imported: Any, files: SimpleNamespace, kit: SimpleNamespace) -> None:
    version = trained("aws-popularity-count")
    p = imported.aws.personalize
    errors = p.exceptions
    base = {"jobName": "j", "solutionVersionArn": version, "roleArn": kit.ROLE,
            "jobInput": {"s3DataSource": {"path": files.input}},
            "jobOutput": {"s3DataDestination": {"path": files.output}}}
    missing = version.rsplit("/", 1)[0] + "/00000000"
    cases: list[tuple[dict[str, Any], Any, str]] = [
        ({"solutionVersionArn": missing}, errors.ResourceNotFoundException, f"Resource Arn {missing} does not exist."),
        ({"numResults": 501}, errors.InvalidInputException, "numResults must be at most 500; got 501."),
        ({"numResults": 0}, errors.InvalidInputException, "1 validation error detected: numResults: must be at "
         "least 1 (recommendations per input line); got 0"),
        ({"jobOutput": {"s3DataDestination": {"path": files.input.rstrip("/")}}}, errors.InvalidInputException,
         "1 validation error detected: jobOutput.s3DataDestination.path: must differ from jobInput.s3DataSource.path "
         f"(the output would be read as input); got {files.input.rstrip('/')!r}"),
        ({"batchInferenceJobMode": "THEME_GENERATION", "themeGenerationConfig": {
            "fieldsForThemeGeneration": {"itemName": "TITLE"}}}, errors.InvalidInputException,
         "batchInferenceJobMode: THEME_GENERATION needs a solution version trained with aws-similar-items; this one "
         "was trained with aws-popularity-count."),
        ({"batchInferenceJobMode": "THEME_GENERATION"}, errors.InvalidInputException,
         "1 validation error detected: themeGenerationConfig: is required when batchInferenceJobMode is "
         "THEME_GENERATION (it names the Items column holding each item's name)"),
        ({"batchInferenceJobConfig": {"itemExplorationConfig": {"explorationWieght": "0.3"}}},
         errors.InvalidInputException, "1 validation error detected: "
         "batchInferenceJobConfig.itemExplorationConfig.explorationWieght: is not a documented key; allowed: "
         "explorationWeight, explorationItemAgeCutOff"),
        ({"jobName": "bad name"}, errors.InvalidInputException, "1 validation error detected: jobName: value must "
         "match the pattern ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*; got 'bad name'"),
    ]
    for change, code, message in cases:
        with pytest.raises(code) as exc:
            p.create_batch_inference_job(**{**base, **change})
        assert _error(exc)[1] == message
    assert p.list_batch_inference_jobs()["batchInferenceJobs"] == []
    (files.folder / "u.json").write_text('{"userId": "u1"}\n')
    first = p.create_batch_inference_job(**base)["batchInferenceJobArn"]
    with pytest.raises(errors.ResourceAlreadyExistsException) as exc:
        p.create_batch_inference_job(**base)
    assert _error(exc) == ("ResourceAlreadyExistsException", f"Another resource with Arn {first} already exists.")
    with pytest.raises(errors.ResourceNotFoundException) as exc:
        p.describe_batch_inference_job(batchInferenceJobArn=first + "x")
    assert _error(exc)[1] == f"Resource Arn {first}x does not exist."


SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
PLACEHOLDER = "INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($TYPES)"


def _filter(pipeline: Any, expression: str, name: str) -> str:
    arn: str = pipeline.aws.personalize.create_filter(name=name, datasetGroupArn=pipeline.arns["dataset_group"],
                                                      filterExpression=expression)["filterArn"]
    assert pipeline.aws.wait("filter", arn)["status"] == "ACTIVE"
    return arn


def test_filters_apply_per_line_as_in_get_recommendations(trained: Any, imported: Any, files: SimpleNamespace,
                                                           data_csv: Path) -> None:
    version = trained("aws-user-personalization")
    seen = _filter(imported, SEEN, "unseen")
    (files.folder / "u.json").write_text('{"userId": "u1"}\n{"userId": "u2"}\n')
    job = _run(imported.aws, version, files.input, files.output, name="filtered", filterArn=seen, numResults=5)
    assert (job["status"], job["filterArn"]) == ("ACTIVE", seen)
    campaign = imported.campaign()
    for line in _lines(files.out_dir / "u.json.out"):
        user = line["input"]["userId"]
        served = imported.aws.runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=5,
                                                          filterArn=seen)["itemList"]
        assert line["output"]["recommendedItems"] == [entry["itemId"] for entry in served]
        assert line["output"]["scores"] == [entry["score"] for entry in served]
        rated = {row.split(",")[1] for row in data_csv.read_text().splitlines()[1:] if row.split(",")[0] == user}
        assert not set(line["output"]["recommendedItems"]) & rated

    placeholder = _filter(imported, PLACEHOLDER, "by-type")
    (files.folder / "u.json").write_text('{"userId": "u1", "filterValues": {"TYPES": "\\"*\\""}}\n{"userId": "u1"}\n')
    assert _run(imported.aws, version, files.input, files.output + "values/", name="values",
                filterArn=placeholder)["status"] == "ACTIVE"  # a bad line never fails the job
    valued, missing = _lines(files.out_dir / "values" / "u.json.out")
    assert valued["error"] is None and len(valued["output"]["recommendedItems"]) <= 25
    assert valued["output"]["recommendedItems"]  # INCLUDE what u1 interacted with: some survive
    assert missing == {"input": {"userId": "u1"}, "output": None, "error": (
        "Line 2: filterValues: the filter's INCLUDE expression uses $TYPES; supply a value for TYPES.")}


def test_filter_must_exist_in_the_version_s_dataset_group(trained: Any, imported: Any, files: SimpleNamespace,
                                                          kit: SimpleNamespace) -> None:
    version = trained("aws-popularity-count")
    p = imported.aws.personalize
    missing = f"arn:aws:personalize:{kit.REGION}:{kit.ACCOUNT}:filter/none"
    with pytest.raises(p.exceptions.ResourceNotFoundException) as exc:
        _run(imported.aws, version, files.input, files.output, filterArn=missing)
    assert _error(exc)[1] == f"Resource Arn {missing} does not exist."
    other = p.create_dataset_group(name="other")["datasetGroupArn"]
    imported.aws.wait("dataset_group", other)
    elsewhere = p.create_filter(name="elsewhere", datasetGroupArn=other, filterExpression=SEEN)["filterArn"]
    with pytest.raises(p.exceptions.InvalidInputException) as exc:
        _run(imported.aws, version, files.input, files.output, filterArn=elsewhere)
    assert _error(exc)[1] == (f"filterArn: filter {elsewhere} belongs to dataset group {other}; the solution version "
                              f"was trained on {imported.arns['dataset_group']}.")


def test_lists_filter_by_version(trained: Any, imported: Any, files: SimpleNamespace) -> None:
    popular = trained("aws-popularity-count")
    sims = trained("aws-sims")
    (files.folder / "u.json").write_text('{"userId": "u1"}\n')
    _run(imported.aws, popular, files.input, files.output, name="popular")
    (files.folder / "u.json").write_text('{"itemId": "i1"}\n')
    _run(imported.aws, sims, files.input, files.output + "sims/", name="other")
    listed = imported.aws.personalize.list_batch_inference_jobs(solutionVersionArn=popular)["batchInferenceJobs"]
    assert [j["jobName"] for j in listed] == ["popular"]
    page = imported.aws.personalize.list_batch_inference_jobs(maxResults=1)
    assert len(page["batchInferenceJobs"]) == 1 and "nextToken" in page


def test_s3_input_and_output_through_moto(data_csv: Path, kit: SimpleNamespace) -> None:
    from moto import mock_aws

    with mock_aws(), mock_personalize(instant=True):
        s3 = boto3.client("s3", region_name=kit.REGION)  # moto answers XML: no JSON shape check
        s3.create_bucket(Bucket="batch")
        s3.put_object(Bucket="batch", Key="interactions/part.csv", Body=data_csv.read_bytes())
        s3.put_object(Bucket="batch", Key="in/users.json", Body=USERS.encode())
        s3.put_object(Bucket="batch", Key="in/bad.json", Body=b'{"userId": "\xff"}\n')
        pipeline = kit.Pipeline(kit.clients_for())
        pipeline.dataset_group()
        pipeline.dataset()
        assert pipeline.import_data("s3://batch/interactions/")["status"] == "ACTIVE"
        pipeline.solution(recipe=kit.RECIPE + "aws-user-personalization")
        version = pipeline.version()["solutionVersionArn"]

        failed = _run(pipeline.aws, version, "s3://batch/in/", "s3://batch/out/", name="fails")
        assert (failed["status"], failed["failureReason"]) == ("CREATE FAILED", "s3://batch/in/bad.json is not "
                                                               "UTF-8 text.")
        assert s3.list_objects_v2(Bucket="batch", Prefix="out/")["KeyCount"] == 0  # nothing half-written

        job = _run(pipeline.aws, version, "s3://batch/in/users", "s3://batch/out/", numResults=4)
        assert job["status"] == "ACTIVE", job
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="batch", Prefix="out/")["Contents"]]
        assert keys == ["out/users.json.out"]
        body = s3.get_object(Bucket="batch", Key="out/users.json.out")["Body"].read().decode()
        lines = [json.loads(line) for line in body.splitlines()]
        assert [line["input"]["userId"] for line in lines] == ["u1", "u2", "someone-new"]
        assert all(len(line["output"]["scores"]) == 4 and line["error"] is None for line in lines)

        missing = _run(pipeline.aws, version, "s3://no-such-bucket/in/", "s3://batch/out2/", name="missing")
        assert missing["status"] == "CREATE FAILED"
        assert missing["failureReason"].startswith("Cannot list s3://no-such-bucket/in/: ")
