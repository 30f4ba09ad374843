"""The real AWS CLI (the ``awscli`` package) as a client of ``personalize-emulator serve``.

Nobody here wrote the CLI: its argument parsing (``--perform-hpo/--no-perform-hpo``, shorthand
``--tags``, ``--cli-input-json``, ``file://`` parameters) and its own botocore build are what a user
brings.  The CLI pins its own botocore, so it lives in a virtualenv of its own; the test finds it
through ``PERSONALIZE_AWS_CLI`` (``.ci/run`` installs it and exports the variable) and is skipped,
saying so, without it.  Every command's exit code and, on failure, its message are recorded and
written to ``aws-cli-record.json`` in the test's directory.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.slow

UP = "arn:aws:personalize:::recipe/aws-user-personalization"
UP2 = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
#: The Developer Guide's HPO example ("Hyperparameters and HPO"), as a --solution-config document.
HPO_CONFIG = {
    "algorithmHyperParameters": {"hidden_dimension": "55"},
    "hpoConfig": {
        "algorithmHyperParameterRanges": {
            "categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["true", "false"]}],
            "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2, "maxValue": 22}],
            "continuousHyperParameterRanges": [],
        },
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "4", "maxParallelTrainingJobs": "2"},
    },
}


@dataclass
class Record:
    command: str
    exit: int
    message: str = ""


@dataclass
class Cli:
    """Runs ``aws`` against one server, recording each command."""

    executable: str
    url: str
    home: Path
    records: list[Record]

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=str(self.home), AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE=str(self.home / "none"),
                   AWS_SHARED_CREDENTIALS_FILE=str(self.home / "none"))
        done = subprocess.run([self.executable, "--endpoint-url", self.url, *args], check=False, capture_output=True,
                              text=True, env=env, cwd=self.home, timeout=120)
        shown = re.sub(r"arn:aws:personalize:[^ ]*:(\w[\w-]*/)", r"<\1", " ".join(args))
        self.records.append(Record(shown, done.returncode, "" if done.returncode == 0 else done.stderr.strip()))
        return done

    def json(self, *args: str) -> Any:
        done = self(*args)
        assert done.returncode == 0, f"aws {' '.join(args)} exited {done.returncode}: {done.stderr}"
        return json.loads(done.stdout) if done.stdout.strip() else {}

    def wait(self, command: str, arn_option: str, arn: str, member: str) -> str:
        """Poll ``describe-*`` through the CLI until the status leaves flight."""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            status = str(self.json("personalize", command, arn_option, arn)[member]["status"])
            if status in ("ACTIVE", "CREATE FAILED"):
                return status
        raise AssertionError(f"{arn} still in flight")


@pytest.fixture
def cli(serve: Callable[..., Any], tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    executable = os.environ.get("PERSONALIZE_AWS_CLI", "")
    if not executable or not Path(executable).exists():
        pytest.skip("set PERSONALIZE_AWS_CLI to an `aws` executable (pip install awscli in its own virtualenv; "
                    ".ci/run does)")
    data = tmp_path / "data"
    data.mkdir()
    server = serve(None, data)
    records: list[Record] = []
    home = tmp_path / "home"
    home.mkdir()
    yield SimpleNamespace(run=Cli(executable, server.url, home, records), server=server, data=data, home=home)
    (tmp_path / "aws-cli-record.json").write_text(json.dumps([asdict(r) for r in records], indent=2))
    print(f"\n{request.node.name}: {len(records)} aws commands")
    for record in records:
        print(f"  exit {record.exit}: aws {record.command[:110]}")
        if record.message:
            print(f"    {record.message}")


def _group(cli: Any, name: str) -> str:
    clients = cli.server.clients()
    arn: str = clients.personalize.create_dataset_group(name=name)["datasetGroupArn"]
    assert clients.wait("dataset_group", arn)["status"] == "ACTIVE"
    return arn


def test_every_create_solution_form(cli: Any) -> None:
    group = _group(cli, "cli-forms")
    aws = cli.run
    (cli.home / "hpo.json").write_text(json.dumps(HPO_CONFIG))
    (cli.home / "solution.json").write_text(json.dumps({
        "name": "cli-input-json", "datasetGroupArn": group, "recipeArn": UP,
        "solutionConfig": {"algorithmHyperParameters": {"recency_mask": "false"}}}))
    base = ("personalize", "create-solution", "--dataset-group-arn", group)
    forms: dict[str, Sequence[str]] = {
        "cli-plain": ("--recipe-arn", UP),
        "cli-hpo": ("--recipe-arn", UP, "--perform-hpo", "--solution-config", "file://hpo.json"),
        "cli-no-hpo": ("--recipe-arn", UP, "--no-perform-hpo"),
        "cli-automl": ("--perform-auto-ml", "--solution-config",
                       json.dumps({"autoMLConfig": {"metricName": "precision_at_25", "recipeList": [UP, UP2]}})),
        "cli-event-type": ("--recipe-arn", UP, "--event-type", "click"),
        "cli-config": ("--recipe-arn", UP2, "--solution-config", json.dumps(
            {"eventValueThreshold": "0.5", "autoTrainingConfig": {"schedulingExpression": "rate(7 days)"}})),
        "cli-tags": ("--recipe-arn", UP, "--tags", "tagKey=team,tagValue=recs", "tagKey=env,tagValue=dev"),
        "cli-no-auto-training": ("--recipe-arn", UP, "--no-perform-auto-training"),
        "cli-auto-training": ("--recipe-arn", UP, "--perform-auto-training", "--solution-config",
                              json.dumps({"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}})),
    }
    arns = {name: aws.json(*base, "--name", name, *args)["solutionArn"] for name, args in forms.items()}
    arns["cli-input-json"] = aws.json("personalize", "create-solution", "--cli-input-json",
                                      "file://solution.json")["solutionArn"]
    refused = aws(*base, "--name", "cli-both", "--perform-auto-ml", "--recipe-arn", UP)
    assert all(r.exit == 0 for r in aws.records[:-1]), aws.records

    assert refused.returncode != 0
    assert "An error occurred (InvalidInputException) when calling the CreateSolution operation" in refused.stderr
    assert "recipeArn: must be omitted when performAutoML is true" in refused.stderr

    described = {name: aws.json("personalize", "describe-solution", "--solution-arn", arn)["solution"]
                 for name, arn in arns.items()}
    assert described["cli-plain"]["recipeArn"] == UP
    assert described["cli-hpo"]["performHPO"] is True
    assert described["cli-hpo"]["solutionConfig"]["hpoConfig"] == HPO_CONFIG["hpoConfig"]
    assert described["cli-no-hpo"]["performHPO"] is False
    assert described["cli-automl"]["performAutoML"] is True and "recipeArn" not in described["cli-automl"]
    assert described["cli-event-type"]["eventType"] == "click"
    assert described["cli-config"]["solutionConfig"]["eventValueThreshold"] == "0.5"
    assert described["cli-no-auto-training"]["performAutoTraining"] is False
    assert described["cli-auto-training"]["solutionConfig"]["autoTrainingConfig"] == {
        "schedulingExpression": "rate(3 days)"}
    assert described["cli-input-json"]["solutionConfig"]["algorithmHyperParameters"] == {"recency_mask": "false"}
    tags = aws.json("personalize", "list-tags-for-resource", "--resource-arn", arns["cli-tags"])["tags"]
    assert sorted((t["tagKey"], t["tagValue"]) for t in tags) == [("env", "dev"), ("team", "recs")]


def test_the_pipeline_from_the_cli(cli: Any, kit: SimpleNamespace) -> None:
    aws = cli.run
    csv = kit.CsvMaker(cli.data)()
    (cli.home / "schema.json").write_text(kit.INTERACTIONS_SCHEMA)
    group = aws.json("personalize", "create-dataset-group", "--name", "cli-pipeline")["datasetGroupArn"]
    assert aws.wait("describe-dataset-group", "--dataset-group-arn", group, "datasetGroup") == "ACTIVE"
    schema = aws.json("personalize", "create-schema", "--name", "cli-schema", "--schema",
                      "file://schema.json")["schemaArn"]
    dataset = aws.json("personalize", "create-dataset", "--name", "cli-interactions", "--dataset-group-arn", group,
                       "--dataset-type", "Interactions", "--schema-arn", schema)["datasetArn"]
    assert aws.wait("describe-dataset", "--dataset-arn", dataset, "dataset") == "ACTIVE"
    job = aws.json("personalize", "create-dataset-import-job", "--job-name", "cli-import", "--dataset-arn", dataset,
                   "--data-source", f"dataLocation={csv.as_uri()}", "--role-arn",
                   "arn:aws:iam::123456789012:role/personalize")["datasetImportJobArn"]
    assert aws.wait("describe-dataset-import-job", "--dataset-import-job-arn", job, "datasetImportJob") == "ACTIVE"
    solution = aws.json("personalize", "create-solution", "--name", "cli-solution", "--dataset-group-arn", group,
                        "--recipe-arn", kit.POPULARITY)["solutionArn"]
    assert aws.wait("describe-solution", "--solution-arn", solution, "solution") == "ACTIVE"
    version = aws.json("personalize", "create-solution-version", "--solution-arn", solution)["solutionVersionArn"]
    assert aws.wait("describe-solution-version", "--solution-version-arn", version, "solutionVersion") == "ACTIVE"
    metrics = aws.json("personalize", "get-solution-metrics", "--solution-version-arn", version)["metrics"]
    assert "normalized_discounted_cumulative_gain_at_10" in metrics
    campaign = aws.json("personalize", "create-campaign", "--name", "cli-campaign", "--solution-version-arn", version,
                        "--min-provisioned-tps", "1")["campaignArn"]
    assert aws.wait("describe-campaign", "--campaign-arn", campaign, "campaign") == "ACTIVE"
    items = aws.json("personalize-runtime", "get-recommendations", "--campaign-arn", campaign, "--user-id", "u1",
                     "--num-results", "5")["itemList"]
    assert len(items) == 5 and items[0]["itemId"] == "i0"
    # A filter (the Developer Guide's "exclude what the user interacted with") and a batch job, as the
    # CLI's own shorthand writes them.
    expression = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
    flt = aws.json("personalize", "create-filter", "--name", "cli-filter", "--dataset-group-arn", group,
                   "--filter-expression", expression)["filterArn"]
    assert aws.wait("describe-filter", "--filter-arn", flt, "filter") == "ACTIVE"
    seen = {row.split(",")[1] for row in csv.read_text().splitlines()[1:] if row.split(",")[0] == "u1"}
    filtered = aws.json("personalize-runtime", "get-recommendations", "--campaign-arn", campaign, "--user-id", "u1",
                        "--num-results", "5", "--filter-arn", flt)["itemList"]
    assert seen and filtered and not seen & {item["itemId"] for item in filtered}
    (cli.data / "batch").mkdir()
    (cli.data / "batch" / "users.json").write_text('{"userId": "u1"}\n{"userId": "u2"}\n')
    batch = aws.json("personalize", "create-batch-inference-job", "--job-name", "cli-batch",
                     "--solution-version-arn", version, "--num-results", "3", "--role-arn",
                     "arn:aws:iam::123456789012:role/personalize",
                     "--job-input", f"s3DataSource={{path={(cli.data / 'batch').as_uri()}/}}",
                     "--job-output", f"s3DataDestination={{path={(cli.data / 'out').as_uri()}/}}",
                     )["batchInferenceJobArn"]
    assert aws.wait("describe-batch-inference-job", "--batch-inference-job-arn", batch,
                    "batchInferenceJob") == "ACTIVE"
    lines = [json.loads(line) for line in (cli.data / "out" / "users.json.out").read_text().splitlines()]
    assert [line["input"]["userId"] for line in lines] == ["u1", "u2"]
    assert all(len(line["output"]["recommendedItems"]) == 3 for line in lines)
    assert all(r.exit == 0 for r in aws.records), aws.records
