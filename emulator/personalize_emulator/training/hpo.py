"""Hyperparameter optimisation: a seeded random search scored on a validation split.

- The search space is ``hpoConfig.algorithmHyperParameterRanges`` (integer, continuous,
  categorical); when it names nothing, every tunable hyperparameter of the recipe with its
  documented range.
- ``maxNumberOfTrainingJobs`` trials (<= 40; default 10): the first trial is the recipe's defaults
  (clipped into the ranges), the others are drawn uniformly with a seed taken from the job's seed
  *and the data* (so two data sets do not get the same trials). A draw that would train the same
  model as an earlier trial (:meth:`.engine.Engine.configuration`: e.g. two ``hidden_dimension``
  values that give the same trees) is drawn again, so small spaces are searched exhaustively rather
  than repeatedly, and no trial is paid for twice.
- ``maxParallelTrainingJobs`` (<= 10; default 2) trials run at once, further bounded by the job's
  thread budget; each trial gets an equal share of the threads.
- Trials train on the training users minus a validation tenth and are scored on that tenth with
  Personalize's protocol; the test users are never seen. The objective is
  :data:`HPO_OBJECTIVE` (Personalize does not let ``hpoObjective`` be chosen).
- The best trial replaces the defaults only when it beats them by :data:`SIGNIFICANCE` standard
  errors of the per-user difference on the validation users. Picking the best of ten noisy scores
  otherwise rewards noise: on ml-latest-small's ~60 validation users the "winner" scored lower on
  the test users than the defaults. So a tuned model is never worse on validation than the defaults,
  and it is only chosen when the gain is more than the search's own noise.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from personalize_api import Recipe
from personalize_api.solution import MAX_HPO_PARALLEL_JOBS, MAX_HPO_TRAINING_JOBS

from .engine import Engine, FitContext
from .errors import TrainingError
from .evaluate import ndcg_of_each_query
from .log import Log
from .settings import HpoSettings
from .split import Queries, personalize_split

__all__ = ["HPO_OBJECTIVE", "choose_trial", "data_seed", "sample_trials", "search_space", "tune"]

HPO_OBJECTIVE = "normalized_discounted_cumulative_gain_at_25"
OBJECTIVE_K = 25
SIGNIFICANCE = 2.0
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


def sample_trials(recipe: Recipe, space: Space, count: int, seed: int,
                  same_model: Callable[[dict[str, str]], Hashable] | None = None) -> list[dict[str, str]]:
    """``count`` distinct assignments (fewer if the space is smaller), defaults first.

    Two assignments are the same when ``same_model`` maps them to the same key (by default: equal
    values).
    """
    key: Callable[[dict[str, str]], Hashable] = same_model or (lambda trial: tuple(sorted(trial.items())))
    rng = np.random.default_rng(seed)
    trials = [{name: _default(recipe, name, kind, domain) for name, kind, domain in space}]
    seen = {key(trials[0])}
    attempts = 0
    while len(trials) < count and attempts < 50 * count:
        attempts += 1
        trial = {name: _draw(rng, kind, domain) for name, kind, domain in space}
        model = key(trial)
        if model not in seen:
            seen.add(model)
            trials.append(trial)
    return trials


def data_seed(log: Log, seed: int) -> int:
    """The job's seed mixed with a fingerprint of the data: same data, same trials; other data, others."""
    fingerprint = zlib.crc32(np.ascontiguousarray(log.item).tobytes())
    fingerprint = zlib.crc32(np.ascontiguousarray(log.user).tobytes(), fingerprint)
    return (seed * 1_000_003 + fingerprint) % (2**32)


def _score(engine: Engine, log: Log, queries: Queries, ctx: FitContext, *, values: Mapping[str, str],
           threads: int) -> np.ndarray:
    trial_ctx = ctx.trial(ctx.settings.with_hyperparameters(values), threads)
    fitted = engine.fit(log, trial_ctx)
    return ndcg_of_each_query(fitted, queries, OBJECTIVE_K)


def choose_trial(scores: list[np.ndarray]) -> tuple[int, str]:
    """The trial to keep (0 = the defaults) and why: the best, if it clearly beats the defaults."""
    best = int(np.argmax([float(s.mean()) for s in scores]))  # ties: the earliest trial
    if best == 0:
        return 0, "the defaults scored best"
    difference = scores[best] - scores[0]
    error = float(difference.std() / np.sqrt(max(len(difference), 1)))
    gain = float(difference.mean())
    if gain <= SIGNIFICANCE * error:
        return 0, (f"trial {best + 1} beat the defaults by {gain:+.4f}, within {SIGNIFICANCE:g} standard errors "
                   f"({error:.4f}) on the validation users: keeping the defaults")
    return best, f"trial {best + 1} beat the defaults by {gain:+.4f} (standard error {error:.4f})"


def tune(engine: Engine, log: Log, ctx: FitContext) -> tuple[FitContext, dict[str, dict[str, str]]]:
    """Search on a validation split of ``log`` (the training users); returns the chosen settings."""
    hpo = ctx.settings.hpo
    space = search_space(ctx.recipe, hpo)
    count = max(1, min(hpo.max_jobs, MAX_HPO_TRAINING_JOBS))

    def same_model(values: dict[str, str]) -> Hashable:
        return engine.configuration(ctx.with_settings(ctx.settings.with_hyperparameters(values)))

    trials = sample_trials(ctx.recipe, space, count, data_seed(log, ctx.seed), same_model)
    parallel = max(1, min(hpo.max_parallel, MAX_HPO_PARALLEL_JOBS, ctx.threads, len(trials)))
    threads = max(1, ctx.threads // parallel)
    fit_log, validation = personalize_split(log, ctx.seed + 1)
    ctx.checkpoint(f"HPO: {len(trials)} training jobs, {parallel} at a time, scored by {HPO_OBJECTIVE} on "
                   f"{len(validation)} validation users")
    scores: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for start in range(0, len(trials), parallel):
            ctx.checkpoint(f"HPO: starting trials {start + 1}-{min(start + parallel, len(trials))}")
            batch = trials[start:start + parallel]
            futures = [pool.submit(_score, engine, fit_log, validation, ctx, values=t, threads=threads) for t in batch]
            for offset, future in enumerate(futures):
                scores.append(future.result())
                values = ", ".join(f"{k}={v}" for k, v in batch[offset].items())
                ctx.progress(f"trial {start + offset + 1} of {len(trials)}: {HPO_OBJECTIVE}="
                             f"{float(scores[-1].mean()):.4f} ({values})")
                ctx.report("hpo_trial", {"trial": start + offset + 1, "of": len(trials), "objective": HPO_OBJECTIVE,
                                         "score": float(scores[-1].mean()), "hyperparameters": dict(batch[offset])})
    chosen, reason = choose_trial(scores)
    ctx.progress(f"HPO: {reason}; using trial {chosen + 1} ({HPO_OBJECTIVE}={float(scores[chosen].mean()):.4f})")
    ctx.report("hpo_best", {"trial": chosen + 1, "reason": reason})
    settings = ctx.settings.with_hyperparameters(trials[chosen])
    tuned = {hp.name: settings.hyperparameters.get(hp.name, hp.default) for hp in ctx.recipe.hyperparameters}
    return ctx.with_settings(settings), {"algorithmHyperParameters": tuned}
