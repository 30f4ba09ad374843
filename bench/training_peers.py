"""Peer recommenders for the training benchmark, each with a small grid to tune on a validation split.

Peers see *more* than our recipes: they are fitted on the training users plus the held-out users'
input histories (so matrix factorisation has a vector for every query user), while the emulator's
recipes are fitted on the training users only and read the input history at query time, as
Amazon Personalize does. Whether a peer removes the items a user already interacted with (it helps
on MovieLens, it hurts on repeat purchases) is one more tuned choice, made on the validation split.

Every peer is a scoring function ``(matrix, rows, params, fit) -> scores`` for the query ``rows`` of
the users x items ``matrix``. ``fit.cache`` is shared by the configurations of one grid
on one matrix (EASE decomposes the Gram matrix once and then tries every lambda for the cost of a
product; item-kNN ranks the neighbours once per shrink) and is None for a single fit. Grids stay small
(<= 8 configurations) so a whole run on three data sets and two seeds stays within minutes; they
span the settings the literature reports as best on MovieLens-sized data.

LightFM WARP is kept as an *untuned* reference (one configuration): tuned BPR covers pairwise
ranking factorisation, but WARP with defaults is sometimes stronger, and the verdicts compare with
the best of every peer, so keeping it can only make the comparison harder for the emulator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from personalize_emulator.training.log import Log
from personalize_emulator.training.split import Queries
from personalize_emulator.training.threads import limited_blas

__all__ = ["PEERS", "Fit", "Params", "Peer", "als_factors", "fit_matrix", "top_lists"]

K = 25
BLOCK = 2048
#: item-kNN keeps this many neighbours per item in the grid's cache (the largest size tried).
KNN_KEEP = 200
#: EASE inverts an items x items matrix: on ml-latest-small's 9,742 items one inverse took 160 s on
#: a busy 2-core machine, and the grid's eigendecomposition several times that. It is limited to the
#: most popular items (the rest have <= 3 interactions each). That does not handicap it: on
#: ml-latest-small, seed 0, lambda 30, NDCG@10 was 0.0784 with the limit and 0.0775 without.
MAX_EASE_ITEMS = 4000
Params = dict[str, float]


@dataclass(frozen=True)
class Fit:
    """How to fit: the seed, the threads, and the ``cache`` shared by one grid (None: a single fit)."""

    seed: int
    threads: int
    cache: dict[str, Any] | None = None


Score = Callable[[sp.csr_matrix, np.ndarray, Params, Fit], np.ndarray]


@dataclass(frozen=True)
class Peer:
    """A scoring function and the configurations tried on the validation split."""

    name: str
    score: Score
    grid: tuple[Params, ...]
    tuned: bool = True


def fit_matrix(train_log: Log, queries: Queries) -> sp.csr_matrix:
    """Users x items, 1 per (user, item) seen by the training users or in a query's input."""
    users = np.concatenate([train_log.user, np.repeat(queries.user, np.diff(queries.hist_indptr))])
    items = np.concatenate([train_log.item, queries.hist_item])
    matrix = sp.csr_matrix((np.ones(len(users), dtype=np.float32), (users, items)),
                           shape=(train_log.n_users, train_log.n_items))
    matrix.data[:] = 1.0
    return matrix


def top_lists(scores: np.ndarray, seen: sp.csr_matrix, rows: np.ndarray) -> dict[bool, np.ndarray]:
    """Top-K per row, with and without the row's seen items (keys: filter_seen)."""
    out = {}
    for filter_seen in (False, True):
        s = scores.astype(np.float64, copy=True)
        if filter_seen:
            sub = seen[rows]
            s[np.repeat(np.arange(len(rows)), np.diff(sub.indptr)), sub.indices] = -np.inf
        top = np.argpartition(-s, K, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(s, top, axis=1), axis=1, kind="stable")
        out[filter_seen] = np.take_along_axis(top, order, axis=1)
    return out


