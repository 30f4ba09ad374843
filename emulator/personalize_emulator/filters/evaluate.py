"""A parsed filter evaluated for one request: which candidate items survive.

Semantics (Developer Guide, "Filter expressions"; choices where AWS is silent are marked):

- each expression is evaluated alone; the survivors are (union of INCLUDE matches, or every item
  when there is no INCLUDE expression) minus (union of EXCLUDE matches);
- ``Items.F IN (...)`` matches items with any of the values (categorical ``a|b`` values split);
  ``NOT IN`` items having values and none listed; ``= < <= > >=`` compare numbers.  An item with no
  Items row or a null value matches neither (emulator's choice);
- ``Interactions.EVENT_TYPE IN (...)`` matches items the user interacted with through one of the
  event types (case-insensitively; ``*`` any type), among the newest 100 interactions per event
  type, PutEvents ones included;
- ``CurrentItem.F`` is the request item's value(s) (no Items row: nothing matches);
- ``IF CurrentUser...``: the expression applies only when the user's Users row satisfies every
  condition; otherwise (or without such a row) it is skipped (emulator's choice);
- a condition whose EXCLUDE placeholder was omitted is dropped (API reference); an expression
  left without conditions, or whose IF uses an omitted placeholder, is skipped.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from personalize_api.filter_language.parser import INTERACTION_DATASETS
from personalize_api.filter_language.syntax import (
    Comparison,
    Condition,
    Expression,
    Filter,
    Operand,
    Placeholder,
    Reference,
    Value,
    expression_fields,
)

from ..errors import InvalidInputException
from .data import FilterData, UserHistory
from .values import FilterValues

__all__ = ["ItemMask", "Request", "item_mask"]

#: Cached Items matches per data (cleared when full).
_MATCHED_SIZE = 4096
#: Stands for "the expression does not apply" in the cache (None cannot be told from a miss).
_NOTHING: frozenset[str] = frozenset({"\x00not-applied"})
_OPS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Request:
    """What one GetRecommendations/GetPersonalizedRanking call brings to a filter."""

    user_id: str | None
    item_id: str | None
    values: FilterValues
    #: the user's PutEvents interactions: (item id, event type, timestamp)
    recorded: Sequence[tuple[str, str, float]] = ()


class _Skip(Exception):
    """This condition (or expression) does not apply to the request."""


@dataclass(frozen=True, slots=True)
class ItemMask:
    """The filter's answer for one request: :meth:`keeps` tells whether an item survives.

    ``include`` is the union of the INCLUDE expressions' matches (None: no INCLUDE expression
    applies), ``exclude`` the union of the EXCLUDE ones'; both are item-id sets, so testing a
    candidate is two hash lookups.
    """

    include: frozenset[str] | None
    exclude: frozenset[str]

    def keeps(self, item: str) -> bool:
        return (self.include is None or item in self.include) and item not in self.exclude

    def mask(self, item_ids: Sequence[str]) -> np.ndarray:
        """One boolean per item id, True where the item survives."""
        return np.fromiter((self.keeps(i) for i in item_ids), dtype=bool, count=len(item_ids))

    def keep_pairs(self, pairs: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
        """The (item, score) pairs whose item survives, in order."""
        include, exclude = self.include, self.exclude
        if include is None:
            return [pair for pair in pairs if pair[0] not in exclude]
        return [pair for pair in pairs if pair[0] in include and pair[0] not in exclude]


def _placeholder(op: Placeholder, request: Request) -> tuple[str, ...]:
    values = request.values.get(op.name)
    if values is None:
        raise _Skip
    return values


def _strings(operands: Sequence[Operand], data: FilterData, request: Request) -> tuple[str, ...]:
    out: list[str] = []
    for op in operands:
        if isinstance(op, Placeholder):
            out.extend(_placeholder(op, request))
        elif isinstance(op, Reference):
            out.extend(_current_item(data, op, request))
        else:
            out.append(op.text)
    return tuple(out)


def _current_item(data: FilterData, ref: Reference, request: Request) -> tuple[str, ...]:
    items = data.items
    row = items.rows.get(request.item_id) if items is not None and request.item_id is not None else None
    if items is None or row is None or not items.has(ref.field.name):
        return ()
    return items.values(ref.field.name, row)


def _number(op: Operand, data: FilterData, request: Request, where: str) -> float:
    if isinstance(op, Value):
        return float(op.number if op.number is not None else "nan")
    texts = _placeholder(op, request) if isinstance(op, Placeholder) else _current_item(data, op, request)
    if isinstance(op, Reference) and not texts:
        return float("nan")
    if len(texts) != 1:
        raise InvalidInputException(f"filterValues.{getattr(op, 'name', '')}: {where} compares with one number; "
                                    f"got {len(texts)} values.")
    try:
        return float(texts[0])
    except ValueError:
        raise InvalidInputException(f"filterValues.{getattr(op, 'name', '')}: {where} compares with a number; "
                                    f"got {texts[0]!r}.") from None


def _rows(condition: Condition, data: FilterData, request: Request) -> np.ndarray:
    """The Items rows matching one condition."""
    items = data.items
    if items is None:
        return np.zeros(0, dtype=bool)
    column = condition.field.name
    if not items.has(column):
        return np.zeros(len(items), dtype=bool)
    if isinstance(condition, Comparison):
        bound = _number(condition.operand, data, request, str(condition.field))
        numbers = items.numbers(column)
        with np.errstate(invalid="ignore"):
            matched: np.ndarray = _OPS[condition.op](numbers, bound) & ~np.isnan(numbers)
        return matched
    wanted = _strings(condition.values, data, request)
    index = items.index(column)
    hit = np.zeros(len(items), dtype=bool)
    for value in wanted:
        rows = index.get(value)
        if rows is None and value.replace(".", "", 1).lstrip("-").isdigit():
            rows = index.get(_canonical(value))
        if rows is not None:
            hit[rows] = True
    if condition.negated:
        present = np.zeros(len(items), dtype=bool)
        for rows in index.values():
            present[rows] = True
        return present & ~hit
    return hit


def _canonical(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def _interacted(condition: Condition, history: UserHistory, request: Request) -> frozenset[str]:
    assert not isinstance(condition, Comparison)  # the parser allows IN / NOT IN only here
    wanted = {v.lower() for v in _strings(condition.values, _NO_DATA, request)}
    hit = np.ones(len(history.items), dtype=bool) if "*" in wanted else np.isin(history.event_types, list(wanted))
    if condition.negated:
        hit = ~hit
    return frozenset(history.items[hit].tolist())


_EMPTY = np.empty(0)
_NO_DATA = FilterData(None, None, _EMPTY, _EMPTY, _EMPTY, _EMPTY, _EMPTY)


def _user_matches(condition: Condition, data: FilterData, request: Request) -> bool:
    users = data.users
    row = users.rows.get(request.user_id) if users is not None and request.user_id is not None else None
    if users is None or row is None or not users.has(condition.field.name):
        return False
    if isinstance(condition, Comparison):
        value = _number(condition.operand, data, request, str(condition.field))
        mine = users.numbers(condition.field.name)[row]
        return bool(not np.isnan(mine) and _OPS[condition.op](np.asarray(mine), value))
    have = set(users.values(condition.field.name, row))
    listed = set(_strings(condition.values, data, request))
    if not have:
        return False
    return not (have & listed) if condition.negated else bool(have & listed)


def _expression(expression: Expression, data: FilterData, request: Request,
                history: Callable[[], UserHistory]) -> frozenset[str] | None:
    """The item ids ``expression`` matches for ``request``, or None when it does not apply."""
    try:
        if not all(_user_matches(c, data, request) for c in expression.condition_if):
            return None
    except _Skip:
        return None
    interactions = expression.dataset in INTERACTION_DATASETS
    if interactions:
        return _where(expression, data, request, history)
    current = request.item_id if any(f.startswith("CurrentItem.") for f in expression_fields(expression)) else None
    key = (expression.where, tuple(sorted(request.values.items())), current)
    if key not in data.matched:
        if len(data.matched) >= _MATCHED_SIZE:
            data.matched.clear()
        found = _where(expression, data, request, history)
        data.matched[key] = _NOTHING if found is None else found
    cached = data.matched[key]
    return None if cached is _NOTHING else cached


def _where(expression: Expression, data: FilterData, request: Request,
           history: Callable[[], UserHistory]) -> frozenset[str] | None:
    interactions = expression.dataset in INTERACTION_DATASETS
    result_rows: np.ndarray | None = None
    result_ids: set[str] = set()
    applied = False
    for group in expression.where.groups:
        group_rows: np.ndarray | None = None
        group_ids: set[str] | None = None
        for condition in group:
            try:
                if interactions:
                    found = _interacted(condition, history(), request)
                    group_ids = set(found) if group_ids is None else group_ids & found
                else:
                    rows = _rows(condition, data, request)
                    group_rows = rows if group_rows is None else group_rows & rows
            except _Skip:
                continue  # an omitted EXCLUDE placeholder: this condition is dropped
        if group_rows is None and group_ids is None:
            continue
        applied = True
        if group_ids is not None:
            result_ids |= group_ids
        if group_rows is not None:
            result_rows = group_rows if result_rows is None else result_rows | group_rows
    if not applied:
        return None
    if interactions:
        return frozenset(result_ids)
    if data.items is None or result_rows is None or not len(result_rows):
        return frozenset()
    return frozenset(data.items.table.key[result_rows].tolist())


def item_mask(tree: Filter, data: FilterData, request: Request) -> ItemMask:
    """Which items survive ``tree`` for ``request`` (an ItemID filter)."""
    cached: list[UserHistory] = []

    def history() -> UserHistory:
        if not cached:
            cached.append(data.history(request.user_id, request.recorded))
        return cached[0]

    include: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    for expression in tree.expressions:
        matches = _expression(expression, data, request, history)
        if matches is None:
            continue
        if expression.action == "INCLUDE":
            include = matches if include is None else include | matches
        else:
            exclude = exclude | matches
    return ItemMask(include, exclude)
