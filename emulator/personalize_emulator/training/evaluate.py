"""Score a fitted model on held-out queries with GetSolutionMetrics' definitions."""

from __future__ import annotations

import numpy as np

from .metrics import METRIC_NAMES, MRR_K, coverage, hit_matrix, metrics_from_hits
from .model import Fitted
from .split import Queries

__all__ = ["evaluate"]


def evaluate(fitted: Fitted, queries: Queries, catalogue_size: int) -> dict[str, float]:
    """Exactly GetSolutionMetrics' keys, averaged over ``queries`` (one per held-out user)."""
    recommended = fitted.top_k(queries, MRR_K)
    hits = hit_matrix(recommended, queries.truth_indptr, queries.truth_item)
    values = metrics_from_hits(hits, np.diff(queries.truth_indptr))
    values["coverage"] = coverage(recommended, catalogue_size)
    return {name: float(values[name]) for name in METRIC_NAMES}
