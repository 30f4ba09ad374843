"""The ranker's per-candidate features that are computed without the fitted signals."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from personalize_emulator.training.personal.features import DAY, NEVER, FeatureBuilder
from personalize_emulator.training.personal.histories import Histories


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
