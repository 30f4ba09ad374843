"""SolutionVersion: one training run of a solution (create = train, and wait for it).

The API has no DeleteSolutionVersion: deleting this resource stops the training if it is still
running (StopSolutionVersionCreation) and then forgets the version; AWS deletes versions together
with their solution.  Everything but ``tags`` is create-only: replacing the resource retrains.
Outputs add the training results: ``metrics`` (GetSolutionMetrics), ``tunedHPOParams``,
``trainingHours``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api
from personalize_api.statuses import ACTIVE, CREATE_STOPPING, CREATING

from ._aws import ProviderError, call, is_not_found
from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import ResourceSpec
from ._wait import poll, status_of

if TYPE_CHECKING:
    from ._resource import Tags

__all__ = ["SOLUTION_VERSION", "SolutionVersion", "SolutionVersionProvider"]

SOLUTION_VERSION = ResourceSpec(
    api=api.SOLUTION_VERSION,
    defaults=((("trainingMode",), "FULL"),),
    extra_outputs=frozenset({"metrics", "tunedHPOParams", "trainingHours", "trainingType", "recipeArn"}),
    timeouts={"create": 86400.0, "update": 1200.0, "delete": 3600.0},
)


class SolutionVersionProvider(PersonalizeProvider):
    """Dynamic provider for :class:`SolutionVersion` (no arguments; pickled by reference)."""

    spec = SOLUTION_VERSION

    def extra_outputs(self, client: Any, arn: str, described: Mapping[str, Any]) -> dict[str, Any]:
        if described.get("status") != ACTIVE:
            return {}
        try:
            metrics = call(client, "GetSolutionMetrics", solutionVersionArn=arn).get("metrics")
        except ProviderError:
            return {}  # metrics are informative; their absence must not fail a deployment
        return {"metrics": metrics} if metrics else {}

    def remove(self, client: Any, arn: str, props: Mapping[str, Any], timeout: float) -> None:
        """Stop the training if it still runs, wait until it has stopped; then forget the version."""
        try:
            described = self.describe(client, arn)
        except ProviderError as exc:
            if is_not_found(exc):
                return
            raise
        if status_of(described) not in CREATING:
            return
        try:
            call(client, "StopSolutionVersionCreation", solutionVersionArn=arn)
        except ProviderError as exc:
            if not is_not_found(exc) and exc.code != "ResourceInUseException":
                raise
        poll(lambda: self.describe(client, arn), lambda d: status_of(d) not in (*CREATING, CREATE_STOPPING),
             timeout=timeout, what="SolutionVersion stop", arn=arn)


class SolutionVersion(PersonalizeResource, module="personalize", name="SolutionVersion"):
    """A trained version of a solution (``CreateSolutionVersion``); ``id`` is its ARN."""

    solution_version_arn: pulumi.Output[str]
    metrics: pulumi.Output[dict[str, float]]
    tuned_hpo_params: pulumi.Output[dict[str, Any]]
    training_hours: pulumi.Output[float]
    training_type: pulumi.Output[str]
    recipe_arn: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        solution_arn: pulumi.Input[str] | None = None,
        training_mode: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"solution_arn": solution_arn, "training_mode": training_mode, "name": name, "tags": tags,
                 "target": target, "region": region, **extra}
        super().__init__(SolutionVersionProvider(), resource_name, props, opts)
