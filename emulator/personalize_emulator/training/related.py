"""RELATED_ITEMS recipes: aws-sims and aws-similar-items, in numpy/scipy.

**aws-sims** (item-to-item collaborative filtering): two items are related when the same users
interact with both. Hyperparameters:

- ``min_cointeraction_count`` (3): pairs seen together by fewer users are dropped;
- ``popularity_discount_factor`` (0.5): a neighbour's score is its co-interaction count divided by
  ``popularity ** factor`` (0 = raw counts, popular items everywhere; 1 = fully normalised);
- ``min/max_user_history_length_percentile`` (0.005/0.995): users with shorter/longer histories
  than these percentiles are left out (very long histories are usually bots or noise);
- ``min/max_item_interaction_count_percentile`` (0.01/0.9): percentiles of the interactions ordered
  by their item's interaction count. Items below the min percentile (the rarest items holding 1% of
  the interactions) are left out; items above the max percentile keep only that many interactions
  (a deterministic sample) instead of being dropped, so blockbusters neither vanish nor dominate
  every neighbour list.

**aws-similar-items** (co-interactions plus item metadata): the similarity of two items is their
cosine item-kNN score on co-interactions (co-interaction count over ``sqrt(popularity)`` of the
query item and ``popularity ** 0.3`` of the neighbour, scaled so each item's best neighbour scores
1), plus ``EMBEDDING_WEIGHT`` times the cosine of their embeddings: a truncated SVD of the
normalised user x item matrix (``item_id_hidden_dim`` dimensions) and of the Items dataset's
columns (``item_metadata_hidden_dim`` dimensions).  Co-interactions decide among items seen
together (plain item-kNN is the known strong baseline there, and the SVD alone lost to it); the
embeddings break ties, smooth sparse pairs and relate items without interactions through their
metadata.  Measured on ml-100k and the groceries log, two split seeds: ``bench/bench_training.py``.

Both store at most ``MAX_NEIGHBOURS`` neighbours per item and fill short lists with popular items.
An item id the model does not know raises :class:`KeyError` (InvalidInputException upstream).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp

from .artifacts import read_arrays, write_arrays, write_manifest
from .engine import Engine, FitContext
from .log import Log
from .model import Fitted, best_per_row, padded
from .popular import popularity_order
from .split import Queries

__all__ = ["RelatedItems", "SimilarItemsEngine", "SimsEngine"]

MAX_NEIGHBOURS = 500
BLOCK = 1024
#: similar-items: the neighbour's popularity exponent in the kNN score, and the embeddings' weight.
KNN_NEIGHBOUR_DISCOUNT = 0.3
EMBEDDING_WEIGHT = 0.5


class RelatedItems(Fitted):
    """Neighbour lists per item (CSR, best first) plus a popularity fallback."""

    kind: ClassVar[str] = "related"
    recipe_type = "RELATED_ITEMS"

    def __init__(self, recipe: str, items: np.ndarray, neighbours: sp.csr_matrix, popular: np.ndarray) -> None:
        self.recipe = recipe
        self.items = items
        self.neighbours = neighbours
        self.popular = popular

    def related(self, code: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Best ``count`` related item codes for item ``code`` and their scores."""
        lo, hi = self.neighbours.indptr[code], self.neighbours.indptr[code + 1]
        codes, scores = self.neighbours.indices[lo:hi][:count], self.neighbours.data[lo:hi][:count]
        if len(codes) < count:
            fill = self.popular[~np.isin(self.popular, np.append(codes, code))][: count - len(codes)]
            floor = float(scores.min()) if len(scores) else 1.0
            codes = np.concatenate([codes, fill])
            scores = np.concatenate([scores, floor * 1e-3 * np.linspace(1.0, 0.5, len(fill))])
        return codes.astype(np.int64), scores.astype(np.float64)

    def top_k(self, queries: Queries, k: int) -> np.ndarray:
        return padded([self.related(int(code), k)[0] for code in queries.last_item()], k)

    def recommend(
        self, *, user_id: str | None, item_id: str | None, num_results: int, recent: Sequence[str] = ()
    ) -> list[tuple[str, float]]:
        if item_id is None:
            raise KeyError("RELATED_ITEMS recommendations need an itemId")
        position = int(np.searchsorted(self.items, item_id))
        if position >= len(self.items) or self.items[position] != item_id:
            raise KeyError(item_id)
        codes, scores = self.related(position, num_results)
        return [(str(self.items[c]), float(s)) for c, s in zip(codes, scores, strict=True)]

    def save(self, out_dir: Path) -> None:
        write_manifest(out_dir, self.kind, self.recipe, self.recipe_type)
        n = self.neighbours
        write_arrays(out_dir, {"items": self.items, "data": n.data, "indices": n.indices, "indptr": n.indptr,
                               "popular": self.popular})

    @classmethod
    def load(cls, model_dir: Path, manifest: dict[str, Any]) -> RelatedItems:
        a = read_arrays(model_dir)
        n = len(a["items"])
        neighbours = sp.csr_matrix((a["data"], a["indices"], a["indptr"]), shape=(n, n))
        return cls(str(manifest["recipe"]), a["items"], neighbours, a["popular"])


