"""A trained solution version as the runtime sees it, and the loader for its artefacts.

:class:`Model` is what GetRecommendations and GetPersonalizedRanking call. Every recipe family
implements it on a class that is also :class:`Fitted` (the training-side interface on integer item
codes used for evaluation), so the object that is evaluated is exactly the object that is saved and
served.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .artifacts import read_manifest
from .errors import TrainingError
from .split import Queries

__all__ = ["Fitted", "Model", "best_per_row", "load_model", "padded"]


class Model(ABC):
    """A loaded solution version.

    ``recipe_type`` is USER_PERSONALIZATION, PERSONALIZED_RANKING, RELATED_ITEMS or POPULAR_ITEMS.
    ``recent`` is the user's item ids recorded by PutEvents after training, newest last: models that
    personalize react to them without retraining.
    """

    recipe_type: str
    #: The recipe's name (``aws-sims``), as trained.
    recipe: str

    @abstractmethod
    def recommend(
        self, *, user_id: str | None, item_id: str | None, num_results: int, recent: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        """GetRecommendations: ``num_results`` (item id, score) pairs, best first.

        Unknown users get a cold-start answer (popular items). RELATED_ITEMS models need
        ``item_id`` and raise :class:`KeyError` for an item they do not know.
        """

    def rank(
        self, *, user_id: str, items: Sequence[str], recent: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        """GetPersonalizedRanking: every input item back, best first, unknown items last.

        This default orders by the model's recommendation list; ranking models override it.
        """
        known = self.recommend(user_id=user_id, item_id=None, num_results=1_000_000, recent=recent)
        scores = dict(known)
        order = sorted(range(len(items)),
                       key=lambda i: (items[i] not in scores, -scores.get(items[i], 0.0), i))
        return [(items[i], float(scores.get(items[i], 0.0))) for i in order]


class Fitted(Model):
    """A model fitted on integer codes: evaluated with :meth:`top_k`, persisted with :meth:`save`."""

    kind: ClassVar[str]

    @abstractmethod
    def top_k(self, queries: Queries, k: int) -> np.ndarray:
        """Item codes (queries x k), best first, -1 where fewer than ``k`` are recommended."""

    @abstractmethod
    def save(self, out_dir: Path) -> None:
        """Write every artefact into the (empty) directory ``out_dir``."""

    @classmethod
    @abstractmethod
    def load(cls, model_dir: Path, manifest: dict[str, Any]) -> Fitted:
        """Read what :meth:`save` wrote."""


#: Artefact kind -> "module:Class", imported on demand so loading one kind never imports the others.
KINDS = {
    "popular": "personalize_emulator.training.popular:PopularItems",
    "related": "personalize_emulator.training.related:RelatedItems",
    "personal": "personalize_emulator.training.personal.model:PersonalModel",
}


def load_model(model_dir: Path) -> Model:
    """Load a solution version's artefacts written by :func:`~personalize_emulator.training.train`."""
    model_dir = Path(model_dir)
    manifest = read_manifest(model_dir)
    target = KINDS.get(str(manifest.get("kind")))
    if target is None:
        raise TrainingError(f"The model in {model_dir} has unknown kind {manifest.get('kind')!r}.")
    module_name, class_name = target.split(":")
    cls: type[Fitted] = getattr(importlib.import_module(module_name), class_name)
    return cls.load(model_dir, manifest)


def padded(rows: Sequence[np.ndarray], k: int) -> np.ndarray:
    """Stack variable-length item-code lists into (len(rows) x k), padding with -1."""
    out = np.full((len(rows), k), -1, dtype=np.int64)
    for q, row in enumerate(rows):
        out[q, : min(k, len(row))] = row[:k]
    return out


def best_per_row(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` highest columns, best first (ties in column order), and their values."""
    k = min(k, scores.shape[1])
    if k < scores.shape[1]:
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    else:
        top = np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    values = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(values, order, axis=1)
