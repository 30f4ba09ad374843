"""Kinds are data: a resource type the console did not know (filters) shows up from one table entry."""

from __future__ import annotations

from personalize_emulator.console.kinds import GROUP, KINDS

from .conftest import Pages


def test_every_kind_hangs_under_the_group_or_a_kind_listed_before_it() -> None:
    seen = {GROUP}
    for kind in KINDS:
        assert kind.under in seen, kind
        seen.add(kind.kind)


def test_filters_appear_once_one_exists(pages: Pages) -> None:
    group = pages.arns["dataset_group"]
    arn = group.replace(":dataset-group/", ":filter/") + "-no-clicks"
    body = {"name": "no-clicks", "filterArn": arn, "datasetGroupArn": group, "status": "CREATE FAILED",
            "filterExpression": 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
            "failureReason": "a <reason>", "lastUpdatedDateTime": 0}
    pages.emulator.store.insert(arn=arn, kind="filter", account="123456789012", region="us-east-1",
                                name="no-clicks", parent=group, body=body)
    try:
        text = pages.get("group", group).text
        assert "<h2>Filters</h2>" in text and "no-clicks" in text and "a &lt;reason&gt;" in text
        assert "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (&quot;click&quot;)" in text
        assert "1 filters" in pages.get("").text
    finally:
        with pages.emulator.store.write() as conn:
            pages.emulator.store.remove(arn, conn)


def test_batch_inference_jobs_appear_under_their_version(pages: Pages) -> None:
    version = pages.arns["automl_version"]
    arn = "arn:aws:personalize:us-east-1:123456789012:batch-inference-job/nightly"
    body = {"jobName": "nightly", "batchInferenceJobArn": arn, "solutionVersionArn": version, "status": "ACTIVE",
            "jobInput": {"s3DataSource": {"path": "s3://bucket/in/"}}, "numResults": 25,
            "jobOutput": {"s3DataDestination": {"path": "s3://bucket/out/"}}, "lastUpdatedDateTime": 0}
    group = pages.arns["dataset_group"]
    assert "Batch inference jobs" not in pages.get("group", group).text  # optional: shown once one exists
    pages.emulator.store.insert(arn=arn, kind="batch-inference-job", account="123456789012", region="us-east-1",
                                name="nightly", parent=version, body=body)
    try:
        text = pages.get("group", group).text
        assert "<h2>Batch inference jobs</h2>" in text and "nightly" in text and "s3://bucket/out/" in text
    finally:
        with pages.emulator.store.write() as conn:
            pages.emulator.store.remove(arn, conn)
