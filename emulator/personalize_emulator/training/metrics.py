"""GetSolutionMetrics' definitions, as pure functions.

From the Amazon Personalize Developer Guide ("Evaluating a solution version with metrics"): a
*query* is one GetRecommendations call for a held-out user; a recommendation is *relevant* when it
is in that user's ground truth; position 1 is the top.

- ``precision_at_K``: relevant recommendations in the top K, divided by K.
- ``mean_reciprocal_rank_at_25``: mean over queries of 1 / (position of the first relevant
  recommendation in the top 25), 0 when there is none.
- ``normalized_discounted_cumulative_gain_at_K``: each relevant recommendation in the top K counts
  ``1 / log(1 + position)``; the sum is divided by the ideal sum, where the relevant items fill the
  top positions (as many as there are ground-truth items, at most K). The log base cancels out.
- ``coverage``: distinct recommended items over all queries, divided by the number of distinct
  items in the training data (Interactions and Items datasets).

GetSolutionMetrics (here) uses one query per held-out user, whose truth is the distinct items of
their newest tenth, and lets recommendations include items already in the input (as a campaign
does). :func:`~.split.per_event` ("one query per held-out event") and
``evaluate(..., exclude_seen=True)`` ("seen items removed") are offered for comparisons.

The documentation's worked example (relevant items at positions 2 and 5, K = 5) gives
reciprocal rank 0.5, NDCG@5 0.6241 and precision@5 0.4; the tests check these.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence

import numpy as np

from personalize_api import AUTOML_METRICS

__all__ = [
    "METRIC_NAMES",
    "coverage",
    "hit_matrix",
    "metrics_from_hits",
    "ndcg_at_k",
    "ndcg_per_query",
    "precision_at_k",
    "reciprocal_rank",
]

METRIC_NAMES: tuple[str, ...] = AUTOML_METRICS
MRR_K = 25
CUTOFFS = (5, 10, 25)


def hit_matrix(recommended: np.ndarray, truth_indptr: np.ndarray, truth_item: np.ndarray) -> np.ndarray:
    """Boolean (queries x positions): is the recommendation at that position relevant?

    ``recommended`` holds item codes, -1 where a query got fewer recommendations.
    """
    n_queries, _ = recommended.shape
    span = np.int64(max(int(recommended.max(initial=0)), int(truth_item.max(initial=0))) + 2)
    query_of_truth = np.repeat(np.arange(n_queries, dtype=np.int64), np.diff(truth_indptr))
    truth_keys = query_of_truth * span + truth_item
    rec_keys = np.arange(n_queries, dtype=np.int64)[:, None] * span + recommended
    return np.isin(rec_keys, truth_keys) & (recommended >= 0)


def _discounts(k: int) -> np.ndarray:
    return 1.0 / np.log2(np.arange(2, k + 2, dtype=np.float64))


def ndcg_per_query(hits: np.ndarray, n_truth: np.ndarray, k: int) -> np.ndarray:
    """NDCG@k of each query from its hit row (see the module docstring for the definition)."""
    discounts = _discounts(k)
    dcg = hits[:, :k] @ discounts[: hits[:, :k].shape[1]]
    idcg = np.concatenate(([0.0], np.cumsum(discounts)))[np.minimum(n_truth, k)]
    ndcg: np.ndarray = np.divide(dcg, idcg, out=np.zeros_like(dcg), where=idcg > 0)
    return ndcg


def metrics_from_hits(hits: np.ndarray, n_truth: np.ndarray) -> dict[str, float]:
    """Every ranking metric (not coverage) averaged over queries; the hit matrix needs >= 25 columns."""
    if hits.shape[1] < MRR_K:
        hits = np.pad(hits, ((0, 0), (0, MRR_K - hits.shape[1])))
    out: dict[str, float] = {}
    if hits.shape[0] == 0:
        return {name: 0.0 for name in METRIC_NAMES if name != "coverage"}
    first = np.argmax(hits[:, :MRR_K], axis=1)
    found = hits[:, :MRR_K].any(axis=1)
    out["mean_reciprocal_rank_at_25"] = float(np.mean(np.where(found, 1.0 / (first + 1), 0.0)))
    for k in CUTOFFS:
        out[f"normalized_discounted_cumulative_gain_at_{k}"] = float(ndcg_per_query(hits, n_truth, k).mean())
        out[f"precision_at_{k}"] = float(hits[:, :k].sum(axis=1).mean() / k)
    return out


def _single(recommended: Sequence[Hashable], relevant: Collection[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    wanted = set(relevant)
    hits = np.array([[item in wanted for item in recommended]], dtype=bool).reshape(1, -1)
    return hits, np.array([len(wanted)])


def reciprocal_rank(recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int = MRR_K) -> float:
    """1 / position of the first relevant recommendation within the top ``k`` (0 if none)."""
    hits, _ = _single(list(recommended)[:k], relevant)
    positions = np.flatnonzero(hits[0])
    return float(1.0 / (positions[0] + 1)) if positions.size else 0.0


def ndcg_at_k(recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Normalized discounted cumulative gain of one query at cutoff ``k``."""
    hits, n_truth = _single(list(recommended)[:k], relevant)
    discounts = _discounts(k)[: hits.shape[1]]
    idcg = float(_discounts(k)[: min(int(n_truth[0]), k)].sum())
    return float(hits[0] @ discounts) / idcg if idcg > 0 else 0.0


def precision_at_k(recommended: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Relevant recommendations in the top ``k``, divided by ``k``."""
    hits, _ = _single(list(recommended)[:k], relevant)
    return float(hits.sum()) / k


def coverage(recommended: np.ndarray, catalogue_size: int) -> float:
    """Distinct recommended items (codes >= 0) over the catalogue size."""
    distinct = np.unique(recommended[recommended >= 0])
    return float(len(distinct)) / catalogue_size if catalogue_size else 0.0
