"""A trained user-personalization / personalized-ranking model: evaluate, save, load, serve.

Serving needs no retraining to react to PutEvents: ``recent`` item ids are appended to the stored
history, and the candidates and features are recomputed from the fitted signals for that one query
(a few milliseconds). Every known user's top :data:`PRECOMPUTED` answer is scored in batches when the
model is saved (cheap per user in a batch, ~5 ms per user one at a time), so GetRecommendations for
a user with no new events is a lookup; other answers are cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..artifacts import read_arrays, read_text, write_arrays, write_manifest, write_text
from ..model import Fitted, padded
from ..split import Queries
from .features import Candidates, FeatureBuilder
from .histories import Histories
from .metadata import Metadata
from .ranker import Ranker
from .signals import Signals

__all__ = ["PersonalModel", "StoredHistories", "best_by_keys"]

BATCH_CELLS = 3_000_000
CACHE_SIZE = 4096
#: How many items of each known user's answer are scored ahead, at save time.
PRECOMPUTED = 100
#: Above users x PRECOMPUTED cells, nothing is precomputed (answers are computed on demand).
PRECOMPUTE_CELLS = 20_000_000
RANKER_FILE = "ranker.txt"


@dataclass(frozen=True, slots=True)
class StoredHistories:
    """Every known user's history, used when a user id is asked for at serving time."""

    users: np.ndarray
    indptr: np.ndarray
    item: np.ndarray
    time: np.ndarray
    weight: np.ndarray


