"""What filters read: a dataset group's Items, Users and item interactions, indexed for lookups.

Built once per set of imported data parts (an import changes the key, PutEvents does not: recorded
events are read per request, so a just-recorded interaction filters the very next answer).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..datafiles import training_data
from ..training.data import Table, TrainingData

__all__ = ["FilterData", "Records", "UserHistory", "filter_data", "index_data"]

#: Interactions a filter looks at: the newest 100 per user per event type (Developer Guide, quotas).
NEWEST_PER_EVENT_TYPE = 100
_CACHE_SIZE = 8


@dataclass(slots=True)
class Records:
    """An Items or Users table: rows by id, each column as values, numbers, and (lazily) an index."""

    table: Table
    rows: dict[str, int]
    _numbers: dict[str, np.ndarray] = field(default_factory=dict)
    _index: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def of(cls, table: Table | None) -> Records | None:
        if table is None:
            return None
        return cls(table, {str(key): i for i, key in enumerate(table.key.tolist())})

    def __len__(self) -> int:
        return len(self.table)

    def has(self, column: str) -> bool:
        return column in self.table.columns

    def values(self, column: str, row: int) -> tuple[str, ...]:
        """One row's values of ``column`` as strings (categorical ``a|b`` split; empty when null)."""
        value = self.table.columns[column][row]
        if isinstance(value, float | np.floating):
            return () if np.isnan(value) else (_number_text(float(value)),)
        text = str(value)
        if not text:
            return ()
        return tuple(text.split("|")) if column in self.table.categorical else (text,)

    def numbers(self, column: str) -> np.ndarray:
        """``column`` as float64 (NaN where null or not a number)."""
        found = self._numbers.get(column)
        if found is None:
            raw = self.table.columns[column]
            if raw.dtype.kind == "f":
                found = raw
            else:
                found = np.array([_to_float(str(v)) for v in raw.tolist()], dtype=np.float64)
            self._numbers[column] = found
        return found

    def index(self, column: str) -> dict[str, np.ndarray]:
        """value -> the rows holding it (every value of a multi-valued categorical row counts)."""
        found = self._index.get(column)
        if found is None:
            lists: dict[str, list[int]] = {}
            for row in range(len(self)):
                for value in self.values(column, row):
                    lists.setdefault(value, []).append(row)
            found = {k: np.asarray(v, dtype=np.int64) for k, v in lists.items()}
            self._index[column] = found
        return found


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


@dataclass(frozen=True, slots=True)
class UserHistory:
    """One user's interactions as filters see them: item ids and lower-cased event types."""

    items: np.ndarray
    event_types: np.ndarray


@dataclass(slots=True)
class FilterData:
    """A dataset group's imported data, indexed for filter evaluation."""

    items: Records | None
    users: Records | None
    #: interactions sorted by (user, timestamp); ``user_ids[k]`` owns rows ``bounds[k]:bounds[k+1]``
    user_ids: np.ndarray
    bounds: np.ndarray
    item_ids: np.ndarray
    event_types: np.ndarray
    timestamps: np.ndarray
    #: Item ids matched by user-independent (Items) expressions, by (where clause, values, item):
    #: evaluated once per filter and values while this data is current.
    matched: dict[Hashable, frozenset[str]] = field(default_factory=dict)

    def history(self, user_id: str | None, recorded: Sequence[tuple[str, str, float]] = ()) -> UserHistory:
        """``user_id``'s imported interactions plus ``recorded`` (item, event type, time) from PutEvents,
        keeping the newest :data:`NEWEST_PER_EVENT_TYPE` per event type (imported ones are already
        limited by :func:`index_data`)."""
        if user_id is None:
            return UserHistory(np.empty(0, dtype=str), np.empty(0, dtype=str))
        k = int(np.searchsorted(self.user_ids, user_id))
        if k < len(self.user_ids) and self.user_ids[k] == user_id:
            lo, hi = int(self.bounds[k]), int(self.bounds[k + 1])
            items, kinds, times = self.item_ids[lo:hi], self.event_types[lo:hi], self.timestamps[lo:hi]
        else:
            items, kinds, times = (np.empty(0, dtype=str), np.empty(0, dtype=str), np.empty(0, dtype=np.float64))
        if not recorded:
            return UserHistory(items, kinds)
        items = np.concatenate([items, np.asarray([r[0] for r in recorded], dtype=str)])
        kinds = np.concatenate([kinds, np.asarray([r[1].lower() for r in recorded], dtype=str)])
        times = np.concatenate([times, np.asarray([r[2] for r in recorded], dtype=np.float64)])
        keep = _newest(np.zeros(len(items), dtype=np.int64), kinds, times)
        return UserHistory(items[keep], kinds[keep])


def _newest(users: np.ndarray, kinds: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Indices of the newest :data:`NEWEST_PER_EVENT_TYPE` rows per (user, event type), in input order."""
    if len(kinds) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-times, kinds, users))
    u, k = users[order], kinds[order]
    starts = np.r_[0, np.flatnonzero((u[1:] != u[:-1]) | (k[1:] != k[:-1])) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return np.sort(order[rank < NEWEST_PER_EVENT_TYPE])


def index_data(data: TrainingData) -> FilterData:
    """``data`` (imported columns, as training reads them) indexed for filters."""
    log = data.interactions
    kinds = np.char.lower(log.event_type.astype(str))
    times = log.timestamp.astype(np.float64)
    _, user_codes = np.unique(log.user_id, return_inverse=True)
    kept = _newest(user_codes, kinds, times)  # what filters may look at, limited once here
    order = kept[np.lexsort((times[kept], log.user_id[kept]))]
    users = log.user_id[order]
    user_ids, starts = np.unique(users, return_index=True)
    return FilterData(
        items=Records.of(data.items), users=Records.of(data.users), user_ids=user_ids,
        bounds=np.r_[starts, len(users)].astype(np.int64), item_ids=log.item_id[order],
        event_types=kinds[order], timestamps=times[order],
    )


_cache: OrderedDict[Hashable, FilterData] = OrderedDict()
_lock = threading.Lock()


def filter_data(parts: Mapping[str, tuple[Path, Sequence[str], frozenset[str]]]) -> FilterData:
    """The indexed data of a dataset group's imported ``parts`` (see ``service.datasets.dataset_parts``),
    built once per distinct set of parts and kept for the next requests."""
    key = tuple(sorted((kind, str(d), tuple(p), c) for kind, (d, p, c) in parts.items()))
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    built = index_data(training_data(parts, ()))
    with _lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built
