"""Hyperparameter optimisation: a seeded random search scored on a validation split.

- The search space is ``hpoConfig.algorithmHyperParameterRanges`` (integer, continuous,
  categorical); when it names nothing, every tunable hyperparameter of the recipe with its
  documented range.
- ``maxNumberOfTrainingJobs`` trials (<= 40; default 10): the first trial is the recipe's defaults
  (clipped into the ranges), the others are drawn uniformly with the job's seed. Duplicates are drawn
  again, so small spaces are searched exhaustively rather than repeatedly.
- ``maxParallelTrainingJobs`` (<= 10; default 2) trials run at once, further bounded by the job's
  thread budget; each trial gets an equal share of the threads.
- Trials train on the training users minus a validation tenth and are scored on that tenth with
  Personalize's protocol; the test users are never seen. The objective is
  :data:`HPO_OBJECTIVE` (Personalize does not let ``hpoObjective`` be chosen).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from personalize_emulator.rules import Recipe

from .engine import Engine, FitContext
from .errors import TrainingError
from .evaluate import evaluate
from .log import Log
from .settings import HpoSettings
from .split import Queries, personalize_split

__all__ = ["HPO_OBJECTIVE", "MAX_PARALLEL", "MAX_TRIALS", "sample_trials", "search_space", "tune"]

HPO_OBJECTIVE = "normalized_discounted_cumulative_gain_at_25"
MAX_TRIALS = 40
MAX_PARALLEL = 10
Space = list[tuple[str, str, Any]]  # (name, kind, (low, high) or values)


def search_space(recipe: Recipe, hpo: HpoSettings) -> Space:
    """The ranges to search: the solution's, or the recipe's documented tunable ranges."""
    space: Space = [(name, "integer", (low, high)) for name, low, high in hpo.integer]
    space += [(name, "continuous", (low, high)) for name, low, high in hpo.continuous]
    space += [(name, "categorical", tuple(values)) for name, values in hpo.categorical if values]
    if space:
        return space
    for hp in recipe.hyperparameters:
        if not hp.tunable:
            continue
        if hp.kind == "categorical":
            space.append((hp.name, "categorical", hp.values))
        else:
            space.append((hp.name, hp.kind, (hp.min, hp.max)))
    if not space:
        raise TrainingError(f"performHPO is true but {recipe.name} has no tunable hyperparameters; "
                            "set performHPO to false.")
    return space


def _format(kind: str, value: float | str) -> str:
    if kind == "integer":
        return str(int(value))
    if kind == "continuous":
        return repr(round(float(value), 6))
    return str(value)


def _default(recipe: Recipe, name: str, kind: str, domain: Any) -> str:
    hp = recipe.hyperparameter(name)
    if kind == "categorical":
        return hp.default if hp is not None and hp.default in domain else str(domain[0])
    low, high = domain
    value = float(hp.default) if hp is not None else (low + high) / 2
    return _format(kind, min(max(value, low), high))


def _draw(rng: np.random.Generator, kind: str, domain: Any) -> str:
    if kind == "categorical":
        return str(domain[int(rng.integers(len(domain)))])
    low, high = domain
    if kind == "integer":
        return _format(kind, int(rng.integers(int(low), int(high), endpoint=True)))
    return _format(kind, rng.uniform(float(low), float(high)))


def sample_trials(recipe: Recipe, space: Space, count: int, seed: int) -> list[dict[str, str]]:
    """``count`` distinct assignments (fewer if the space is smaller), defaults first."""
    rng = np.random.default_rng(seed)
    trials = [{name: _default(recipe, name, kind, domain) for name, kind, domain in space}]
    attempts = 0
    while len(trials) < count and attempts < 50 * count:
        attempts += 1
        trial = {name: _draw(rng, kind, domain) for name, kind, domain in space}
        if trial not in trials:
            trials.append(trial)
    return trials


def _score(engine: Engine, log: Log, queries: Queries, ctx: FitContext, *, values: Mapping[str, str],
           threads: int) -> float:
    trial_ctx = ctx.trial(ctx.settings.with_hyperparameters(values), threads)
    fitted = engine.fit(log, trial_ctx)
    return evaluate(fitted, queries, log.n_items)[HPO_OBJECTIVE]


def tune(engine: Engine, log: Log, ctx: FitContext) -> tuple[FitContext, dict[str, dict[str, str]]]:
    """Search on a validation split of ``log`` (the training users); returns the best settings."""
    hpo = ctx.settings.hpo
    space = search_space(ctx.recipe, hpo)
    count = max(1, min(hpo.max_jobs, MAX_TRIALS))
    trials = sample_trials(ctx.recipe, space, count, ctx.seed)
    parallel = max(1, min(hpo.max_parallel, MAX_PARALLEL, ctx.threads, len(trials)))
    threads = max(1, ctx.threads // parallel)
    fit_log, validation = personalize_split(log, ctx.seed + 1)
    ctx.checkpoint(f"HPO: {len(trials)} training jobs, {parallel} at a time, scored by {HPO_OBJECTIVE} on "
                   f"{len(validation)} validation users")
    scores: list[float] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for start in range(0, len(trials), parallel):
            ctx.checkpoint(f"HPO: starting trials {start + 1}-{min(start + parallel, len(trials))}")
            batch = trials[start:start + parallel]
            futures = [pool.submit(_score, engine, fit_log, validation, ctx, values=t, threads=threads) for t in batch]
            for offset, future in enumerate(futures):
                scores.append(future.result())
                values = ", ".join(f"{k}={v}" for k, v in batch[offset].items())
                ctx.progress(f"trial {start + offset + 1} of {len(trials)}: {HPO_OBJECTIVE}="
                             f"{scores[-1]:.4f} ({values})")
    best = int(np.argmax(scores))  # ties: the earliest trial (the defaults first)
    chosen = trials[best]
    ctx.progress(f"HPO: best trial {best + 1} ({HPO_OBJECTIVE}={scores[best]:.4f})")
    settings = ctx.settings.with_hyperparameters(chosen)
    tuned = {hp.name: settings.hyperparameters.get(hp.name, hp.default) for hp in ctx.recipe.hyperparameters}
    return ctx.with_settings(settings), {"algorithmHyperParameters": tuned}
