"""Filter benchmark: GetRecommendations with a filter on the ml-100k campaign, and one filter's cost.

Why this exists: issue 13 asks for GetRecommendations with a filter on the 100k-interaction campaign
at p99 <= 2 ms, and for one filter's evaluation cost.  The MovieLens 100K log (with its genres as an
Items dataset) is read from ``../shared/data`` (never copied into the repository: the CSVs the
emulator imports are written to a temporary directory), trained once with the chosen recipe, then:

- GetRecommendations latency through the emulator's request handler (``Emulator.handle``: protocol
  parsing, validation, serving and JSON encoding; no socket, so the numbers are the emulator's own
  cost — ``bench_server.py`` measures the HTTP stack) without a filter (the peer in the same run),
  with an Interactions filter (``EXCLUDE`` what the user rated) and with an Items filter
  (``INCLUDE`` a genre given by ``filterValues``).  Every user is asked once (cold: the first answer
  of a user whose unseen items run past the precomputed top 100 is computed on the spot), then the
  user pool again and again (warm);
- one filter's evaluation cost: building the item mask for a user (history lookup included) and
  testing 100 candidates against it, measured directly.

    python bench/bench_filters.py [--recipe aws-user-personalization] [--requests 5000]

Skips cleanly when ml-100k is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from training_datasets import data_root, load_ml_100k

__all__ = ["main"]

GOAL_P99_MS = 2.0
SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'
GENRE = "INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)"
_SCHEMA = {"type": "record", "namespace": "com.amazonaws.personalize.schema", "version": "1.0"}


def _write(directory: Path, data: Any) -> tuple[Path, Path]:
    log, items = data.interactions, data.items
    interactions = directory / "interactions.csv"
    with interactions.open("w") as out:
        out.write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n")
        for user, item, stamp, kind, value in zip(log.user_id.tolist(), log.item_id.tolist(),
                                                  log.timestamp.tolist(), log.event_type.tolist(),
                                                  log.event_value.tolist(), strict=True):
            out.write(f"{user},{item},{stamp},{kind},{value:g}\n")
    catalogue = directory / "items.csv"
    with catalogue.open("w") as out:
        out.write("ITEM_ID,GENRES\n")
        for key, genres in zip(items.key.tolist(), items.columns["GENRES"].tolist(), strict=True):
            out.write(f"{key},{genres or 'unknown'}\n")
    return interactions, catalogue


class _Driver:
    """The emulator called the way the server calls it, JSON in and out."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator

    def control(self, operation: str, **params: Any) -> dict[str, Any]:
        headers = {"x-amz-target": f"AmazonPersonalize.{operation}", "content-type": "application/x-amz-json-1.1"}
        answer = self.emulator.handle("POST", "/", headers, json.dumps(params).encode())
        body: dict[str, Any] = json.loads(answer.body or b"{}")
        if answer.status != 200:
            raise RuntimeError(f"{operation}: {body}")
        return body

    def recommend(self, body: bytes) -> tuple[int, bytes]:
        answer = self.emulator.handle("POST", "/recommendations", {"content-type": "application/json"}, body)
        return answer.status, answer.body


def _pipeline(driver: _Driver, interactions: Path, catalogue: Path, recipe: str) -> tuple[str, str]:
    group = driver.control("CreateDatasetGroup", name="ml100k")["datasetGroupArn"]
    role = "arn:aws:iam::123456789012:role/bench"
    fields = [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
              {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
              {"name": "EVENT_VALUE", "type": "float"}]
    item_fields = [{"name": "ITEM_ID", "type": "string"},
                   {"name": "GENRES", "type": "string", "categorical": True}]
    for kind, schema_fields, path in (("Interactions", fields, interactions), ("Items", item_fields, catalogue)):
        schema = driver.control("CreateSchema", name=f"s-{kind}", schema=json.dumps(
            {**_SCHEMA, "name": kind, "fields": schema_fields}))["schemaArn"]
        dataset = driver.control("CreateDataset", name=kind, datasetGroupArn=group, schemaArn=schema,
                                 datasetType=kind)["datasetArn"]
        job = driver.control("CreateDatasetImportJob", jobName=f"import-{kind}", datasetArn=dataset, roleArn=role,
                             dataSource={"dataLocation": path.as_uri()})["datasetImportJobArn"]
        status = driver.control("DescribeDatasetImportJob", datasetImportJobArn=job)["datasetImportJob"]["status"]
        assert status == "ACTIVE", status
    solution = driver.control("CreateSolution", name="s", datasetGroupArn=group,
                              recipeArn=f"arn:aws:personalize:::recipe/{recipe}")["solutionArn"]
    started = time.perf_counter()
    version = driver.control("CreateSolutionVersion", solutionArn=solution)["solutionVersionArn"]
    described = driver.control("DescribeSolutionVersion", solutionVersionArn=version)["solutionVersion"]
    assert described["status"] == "ACTIVE", described
    print(f"trained {recipe} in {time.perf_counter() - started:.1f} s")
    campaign = driver.control("CreateCampaign", name="c", solutionVersionArn=version)["campaignArn"]
    return group, campaign


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1e3, ordered[int(0.99 * (len(ordered) - 1))] * 1e3,
            ordered[-1] * 1e3)


