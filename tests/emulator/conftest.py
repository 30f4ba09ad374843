"""Fixtures for the emulator's tests: synthetic data, in-process emulators and a real server process.

Every boto3 client these fixtures make checks each answer against the operation's shapes in
botocore's model: a success must fit the output shape (types, required and unknown members), an
error must be ``{"__type", "message"}`` with HTTP 400, one of the operation's modelled errors, and
the code botocore parsed.  So any shape
mistake fails the test that provoked it, whatever that test asserts.

Tests never read ``../shared/data``: :class:`CsvMaker` writes small interaction logs instead.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.config
import pytest

from personalize_api import validate_output
from personalize_emulator import Emulator, mock_personalize
from personalize_emulator.settings import Settings

REGION = "us-east-1"
ACCOUNT = "123456789012"
RECIPE = "arn:aws:personalize:::recipe/"
POPULARITY = RECIPE + "aws-popularity-count"
#: A recipe the emulator does not train (and the training core has no plan to soon).
UNTRAINABLE = RECIPE + "aws-item-affinity"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/personalize"
FIELDS = [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
          {"name": "TIMESTAMP", "type": "long"}]
INTERACTIONS_SCHEMA = json.dumps({"type": "record", "name": "Interactions",
                                  "namespace": "com.amazonaws.personalize.schema", "fields": FIELDS,
                                  "version": "1.0"})
START = 1_600_000_000
#: Statuses of work still going on.
IN_FLIGHT = ("CREATE PENDING", "CREATE IN_PROGRESS", "CREATE STOPPING", "DELETE PENDING", "DELETE IN_PROGRESS",
             "PENDING", "IN PROGRESS")
#: kind -> (Describe* method, ARN parameter, response member)
DESCRIBE = {
    "dataset_group": ("describe_dataset_group", "datasetGroupArn", "datasetGroup"),
    "dataset": ("describe_dataset", "datasetArn", "dataset"),
    "import_job": ("describe_dataset_import_job", "datasetImportJobArn", "datasetImportJob"),
    "solution": ("describe_solution", "solutionArn", "solution"),
    "version": ("describe_solution_version", "solutionVersionArn", "solutionVersion"),
    "campaign": ("describe_campaign", "campaignArn", "campaign"),
    "event_tracker": ("describe_event_tracker", "eventTrackerArn", "eventTracker"),
    "filter": ("describe_filter", "filterArn", "filter"),
    "batch_job": ("describe_batch_inference_job", "batchInferenceJobArn", "batchInferenceJob"),
}
_SERVICES = {"personalize": "personalize", "runtime": "personalize-runtime", "events": "personalize-events"}


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """Constants and helper classes for the tests (conftest modules are not importable under importlib)."""
    return SimpleNamespace(
        REGION=REGION, ACCOUNT=ACCOUNT, RECIPE=RECIPE, POPULARITY=POPULARITY, UNTRAINABLE=UNTRAINABLE,
        ROLE=ROLE, FIELDS=FIELDS, INTERACTIONS_SCHEMA=INTERACTIONS_SCHEMA, Pipeline=Pipeline, Clients=Clients,
        CsvMaker=CsvMaker,
        clients_for=clients_for, make_client=make_client, start_server=start_server,
    )


# -- synthetic data ---------------------------------------------------------------------------------
class CsvMaker:
    """Writes synthetic interaction CSVs (USER_ID, ITEM_ID, TIMESTAMP) into one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    def __call__(
        self,
        name: str = "interactions.csv",
        *,
        users: int = 60,
        items: int = 40,
        per_user: int = 25,
        seed: int = 0,
        spread: bool = False,
        header: Sequence[str] = ("USER_ID", "ITEM_ID", "TIMESTAMP"),
        extra: str = "",
    ) -> Path:
        """``users`` x ``per_user`` rows; items Zipf-like (or round-robin over all items with ``spread``).

        ``extra`` is appended verbatim (to plant a bad line); the header can be replaced.
        """
        rng = random.Random(seed)
        weights = [1.0 / (i + 1) for i in range(items)]
        lines = [",".join(header)]
        stamp = START
        for user in range(users):
            for k in range(per_user):
                stamp += rng.randint(1, 600)
                item = (user * per_user + k) % items if spread else rng.choices(range(items), weights)[0]
                lines.append(f"u{user},i{item},{stamp}")
        path = self.directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        return path


@pytest.fixture
def make_csv(tmp_path: Path) -> CsvMaker:
    return CsvMaker(tmp_path / "data")


@pytest.fixture
def files(tmp_path: Path) -> SimpleNamespace:
    """A batch job's input folder (created) and output folder (not yet), also as file:// locations."""
    folder = tmp_path / "batch-in"
    folder.mkdir()
    return SimpleNamespace(folder=folder, input=folder.as_uri() + "/", out_dir=tmp_path / "batch-out",
                           output=(tmp_path / "batch-out").as_uri() + "/")