def _popularity(matrix: sp.csr_matrix) -> np.ndarray:
    counts: np.ndarray = np.asarray(matrix.sum(axis=0)).ravel().astype(np.float64)
    return counts


def item_knn(matrix: sp.csr_matrix, rows: np.ndarray, params: Params, fit: Fit) -> np.ndarray:
    """Item-kNN: a user's score for j sums sim(i, j) over their items i, where sim is cosine
    ``c_ij / (sqrt(n_i n_j) + shrink)`` raised to ``power`` and kept for each i's ``neighbours`` best j.

    The power does not change which neighbours are best, so one pass per shrink serves every
    neighbourhood size and power of the grid (the pass is the cost: a dense items x items product)."""
    cache = {} if fit.cache is None else fit.cache
    neighbours, shrink = int(params["neighbours"]), params["shrink"]
    key = f"top {shrink:g}"
    if key not in cache or cache[key][0].shape[1] < min(neighbours, matrix.shape[1]):
        cache[key] = _neighbours(matrix, shrink, max(neighbours, KNN_KEEP) if fit.cache is not None else neighbours)
    top, values = cache[key]
    top, values = top[:, :neighbours], np.power(values[:, :neighbours], params["power"])
    weights = sp.csr_matrix((values.ravel(), (np.repeat(np.arange(top.shape[0]), top.shape[1]), top.ravel())),
                            shape=(matrix.shape[1], matrix.shape[1]))
    scores: np.ndarray = (matrix[rows] @ weights).toarray()
    return scores


