"""The filter grammar: one test per production, every documented example, and the errors' wording."""

from __future__ import annotations

import pytest

from personalize_api.filter_language import FilterSyntaxError, compile_expression, parse
from personalize_api.filter_language.syntax import Comparison, Membership, Placeholder, Reference, Value
from personalize_emulator.errors import InvalidInputException

#: reference/runtime-features.md §1.8 (Developer Guide, "Filter expressions" and the example pages)
DOCUMENTED = [
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)",
    "INCLUDE ItemID WHERE Items.PRICE <= $PRICE",
    'EXCLUDE ItemID WHERE Items.CATEGORY IN ("shoe") AND Items.DESCRIPTION NOT IN ("boot")',
    "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE",
    "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE",
    'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | '
    'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    "INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)",
    "EXCLUDE UserID WHERE Users.AGE < $AGE",
    'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")',
]


@pytest.mark.parametrize("text", DOCUMENTED)
def test_every_documented_example_parses(text: str) -> None:
    tree = compile_expression(text)
    assert tree.expressions


def test_documented_examples_build_the_expected_trees() -> None:
    tree = parse(DOCUMENTED[4])
    (expression,) = tree.expressions
    assert (expression.action, expression.target, expression.dataset) == ("EXCLUDE", "ItemID", "Items")
    (condition,) = expression.where.conditions()
    assert condition == Membership(condition.field, False, (Placeholder("GENRE", 38),))
    (user,) = expression.condition_if
    assert isinstance(user, Comparison) and str(user.field) == "CurrentUser.AGE" and user.op == "="
    assert tree.placeholders() == {"GENRE": "EXCLUDE", "AGE": "EXCLUDE"}
    related = parse(DOCUMENTED[5]).expressions[0].where.conditions()
    assert isinstance(related[0], Comparison) and isinstance(related[0].operand, Reference)
    assert isinstance(related[1], Membership) and related[1].values == (Reference(related[1].values[0].field),)  # type: ignore[union-attr]
    assert parse(DOCUMENTED[6]).placeholders() == {"GENRE": "INCLUDE"}


def test_filter_chains_expressions_with_pipes() -> None:
    tree = parse('INCLUDE ItemID WHERE Items.A IN ("x") | INCLUDE ItemID WHERE Items.B IN ("y") '
                 '| EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')
    assert [e.action for e in tree.expressions] == ["INCLUDE", "INCLUDE", "EXCLUDE"]
    assert tree.fields() == {"Items.A", "Items.B", "Interactions.EVENT_TYPE"}


def test_where_and_binds_tighter_than_or() -> None:
    tree = parse('INCLUDE ItemID WHERE Items.A IN ("1") OR Items.B IN ("2") AND Items.C IN ("3")')
    groups = tree.expressions[0].where.groups
    assert [[str(c.field) for c in g] for g in groups] == [["Items.A"], ["Items.B", "Items.C"]]


def test_if_clause_takes_several_current_user_conditions() -> None:
    tree = parse('INCLUDE ItemID WHERE Items.A IN ("x") IF CurrentUser.AGE >= 18 AND CurrentUser.TIER NOT IN ("free")')
    first, second = tree.expressions[0].condition_if
    assert isinstance(first, Comparison) and first.op == ">=" and first.operand == Value("18", 18.0, 61)
    assert isinstance(second, Membership) and second.negated


@pytest.mark.parametrize("op", ["=", "<", "<=", ">", ">="])
def test_comparison_operators(op: str) -> None:
    text = f"INCLUDE ItemID WHERE Items.PRICE {op} -2.5"
    (condition,) = parse(text).expressions[0].where.conditions()
    assert isinstance(condition, Comparison) and condition.op == op
    assert condition.operand == Value("-2.5", -2.5, text.index("-") + 1)


def test_values_strings_numbers_and_the_star() -> None:
    tree = parse('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*, "say \\"hi\\"", 3)')
    (condition,) = tree.expressions[0].where.conditions()
    assert isinstance(condition, Membership)
    assert [(v.text, v.star) for v in condition.values if isinstance(v, Value)] == [
        ("*", True), ('say "hi"', False), ("3", False)]


