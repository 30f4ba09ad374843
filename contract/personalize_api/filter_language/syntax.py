"""The typed syntax tree of a filter expression (what the parser builds, what evaluation reads).

Kept free of numpy so the provider's offline ``check`` can parse expressions too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Action",
    "CmpOp",
    "Comparison",
    "Condition",
    "Expression",
    "Field",
    "Filter",
    "Membership",
    "Operand",
    "Placeholder",
    "Reference",
    "Target",
    "Value",
    "Where",
    "expression_fields",
]

Action = Literal["INCLUDE", "EXCLUDE"]
Target = Literal["ItemID", "ActionID", "UserID"]
CmpOp = Literal["=", "<", "<=", ">", ">="]


@dataclass(frozen=True, slots=True)
class Field:
    """``<Dataset>.<NAME>``; ``dataset`` is spelled as documented (``Items``, ``CurrentUser``...)."""

    dataset: str
    name: str
    position: int

    def __str__(self) -> str:
        return f"{self.dataset}.{self.name}"


@dataclass(frozen=True, slots=True)
class Value:
    """A quoted string or a number (``text`` as written, unquoted); ``star`` for a bare ``*``."""

    text: str
    number: float | None
    position: int
    star: bool = False


@dataclass(frozen=True, slots=True)
class Placeholder:
    """``$NAME``: its value(s) come from the request's ``filterValues[NAME]`` (case-sensitive)."""

    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Reference:
    """``CurrentItem.FIELD`` on the right-hand side: the request item's own attribute."""

    field: Field


Operand = Value | Placeholder | Reference


@dataclass(frozen=True, slots=True)
class Membership:
    """``field IN (values)`` / ``field NOT IN (values)`` / ``field IN CurrentItem.FIELD``.

    ``values`` is a list of literals, or exactly one placeholder, or one reference.
    """

    field: Field
    negated: bool
    values: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """``field <op> operand`` with op one of ``= < <= > >=`` (a numeric comparison)."""

    field: Field
    op: CmpOp
    operand: Operand


Condition = Membership | Comparison


@dataclass(frozen=True, slots=True)
class Where:
    """Conditions in disjunctive normal form: OR of AND-groups (AND binds tighter, as in SQL)."""

    groups: tuple[tuple[Condition, ...], ...]

    def conditions(self) -> tuple[Condition, ...]:
        return tuple(c for group in self.groups for c in group)


@dataclass(frozen=True, slots=True)
class Expression:
    """``INCLUDE|EXCLUDE <target> WHERE <where> [IF <conditions joined by AND>]``."""

    action: Action
    target: Target
    where: Where
    condition_if: tuple[Condition, ...]
    position: int

    @property
    def dataset(self) -> str:
        """The dataset of the first WHERE condition (every other one must use it too)."""
        return self.where.groups[0][0].field.dataset


@dataclass(frozen=True, slots=True)
class Filter:
    """One or more expressions joined by ``|``."""

    expressions: tuple[Expression, ...]

    @property
    def target(self) -> Target:
        return self.expressions[0].target

    def placeholders(self) -> dict[str, Action]:
        """Every placeholder name -> the action of an expression using it (INCLUDE wins)."""
        found: dict[str, Action] = {}
        for expression in self.expressions:
            for condition in (*expression.where.conditions(), *expression.condition_if):
                operands = condition.values if isinstance(condition, Membership) else (condition.operand,)
                for operand in operands:
                    if isinstance(operand, Placeholder) and found.get(operand.name) != "INCLUDE":
                        found[operand.name] = expression.action
        return found

    def fields(self) -> set[str]:
        """Distinct dataset fields the filter reads (``Items.GENRE``...; CurrentX ones included)."""
        return {name for expression in self.expressions for name in expression_fields(expression)}


def expression_fields(expression: Expression) -> set[str]:
    """Distinct dataset fields one expression reads (CurrentItem/CurrentUser ones included)."""
    out: set[str] = set()
    for condition in (*expression.where.conditions(), *expression.condition_if):
        out.add(str(condition.field))
        operands = condition.values if isinstance(condition, Membership) else (condition.operand,)
        out.update(str(o.field) for o in operands if isinstance(o, Reference))
    return out
