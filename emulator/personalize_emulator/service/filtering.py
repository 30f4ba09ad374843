"""``filterArn`` + ``filterValues`` on GetRecommendations and GetPersonalizedRanking.

The filter is evaluated for the request's user (and item) against the dataset group's imported
Items/Users/interactions plus the user's PutEvents events, read at request time so an interaction
recorded a moment ago already filters.  Recommendations are drawn from the model in growing batches
until ``numResults`` items survive or the model has nothing more: fewer results when fewer items
survive, as AWS answers (its User-Personalization-v2 padding with popular items is not emulated).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

from personalize_api.statuses import ACTIVE

from ..errors import InvalidInputException, not_found
from ..filters import Filter, compile_expression
from ..filters.data import filter_data
from ..filters.evaluate import ItemMask, Request, item_mask
from ..filters.values import resolve_values
from ..store import Row
from .context import Context
from .datasets import dataset_parts
from .filters import FILTER

__all__ = ["FIRST_BATCH", "GROWTH", "LOOKUP", "mask_for", "surviving"]

#: At least this many recommendations are drawn first, or twice numResults ...
FIRST_BATCH = 50
#: ... then this many: a known user's precomputed answer (user-personalization models keep 100), so
#: the second batch is still a lookup ...
LOOKUP = 100
#: Each further batch is this many times larger ...
GROWTH = 4
#: ... up to everything the model can recommend ...
_EVERYTHING = 1_000_000
#: ... which is this many items, per request key, once seen (the newest :data:`_REMEMBERED` keys).
_everything: OrderedDict[Hashable, int] = OrderedDict()
_REMEMBERED = 65_536
_lock = threading.Lock()


@lru_cache(maxsize=256)
def _compiled(text: str) -> Filter:
    return compile_expression(text)


def _filter_row(ctx: Context, arn: str) -> Row:
    row = ctx.store.get(arn, FILTER.name)
    if row is None:
        raise not_found(arn)
    return row


def mask_for(ctx: Context, p: dict[str, Any], *, dataset_group: str, recipe_type: str) -> ItemMask | None:
    """The request's filter evaluated for its user and item, or None without ``filterArn``."""
    arn = p.get("filterArn")
    if not arn:
        return None
    row = ctx.store.memo(("filter", arn), lambda: _filter_row(ctx, arn))
    status = row.body.get("status")
    if status != ACTIVE:
        raise InvalidInputException(f"Filter {arn} is not ACTIVE (status: {status}).")
    if row.parent != dataset_group:
        raise InvalidInputException(f"Filter {arn} belongs to dataset group {row.parent}; this campaign serves "
                                    f"{dataset_group}.")
    tree = _compiled(row.body["filterExpression"])
    if tree.target != "ItemID":
        raise InvalidInputException(f"Filter {arn} filters {tree.target}s; item recommendations need an "
                                    "INCLUDE/EXCLUDE ItemID filter.")
    if recipe_type != "RELATED_ITEMS" and any(f.startswith("CurrentItem.") for f in tree.fields()):
        raise InvalidInputException(f"Filter {arn} uses CurrentItem, which needs a campaign that recommends "
                                    "related items (itemId).")
    values = resolve_values(tree, p.get("filterValues"))
    data = ctx.store.memo(("filter-data", dataset_group), lambda: filter_data(dataset_parts(ctx, dataset_group)))
    user = p.get("userId")
    recorded: tuple[tuple[str, str, float], ...] = ()
    if user and any(f.startswith("Interactions.") for f in tree.fields()):
        recorded = tuple((e.item_id, e.event_type, e.timestamp)
                         for e in ctx.store.events(dataset_group, user_id=user))
    return item_mask(tree, data, Request(user, p.get("itemId"), values, recorded))


def surviving(fetch: Callable[[int], list[tuple[str, float]]], count: int, mask: ItemMask,
              key: Hashable) -> list[tuple[str, float]]:
    """The best ``count`` recommendations ``mask`` keeps; scores renormalised to sum to 1 again.

    The first two batches (:data:`FIRST_BATCH`, :data:`LOOKUP`) are lookups for known users; while
    too few of a batch survive and the model has more, a batch :data:`GROWTH` times larger is drawn,
    up to everything the model can recommend.  How long "everything" is gets remembered per request
    ``key`` (model, user, item, recent events): asking for exactly that many lets the model's own
    answer cache serve the next request, where asking for more than it has would recompute every time.
    """
    if count <= 0:
        return []
    with _lock:
        everything = _everything.get(key, _EVERYTHING)
    asked = min(max(2 * count, FIRST_BATCH), everything)
    while True:
        pairs = fetch(asked)
        kept = mask.keep_pairs(pairs)
        if len(pairs) < asked:
            with _lock:
                _everything[key] = len(pairs)
                if len(_everything) > _REMEMBERED:
                    _everything.popitem(last=False)
        if len(kept) >= count or len(pairs) < asked or asked >= everything:
            break
        asked = min(LOOKUP if asked < LOOKUP else asked * GROWTH, everything)
    kept = kept[:count]
    total = sum(score for _, score in kept)
    return [(item, score / total) for item, score in kept] if total > 0 else kept