ERRORS = [
    # (expression, position, expected, found)
    ("", 1, "INCLUDE or EXCLUDE", "the end of the expression"),
    ('KEEP ItemID WHERE Items.A IN ("x")', 1, "INCLUDE or EXCLUDE", "'KEEP'"),
    ('include ItemID WHERE Items.A IN ("x")', 1, "INCLUDE or EXCLUDE", "'include'"),
    ('INCLUDE Item WHERE Items.A IN ("x")', 9, "ItemID, ActionID or UserID", "'Item'"),
    ('INCLUDE ItemID Items.A IN ("x")', 16, "WHERE", "'Items'"),
    ('INCLUDE ItemID WHERE Products.A IN ("x")', 22, "Items.FIELD, Interactions.FIELD", "'Products'"),
    ('INCLUDE ItemID WHERE Items A IN ("x")', 28, "'.'", "'A'"),
    ('INCLUDE ItemID WHERE Items.A LIKE "x"', 30, "IN, NOT IN, =, <, <=, > or >=", "'LIKE'"),
    ('INCLUDE ItemID WHERE Items.A NOT ("x")', 34, "IN", "'('"),
    ('INCLUDE ItemID WHERE Items.A IN "x"', 33, "'('", '"x"'),
    ('INCLUDE ItemID WHERE Items.A IN ("x"', 37, "')'", "the end of the expression"),
    ('INCLUDE ItemID WHERE Items.A IN ("x",)', 38, "a quoted value or a number", "')'"),
    ('INCLUDE ItemID WHERE Items.A IN ()', 34, "a quoted value, a number or a $PLACEHOLDER", "')'"),
    ('INCLUDE ItemID WHERE Items.A IN ("x") THEN', 39, "AND, OR, IF, '|' or the end of the expression", "'THEN'"),
    ("INCLUDE ItemID WHERE Items.A < \"x\"", 32, "a number, a $PLACEHOLDER or CurrentItem.FIELD", '"x"'),
    ('INCLUDE ItemID WHERE Items.A IN (*)', 34, "a quoted value, a number or a $PLACEHOLDER", "'*'"),
    ('INCLUDE ItemID WHERE Items.A != 3', 30, "a keyword, field, value, operator or one of ( ) , . |", "'!'"),
    ('INCLUDE ItemID WHERE Items.A IN ("x', 34, 'a closing " for the string', "the end of the expression"),
    ('INCLUDE ItemID WHERE Items.A IN ($)', 34, "a placeholder name (letters, digits, _) after '$'", "')'"),
    ('INCLUDE ItemID WHERE Items.A IN ("x") | ', 41, "INCLUDE or EXCLUDE", "the end of the expression"),
]


def test_the_first_error_in_reading_order_is_reported() -> None:
    """Tokens are read as the parser goes: a bad character after a syntax error does not hide it."""
    with pytest.raises(FilterSyntaxError) as exc:
        parse("KEEP ItemID WHERE Items.A IN ('x')")
    assert (exc.value.position, exc.value.found) == (1, "'KEEP'")
    with pytest.raises(FilterSyntaxError) as exc:
        parse("INCLUDE ItemID WHERE Items.A IN ('x')")
    assert (exc.value.position, exc.value.found) == (34, "\"'\"")


@pytest.mark.parametrize(("text", "position", "expected", "found"), ERRORS)
def test_syntax_errors_name_position_and_expectation(text: str, position: int, expected: str, found: str) -> None:
    with pytest.raises(FilterSyntaxError) as exc:
        parse(text)
    assert (exc.value.position, exc.value.found) == (position, found)
    assert exc.value.expected.startswith(expected)
    assert exc.value.code == "InvalidInputException"
    assert exc.value.message.startswith(f"Could not create filter. Invalid Expression: expected {expected}")
    assert exc.value.message.endswith(f" at position {position}, found {found}.")


