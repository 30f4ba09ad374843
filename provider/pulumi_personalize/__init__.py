"""Amazon Personalize as Pulumi resources: dynamic providers with preview-time validation.

Every resource has a ``<Name>Provider`` (no arguments, pickled by reference into state) whose
``check`` validates with the API's own rules and whose ``diff`` decides update-vs-replace per
nested field, both without network.  Importing this package loads neither boto3 nor numpy.
"""

from __future__ import annotations

from typing import Any

from ._aws import ProviderError
from .batch_inference_job import BatchInferenceJob, BatchInferenceJobProvider
from .campaign import Campaign, CampaignProvider
from .dataset import Dataset, DatasetProvider
from .dataset_group import DatasetGroup, DatasetGroupProvider
from .dataset_import_job import DatasetImportJob, DatasetImportJobProvider
from .event_tracker import EventTracker, EventTrackerProvider
from .filter import Filter, FilterProvider
from .functions import get_recommendations
from .schema import Schema, SchemaProvider
from .solution import Solution, SolutionProvider
from .solution_version import SolutionVersion, SolutionVersionProvider

__all__ = [
    "PROVIDERS",
    "BatchInferenceJob",
    "BatchInferenceJobProvider",
    "Campaign",
    "CampaignProvider",
    "Dataset",
    "DatasetGroup",
    "DatasetGroupProvider",
    "DatasetImportJob",
    "DatasetImportJobProvider",
    "DatasetProvider",
    "EventTracker",
    "EventTrackerProvider",
    "Filter",
    "FilterProvider",
    "ProviderError",
    "Schema",
    "SchemaProvider",
    "Solution",
    "SolutionProvider",
    "SolutionVersion",
    "SolutionVersionProvider",
    "args",
    "get_recommendations",
]

#: Every provider class, by resource type name.
PROVIDERS = {
    cls.spec.type_name: cls
    for cls in (DatasetGroupProvider, SchemaProvider, DatasetProvider, DatasetImportJobProvider,
                SolutionProvider, SolutionVersionProvider, CampaignProvider, EventTrackerProvider, FilterProvider,
                BatchInferenceJobProvider)
}

# Providers are pickled into Pulumi state as a reference to their class.  Referencing the public
# name (``pulumi_personalize.SolutionProvider``) keeps existing stacks working if modules move.
for _provider in PROVIDERS.values():
    _provider.__module__ = __name__
del _provider


def __getattr__(name: str) -> Any:
    """``pulumi_personalize.args`` loads on first use (its dataclasses cost a few ms at import)."""
    if name == "args":
        import importlib

        return importlib.import_module(".args", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
