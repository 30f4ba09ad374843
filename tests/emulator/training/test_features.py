"""Feature and signal building pieces whose results must not depend on how the work is cut up."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from personalize_emulator.training import TrainingData
from personalize_emulator.training.log import build_log
from personalize_emulator.training.personal import signals
from personalize_emulator.training.personal.features import DAY, NEVER, FeatureBuilder, _group_rank
from personalize_emulator.training.personal.histories import Histories
from personalize_emulator.training.settings import Settings


def _rank_by_lexsort(query: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The reference: a stable two-key sort (query, then descending value; ties keep row order)."""
    order = np.lexsort((-values, query))
    starts = np.searchsorted(query[order], query[order], side="left")
    rank = np.empty(len(values), dtype=np.float32)
    rank[order] = np.arange(len(values)) - starts
    return rank


@pytest.mark.parametrize("seed", range(20))
def test_group_rank_equals_a_stable_two_key_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    query = np.repeat(np.arange(50), rng.integers(0, 400, 50))
    values = np.round(rng.normal(size=len(query)), 2).astype(np.float32)  # many ties
    values[rng.random(len(values)) < 0.2] = 0.0
    values[rng.random(len(values)) < 0.05] = -0.0
    values[rng.random(len(values)) < 0.02] = np.inf
    values[rng.random(len(values)) < 0.02] = -np.inf
    assert np.array_equal(_group_rank(query, values), _rank_by_lexsort(query, values))


def test_group_rank_of_nothing() -> None:
    assert _group_rank(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)).shape == (0,)


def test_own_history_sums_weights_and_finds_the_newest_repeat() -> None:
    # Query 0 saw item 3 twice (steps back 2 and 0) and item 1 once; query 1 saw nothing.
    histories = Histories(indptr=np.array([0, 3, 3]), item=np.array([3, 1, 3]),
                          time=np.array([0, DAY, 2 * DAY], dtype=np.int64),
                          weight=np.array([1.0, 2.0, 0.5], dtype=np.float32),
                          when=np.array([5 * DAY, 5 * DAY], dtype=np.int64), user=np.array([-1, -1]))
    builder = SimpleNamespace(signals=SimpleNamespace(n_items=4))
    seen, steps, days = FeatureBuilder._own_history(builder, histories,  # type: ignore[arg-type]
                                                    np.array([0, 0, 0, 1]), np.array([1, 2, 3, 3]))
    assert seen.tolist() == [2.0, 0.0, 1.5, 0.0]
    assert steps.tolist() == [1.0, NEVER, 0.0, NEVER]
    assert days.tolist() == [4.0, NEVER, 3.0, NEVER]


def test_co_occurrence_counted_in_chunks_equals_counted_at_once(small_data: TrainingData,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    log = build_log(small_data, Settings())
    whole = signals.sequential(log, window=8, decay=0.85, max_neighbours=400)
    monkeypatch.setattr(signals, "PAIR_CHUNK", len(log) * 3)  # three gaps per chunk
    chunked = signals.sequential(log, window=8, decay=0.85, max_neighbours=400)
    for once, pieces in zip(whole, chunked, strict=True):
        assert once.nnz == pieces.nnz
        assert abs(once - pieces).max() < 1e-6


def test_signals_fitted_with_two_threads_equal_one_thread(small_data: TrainingData) -> None:
    """EASE and PureSVD fitted beside the co-occurrence counting give the very same arrays."""
    log = build_log(small_data, Settings())
    knobs = {"window": 8, "decay": 0.85, "ease_items": 300, "ease_regularisation": 250.0, "factors": 16}
    one = signals.fit_signals(log, threads=1, **knobs).arrays("")
    two = signals.fit_signals(log, threads=2, **knobs).arrays("")
    assert one.keys() == two.keys()
    for name in one:
        assert np.array_equal(one[name], two[name]), name


def test_row_normalise_equals_the_diagonal_product() -> None:
    """Rows scaled in place give the float32 values (and entries) ``diag(1 / row sums) @ m`` gives."""
    rng = np.random.default_rng(0)
    dense = (rng.random((60, 50)) < 0.1) * rng.random((60, 50))
    dense[7] = 0.0  # an empty row stays empty
    matrix = sp.csr_matrix(dense.astype(np.float32))
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0).astype(np.float32)
    expected = (sp.diags(scale) @ matrix).tocsr()
    got = signals._row_normalise(matrix.copy())
    assert got.nnz == expected.nnz
    assert np.array_equal(got.toarray(), expected.toarray())
