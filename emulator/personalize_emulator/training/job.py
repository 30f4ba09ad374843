"""What the control plane hands to :func:`train` and what it gets back.

The job carries the solution's CreateSolution parameters exactly as the API spells them (camelCase),
already validated by :mod:`personalize_api`; training only interprets them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TrainingStopped

__all__ = ["TrainingJob", "TrainingOutcome"]


def _no_progress(_line: str) -> None:
    return None


def _no_report(_kind: str, _facts: Mapping[str, Any]) -> None:
    return None


def _never_stop() -> bool:
    return False


@dataclass
class TrainingJob:
    """One CreateSolutionVersion request.

    ``recipe_arn`` is None when the solution has ``performAutoML=true``; ``previous_model_dir`` holds
    the latest ACTIVE FULL version's artefacts for ``training_mode="UPDATE"``. ``threads`` bounds the
    LightGBM and BLAS threads used; ``progress`` receives human-readable lines; ``report`` receives
    the same milestones as data (``"hpo_trial"``, ``"hpo_best"``, ``"automl_candidate"``,
    ``"automl_best"``), so a console can chart them without parsing lines; ``should_stop`` is
    polled between stages and HPO trials.
    """

    recipe_arn: str | None
    solution: Mapping[str, Any]
    training_mode: str = "FULL"
    previous_model_dir: Path | None = None
    seed: int = 0
    threads: int = 2
    progress: Callable[[str], None] = field(default=_no_progress)
    report: Callable[[str, Mapping[str, Any]], None] = field(default=_no_report)
    should_stop: Callable[[], bool] = field(default=_never_stop)

    def checkpoint(self, stage: str) -> None:
        """Report ``stage`` and stop here if StopSolutionVersionCreation was called."""
        if self.should_stop():
            raise TrainingStopped(f"Training was stopped by StopSolutionVersionCreation before {stage}.")
        self.progress(stage)


@dataclass
class TrainingOutcome:
    """What GetSolutionMetrics and DescribeSolutionVersion report about a finished training."""

    metrics: dict[str, float]
    tuned_hpo_params: dict[str, dict[str, str]] | None
    best_recipe_arn: str | None
    recipe_arn: str
