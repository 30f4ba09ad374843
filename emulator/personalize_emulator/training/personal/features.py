"""Candidates and per-(query, candidate) features for the ranker, computed in batches.

Candidates are the union of each generator's best items (sequential transitions, co-occurrence,
EASE, recent popularity, the user's own recent items), so every query ranks a few hundred items at
most whatever the catalogue size. Features are the generators' scores (and each candidate's rank
among the query's candidates for the main ones), popularity now and overall, the item's age at the
query's moment, the user's own history with the item, and metadata affinities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .histories import Histories
from .metadata import Metadata
from .signals import Signals

__all__ = ["BASE_FEATURES", "Candidates", "FeatureBuilder"]

#: Dense (queries x items) scores, each a feature; those in RANKED also get a within-query rank.
SCORES = ("seq_forward", "seq_symmetric", "seq_last", "ease", "ease_recent", "svd")
RANKED = ("seq_forward", "seq_symmetric", "ease", "svd")
BASE_FEATURES = (
    *SCORES, *(f"{name}_rank" for name in RANKED), "popularity", "popularity_recent", "trend", "age_days",
    "seen_weight", "steps_since_seen", "days_since_seen", "history_length", "popularity_prior",
)
DAY = 86400.0
NEVER = 1_000_000.0


@dataclass(frozen=True, slots=True)
class Candidates:
    """Rows sorted by query: ``query`` and ``item`` per row, ``features`` (rows x features)."""

    query: np.ndarray
    item: np.ndarray
    features: np.ndarray

    def group_sizes(self, n_queries: int) -> np.ndarray:
        return np.bincount(self.query, minlength=n_queries)


def _top_mask(scores: np.ndarray, count: int, mask: np.ndarray) -> None:
    """Mark each row's ``count`` highest positive scores in ``mask``."""
    count = min(count, scores.shape[1])
    if count <= 0:
        return
    top = np.argpartition(-scores, count - 1, axis=1)[:, :count]
    rows = np.repeat(np.arange(scores.shape[0]), count)
    positive = scores[rows, top.ravel()] > 0
    mask[rows[positive], top.ravel()[positive]] = True


