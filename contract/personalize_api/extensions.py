"""The emulator's documented extensions to the API's constraints.

``file://`` data locations for dataset import jobs and batch inference jobs (input and output) are
not valid against AWS (the model's pattern is ``(s3|http|https)://.+``) but let local runs read and
write files without S3.  Validation for an emulator target drops exactly that pattern problem;
validation for real AWS keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .problems import Problem

__all__ = ["FILE_LOCATIONS", "FILE_SCHEME", "allow_emulator_extensions"]

FILE_SCHEME = "file://"
#: The members that may hold a ``file://`` location, by operation.
FILE_LOCATIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "CreateDatasetImportJob": (("dataSource", "dataLocation"),),
    "CreateBatchInferenceJob": (("jobInput", "s3DataSource", "path"), ("jobOutput", "s3DataDestination", "path")),
}


def _value_at(params: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = params
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def allow_emulator_extensions(
    operation: str, params: Mapping[str, Any], problems: Sequence[Problem]
) -> list[Problem]:
    """``problems`` without those that only the emulator's extensions make acceptable."""
    allowed = {path for path in FILE_LOCATIONS.get(operation, ())
               if isinstance(loc := _value_at(params, path), str) and loc.startswith(FILE_SCHEME)}
    return [p for p in problems if not (p.path in allowed and p.rule == "pattern")]