def _latencies(driver: _Driver, bodies: list[bytes]) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU time per request (CPU time leaves out other processes'
    preemption, which dominates wall-clock tails on a shared 2-core machine)."""
    wall: list[float] = []
    cpu: list[float] = []
    for body in bodies:
        started, started_cpu = time.perf_counter(), time.thread_time()
        status, answer = driver.recommend(body)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
        assert status == 200, answer
    return wall, cpu


def _evaluation_cost(emulator: Any, group: str, users: list[str]) -> Callable[[str], tuple[float, float]]:
    from personalize_emulator.filters import compile_expression
    from personalize_emulator.filters.data import filter_data
    from personalize_emulator.filters.evaluate import Request, item_mask
    from personalize_emulator.service.context import Context
    from personalize_emulator.service.datasets import dataset_parts

    ctx = Context(emulator, emulator.settings.account_id, emulator.settings.default_region)
    data = filter_data(dataset_parts(ctx, group))
    candidates = data.items.table.key[:100].tolist() if data.items is not None else []

    def measure(text: str) -> tuple[float, float]:
        tree = compile_expression(text)
        values = {"GENRE": ("Comedy",)}
        build, test = [], []
        for user in users:
            started = time.perf_counter()
            mask = item_mask(tree, data, Request(user, None, values))
            middle = time.perf_counter()
            for item in candidates:
                mask.keeps(item)
            build.append(middle - started)
            test.append(time.perf_counter() - middle)
        return statistics.median(build) * 1e6, statistics.median(test) * 1e6

    return measure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", default="aws-user-personalization")
    parser.add_argument("--requests", type=int, default=5000, help="warm requests per case")
    args = parser.parse_args(argv)
    data = load_ml_100k(data_root())
    if data is None:
        print(f"skipped: ml-100k not found under {data_root()}")
        return 0
    from personalize_emulator import Emulator

    with tempfile.TemporaryDirectory() as temp:
        interactions, catalogue = _write(Path(temp), data)
        emulator = Emulator(Path(temp) / "state", lifecycle="instant")
        try:
            driver = _Driver(emulator)
            group, campaign = _pipeline(driver, interactions, catalogue, args.recipe)
            seen = driver.control("CreateFilter", name="unseen", datasetGroupArn=group, filterExpression=SEEN)
            genre = driver.control("CreateFilter", name="genre", datasetGroupArn=group, filterExpression=GENRE)
            users = sorted(set(data.interactions.user_id.tolist()))
            cases: dict[str, dict[str, Any]] = {
                "no filter": {},
                "EXCLUDE rated (Interactions)": {"filterArn": seen["filterArn"]},
                "INCLUDE genre (Items, $GENRE)": {"filterArn": genre["filterArn"],
                                                  "filterValues": {"GENRE": '"Comedy"'}},
            }
            rng = np.random.default_rng(0)
            print(f"GetRecommendations (25 results) via Emulator.handle, {len(users)} users; goal p99 <= "
                  f"{GOAL_P99_MS} ms with a filter")
            print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; wall-clock (CPU) ms")
            print(f"{'case':31} {'cold p50':>15} {'cold p99':>15} {'warm p50':>15} {'warm p99':>15}")
            for name, extra in cases.items():
                cold = [json.dumps({"campaignArn": campaign, "userId": u, **extra}).encode() for u in users]
                warm = [cold[i] for i in rng.integers(0, len(cold), args.requests)]
                cells = []
                for bodies in (cold, warm):
                    wall, cpu = _latencies(driver, bodies)
                    (w50, w99, _), (c50, c99, _) = _percentiles(wall), _percentiles(cpu)
                    cells += [f"{w50:6.3f} ({c50:6.3f})", f"{w99:6.3f} ({c99:6.3f})"]
                print(f"{name:31} " + " ".join(f"{c:>15}" for c in cells))
            measure = _evaluation_cost(emulator, group, users)
            print("one filter's evaluation (median per user): build the item mask / test 100 candidates")
            for name, text in (("EXCLUDE rated", SEEN), ("INCLUDE genre", GENRE)):
                build, test = measure(text)
                print(f"  {name:16} {build:8.1f} us / {test:8.1f} us")
        finally:
            emulator.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
