"""HPO (ranges, limits, validation split, tunedHPOParams) and AutoML (recipeList, metricName)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from personalize_api import RECIPES
from personalize_emulator.training import TrainingData, TrainingError, TrainingStopped
from personalize_emulator.training import pipeline as pipeline_module
from personalize_emulator.training.engine import Engine, FitContext
from personalize_emulator.training.hpo import HPO_OBJECTIVE, choose_trial, data_seed, sample_trials, search_space
from personalize_emulator.training.log import Log, build_log
from personalize_emulator.training.model import Fitted
from personalize_emulator.training.personal.engine import PersonalEngine
from personalize_emulator.training.settings import HpoSettings, Settings
from personalize_emulator.training.split import personalize_split

from .conftest import RECIPE, TrainFn

SIMS = RECIPES["aws-sims"]
SIMS_HPO: dict[str, Any] = {
    "performHPO": True,
    "solutionConfig": {"hpoConfig": {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "5", "maxParallelTrainingJobs": "3"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "min_cointeraction_count", "minValue": 1, "maxValue": 6}],
            "continuousHyperParameterRanges": [{"name": "popularity_discount_factor", "minValue": 0.1,
                                                "maxValue": 0.9}],
        },
    }},
}


def test_trials_are_distinct_within_ranges_and_start_with_defaults() -> None:
    space = search_space(SIMS, HpoSettings(integer=(("min_cointeraction_count", 1, 6),),
                                           continuous=(("popularity_discount_factor", 0.1, 0.9),)))
    trials = sample_trials(SIMS, space, 12, seed=4)
    assert len(trials) == 12
    assert trials[0] == {"min_cointeraction_count": "3", "popularity_discount_factor": "0.5"}
    assert len({tuple(sorted(t.items())) for t in trials}) == 12
    for trial in trials:
        assert 1 <= int(trial["min_cointeraction_count"]) <= 6
        assert 0.1 <= float(trial["popularity_discount_factor"]) <= 0.9
    assert sample_trials(SIMS, space, 12, seed=4) == trials


def test_small_spaces_are_not_repeated() -> None:
    space = search_space(RECIPES["aws-user-personalization"], HpoSettings(
        categorical=(("recency_mask", ("True", "False")),)))
    assert len(sample_trials(RECIPES["aws-user-personalization"], space, 40, seed=0)) == 2


def test_trials_that_train_the_same_model_are_drawn_again(small_data: TrainingData) -> None:
    # recency_mask is read case-insensitively: "False" and "false" are one model, trained once.
    recipe = RECIPES["aws-user-personalization"]
    space = search_space(recipe, HpoSettings(categorical=(("recency_mask", ("True", "False", "false")),)))
    ctx = FitContext(recipe=recipe, settings=Settings(), data=small_data)

    def same_model(values: dict[str, str]) -> object:
        return PersonalEngine("USER_PERSONALIZATION").configuration(
            ctx.with_settings(ctx.settings.with_hyperparameters(values)))

    trials = sample_trials(recipe, space, 40, seed=0, same_model=same_model)
    assert len(trials) == 2 and trials[0] == {"recency_mask": "True"}
    assert len(sample_trials(recipe, space, 40, seed=0)) == 3  # by value, all three differ


def test_trials_are_seeded_by_the_data(small_data: TrainingData) -> None:
    log = build_log(small_data, Settings())
    other = log.take(np.arange(len(log)) % 3 != 0)
    assert data_seed(log, 0) == data_seed(build_log(small_data, Settings()), 0)
    assert data_seed(log, 0) != data_seed(other, 0) and data_seed(log, 0) != data_seed(log, 1)
    space = search_space(SIMS, HpoSettings())
    assert sample_trials(SIMS, space, 5, data_seed(log, 0)) != sample_trials(SIMS, space, 5, data_seed(other, 0))


def test_a_trial_replaces_the_defaults_only_when_it_clearly_wins() -> None:
    defaults = np.array([0.2, 0.4, 0.1, 0.3] * 25)
    noise = np.random.default_rng(0).normal(0, 0.2, len(defaults))
    lucky = defaults + noise + 0.01  # higher on average, by less than its noise
    better = defaults + 0.05  # higher on every user
    assert choose_trial([defaults, lucky])[0] == 0
    assert "keeping the defaults" in choose_trial([defaults, lucky])[1]
    assert choose_trial([defaults, lucky, better])[0] == 2
    assert choose_trial([defaults, defaults - 0.1])[0] == 0  # never worse than the defaults


def test_default_space_is_the_recipes_tunable_hyperparameters() -> None:
    names = [name for name, _, _ in search_space(SIMS, HpoSettings())]
    assert names == ["popularity_discount_factor", "min_cointeraction_count"]
    with pytest.raises(TrainingError, match="no tunable hyperparameters"):
        search_space(RECIPES["aws-popularity-count"], HpoSettings())


def test_hpo_runs_the_requested_jobs_and_reports_tuned_params(small_data: TrainingData,
                                                              run_training: TrainFn) -> None:
    lines: list[str] = []
    outcome, _ = run_training(small_data, "aws-sims", SIMS_HPO, progress=lines.append, threads=2)
    trials = [line for line in lines if line.startswith("trial ")]
    assert len(trials) == 5 and trials[-1].startswith("trial 5 of 5: " + HPO_OBJECTIVE)
    assert any("2 at a time" in line for line in lines)  # 3 asked, bounded by the 2 threads
    assert outcome.tuned_hpo_params is not None
    tuned = outcome.tuned_hpo_params["algorithmHyperParameters"]
    assert set(tuned) == {hp.name for hp in SIMS.hyperparameters}
    assert 1 <= int(tuned["min_cointeraction_count"]) <= 6
    assert 0.1 <= float(tuned["popularity_discount_factor"]) <= 0.9


def test_hpo_is_deterministic(small_data: TrainingData, run_training: TrainFn) -> None:
    first, _ = run_training(small_data, "aws-sims", SIMS_HPO, seed=2)
    second, _ = run_training(small_data, "aws-sims", SIMS_HPO, seed=2)
    assert first.tuned_hpo_params == second.tuned_hpo_params
    assert first.metrics == second.metrics


class _Recording(Engine):
    """Wraps a real engine and records which users each fit saw."""

    def __init__(self, inner: Engine, seen: list[set[int]]) -> None:
        self.inner, self.seen, self.recipe_type = inner, seen, inner.recipe_type

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        self.seen.append(set(np.unique(log.user).tolist()))
        return self.inner.fit(log, ctx)


def test_trials_never_see_the_test_users(small_data: TrainingData, run_training: TrainFn,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[set[int]] = []
    real = pipeline_module.engine_for
    monkeypatch.setattr(pipeline_module, "engine_for", lambda recipe: _Recording(real(recipe), seen))
    run_training(small_data, "aws-sims", SIMS_HPO, seed=1)
    _, test = personalize_split(build_log(small_data, Settings()), seed=1)
    test_users = set(test.user.tolist())
    # Five trials and the evaluated fit never see a test user; only the served refit uses everyone.
    assert len(seen) == 5 + 1 + 1
    assert all(not (users & test_users) for users in seen[:6])
    assert test_users <= seen[6]


def test_stop_request_interrupts_hpo(small_data: TrainingData, run_training: TrainFn) -> None:
    calls = iter(range(1000))
    with pytest.raises(TrainingStopped):
        run_training(small_data, "aws-sims", SIMS_HPO, should_stop=lambda: next(calls) > 3)


@pytest.mark.slow
def test_hpo_tunes_user_personalization(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"performHPO": True, "solutionConfig": {"hpoConfig": {
        "hpoResourceConfig": {"maxNumberOfTrainingJobs": "3", "maxParallelTrainingJobs": "2"},
        "algorithmHyperParameterRanges": {
            "integerHyperParameterRanges": [{"name": "bptt", "minValue": 2, "maxValue": 32}],
            "categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["True", "False"]}],
        }}}}
    outcome, _ = run_training(small_data, "aws-user-personalization", solution)
    assert outcome.tuned_hpo_params is not None
    tuned = outcome.tuned_hpo_params["algorithmHyperParameters"]
    assert tuned["recency_mask"] in {"True", "False"} and 2 <= int(tuned["bptt"]) <= 32
    assert tuned["hidden_dimension"] == "149"


@pytest.mark.slow
def test_automl_keeps_the_best_recipe(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"performAutoML": True, "solutionConfig": {"autoMLConfig": {
        "metricName": "precision_at_25",
        "recipeList": [RECIPE + "aws-user-personalization", RECIPE + "aws-user-personalization-v2"]}}}
    lines: list[str] = []
    outcome, _ = run_training(small_data, None, solution, progress=lines.append)
    assert outcome.best_recipe_arn in solution["solutionConfig"]["autoMLConfig"]["recipeList"]
    assert outcome.recipe_arn == outcome.best_recipe_arn
    assert sum("AutoML candidate" in line and "precision_at_25=" in line for line in lines) == 2
    assert outcome.metrics["precision_at_25"] > 0


def test_automl_without_a_trainable_recipe_fails_clearly(small_data: TrainingData, run_training: TrainFn) -> None:
    solution = {"performAutoML": True, "solutionConfig": {"autoMLConfig": {
        "recipeList": [RECIPE + "aws-hrnn"]}}}
    with pytest.raises(TrainingError, match="AutoML found no recipe"):
        run_training(small_data, None, solution)
