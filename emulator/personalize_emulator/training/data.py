"""The training core's input: a dataset group's data as numpy columns.

The control plane builds these from imported CSV files (typed by the datasets' Avro schemas) plus
events recorded by PutEvents, then hands them to :func:`personalize_emulator.training.train`.
Strings are numpy unicode arrays (``dtype.kind == "U"``) so they can be stored in ``.npz`` files
without pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Interactions", "Table", "TrainingData"]


@dataclass(slots=True)
class Interactions:
    """One row per interaction. ``event_type`` is "" and ``event_value`` NaN where absent."""

    user_id: np.ndarray  # unicode
    item_id: np.ndarray  # unicode
    timestamp: np.ndarray  # int64, epoch seconds
    event_type: np.ndarray  # unicode ("" when the dataset has no EVENT_TYPE column)
    event_value: np.ndarray  # float64 (NaN when absent)
    #: Further schema columns (contextual metadata): numeric -> float64, otherwise unicode.
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.user_id.shape[0])


@dataclass(slots=True)
class Table:
    """An Items or Users dataset: ``key`` is ITEM_ID / USER_ID, ``columns`` the other schema fields.

    Numeric Avro fields (int, long, float, double) arrive as float64 (NaN for null); string fields as
    unicode arrays, where a ``categorical`` field may hold several values separated by ``|``.
    """

    key: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    categorical: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return int(self.key.shape[0])


@dataclass(slots=True)
class TrainingData:
    """Everything a dataset group holds for training."""

    interactions: Interactions
    items: Table | None = None
    users: Table | None = None
