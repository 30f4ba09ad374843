"""A recursive-descent parser for Personalize filter expressions (Developer Guide, "Filter expressions").

Grammar (keywords, targets and dataset names spelled exactly as documented)::

    filter      := expression ( "|" expression )* END
    expression  := ("INCLUDE" | "EXCLUDE") target "WHERE" where [ "IF" user_cond ( "AND" user_cond )* ]
    target      := "ItemID" | "ActionID" | "UserID"
    where       := and_group ( "OR" and_group )*
    and_group   := condition ( "AND" condition )*
    condition   := field ( "IN" in_rhs | "NOT" "IN" list | cmp_op operand )
    user_cond   := "CurrentUser" "." NAME ( "IN" list | "NOT" "IN" list | cmp_op operand )
    field       := DATASET "." NAME
    in_rhs      := list | "CurrentItem" "." NAME
    list        := "(" ( PLACEHOLDER | value ( "," value )* ) ")"
    value       := STRING | NUMBER | "*"
    cmp_op      := "=" | "<" | "<=" | ">" | ">="
    operand     := NUMBER | PLACEHOLDER | "CurrentItem" "." NAME

Which datasets a target may read, and what each dataset allows, are checked here too (where the
offending token's position is known); rules over the whole expression live in :mod:`.checks`.
"""

from __future__ import annotations

from typing import cast

from .lexer import FilterSyntaxError, Token, tokens
from .syntax import (
    Action,
    CmpOp,
    Comparison,
    Condition,
    Expression,
    Field,
    Filter,
    Membership,
    Operand,
    Placeholder,
    Reference,
    Target,
    Value,
    Where,
)

__all__ = ["DATASETS_BY_TARGET", "INTERACTION_DATASETS", "parse"]

#: The datasets a WHERE clause may read, by target keyword.
DATASETS_BY_TARGET: dict[str, tuple[str, ...]] = {
    "ItemID": ("Items", "Interactions"),
    "ActionID": ("Actions", "Action_Interactions"),
    "UserID": ("Users",),
}
#: Interaction datasets: only EVENT_TYPE is filterable, only with IN / NOT IN, and ``*`` means any type.
INTERACTION_DATASETS = ("Interactions", "Action_Interactions")
_CMP_OPS = ("=", "<", "<=", ">", ">=")
_CMP_SHOWN = "IN, NOT IN, =, <, <=, > or >="


