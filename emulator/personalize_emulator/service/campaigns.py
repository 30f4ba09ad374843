"""Campaigns (incl. UpdateCampaign) and event trackers."""

from __future__ import annotations

import uuid
from typing import Any

from ..errors import InvalidInputException, ResourceAlreadyExistsException, ResourceInUseException
from ..lifecycle import CREATE_PENDING
from ..rules import LATEST_SUFFIX
from ..store import Row
from .common import (
    UPDATES,
    Context,
    activate_job,
    check_tags,
    list_page,
    require_active,
    start_delete,
    start_update,
)
from .datasets import DSG
from .solutions import VERSION, latest_active_version

__all__ = [
    "create_campaign",
    "create_event_tracker",
    "delete_campaign",
    "delete_event_tracker",
    "describe_campaign",
    "describe_event_tracker",
    "list_campaigns",
    "list_event_trackers",
    "update_campaign",
]

CAMPAIGN, TRACKER = "campaign", "event-tracker"


def _version_for(ctx: Context, arn: str, config: dict[str, Any] | None) -> Row:
    """The solution version a campaign names; ``<solutionArn>/$LATEST`` needs syncWithLatestSolutionVersion."""
    if arn.endswith(LATEST_SUFFIX):
        if not (config or {}).get("syncWithLatestSolutionVersion"):
            raise InvalidInputException(
                "A solutionVersionArn ending in /$LATEST needs campaignConfig.syncWithLatestSolutionVersion = true."
            )
        solution_arn = arn[: -len(LATEST_SUFFIX)]
        ctx.store.require(solution_arn, "solution", "Solution")
        latest = latest_active_version(ctx, solution_arn)
        if latest is None:
            raise ResourceInUseException(f"Solution {solution_arn} has no ACTIVE solution version yet.")
        return latest
    version = ctx.store.require(arn, VERSION, "Solution version")
    require_active(version, "Solution version")
    return version


# -- campaigns --------------------------------------------------------------------------------------
def create_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    version = _version_for(ctx, p["solutionVersionArn"], p.get("campaignConfig"))
    ctx.quota(CAMPAIGN, ctx.emulator.settings.quotas.campaigns, "campaigns")
    arn = ctx.arn(f"campaign/{p['name']}")
    now = ctx.now()
    body: dict[str, Any] = {
        "name": p["name"], "campaignArn": arn, "solutionVersionArn": p["solutionVersionArn"],
        "minProvisionedTPS": p.get("minProvisionedTPS") or 1, "campaignConfig": p.get("campaignConfig"),
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=CAMPAIGN, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=version.body["solutionArn"], body=body, tags=check_tags(p.get("tags")))
    ctx.submit(activate_job(ctx, arn))
    return {"campaignArn": arn}


def describe_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"campaign": ctx.store.require(p["campaignArn"], CAMPAIGN, "Campaign").body}


def list_campaigns(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=CAMPAIGN, member="campaigns", summary="CampaignSummary",
                     parent=p.get("solutionArn"))


def update_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["campaignArn"]
    row = ctx.store.require(arn, CAMPAIGN, "Campaign")
    require_active(row, "Campaign")
    config = p.get("campaignConfig", row.body.get("campaignConfig"))
    version_arn = p.get("solutionVersionArn") or row.body["solutionVersionArn"]
    version = _version_for(ctx, version_arn, config)
    if version.body["solutionArn"] != row.parent:
        raise InvalidInputException(
            f"Campaign {arn} serves solution {row.parent}; {version_arn} belongs to another solution."
        )
    summary: dict[str, Any] = {"solutionVersionArn": version_arn}
    for key in ("minProvisionedTPS", "campaignConfig"):
        if p.get(key) is not None:
            summary[key] = p[key]
    start_update(ctx, row, "latestCampaignUpdate", summary)
    return {"campaignArn": arn}


def _apply_campaign_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    for key in ("solutionVersionArn", "minProvisionedTPS", "campaignConfig"):
        if key in update:
            body[key] = update[key]


UPDATES["latestCampaignUpdate"] = _apply_campaign_update


def delete_campaign(ctx: Context, p: dict[str, Any]) -> None:
    row = ctx.store.require(p["campaignArn"], CAMPAIGN, "Campaign")
    start_delete(ctx, row)


# -- event trackers ---------------------------------------------------------------------------------
def create_event_tracker(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    group = ctx.store.require(p["datasetGroupArn"], DSG, "Dataset group")
    require_active(group, "Dataset group")
    existing = ctx.store.children(TRACKER, group.arn)
    if existing:
        raise ResourceAlreadyExistsException(
            f"Dataset group {group.arn} already has an event tracker ({existing[0].arn}); a dataset group "
            "can have only one."
        )
    ctx.quota(TRACKER, ctx.emulator.settings.quotas.event_trackers, "event trackers")
    arn = ctx.arn(f"event-tracker/{p['name']}")
    tracking_id = str(uuid.uuid4())
    now = ctx.now()
    body = {
        "name": p["name"], "eventTrackerArn": arn, "accountId": ctx.account, "trackingId": tracking_id,
        "datasetGroupArn": group.arn, "status": CREATE_PENDING, "creationDateTime": now,
        "lastUpdatedDateTime": now,
    }
    ctx.store.insert(arn=arn, kind=TRACKER, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, tags=check_tags(p.get("tags")))
    ctx.submit(activate_job(ctx, arn))
    return {"eventTrackerArn": arn, "trackingId": tracking_id}


def describe_event_tracker(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"eventTracker": ctx.store.require(p["eventTrackerArn"], TRACKER, "Event tracker").body}


def list_event_trackers(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=TRACKER, member="eventTrackers", summary="EventTrackerSummary",
                     parent=p.get("datasetGroupArn"))


def delete_event_tracker(ctx: Context, p: dict[str, Any]) -> None:
    row = ctx.store.require(p["eventTrackerArn"], TRACKER, "Event tracker")
    start_delete(ctx, row)
