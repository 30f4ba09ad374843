"""aws-user-personalization(-v2) / aws-personalized-ranking(-v2): quality, serving, inputs, artefacts."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from personalize_emulator.training import TrainingData, load_model
from personalize_emulator.training.artifacts import read_manifest
from personalize_emulator.training.personal import engine as personal_engine
from personalize_emulator.training.personal.model import best_by_keys

from .conftest import TrainFn, cluster_of, synthetic_data

pytestmark = pytest.mark.slow


def _ndcg(outcome_metrics: dict[str, float]) -> float:
    return outcome_metrics["normalized_discounted_cumulative_gain_at_10"]


def test_beats_popularity_on_planted_structure(small_data: TrainingData, run_training: TrainFn) -> None:
    popular, _ = run_training(small_data, "aws-popularity-count")
    personal, _ = run_training(small_data, "aws-user-personalization")
    assert _ndcg(personal.metrics) > 2 * _ndcg(popular.metrics)
    assert personal.metrics["precision_at_10"] > popular.metrics["precision_at_10"]


def _next_in_sequence(data: TrainingData, user: int, n_items: int = 120) -> str:
    """The planted next item: after the user's newest item of their cluster, the cluster's next one."""
    frame = data.interactions
    mine = frame.item_id[(frame.user_id == f"u{user}")][np.argsort(frame.timestamp[frame.user_id == f"u{user}"],
                                                                   kind="stable")]
    last = [int(item[1:]) for item in mine if cluster_of(item) == user % 4][-1]
    return f"i{(last + 4) % n_items}"


def test_known_user_gets_their_next_item(personal_model_dir: Path, small_data: TrainingData) -> None:
    model = load_model(personal_model_dir)
    assert model.recipe_type == "USER_PERSONALIZATION"
    found = []
    for user in range(20):
        recs = model.recommend(user_id=f"u{user}", item_id=None, num_results=10)
        assert len(recs) == 10
        found.append(_next_in_sequence(small_data, user) in [item for item, _ in recs[:3]])
    assert np.mean(found) >= 0.7


def test_recent_events_steer_a_new_user_without_retraining(personal_model_dir: Path) -> None:
    model = load_model(personal_model_dir)
    cold = model.recommend(user_id="newcomer", item_id=None, num_results=10)
    assert len(cold) == 10  # popular items for a user nobody knows
    recent = ["i2", "i6", "i10", "i14"]  # cluster 2, in its planted order
    steered = model.recommend(user_id="newcomer", item_id=None, num_results=10, recent=recent)
    assert steered[0][0] == "i18"  # the next item of the sequence
    assert steered != cold


def test_scores_are_ordered_probabilities(personal_model_dir: Path) -> None:
    recs = load_model(personal_model_dir).recommend(user_id="u1", item_id=None, num_results=25)
    scores = [score for _, score in recs]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1.0 + 1e-9


def test_rank_returns_every_item_with_unknown_last(personal_model_dir: Path) -> None:
    model = load_model(personal_model_dir)
    items = ["i1", "nope", "i5", "i2", "i3", "i9"]
    ranked = model.rank(user_id="u1", items=items)
    assert sorted(item for item, _ in ranked) == sorted(items)
    assert ranked[-1][0] == "nope"
    assert cluster_of(ranked[0][0]) == 1  # u1 walks through cluster 1: i1, i5 or i9
    assert model.rank(user_id="u1", items=["x", "y"]) == [("x", 0.0), ("y", 0.0)]


def test_personalized_ranking_recipe(small_data: TrainingData, run_training: TrainFn) -> None:
    outcome, out = run_training(small_data, "aws-personalized-ranking-v2")
    model = load_model(out)
    assert model.recipe_type == "PERSONALIZED_RANKING"
    items = [f"i{k}" for k in range(120)]
    found = []
    for user in range(20):
        ranked = model.rank(user_id=f"u{user}", items=items)
        assert len(ranked) == 120
        found.append(_next_in_sequence(small_data, user) in [item for item, _ in ranked[:3]])
    assert np.mean(found) >= 0.7
    assert outcome.recipe_arn.endswith("aws-personalized-ranking-v2")


def test_deterministic_for_a_seed(small_data: TrainingData, run_training: TrainFn) -> None:
    first, out1 = run_training(small_data, "aws-user-personalization", seed=3)
    second, out2 = run_training(small_data, "aws-user-personalization", seed=3)
    assert first.metrics == second.metrics
    assert (out1 / "ranker.txt").read_text() == (out2 / "ranker.txt").read_text()
    assert load_model(out1).recommend(user_id="u7", item_id=None, num_results=10) == \
        load_model(out2).recommend(user_id="u7", item_id=None, num_results=10)


def test_artefacts_are_json_npz_and_lightgbm_text(personal_model_dir: Path) -> None:
    names = {path.name for path in personal_model_dir.iterdir()}
    assert names == {"model.json", "arrays.npz", "ranker.txt"}
    with np.load(personal_model_dir / "arrays.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype.kind != "O" for name in arrays.files)
    assert (personal_model_dir / "ranker.txt").read_text().startswith("tree") or \
        (personal_model_dir / "ranker.txt").read_text() == ""


def test_items_and_users_metadata_become_features(personal_model_dir: Path) -> None:
    features = read_manifest(personal_model_dir)["features"]
    assert {"item_PRICE", "item_PRICE_distance", "affinity_GENRE", "user_SEGMENT"} <= set(features)


def test_training_data_config_excludes_columns(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"solutionConfig": {"trainingDataConfig": {
        "excludedDatasetColumns": {"Items": ["GENRE"]}, "includedDatasetColumns": {"Users": []}}}}
    _, out = run_training(small_data, "aws-user-personalization", solution)
    features = set(read_manifest(out)["features"])
    assert "affinity_GENRE" not in features and "user_SEGMENT" not in features
    assert "item_PRICE" in features


def test_optimization_objective_pulls_towards_the_attribute(small_data: TrainingData,
                                                          run_training: TrainFn) -> None:
    def mean_price(sensitivity: str) -> float:
        solution = {"solutionConfig": {"optimizationObjective": {
            "itemAttribute": "PRICE", "objectiveSensitivity": sensitivity}}}
        _, out = run_training(small_data, "aws-user-personalization", solution)
        model = load_model(out)
        prices = [int(item[1:]) % 10 + 1 for u in range(12)
                  for item, _ in model.recommend(user_id=f"u{u}", item_id=None, num_results=10)]
        return float(np.mean(prices))

    assert mean_price("HIGH") > mean_price("OFF") + 0.5


def test_optimization_objective_reports_average_rewards_at_k(small_data: TrainingData,
                                                            run_training: TrainFn) -> None:
    """GetSolutionMetrics documents ``average_rewards_at_k`` (in (0, 1]) for solutions with an objective."""
    plain, _ = run_training(small_data, "aws-user-personalization")
    assert "average_rewards_at_k" not in plain.metrics
    solution = {"solutionConfig": {"optimizationObjective": {"itemAttribute": "PRICE"}}}
    outcome, _ = run_training(small_data, "aws-user-personalization", solution)
    assert 0.0 < outcome.metrics["average_rewards_at_k"] <= 1.0


def test_objective_must_name_a_numeric_items_column(small_data: TrainingData, run_training: TrainFn) -> None:
    from personalize_emulator.training import TrainingError

    solution = {"solutionConfig": {"optimizationObjective": {"itemAttribute": "GENRE"}}}
    with pytest.raises(TrainingError, match="numeric column"):
        run_training(small_data, "aws-user-personalization", solution)


def test_recency_bias_off_changes_the_model(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"solutionConfig": {"algorithmHyperParameters": {"apply_recency_bias": "false"}}}
    _, out = run_training(small_data, "aws-user-personalization-v2", solution)
    assert read_manifest(out)["recencySteps"] == 0.0
    _, default = run_training(small_data, "aws-user-personalization-v2")
    assert read_manifest(default)["recencySteps"] > 0


def test_event_type_filter_trains_on_that_type_only(small_data: TrainingData, run_training: TrainFn) -> None:
    lines: list[str] = []
    run_training(small_data, "aws-user-personalization", {"eventType": "purchase"}, progress=lines.append)
    purchases = int((small_data.interactions.event_type == "purchase").sum())
    assert any(f"training data: {purchases:,} interactions" in line for line in lines)


def test_update_mode_adds_new_items_and_keeps_the_ranker(small_data: TrainingData, run_training: TrainFn) -> None:
    _, full = run_training(small_data, "aws-user-personalization")
    frame = small_data.interactions
    # After the FULL training, 30 users go through three new items in order.
    users = np.repeat([f"u{k}" for k in range(30)], 3)
    items = np.tile(["new0", "new1", "new2"], 30)
    times = frame.timestamp.max() + 60 + np.arange(len(users))
    newer = TrainingData(
        type(frame)(
            user_id=np.concatenate([frame.user_id, users]),
            item_id=np.concatenate([frame.item_id, items]),
            timestamp=np.concatenate([frame.timestamp, times]),
            event_type=np.concatenate([frame.event_type, np.full(len(users), "click")]),
            event_value=np.concatenate([frame.event_value, np.full(len(users), 3.0)]),
        ),
        items=small_data.items, users=small_data.users,
    )
    lines: list[str] = []
    _, updated = run_training(newer, "aws-user-personalization", training_mode="UPDATE",
                              previous_model_dir=full, progress=lines.append)
    assert any("UPDATE" in line for line in lines)
    assert (updated / "ranker.txt").read_text() == (full / "ranker.txt").read_text()
    model = load_model(updated)
    recs = model.recommend(user_id="u150", item_id=None, num_results=5, recent=["new0", "new1"])
    assert "new2" in [item for item, _ in recs]


@pytest.fixture(scope="module")
def noise_data() -> TrainingData:
    """No structure at all: users pick items by popularity only (a grocery basket log's shape)."""
    data = synthetic_data(n_users=300, seed=11)
    rng = np.random.default_rng(0)
    frame = data.interactions
    popularity = 1.0 / (1.0 + np.arange(120)) ** 0.8
    noise = rng.choice(120, size=len(frame), p=popularity / popularity.sum())
    frame.item_id[:] = np.array([f"i{k}" for k in noise])
    return data


def test_groceries_like_noise_falls_back_before_the_ranker(noise_data: TrainingData,
                                                           run_training: TrainFn) -> None:
    lines: list[str] = []
    popular, _ = run_training(noise_data, "aws-popularity-count")
    personal, _ = run_training(noise_data, "aws-user-personalization", progress=lines.append)
    fallback = [line for line in lines if line.startswith("no candidate generator beat popularity")]
    assert len(fallback) == 1 and fallback[0].endswith("falling back to popularity without training the ranker")
    assert "held-out histories" in fallback[0]
    # Only the first held-out cut was scored (its scores are the check's); no second cut, no booster.
    assert not any("LightGBM" in line or "more held-out histories" in line for line in lines)
    # The prior ranks by the same weighted counts popularity-count does: the same answers.
    assert personal.metrics == pytest.approx(popular.metrics)


def test_planted_structure_trains_the_ranker(small_data: TrainingData, run_training: TrainFn) -> None:
    lines: list[str] = []
    run_training(small_data, "aws-user-personalization", progress=lines.append)
    verdict = [line for line in lines if "popularity (" in line]
    assert len(verdict) == 1 and verdict[0].startswith("candidate generators beat popularity (best generator ")
    assert any(line.startswith("training the LightGBM ranker on") for line in lines)


def test_a_seeded_sample_of_ranker_users_trains_the_ranker_on_large_logs(
        small_data: TrainingData, run_training: TrainFn, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``Knobs.ranker_users`` eligible users, that many (a seeded sample) give ranker examples."""
    knobs_for = personal_engine.knobs_for
    monkeypatch.setattr(personal_engine, "knobs_for", lambda ctx: replace(knobs_for(ctx), ranker_users=40))
    lines: list[str] = []
    run_training(small_data, "aws-user-personalization", progress=lines.append)
    assert "building ranker examples from 40 held-out histories and checking the candidate generators " \
        "against popularity on them" in lines
    assert "building ranker examples from 40 more held-out histories" in lines


def test_import_is_cheap() -> None:
    code = ("import sys, personalize_emulator.training as t; t.supported_recipes(); "
            "print(sorted(m for m in ('lightgbm', 'scipy', 'sklearn') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_recommend_counts_come_from_training_history(personal_model_dir: Path,
                                                     small_data: TrainingData) -> None:
    model = load_model(personal_model_dir)
    recs = model.recommend(user_id="u5", item_id=None, num_results=50)
    assert len({item for item, _ in recs}) == 50
    counts = Counter(small_data.interactions.item_id.tolist())
    assert all(item in counts for item, _ in recs)


def test_precomputed_answers_equal_the_online_ones(personal_model_dir: Path, small_data: TrainingData) -> None:
    """Known users are answered from the scores computed at save time: exactly what scoring now gives."""
    from personalize_emulator.training.personal.model import PRECOMPUTED, PersonalModel

    model = load_model(personal_model_dir)
    assert isinstance(model, PersonalModel) and model.precomputed is not None
    users = sorted(set(small_data.interactions.user_id.tolist()))
    assert model.precomputed[0].shape == (len(users), PRECOMPUTED)
    for user in users:
        ahead = model.recommend(user_id=user, item_id=None, num_results=25)
        online = model._recommend(user, (), 25)
        assert [item for item, _ in ahead] == [item for item, _ in online], user
        assert np.allclose([s for _, s in ahead], [s for _, s in online], rtol=0, atol=1e-12)
    # New events or a longer list than was precomputed take the online path.
    assert model._ahead(users[0], PRECOMPUTED + 1) is None
    steered = model.recommend(user_id=users[0], item_id=None, num_results=10, recent=["i3"])
    assert steered == model._recommend(users[0], ("i3",), 25)[:10]


@pytest.mark.parametrize("recent", [(), ("i2",)])
def test_every_answer_is_in_score_order(personal_model_dir: Path, recent: tuple[str, ...]) -> None:
    """Cold users (popular items) and users with a short history (scored items, popular filler)."""
    model = load_model(personal_model_dir)
    for user in ("newcomer", "u1"):
        answer = model.recommend(user_id=user, item_id=None, num_results=100, recent=list(recent))
        scores = [score for _, score in answer]
        assert scores == sorted(scores, reverse=True), (user, scores[:5])
        assert abs(sum(scores) - 1.0) < 1e-6 and min(scores) > 0


def testbest_by_keys_is_a_truncated_lexsort() -> None:
    # The popular filler sorts only what can make the list; it must equal the full sort's head,
    # ties on both keys included (small integer keys make ties the common case).
    rng = np.random.default_rng(3)
    for _ in range(2000):
        n = int(rng.integers(1, 60))
        first, second = rng.integers(0, 4, n).astype(float), rng.integers(0, 4, n).astype(float)
        codes = np.flatnonzero(rng.random(n) < 0.8)
        count = int(rng.integers(0, n + 3))
        expected = codes[np.lexsort((codes, -second[codes], -first[codes]))][:count]
        assert np.array_equal(best_by_keys(codes, first, second, count), expected)


def test_long_answers_fill_with_popular_items_in_order(personal_model_dir: Path) -> None:
    model = load_model(personal_model_dir)
    answer = model.recommend(user_id="u3", item_id=None, num_results=500)
    items = [item for item, _ in answer]
    assert len(items) == len(set(items)) == 120  # the whole catalogue, each item once
    scores = [score for _, score in answer]
    assert scores == sorted(scores, reverse=True) and sum(scores) == pytest.approx(1.0)
