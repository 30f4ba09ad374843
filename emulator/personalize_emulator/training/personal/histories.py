"""Query histories in CSR form, and the sparse user x item views the features are computed from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..split import Queries

__all__ = ["Histories"]


@dataclass(frozen=True, slots=True)
class Histories:
    """A batch of chronological histories (one per query) and the moment each query is asked.

    ``user`` is the query's user code in the model's Users table (-1 when unknown).
    """

    indptr: np.ndarray
    item: np.ndarray
    time: np.ndarray
    weight: np.ndarray
    when: np.ndarray
    user: np.ndarray

    @classmethod
    def of(cls, queries: Queries, user_codes: np.ndarray) -> Histories:
        """The queries' input histories, each asked at its newest input's moment."""
        return cls(queries.hist_indptr, queries.hist_item, queries.hist_time, queries.hist_weight,
                   queries.last_time(), user_codes)

    def __len__(self) -> int:
        return int(self.indptr.shape[0] - 1)

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def rows(self) -> np.ndarray:
        """The query of each history row."""
        return np.repeat(np.arange(len(self)), self.lengths())

    def steps_back(self) -> np.ndarray:
        """Per history row: how many events of the same query are newer (0 = the newest)."""
        ends = np.repeat(self.indptr[1:], self.lengths())
        back: np.ndarray = ends - 1 - np.arange(len(self.item))
        return back

    def matrix(self, values: np.ndarray, n_items: int) -> sp.csr_matrix:
        """Queries x items, summing ``values`` of repeated items."""
        matrix = sp.csr_matrix((values.astype(np.float32), (self.rows(), self.item)), shape=(len(self), n_items))
        matrix.sum_duplicates()
        return matrix

    def last_item(self) -> np.ndarray:
        """The newest item of each query (-1 for an empty history)."""
        lengths = self.lengths()
        last = np.full(len(self), -1, dtype=np.int64)
        has = lengths > 0
        last[has] = self.item[self.indptr[1:][has] - 1]
        return last

    def slice(self, start: int, stop: int) -> Histories:
        lo, hi = int(self.indptr[start]), int(self.indptr[stop])
        return Histories(self.indptr[start:stop + 1] - lo, self.item[lo:hi], self.time[lo:hi],
                         self.weight[lo:hi], self.when[start:stop], self.user[start:stop])
