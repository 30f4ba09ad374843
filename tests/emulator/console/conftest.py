"""A trained pipeline for the console's tests, and a way to GET its pages without a socket.

The pipeline is the smallest that shows every part of the console: a dataset with 1,500 rows, a
successful and a failed import job, an HPO solution (aws-sims, 5 trials: fast), an AutoML solution
(two user-personalization recipes), a version that fails training, a campaign and an event tracker.
It is trained once per module on the instant lifecycle, then served either in-process
(:class:`Pages`, through the same router the server uses) or by a real ``serve`` process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from personalize_emulator import Emulator
from personalize_emulator.console import route

SIMS_HPO = {
    "performHPO": True,
    "solutionConfig": {"hpoConfig": {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "5", "maxParallelTrainingJobs": "2"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "min_cointeraction_count", "minValue": 1, "maxValue": 6}],
            "continuousHyperParameterRanges": [{"name": "popularity_discount_factor", "minValue": 0.1,
                                                "maxValue": 0.9}],
        },
    }},
}
AUTOML = {
    "performAutoML": True,
    "solutionConfig": {"autoMLConfig": {"recipeList": ["arn:aws:personalize:::recipe/aws-user-personalization-v2",
                                                       "arn:aws:personalize:::recipe/aws-user-personalization"]}},
}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Pages:
    """The console of one emulator, fetched through :func:`personalize_emulator.console.route`."""

    emulator: Emulator
    arns: dict[str, str]

    def get(self, page: str, arn: str = "", method: str = "GET", **query: str) -> Response:
        path = f"/_console/{page}" + (f"?arn={quote(arn, safe='')}" if arn else "")
        path += "".join(f"&{k}={quote(v, safe='')}" for k, v in query.items())
        answer = route(self.emulator, method, path, {}, b"")
        return Response(answer.status, answer.headers, answer.body.decode("utf-8"))


def build_pipeline(data_dir: Path, csv_dir: Path, kit: SimpleNamespace) -> tuple[Emulator, dict[str, str]]:
    """Train the module's pipeline into ``data_dir``; the emulator is left open for the caller."""
    emulator = Emulator(data_dir, lifecycle="instant")
    aws = kit.clients_for(aws_access_key_id="testing", aws_secret_access_key="testing")
    for client in (aws.personalize, aws.runtime, aws.events):
        emulator.attach(client)
    pipeline = kit.Pipeline(aws, name="shop")
    pipeline.dataset_group()
    pipeline.dataset()
    assert pipeline.import_data(f"file://{kit.CsvMaker(csv_dir)()}")["status"] == "ACTIVE"
    failed = pipeline.import_data(f"file://{csv_dir}/missing.csv", job="shop-missing")
    assert failed["status"] == "CREATE FAILED"
    arns = dict(pipeline.arns, failed_import=failed["datasetImportJobArn"])
    pipeline.solution(recipe=kit.RECIPE + "aws-sims", **SIMS_HPO)
    assert pipeline.version()["status"] == "ACTIVE"
    arns.update(hpo_solution=pipeline.arns["solution"], hpo_version=pipeline.arns["version"])
    arns["automl_solution"] = aws.personalize.create_solution(
        name="shop-auto", datasetGroupArn=arns["dataset_group"], **AUTOML)["solutionArn"]
    pipeline.arns["solution"] = arns["automl_solution"]
    assert pipeline.version()["status"] == "ACTIVE"
    arns["automl_version"] = pipeline.arns["version"]
    arns["campaign"] = pipeline.campaign()
    arns["failing_solution"] = aws.personalize.create_solution(
        name="shop-clicks", datasetGroupArn=arns["dataset_group"], recipeArn=kit.POPULARITY,
        eventType="click")["solutionArn"]
    pipeline.arns["solution"] = arns["failing_solution"]
    assert pipeline.version()["status"] == "CREATE FAILED"
    arns["failed_version"] = pipeline.arns["version"]
    arns["tracker"] = aws.personalize.create_event_tracker(
        name="shop-tracker", datasetGroupArn=arns["dataset_group"])["eventTrackerArn"]
    return emulator, arns


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, kit: SimpleNamespace) -> Iterator[Pages]:
    """The trained pipeline's console, in-process."""
    root = tmp_path_factory.mktemp("console")
    emulator, arns = build_pipeline(root / "state", root / "data", kit)
    yield Pages(emulator, arns)
    emulator.close()
