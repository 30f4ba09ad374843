"""Item embeddings for aws-similar-items: truncated SVDs of interactions and of item metadata.

``item_id_hidden_dim`` sets the interaction embedding's size: a truncated SVD of the user x item
matrix (each user's row scaled by ``1/sqrt(history length)``, each item's column by
``popularity ** -0.25`` so blockbusters do not align with everything). ``item_metadata_hidden_dim``
sets the metadata embedding's size: a truncated SVD of the Items dataset's columns (categorical
values one-hot and normalised, numeric columns standardised). Each part is normalised to unit length
per item and the parts are weighted by how much evidence the item has: an item with no
interactions is placed by its metadata alone. Small matrices use an exact dense SVD; large ones
ARPACK from a seeded start vector (deterministic either way).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .engine import FitContext
from .log import Log
from .personal.metadata import build_metadata

__all__ = ["item_embeddings"]

DENSE_SVD_LIMIT = 2500  # exact dense SVD when one side is this small (fast, no ARPACK)
EVIDENCE = 10.0  # interactions at which the interaction part and the metadata part weigh the same


def _svd_rows(matrix: sp.csr_matrix, dim: int, seed: int) -> np.ndarray:
    """Left singular vectors scaled by the singular values (rows = items), ``dim`` at most."""
    rank = min(dim, min(matrix.shape) - 1)
    if rank < 1 or matrix.nnz == 0:
        return np.zeros((matrix.shape[0], 0), dtype=np.float64)
    if min(matrix.shape) <= DENSE_SVD_LIMIT:
        u, s, _ = np.linalg.svd(matrix.toarray().astype(np.float64), full_matrices=False)
        u, s = u[:, :rank], s[:rank]
    else:
        from scipy.sparse.linalg import svds

        v0 = np.random.default_rng(seed).random(min(matrix.shape))
        u, s, _ = svds(matrix.astype(np.float64), k=rank, v0=v0)
    embedding: np.ndarray = u * s
    return embedding


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit


def _interaction_matrix(log: Log) -> sp.csr_matrix:
    """Items x users, weighted so long histories and blockbusters do not dominate."""
    matrix = sp.csr_matrix((np.ones(len(log), dtype=np.float32), (log.item, log.user)),
                           shape=(log.n_items, log.n_users))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    user_scale = 1.0 / np.sqrt(np.maximum(np.asarray(matrix.sum(axis=0)).ravel(), 1.0))
    item_scale = np.power(np.maximum(np.asarray(matrix.sum(axis=1)).ravel(), 1.0), -0.25)
    scaled: sp.csr_matrix = (sp.diags(item_scale) @ matrix @ sp.diags(user_scale)).tocsr()
    return scaled


def _metadata_matrix(log: Log, ctx: FitContext) -> sp.csr_matrix:
    """Items x metadata features (one-hot values per string column, standardised numbers)."""
    meta = build_metadata(ctx.data, log.items, ctx.settings)
    parts: list[sp.csr_matrix] = list(meta.item_values)
    if meta.item_numeric.shape[1]:
        numeric = meta.item_numeric.astype(np.float64)
        mean, std = np.nanmean(numeric, axis=0), np.nanstd(numeric, axis=0)
        standard = np.nan_to_num((numeric - mean) / np.where(std > 0, std, 1.0))
        parts.append(sp.csr_matrix(standard.astype(np.float32)))
    if not parts:
        return sp.csr_matrix((log.n_items, 0), dtype=np.float32)
    return sp.hstack(parts).tocsr()


def item_embeddings(log: Log, ctx: FitContext) -> np.ndarray:
    """Unit-length item vectors whose dot products are similar-items' similarities."""
    interactions = _interaction_matrix(log)
    cf = _unit(_svd_rows(interactions, int(ctx.float_hyperparameter("item_id_hidden_dim")), ctx.seed))
    metadata = _metadata_matrix(log, ctx)
    meta = _unit(_svd_rows(metadata, int(ctx.float_hyperparameter("item_metadata_hidden_dim")), ctx.seed))
    if meta.shape[1] == 0:
        return cf
    evidence = np.bincount(log.item, minlength=log.n_items).astype(np.float64)
    share = (evidence / (evidence + EVIDENCE))[:, None]
    combined = np.hstack([cf * np.sqrt(share), meta * np.sqrt(1.0 - share)])
    return _unit(combined)
