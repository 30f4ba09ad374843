"""Grid search for the peers on a validation split of the training users, then one refit for the test.

The validation split is the emulator's own HPO protocol: ``personalize_split(train_log, seed + 1)``
carves validation queries out of the *training* users, so no configuration (nor the filter-seen
choice) is ever picked by looking at a test user. The chosen configuration is then refitted on the
training users plus the test queries' inputs and scored once on the test truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from personalize_emulator.training.log import Log
from personalize_emulator.training.metrics import METRIC_NAMES, coverage, hit_matrix, metrics_from_hits
from personalize_emulator.training.split import Queries, personalize_split
from personalize_emulator.training.threads import limited_blas
from training_peers import Fit, Peer, fit_matrix, top_lists

__all__ = ["NDCG10", "list_metrics", "tune_and_test"]

NDCG10 = "normalized_discounted_cumulative_gain_at_10"


def list_metrics(recommended: np.ndarray, queries: Queries, n_items: int) -> dict[str, float]:
    """GetSolutionMetrics' keys for peer lists (one query per held-out user, as the recipes)."""
    values = metrics_from_hits(hit_matrix(recommended, queries.truth_indptr, queries.truth_item),
                               np.diff(queries.truth_indptr))
    values["coverage"] = coverage(recommended, n_items)
    return {name: float(values[name]) for name in METRIC_NAMES}


def tune_and_test(peer: Peer, train_log: Log, queries: Queries, *, seed: int, threads: int,
                  progress: Callable[[str], None]) -> dict[str, Any]:
    """Choose ``peer``'s configuration and filter-seen flag on validation; score the refit on ``queries``."""
    fit_log, validation = personalize_split(train_log, seed + 1)
    matrix = fit_matrix(fit_log, validation)
    cache: dict[str, Any] = {}
    trials: list[tuple[float, int, bool]] = []
    start = time.perf_counter()
    with limited_blas(threads):
        for index, params in enumerate(peer.grid):
            progress(f"tuning {peer.name} {index + 1}/{len(peer.grid)}")
            scores = peer.score(matrix, validation.user, params, Fit(seed, threads, cache))
            for flag, recs in top_lists(scores, matrix, validation.user).items():
                trials.append((list_metrics(recs, validation, train_log.n_items)[NDCG10], index, flag))
        tuning_seconds = time.perf_counter() - start
        # Highest validation NDCG@10; ties go to the earlier (smaller, cheaper) configuration.
        best_ndcg, best_index, filter_seen = max(trials, key=lambda t: (t[0], -t[1], t[2]))
        progress(f"refitting {peer.name} with {peer.grid[best_index]}")
        start = time.perf_counter()
        full = fit_matrix(train_log, queries)
        scores = peer.score(full, queries.user, peer.grid[best_index], Fit(seed, threads))
        seconds = time.perf_counter() - start
    recommended = top_lists(scores, full, queries.user)[filter_seen]
    return {
        "metrics": list_metrics(recommended, queries, train_log.n_items),
        "seconds": seconds,
        "tuning_seconds": tuning_seconds,
        "params": {**peer.grid[best_index], "filter_seen": filter_seen},
        "validation_ndcg10": best_ndcg,
        "tuned": peer.tuned,
        "configurations": len(peer.grid),
    }
