"""Fixtures for the reliability suite: real ``serve`` processes that tests may kill, and data."""

from __future__ import annotations

import csv
import itertools
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

SCHEMA = (
    '{"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", '
    '"fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, '
    '{"name": "TIMESTAMP", "type": "long"}], "version": "1.0"}'
)
POPULARITY = "arn:aws:personalize:::recipe/aws-popularity-count"


@dataclass
class Server:
    """One ``personalize-emulator serve`` process."""

    process: subprocess.Popen[str]
    url: str
    data_dir: Path
    stderr_lines: list[str] = field(default_factory=list)

    def client(self, service: str = "personalize", *, secret: str = "fake-secret", retries: int = 1) -> Any:
        return boto3.client(
            service, region_name="us-east-1", endpoint_url=self.url, aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key=secret,
            config=Config(retries={"total_max_attempts": retries, "mode": "standard"}, max_pool_connections=64),
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(30)

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)


def _drain(stream: Any, sink: list[str]) -> None:
    for line in stream:
        sink.append(line)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``serve`` processes on a data dir; every one still running is stopped at teardown."""
    started: list[Server] = []

    def start(data_dir: Path | None = None, *extra: str) -> Server:
        data_dir = data_dir or tmp_path / "state"
        command = [sys.executable, "-m", "personalize_emulator.cli", "serve", "--port", "0",
                   "--data-dir", str(data_dir), "--allow-file-root", str(tmp_path), *extra]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None and process.stderr is not None
        url = process.stdout.readline().strip()
        server = Server(process, url, data_dir)
        threading.Thread(target=_drain, args=(process.stderr, server.stderr_lines), daemon=True).start()
        threading.Thread(target=_drain, args=(process.stdout, []), daemon=True).start()
        assert url.startswith("http://"), f"serve did not announce a URL: {url!r} {server.stderr}"
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(10)


def write_interactions(path: Path, *, users: int = 60, per_user: int = 30, items: int = 80, seed: int = 0) -> Path:
    """A synthetic interaction log with a long-tail item popularity."""
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(items)))
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["USER_ID", "ITEM_ID", "TIMESTAMP"])
        for user in range(users):
            picks = rng.choices(range(items), cum_weights=cumulative, k=per_user)
            writer.writerows([f"u{user}", f"i{item}", 1_700_000_000 + user * 1_000 + step]
                             for step, item in enumerate(picks))
    return path


@pytest.fixture
def interactions_csv(tmp_path: Path) -> Path:
    return write_interactions(tmp_path / "interactions.csv")


def wait_for(describe: Callable[[], dict[str, Any]], statuses: tuple[str, ...] = ("ACTIVE", "CREATE FAILED"),
             timeout: float = 60.0) -> dict[str, Any]:
    """Poll a Describe* call until its resource reaches one of ``statuses``."""
    deadline = time.monotonic() + timeout
    while True:
        resource = describe()
        if resource.get("status") in statuses:
            return resource
        if time.monotonic() > deadline:
            raise AssertionError(f"still {resource.get('status')} after {timeout}s: {resource}")
        time.sleep(0.05)


def build_dataset(client: Any, csv_path: Path, name: str = "rel") -> dict[str, str]:
    """Dataset group, schema, interactions dataset and one finished import; their ARNs."""
    group = client.create_dataset_group(name=f"{name}-group")["datasetGroupArn"]
    wait_for(lambda: client.describe_dataset_group(datasetGroupArn=group)["datasetGroup"])
    schema = client.create_schema(name=f"{name}-schema", schema=SCHEMA)["schemaArn"]
    dataset = client.create_dataset(name=f"{name}-dataset", schemaArn=schema, datasetGroupArn=group,
                                    datasetType="Interactions")["datasetArn"]
    wait_for(lambda: client.describe_dataset(datasetArn=dataset)["dataset"])
    job = client.create_dataset_import_job(jobName=f"{name}-import", datasetArn=dataset,
                                           dataSource={"dataLocation": f"file://{csv_path}"})["datasetImportJobArn"]
    done = wait_for(lambda: client.describe_dataset_import_job(datasetImportJobArn=job)["datasetImportJob"])
    assert done["status"] == "ACTIVE", done
    return {"group": group, "schema": schema, "dataset": dataset, "job": job}


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Callable[..., dict[str, Any]]:
    return wait_for


@pytest.fixture(name="build_dataset")
def build_dataset_fixture() -> Callable[..., dict[str, str]]:
    return build_dataset


@pytest.fixture(name="write_interactions")
def write_interactions_fixture() -> Callable[..., Path]:
    return write_interactions
