"""Peer recommenders for the training benchmark, under exactly the same split and metrics.

Peers see *more* than our recipes: they are fitted on the training users plus the held-out users'
input histories (so matrix factorisation has a vector for every query user), while the emulator's
recipes are fitted on the training users only and read the input history at query time, as
Amazon Personalize does. Items a user already interacted with are filtered from peer lists when
that helps them (MovieLens) and kept when it helps them (repeat purchases): each peer is scored
both ways and keeps its better result.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from personalize_emulator.training.log import Log
from personalize_emulator.training.split import Queries

__all__ = ["PEERS", "fit_matrix"]

K = 25
Peer = Callable[[sp.csr_matrix, Queries, int, int], dict[bool, np.ndarray]]


def fit_matrix(train_log: Log, queries: Queries) -> sp.csr_matrix:
    """Users x items, 1 per (user, item) seen by the training users or in a query's input."""
    users = np.concatenate([train_log.user, np.repeat(queries.user, np.diff(queries.hist_indptr))])
    items = np.concatenate([train_log.item, queries.hist_item])
    matrix = sp.csr_matrix((np.ones(len(users), dtype=np.float32), (users, items)),
                           shape=(train_log.n_users, train_log.n_items))
    matrix.data[:] = 1.0
    return matrix


def _top(scores: np.ndarray, seen: sp.csr_matrix, rows: np.ndarray) -> dict[bool, np.ndarray]:
    """Top-K per row, with and without the row's seen items (keys: filter_seen)."""
    out = {}
    for filter_seen in (False, True):
        s = scores.copy()
        if filter_seen:
            sub = seen[rows]
            s[np.repeat(np.arange(len(rows)), np.diff(sub.indptr)), sub.indices] = -np.inf
        top = np.argpartition(-s, K, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(s, top, axis=1), axis=1, kind="stable")
        out[filter_seen] = np.take_along_axis(top, order, axis=1)
    return out


def als(matrix: sp.csr_matrix, queries: Queries, seed: int, threads: int) -> dict[bool, np.ndarray]:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from implicit.cpu.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(factors=32, regularization=0.1, alpha=1.0, iterations=15,
                                    random_state=seed, num_threads=threads)
    model.fit(matrix, show_progress=False)
    scores = np.asarray(model.user_factors[queries.user] @ model.item_factors.T)
    return _top(scores, matrix, queries.user)


def lightfm_warp(matrix: sp.csr_matrix, queries: Queries, seed: int, threads: int) -> dict[bool, np.ndarray]:
    from lightfm import LightFM

    model = LightFM(loss="warp", no_components=32, learning_rate=0.05, random_state=seed)
    model.fit(matrix.tocoo(), epochs=30, num_threads=threads)
    n_items = matrix.shape[1]
    scores = np.stack([model.predict(int(u), np.arange(n_items), num_threads=threads) for u in queries.user])
    return _top(scores, matrix, queries.user)


def ease(matrix: sp.csr_matrix, queries: Queries, seed: int, threads: int) -> dict[bool, np.ndarray]:
    del seed, threads
    gram = (matrix.T @ matrix).toarray().astype(np.float64)
    gram[np.diag_indices_from(gram)] += 500.0
    inverse = np.linalg.inv(gram)
    weights = -inverse / np.diag(inverse)
    weights[np.diag_indices_from(weights)] = 0.0
    scores = np.asarray(matrix[queries.user] @ weights)
    return _top(scores, matrix, queries.user)


PEERS: dict[str, Peer] = {"implicit-als": als, "lightfm-warp": lightfm_warp, "ease": ease}