class PersonalModel(Fitted):
    """Signals + metadata + LightGBM ranker + users' histories."""

    kind: ClassVar[str] = "personal"

    def __init__(self, *, recipe: str, recipe_type: str, items: np.ndarray, builder: FeatureBuilder,
                 ranker: Ranker, histories: StoredHistories, objective: np.ndarray | None,
                 objective_weight: float, precomputed: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        self.recipe = recipe
        self.recipe_type = recipe_type
        self.items = items
        self.builder = builder
        self.ranker = ranker
        self.histories = histories
        self.objective = objective
        self.objective_weight = objective_weight
        self.precomputed = precomputed
        self._cache: OrderedDict[tuple[str, tuple[str, ...]], list[tuple[str, float]]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def with_signals(self, signals: Signals, histories: StoredHistories) -> PersonalModel:
        """The same ranker over signals refit on other data (refit and trainingMode=UPDATE)."""
        return PersonalModel(recipe=self.recipe, recipe_type=self.recipe_type, items=self.items,
                             builder=replace(self.builder, signals=signals), ranker=self.ranker,
                             histories=histories, objective=self.objective,
                             objective_weight=self.objective_weight)

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, histories: Histories, fixed: list[np.ndarray] | None = None) -> tuple[Candidates, np.ndarray]:
        """Candidates and their final scores (ranker, blended with the optimization objective)."""
        candidates = self.builder.build(histories, fixed)
        if len(candidates.query) == 0:
            return candidates, np.zeros(0)
        scores = self.ranker.predict(candidates.features)
        if self.objective is not None and self.objective_weight > 0:
            scores = self._blend(candidates, scores)
        return candidates, scores

    def _blend(self, candidates: Candidates, scores: np.ndarray) -> np.ndarray:
        """Per query: (1 - w) * z(relevance) + w * z(item attribute)."""
        assert self.objective is not None
        attribute = np.nan_to_num(self.objective[candidates.item], nan=float(np.nanmin(self.objective)))
        out = np.empty_like(scores)
        query = candidates.query
        bounds = np.flatnonzero(np.diff(query)) + 1
        for rows in np.split(np.arange(len(query)), bounds):
            out[rows] = ((1 - self.objective_weight) * _z(scores[rows])
                         + self.objective_weight * _z(attribute[rows]))
        return out

    def _ranked(self, histories: Histories, k: int) -> list[np.ndarray]:
        candidates, scores = self.score(histories)
        order = np.lexsort((candidates.item, -scores, candidates.query))
        query, item = candidates.query[order], candidates.item[order]
        bounds = np.searchsorted(query, np.arange(len(histories) + 1))
        return [item[bounds[q]:bounds[q + 1]][:k] for q in range(len(histories))]

    def top_k(self, queries: Queries, k: int) -> np.ndarray:
        n_items = self.builder.signals.n_items
        batch = max(1, BATCH_CELLS // max(n_items, 1))
        user_codes = self.builder.metadata.user_codes(self.histories.users[queries.user]) \
            if len(self.histories.users) else np.full(len(queries), -1)
        histories = Histories.of(queries, user_codes)
        rows: list[np.ndarray] = []
        for start in range(0, len(queries), batch):
            rows.extend(self._ranked(histories.slice(start, min(start + batch, len(queries))), k))
        return padded(rows, k)

    # -- serving ---------------------------------------------------------------------------------
    def _history(self, user_id: str | None, recent: Sequence[str]) -> Histories:
        stored = self.histories
        items = np.zeros(0, dtype=np.int64)
        times = np.zeros(0, dtype=np.int64)
        weights = np.zeros(0, dtype=np.float32)
        if user_id is not None and len(stored.users):
            position = int(np.searchsorted(stored.users, user_id))
            if position < len(stored.users) and stored.users[position] == user_id:
                lo, hi = stored.indptr[position], stored.indptr[position + 1]
                items, times, weights = stored.item[lo:hi], stored.time[lo:hi], stored.weight[lo:hi]
        codes = self._codes(recent)
        codes = codes[codes >= 0]
        now = max(int(times.max(initial=0)), self.builder.signals.end_time)
        items = np.concatenate([items, codes]).astype(np.int64)
        times = np.concatenate([times, np.full(len(codes), now, dtype=np.int64)])
        weights = np.concatenate([weights, np.ones(len(codes), dtype=np.float32)])
        user_code = self.builder.metadata.user_codes(np.array([user_id or ""]))
        return Histories(np.array([0, len(items)]), items, times, weights, np.array([now]), user_code)

    def _codes(self, item_ids: Sequence[str]) -> np.ndarray:
        if not len(item_ids):
            return np.zeros(0, dtype=np.int64)
        ids = np.asarray(item_ids, dtype=str)
        position = np.clip(np.searchsorted(self.items, ids), 0, len(self.items) - 1)
        return np.where(self.items[position] == ids, position, -1).astype(np.int64)

    def _popular(self, exclude: set[int], count: int) -> list[tuple[str, float]]:
        """Popular items for a user with no usable history, with weights in the order they are ranked.

        The order is recent popularity first, all-time popularity next, then the item code; the
        weight is built from the same two keys (recent count, then all-time share as the fraction),
        so it never contradicts the order. Only the items that can make the list are sorted, so the
        cost grows with ``count``, not with the catalogue.
        """
        signals = self.builder.signals
        recent = signals.recent_counts(np.array([signals.end_time]))[0].astype(np.float64)
        eligible = signals.popularity > 0
        if exclude:
            eligible[np.fromiter(exclude, dtype=np.int64, count=len(exclude))] = False
        chosen = best_by_keys(np.flatnonzero(eligible), recent, signals.popularity, count)
        share = signals.popularity / (float(signals.popularity.max(initial=0.0)) + 1.0)
        return [(str(self.items[i]), float(recent[i] + share[i])) for i in chosen.tolist()]

    def recommend(
        self, *, user_id: str | None, item_id: str | None, num_results: int, recent: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        count = max(num_results, 25)
        if not recent:
            ahead = self._ahead(user_id, count)
            if ahead is not None:
                return ahead[:num_results]
        key = (user_id or "", tuple(recent))
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is None or len(cached) < num_results:
            cached = self._recommend(user_id, recent, count)
            with self._cache_lock:
                self._cache[key] = cached
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return cached[:num_results]

    def _ahead(self, user_id: str | None, count: int) -> list[tuple[str, float]] | None:
        """The precomputed answer of a known user, or None when it has to be computed now."""
        users = self.histories.users
        if self.precomputed is None or user_id is None or count > PRECOMPUTED or not len(users):
            return None
        items, scores = self.precomputed
        position = int(np.searchsorted(users, user_id))
        if position >= len(users) or users[position] != user_id or position >= len(items):
            return None
        if items[position, count - 1] < 0:  # fewer candidates than asked: the online path fills in
            return None
        top = items[position, :count]
        probabilities = _softmax(scores[position, :count])
        return [(str(self.items[i]), float(p)) for i, p in zip(top, probabilities, strict=True)]

    def precompute(self) -> tuple[np.ndarray, np.ndarray]:
        """Every known user's top :data:`PRECOMPUTED` item codes and raw scores (-1/NaN padded)."""
        stored = self.histories
        n_users = len(stored.users)
        items = np.full((n_users, PRECOMPUTED), -1, dtype=np.int64)
        scores = np.full((n_users, PRECOMPUTED), np.nan)
        if n_users == 0 or n_users * PRECOMPUTED > PRECOMPUTE_CELLS:
            return items[:0], scores[:0]
        starts = stored.indptr[:-1]
        newest = np.maximum.reduceat(stored.time, starts) if len(stored.time) else np.zeros(n_users, np.int64)
        newest[np.diff(stored.indptr) == 0] = 0
        when = np.maximum(newest, self.builder.signals.end_time).astype(np.int64)
        everyone = Histories(stored.indptr, stored.item, stored.time, stored.weight, when,
                             self.builder.metadata.user_codes(stored.users))
        batch = max(1, BATCH_CELLS // max(self.builder.signals.n_items, 1))
        for start in range(0, n_users, batch):
            part = everyone.slice(start, min(start + batch, n_users))
            candidates, raw = self.score(part)
            order = np.lexsort((candidates.item, -raw, candidates.query))
            query, item, value = candidates.query[order], candidates.item[order], raw[order]
            bounds = np.searchsorted(query, np.arange(len(part) + 1))
            for row in range(len(part)):
                lo = bounds[row]
                hi = min(bounds[row + 1], lo + PRECOMPUTED)
                items[start + row, :hi - lo] = item[lo:hi]
                scores[start + row, :hi - lo] = value[lo:hi]
        return items, scores

    def _recommend(self, user_id: str | None, recent: Sequence[str], count: int) -> list[tuple[str, float]]:
        """Scored candidates first, popular items to fill; scores sum to 1 and never rise down the list."""
        histories = self._history(user_id, recent)
        if len(histories.item) == 0:
            return _normalised(self._popular(set(), count))
        candidates, scores = self.score(histories)
        order = np.lexsort((candidates.item, -scores))[:count]
        probabilities = _softmax(scores[order]) if len(order) else scores[order]
        answer = [(str(self.items[candidates.item[i]]), float(p)) for i, p in zip(order, probabilities, strict=True)]
        if len(answer) < count:
            filler = self._popular({int(candidates.item[i]) for i in order}, count - len(answer))
            if filler:
                # Below the last scored item, in the filler's own order.
                floor = min((p for _, p in answer), default=1.0) / 2.0
                top = max(w for _, w in filler)
                answer += [(item, floor * w / top) for item, w in filler]
        return _normalised(answer)

    def rank(self, *, user_id: str, items: Sequence[str], recent: Sequence[str] = ()) -> list[tuple[str, float]]:
        codes = self._codes(items)
        known = np.flatnonzero(codes >= 0)
        probabilities = np.zeros(0)
        if len(known):
            _, scores = self.score(self._history(user_id, recent), [codes[known]])
            probabilities = _softmax(scores)
        by_position = dict(zip(known.tolist(), probabilities.tolist(), strict=True))
        order = sorted(range(len(items)), key=lambda i: (i not in by_position, -by_position.get(i, 0.0), i))
        return [(items[i], float(by_position.get(i, 0.0))) for i in order]

    # -- persistence -----------------------------------------------------------------------------
    def save(self, out_dir: Path) -> None:
        builder = self.builder
        write_manifest(out_dir, self.kind, self.recipe, self.recipe_type,
                       recencySteps=builder.recency_steps, candidatesPerSource=builder.candidates_per_source,
                       metadata=builder.metadata.names(), features=list(builder.feature_names),
                       objectiveWeight=self.objective_weight, priorColumn=self.ranker.prior_column)
        h = self.histories
        arrays = {"items": self.items, "users": h.users, "hist_indptr": h.indptr, "hist_item": h.item,
                  "hist_time": h.time, "hist_weight": h.weight, **builder.signals.arrays("sig_"),
                  **builder.metadata.arrays()}
        if self.objective is not None:
            arrays["objective"] = self.objective
        if self.precomputed is None:
            self.precomputed = self.precompute()
        arrays["ahead_items"], arrays["ahead_scores"] = self.precomputed
        write_arrays(out_dir, arrays)
        write_text(out_dir, RANKER_FILE, self.ranker.text)

    @classmethod
    def load(cls, model_dir: Path, manifest: dict[str, Any]) -> PersonalModel:
        arrays = read_arrays(model_dir)
        builder = FeatureBuilder(Signals.from_arrays(arrays, "sig_"),
                                 Metadata.from_arrays(arrays, manifest["metadata"]),
                                 float(manifest["recencySteps"]), int(manifest["candidatesPerSource"]))
        histories = StoredHistories(arrays["users"], arrays["hist_indptr"], arrays["hist_item"],
                                    arrays["hist_time"], arrays["hist_weight"])
        return cls(recipe=str(manifest["recipe"]), recipe_type=str(manifest["recipeType"]), items=arrays["items"],
                   builder=builder, histories=histories,
                   ranker=Ranker(read_text(model_dir, RANKER_FILE), int(manifest["priorColumn"])),
                   objective=arrays.get("objective"), objective_weight=float(manifest["objectiveWeight"]),
                   precomputed=(arrays["ahead_items"], arrays["ahead_scores"]) if "ahead_items" in arrays else None)


def best_by_keys(codes: np.ndarray, first: np.ndarray, second: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` best of ``codes`` (ascending) by ``first``, then ``second`` (both descending), then code.

    Equivalent to a full lexsort truncated to ``count``, without sorting the whole catalogue: the
    rows strictly above the ``count``-th best ``first`` value all make it; the ties at that value
    are cut the same way on ``second``, and ties left after that by the smaller code.
    """
    if count <= 0 or len(codes) == 0:
        return codes[:0]
    if len(codes) > count:
        threshold = np.partition(first[codes], len(codes) - count)[len(codes) - count]
        above, tied = codes[first[codes] > threshold], codes[first[codes] == threshold]
        room = count - len(above)
        if len(tied) > room:
            limit = np.partition(second[tied], len(tied) - room)[len(tied) - room]
            over, level = tied[second[tied] > limit], tied[second[tied] == limit]
            tied = np.concatenate([over, level[: room - len(over)]])  # level is ascending: smaller codes
        codes = np.concatenate([above, tied])
    order = np.lexsort((codes, -second[codes], -first[codes]))
    best: np.ndarray = codes[order][:count]
    return best


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def _normalised(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """``pairs`` with weights rescaled to sum to 1 (AWS's relative scores), order unchanged."""
    total = sum(weight for _, weight in pairs)
    return [(item, weight / total) for item, weight in pairs] if total > 0 else pairs


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max())
    result: np.ndarray = shifted / shifted.sum()
    return result
