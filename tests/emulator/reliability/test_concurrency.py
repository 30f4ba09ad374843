"""32 clients creating, describing, listing and deleting at once against one ``serve`` process.

No resource is lost or duplicated, a contested name has exactly one winner, no request answers a
5xx, pagination stays stable while others write, and requests keep being answered while a model
trains.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.slow

CLIENTS = 32
ROUNDS = 12


def _all_names(client: Any) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {"maxResults": 7}
    while True:
        page = client.list_dataset_groups(**kwargs)
        names += [g["name"] for g in page["datasetGroups"]]
        if "nextToken" not in page:
            return names
        kwargs["nextToken"] = page["nextToken"]


def test_32_clients_create_describe_list_delete(start_server: Any) -> None:
    server = start_server()
    clients = [server.client() for _ in range(CLIENTS)]
    errors: Counter[str] = Counter()
    winners: Counter[str] = Counter()
    created: dict[int, list[str]] = {}
    lock = threading.Lock()

    def work(index: int) -> None:
        client = clients[index]
        mine: list[str] = []
        for round_ in range(ROUNDS):
            contested = f"contested-{round_}"  # every client races for this name
            try:
                client.create_dataset_group(name=contested)
                with lock:
                    winners[contested] += 1
            except ClientError as exc:
                with lock:
                    errors[exc.response["Error"]["Code"]] += 1
                assert exc.response["ResponseMetadata"]["HTTPStatusCode"] < 500
            own = f"own-{index}-{round_}"
            arn = client.create_dataset_group(name=own)["datasetGroupArn"]
            mine.append(own)
            assert client.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["name"] == own
            client.list_dataset_groups(maxResults=5)
            if round_ % 3 == 2:  # delete one of ours once it is ACTIVE
                victim = mine.pop(0)
                victim_arn = arn.rsplit("/", 1)[0] + "/" + victim
                for _ in range(200):
                    status = client.describe_dataset_group(datasetGroupArn=victim_arn)["datasetGroup"]["status"]
                    if status == "ACTIVE":
                        break
                    time.sleep(0.01)
                client.delete_dataset_group(datasetGroupArn=victim_arn)
        created[index] = mine

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(work, i) for i in range(CLIENTS)]:
            future.result()

    assert all(count == 1 for count in winners.values()) and len(winners) == ROUNDS, winners
    assert set(errors) == {"ResourceAlreadyExistsException"}
    assert errors["ResourceAlreadyExistsException"] == ROUNDS * (CLIENTS - 1)

    client = server.client()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # deletions finish in the background
        names = _all_names(client)
        if len(names) == len(set(names)) and not any(n.startswith("own-") and n not in
                                                     {m for ms in created.values() for m in ms} for n in names):
            break
        time.sleep(0.1)
    names = _all_names(client)
    expected = {f"contested-{r}" for r in range(ROUNDS)} | {n for ms in created.values() for n in ms}
    assert len(names) == len(set(names)), "pagination returned a resource twice"
    assert set(names) == expected


def test_requests_are_answered_while_a_model_trains(
    start_server: Any, tmp_path: Path, write_interactions: Any, build_dataset: Any, wait_for: Any
) -> None:
    server = start_server()
    client = server.client()
    data = write_interactions(tmp_path / "train.csv", users=300, per_user=20, items=300)
    arns = build_dataset(client, data, "train")
    recipe = "arn:aws:personalize:::recipe/aws-user-personalization-v2"
    from personalize_emulator.training import supported_recipes

    if "aws-user-personalization-v2" not in supported_recipes():
        recipe = "arn:aws:personalize:::recipe/aws-popularity-count"
    solution = client.create_solution(name="train", datasetGroupArn=arns["group"], recipeArn=recipe)["solutionArn"]
    wait_for(lambda: client.describe_solution(solutionArn=solution)["solution"])
    version = client.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    latencies: list[float] = []
    while True:
        started = time.perf_counter()
        status = client.describe_solution_version(solutionVersionArn=version)["solutionVersion"]["status"]
        client.list_dataset_groups()
        latencies.append(time.perf_counter() - started)
        if status in ("ACTIVE", "CREATE FAILED"):
            break
    assert status == "ACTIVE"
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.25, f"median request took {latencies[len(latencies) // 2]:.3f}s"
