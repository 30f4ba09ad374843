"""The training core: CreateSolutionVersion really learns, GetSolutionMetrics really measures.

Public contract (called by the control plane)::

    train(job: TrainingJob, data: TrainingData, out_dir: Path) -> TrainingOutcome
    load_model(model_dir: Path) -> Model          # .recommend(...), .rank(...)
    supported_recipes() -> frozenset[str]

Importing this package loads numpy only; scipy and LightGBM load when a model is trained or loaded.
Artefacts are JSON, ``.npz`` (``allow_pickle=False``) and LightGBM text: never pickle.

How each recipe's documented hyperparameters map onto the models is described in the module
docstrings of :mod:`.popular` (popularity-count, trending-now), :mod:`.related` (sims,
similar-items) and :mod:`.personal` (user-personalization(-v2), personalized-ranking(-v2)); the
evaluation protocol and metric definitions in :mod:`.split` and :mod:`.metrics`; HPO and AutoML in
:mod:`.hpo` and :mod:`.automl`.
"""

from __future__ import annotations

from pathlib import Path

from .data import Interactions, Table, TrainingData
from .errors import TrainingError, TrainingStopped
from .job import TrainingJob, TrainingOutcome
from .model import Model, load_model
from .registry import supported_recipes

__all__ = [
    "Interactions",
    "Model",
    "Table",
    "TrainingData",
    "TrainingError",
    "TrainingJob",
    "TrainingOutcome",
    "TrainingStopped",
    "load_model",
    "supported_recipes",
    "train",
]


def train(job: TrainingJob, data: TrainingData, out_dir: Path) -> TrainingOutcome:
    """Train one solution version into the empty directory ``out_dir``.

    Raises :class:`TrainingError` (its message is the failureReason) when training cannot succeed,
    and :class:`TrainingStopped` when ``job.should_stop()`` turned true.
    """
    from .create import run
    from .threads import limited_blas

    with limited_blas():
        return run(job, data, Path(out_dir))
