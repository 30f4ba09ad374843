"""Score a fitted model on held-out queries with GetSolutionMetrics' definitions."""

from __future__ import annotations

import numpy as np

from .metrics import METRIC_NAMES, MRR_K, coverage, hit_matrix, metrics_from_hits, ndcg_per_query
from .model import Fitted
from .split import Queries

__all__ = ["average_rewards_at_k", "evaluate", "ndcg_of_each_query"]


def _without_seen(recommended: np.ndarray, queries: Queries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop each query's input items from its recommendations and from its truth."""
    rows = []
    truth_indptr = [0]
    truth_items = []
    for q in range(len(queries)):
        seen = set(queries.history(q).tolist())
        rows.append([i for i in recommended[q].tolist() if i >= 0 and i not in seen][:MRR_K])
        kept = [i for i in queries.truth(q).tolist() if i not in seen]
        truth_items.extend(kept)
        truth_indptr.append(truth_indptr[-1] + len(kept))
    out = np.full((len(rows), MRR_K), -1, dtype=np.int64)
    for q, row in enumerate(rows):
        out[q, : len(row)] = row
    return out, np.array(truth_indptr, dtype=np.int64), np.array(truth_items, dtype=np.int64)


def evaluate(fitted: Fitted, queries: Queries, catalogue_size: int, *, exclude_seen: bool = False
             ) -> dict[str, float]:
    """Exactly GetSolutionMetrics' keys, averaged over ``queries`` (one per held-out user).

    GetSolutionMetrics lets recommendations include items the user already interacted with (a
    campaign does too, unless a filter removes them). ``exclude_seen=True`` is the other common
    protocol: input items are removed from both the recommendations and the truth, and queries left
    without truth are dropped.
    """
    if exclude_seen:
        longest = int(np.diff(queries.hist_indptr).max(initial=0))
        recommended, truth_indptr, truth_item = _without_seen(fitted.top_k(queries, MRR_K + longest), queries)
        keep = np.diff(truth_indptr) > 0
        hits = hit_matrix(recommended, truth_indptr, truth_item)[keep]
        values = metrics_from_hits(hits, np.diff(truth_indptr)[keep])
        values["coverage"] = coverage(recommended, catalogue_size)
        return {name: float(values[name]) for name in METRIC_NAMES}
    recommended = fitted.top_k(queries, MRR_K)
    hits = hit_matrix(recommended, queries.truth_indptr, queries.truth_item)
    values = metrics_from_hits(hits, np.diff(queries.truth_indptr))
    values["coverage"] = coverage(recommended, catalogue_size)
    return {name: float(values[name]) for name in METRIC_NAMES}


def ndcg_of_each_query(fitted: Fitted, queries: Queries, k: int) -> np.ndarray:
    """Each query's NDCG@k (their mean is ``evaluate``'s), for paired comparisons of two models."""
    recommended = fitted.top_k(queries, k)
    return ndcg_per_query(hit_matrix(recommended, queries.truth_indptr, queries.truth_item),
                          np.diff(queries.truth_indptr), k)


def average_rewards_at_k(fitted: Fitted, queries: Queries, rewards: np.ndarray) -> float | None:
    """GetSolutionMetrics' ``average_rewards_at_k`` for a solution with an ``optimizationObjective``.

    The Developer Guide ("Optimizing a solution for an additional objective"): per user, the rewards
    of their held-out interactions with their top 25 recommendations divided by the rewards of all
    their held-out interactions; the metric is the mean over users, in (0, 1].  The reward of an
    item is its ``itemAttribute`` value (missing and negative values count 0).  Users whose held-out
    items carry no reward are left out; None when no user has any.
    """
    reward = np.clip(np.nan_to_num(np.asarray(rewards, dtype=np.float64), nan=0.0), 0.0, None)
    recommended = fitted.top_k(queries, MRR_K)
    ratios = []
    for q in range(len(queries)):
        truth = queries.truth(q)
        total = float(reward[truth].sum())
        if total <= 0:
            continue
        top = recommended[q]
        gained = float(reward[np.intersect1d(truth, top[top >= 0])].sum())
        ratios.append(gained / total)
    return float(np.mean(ratios)) if ratios else None
