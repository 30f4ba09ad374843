"""Personalize's resource types and the names the API derives from them, written once.

``DatasetGroup`` gives the operations (``CreateDatasetGroup``, ``DescribeDatasetGroup``...), the
ARN member (``datasetGroupArn``), the Describe answer's member (``datasetGroup``) and the ARN's
resource type (``dataset-group``).  The provider's resource specs and the emulator's kinds both
start from these, so the two sides cannot spell a resource differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore import xform_name

from .model import service_model

__all__ = [
    "BATCH_INFERENCE_JOB",
    "CAMPAIGN",
    "DATASET",
    "DATASET_GROUP",
    "DATASET_IMPORT_JOB",
    "EVENT_TRACKER",
    "FILTER",
    "RESOURCE_TYPES",
    "SCHEMA",
    "SOLUTION",
    "SOLUTION_VERSION",
    "ResourceType",
]


@dataclass(frozen=True, slots=True)
class ResourceType:
    """One resource type, by the name the API's operations use (``DatasetGroup``)."""

    name: str
    #: The request member holding the resource's name (``jobName`` for import jobs).
    name_member: str = "name"

    @property
    def kind(self) -> str:
        """The ARN's resource type: ``dataset-group``."""
        return str(xform_name(self.name, "-"))

    @property
    def label(self) -> str:
        """How messages name it: ``Dataset group``."""
        return self.kind.replace("-", " ").capitalize()

    @property
    def member(self) -> str:
        """The Describe answer's member holding the resource: ``datasetGroup``."""
        return self.name[0].lower() + self.name[1:]

    @property
    def arn_member(self) -> str:
        """The member holding its ARN, in requests and answers: ``datasetGroupArn``."""
        return self.member + "Arn"

    @property
    def create_op(self) -> str:
        return "Create" + self.name

    @property
    def describe_op(self) -> str:
        return "Describe" + self.name

    @property
    def delete_op(self) -> str | None:
        """``Delete<Name>``, or None when the API has none (solution versions, import and batch jobs)."""
        operation = "Delete" + self.name
        return operation if operation in service_model("personalize").operation_names else None


DATASET_GROUP = ResourceType("DatasetGroup")
SCHEMA = ResourceType("Schema")
DATASET = ResourceType("Dataset")
DATASET_IMPORT_JOB = ResourceType("DatasetImportJob", name_member="jobName")
SOLUTION = ResourceType("Solution")
SOLUTION_VERSION = ResourceType("SolutionVersion")
CAMPAIGN = ResourceType("Campaign")
EVENT_TRACKER = ResourceType("EventTracker")
BATCH_INFERENCE_JOB = ResourceType("BatchInferenceJob", name_member="jobName")
FILTER = ResourceType("Filter")

RESOURCE_TYPES = (DATASET_GROUP, SCHEMA, DATASET, DATASET_IMPORT_JOB, SOLUTION, SOLUTION_VERSION, CAMPAIGN,
                  EVENT_TRACKER, FILTER, BATCH_INFERENCE_JOB)
