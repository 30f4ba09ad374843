"""Dataset: one typed table (Interactions, Items, Users, ...) in a dataset group.

``schemaArn`` changes in place through UpdateDataset (the new schema must be compatible, which
the API checks); ``tags`` in place; anything else replaces.  ``datasetType`` is compared
case-insensitively, as the API treats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api

from ._aws import call
from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import Path, ResourceSpec

if TYPE_CHECKING:
    from ._resource import Tags

__all__ = ["DATASET", "Dataset", "DatasetProvider"]


def _normalise(props: dict[str, Any]) -> dict[str, Any]:
    kind = props.get("datasetType")
    if isinstance(kind, str):
        props["datasetType"] = kind.upper()
    return props


DATASET = ResourceSpec(
    api=api.DATASET,
    unique_within=("datasetGroupArn", "datasetType"),
    in_place=frozenset({("schemaArn",), ("tags",)}),
    extra_outputs=frozenset({"latestDatasetUpdate", "trackingId"}),
    normalise=_normalise,
)


class DatasetProvider(PersonalizeProvider):
    """Dynamic provider for :class:`Dataset` (no arguments; pickled by reference)."""

    spec = DATASET

    def apply_update(self, client: Any, arn: str, *, olds: dict[str, Any], news: dict[str, Any],
                     fields: list[Path], timeout: float) -> None:
        call(client, "UpdateDataset", datasetArn=arn, schemaArn=news["schemaArn"])
        self.wait_for_update(client, arn, "latestDatasetUpdate", "Dataset update", timeout)


class Dataset(PersonalizeResource, module="personalize", name="Dataset"):
    """An Amazon Personalize dataset (``CreateDataset``); ``id`` is its ARN."""

    dataset_arn: pulumi.Output[str]
    name: pulumi.Output[str]
    latest_dataset_update: pulumi.Output[dict[str, Any]]
    tracking_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        dataset_group_arn: pulumi.Input[str] | None = None,
        dataset_type: pulumi.Input[str] | None = None,
        schema_arn: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"dataset_group_arn": dataset_group_arn, "dataset_type": dataset_type, "schema_arn": schema_arn,
                 "name": name, "tags": tags, "target": target, "region": region, **extra}
        super().__init__(DatasetProvider(), resource_name, props, opts)
