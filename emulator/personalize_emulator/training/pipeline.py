"""One recipe from start to finish: split, (tune), fit, evaluate, refit, save.

The metrics come from a model trained on the training users only (Personalize's split); the saved
model is then refit on every user so the campaign knows everyone. HPO and AutoML choose on a
validation split carved out of the training users, never from the test users.
"""

from __future__ import annotations

from pathlib import Path

from personalize_api import Recipe

from .data import TrainingData
from .engine import FitContext
from .evaluate import average_rewards_at_k, evaluate
from .job import TrainingJob, TrainingOutcome
from .log import Log, build_log
from .registry import engine_for
from .settings import Settings
from .split import personalize_split
from .threads import thread_budget

__all__ = ["prepare", "train_recipe"]


def _context(job: TrainingJob, recipe: Recipe, settings: Settings, data: TrainingData) -> FitContext:
    return FitContext(
        recipe=recipe,
        settings=settings,
        data=data,
        seed=job.seed,
        threads=thread_budget(job.threads),
        progress=job.progress,
        report=job.report,
        should_stop=job.should_stop,
    )


def prepare(job: TrainingJob, data: TrainingData, settings: Settings) -> Log:
    job.checkpoint(f"preparing {len(data.interactions):,} interactions")
    log = build_log(data, settings)
    job.progress(f"training data: {len(log):,} interactions, {log.n_users:,} users, {log.n_items:,} items")
    return log


def train_recipe(
    *,
    job: TrainingJob, recipe: Recipe, settings: Settings, data: TrainingData, log: Log, out_dir: Path
) -> TrainingOutcome:
    """Train ``recipe`` with ``settings`` (HPO applied first when the solution asks for it)."""
    ctx = _context(job, recipe, settings, data)
    engine = engine_for(recipe)
    train_log, test = personalize_split(log, job.seed)
    tuned = None
    if settings.perform_hpo:
        from .hpo import tune

        ctx, tuned = tune(engine, train_log, ctx)
    update = job.training_mode == "UPDATE"
    job.checkpoint(f"training {recipe.name} on {len(train_log):,} interactions of the training users")
    if update and job.previous_model_dir is not None:
        fitted = engine.update(job.previous_model_dir, train_log, ctx)
    else:
        fitted = engine.fit(train_log, ctx)
    job.checkpoint(f"evaluating on {len(test)} held-out users")
    metrics = evaluate(fitted, test, log.n_items)
    rewards = getattr(fitted, "objective", None)
    if settings.objective_attribute and rewards is not None:
        average = average_rewards_at_k(fitted, test, rewards)
        if average is not None:  # AWS documents the key; with no rewarded held-out item there is no value
            metrics["average_rewards_at_k"] = average
    job.progress("metrics: " + ", ".join(f"{k}={v:.4f}" for k, v in metrics.items()))
    job.checkpoint("training the served model on all users")
    final = engine.refit(fitted, log, ctx)
    job.checkpoint("saving the model")
    final.save(out_dir)
    return TrainingOutcome(metrics=metrics, tuned_hpo_params=tuned, best_recipe_arn=None,
                           recipe_arn=recipe.arn)
