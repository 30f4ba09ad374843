"""Filter: a named filter expression of a dataset group, used by GetRecommendations and batch jobs.

There is no UpdateFilter: any change but ``tags`` replaces the filter.  Names are unique per account
and region, so a replacement that keeps its name deletes the old filter first; an auto-named one is
created first (the generic replace rules).  The expression is parsed at ``check`` time with the
emulator's grammar, so a typo fails the preview with its position.
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

__all__ = ["FILTER", "Filter", "FilterProvider"]

FILTER = ResourceSpec(
    api=api.FILTER,
)


class FilterProvider(PersonalizeProvider):
    """Dynamic provider for :class:`Filter` (no arguments; pickled by reference)."""

    spec = FILTER


class Filter(PersonalizeResource, module="personalize", name="Filter"):
    """An Amazon Personalize filter (``CreateFilter``); ``id`` is its ARN."""

    filter_arn: pulumi.Output[str]
    name: pulumi.Output[str]
    filter_expression: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        dataset_group_arn: pulumi.Input[str] | None = None,
        filter_expression: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"dataset_group_arn": dataset_group_arn, "filter_expression": filter_expression, "name": name,
                 "tags": tags, "target": target, "region": region, **extra}
        super().__init__(FilterProvider(), resource_name, props, opts)
