"""aws-sims and aws-similar-items: neighbours follow the planted clusters; hyperparameters matter."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from personalize_emulator.training import Table, TrainingData, load_model

from .conftest import TrainFn, cluster_of


def _own_cluster_share(model_dir_items: list[list[str]], anchors: list[str]) -> float:
    return float(np.mean([np.mean([cluster_of(i) == cluster_of(a) for i in items])
                          for items, a in zip(model_dir_items, anchors, strict=True)]))


def test_sims_beats_popularity(small_data: TrainingData, run_training: TrainFn) -> None:
    popular, _ = run_training(small_data, "aws-popularity-count")
    sims, _ = run_training(small_data, "aws-sims")
    key = "normalized_discounted_cumulative_gain_at_10"
    assert sims.metrics[key] > 1.2 * popular.metrics[key]


def test_sims_neighbours_share_the_cluster(small_data: TrainingData, run_training: TrainFn) -> None:
    _, out = run_training(small_data, "aws-sims")
    model = load_model(out)
    assert model.recipe_type == "RELATED_ITEMS"
    anchors = [f"i{k}" for k in range(20, 60)]
    lists = [[item for item, _ in model.recommend(user_id=None, item_id=a, num_results=5)] for a in anchors]
    assert _own_cluster_share(lists, anchors) >= 0.7
    assert all(a not in items for items, a in zip(lists, anchors, strict=True))


def test_popularity_discount_factor_trades_popularity_for_correlation(small_data: TrainingData,
                                                                    run_training: TrainFn) -> None:
    counts = Counter(small_data.interactions.item_id.tolist())

    def mean_popularity(factor: str) -> float:
        solution = {"solutionConfig": {"algorithmHyperParameters": {"popularity_discount_factor": factor}}}
        _, out = run_training(small_data, "aws-sims", solution)
        model = load_model(out)
        return float(np.mean([counts[item] for k in range(30, 90)
                              for item, _ in model.recommend(user_id=None, item_id=f"i{k}", num_results=5)]))

    assert mean_popularity("0.0") > mean_popularity("1.0")


def test_min_cointeraction_count_prunes_neighbours(small_data: TrainingData, run_training: TrainFn) -> None:
    def stored(minimum: str) -> int:
        solution = {"solutionConfig": {"algorithmHyperParameters": {"min_cointeraction_count": minimum}}}
        _, out = run_training(small_data, "aws-sims", solution)
        with np.load(out / "arrays.npz", allow_pickle=False) as arrays:
            return int(arrays["indices"].shape[0])

    assert stored("10") < stored("1")


def test_short_neighbour_lists_are_filled_with_popular_items(small_data: TrainingData,
                                                            run_training: TrainFn) -> None:
    _, out = run_training(small_data, "aws-sims")
    recs = load_model(out).recommend(user_id=None, item_id="i40", num_results=110)
    assert len(recs) == 110 and len({item for item, _ in recs}) == 110
    assert [s for _, s in recs] == sorted((s for _, s in recs), reverse=True)


def test_unknown_item_is_a_key_error(small_data: TrainingData, run_training: TrainFn) -> None:
    _, out = run_training(small_data, "aws-sims")
    model = load_model(out)
    with pytest.raises(KeyError):
        model.recommend(user_id="u1", item_id="nope", num_results=5)
    with pytest.raises(KeyError):
        model.recommend(user_id="u1", item_id=None, num_results=5)


def test_similar_items_places_cold_items_by_metadata(small_data: TrainingData, run_training: TrainFn) -> None:
    # Add items nobody interacted with: their neighbours can only come from the GENRE column.
    items = small_data.items
    assert items is not None
    cold = np.array([f"cold{g}" for g in range(4)])
    table = Table(
        key=np.concatenate([items.key, cold]),
        columns={"GENRE": np.concatenate([items.columns["GENRE"], np.array([f"g{g}" for g in range(4)])]),
                 "PRICE": np.concatenate([items.columns["PRICE"], np.full(4, 5.0)])},
        categorical=items.categorical,
    )
    data = TrainingData(small_data.interactions, items=table, users=small_data.users)
    outcome, out = run_training(data, "aws-similar-items")
    model = load_model(out)
    for genre in range(4):
        recs = [item for item, _ in model.recommend(user_id=None, item_id=f"cold{genre}", num_results=8)]
        warm = [item for item in recs if item.startswith("i")]
        assert np.mean([cluster_of(item) == genre for item in warm]) >= 0.75
    popular, _ = run_training(small_data, "aws-popularity-count")
    key = "normalized_discounted_cumulative_gain_at_10"
    assert outcome.metrics[key] > popular.metrics[key]


def test_similar_items_hidden_dims_change_the_embedding(small_data: TrainingData, run_training: TrainFn) -> None:
    def neighbours(dim: str) -> list[str]:
        solution = {"solutionConfig": {"algorithmHyperParameters": {"item_id_hidden_dim": dim}}}
        _, out = run_training(small_data, "aws-similar-items", solution)
        return [item for item, _ in load_model(out).recommend(user_id=None, item_id="i33", num_results=20)]

    assert neighbours("30") != neighbours("200")
