"""EventTracker: the PutEvents endpoint's identity for a dataset group (``trackingId``).

Only ``tags`` change in place; anything else replaces.  A dataset group has at most one event
tracker, so a replacement in the same group deletes the old tracker first.
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

__all__ = ["EVENT_TRACKER", "EventTracker", "EventTrackerProvider"]

EVENT_TRACKER = ResourceSpec(
    api=api.EVENT_TRACKER,
    unique_within=("datasetGroupArn",),
    extra_outputs=frozenset({"trackingId", "accountId"}),
)


class EventTrackerProvider(PersonalizeProvider):
    """Dynamic provider for :class:`EventTracker` (no arguments; pickled by reference)."""

    spec = EVENT_TRACKER


class EventTracker(PersonalizeResource, module="personalize", name="EventTracker"):
    """An Amazon Personalize event tracker (``CreateEventTracker``); ``id`` is its ARN."""

    event_tracker_arn: pulumi.Output[str]
    name: pulumi.Output[str]
    tracking_id: pulumi.Output[str]
    account_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        dataset_group_arn: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"dataset_group_arn": dataset_group_arn, "name": name, "tags": tags, "target": target,
                 "region": region, **extra}
        super().__init__(EventTrackerProvider(), resource_name, props, opts)
