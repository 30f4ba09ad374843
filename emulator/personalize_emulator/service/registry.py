"""Every resource kind the emulator knows, by its kind name (``dataset-group``, ``solution-version``...).

The kinds are declared beside their handlers; this is the one list of them, read by crash
recovery.  A new kind is added here and nowhere else.
"""

from __future__ import annotations

from .batch import BATCH_INFERENCE_JOB
from .campaigns import CAMPAIGN, TRACKER
from .datasets import DATASET, DATASET_GROUP, SCHEMA
from .filters import FILTER
from .imports import IMPORT
from .kinds import Kind
from .solutions import SOLUTION
from .versions import VERSION

__all__ = ["KINDS"]

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    DATASET_GROUP, SCHEMA, DATASET, IMPORT, SOLUTION, VERSION, CAMPAIGN, TRACKER, FILTER, BATCH_INFERENCE_JOB,
)}
