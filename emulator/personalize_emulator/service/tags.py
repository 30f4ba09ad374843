"""TagResource, UntagResource and ListTagsForResource, for every taggable resource."""

from __future__ import annotations

from typing import Any

from ..errors import TooManyTagKeysException, TooManyTagsException, not_found
from .context import MAX_TAGS, Context

__all__ = ["list_tags_for_resource", "tag_resource", "untag_resource"]


def _require(ctx: Context, arn: str) -> None:
    if ctx.store.get(arn) is None:
        raise not_found(arn)


def tag_resource(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["resourceArn"]
    _require(ctx, arn)
    keys = {t["tagKey"] for t in ctx.store.tags(arn)} | {t["tagKey"] for t in p["tags"]}
    if len(keys) > MAX_TAGS:
        raise TooManyTagsException(f"A resource can have at most {MAX_TAGS} tags; this would make {len(keys)}.")
    with ctx.store.write() as conn:
        ctx.store.set_tags(conn, arn, p["tags"])
    return {}


def untag_resource(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["resourceArn"]
    _require(ctx, arn)
    if len(p["tagKeys"]) > MAX_TAGS:
        raise TooManyTagKeysException(f"UntagResource takes at most {MAX_TAGS} tag keys; got {len(p['tagKeys'])}.")
    with ctx.store.write() as conn:
        ctx.store.remove_tags(conn, arn, p["tagKeys"])
    return {}


def list_tags_for_resource(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["resourceArn"]
    _require(ctx, arn)
    return {"tags": ctx.store.tags(arn)}