def _top_rows(scores: np.ndarray, first_row: int, keep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's best ``keep`` positive columns (excluding the row's own item), best first."""
    rows = np.arange(scores.shape[0])
    scores[rows, first_row + rows] = 0.0
    top, values = best_per_row(scores, keep)
    positive = values > 0
    return np.repeat(rows + first_row, positive.sum(axis=1)), top[positive], values[positive]


def neighbours_from(score_block: Any, n_items: int, keep: int = MAX_NEIGHBOURS) -> sp.csr_matrix:
    """Neighbour lists from a function giving the dense scores of a block of item rows."""
    rows, cols, vals = [], [], []
    for start in range(0, n_items, BLOCK):
        block = np.asarray(score_block(start, min(start + BLOCK, n_items)), dtype=np.float64)
        r, c, v = _top_rows(block, start, keep)
        rows.append(r)
        cols.append(c)
        vals.append(v)
    # Build CSR directly so each row keeps its best-first order.
    row = np.concatenate(rows)
    indptr = np.zeros(n_items + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_items), out=indptr[1:])
    return sp.csr_matrix((np.concatenate(vals).astype(np.float32), np.concatenate(cols), indptr),
                         shape=(n_items, n_items))


def _binary(log: Log, rows: np.ndarray) -> sp.csr_matrix:
    matrix = sp.csr_matrix((np.ones(int(rows.sum()), dtype=np.float32), (log.user[rows], log.item[rows])),
                           shape=(log.n_users, log.n_items))
    matrix.data[:] = 1.0
    return matrix


class SimsEngine(Engine):
    """aws-sims."""

    recipe_type = "RELATED_ITEMS"

    def _rows(self, log: Log, ctx: FitContext) -> np.ndarray:
        number = ctx.float_hyperparameter
        counts = log.counts()
        active = counts[counts > 0]
        low, high = (np.quantile(active, number(n)) for n in ("min_user_history_length_percentile",
                                                                "max_user_history_length_percentile"))
        rows = np.repeat((counts >= low) & (counts <= high), counts)
        item_counts = np.bincount(log.item[rows], minlength=log.n_items)
        rare = _weighted_quantile(item_counts, number("min_item_interaction_count_percentile"))
        cap = max(1, int(_weighted_quantile(item_counts, number("max_item_interaction_count_percentile"))))
        rows &= item_counts[log.item] >= rare
        # Blockbusters keep a deterministic sample of ``cap`` interactions.
        priority = np.random.default_rng(ctx.seed).random(len(log))
        kept: np.ndarray = rows & (_rank_within_item(log, priority, rows) < cap)
        return kept

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        rows = self._rows(log, ctx)
        matrix = _binary(log, rows)
        columns = matrix.T.tocsr()
        popularity = np.asarray(matrix.sum(axis=0)).ravel()
        discount = np.power(np.maximum(popularity, 1.0), -ctx.float_hyperparameter("popularity_discount_factor"))
        minimum = ctx.float_hyperparameter("min_cointeraction_count")

        def block(start: int, stop: int) -> np.ndarray:
            counts = (columns[start:stop] @ matrix).toarray()
            counts[counts < max(minimum, 1.0)] = 0.0
            scores: np.ndarray = counts * discount
            return scores

        ctx.progress(f"sims: co-interactions of {log.n_items:,} items from {int(rows.sum()):,} interactions")
        neighbours = neighbours_from(block, log.n_items)
        return RelatedItems(ctx.recipe.name, log.items, neighbours, popularity_order(log.item_counts()))


def _weighted_quantile(counts: np.ndarray, q: float) -> float:
    """The item count below which a share ``q`` of all interactions falls."""
    seen = np.sort(counts[counts > 0])
    if len(seen) == 0:
        return 0.0
    cumulative = np.cumsum(seen) / seen.sum()
    return float(seen[min(int(np.searchsorted(cumulative, q)), len(seen) - 1)])


def _rank_within_item(log: Log, priority: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each row's rank among the kept rows of the same item, by ``priority``."""
    rank = np.full(len(log), np.iinfo(np.int64).max, dtype=np.int64)
    kept = np.flatnonzero(rows)
    order = kept[np.lexsort((priority[kept], log.item[kept]))]
    items = log.item[order]
    rank[order] = np.arange(len(order)) - np.searchsorted(items, items)
    return rank


class SimilarItemsEngine(Engine):
    """aws-similar-items: cosine item-kNN on co-interactions, smoothed by the item embeddings."""

    recipe_type = "RELATED_ITEMS"

    def fit(self, log: Log, ctx: FitContext) -> Fitted:
        from .embeddings import item_embeddings

        embedding = item_embeddings(log, ctx)
        matrix = _binary(log, np.ones(len(log), dtype=bool))
        columns = matrix.T.tocsr()
        popularity = np.maximum(np.asarray(matrix.sum(axis=0)).ravel(), 1.0)
        query_norm, neighbour_norm = np.sqrt(popularity), np.power(popularity, KNN_NEIGHBOUR_DISCOUNT)
        ctx.progress(f"similar-items: co-interactions of {log.n_items:,} items and {embedding.shape[1]}-dimensional "
                     "item embeddings")

        def block(start: int, stop: int) -> np.ndarray:
            counts = (columns[start:stop] @ matrix).toarray().astype(np.float64)
            counts[np.arange(stop - start), np.arange(start, stop)] = 0.0
            knn = counts / query_norm[start:stop, None] / neighbour_norm[None, :]
            knn /= np.maximum(knn.max(axis=1, keepdims=True), 1e-12)
            # float64 products rounded to float32: reproducible whatever BLAS kernel runs.
            scores: np.ndarray = (knn + EMBEDDING_WEIGHT * (embedding[start:stop] @ embedding.T)).astype(np.float32)
            return scores

        neighbours = neighbours_from(block, log.n_items)
        return RelatedItems(ctx.recipe.name, log.items, neighbours, popularity_order(log.item_counts()))
