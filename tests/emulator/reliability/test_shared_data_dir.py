"""Two processes on one data dir: only the one holding the owner lock recovers unfinished jobs.

A second process (say a Pulumi program reading recommendations while the provider process trains)
must never mark the first process's running jobs as interrupted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from personalize_emulator import Emulator

pytestmark = pytest.mark.slow

SCHEMA = (
    '{"type": "record", "name": "Interactions", "fields": [{"name": "USER_ID", "type": "string"}, '
    '{"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}], "version": "1.0"}'
)


def _status_seen_by_another_process(data_dir: Path, arn: str) -> str:
    code = (
        "import sys; from personalize_emulator import Emulator\n"
        f"with Emulator({str(data_dir)!r}) as e:\n"
        f"    print(e.call('personalize', 'DescribeSolutionVersion', {{'solutionVersionArn': {arn!r}}})"
        "['solutionVersion']['status'])\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_a_second_process_leaves_running_jobs_alone(tmp_path: Path, write_interactions: Any) -> None:
    data = write_interactions(tmp_path / "data.csv")
    with Emulator(tmp_path / "state", lifecycle="manual") as emulator:
        def call(operation: str, **params: Any) -> dict[str, Any]:
            answer = emulator.call("personalize", operation, params)
            emulator.run_pending()
            return answer

        group = call("CreateDatasetGroup", name="g")["datasetGroupArn"]
        schema = call("CreateSchema", name="s", schema=SCHEMA)["schemaArn"]
        dataset = call("CreateDataset", name="d", schemaArn=schema, datasetGroupArn=group,
                       datasetType="Interactions")["datasetArn"]
        call("CreateDatasetImportJob", jobName="j", datasetArn=dataset, dataSource={"dataLocation": f"file://{data}"})
        solution = call("CreateSolution", name="sol", datasetGroupArn=group,
                        recipeArn="arn:aws:personalize:::recipe/aws-popularity-count")["solutionArn"]
        version = emulator.call("personalize", "CreateSolutionVersion", {"solutionArn": solution})["solutionVersionArn"]
        emulator.step()  # CREATE PENDING -> CREATE IN_PROGRESS, then the job pauses
        assert _status_seen_by_another_process(tmp_path / "state", version) == "CREATE IN_PROGRESS"
        emulator.run_pending()
        described = emulator.call("personalize", "DescribeSolutionVersion", {"solutionVersionArn": version})
        assert described["solutionVersion"]["status"] == "ACTIVE"
    # With the owner gone, the next process to open the directory is the owner and recovers.
    assert _status_seen_by_another_process(tmp_path / "state", version) == "ACTIVE"