def _group_rank(query: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Rank (0 = best) of each row's value within its query, rows sorted by query; ties: earlier row first.

    One sort of a unique 64-bit key (query, descending value, position in the query): 1.6x faster than
    the two-key ``lexsort`` it replaces, with the same ranks. Queries stay below 2**22 per batch and
    candidates below 2**10 per query (both bounded by :data:`..model.BATCH_CELLS` and the sources).
    """
    sizes = np.bincount(query) if len(query) else np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    within = np.arange(len(values), dtype=np.int64) - starts[query]
    if len(query) and (int(query[-1]) >= 1 << 22 or int(sizes.max()) >= 1 << 10):  # pragma: no cover - bounds
        order = np.lexsort((-values, query))
    else:
        # float32 bits made to sort like the numbers they encode (-0.0 folded into 0.0 first).
        bits = (np.asarray(-values, dtype=np.float32) + np.float32(0.0)).view(np.uint32).astype(np.uint64)
        ordered = np.where(bits >> np.uint64(31), ~bits & np.uint64(0xFFFFFFFF), bits | np.uint64(1 << 31))
        key = (query.astype(np.uint64) << np.uint64(42)) | (ordered << np.uint64(10)) | within.astype(np.uint64)
        order = np.argsort(key)
    rank = np.empty(len(values), dtype=np.float32)
    rank[order] = np.arange(len(values)) - starts[query[order]]
    return rank


@dataclass(frozen=True)
class FeatureBuilder:
    """Turns histories into candidates and features with fitted signals and metadata."""

    signals: Signals
    metadata: Metadata
    recency_steps: float  # history weights decay as exp(-steps back / recency_steps); 0 = no decay
    candidates_per_source: int = 80

    @property
    def feature_names(self) -> tuple[str, ...]:
        return BASE_FEATURES + self.metadata.feature_names

    def _recency(self, histories: Histories) -> np.ndarray:
        weight = histories.weight.astype(np.float64)
        if self.recency_steps > 0:
            weight = weight * np.exp(-histories.steps_back() / self.recency_steps)
        return weight

    def _ease(self, history: sp.csr_matrix) -> np.ndarray:
        s = self.signals
        dense = np.zeros(history.shape, dtype=np.float32)
        if len(s.ease_items):
            dense[:, s.ease_items] = np.asarray(history[:, s.ease_items] @ s.ease_weights)
        return dense

    def scores(self, histories: Histories) -> dict[str, np.ndarray]:
        """Every generator's dense (queries x items) scores (also ``recent_popularity``)."""
        return self._scores(histories, self._recency(histories))

    def _scores(self, histories: Histories, recency: np.ndarray) -> dict[str, np.ndarray]:
        """Every generator's dense (queries x items) scores for these histories."""
        s = self.signals
        n_q, n_items = len(histories), s.n_items
        recent_h = histories.matrix(recency, n_items)
        binary_h = histories.matrix(np.ones(len(histories.item)), n_items)
        binary_h.data[:] = 1.0
        last = histories.last_item()
        seq_last = np.zeros((n_q, n_items), dtype=np.float32)
        has_last = np.flatnonzero(last >= 0)
        if len(has_last):
            seq_last[has_last] = s.forward_rows(last[has_last])
        # float64 products rounded to float32, so BLAS kernel differences never reach a feature.
        low_rank = np.asarray(binary_h @ s.factors64) @ s.factors64.T
        forward, symmetric = s.transitions(recent_h)
        return {
            "seq_forward": forward,
            "seq_symmetric": symmetric,
            "seq_last": seq_last,
            "ease": self._ease(binary_h),
            "ease_recent": self._ease(recent_h),
            "svd": low_rank.astype(np.float32),
            "recent_popularity": s.recent_counts(histories.when),
        }

    def _candidates(self, histories: Histories, scores: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(query, item) pairs: each generator's best items, the popular ones and the user's own."""
        c = self.candidates_per_source
        mask = np.zeros(scores["seq_forward"].shape, dtype=bool)
        for name, count in (("seq_forward", c), ("seq_symmetric", c), ("ease", c), ("svd", c // 2),
                            ("seq_last", c // 2), ("recent_popularity", c // 2)):
            _top_mask(scores[name], count, mask)
        mask[:, self.signals.popular_items(c // 2)] = True
        mine = histories.steps_back() < c // 2
        mask[histories.rows()[mine], histories.item[mine]] = True
        query, item = np.nonzero(mask)
        return query, item

    def _own_history(self, histories: Histories, query: np.ndarray, item: np.ndarray) -> list[np.ndarray]:
        """The user's own past with each candidate: total weight, steps ago, days ago.

        Aggregated per (query, item) key over the history rows and looked up by binary search, so
        the cost follows the history and candidate counts, never queries x catalogue.
        """
        if len(histories.item) == 0:
            never = np.full(len(query), NEVER)
            return [np.zeros(len(query)), never, never.copy()]
        span = np.int64(max(self.signals.n_items, 1))
        keys = histories.rows().astype(np.int64) * span + histories.item
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        unique = keys[starts]
        weight = np.add.reduceat(histories.weight.astype(np.float64)[order], starts)
        steps = np.minimum.reduceat(histories.steps_back()[order], starts).astype(np.float64)
        newest = np.maximum.reduceat(histories.time[order], starts)
        wanted = query.astype(np.int64) * span + item
        at = np.minimum(np.searchsorted(unique, wanted), len(unique) - 1)
        found = unique[at] == wanted
        days = np.minimum((histories.when[query] - newest[at]) / DAY, NEVER)
        return [np.where(found, weight[at], 0.0), np.where(found, steps[at], NEVER), np.where(found, days, NEVER)]

    def build(self, histories: Histories, fixed: list[np.ndarray] | None = None,
              scores: dict[str, np.ndarray] | None = None) -> Candidates:
        """Candidates (or the ``fixed`` item lists, one per query) with their features.

        ``scores`` are these histories' :meth:`scores` when the caller already has them.
        """
        s = self.signals
        recency = self._recency(histories)
        if scores is None:
            scores = self._scores(histories, recency)
        if fixed is None:
            query, item = self._candidates(histories, scores)
        else:
            query = np.repeat(np.arange(len(histories)), [len(f) for f in fixed])
            item = np.concatenate(fixed).astype(np.int64) if fixed else np.zeros(0, dtype=np.int64)
        columns = [scores[name][query, item] for name in SCORES]
        columns += [_group_rank(query, columns[SCORES.index(name)]) for name in RANKED]
        popularity = s.popularity[item]
        recent_pop = scores["recent_popularity"]
        recent = recent_pop[query, item]
        share_recent = recent / np.maximum(recent_pop.sum(axis=1)[query], 1.0)
        share_all = popularity / max(float(s.popularity.sum()), 1.0)
        age = (histories.when[query] - s.first_seen[item]) / DAY
        columns += [np.log1p(popularity), np.log1p(recent), np.log((share_recent + 1e-6) / (share_all + 1e-6)),
                    np.clip(age, -3650.0, 36500.0)]
        columns += self._own_history(histories, query, item)
        columns += [np.log1p(histories.lengths()[query]), np.log1p(popularity)]
        columns += self._metadata(histories, recency, query, item)
        features = np.column_stack([np.asarray(col, dtype=np.float32) for col in columns]) if columns else \
            np.zeros((0, len(self.feature_names)), dtype=np.float32)
        return Candidates(query.astype(np.int64), item.astype(np.int64), features)

    def _metadata(self, histories: Histories, recency: np.ndarray, query: np.ndarray,
                  item: np.ndarray) -> list[np.ndarray]:
        meta = self.metadata
        out: list[np.ndarray] = []
        rows = histories.rows()
        if meta.item_numeric.shape[1]:
            values = meta.item_numeric.astype(np.float64)
            out.extend(values[item, k] for k in range(values.shape[1]))
            for k in range(values.shape[1]):
                column = values[histories.item, k]
                ok = ~np.isnan(column)
                weight_sum = np.bincount(rows[ok], weights=recency[ok], minlength=len(histories))
                total = np.bincount(rows[ok], weights=recency[ok] * column[ok], minlength=len(histories))
                mean = np.divide(total, weight_sum, out=np.full(len(histories), np.nan), where=weight_sum > 0)
                out.append(np.abs(values[item, k] - mean[query]))
        for matrix in meta.item_values:
            profile = histories.matrix(recency, matrix.shape[0]) @ matrix
            sums = np.asarray(profile.sum(axis=1)).ravel()
            profile = sp.diags(np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)) @ profile
            affinity = np.asarray(profile[query].multiply(matrix[item]).sum(axis=1)).ravel()
            out.append(affinity)
        if meta.user_values.shape[1]:
            codes = histories.user[query]
            known = codes >= 0
            for k in range(meta.user_values.shape[1]):
                column = np.full(len(query), np.nan, dtype=np.float32)
                column[known] = meta.user_values[codes[known], k]
                out.append(column)
        return out
