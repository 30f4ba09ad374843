"""Batch inference benchmark: every ml-100k user scored by one CreateBatchInferenceJob.

    python bench/bench_batch.py [--recipe aws-user-personalization] [--repeats 3]

Builds the whole pipeline through boto3 on ``mock_personalize(instant=True)`` (the CSV is written
to a temporary directory from ``../shared/data/ml-100k/u.data`` and imported through ``file://``;
the data never enters the repository), trains the recipe once, then times batch jobs over all 943
users (``numResults`` 25): the first job includes loading the model from disk, the repeats find it
cached as a serving emulator would; then one job with a filter excluding what each user rated
(``EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")``).  Targets: <= 5 s per job.  With the
instant lifecycle the job runs inside the Create call, so the Create call's wall time is the job's.
Skips cleanly when the data set is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from personalize_emulator import mock_personalize
from progress_lines import step
from training_datasets import data_root

RECIPE = "arn:aws:personalize:::recipe/"
ROLE = "arn:aws:iam::123456789012:role/personalize"
TARGET_S = 5.0
SCHEMA = json.dumps({"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
                     "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                                {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"})


def _wait(describe: Any, member: str, **arn: str) -> dict[str, Any]:
    while True:
        body: dict[str, Any] = describe(**arn)[member]
        if body["status"] in ("ACTIVE", "CREATE FAILED"):
            return body
        time.sleep(0.05)


def _pipeline(client: Any, csv: Path, recipe: str) -> tuple[str, str]:
    """Dataset group to an ACTIVE solution version of ``recipe``; (version ARN, dataset group ARN)."""
    group = client.create_dataset_group(name="bench")["datasetGroupArn"]
    schema = client.create_schema(name="bench", schema=SCHEMA)["schemaArn"]
    dataset = client.create_dataset(name="bench", datasetGroupArn=group, schemaArn=schema,
                                    datasetType="Interactions")["datasetArn"]
    job = client.create_dataset_import_job(jobName="bench", datasetArn=dataset, roleArn=ROLE,
                                           dataSource={"dataLocation": csv.as_uri()})["datasetImportJobArn"]
    assert _wait(client.describe_dataset_import_job, "datasetImportJob", datasetImportJobArn=job)["status"] == "ACTIVE"
    solution = client.create_solution(name="bench", datasetGroupArn=group, recipeArn=RECIPE + recipe,
                                      performAutoTraining=False)["solutionArn"]
    with step(f"training {recipe} on ml-100k"):
        version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        body = _wait(client.describe_solution_version, "solutionVersion", solutionVersionArn=version)
    assert body["status"] == "ACTIVE", body
    return str(version), str(group)


def run(recipe: str, repeats: int) -> dict[str, Any] | None:
    source = data_root() / "ml-100k" / "u.data"
    if not source.exists():
        print(f"skipped: {source} is absent", file=sys.stderr)
        return None
    raw = np.loadtxt(source, dtype=np.int64)
    users = sorted({int(u) for u in raw[:, 0]})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = folder / "interactions.csv"
        csv.write_text("USER_ID,ITEM_ID,TIMESTAMP\n" + "".join(f"{u},{i},{t}\n" for u, i, _, t in raw.tolist()))
        (folder / "in").mkdir()
        (folder / "in" / "users.json").write_text("".join(json.dumps({"userId": str(u)}) + "\n" for u in users))
        with mock_personalize(instant=True, data_dir=folder / "state"):
            import boto3

            client = boto3.client("personalize", region_name="us-east-1")
            version, group = _pipeline(client, csv, recipe)
            seen = client.create_filter(name="unseen", datasetGroupArn=group,
                                        filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')
            times: list[float] = []
            for run_index in range(repeats + 1):
                out = folder / f"out-{run_index}"
                extra = {"filterArn": seen["filterArn"]} if run_index == repeats else {}
                started = time.perf_counter()
                arn = client.create_batch_inference_job(
                    jobName=f"bench-{run_index}", solutionVersionArn=version, roleArn=ROLE, numResults=25,
                    jobInput={"s3DataSource": {"path": (folder / "in").as_uri() + "/"}},
                    jobOutput={"s3DataDestination": {"path": out.as_uri() + "/"}}, **extra)["batchInferenceJobArn"]
                body = _wait(client.describe_batch_inference_job, "batchInferenceJob", batchInferenceJobArn=arn)
                times.append(time.perf_counter() - started)
                assert body["status"] == "ACTIVE", body
                lines = (out / "users.json.out").read_text().splitlines()
                assert len(lines) == len(users) and all(json.loads(line).get("error") is None for line in lines)
    filtered = times.pop()
    return {"recipe": recipe, "users": len(users), "interactions": len(raw), "first_job_s": times[0],
            "cached_job_s": min(times[1:]) if len(times) > 1 else None, "filtered_job_s": filtered,
            "target_s": TARGET_S, "met": max(*times, filtered) <= TARGET_S}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", default="aws-user-personalization")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    result = run(args.recipe, max(1, args.repeats))
    if result is None:
        return
    print(json.dumps(result, indent=2))
    cached = result["cached_job_s"]
    print(f"batch inference over {result['users']} users ({result['recipe']}): first job "
          f"{result['first_job_s']:.2f} s (model loaded from disk), then "
          f"{'n/a' if cached is None else f'{cached:.2f} s'}, with a filter {result['filtered_job_s']:.2f} s; "
          f"target <= {TARGET_S:.0f} s: "
          f"{'met' if result['met'] else 'MISSED'}")


if __name__ == "__main__":
    main()
