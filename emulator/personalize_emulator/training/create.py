"""CreateSolutionVersion's training: AutoML, or one recipe through :mod:`.pipeline`.

Kept apart from :mod:`.pipeline` so that AutoML (which trains its winner through the pipeline)
and the pipeline do not import each other.
"""

from __future__ import annotations

from pathlib import Path

from .automl import run_automl
from .data import TrainingData
from .errors import TrainingError
from .job import TrainingJob, TrainingOutcome
from .pipeline import prepare, train_recipe
from .registry import resolve_recipe
from .settings import parse_settings

__all__ = ["run"]


def run(job: TrainingJob, data: TrainingData, out_dir: Path) -> TrainingOutcome:
    """The body of :func:`personalize_emulator.training.train`."""
    if job.recipe_arn is None:
        return run_automl(job, data, out_dir)
    recipe = resolve_recipe(job.recipe_arn)
    settings = parse_settings(job.solution, recipe)
    log = prepare(job, data, settings)
    try:
        return train_recipe(job=job, recipe=recipe, settings=settings, data=data, log=log,
                            out_dir=Path(out_dir))
    except MemoryError:
        message = "Training ran out of memory; use fewer interactions or a smaller catalogue."
        raise TrainingError(message) from None