RULES = [
    ("EXCLUDE ItemID WHERE Items.A NOT IN ($A)", 38,
     "a quoted value (placeholders cannot be used with NOT IN: use IN with the opposite INCLUDE/EXCLUDE)"),
    ('INCLUDE ItemID WHERE Items.A IN ($A, "x")', 36, "')'"),
    ('INCLUDE ItemID WHERE Items.A IN ("x", $A)', 39, "a quoted value (a placeholder must be the only value"),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_VALUE IN ("5")', 35, "EVENT_TYPE (the only filterable field"),
    ('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE = 5', 46, "IN or NOT IN"),
    ('INCLUDE ItemID WHERE CurrentUser.AGE IN ("5")', 22, "Items.FIELD, Interactions.FIELD (CurrentUser fields go in"),
    ('INCLUDE ItemID WHERE CurrentItem.AGE IN ("5")', 22, "Items.FIELD, Interactions.FIELD (CurrentItem.FIELD goes on"),
    ('INCLUDE ItemID WHERE Items.A IN ("x") IF Items.B IN ("y")', 42, "CurrentUser.FIELD"),
    ('INCLUDE ItemID WHERE Items.A IN ("x") IF CurrentUser.B IN ("y") OR CurrentUser.C IN ("z")', 65,
     "AND, '|' or the end of the expression (IF conditions join with AND only)"),
    ('INCLUDE UserID WHERE Users.A IN ("x") IF CurrentUser.B IN ("y")', 39, "'|' or the end of the expression"),
    ('INCLUDE UserID WHERE Items.A IN ("x")', 22, "Users.FIELD"),
    ('INCLUDE ActionID WHERE Interactions.EVENT_TYPE IN ("x")', 24, "Actions.FIELD, Action_Interactions.FIELD"),
    ('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN CurrentItem.GENRE', 49, "'(' (CurrentItem.FIELD compares"),
    ('INCLUDE UserID WHERE Users.A < CurrentItem.A', 32, "a number, a $PLACEHOLDER"),
]


@pytest.mark.parametrize(("text", "position", "expected"), RULES)
def test_documented_restrictions_are_reported_where_they_are_broken(text: str, position: int, expected: str) -> None:
    with pytest.raises(FilterSyntaxError) as exc:
        parse(text)
    assert exc.value.position == position, exc.value.message
    assert exc.value.expected.startswith(expected), exc.value.message


def test_items_and_interactions_cannot_share_an_expression() -> None:
    with pytest.raises(InvalidInputException) as exc:
        compile_expression('EXCLUDE ItemID WHERE Items.A IN ("x") OR Interactions.EVENT_TYPE IN ("click")')
    assert exc.value.message == ("Could not create filter. Invalid Expression: Interactions.EVENT_TYPE cannot be "
                                 "combined with Items fields in one expression; join the two with '|' "
                                 "(at position 42).")


def test_a_chain_filters_one_target() -> None:
    with pytest.raises(InvalidInputException) as exc:
        compile_expression('EXCLUDE ItemID WHERE Items.A IN ("x") | EXCLUDE UserID WHERE Users.A IN ("x")')
    assert exc.value.message == ("Could not create filter. Invalid Expression: every expression joined by '|' must "
                                 "filter the same target; the first filters ItemID, this one UserID (at position 41).")


def test_at_most_ten_distinct_fields() -> None:
    ten = " | ".join(f'EXCLUDE ItemID WHERE Items.F{i} IN ("x")' for i in range(10))
    assert len(compile_expression(ten).fields()) == 10
    with pytest.raises(InvalidInputException) as exc:
        compile_expression(ten + ' | EXCLUDE ItemID WHERE Items.F10 IN ("x")')
    assert exc.value.message.startswith("Could not create filter. Invalid Expression: a filter can read at most 10 "
                                         "distinct dataset fields; this one reads 11 (Items.F0, Items.F1, Items.F10")
