"""Personalize's evaluation split, and the same protocol reused for validation.

GetSolutionMetrics: 90% of users train; each of the other 10% becomes a query whose input is the
oldest 90% of that user's interactions and whose ground truth is the newest 10% (at least one
interaction). HPO trials and the ranker's training labels use the same holdout on *training* users
only, so nothing tuned ever sees a test user.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .log import Log

__all__ = ["Queries", "holdout", "per_event", "personalize_split", "test_users"]

TEST_FRACTION = 0.1
TRUTH_FRACTION = 0.1


@dataclass(frozen=True, slots=True)
class Queries:
    """One query per held-out user: an input history (chronological) and the items to find.

    Both are CSR-style: query ``q``'s history rows are ``hist_indptr[q]:hist_indptr[q+1]``; its
    ground truth (distinct items) is ``truth_item[truth_indptr[q]:truth_indptr[q+1]]``.
    """

    user: np.ndarray
    hist_indptr: np.ndarray
    hist_item: np.ndarray
    hist_time: np.ndarray
    hist_weight: np.ndarray
    truth_indptr: np.ndarray
    truth_item: np.ndarray

    def __len__(self) -> int:
        return int(self.user.shape[0])

    def history(self, q: int) -> np.ndarray:
        rows: np.ndarray = self.hist_item[self.hist_indptr[q]:self.hist_indptr[q + 1]]
        return rows

    def truth(self, q: int) -> np.ndarray:
        rows: np.ndarray = self.truth_item[self.truth_indptr[q]:self.truth_indptr[q + 1]]
        return rows

    def last_time(self) -> np.ndarray:
        """Each query's newest input timestamp (the moment it is asked)."""
        times: np.ndarray = self.hist_time[self.hist_indptr[1:] - 1]
        return times

    def last_item(self) -> np.ndarray:
        """Each query's newest input item (the ``itemId`` of a related-items query)."""
        items: np.ndarray = self.hist_item[self.hist_indptr[1:] - 1]
        return items

    def take(self, chosen: np.ndarray) -> Queries:
        """The queries at positions ``chosen`` (ascending), with their own CSR arrays."""
        chosen = np.asarray(chosen, dtype=np.int64)
        hist = _ranges(self.hist_indptr[chosen], self.hist_indptr[chosen + 1])
        truth = _ranges(self.truth_indptr[chosen], self.truth_indptr[chosen + 1])
        return Queries(
            user=self.user[chosen],
            hist_indptr=_indptr(np.diff(self.hist_indptr)[chosen]),
            hist_item=self.hist_item[hist],
            hist_time=self.hist_time[hist],
            hist_weight=self.hist_weight[hist],
            truth_indptr=_indptr(np.diff(self.truth_indptr)[chosen]),
            truth_item=self.truth_item[truth],
        )


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, e)`` for each pair, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    ranges: np.ndarray = offsets + np.arange(total, dtype=np.int64)
    return ranges


def _indptr(lengths: np.ndarray) -> np.ndarray:
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def holdout(
    log: Log, users: np.ndarray, truth_fraction: float = TRUTH_FRACTION
) -> tuple[np.ndarray, Queries]:
    """Queries for ``users`` (each with >= 2 rows): oldest rows input, newest ``truth_fraction`` truth.

    Returns the boolean mask of the truth rows in ``log`` and the queries.
    """
    users = np.asarray(users, dtype=np.int64)
    starts, ends = log.indptr[users], log.indptr[users + 1]
    n = ends - starts
    n_truth = np.clip(np.floor(truth_fraction * n + 0.5).astype(np.int64), 1, np.maximum(n - 1, 1))
    cut = ends - n_truth
    hist_rows = _ranges(starts, cut)
    truth_rows = _ranges(cut, ends)
    truth_mask = np.zeros(len(log), dtype=bool)
    truth_mask[truth_rows] = True
    query_of_truth = np.repeat(np.arange(len(users)), n_truth)
    keys = np.unique(query_of_truth * np.int64(log.n_items) + log.item[truth_rows])
    truth_query = keys // log.n_items
    queries = Queries(
        user=users.astype(np.int32),
        hist_indptr=_indptr(cut - starts),
        hist_item=log.item[hist_rows],
        hist_time=log.time[hist_rows],
        hist_weight=log.weight[hist_rows],
        truth_indptr=_indptr(np.bincount(truth_query, minlength=len(users))),
        truth_item=(keys % log.n_items).astype(np.int32),
    )
    return truth_mask, queries


def per_event(log: Log, users: np.ndarray, truth_fraction: float = TRUTH_FRACTION) -> Queries:
    """The "one query per held-out event" variant: each truth event is its own query.

    A query's input is everything the user did before that event (the input part plus earlier
    truth events); its truth is that one item. Not what GetSolutionMetrics reports (see
    :mod:`.metrics`); offered for comparisons with next-item evaluations.
    """
    truth_mask, _ = holdout(log, users, truth_fraction)
    rows = np.flatnonzero(truth_mask)
    starts = log.indptr[log.user[rows]]
    hist_rows = _ranges(starts, rows)
    return Queries(
        user=log.user[rows].astype(np.int32),
        hist_indptr=_indptr(rows - starts),
        hist_item=log.item[hist_rows],
        hist_time=log.time[hist_rows],
        hist_weight=log.weight[hist_rows],
        truth_indptr=np.arange(len(rows) + 1, dtype=np.int64),
        truth_item=log.item[rows].astype(np.int32),
    )


def test_users(log: Log, seed: int, test_fraction: float = TEST_FRACTION) -> np.ndarray:
    """The held-out users: ``test_fraction`` of the users with >= 2 interactions, drawn with ``seed``."""
    eligible = np.flatnonzero(log.counts() >= 2)
    rng = np.random.default_rng(seed)
    n_test = max(1, int(np.floor(test_fraction * len(eligible) + 0.5)))
    chosen: np.ndarray = np.sort(rng.permutation(eligible)[:n_test])
    return chosen


def personalize_split(log: Log, seed: int, test_fraction: float = TEST_FRACTION) -> tuple[Log, Queries]:
    """Hold out ``test_fraction`` of the users (chosen among users with >= 2 interactions).

    Returns the training log (every row of the other users) and the test queries.
    """
    test = test_users(log, seed, test_fraction)
    train_rows = ~np.isin(log.user, test)
    _, queries = holdout(log, test)
    return log.take(train_rows), queries
