"""Items and Users dataset columns turned into ranker features.

Only columns that ``trainingDataConfig`` allows are used. Numeric item columns become the item's
value and its distance from the user's (recency-weighted) mean over their history; string item
columns (``|``-separated for categorical fields) become the user's affinity for the item's values,
that is the share of the user's recent history that shares a value with the item. User columns are
per-query features (numeric as is, strings as category codes). Columns that look like free text or
ids (almost one distinct value per row) are skipped: they cannot generalise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..data import Table, TrainingData
from ..settings import Settings

__all__ = ["MAX_COLUMNS", "Metadata", "build_metadata"]

MAX_COLUMNS = 12
MAX_DISTINCT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Metadata:
    """Encoded columns, aligned to the catalogue (items) and to ``user_keys`` (users)."""

    item_numeric_names: tuple[str, ...]
    item_numeric: np.ndarray  # float32 (n_items, k), NaN when missing
    item_string_names: tuple[str, ...]
    item_values: tuple[sp.csr_matrix, ...]  # per string column: items x values, rows sum to 1
    user_keys: np.ndarray
    user_names: tuple[str, ...]
    user_values: np.ndarray  # float32 (len(user_keys), k): numbers or category codes, NaN missing

    @property
    def feature_names(self) -> tuple[str, ...]:
        names = [f"item_{n}" for n in self.item_numeric_names]
        names += [f"item_{n}_distance" for n in self.item_numeric_names]
        names += [f"affinity_{n}" for n in self.item_string_names]
        names += [f"user_{n}" for n in self.user_names]
        return tuple(names)

    def user_codes(self, user_ids: np.ndarray) -> np.ndarray:
        """Row in ``user_values`` for each user id (-1 when the Users dataset does not list it)."""
        if len(self.user_keys) == 0:
            return np.full(len(user_ids), -1, dtype=np.int64)
        position = np.clip(np.searchsorted(self.user_keys, user_ids), 0, len(self.user_keys) - 1)
        return np.where(self.user_keys[position] == user_ids, position, -1).astype(np.int64)

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"meta_item_numeric": self.item_numeric, "meta_user_keys": self.user_keys,
               "meta_user_values": self.user_values}
        for index, matrix in enumerate(self.item_values):
            out.update({f"meta_values{index}_data": matrix.data, f"meta_values{index}_indices": matrix.indices,
                        f"meta_values{index}_indptr": matrix.indptr,
                        f"meta_values{index}_shape": np.array(matrix.shape, dtype=np.int64)})
        return out

    def names(self) -> dict[str, list[str]]:
        return {"item_numeric": list(self.item_numeric_names), "item_string": list(self.item_string_names),
                "user": list(self.user_names)}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], names: dict[str, list[str]]) -> Metadata:
        values = []
        for index in range(len(names["item_string"])):
            shape = tuple(int(x) for x in arrays[f"meta_values{index}_shape"])
            values.append(sp.csr_matrix((arrays[f"meta_values{index}_data"], arrays[f"meta_values{index}_indices"],
                                         arrays[f"meta_values{index}_indptr"]), shape=shape))
        return cls(tuple(names["item_numeric"]), arrays["meta_item_numeric"], tuple(names["item_string"]),
                   tuple(values), arrays["meta_user_keys"], tuple(names["user"]), arrays["meta_user_values"])


def _aligned(table: Table, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``keys``: its row in ``table`` (or 0) and whether it has one."""
    order = np.argsort(table.key.astype(str), kind="stable")
    sorted_keys = table.key.astype(str)[order]
    position = np.clip(np.searchsorted(sorted_keys, keys), 0, max(len(sorted_keys) - 1, 0))
    found = sorted_keys[position] == keys if len(sorted_keys) else np.zeros(len(keys), dtype=bool)
    return order[position], found


