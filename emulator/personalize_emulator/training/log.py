"""The interaction log as integer-coded numpy columns, filtered and weighted for one solution.

Every model works on :class:`Log`: users and items coded as dense integers, rows sorted by user and
then time (so one user's history is a contiguous, chronological slice), and one weight per row from
``eventsConfig``. Filtering (``eventType``, ``eventValueThreshold``, ``eventsConfig`` thresholds) and
the documented training minimums are applied here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import TrainingData
from .errors import TrainingError
from .settings import Settings

__all__ = ["MIN_INTERACTIONS", "MIN_USERS", "Log", "build_log", "select_rows"]

MIN_INTERACTIONS = 1000
MIN_USERS = 25  # users with at least two interactions


@dataclass(frozen=True, slots=True)
class Log:
    """Integer-coded interactions. ``users``/``items`` map codes back to ids (both sorted).

    ``items`` is the catalogue: every item of the Interactions dataset and of the Items dataset, so
    items without interactions still count for coverage and metadata-based similarity.
    """

    users: np.ndarray
    items: np.ndarray
    user: np.ndarray  # int32 per row
    item: np.ndarray  # int32 per row
    time: np.ndarray  # int64 per row
    weight: np.ndarray  # float32 per row
    indptr: np.ndarray  # int64, n_users + 1: rows of user u are indptr[u]:indptr[u+1]

    @property
    def n_users(self) -> int:
        return int(self.users.shape[0])

    @property
    def n_items(self) -> int:
        return int(self.items.shape[0])

    def __len__(self) -> int:
        return int(self.user.shape[0])

    def counts(self) -> np.ndarray:
        """Rows per user."""
        return np.diff(self.indptr)

    def take(self, rows: np.ndarray) -> Log:
        """The rows selected by the boolean mask ``rows``, with the same user and item coding."""
        user = self.user[rows]
        indptr = np.zeros(self.n_users + 1, dtype=np.int64)
        np.cumsum(np.bincount(user, minlength=self.n_users), out=indptr[1:])
        return Log(self.users, self.items, user, self.item[rows], self.time[rows], self.weight[rows], indptr)

    def item_counts(self, weighted: bool = True) -> np.ndarray:
        """Interactions per item (weighted by ``eventsConfig`` weights unless told otherwise)."""
        weights = self.weight if weighted else None
        return np.bincount(self.item, weights=weights, minlength=self.n_items).astype(np.float64)


def select_rows(data: TrainingData, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """The rows that train and their weights, after the solution's event filters.

    ``eventType`` keeps one event type; ``eventValueThreshold`` keeps events whose value is >= it;
    ``eventsConfig`` keeps only the listed event types, each above its own threshold, weighted by
    its weight (a weight of 0 drops the type).
    """
    frame = data.interactions
    keep = np.ones(len(frame), dtype=bool)
    weight = np.ones(len(frame), dtype=np.float32)
    if settings.event_type is not None:
        keep &= frame.event_type == settings.event_type
    if settings.event_value_threshold is not None:
        with np.errstate(invalid="ignore"):
            keep &= frame.event_value >= settings.event_value_threshold
    if settings.event_rules:
        weight[:] = 0.0
        for rule in settings.event_rules:
            match = frame.event_type == rule.event_type
            if rule.threshold is not None:
                with np.errstate(invalid="ignore"):
                    match &= frame.event_value >= rule.threshold
            weight[match] = rule.weight
        keep &= weight > 0
    return keep, weight


def _describe_filters(settings: Settings) -> str:
    parts = []
    if settings.event_type is not None:
        parts.append(f"eventType {settings.event_type!r}")
    if settings.event_value_threshold is not None:
        parts.append(f"eventValueThreshold {settings.event_value_threshold:g}")
    if settings.event_rules:
        parts.append("eventsConfig " + ", ".join(repr(r.event_type) for r in settings.event_rules))
    return " after filtering by " + " and ".join(parts) if parts else ""


def check_minimums(user_ids: np.ndarray, settings: Settings) -> None:
    """Amazon Personalize's documented minimums to train a solution version."""
    _, per_user = np.unique(user_ids, return_counts=True)
    users = int((per_user >= 2).sum())
    if len(user_ids) >= MIN_INTERACTIONS and users >= MIN_USERS:
        return
    raise TrainingError(
        f"Training needs at least {MIN_INTERACTIONS:,} interactions and at least {MIN_USERS} users with "
        f"2 or more interactions each{_describe_filters(settings)}; found {len(user_ids):,} interactions "
        f"and {users} such users. Import more interactions or relax the event filters."
    )


def build_log(data: TrainingData, settings: Settings) -> Log:
    """Filter, weight, check the minimums and integer-code the interactions."""
    keep, weight = select_rows(data, settings)
    frame = data.interactions
    user_ids = frame.user_id[keep]
    check_minimums(user_ids, settings)
    users, user = np.unique(user_ids.astype(str), return_inverse=True)
    catalogue = [frame.item_id[keep].astype(str)]
    if data.items is not None and len(data.items):
        catalogue.append(data.items.key.astype(str))
    items = np.unique(np.concatenate(catalogue))
    item = np.searchsorted(items, frame.item_id[keep].astype(str))
    time = frame.timestamp[keep].astype(np.int64)
    order = np.lexsort((np.arange(len(user)), time, user))
    user = user[order].astype(np.int32)
    indptr = np.zeros(len(users) + 1, dtype=np.int64)
    np.cumsum(np.bincount(user, minlength=len(users)), out=indptr[1:])
    return Log(
        users=users,
        items=items,
        user=user,
        item=item[order].astype(np.int32),
        time=time[order],
        weight=weight[keep][order].astype(np.float32),
        indptr=indptr,
    )