@pytest.fixture
def data_csv(make_csv: CsvMaker) -> Path:
    """1,500 interactions of 60 users over 40 items: enough to train."""
    return make_csv()


# -- clients ----------------------------------------------------------------------------------------
def _check_answer(http_response: Any, parsed: Any, model: Any, **_kwargs: Any) -> None:
    """botocore ``after-call`` hook: the raw answer fits the model (see the module docstring)."""
    body = json.loads(http_response.content or b"{}")
    if http_response.status_code >= 300:
        assert http_response.status_code in (400, 413), (model.name, http_response.status_code, body)
        assert set(body) == {"__type", "message"}, body
        assert parsed["Error"]["Code"] == body["__type"], (parsed, body)
        # Request validation answers InvalidInputException for any operation, as the service does.
        modelled = {shape.name for shape in model.error_shapes} | {"InvalidInputException", "NotSupportedException"}
        assert body["__type"] in modelled, f"{model.name} does not model {body['__type']}: {body['message']}"
        return
    problems = validate_output(model.service_model.service_name, model.name, body)
    assert not problems, f"{model.name} answered outside its output shape: {[p.reason for p in problems]}"


def make_client(service: str, **kwargs: Any) -> Any:
    """A plain boto3 client whose answers are checked against the model."""
    client = boto3.client(service, region_name=kwargs.pop("region_name", REGION),
                          config=botocore.config.Config(retries={"total_max_attempts": 1}), **kwargs)
    client.meta.events.register("after-call", _check_answer)
    return client


@dataclass
class Clients:
    """The three Personalize clients of one test, and waiting the way a user's code waits."""

    personalize: Any
    runtime: Any
    events: Any
    timeout: float = 30.0

    def describe(self, kind: str, arn: str) -> dict[str, Any]:
        method, param, member = DESCRIBE[kind]
        result: dict[str, Any] = getattr(self.personalize, method)(**{param: arn})[member]
        return result

    def wait(self, kind: str, arn: str) -> dict[str, Any]:
        """The resource once it is no longer in flight (ACTIVE, CREATE FAILED, CREATE STOPPED...)."""
        deadline = time.monotonic() + self.timeout
        while True:
            body = self.describe(kind, arn)
            if body["status"] not in IN_FLIGHT:
                return body
            assert time.monotonic() < deadline, f"{arn} still {body['status']} after {self.timeout}s"
            time.sleep(0.02)

    def wait_gone(self, kind: str, arn: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                self.describe(kind, arn)
            except self.personalize.exceptions.ResourceNotFoundException:
                return
            assert time.monotonic() < deadline, f"{arn} not deleted after {self.timeout}s"
            time.sleep(0.02)


def clients_for(**kwargs: Any) -> Clients:
    return Clients(*(make_client(service, **kwargs) for service in _SERVICES.values()))


@dataclass
class Pipeline:
    """Dataset group to campaign with plain boto3 calls, waiting for each step as a user would."""

    aws: Clients
    name: str = "demo"
    arns: dict[str, str] = field(default_factory=dict)
    imports: int = 0

    def dataset_group(self, **kwargs: Any) -> str:
        arn: str = self.aws.personalize.create_dataset_group(name=self.name, **kwargs)["datasetGroupArn"]
        assert self.aws.wait("dataset_group", arn)["status"] == "ACTIVE"
        self.arns["dataset_group"] = arn
        return arn

    def dataset(self, schema: str = INTERACTIONS_SCHEMA) -> str:
        schema_arn = self.aws.personalize.create_schema(name=f"{self.name}-schema", schema=schema)["schemaArn"]
        arn: str = self.aws.personalize.create_dataset(
            name=f"{self.name}-interactions", datasetGroupArn=self.arns["dataset_group"], schemaArn=schema_arn,
            datasetType="Interactions",
        )["datasetArn"]
        assert self.aws.wait("dataset", arn)["status"] == "ACTIVE"
        self.arns.update(schema=schema_arn, dataset=arn)
        return arn

    def import_data(self, location: str, job: str = "", **kwargs: Any) -> dict[str, Any]:
        """The import job's description once it finished (ACTIVE or CREATE FAILED)."""
        self.imports += 1
        arn = self.aws.personalize.create_dataset_import_job(
            jobName=job or f"{self.name}-import-{self.imports}", datasetArn=self.arns["dataset"],
            dataSource={"dataLocation": location}, roleArn=ROLE, **kwargs,
        )["datasetImportJobArn"]
        self.arns["import_job"] = arn
        return self.aws.wait("import_job", arn)

    def solution(self, recipe: str = POPULARITY, **kwargs: Any) -> str:
        arn: str = self.aws.personalize.create_solution(
            name=f"{self.name}-solution", datasetGroupArn=self.arns["dataset_group"], recipeArn=recipe, **kwargs,
        )["solutionArn"]
        assert self.aws.wait("solution", arn)["status"] == "ACTIVE"
        self.arns["solution"] = arn
        return arn

    def version(self, **kwargs: Any) -> dict[str, Any]:
        """The solution version's description once training finished (ACTIVE or CREATE FAILED)."""
        arn = self.aws.personalize.create_solution_version(solutionArn=self.arns["solution"],
                                                           **kwargs)["solutionVersionArn"]
        self.arns["version"] = arn
        return self.aws.wait("version", arn)

    def campaign(self, **kwargs: Any) -> str:
        arn: str = self.aws.personalize.create_campaign(
            name=f"{self.name}-campaign", solutionVersionArn=self.arns["version"], **kwargs,
        )["campaignArn"]
        assert self.aws.wait("campaign", arn)["status"] == "ACTIVE"
        self.arns["campaign"] = arn
        return arn

    def through_campaign(self, location: str) -> dict[str, str]:
        """Every step up to an ACTIVE campaign serving a popularity-count version."""
        self.dataset_group()
        self.dataset()
        job = self.import_data(location)
        assert job["status"] == "ACTIVE", job
        self.solution()
        version = self.version()
        assert version["status"] == "ACTIVE", version
        self.campaign()
        return self.arns


# -- in-process emulators ---------------------------------------------------------------------------
@pytest.fixture
def mocked() -> Iterator[Emulator]:
    """``mock_personalize(instant=True)``: every lifecycle completes inside its request."""
    with mock_personalize(instant=True) as emulator:
        yield emulator


@pytest.fixture
def aws(mocked: Emulator) -> Clients:
    """Plain boto3 clients, created inside the mock (as moto asks of its users)."""
    return clients_for()


@pytest.fixture
def pipeline(aws: Clients) -> Pipeline:
    return Pipeline(aws)


@dataclass
class Attached:
    """An emulator built by a test, with boto3 clients attached to it in-process."""

    emulator: Emulator
    aws: Clients

    def step(self) -> bool:
        return self.emulator.step()


@pytest.fixture
def attached(tmp_path: Path) -> Iterator[Callable[..., Attached]]:
    """Factory: ``attached(lifecycle="manual", settings=Settings(...), data_dir=...)``."""
    made: list[Emulator] = []

    def make(*, lifecycle: Any = "instant", settings: Settings | None = None,
             data_dir: Path | None = None) -> Attached:
        emulator = Emulator(data_dir or tmp_path / f"state-{len(made)}", lifecycle=lifecycle, settings=settings)
        made.append(emulator)
        aws = clients_for(aws_access_key_id="testing", aws_secret_access_key="testing")
        for client in (aws.personalize, aws.runtime, aws.events):
            emulator.attach(client)
        return Attached(emulator, aws)

    yield make
    for emulator in made:
        emulator.close()


@pytest.fixture
def manual(attached: Callable[..., Attached]) -> Attached:
    """An emulator whose lifecycle moves only when the test calls ``step()``."""
    return attached(lifecycle="manual")


# -- a real server process --------------------------------------------------------------------------
def _command() -> list[str]:
    script = Path(sys.executable).with_name("personalize-emulator")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "personalize_emulator.cli"]