def _value_matrix(column: np.ndarray, rows: np.ndarray, found: np.ndarray, split: bool) -> sp.csr_matrix | None:
    texts = np.where(found, column.astype(str)[rows], "")
    tokens = [t.split("|") if split else [t] for t in texts.tolist()]
    vocabulary = sorted({v for row in tokens for v in row if v})
    if not vocabulary or len(vocabulary) > max(50, MAX_DISTINCT_SHARE * found.sum()):
        return None
    index = {v: i for i, v in enumerate(vocabulary)}
    row_idx = [r for r, row in enumerate(tokens) for v in row if v]
    col_idx = [index[v] for row in tokens for v in row if v]
    matrix = sp.csr_matrix((np.ones(len(row_idx), dtype=np.float32), (row_idx, col_idx)),
                           shape=(len(tokens), len(vocabulary)))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    normalised: sp.csr_matrix = (sp.diags(scale) @ matrix).tocsr().astype(np.float32)
    return normalised


def _item_columns(table: Table | None, catalogue: np.ndarray, settings: Settings) -> tuple[
        tuple[str, ...], np.ndarray, tuple[str, ...], tuple[sp.csr_matrix, ...]]:
    numeric_names: list[str] = []
    numeric: list[np.ndarray] = []
    string_names: list[str] = []
    strings: list[sp.csr_matrix] = []
    if table is not None and len(table):
        rows, found = _aligned(table, catalogue)
        for name in settings.columns_for("items", tuple(table.columns)):
            column = table.columns[name]
            if column.dtype.kind in "fiu" and len(numeric_names) < MAX_COLUMNS:
                numeric_names.append(name)
                numeric.append(np.where(found, column.astype(np.float64)[rows], np.nan))
            elif column.dtype.kind == "U" and len(string_names) < MAX_COLUMNS:
                matrix = _value_matrix(column, rows, found, name in table.categorical)
                if matrix is not None:
                    string_names.append(name)
                    strings.append(matrix)
    values = np.stack(numeric, axis=1).astype(np.float32) if numeric else np.zeros((len(catalogue), 0), np.float32)
    return tuple(numeric_names), values, tuple(string_names), tuple(strings)


def _user_columns(table: Table | None, settings: Settings) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    if table is None or not len(table):
        return np.zeros(0, dtype="<U1"), (), np.zeros((0, 0), dtype=np.float32)
    keys = table.key.astype(str)
    order = np.argsort(keys, kind="stable")
    names: list[str] = []
    columns: list[np.ndarray] = []
    for name in settings.columns_for("users", tuple(table.columns)):
        column = table.columns[name][order]
        if column.dtype.kind in "fiu":
            values = column.astype(np.float64)
        else:
            distinct, codes = np.unique(column.astype(str), return_inverse=True)
            if len(distinct) > max(50, MAX_DISTINCT_SHARE * len(keys)):
                continue
            values = codes.astype(np.float64)
        names.append(name)
        columns.append(values)
        if len(names) >= MAX_COLUMNS:
            break
    matrix = np.stack(columns, axis=1).astype(np.float32) if columns else np.zeros((len(keys), 0), np.float32)
    return keys[order], tuple(names), matrix


def build_metadata(data: TrainingData, catalogue: np.ndarray, settings: Settings) -> Metadata:
    """Encode the Items and Users datasets the solution may train on."""
    numeric_names, numeric, string_names, strings = _item_columns(data.items, catalogue, settings)
    user_keys, user_names, user_values = _user_columns(data.users, settings)
    return Metadata(numeric_names, numeric, string_names, strings, user_keys, user_names, user_values)


def objective_values(data: TrainingData, catalogue: np.ndarray, attribute: str | None) -> np.ndarray | None:
    """The ``optimizationObjective.itemAttribute`` column per catalogue item (NaN when missing)."""
    table = data.items
    if attribute is None or table is None or attribute not in table.columns:
        return None
    column = table.columns[attribute]
    if column.dtype.kind not in "fiu":
        return None
    rows, found = _aligned(table, catalogue)
    values: np.ndarray = np.where(found, column.astype(np.float64)[rows], np.nan)
    return values
