"""DatasetGroup: the container of datasets, solutions and campaigns.

Only ``tags`` change in place (there is no UpdateDatasetGroup); anything else replaces.  Delete
waits until the group is gone, retrying while its members are still being deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api

from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import ResourceSpec

if TYPE_CHECKING:
    from ._resource import Tags

__all__ = ["DATASET_GROUP", "DatasetGroup", "DatasetGroupProvider"]

DATASET_GROUP = ResourceSpec(
    api=api.DATASET_GROUP,
)


class DatasetGroupProvider(PersonalizeProvider):
    """Dynamic provider for :class:`DatasetGroup` (no arguments; pickled by reference)."""

    spec = DATASET_GROUP


class DatasetGroup(PersonalizeResource, module="personalize", name="DatasetGroup"):
    """An Amazon Personalize dataset group (``CreateDatasetGroup``); ``id`` is its ARN."""

    dataset_group_arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        domain: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        kms_key_arn: pulumi.Input[str] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"name": name, "domain": domain, "role_arn": role_arn, "kms_key_arn": kms_key_arn,
                 "tags": tags, "target": target, "region": region, **extra}
        super().__init__(DatasetGroupProvider(), resource_name, props, opts)
