"""The numpy half of user-personalization: item statistics and item-item models fitted on a log.

Everything here is a candidate generator or a feature source for the LightGBM ranker:

- **popularity**, all-time and in a trailing window at the query's moment (time buckets of equal
  interaction counts, so "recent" adapts to how dense the log is), and each item's first appearance
  (an item that did not exist yet cannot be what a user wants next);
- **sequential co-occurrence with decay**: item ``a`` followed by item ``b`` within ``window``
  positions of one user's history adds ``decay ** (gap - 1)`` (times both events' weights). Rows
  are normalised into transition probabilities. Stored sparse, at most ``max_neighbours`` per row;
- **a linear item-item model** (EASE, Steck 2019) on the ``ease_items`` most popular items: a closed
  form ridge regression of each item on the others. The dense inverse is bounded to that many items
  so large catalogues never build an items x items dense matrix;
- **a low-rank model** (PureSVD): the main singular directions of the user x item matrix.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..log import Log

__all__ = ["Signals", "fit_signals"]

DENSE_SVD_LIMIT = 3000
#: Co-occurrence pairs counted at a time (see :func:`sequential`).
PAIR_CHUNK = 4_000_000
#: Up to this many items the transition matrices are also kept dense (2 x 36 MB at the limit):
#: a sparse history times a dense matrix is 2-3x faster than sparse x sparse followed by todense.
DENSE_TRANSITIONS_LIMIT = 3000
TIME_BUCKETS = 48
RECENT_BUCKETS = 3


@dataclass(frozen=True, slots=True)
class Signals:
    """Fitted item-level models (all indexed by item code)."""

    popularity: np.ndarray  # float64 (n_items,), weighted counts
    bucket_edges: np.ndarray  # int64 inner edges of the time buckets
    bucket_counts: np.ndarray  # float32 (buckets, n_items), cumulative over buckets
    first_seen: np.ndarray  # int64 (n_items,), a far-future sentinel for unseen items
    forward: sp.csr_matrix  # transition probabilities a -> b
    symmetric: sp.csr_matrix  # co-occurrence in either order, row-normalised
    ease_items: np.ndarray  # int64 (m,), the item codes EASE covers
    ease_weights: np.ndarray  # float32 (m, m)
    factors: np.ndarray  # float32 (n_items, k): PureSVD item factors
    end_time: int
    #: ``factors`` in float64, converted once: scoring one query must not convert the whole matrix.
    factors64: np.ndarray = field(init=False, repr=False, compare=False)
    #: ``forward`` and ``symmetric`` as dense arrays for small catalogues (None above the limit).
    dense: tuple[np.ndarray, np.ndarray] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors64", self.factors.astype(np.float64))
        small = self.popularity.shape[0] <= DENSE_TRANSITIONS_LIMIT
        object.__setattr__(self, "dense", (self.forward.toarray(), self.symmetric.toarray()) if small else None)

    def transitions(self, history: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """``history @ forward`` and ``history @ symmetric`` as dense float32 (queries x items) arrays."""
        if self.dense is not None:
            return (np.asarray(history @ self.dense[0], dtype=np.float32),
                    np.asarray(history @ self.dense[1], dtype=np.float32))
        return (np.asarray((history @ self.forward).todense(), dtype=np.float32),
                np.asarray((history @ self.symmetric).todense(), dtype=np.float32))

    def forward_rows(self, items: np.ndarray) -> np.ndarray:
        """Rows of ``forward`` (the transitions out of ``items``) as a dense float32 array."""
        rows = self.dense[0][items] if self.dense is not None else self.forward[items].toarray()
        return np.asarray(rows, dtype=np.float32)

    @property
    def n_items(self) -> int:
        return int(self.popularity.shape[0])

    def recent_counts(self, when: np.ndarray) -> np.ndarray:
        """(len(when) x n_items) interactions in the trailing window ending at each moment."""
        bucket = np.searchsorted(self.bucket_edges, when, side="right")
        lower = np.maximum(bucket - RECENT_BUCKETS, -1)
        upper_rows = self.bucket_counts[bucket]
        lower_rows = np.where((lower >= 0)[:, None], self.bucket_counts[np.maximum(lower, 0)], 0.0)
        counts: np.ndarray = upper_rows - lower_rows
        return counts

    def popular_items(self, count: int) -> np.ndarray:
        """The ``count`` most popular item codes (ties: smaller code), as popularity-count ranks them."""
        order = np.argsort(-self.popularity, kind="stable")[:count]
        chosen: np.ndarray = order[self.popularity[order] > 0]
        return chosen

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Everything as plain arrays, for ``.npz`` storage."""
        out = {
            "popularity": self.popularity,
            "bucket_edges": self.bucket_edges,
            "bucket_counts": self.bucket_counts,
            "first_seen": self.first_seen,
            "ease_items": self.ease_items,
            "ease_weights": self.ease_weights,
            "factors": self.factors,
            "end_time": np.array([self.end_time], dtype=np.int64),
        }
        for name in ("forward", "symmetric"):
            matrix = getattr(self, name)
            out.update({f"{name}_data": matrix.data, f"{name}_indices": matrix.indices,
                        f"{name}_indptr": matrix.indptr})
        return {prefix + k: v for k, v in out.items()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Signals:
        def get(name: str) -> np.ndarray:
            return arrays[prefix + name]

        n = int(get("popularity").shape[0])

        def matrix(name: str) -> sp.csr_matrix:
            return sp.csr_matrix((get(f"{name}_data"), get(f"{name}_indices"), get(f"{name}_indptr")),
                                 shape=(n, n))

        return cls(
            popularity=get("popularity"),
            bucket_edges=get("bucket_edges"),
            bucket_counts=get("bucket_counts"),
            first_seen=get("first_seen"),
            forward=matrix("forward"),
            symmetric=matrix("symmetric"),
            ease_items=get("ease_items"),
            ease_weights=get("ease_weights"),
            factors=get("factors"),
            end_time=int(get("end_time")[0]),
        )


def _time_buckets(log: Log) -> tuple[np.ndarray, np.ndarray]:
    if len(log) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((1, log.n_items), dtype=np.float32)
    quantiles = np.quantile(log.time, np.linspace(0, 1, TIME_BUCKETS + 1)[1:-1])
    edges = np.unique(quantiles.astype(np.int64))
    bucket = np.searchsorted(edges, log.time, side="right")
    counts = np.zeros((len(edges) + 1, log.n_items), dtype=np.float64)
    np.add.at(counts, (bucket, log.item), log.weight)
    return edges, np.cumsum(counts, axis=0).astype(np.float32)


def _first_seen(log: Log) -> np.ndarray:
    first = np.full(log.n_items, np.iinfo(np.int64).max // 2, dtype=np.int64)
    np.minimum.at(first, log.item, log.time)
    return first


def _row_normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to sum to 1, in place: each entry times its row's float32 scale, as a diagonal
    matrix product computes it, without the product's two passes and index sort."""
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0).astype(np.float32)
    matrix.data *= np.repeat(scale, np.diff(matrix.indptr))
    matrix.eliminate_zeros()  # rows of zeros (scale 0) hold no entries, as the product's result did not
    return matrix


def _prune_rows(matrix: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep each row's ``keep`` largest entries (bounded memory and serving time)."""
    lengths = np.diff(matrix.indptr)
    long_rows = np.flatnonzero(lengths > keep)
    if len(long_rows) == 0:
        return matrix
    drop = np.zeros(len(matrix.data), dtype=bool)
    for row in long_rows:
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        smallest = np.argpartition(matrix.data[lo:hi], hi - lo - keep)[: hi - lo - keep]
        drop[lo + smallest] = True
    pruned = matrix.copy()
    pruned.data[drop] = 0.0
    pruned.eliminate_zeros()
    return pruned


def _gap_pairs(log: Log, gaps: range, decay: float) -> sp.csr_matrix:
    """Item ``a`` followed by item ``b`` exactly ``gap`` events later (same user), for ``gaps``, summed."""
    rows_a, rows_b, values = [], [], []
    for gap in gaps:
        a = np.flatnonzero(log.user[gap:] == log.user[:-gap])
        b = a + gap
        rows_a.append(log.item[a])
        rows_b.append(log.item[b])
        values.append((decay ** (gap - 1)) * log.weight[a] * log.weight[b])
    data = np.concatenate(values).astype(np.float32)
    matrix = sp.csr_matrix((data, (np.concatenate(rows_a), np.concatenate(rows_b))), shape=(log.n_items, log.n_items))
    matrix.sum_duplicates()
    return matrix


def sequential(log: Log, window: int, decay: float, max_neighbours: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Forward transition and symmetric co-occurrence matrices from each user's ordered history.

    The pairs of :data:`PAIR_CHUNK` events' worth of gaps are counted at a time, so a 1M-event log
    with ``bptt`` 32 never holds its 32M pairs at once (they took 315 MB); a log that fits in one
    chunk (ml-100k) is counted exactly as before.
    """
    gaps_per_chunk = max(1, PAIR_CHUNK // max(len(log), 1))
    last = max(1, window)
    forward = sp.csr_matrix((log.n_items, log.n_items), dtype=np.float32)
    for first in range(1, last + 1, gaps_per_chunk):
        chunk = _gap_pairs(log, range(first, min(first + gaps_per_chunk, last + 1)), decay)
        forward = chunk if first == 1 else (forward + chunk).tocsr()
    symmetric = (forward + forward.T).tocsr()
    return (_row_normalise(_prune_rows(forward, max_neighbours)),
            _row_normalise(_prune_rows(symmetric, max_neighbours)))


def ease(log: Log, max_items: int, regularisation: float) -> tuple[np.ndarray, np.ndarray]:
    """EASE weights on the ``max_items`` most popular items (binary user x item matrix)."""
    counts = np.bincount(log.item, minlength=log.n_items)
    order = np.argsort(-counts, kind="stable")
    items = np.sort(order[: min(max_items, int((counts > 0).sum()))])
    if len(items) == 0:
        return items.astype(np.int64), np.zeros((0, 0), dtype=np.float32)
    column = np.full(log.n_items, -1, dtype=np.int64)
    column[items] = np.arange(len(items))
    keep = column[log.item] >= 0
    matrix = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (log.user[keep], column[log.item[keep]])),
                           shape=(log.n_users, len(items)))
    matrix.data[:] = 1.0
    inverse = _regularised_gram_inverse(matrix[np.flatnonzero(np.diff(matrix.indptr))], regularisation)
    weights = -inverse / np.diag(inverse)
    weights[np.diag_indices_from(weights)] = 0.0
    # Solved in float64, stored in float32: BLAS results can differ in the last bits from run to run
    # (kernels depend on memory alignment), and rounding to float32 makes the stored weights -- and
    # so the ranker's features -- reproducible.
    return items.astype(np.int64), weights.astype(np.float32)


def _regularised_gram_inverse(matrix: sp.csr_matrix, regularisation: float) -> np.ndarray:
    """``(X^T X + r I)^-1`` for a users x items ``X``, by whichever side of the matrix is smaller.

    With fewer users than items (ml-latest-small: ~550 training users, 2,500 EASE items) the
    Woodbury identity ``(X^T X + r I)^-1 = (I - X^T (X X^T + r I)^-1 X) / r`` needs a Cholesky
    factorisation of users x users and one sparse x dense product instead of the inverse of an
    items x items matrix: 1.1 s instead of 5.9 s of CPU there, the same float32 weights. Both float64.
    """
    users, items = matrix.shape
    if users >= items:
        gram = (matrix.T @ matrix).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += regularisation
        return _spd_inverse(gram)
    from scipy.linalg import cho_factor, cho_solve

    x = matrix.astype(np.float64)
    kernel = (x @ x.T).toarray()
    kernel[np.diag_indices_from(kernel)] += regularisation
    solved = cho_solve(cho_factor(kernel, lower=True), x.toarray())
    inverse: np.ndarray = np.asarray(x.T @ solved)
    inverse *= -1.0
    inverse[np.diag_indices_from(inverse)] += 1.0
    inverse /= regularisation
    return inverse


def _spd_inverse(matrix: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive definite matrix by Cholesky (half the work of LU)."""
    from scipy.linalg import lapack

    factor, info = lapack.dpotrf(matrix, lower=1)
    if info == 0:
        inverse, info = lapack.dpotri(factor, lower=1)
    if info != 0:  # pragma: no cover - regularised Gram matrices are positive definite
        return np.linalg.inv(matrix)
    full: np.ndarray = np.tril(inverse) + np.tril(inverse, -1).T
    return full


def _top_eigen(gram: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` largest eigenvalues of a symmetric matrix and their eigenvectors, largest first."""
    from scipy.linalg import eigh

    n = gram.shape[0]
    values, vectors = eigh(gram, subset_by_index=[n - count, n - 1], driver="evr")
    return values[::-1], vectors[:, ::-1]


def factor_model(log: Log, rank: int, seed: int = 0) -> np.ndarray:
    """PureSVD item factors: the top ``rank`` right singular vectors of the binary user x item matrix.

    A history ``h`` scores items by ``(h @ V) @ V.T``, its projection on the main taste directions
    (a folded-in low-rank model, like matrix factorisation, without per-user training).
    """
    matrix = sp.csr_matrix((np.ones(len(log), dtype=np.float64), (log.user, log.item)),
                           shape=(log.n_users, log.n_items))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    matrix = matrix[np.flatnonzero(np.diff(matrix.indptr))]
    rank = min(rank, min(matrix.shape) - 1)
    if rank < 1:
        return np.zeros((log.n_items, 0), dtype=np.float32)
    if min(matrix.shape) <= DENSE_SVD_LIMIT:
        # Eigenvectors of the smaller Gram matrix give the same right singular vectors, faster.
        # Only the top ``rank`` eigenpairs are computed (LAPACK's evr): about half the time of all.
        if matrix.shape[0] <= matrix.shape[1]:
            values, vectors = _top_eigen((matrix @ matrix.T).toarray(), rank)
            scale = np.sqrt(np.maximum(values, 1e-12))
            vt = (matrix.T @ vectors / scale).T
        else:
            vt = _top_eigen((matrix.T @ matrix).toarray(), rank)[1].T
    else:
        from scipy.sparse.linalg import svds

        v0 = np.random.default_rng(seed).random(min(matrix.shape))
        _, _, vt = svds(matrix, k=rank, v0=v0)
    factors: np.ndarray = vt.T.astype(np.float32)
    return factors


def _dense_models(log: Log, ease_items: int, ease_regularisation: float,
                  factors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    items, weights = ease(log, ease_items, ease_regularisation)
    return items, weights, factor_model(log, factors)


def fit_signals(log: Log, *, window: int, decay: float, ease_items: int, ease_regularisation: float,
                factors: int = 64, max_neighbours: int = 400, reuse_ease: Signals | None = None,
                threads: int = 1) -> Signals:
    """Fit every item-level model on ``log`` (``reuse_ease`` keeps another fit's EASE weights).

    With two threads, EASE and PureSVD (LAPACK, which releases the GIL; BLAS itself stays on one
    thread) are fitted in a second thread while this one counts co-occurrences: the same arrays,
    in the time of the longer of the two.
    """
    edges, buckets = _time_buckets(log)
    if reuse_ease is not None:
        forward, symmetric = sequential(log, window, decay, max_neighbours)
        items, weights, item_factors = reuse_ease.ease_items, reuse_ease.ease_weights, reuse_ease.factors
    elif threads >= 2:
        with ThreadPoolExecutor(1, thread_name_prefix="dense-models") as pool:
            dense = pool.submit(_dense_models, log, ease_items, ease_regularisation, factors)
            forward, symmetric = sequential(log, window, decay, max_neighbours)
            items, weights, item_factors = dense.result()
    else:
        items, weights, item_factors = _dense_models(log, ease_items, ease_regularisation, factors)
        forward, symmetric = sequential(log, window, decay, max_neighbours)
    return Signals(
        popularity=log.item_counts(),
        bucket_edges=edges,
        bucket_counts=buckets,
        first_seen=_first_seen(log),
        forward=forward,
        symmetric=symmetric,
        ease_items=items,
        ease_weights=weights,
        factors=item_factors,
        end_time=int(log.time.max()) if len(log) else 0,
    )
