"""GetSolutionMetrics' formulas on the documentation's worked examples and against each other."""

from __future__ import annotations

import numpy as np
import pytest

from personalize_emulator.training.metrics import (
    METRIC_NAMES,
    coverage,
    hit_matrix,
    metrics_from_hits,
    ndcg_at_k,
    precision_at_k,
    reciprocal_rank,
)

# The Developer Guide's example: the 2nd and 5th of five recommendations are relevant.
RECOMMENDED = ["a", "b", "c", "d", "e"]
RELEVANT = {"b", "e"}


def test_documented_example_reciprocal_rank() -> None:
    assert reciprocal_rank(RECOMMENDED, RELEVANT) == pytest.approx(0.5)


def test_documented_example_ndcg_at_5() -> None:
    assert ndcg_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(0.6241, abs=5e-5)


def test_documented_example_precision_at_5() -> None:
    assert precision_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(0.4)


def test_mean_reciprocal_rank_example() -> None:
    # Three queries whose first relevant recommendation is at positions 2, 3 and 12:
    # (1/2 + 1/3 + 1/12) / 3 = 0.30556.
    queries = [(["x", "hit"], {"hit"}), (["x", "y", "hit"], {"hit"}), ([*"abcdefghijk", "hit"], {"hit"})]
    mrr = np.mean([reciprocal_rank(recs, truth) for recs, truth in queries])
    assert mrr == pytest.approx(0.30556, abs=5e-6)


def test_reciprocal_rank_only_counts_the_top_25() -> None:
    assert reciprocal_rank([*range(25), "hit"], {"hit"}) == 0.0


def test_ndcg_ideal_uses_at_most_k_truth_items() -> None:
    assert ndcg_at_k(list("abcde"), set("abcdefgh"), 5) == pytest.approx(1.0)
    assert ndcg_at_k(list("xxxxx"), set("ab"), 5) == 0.0


def test_matrix_path_agrees_with_single_query_functions() -> None:
    rng = np.random.default_rng(0)
    recommended = rng.integers(-1, 40, size=(30, 25))
    truths = [np.unique(rng.integers(0, 40, size=rng.integers(1, 6))) for _ in range(30)]
    indptr = np.concatenate(([0], np.cumsum([len(t) for t in truths])))
    hits = hit_matrix(recommended, indptr, np.concatenate(truths))
    values = metrics_from_hits(hits, np.diff(indptr))
    pairs = [(r, set(t.tolist())) for r, t in zip(recommended.tolist(), truths, strict=True)]
    for k in (5, 10, 25):
        expected = np.mean([ndcg_at_k(r, t, k) for r, t in pairs])
        assert values[f"normalized_discounted_cumulative_gain_at_{k}"] == pytest.approx(expected)
        precision = np.mean([precision_at_k(r, t, k) for r, t in pairs])
        assert values[f"precision_at_{k}"] == pytest.approx(precision)
    mrr = np.mean([reciprocal_rank(r, t) for r, t in pairs])
    assert values["mean_reciprocal_rank_at_25"] == pytest.approx(mrr)
    assert set(values) | {"coverage"} == set(METRIC_NAMES)


def test_padding_is_never_relevant() -> None:
    recommended = np.array([[-1, -1, 3]])
    hits = hit_matrix(recommended, np.array([0, 1]), np.array([3]))
    assert hits.tolist() == [[False, False, True]]


def test_coverage_counts_distinct_recommended_items() -> None:
    assert coverage(np.array([[1, 2, -1], [2, 3, -1]]), 10) == pytest.approx(0.3)