class _Parser:
    def __init__(self, text: str) -> None:
        self.source = tokens(text)
        self.tokens: list[Token] = []
        self.i = 0

    # -- token helpers ----------------------------------------------------------------------------
    @property
    def token(self) -> Token:
        while len(self.tokens) <= self.i:
            self.tokens.append(next(self.source))
        return self.tokens[self.i]

    def fail(self, expected: str, token: Token | None = None) -> FilterSyntaxError:
        token = token or self.token
        return FilterSyntaxError(token.position, expected, token.shown())

    def at_kind(self, kind: str) -> bool:
        return self.token.kind == kind

    def at_word(self, *words: str) -> bool:
        return self.token.kind == "word" and self.token.text in words

    def word(self, *words: str, expected: str | None = None) -> Token:
        if not self.at_word(*words):
            raise self.fail(expected or " or ".join(words))
        return self.advance()

    def punct(self, char: str) -> Token:
        if self.token.kind != "punct" or self.token.text != char:
            raise self.fail(f"'{char}'")
        return self.advance()

    def advance(self) -> Token:
        token = self.token
        self.i += 1
        return token

    # -- productions ------------------------------------------------------------------------------
    def filter(self) -> Filter:
        expressions = [self.expression()]
        while self.token.kind == "punct" and self.token.text == "|":
            self.advance()
            expressions.append(self.expression())
        if self.token.kind != "end":
            raise self.fail("AND, OR, IF, '|' or the end of the expression")
        return Filter(tuple(expressions))

    def expression(self) -> Expression:
        start = self.word("INCLUDE", "EXCLUDE")
        target = cast(Target, self.word(*DATASETS_BY_TARGET, expected="ItemID, ActionID or UserID").text)
        self.word("WHERE")
        groups = [self.and_group(target)]
        while self.at_word("OR"):
            self.advance()
            groups.append(self.and_group(target))
        condition_if: list[Condition] = []
        if self.at_word("IF"):
            if_token = self.advance()
            if target == "UserID":
                raise self.fail("'|' or the end of the expression (IF CurrentUser applies to ItemID and "
                                "ActionID filters only)", if_token)
            condition_if.append(self.user_condition())
            while self.at_word("AND"):
                self.advance()
                condition_if.append(self.user_condition())
            if self.at_word("OR"):
                raise self.fail("AND, '|' or the end of the expression (IF conditions join with AND only)")
        return Expression(cast(Action, start.text), target, Where(tuple(tuple(g) for g in groups)),
                          tuple(condition_if), start.position)

    def and_group(self, target: str) -> list[Condition]:
        group = [self.condition(target)]
        while self.at_word("AND"):
            self.advance()
            group.append(self.condition(target))
        return group

    def field(self, allowed: tuple[str, ...]) -> Field:
        shown = ", ".join(f"{d}.FIELD" for d in allowed)
        if self.token.kind != "word" or self.token.text not in allowed:
            if self.at_word("CurrentUser"):
                raise self.fail(f"{shown} (CurrentUser fields go in an IF clause at the end)")
            if self.at_word("CurrentItem"):
                raise self.fail(f"{shown} (CurrentItem.FIELD goes on the right-hand side)")
            raise self.fail(shown)
        dataset = self.advance()
        self.punct(".")
        if self.token.kind != "word":
            raise self.fail(f"a field name after '{dataset.text}.'")
        return Field(dataset.text, self.advance().text, dataset.position)

    def condition(self, target: str) -> Condition:
        field = self.field(DATASETS_BY_TARGET[target])
        interactions = field.dataset in INTERACTION_DATASETS
        if interactions and field.name != "EVENT_TYPE":
            raise FilterSyntaxError(field.position + len(field.dataset) + 1,
                                    f"EVENT_TYPE (the only filterable field of {field.dataset})", f"'{field.name}'")
        if self.at_word("IN"):
            self.advance()
            if self.at_word("CurrentItem"):
                if target != "ItemID" or field.dataset != "Items":
                    raise self.fail("'(' (CurrentItem.FIELD compares with Items fields of ItemID filters only)")
                return Membership(field, False, (self.reference(),))
            return Membership(field, False, self.values(star=interactions, placeholders=True))
        if self.at_word("NOT"):
            self.advance()
            self.word("IN")
            return Membership(field, True, self.values(star=interactions, placeholders=False))
        if self.token.kind == "op" and not interactions:
            op = self.advance().text
            return Comparison(field, cast(CmpOp, op),
                              self.operand(references=target == "ItemID" and field.dataset == "Items"))
        raise self.fail("IN or NOT IN" if interactions else _CMP_SHOWN)

    def user_condition(self) -> Condition:
        field = self.field(("CurrentUser",))
        if self.at_word("IN"):
            self.advance()
            return Membership(field, False, self.values(star=False, placeholders=True))
        if self.at_word("NOT"):
            self.advance()
            self.word("IN")
            return Membership(field, True, self.values(star=False, placeholders=False))
        if self.token.kind == "op":
            op = self.advance().text
            return Comparison(field, cast(CmpOp, op), self.operand(references=False))
        raise self.fail(_CMP_SHOWN)

    def reference(self) -> Reference:
        current = self.word("CurrentItem")
        self.punct(".")
        if self.token.kind != "word":
            raise self.fail("a field name after 'CurrentItem.'")
        return Reference(Field("CurrentItem", self.advance().text, current.position))

    def values(self, *, star: bool, placeholders: bool) -> tuple[Operand, ...]:
        self.punct("(")
        if self.token.kind == "placeholder":
            if not placeholders:
                raise self.fail("a quoted value (placeholders cannot be used with NOT IN: use IN with the "
                                "opposite INCLUDE/EXCLUDE)")
            token = self.advance()
            self.punct(")")
            return (Placeholder(token.text, token.position),)
        first = 'a quoted value, a number' + (', "*"' if star else "") + (" or a $PLACEHOLDER" if placeholders else "")
        values: list[Operand] = [self.value(star, first)]
        while self.token.kind == "punct" and self.token.text == ",":
            self.advance()
            if self.at_kind("placeholder"):
                raise self.fail("a quoted value (a placeholder must be the only value of its list)")
            values.append(self.value(star, 'a quoted value or a number' + (' or "*"' if star else "")))
        self.punct(")")
        return tuple(values)

    def value(self, star: bool, expected: str) -> Value:
        token = self.token
        if token.kind == "string":
            self.advance()
            return Value(token.text, None, token.position)
        if token.kind == "number":
            self.advance()
            return Value(token.text, float(token.text), token.position)
        if token.kind == "star" and star:
            self.advance()
            return Value("*", None, token.position, star=True)
        raise self.fail(expected)

    def operand(self, *, references: bool) -> Operand:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Value(token.text, float(token.text), token.position)
        if token.kind == "placeholder":
            self.advance()
            return Placeholder(token.text, token.position)
        if references and self.at_word("CurrentItem"):
            return self.reference()
        shown = "a number, a $PLACEHOLDER" + (" or CurrentItem.FIELD" if references else "")
        raise self.fail(shown)


def parse(text: str) -> Filter:
    """The syntax tree of ``text``; FilterSyntaxError (an InvalidInputException) naming position and
    expectation when it is not an expression of the documented language."""
    return _Parser(text).filter()
