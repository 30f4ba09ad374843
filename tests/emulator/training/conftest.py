"""Synthetic interaction logs with planted structure, and helpers to run training on them.

The generator plants what each recipe should find: users prefer one of a few item clusters (genre),
within a cluster users move through items in a fixed order (a sequence a model can learn), item
popularity is Zipf-like, and one item surges at the end of the log (a trend). Sizes are small so
the fast tests stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from personalize_emulator.training import (
    Interactions,
    Table,
    TrainingData,
    TrainingJob,
    TrainingOutcome,
    train,
)

RECIPE = "arn:aws:personalize:::recipe/"
START = 1_600_000_000


def synthetic_data(
    *,
    n_users: int = 200,
    n_items: int = 120,
    n_clusters: int = 4,
    events_per_user: tuple[int, int] = (8, 30),
    seed: int = 7,
    surge_item: int | None = None,
    with_tables: bool = True,
) -> TrainingData:
    """Users walk through their favourite cluster in order (with noise), plus popular detours."""
    rng = np.random.default_rng(seed)
    cluster_of = np.arange(n_items) % n_clusters
    members = [np.flatnonzero(cluster_of == c) for c in range(n_clusters)]
    popularity = 1.0 / (1.0 + np.arange(n_items)) ** 0.8
    popularity /= popularity.sum()
    users, items, times, types, values = [], [], [], [], []
    for u in range(n_users):
        favourite = members[u % n_clusters]
        n = int(rng.integers(*events_per_user, endpoint=True))
        position = int(rng.integers(len(favourite)))
        t = START + int(rng.integers(0, 30 * 86400))
        for _ in range(n):
            if rng.random() < 0.8:
                item = int(favourite[position % len(favourite)])
                position += 1 if rng.random() < 0.85 else 2
            else:
                item = int(rng.choice(n_items, p=popularity))
            t += int(rng.integers(60, 6 * 3600))
            users.append(f"u{u}")
            items.append(f"i{item}")
            times.append(t)
            purchase = rng.random() < 0.3
            types.append("purchase" if purchase else "click")
            values.append(float(rng.integers(1, 6)))
    if surge_item is not None:
        end = max(times)
        for k in range(60):
            users.append(f"u{k % n_users}")
            items.append(f"i{surge_item}")
            times.append(end - 1800 + k)
            types.append("click")
            values.append(3.0)
    interactions = Interactions(
        user_id=np.array(users),
        item_id=np.array(items),
        timestamp=np.array(times, dtype=np.int64),
        event_type=np.array(types),
        event_value=np.array(values, dtype=np.float64),
    )
    if not with_tables:
        return TrainingData(interactions)
    item_table = Table(
        key=np.array([f"i{i}" for i in range(n_items)]),
        columns={
            "GENRE": np.array([f"g{c}" for c in cluster_of]),
            "PRICE": (np.arange(n_items) % 10 + 1).astype(np.float64),
        },
        categorical=frozenset({"GENRE"}),
    )
    user_table = Table(
        key=np.array([f"u{u}" for u in range(n_users)]),
        columns={"SEGMENT": np.array([f"s{u % n_clusters}" for u in range(n_users)])},
        categorical=frozenset({"SEGMENT"}),
    )
    return TrainingData(interactions, items=item_table, users=user_table)


@pytest.fixture(scope="session")
def small_data() -> TrainingData:
    return synthetic_data()


TrainFn = Callable[..., tuple[TrainingOutcome, Path]]


@pytest.fixture
def run_training(tmp_path: Path) -> TrainFn:
    """Train a recipe on ``data`` into a fresh directory; returns the outcome and the directory."""
    counter = iter(range(1_000_000))

    def run(data: TrainingData, recipe: str | None, solution: Mapping[str, Any] | None = None,
            **job: Any) -> tuple[TrainingOutcome, Path]:
        out = tmp_path / f"model-{next(counter)}"
        out.mkdir()
        arn = None if recipe is None else RECIPE + recipe
        outcome = train(TrainingJob(recipe_arn=arn, solution=dict(solution or {}), **job), data, out)
        return outcome, out

    return run


def cluster_of(item_id: str, n_clusters: int = 4) -> int:
    """The planted cluster (genre) of a synthetic item id."""
    return int(item_id[1:]) % n_clusters


@pytest.fixture(scope="session")
def personal_model_dir(tmp_path_factory: pytest.TempPathFactory, small_data: TrainingData) -> Path:
    """aws-user-personalization trained once on the small synthetic log (shared by read-only tests)."""
    out = tmp_path_factory.mktemp("personal")
    train(TrainingJob(recipe_arn=RECIPE + "aws-user-personalization", solution={}), small_data, out)
    return out