@dataclass
class Server:
    """One ``personalize-emulator serve`` process on a free port."""

    process: subprocess.Popen[str]
    url: str
    log: Path

    def clients(self, **kwargs: Any) -> Clients:
        return clients_for(endpoint_url=self.url, aws_access_key_id="any", aws_secret_access_key="thing", **kwargs)

    def stop(self) -> None:
        """SIGTERM, then the process must drain and exit 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the server ignored SIGTERM; log:\n{self.log.read_text()}")
        assert code == 0, f"the server exited {code}; log:\n{self.log.read_text()}"


def start_server(data_dir: Path, *roots: Path, log: Path, extra: Sequence[str] = ()) -> Server:
    """Start ``serve --port 0`` and read its URL from the first stdout line."""
    command = [*_command(), "serve", "--port", "0", "--data-dir", str(data_dir), *extra]
    for root in roots:
        command += ["--allow-file-root", str(root)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    with log.open("w") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    line = process.stdout.readline().strip() if ready else ""
    if not line.startswith("http://"):
        process.kill()
        process.wait()
        pytest.fail(f"serve printed {line!r} instead of its URL; log:\n{log.read_text()}")
    return Server(process, line, log)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Factory: ``serve(data_dir, *allowed_roots)``; every server still running is stopped and checked."""
    started: list[Server] = []

    def start(data_dir: Path | None = None, *roots: Path, extra: Sequence[str] = ()) -> Server:
        server = start_server(data_dir or tmp_path / "state", *roots, log=tmp_path / f"serve-{len(started)}.log",
                              extra=extra)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.returncode is None:
            server.stop()
