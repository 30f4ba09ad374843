"""RELATED_ITEMS recipes against cosine item-kNN on last-item queries (issue 15.4).

A related-items question is "what goes with this item?": for each test query, the item is its
newest input item and the answer is scored against its truth items, with the query's input items
removed from both the list and the truth (``evaluate(..., exclude_seen=True)``: re-showing what the
user already has says nothing about similarity). aws-similar-items and aws-sims are the models
``train()`` fitted on the training users and evaluated (see ``training_recipes``); item-kNN is
plain cosine ``c_ij / sqrt(n_i n_j)`` on exactly the same rows (the training users only: the query
is an item, so unlike the user peers it needs no vector for the query user), with ties and empty
neighbourhoods filled by popularity, as the recipes fill theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from personalize_emulator.training import TrainingData
from personalize_emulator.training.evaluate import evaluate
from personalize_emulator.training.log import Log
from personalize_emulator.training.split import Queries, personalize_split
from training_recipes import run_recipe
from training_tuning import NDCG10

__all__ = ["RELATED_RECIPES", "ItemKnn", "related_section"]

RELATED_RECIPES = ("aws-similar-items", "aws-sims")


class ItemKnn:
    """Cosine item-kNN answering each query's newest input item (duck-types ``Fitted.top_k``)."""

    def __init__(self, log: Log) -> None:
        matrix = sp.csr_matrix((np.ones(len(log), dtype=np.float64), (log.user, log.item)),
                               shape=(log.n_users, log.n_items))
        matrix.data[:] = 1.0
        self.columns = matrix.T.tocsr()
        self.matrix = matrix
        popularity = np.asarray(matrix.sum(axis=0)).ravel()
        self.norm = np.sqrt(np.maximum(popularity, 1.0))
        # A tie-breaker far below any cosine (>= 1/n_users): popular items first among equals.
        self.tie = 1e-9 * popularity / max(float(popularity.max()), 1.0)

    def top_k(self, queries: Queries, k: int) -> np.ndarray:
        items = queries.last_item()
        scores = (self.columns[items] @ self.matrix).toarray()
        scores /= self.norm[items, None] * self.norm[None, :]
        scores += self.tie[None, :]
        scores[np.arange(len(items)), items] = -np.inf
        k = min(k, scores.shape[1] - 1)
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        ranked: np.ndarray = np.take_along_axis(top, order, axis=1)
        return ranked


def related_section(data: TrainingData, log: Log, *, seed: int, repeats: int, threads: int,
                    progress: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    """NDCG@10 etc. (seen removed) of each RELATED_ITEMS recipe and of item-kNN, with wall times."""
    out: dict[str, dict[str, Any]] = {}
    queries: Queries | None = None
    for recipe in RELATED_RECIPES:
        result = run_recipe(data, recipe, seed=seed, repeats=repeats, threads=threads, progress=progress,
                            keep_model=True)
        fitted, queries = result.pop("model")
        out[recipe] = {"metrics": evaluate(fitted, queries, log.n_items, exclude_seen=True),
                       "get_solution_metrics": result["metrics"], "seconds": result["seconds"]}
    train_log, test = personalize_split(log, seed)
    if queries is None or not np.array_equal(queries.user, test.user):
        raise SystemExit("train() evaluated other test users than personalize_split(log, seed): the comparison "
                         "would not be like for like")
    progress("item-kNN on last-item queries")
    start = time.perf_counter()
    knn = ItemKnn(train_log)
    metrics = evaluate(knn, test, log.n_items, exclude_seen=True)  # type: ignore[arg-type]
    out["item-knn (cosine)"] = {"metrics": metrics, "seconds": time.perf_counter() - start}
    for name, result in out.items():
        progress(f"{name}: last-item NDCG@10 (seen removed) {result['metrics'][NDCG10]:.4f}")
    return out
