"""List* pagination, one way for every list: an opaque ``nextToken`` scoped to the request.

Stored resources page by key set (the row's sequence number, stable while rows come and go); fixed
catalogues such as ListRecipes page by offset.  Both use the same token, so a token from one list
(or a forged one) is InvalidNextTokenException on another.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import InvalidNextTokenException
from ..store import Row
from .context import Context, project

__all__ = ["list_page", "page_of"]


def _token(after: int, scope: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"a": after, "s": scope}).encode()).decode()


def _read_token(token: str, scope: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["s"] != scope or not isinstance(data["a"], int):
            raise ValueError
        return int(data["a"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidNextTokenException("The nextToken is not valid for this request.") from None


def _start_and_limit(params: Mapping[str, Any], scope: str) -> tuple[int, int]:
    after = _read_token(params["nextToken"], scope) if params.get("nextToken") else 0
    return after, int(params.get("maxResults") or 100)


def list_page(
    ctx: Context,
    params: Mapping[str, Any],
    *,
    kind: str,
    member: str,
    summary: str,
    parent: str | None = None,
    transform: Callable[[Row], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page of a List* call over stored resources: stable key-set pagination."""
    scope = f"{kind}|{parent or ''}"
    after, limit = _start_and_limit(params, scope)
    rows = ctx.store.page(kind, account=ctx.account, region=ctx.region, parent=parent, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [project(transform(r) if transform else r.body, summary) for r in rows]
    result: dict[str, Any] = {member: items}
    if more:
        result["nextToken"] = _token(rows[-1].seq, scope)
    return result


def page_of(items: Sequence[dict[str, Any]], params: Mapping[str, Any], *, scope: str, member: str,
            summary: str) -> dict[str, Any]:
    """One page of a List* call over a fixed, ordered catalogue: offset pagination."""
    start, limit = _start_and_limit(params, scope)
    result: dict[str, Any] = {member: [project(item, summary) for item in items[start:start + limit]]}
    if start + limit < len(items):
        result["nextToken"] = _token(start + limit, scope)
    return result
