"""personalize-runtime (GetRecommendations, GetPersonalizedRanking) and personalize-events (PutEvents).

Recommendations come from the trained artefacts of the campaign's solution version plus the user's
events recorded by PutEvents since that version was trained, so a campaign reacts to new behaviour
without retraining.  Recorded events also join the interactions of the next training.  A request's
``filterArn`` is applied by :mod:`.filtering`.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any, NamedTuple

from personalize_api import LATEST_SUFFIX, UNSCORED_RECIPES
from personalize_api.statuses import ACTIVE

from ..errors import InvalidInputException, not_found
from ..store import Event, Row
from .campaigns import CAMPAIGN, TRACKER
from .context import Context
from .filtering import mask_for, surviving
from .versions import VERSION, latest_active_version

__all__ = ["get_personalized_ranking", "get_recommendations", "put_events"]

DEFAULT_RESULTS = 25
MAX_RESULTS = 500
RECENT_EVENTS = 50


class _Serving(NamedTuple):
    """What a campaign serves, resolved once per database state (see :meth:`Store.memo`)."""

    campaign: Row
    version: Row
    #: seq of the newest PutEvents event of the version's dataset group (0 when none)
    newest_event: int


def _campaign_version(ctx: Context, p: dict[str, Any]) -> _Serving:
    if p.get("recommenderArn"):
        raise InvalidInputException("The emulator serves campaigns only; recommenders (domain dataset groups) "
                                    "are not supported.")
    arn = p.get("campaignArn")
    if not arn:
        raise InvalidInputException("campaignArn is required.")
    # Every request would re-read and re-parse the same two rows; errors are recomputed each time.
    return ctx.store.memo(("serving", arn), lambda: _resolve(ctx, arn))


def _resolve(ctx: Context, arn: str) -> _Serving:
    campaign = ctx.store.get(arn, CAMPAIGN.name)
    if campaign is None:
        raise not_found(arn)
    if campaign.body.get("status") != ACTIVE:
        raise InvalidInputException(f"Campaign {arn} is not ACTIVE (status: {campaign.body.get('status')}).")
    version_arn = campaign.body["solutionVersionArn"]
    if version_arn.endswith(LATEST_SUFFIX) or (campaign.body.get("campaignConfig") or {}).get(
        "syncWithLatestSolutionVersion"
    ):
        latest = latest_active_version(ctx, campaign.parent or "")
        if latest is None:
            raise InvalidInputException(f"Campaign {arn} has no ACTIVE solution version to serve.")
        version = latest
    else:
        found = ctx.store.get(version_arn, VERSION.name)
        if found is None or found.body.get("status") != ACTIVE:
            raise InvalidInputException(f"The solution version of campaign {arn} is not ACTIVE.")
        version = found
    return _Serving(campaign, version, ctx.store.last_event_seq(version.body["datasetGroupArn"]))


def _recent(ctx: Context, serving: _Serving, user_id: str | None) -> list[str]:
    if not user_id:
        return []
    version = serving.version
    after = int(version.internal.get("event_seq", 0))
    if serving.newest_event <= after:
        return []  # nothing recorded since training: no per-user query needed
    events = ctx.store.events(version.body["datasetGroupArn"], user_id=user_id, after_seq=after,
                              limit=RECENT_EVENTS)
    return [e.item_id for e in events]


def _scored(pairs: list[tuple[str, float]], recipe: str = "") -> list[dict[str, Any]]:
    """The ``itemList`` entries; recipes AWS documents without scores get none."""
    if recipe in UNSCORED_RECIPES:
        return [{"itemId": item} for item, _ in pairs]
    return [{"itemId": item, "score": round(float(score), 7)} for item, score in pairs]


def get_recommendations(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    serving = _campaign_version(ctx, p)
    version = serving.version
    count = DEFAULT_RESULTS if p.get("numResults") is None else int(p["numResults"])
    if count > MAX_RESULTS:
        raise InvalidInputException(f"numResults must be at most {MAX_RESULTS}; got {count}.")
    model = ctx.emulator.model(version)
    kind = model.recipe_type
    user_id, item_id = p.get("userId"), p.get("itemId")
    if kind == "RELATED_ITEMS" and not item_id:
        raise InvalidInputException("This campaign recommends related items: itemId is required.")
    if kind == "USER_PERSONALIZATION" and not user_id:
        raise InvalidInputException("This campaign recommends items for a user: userId is required.")
    if kind == "PERSONALIZED_RANKING":
        raise InvalidInputException("This campaign ranks items: call GetPersonalizedRanking instead.")
    recent = _recent(ctx, serving, user_id)
    mask = mask_for(ctx, p, dataset_group=version.body["datasetGroupArn"], recipe_type=kind)
    try:
        if mask is None:
            pairs = model.recommend(user_id=user_id, item_id=item_id, num_results=count, recent=recent)
        else:
            pairs = surviving(lambda n: model.recommend(user_id=user_id, item_id=item_id, num_results=n,
                                                        recent=recent), count, mask,
                              (version.arn, user_id, item_id, tuple(recent)))
    except KeyError:
        raise InvalidInputException(f"Item {item_id!r} is not in the training data of this campaign.") from None
    return {"itemList": _scored(pairs, model.recipe), "recommendationId": f"RID-{uuid.uuid4()}"}


def get_personalized_ranking(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    serving = _campaign_version(ctx, p)
    model = ctx.emulator.model(serving.version)
    if model.recipe_type != "PERSONALIZED_RANKING":
        raise InvalidInputException("GetPersonalizedRanking needs a campaign trained with a "
                                    "PERSONALIZED_RANKING recipe (aws-personalized-ranking-v2).")
    items = list(p.get("inputList") or ())
    if not items:
        raise InvalidInputException("inputList must name at least one item.")
    if len(items) > MAX_RESULTS:
        raise InvalidInputException(f"inputList can hold at most {MAX_RESULTS} items; got {len(items)}.")
    mask = mask_for(ctx, p, dataset_group=serving.version.body["datasetGroupArn"], recipe_type=model.recipe_type)
    if mask is not None:
        items = [item for item in items if mask.keeps(item)]
        if not items:  # nothing survives the filter: an empty ranking
            return {"personalizedRanking": [], "recommendationId": f"RID-{uuid.uuid4()}"}
    pairs = model.rank(user_id=p["userId"], items=items, recent=_recent(ctx, serving, p["userId"]))
    return {"personalizedRanking": _scored(pairs), "recommendationId": f"RID-{uuid.uuid4()}"}


def _epoch(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise InvalidInputException(f"sentAt {value!r} is not a timestamp.") from None


#: Property keys botocore's model forbids in an event's ``properties`` (compared case-insensitively).
_RESERVED_PROPERTIES = frozenset({"userid", "sessionid", "eventtype", "timestamp", "recommendationid", "impression"})


def _properties(event: dict[str, Any], index: int) -> dict[str, Any]:
    """An event's ``properties`` JSON object: the older form of AWS's samples carries ``itemId`` here.

    AWS's getting-started notebook 2 sends ``properties='{"itemId": "270"}'`` and no top-level itemId;
    the model forbids only the reserved keys above, so ``itemId`` (and ``eventValue``) are allowed.
    """
    text = event.get("properties")
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidInputException(f"eventList[{index}].properties is not valid JSON.") from None
    if not isinstance(value, dict):
        raise InvalidInputException(f"eventList[{index}].properties must be a JSON object.")
    reserved = sorted(k for k in value if k.lower() in _RESERVED_PROPERTIES)
    if reserved:
        raise InvalidInputException(
            f"eventList[{index}].properties cannot use the reserved key(s) {', '.join(reserved)}: userId, "
            "sessionId, eventType, timestamp, recommendationId and impression are fields of the event itself."
        )
    return value


def _event_value(event: dict[str, Any], properties: dict[str, Any], index: int) -> float | None:
    value = event.get("eventValue", properties.get("eventValue"))
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInputException(f"eventList[{index}].properties.eventValue {value!r} is not a number.") from None


def put_events(ctx: Context, p: dict[str, Any]) -> None:
    tracker = ctx.store.find(TRACKER.name, "trackingId", p["trackingId"])
    if tracker is None:  # PutEvents models no ResourceNotFoundException: callers catch InvalidInput
        raise InvalidInputException(f"trackingId: no event tracker has the tracking ID {p['trackingId']}.")
    user = p.get("userId") or p["sessionId"]
    events: list[Event] = []
    for index, event in enumerate(p["eventList"]):
        properties = _properties(event, index)
        item = event.get("itemId") or properties.get("itemId")
        if not item:
            raise InvalidInputException(f"eventList[{index}].itemId is required for item interactions.")
        events.append(Event(user_id=user, item_id=str(item), timestamp=_epoch(event["sentAt"]),
                            event_type=event["eventType"], event_value=_event_value(event, properties, index)))
    ctx.store.add_events(tracker.body["datasetGroupArn"], events)
