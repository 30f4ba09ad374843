"""The emulator's recipes, run exactly as CreateSolutionVersion runs them: through ``train()``.

The metrics are GetSolutionMetrics' and the wall time is the whole CreateSolutionVersion
(preparation, fallback decision, ranker, evaluation, refit, save). :func:`run_recipe` can also hand
back the model ``train()`` evaluated: the one fitted on the training users only. The saved model
cannot be scored instead, because it is refit on every user, test users' truth included.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from personalize_emulator.training import TrainingData, TrainingJob, train
from personalize_emulator.training.split import Queries

__all__ = ["RECIPE", "run_recipe"]

RECIPE = "arn:aws:personalize:::recipe/"
#: Training-log lines worth keeping in the results: the popularity-fallback decision says so.
NOTABLE = ("beat popularity", "falling back", "falls back", "fell back")
#: The name ``pipeline`` calls to score the model it fitted on the training users.
HOOK = "evaluate"


@contextmanager
def _evaluated_models() -> Iterator[list[tuple[Any, Queries]]]:
    """Record each (fitted model, test queries) that ``train()`` passes to its evaluation."""
    from personalize_emulator.training import pipeline

    captured: list[tuple[Any, Queries]] = []
    original = getattr(pipeline, HOOK)

    def spy(fitted: Any, queries: Queries, catalogue_size: int, **options: Any) -> dict[str, float]:
        captured.append((fitted, queries))
        metrics: dict[str, float] = original(fitted, queries, catalogue_size, **options)
        return metrics

    setattr(pipeline, HOOK, spy)
    try:
        yield captured
    finally:
        setattr(pipeline, HOOK, original)


def run_recipe(data: TrainingData, recipe: str, *, seed: int, repeats: int, threads: int,
               progress: Callable[[str], None], keep_model: bool = False) -> dict[str, Any]:
    """Train ``recipe`` ``repeats`` times with split and training seed ``seed``.

    Returns metrics (checked identical across repeats), the median and every wall time, the notable
    training-log lines (and whether they say the model fell back to popularity), and with ``keep_model``
    the evaluated model and its test queries under "model".
    """
    times, metrics, lines = [], [], []
    model: tuple[Any, Queries] | None = None
    for repeat in range(repeats):
        progress(f"training {recipe} ({repeat + 1}/{repeats})")
        log: list[str] = []
        with tempfile.TemporaryDirectory() as out, _evaluated_models() as captured:
            start = time.perf_counter()
            outcome = train(TrainingJob(recipe_arn=RECIPE + recipe, solution={}, seed=seed, threads=threads,
                                        progress=log.append), data, Path(out))
            times.append(time.perf_counter() - start)
        metrics.append(outcome.metrics)
        lines = [line for line in log if any(word in line.lower() for word in NOTABLE)]
        if keep_model:
            if not captured:
                raise SystemExit(f"{recipe}: train() no longer calls pipeline.evaluate; update training_recipes")
            model = captured[-1]
    if any(m != metrics[0] for m in metrics):
        raise SystemExit(f"{recipe}: metrics differ between repeats with the same seed")
    result: dict[str, Any] = {"metrics": metrics[0], "seconds": statistics.median(times), "all_seconds": times,
                              "log": lines, "fell_back": any("back" in line for line in lines)}
    if model is not None:
        result["model"] = model
    return result
