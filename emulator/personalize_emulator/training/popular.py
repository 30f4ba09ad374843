"""POPULAR_ITEMS recipes: aws-popularity-count and aws-trending-now, in numpy.

- **aws-popularity-count** ranks items by interaction count (``eventsConfig`` weights count
  fractionally); ties go to the smaller item id. Every user gets the same list. Score = the item's
  share of all counted interactions.
- **aws-trending-now** ranks items by how fast their popularity grows: interactions in the newest
  window of ``trend_discovery_frequency`` (a featureTransformationParameter: 30 minutes, 1 hour,
  2 hours (default), 3 hours or 1 day) against the window before it, as
  ``(recent - previous) / sqrt(previous + 1)`` (growth in units of Poisson noise, so one extra
  interaction on a cold item does not outrank a broad surge). Items that are not growing follow,
  by recent count and then overall popularity, so the list is never short.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from .artifacts import read_arrays, write_arrays, write_manifest
from .engine import Engine, FitContext
from .errors import TrainingError
from .log import Log
from .model import Fitted
from .split import Queries

__all__ = ["PopularItems", "PopularityEngine", "TrendingEngine", "popularity_order", "trend_window_seconds"]

TREND_WINDOWS = {"30 minutes": 1800, "1 hour": 3600, "2 hours": 7200, "3 hours": 10800, "1 day": 86400}
DEFAULT_TREND = "2 hours"


def popularity_order(counts: np.ndarray) -> np.ndarray:
    """Item codes with a positive count, most counted first (stable: smaller code wins ties)."""
    order = np.argsort(-counts, kind="stable")
    return order[counts[order] > 0]


def trend_window_seconds(value: str | None) -> int:
    value = value or DEFAULT_TREND
    if value not in TREND_WINDOWS:
        allowed = ", ".join(TREND_WINDOWS)
        raise TrainingError(f"trend_discovery_frequency must be one of {allowed}; got {value!r}.")
    return TREND_WINDOWS[value]


class PopularItems(Fitted):
    """The same ranked list for everyone (the list is what was learned)."""

    kind: ClassVar[str] = "popular"
    recipe_type = "POPULAR_ITEMS"

    def __init__(self, recipe: str, items: np.ndarray, order: np.ndarray, scores: np.ndarray) -> None:
        self.recipe = recipe
        self.items = items
        self.order = order.astype(np.int64)
        self.scores = scores.astype(np.float64)

    def top_k(self, queries: Queries, k: int) -> np.ndarray:
        row = np.full(k, -1, dtype=np.int64)
        row[: min(k, len(self.order))] = self.order[:k]
        return np.tile(row, (len(queries), 1))

    def recommend(
        self, *, user_id: str | None, item_id: str | None, num_results: int, recent: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        n = min(num_results, len(self.order))
        return [(str(self.items[c]), float(s)) for c, s in zip(self.order[:n], self.scores[:n], strict=True)]

    def save(self, out_dir: Path) -> None:
        write_manifest(out_dir, self.kind, self.recipe, self.recipe_type)
        write_arrays(out_dir, {"items": self.items, "order": self.order, "scores": self.scores})

    @classmethod
    def load(cls, model_dir: Path, manifest: dict[str, Any]) -> PopularItems:
        arrays = read_arrays(model_dir)
        return cls(str(manifest["recipe"]), arrays["items"], arrays["order"], arrays["scores"])


class PopularityEngine(Engine):
    """aws-popularity-count."""

    recipe_type = "POPULAR_ITEMS"

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        counts = log.item_counts()
        order = popularity_order(counts)
        total = float(counts.sum()) or 1.0
        return PopularItems(ctx.recipe.name, log.items, order, counts[order] / total)


class TrendingEngine(Engine):
    """aws-trending-now."""

    recipe_type = "POPULAR_ITEMS"

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        window = trend_window_seconds(ctx.settings.feature_transformation.get("trend_discovery_frequency"))
        end = int(log.time.max()) if len(log) else 0
        recent_rows = log.time > end - window
        previous_rows = (log.time > end - 2 * window) & ~recent_rows
        weights = log.weight.astype(np.float64)
        recent = np.bincount(log.item[recent_rows], weights=weights[recent_rows], minlength=log.n_items)
        previous = np.bincount(log.item[previous_rows], weights=weights[previous_rows], minlength=log.n_items)
        overall = log.item_counts()
        growth = (recent - previous) / np.sqrt(previous + 1.0)
        trending = np.flatnonzero(growth > 0)
        trending = trending[np.lexsort((trending, -recent[trending], -growth[trending]))]
        rest = np.setdiff1d(popularity_order(overall), trending, assume_unique=True)
        rest = rest[np.lexsort((rest, -overall[rest], -recent[rest]))]
        order = np.concatenate([trending, rest])
        # Scores fall with the rank: each trending item's share of the growth, then the fill scaled
        # below the last trending item.
        trend_scores = growth[trending] / max(float(growth[trending].sum()), 1e-12)
        ceiling = 0.5 * float(trend_scores.min()) if len(trending) else 1.0
        fill = overall[rest] / max(float(overall[rest].max(initial=0.0)), 1e-12) * ceiling
        scores = np.concatenate([trend_scores, fill])
        return PopularItems(ctx.recipe.name, log.items, order, scores)
