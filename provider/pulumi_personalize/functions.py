"""Read-only calls a program may make on deployed resources (like a provider's invoke functions).

They run in the program's process with the same target rules as the resources; during a preview
(or while the campaign ARN is unknown) nothing is called and the result stays unknown.
"""

from __future__ import annotations

from typing import Any

import pulumi

__all__ = ["get_recommendations", "recommended_items"]


def recommended_items(campaign_arn: str, user_id: str, num_results: int, target: str | None,
                      region: str | None) -> list[str]:
    """GetRecommendations now, outside any Pulumi program: the item ids, best first."""
    from ._aws import call, make_client

    runtime = make_client("personalize-runtime", {"target": target, "region": region})
    answer = call(runtime, "GetRecommendations", campaignArn=campaign_arn, userId=user_id, numResults=num_results)
    return [str(item["itemId"]) for item in answer.get("itemList", [])]


def get_recommendations(
    campaign_arn: pulumi.Input[str],
    user_id: str,
    *,
    num_results: int = 10,
    target: str | None = None,
    region: str | None = None,
) -> pulumi.Output[list[str]]:
    """Item ids the campaign recommends for ``user_id`` (GetRecommendations), as an Output.

    ``target``/``region`` default to the stack config (``personalize:target``/``personalize:region``).
    With the embedded target the program opens the same data dir as the provider (``.personalize``
    beside Pulumi.yaml); the campaign is ACTIVE by the time its ARN is known.
    """
    config = pulumi.Config("personalize")
    chosen_target = target or config.get("target")
    chosen_region = region or config.get("region")

    def fetch(arn: Any) -> list[str]:
        if pulumi.runtime.is_dry_run():
            return []
        return recommended_items(str(arn), user_id, num_results, chosen_target, chosen_region)

    return pulumi.Output.from_input(campaign_arn).apply(fetch)
