"""Batch inference jobs over time: statuses, the quota, restarts, file:// confinement, the paced lifecycle."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator import mock_personalize
from personalize_emulator.settings import Quotas, Settings

USERS = '{"userId": "u1"}\n{"userId": "u2"}\n{"userId": "someone-new"}\n'


def _error(exc: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = exc.value.response["Error"]
    return error["Code"], error["Message"]


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_lifecycle_and_quota(attached: Callable[..., Any], data_csv: Path, files: SimpleNamespace,
                             kit: SimpleNamespace) -> None:
    emu = attached(lifecycle="manual", settings=Settings(quotas=Quotas(batch_inference_jobs_in_progress=1)))
    pipeline = kit.Pipeline(emu.aws)
    version = _manual_version(emu, pipeline, data_csv, kit)
    (files.folder / "u.json").write_text(USERS)
    p = emu.aws.personalize
    arn = _create(p, version, files, kit, "first")
    assert emu.aws.describe("batch_job", arn)["status"] == "PENDING"
    with pytest.raises(p.exceptions.LimitExceededException) as exc:
        _create(p, version, files, kit, "second")
    assert _error(exc)[1] == ("You have reached the quota of 1 pending or in-progress batch inference jobs. Delete "
                              "one, or raise the emulator's quota.")
    output = files.out_dir / "first" / "u.json.out"
    assert emu.step()
    assert emu.aws.describe("batch_job", arn)["status"] == "IN PROGRESS" and not output.exists()
    while emu.step():
        pass
    assert emu.aws.describe("batch_job", arn)["status"] == "ACTIVE" and len(_lines(output)) == 3
    _create(p, version, files, kit, "second")  # the quota counts only pending and in-progress jobs


def _manual_version(emu: Any, pipeline: Any, data_csv: Path, kit: SimpleNamespace) -> str:
    """A popularity-count version trained on a manual-lifecycle emulator."""
    p = emu.aws.personalize
    group = p.create_dataset_group(name="g")["datasetGroupArn"]
    emu.emulator.run_pending()
    schema = p.create_schema(name="s", schema=kit.INTERACTIONS_SCHEMA)["schemaArn"]
    dataset = p.create_dataset(name="d", datasetGroupArn=group, schemaArn=schema, datasetType="Interactions")
    emu.emulator.run_pending()
    p.create_dataset_import_job(jobName="j", datasetArn=dataset["datasetArn"],
                                dataSource={"dataLocation": data_csv.as_uri()})
    solution = p.create_solution(name="s", datasetGroupArn=group, recipeArn=kit.POPULARITY)["solutionArn"]
    emu.emulator.run_pending()
    version: str = p.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    emu.emulator.run_pending()
    assert emu.aws.describe("version", version)["status"] == "ACTIVE"
    return version


def _create(p: Any, version: str, files: SimpleNamespace, kit: SimpleNamespace, name: str) -> str:
    arn: str = p.create_batch_inference_job(
        jobName=name, solutionVersionArn=version, roleArn=kit.ROLE, jobInput={"s3DataSource": {"path": files.input}},
        jobOutput={"s3DataDestination": {"path": files.output + name + "/"}})["batchInferenceJobArn"]
    return arn


def test_a_restart_never_runs_a_job_twice(attached: Callable[..., Any], tmp_path: Path, data_csv: Path,
                                          files: SimpleNamespace, kit: SimpleNamespace) -> None:
    state = tmp_path / "restart-state"
    crashed = attached(lifecycle="manual", data_dir=state)
    version = _manual_version(crashed, kit.Pipeline(crashed.aws), data_csv, kit)
    (files.folder / "u.json").write_text(USERS)
    p = crashed.aws.personalize
    running = _create(p, version, files, kit, "running")
    crashed.step()
    assert crashed.aws.describe("batch_job", running)["status"] == "IN PROGRESS"
    queued = _create(p, version, files, kit, "queued")
    crashed.emulator.close()

    restarted = attached(lifecycle="instant", data_dir=state)
    failed = restarted.aws.describe("batch_job", running)
    assert (failed["status"], failed["failureReason"]) == (
        "CREATE FAILED", "The emulator stopped while this job was in progress (crash or restart); create it again.")
    assert not (files.out_dir / "running").exists()
    assert restarted.aws.wait("batch_job", queued)["status"] == "ACTIVE"
    assert len(_lines(files.out_dir / "queued" / "u.json.out")) == 3


def test_file_urls_are_confined_like_imports(attached: Callable[..., Any], tmp_path: Path, data_csv: Path,
                                             files: SimpleNamespace, kit: SimpleNamespace) -> None:
    """A server reads and writes only under --allow-file-root: input and output are both checked."""
    emu = attached(lifecycle="manual", settings=Settings(allow_file_roots=(data_csv.parent, files.folder)))
    version = _manual_version(emu, kit.Pipeline(emu.aws), data_csv, kit)
    (files.folder / "u.json").write_text(USERS)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "u.json").write_text(USERS)
    p = emu.aws.personalize
    reading = p.create_batch_inference_job(
        jobName="reads-outside", solutionVersionArn=version, roleArn=kit.ROLE,
        jobInput={"s3DataSource": {"path": outside.as_uri() + "/"}},
        jobOutput={"s3DataDestination": {"path": (files.folder / "out").as_uri() + "/"}})["batchInferenceJobArn"]
    writing = _create(p, version, files, kit, "writes-outside")  # files.output is outside the roots
    emu.emulator.run_pending()
    for arn, location in ((reading, outside.as_uri() + "/"), (writing, files.output + "writes-outside/")):
        job = emu.aws.describe("batch_job", arn)
        assert (job["status"], job["failureReason"]) == ("CREATE FAILED", (
            f"{location} is outside the directories this emulator may read (--allow-file-root); symbolic links "
            "and '..' are resolved before the check."))
    assert not files.out_dir.exists() and not (files.folder / "out").exists()


def test_paced_like_aws_a_new_job_is_pending_first(data_csv: Path, files: SimpleNamespace,
                                                   kit: SimpleNamespace) -> None:
    """The background lifecycle (``mock_personalize()``): PENDING, then IN PROGRESS, then ACTIVE."""
    with mock_personalize():
        pipeline = kit.Pipeline(kit.clients_for())
        pipeline.dataset_group()
        pipeline.dataset()
        assert pipeline.import_data(data_csv.as_uri())["status"] == "ACTIVE"
        pipeline.solution()
        version = pipeline.version()["solutionVersionArn"]
        (files.folder / "u.json").write_text(USERS)
        p = pipeline.aws.personalize
        arn = _create(p, version, files, kit, "paced")
        seen = [pipeline.aws.describe("batch_job", arn)["status"]]
        deadline = time.monotonic() + 30
        while seen[-1] != "ACTIVE" and time.monotonic() < deadline:
            status = pipeline.aws.describe("batch_job", arn)["status"]
            if status != seen[-1]:
                seen.append(status)
            time.sleep(0.02)
        assert seen == ["PENDING", "IN PROGRESS", "ACTIVE"]
        assert len(_lines(files.out_dir / "paced" / "u.json.out")) == 3
