"""Imported data and trained models on disk, written atomically, read without pickle.

Each finished import job leaves one ``.npz`` file of typed columns under ``data/<dataset-id>/``; a
FULL import replaces the dataset's list of parts, an INCREMENTAL one appends to it.  Files are
written to a temporary name and renamed, so a crash leaves either the old state or the new one.
:func:`training_data` assembles a dataset group's parts and recorded PutEvents into the training
core's input.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .store import Event
from .training.data import Interactions, Table, TrainingData

__all__ = ["atomic_dir", "publish_dir", "read_parts", "remove_tree", "training_data", "write_part"]

_RESERVED = ("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE")


def write_part(directory: Path, name: str, columns: Mapping[str, np.ndarray]) -> str:
    """Save ``columns`` as ``<directory>/<name>.npz`` atomically; returns the file name."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{name}.npz"
    fd, temp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, allow_pickle=False, **columns)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return final.name


def read_parts(directory: Path, parts: Sequence[str]) -> dict[str, np.ndarray]:
    """The concatenated columns of a dataset's parts (empty dict when there are none)."""
    loaded: list[dict[str, np.ndarray]] = []
    for part in parts:
        with np.load(directory / part, allow_pickle=False) as data:
            loaded.append({k: data[k] for k in data.files})
    if not loaded:
        return {}
    names = loaded[-1].keys()
    return {n: np.concatenate([p[n] for p in loaded if n in p]) for n in names}


def atomic_dir(final: Path) -> Path:
    """A fresh temporary sibling of ``final`` to fill, then :func:`publish_dir` into place."""
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}-"))


def publish_dir(temp: Path, final: Path) -> None:
    """Rename a filled temporary directory to ``final`` (replacing nothing: ``final`` is new)."""
    os.replace(temp, final)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _latest_per_key(columns: dict[str, np.ndarray], key: str) -> dict[str, np.ndarray]:
    """Items/Users rows: a later import of the same id replaces the earlier row."""
    ids = columns[key]
    reversed_ids = ids[::-1]
    _, first = np.unique(reversed_ids, return_index=True)
    keep = np.sort(len(ids) - 1 - first)
    return {name: values[keep] for name, values in columns.items()}


def _table(columns: dict[str, np.ndarray], key: str, categorical: frozenset[str]) -> Table | None:
    if not columns or key not in columns or len(columns[key]) == 0:
        return None
    columns = _latest_per_key(columns, key)
    return Table(
        key=columns[key],
        columns={n: v for n, v in columns.items() if n != key},
        categorical=categorical,
    )


def _interactions(columns: dict[str, np.ndarray], events: Sequence[Event]) -> Interactions:
    size = len(columns.get("USER_ID", ()))
    user = columns.get("USER_ID", np.empty(0, dtype=str))
    item = columns.get("ITEM_ID", np.empty(0, dtype=str))
    stamp = columns.get("TIMESTAMP", np.empty(0, dtype=np.int64)).astype(np.int64)
    kind = columns.get("EVENT_TYPE", np.full(size, "", dtype=str))
    value = columns.get("EVENT_VALUE", np.full(size, np.nan)).astype(np.float64)
    extra = {n: v for n, v in columns.items() if n not in _RESERVED}
    if events:
        user = np.concatenate([user, np.asarray([e.user_id for e in events], dtype=str)])
        item = np.concatenate([item, np.asarray([e.item_id for e in events], dtype=str)])
        stamp = np.concatenate([stamp, np.asarray([int(e.timestamp) for e in events], dtype=np.int64)])
        kind = np.concatenate([kind, np.asarray([e.event_type for e in events], dtype=str)])
        value = np.concatenate(
            [value, np.asarray([np.nan if e.event_value is None else e.event_value for e in events])]
        )
        extra = {n: np.concatenate([v, _blank_like(v, len(events))]) for n, v in extra.items()}
    return Interactions(user_id=user, item_id=item, timestamp=stamp, event_type=kind, event_value=value,
                        extra=extra)


def _blank_like(values: np.ndarray, size: int) -> np.ndarray:
    if values.dtype.kind == "U":
        return np.full(size, "", dtype=str)
    return np.full(size, np.nan)


def training_data(
    parts: Mapping[str, tuple[Path, Sequence[str], frozenset[str]]],
    events: Sequence[Event],
) -> TrainingData:
    """A dataset group's training input from its datasets' parts (by dataset type) and events."""
    loaded = {kind: (read_parts(d, p), c) for kind, (d, p, c) in parts.items()}
    interactions_columns = loaded.get("INTERACTIONS", ({}, frozenset()))[0]
    items = loaded.get("ITEMS")
    users = loaded.get("USERS")
    return TrainingData(
        interactions=_interactions(interactions_columns, events),
        items=_table(items[0], "ITEM_ID", items[1]) if items else None,
        users=_table(users[0], "USER_ID", users[1]) if users else None,
    )