def _neighbours(matrix: sp.csr_matrix, shrink: float, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Each item's ``keep`` most similar items (best first) and their shrunk cosines."""
    co = (matrix.T @ matrix).tocsr().astype(np.float64)
    co.setdiag(0.0)
    norm = np.sqrt(np.maximum(_popularity(matrix), 1.0))
    keep = min(keep, co.shape[1])
    tops, values = [], []
    for start in range(0, co.shape[0], BLOCK):
        stop = min(start + BLOCK, co.shape[0])
        sim = co[start:stop].toarray()
        sim /= norm[start:stop, None] * norm[None, :] + shrink
        top = np.argpartition(-sim, keep - 1, axis=1)[:, :keep] if keep < sim.shape[1] else \
            np.tile(np.arange(sim.shape[1]), (stop - start, 1))
        order = np.argsort(-np.take_along_axis(sim, top, axis=1), axis=1, kind="stable")
        tops.append(np.take_along_axis(top, order, axis=1))
        values.append(np.take_along_axis(sim, tops[-1], axis=1))
    return np.vstack(tops), np.vstack(values)


def ease(matrix: sp.csr_matrix, rows: np.ndarray, params: Params, fit: Fit) -> np.ndarray:
    """EASE (Steck 2019): B = I - P / diag(P) with P = (X'X + lambda I)^-1, so scores = X - XP / diag(P).

    With a cache, X'X = V diag(e) V' is decomposed once and each lambda costs two thin products."""
    popular = np.sort(np.argsort(-_popularity(matrix), kind="stable")[:MAX_EASE_ITEMS])
    sub = matrix[:, popular]
    x = sub[rows].toarray().astype(np.float64)
    lam = params["lambda"]
    if fit.cache is None:
        gram = (sub.T @ sub).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += lam
        inverse = np.linalg.inv(gram)
        partial = x - (x @ inverse) / np.diag(inverse)[None, :]
    else:
        if "eig" not in fit.cache:
            fit.cache["eig"] = np.linalg.eigh((sub.T @ sub).toarray().astype(np.float64))
        values, vectors = fit.cache["eig"]
        inv = 1.0 / (values + lam)
        diagonal = np.einsum("ik,k,ik->i", vectors, inv, vectors)
        partial = x - (((x @ vectors) * inv) @ vectors.T) / diagonal[None, :]
    scores = np.full((len(rows), matrix.shape[1]), -1e9)
    scores[:, popular] = partial
    return scores


def als_factors(matrix: sp.csr_matrix, params: Params, fit: Fit) -> tuple[np.ndarray, np.ndarray]:
    """implicit's conjugate-gradient ALS (Hu, Koren, Volinsky 2008) fitted on ``matrix``: user and item
    factors. Its own threads, BLAS on one (as implicit asks: a BLAS pool inside its threads
    oversubscribes the cores)."""
    from implicit.cpu.als import AlternatingLeastSquares  # type: ignore[import-untyped]

    with limited_blas(1):
        model = AlternatingLeastSquares(factors=int(params["factors"]), regularization=params["regularization"],
                                        alpha=params["alpha"], iterations=int(params["iterations"]),
                                        random_state=fit.seed, num_threads=fit.threads)
        model.fit(matrix, show_progress=False)
    return np.asarray(model.user_factors), np.asarray(model.item_factors)


def als(matrix: sp.csr_matrix, rows: np.ndarray, params: Params, fit: Fit) -> np.ndarray:
    """ALS scores (:func:`als_factors`) of the query ``rows`` for every item."""
    users, items = als_factors(matrix, params, fit)
    return np.asarray(users[rows] @ items.T)


def bpr(matrix: sp.csr_matrix, rows: np.ndarray, params: Params, fit: Fit) -> np.ndarray:
    """implicit's BPR, on one thread: its multi-threaded SGD is lock-free and not repeatable."""
    from implicit.cpu.bpr import BayesianPersonalizedRanking  # type: ignore[import-untyped]

    model = BayesianPersonalizedRanking(factors=int(params["factors"]), learning_rate=params["learning_rate"],
                                        regularization=params["regularization"],
                                        iterations=int(params["iterations"]), random_state=fit.seed, num_threads=1)
    model.fit(matrix, show_progress=False)
    return np.asarray(model.user_factors[rows] @ model.item_factors.T)


def lightfm_warp(matrix: sp.csr_matrix, rows: np.ndarray, params: Params, fit: Fit) -> np.ndarray:
    """LightFM WARP with its usual settings (untuned reference)."""
    from lightfm import LightFM  # type: ignore[import-untyped]

    model = LightFM(loss="warp", no_components=int(params["components"]), learning_rate=params["learning_rate"],
                    random_state=fit.seed)
    model.fit(matrix.tocoo(), epochs=int(params["epochs"]), num_threads=fit.threads)
    n_items = matrix.shape[1]
    return np.stack([model.predict(int(u), np.arange(n_items), num_threads=fit.threads) for u in rows])


def _grid(keys: tuple[str, ...], rows: list[tuple[float, ...]]) -> tuple[Params, ...]:
    return tuple(dict(zip(keys, row, strict=True)) for row in rows)


PEERS: dict[str, Peer] = {
    "item-knn": Peer("item-knn", item_knn, _grid(
        ("neighbours", "shrink", "power"),
        [(n, s, p) for n in (50, 200) for s in (0.0, 20.0) for p in (1.0, 2.0)])),
    "ease": Peer("ease", ease, _grid(
        ("lambda",), [(v,) for v in (10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0, 30000.0)])),
    "implicit-als": Peer("implicit-als", als, _grid(
        ("factors", "regularization", "alpha", "iterations"),
        [(16, 0.1, 1.0, 15), (32, 0.1, 1.0, 15), (32, 0.01, 5.0, 15), (64, 0.1, 1.0, 15),
         (64, 0.1, 10.0, 15), (64, 1.0, 10.0, 30), (128, 0.1, 10.0, 15), (128, 1.0, 40.0, 30)])),
    "implicit-bpr": Peer("implicit-bpr", bpr, _grid(
        ("factors", "learning_rate", "regularization", "iterations"),
        [(f, lr, 0.01, 100) for f in (64, 128) for lr in (0.01, 0.05)])),
    "lightfm-warp": Peer("lightfm-warp", lightfm_warp, _grid(
        ("components", "learning_rate", "epochs"), [(32, 0.05, 30)]), tuned=False),
}
