"""The HPO and AutoML charts: every trial drawn, the chosen one marked, labels escaped."""

from __future__ import annotations

from personalize_emulator.console.charts import automl_chart, hpo_chart

HPO = {"objective": "ndcg", "of": 3, "best": 2, "reason": "trial 2 beat the <defaults>", "trials": [
    {"trial": 1, "score": 0.2, "hyperparameters": {"a": "1", "b": "x<y"}},
    {"trial": 2, "score": 0.4, "hyperparameters": {"a": "3", "b": "z"}},
    {"trial": 3, "score": float("nan"), "hyperparameters": {"a": "2", "b": "z"}},
]}


def test_hpo_chart_draws_each_trial_and_marks_the_chosen_one() -> None:
    svg = hpo_chart(HPO)
    assert svg.count('<rect class="bar') == 3 and svg.count('<rect class="bar chosen"') == 1
    assert "trial 2: 0.4000 (a=3, b=z)" in svg and "x&lt;y" in svg and "x<y" not in svg
    assert 'aria-label="score by a"' in svg  # numeric hyperparameters get a scatter
    assert 'aria-label="score by b"' not in svg  # categorical ones do not
    assert "3 of 3 trials" in svg and "Chosen: trial 2 beat the &lt;defaults&gt;." in svg


def test_charts_before_any_result() -> None:
    assert "No HPO trial has finished yet" in hpo_chart({"trials": []})
    assert "No AutoML candidate has finished yet" in automl_chart({})


def test_automl_chart_puts_candidates_side_by_side() -> None:
    svg = automl_chart({"metric": "mrr", "best": "arn:r/two", "candidates": [
        {"candidate": 1, "recipeArn": "arn:r/one", "score": 0.1},
        {"candidate": 2, "recipeArn": "arn:r/two", "score": 0.3},
    ]})
    assert ">one</text>" in svg and ">two</text>" in svg and svg.count("(best)") == 1
    assert svg.count('<rect class="bar chosen"') == 1
