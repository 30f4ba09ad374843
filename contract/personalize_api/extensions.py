"""The emulator's documented extensions to the API's constraints.

``file://`` data locations for dataset import jobs are not valid against AWS (the model's pattern is
``(s3|http|https)://.+``) but let local runs import CSV files without S3.  Validation for an
emulator target drops exactly that pattern problem; validation for real AWS keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .problems import Problem

__all__ = ["FILE_SCHEME", "allow_emulator_extensions"]

FILE_SCHEME = "file://"
_LOCATION = ("dataSource", "dataLocation")


def allow_emulator_extensions(
    operation: str, params: Mapping[str, Any], problems: Sequence[Problem]
) -> list[Problem]:
    """``problems`` without those that only the emulator's extensions make acceptable."""
    if operation != "CreateDatasetImportJob":
        return list(problems)
    source = params.get("dataSource")
    location = source.get("dataLocation") if isinstance(source, Mapping) else None
    if not (isinstance(location, str) and location.startswith(FILE_SCHEME)):
        return list(problems)
    return [p for p in problems if not (p.path == _LOCATION and p.rule == "pattern")]
