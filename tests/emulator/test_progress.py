"""The training progress record: what training reports, kept on the version row through the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from personalize_emulator.progress import MAX_LINES, PROGRESS, TrainingProgress
from personalize_emulator.store import Store

ARN = "arn:aws:personalize:us-east-1:123456789012:solution/s/v1"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "state.sqlite3")
    store.insert(arn=ARN, kind="solution-version", account="123456789012", region="us-east-1", name="s/v1",
                 parent=None, body={"status": "CREATE IN_PROGRESS"}, internal={"previous": None})
    return store


def _record(store: Store) -> dict[str, Any]:
    row = store.get(ARN)
    assert row is not None
    assert row.body == {"status": "CREATE IN_PROGRESS"}  # the API-visible body is never touched
    record: dict[str, Any] = row.internal[PROGRESS]
    return record


def test_lines_set_the_phase_and_are_capped(store: Store) -> None:
    ticks = iter(range(100, 1000))
    progress = TrainingProgress(store, ARN, lambda: float(next(ticks)))
    assert _record(store)["phase"] == "starting"
    for index in range(MAX_LINES + 5):
        progress.line(f"step {index}")
    record = _record(store)
    assert record["phase"] == f"step {MAX_LINES + 4}" and len(record["lines"]) == MAX_LINES
    assert record["started"] == 100 and record["updated"] > record["started"]
    assert store.get(ARN).internal["previous"] is None  # type: ignore[union-attr]  # the rest of internal stays


def test_hpo_trials_and_automl_candidates_are_kept_as_data(store: Store) -> None:
    progress = TrainingProgress(store, ARN, lambda: 0.0)
    for trial in (1, 2):
        progress.fact("hpo_trial", {"trial": trial, "of": 4, "objective": "ndcg", "score": np.float64(trial / 10),
                                    "hyperparameters": {"k": str(trial)}})
    progress.fact("hpo_best", {"trial": 2})
    progress.fact("automl_candidate", {"candidate": 1, "of": 2, "recipeArn": "arn:r/a", "metric": "m", "score": 0.5})
    progress.fact("automl_best", {"recipeArn": "arn:r/a"})
    record = _record(store)
    assert record["hpo"] == {"objective": "ndcg", "of": 4, "best": 2, "trials": [
        {"trial": 1, "score": 0.1, "hyperparameters": {"k": "1"}},
        {"trial": 2, "score": 0.2, "hyperparameters": {"k": "2"}}]}
    assert record["automl"] == {"metric": "m", "of": 2, "best": "arn:r/a", "candidates": [
        {"candidate": 1, "recipeArn": "arn:r/a", "score": 0.5}]}


def test_a_restarted_training_starts_a_fresh_record(store: Store) -> None:
    TrainingProgress(store, ARN, lambda: 1.0).line("old")
    TrainingProgress(store, ARN, lambda: 2.0)
    assert _record(store) == {"started": 2.0, "updated": 2.0, "phase": "starting", "lines": []}


def test_a_deleted_version_is_not_recreated(store: Store) -> None:
    progress = TrainingProgress(store, ARN, lambda: 0.0)
    with store.write() as conn:
        store.remove(ARN, conn)
    progress.line("late")
    assert store.get(ARN) is None
