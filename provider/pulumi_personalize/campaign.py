"""Campaign: a deployed solution version answering GetRecommendations.

``solutionVersionArn``, ``minProvisionedTPS`` and ``campaignConfig`` change in place through
UpdateCampaign (a retrained model is rolled out without downtime); ``tags`` in place.  A new name,
or a version of *another* solution (UpdateCampaign only deploys versions of the solution the
campaign serves), replaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api

from ._aws import call
from ._diff import normalise
from ._props import is_unknown
from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import Path, ResourceSpec

if TYPE_CHECKING:
    from ._resource import Tags
    from .args import CampaignConfigArgs, CampaignConfigArgsDict

__all__ = ["CAMPAIGN", "Campaign", "CampaignProvider"]

def _solution_of(version_arn: Any) -> str | None:
    """``.../solution/<name>/<version>`` (or ``/$LATEST``) -> ``.../solution/<name>``."""
    if not isinstance(version_arn, str) or is_unknown(version_arn):
        return None
    head, _, _ = version_arn.rpartition("/")
    return head or None


def _other_solution(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """UpdateCampaign deploys another version *of the same solution*; another solution replaces.

    An unknown new version (a preview while the version is being retrained) counts as the same
    solution, the common case; the engine diffs again with the real value before acting.
    """
    before, after = _solution_of(old.get("solutionVersionArn")), _solution_of(new.get("solutionVersionArn"))
    return ["solutionVersionArn"] if before and after and before != after else []


CAMPAIGN = ResourceSpec(
    api=api.CAMPAIGN,
    in_place=frozenset({("solutionVersionArn",), ("minProvisionedTPS",), ("campaignConfig",), ("tags",)}),
    defaults=(
        (("minProvisionedTPS",), 1),
        (("campaignConfig", "enableMetadataWithRecommendations"), False),
        (("campaignConfig", "syncWithLatestSolutionVersion"), False),
    ),
    extra_outputs=frozenset({"latestCampaignUpdate"}),
    replace_rule=_other_solution,
    timeouts={"create": 3600.0, "update": 3600.0, "delete": 1800.0},
)


class CampaignProvider(PersonalizeProvider):
    """Dynamic provider for :class:`Campaign` (no arguments; pickled by reference)."""

    spec = CAMPAIGN

    def apply_update(self, client: Any, arn: str, *, olds: dict[str, Any], news: dict[str, Any],
                     fields: list[Path], timeout: float) -> None:
        new = normalise(self.spec, news)
        request: dict[str, Any] = {"campaignArn": arn}
        for (key,) in fields:
            request[key] = new.get(key)
        request = self.request(request) | {"campaignArn": arn}
        call(client, "UpdateCampaign", **request)
        self.wait_for_update(client, arn, "latestCampaignUpdate", "Campaign update", timeout)


class Campaign(PersonalizeResource, module="personalize", name="Campaign"):
    """An Amazon Personalize campaign (``CreateCampaign``); ``id`` is its ARN."""

    campaign_arn: pulumi.Output[str]
    name: pulumi.Output[str]
    latest_campaign_update: pulumi.Output[dict[str, Any]]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        solution_version_arn: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        min_provisioned_tps: pulumi.Input[int] | None = None,
        campaign_config: pulumi.Input[CampaignConfigArgs | CampaignConfigArgsDict] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"solution_version_arn": solution_version_arn, "name": name,
                 "min_provisioned_tps": min_provisioned_tps, "campaign_config": campaign_config, "tags": tags,
                 "target": target, "region": region, **extra}
        super().__init__(CampaignProvider(), resource_name, props, opts)
