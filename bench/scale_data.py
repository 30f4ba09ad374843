"""Generated interaction logs with planted structure, at any size, for the scale benchmarks.

The structure is the one the tests plant (``tests/emulator/training/conftest.py``), vectorised so a
10M-event log is generated in seconds: every user prefers one of ``n_clusters`` item clusters and
walks through it in a fixed order (one step, sometimes two), 20% of events are detours to Zipf-popular
items, and time moves forward within each user. A model that learns sequences and tastes beats
popularity by a wide margin; one that learns nothing does not.
"""

from __future__ import annotations

import numpy as np

from personalize_emulator.training import Interactions, TrainingData

__all__ = ["planted_log", "sizes_for"]

START = 1_600_000_000


def sizes_for(events: int) -> tuple[int, int]:
    """Users and items for a log of ``events`` (1M events: 10k users, 5k items; 100 events per user)."""
    users = max(100, events // 100)
    items = max(200, min(20_000, int(5000 * (events / 1_000_000) ** 0.5)))
    return users, items


def _ids(prefix: str, count: int) -> np.ndarray:
    """``prefix0`` .. ``prefix{count-1}`` in the narrowest string dtype (not numpy's 21-character default)."""
    ids = np.char.add(prefix, np.arange(count).astype(str))
    return ids.astype(f"U{int(np.char.str_len(ids).max(initial=1))}")


def planted_log(events: int, *, seed: int = 0, n_clusters: int = 20) -> TrainingData:
    """About ``events`` interactions of :func:`sizes_for` users and items, with planted structure."""
    n_users, n_items = sizes_for(events)
    rng = np.random.default_rng(seed)
    per_user = rng.integers(20, 181, size=n_users)
    per_user = np.maximum(2, np.round(per_user * events / per_user.sum()).astype(np.int64))
    user = np.repeat(np.arange(n_users), per_user)
    n = len(user)
    starts = np.concatenate(([0], np.cumsum(per_user)[:-1]))
    cluster_size = n_items // n_clusters
    favourite = np.arange(n_users) % n_clusters
    steps = np.where(rng.random(n) < 0.85, 1, 2)
    steps[starts] = 0
    walk = np.cumsum(steps) - np.repeat(np.cumsum(steps)[starts], per_user)
    offset = np.repeat(rng.integers(0, cluster_size, size=n_users), per_user)
    in_cluster = (offset + walk) % cluster_size
    item = in_cluster * n_clusters + favourite[user]
    popularity = 1.0 / (1.0 + np.arange(n_items)) ** 0.8
    detour = rng.random(n) >= 0.8
    item[detour] = rng.choice(n_items, size=int(detour.sum()), p=popularity / popularity.sum())
    gaps = rng.integers(60, 6 * 3600, size=n)
    gaps[starts] = rng.integers(0, 180 * 86400, size=n_users)
    time = START + np.cumsum(gaps) - np.repeat(np.cumsum(gaps)[starts] - gaps[starts], per_user)
    interactions = Interactions(
        # Each distinct id is formatted once and gathered: formatting 10M ids one by one went
        # through 84-byte temporaries and peaked at 3.1 GB before training started.
        user_id=_ids("u", n_users)[user],
        item_id=_ids("i", n_items)[item],
        timestamp=time.astype(np.int64),
        event_type=np.full(n, "click"),
        event_value=np.full(n, np.nan),
    )
    return TrainingData(interactions)
