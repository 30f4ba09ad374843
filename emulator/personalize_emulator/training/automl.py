"""AutoML: train each recipe of ``autoMLConfig.recipeList`` and keep the best by ``metricName``.

Candidates are scored on a validation split of the training users (never the test users), each
with its default hyperparameters; the winner is then trained like any solution (its metrics come
from the test users) and reported as ``autoMLResult.bestRecipeArn``. As the API documents, only
``autoMLConfig`` of the solutionConfig is used; the solution's ``eventType`` still filters events.
Without a recipeList the emulator's USER_PERSONALIZATION recipes are tried; without a metricName
:data:`~.hpo.HPO_OBJECTIVE` decides.
"""

from __future__ import annotations

from pathlib import Path

from personalize_api import AUTOML_RECIPES, Recipe, recipe_by_arn

from .data import TrainingData
from .engine import FitContext
from .errors import TrainingError
from .evaluate import evaluate
from .hpo import HPO_OBJECTIVE
from .job import TrainingJob, TrainingOutcome
from .log import build_log
from .pipeline import train_recipe
from .registry import engine_for, supported_recipes
from .settings import parse_settings
from .split import personalize_split
from .threads import thread_budget

__all__ = ["run_automl"]


def _candidates(arns: tuple[str, ...]) -> list[Recipe]:
    if not arns:
        return [r for r in AUTOML_RECIPES if r.name in supported_recipes()]
    chosen = []
    for arn in arns:
        recipe = recipe_by_arn(arn)
        if recipe is not None and recipe.name in supported_recipes() and recipe not in chosen:
            chosen.append(recipe)
    return chosen


def run_automl(job: TrainingJob, data: TrainingData, out_dir: Path) -> TrainingOutcome:
    """The body of :func:`~personalize_emulator.training.train` when ``performAutoML`` is true."""
    settings = parse_settings(job.solution, None)
    recipes = _candidates(settings.automl_recipes)
    if not recipes:
        raise TrainingError("AutoML found no recipe in autoMLConfig.recipeList that this emulator trains; "
                            f"use one of {', '.join(sorted(supported_recipes()))}.")
    metric = settings.automl_metric or HPO_OBJECTIVE
    base = parse_settings({"eventType": job.solution.get("eventType")}, None)
    job.checkpoint(f"preparing {len(data.interactions):,} interactions")
    log = build_log(data, base)
    train_log, _ = personalize_split(log, job.seed)
    fit_log, validation = personalize_split(train_log, job.seed + 1)
    scores = []
    for index, recipe in enumerate(recipes):
        job.checkpoint(f"AutoML: training candidate {index + 1} of {len(recipes)} ({recipe.name})")
        ctx = FitContext(recipe=recipe, settings=parse_settings({"eventType": job.solution.get("eventType")},
                                                                recipe),
                         data=data, seed=job.seed, threads=thread_budget(job.threads), should_stop=job.should_stop)
        fitted = engine_for(recipe).fit(fit_log, ctx)
        scores.append(evaluate(fitted, validation, log.n_items)[metric])
        job.progress(f"AutoML candidate {recipe.name}: {metric}={scores[-1]:.4f}")
        job.report("automl_candidate", {"candidate": index + 1, "of": len(recipes), "recipeArn": recipe.arn,
                                        "metric": metric, "score": scores[-1]})
    best = recipes[max(range(len(recipes)), key=lambda i: (scores[i], -i))]
    job.progress(f"AutoML: best recipe {best.name}")
    job.report("automl_best", {"recipeArn": best.arn})
    outcome = train_recipe(job=job, recipe=best, settings=parse_settings(
        {"eventType": job.solution.get("eventType")}, best), data=data, log=log, out_dir=out_dir)
    outcome.best_recipe_arn = best.arn
    return outcome
