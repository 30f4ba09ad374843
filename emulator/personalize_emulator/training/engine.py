"""How a recipe family trains: the interface the pipeline drives, and the context it passes.

An :class:`Engine` fits a :class:`~.model.Fitted` model on a :class:`~.log.Log`. ``refit`` trains the
served model on all data after evaluation (engines with an expensive learned part reuse it), and
``update`` is trainingMode=UPDATE (engines that cannot update incrementally train in full).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from personalize_api import Recipe

from .data import TrainingData
from .errors import TrainingError, TrainingStopped
from .log import Log
from .model import Fitted
from .settings import Settings

__all__ = ["Engine", "FitContext"]


def _silent(_line: str) -> None:
    return None


def _unreported(_kind: str, _facts: Mapping[str, Any]) -> None:
    return None


def _never() -> bool:
    return False


@dataclass(frozen=True)
class FitContext:
    """What a fit may use besides the log: the solution's settings, metadata tables, resources."""

    recipe: Recipe
    settings: Settings
    data: TrainingData
    seed: int = 0
    threads: int = 2
    progress: Callable[[str], None] = _silent
    report: Callable[[str, Mapping[str, Any]], None] = _unreported  # milestones as data (see TrainingJob)
    should_stop: Callable[[], bool] = _never

    def checkpoint(self, stage: str) -> None:
        """Report ``stage``; raise :class:`TrainingStopped` if StopSolutionVersionCreation was called."""
        if self.should_stop():
            raise TrainingStopped(f"Training was stopped by StopSolutionVersionCreation before {stage}.")
        self.progress(stage)

    def with_settings(self, settings: Settings) -> FitContext:
        return replace(self, settings=settings)

    def trial(self, settings: Settings, threads: int) -> FitContext:
        """A quiet context for one HPO trial or AutoML candidate."""
        return replace(self, settings=settings, threads=max(1, threads), progress=_silent, report=_unreported)

    def hyperparameter(self, name: str) -> str:
        """The solution's value for ``name`` or the recipe's documented default."""
        value = self.settings.hyperparameters.get(name)
        if value is None:
            hp = self.recipe.hyperparameter(name)
            value = hp.default if hp is not None else ""
        return value

    def float_hyperparameter(self, name: str) -> float:
        value = self.hyperparameter(name)
        try:
            return float(value)
        except ValueError:
            raise TrainingError(f"Hyperparameter {name} must be a number; got {value!r}.") from None


class Engine(ABC):
    """Trains one family of recipes."""

    recipe_type: str

    @abstractmethod
    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        """Train on ``log``."""

    def configuration(self, ctx: FitContext) -> Hashable:
        """What the fitted model depends on among ``ctx``'s hyperparameters (equal: the same model).

        HPO never trains two trials with equal configurations. By default every value counts.
        """
        return tuple(sorted(ctx.settings.hyperparameters.items()))

    def refit(self, fitted: Fitted, log: Log, ctx: FitContext) -> Fitted:
        """The served model on all of ``log``, after ``fitted`` (trained on the split) was evaluated."""
        del fitted
        return self.fit(log, ctx)

    def update(self, previous: Path, log: Log, ctx: FitContext) -> Fitted:
        """trainingMode=UPDATE from the previous FULL version's artefacts; default: train in full."""
        del previous
        return self.fit(log, ctx)
