"""aws-popularity-count and aws-trending-now end to end: train, metrics, save, load, serve."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from personalize_emulator.training import (
    TrainingData,
    TrainingError,
    TrainingStopped,
    load_model,
    supported_recipes,
)
from personalize_emulator.training.metrics import METRIC_NAMES

from .conftest import TrainFn, synthetic_data


def test_supported_recipes_include_popularity() -> None:
    assert {"aws-popularity-count", "aws-trending-now"} <= supported_recipes()
    assert "aws-semantic-similarity" not in supported_recipes()


def test_popularity_count_end_to_end(small_data: TrainingData, run_training: TrainFn) -> None:
    lines: list[str] = []
    outcome, out = run_training(small_data, "aws-popularity-count", progress=lines.append)
    assert list(outcome.metrics) == list(METRIC_NAMES)
    assert all(0.0 <= v <= 1.0 for v in outcome.metrics.values())
    assert outcome.metrics["precision_at_25"] > 0
    assert outcome.recipe_arn.endswith("aws-popularity-count")
    assert outcome.tuned_hpo_params is None and outcome.best_recipe_arn is None
    assert any("evaluating" in line for line in lines)
    for path in out.iterdir():
        assert path.suffix in {".json", ".npz", ".txt"}
        if path.suffix == ".npz":
            np.load(path, allow_pickle=False)
    model = load_model(out)
    assert model.recipe_type == "POPULAR_ITEMS"
    counts = Counter(small_data.interactions.item_id.tolist())
    top = model.recommend(user_id="nobody", item_id=None, num_results=5)
    expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [item for item, _ in top] == [item for item, _ in expected]
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(top))


def test_popularity_ranks_every_input_item(small_data: TrainingData, run_training: TrainFn) -> None:
    _, out = run_training(small_data, "aws-popularity-count")
    model = load_model(out)
    ranked = model.rank(user_id="u1", items=["i50", "unknown", "i0"])
    assert [item for item, _ in ranked] == ["i0", "i50", "unknown"]


def test_events_config_weights_change_popularity(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"solutionConfig": {"eventsConfig": {"eventParametersList": [
        {"eventType": "purchase", "weight": 1.0}, {"eventType": "click", "weight": 0.01}]}}}
    _, out = run_training(small_data, "aws-popularity-count", solution)
    frame = small_data.interactions
    purchases = Counter(frame.item_id[frame.event_type == "purchase"].tolist())
    top = load_model(out).recommend(user_id=None, item_id=None, num_results=1)[0][0]
    assert purchases[top] == max(purchases.values())


def test_trending_now_finds_the_surge(run_training: TrainFn) -> None:
    data = synthetic_data(surge_item=97)
    parameters = {"trend_discovery_frequency": "1 hour"}
    solution = {"solutionConfig": {"featureTransformationParameters": parameters}}
    _, out = run_training(data, "aws-trending-now", solution)
    top = load_model(out).recommend(user_id="u3", item_id=None, num_results=3)
    assert top[0][0] == "i97"
    assert len(load_model(out).recommend(user_id=None, item_id=None, num_results=200)) == 120


def test_metrics_are_deterministic(small_data: TrainingData, run_training: TrainFn) -> None:
    first, _ = run_training(small_data, "aws-popularity-count", seed=5)
    second, _ = run_training(small_data, "aws-popularity-count", seed=5)
    assert first.metrics == second.metrics


def test_unsupported_recipe_is_a_training_error(small_data: TrainingData, run_training: TrainFn) -> None:
    with pytest.raises(TrainingError, match=r"cannot train .*aws-semantic-similarity"):
        run_training(small_data, "aws-semantic-similarity")


def test_stop_request_stops_training(small_data: TrainingData, run_training: TrainFn) -> None:
    with pytest.raises(TrainingStopped, match="StopSolutionVersionCreation"):
        run_training(small_data, "aws-popularity-count", should_stop=lambda: True)


def test_unreadable_model_dir_is_a_training_error(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="cannot be read"):
        load_model(tmp_path)


def test_seen_items_can_be_excluded_from_evaluation(small_data: TrainingData) -> None:
    from personalize_emulator.training.evaluate import evaluate
    from personalize_emulator.training.log import build_log
    from personalize_emulator.training.popular import PopularItems, popularity_order
    from personalize_emulator.training.settings import Settings
    from personalize_emulator.training.split import personalize_split

    log = build_log(small_data, Settings())
    train_log, test = personalize_split(log, 0)
    counts = train_log.item_counts()
    model = PopularItems("aws-popularity-count", log.items, popularity_order(counts), counts)
    allowed = evaluate(model, test, log.n_items)
    excluded = evaluate(model, test, log.n_items, exclude_seen=True)
    assert set(allowed) == set(excluded) == set(METRIC_NAMES)
    assert allowed != excluded
