"""Campaigns (incl. UpdateCampaign) and event trackers."""

from __future__ import annotations

import uuid
from typing import Any

from personalize_api import LATEST_SUFFIX
from personalize_api import resource_types as api
from personalize_api.statuses import CREATE_PENDING

from ..errors import InvalidInputException, ResourceAlreadyExistsException, ResourceInUseException
from ..store import Row
from .context import Context, check_tags, require_active
from .datasets import DATASET_GROUP
from .jobs import start_create, start_delete, start_update
from .kinds import Kind
from .pagination import list_page
from .solutions import SOLUTION
from .versions import VERSION, latest_active_version

__all__ = [
    "CAMPAIGN",
    "TRACKER",
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



def _apply_campaign_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    for key in ("solutionVersionArn", "minProvisionedTPS", "campaignConfig"):
        if key in update:
            body[key] = update[key]


CAMPAIGN = Kind(api.CAMPAIGN, updates={"latestCampaignUpdate": _apply_campaign_update})
TRACKER = Kind(api.EVENT_TRACKER)


def _version_for(ctx: Context, arn: str, config: dict[str, Any] | None) -> Row:
    """The solution version a campaign names; ``<solutionArn>/$LATEST`` needs syncWithLatestSolutionVersion."""
    if arn.endswith(LATEST_SUFFIX):
        if not (config or {}).get("syncWithLatestSolutionVersion"):
            raise InvalidInputException(
                "A solutionVersionArn ending in /$LATEST needs campaignConfig.syncWithLatestSolutionVersion = true."
            )
        solution_arn = arn[: -len(LATEST_SUFFIX)]
        SOLUTION.require(ctx, solution_arn)
        latest = latest_active_version(ctx, solution_arn)
        if latest is None:
            raise ResourceInUseException(f"Solution {solution_arn} has no ACTIVE solution version yet.")
        return latest
    version = VERSION.require(ctx, arn)
    require_active(version, "Solution version")
    return version


# -- campaigns --------------------------------------------------------------------------------------
def create_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    version = _version_for(ctx, p["solutionVersionArn"], p.get("campaignConfig"))
    ctx.quota(CAMPAIGN.name, ctx.emulator.settings.quotas.campaigns, "campaigns")
    arn = ctx.arn(f"campaign/{p['name']}")
    now = ctx.now()
    body: dict[str, Any] = {
        "name": p["name"], "campaignArn": arn, "solutionVersionArn": p["solutionVersionArn"],
        "minProvisionedTPS": p.get("minProvisionedTPS") or 1, "campaignConfig": p.get("campaignConfig"),
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=CAMPAIGN.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=version.body["solutionArn"], body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, CAMPAIGN, arn)
    return {"campaignArn": arn}


def describe_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return CAMPAIGN.describe(ctx, p)


def list_campaigns(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=CAMPAIGN.name, member="campaigns", summary="CampaignSummary",
                     parent=p.get("solutionArn"))


def update_campaign(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["campaignArn"]
    row = CAMPAIGN.require(ctx, arn)
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
    start_update(ctx, row, CAMPAIGN, "latestCampaignUpdate", summary)
    return {"campaignArn": arn}


def delete_campaign(ctx: Context, p: dict[str, Any]) -> None:
    row = CAMPAIGN.require(ctx, p["campaignArn"])
    start_delete(ctx, row, CAMPAIGN)


# -- event trackers ---------------------------------------------------------------------------------
def create_event_tracker(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    group = DATASET_GROUP.require(ctx, p["datasetGroupArn"])
    require_active(group, "Dataset group")
    existing = ctx.store.children(TRACKER.name, group.arn)
    if existing:
        raise ResourceAlreadyExistsException(
            f"Dataset group {group.arn} already has an event tracker ({existing[0].arn}); a dataset group "
            "can have only one."
        )
    ctx.quota(TRACKER.name, ctx.emulator.settings.quotas.event_trackers, "event trackers")
    arn = ctx.arn(f"event-tracker/{p['name']}")
    tracking_id = str(uuid.uuid4())
    now = ctx.now()
    body = {
        "name": p["name"], "eventTrackerArn": arn, "accountId": ctx.account, "trackingId": tracking_id,
        "datasetGroupArn": group.arn, "status": CREATE_PENDING, "creationDateTime": now,
        "lastUpdatedDateTime": now,
    }
    ctx.store.insert(arn=arn, kind=TRACKER.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, TRACKER, arn)
    return {"eventTrackerArn": arn, "trackingId": tracking_id}


def describe_event_tracker(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return TRACKER.describe(ctx, p)


def list_event_trackers(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=TRACKER.name, member="eventTrackers", summary="EventTrackerSummary",
                     parent=p.get("datasetGroupArn"))


def delete_event_tracker(ctx: Context, p: dict[str, Any]) -> None:
    row = TRACKER.require(ctx, p["eventTrackerArn"])
    start_delete(ctx, row, TRACKER)
