"""filterValues: double-quoted, comma-separated strings; INCLUDE placeholders required."""

from __future__ import annotations

import pytest

from personalize_api.filter_language import parse
from personalize_emulator.errors import InvalidInputException
from personalize_emulator.filters.values import parse_values, resolve_values


@pytest.mark.parametrize(("text", "values"), [
    ('"comedy"', ("comedy",)),
    ('"comedy","drama"', ("comedy", "drama")),
    (' "a" , "b c" ', ("a", "b c")),
    ('"say \\"hi\\""', ('say "hi"',)),
    ("10", ("10",)),
    ("-2.5", ("-2.5",)),
    ('"10"', ("10",)),
])
def test_documented_value_format(text: str, values: tuple[str, ...]) -> None:
    assert parse_values("GENRE", text) == values


@pytest.mark.parametrize(("text", "message"), [
    ("comedy", "filterValues.GENRE: expected a double-quoted value at character 1 of 'comedy', found 'c'"),
    ('"a" "b"', "filterValues.GENRE: expected ',' or the end at character 5 of '\"a\" \"b\"', found '\"'"),
    ('"a",', "filterValues.GENRE: expected a double-quoted value at character 5 of '\"a\",', found the end"),
    ('"a', "filterValues.GENRE: expected the closing \" at character 3 of '\"a', found the end"),
    ("", "filterValues.GENRE: expected a double-quoted value at character 1 of '', found the end"),
])
def test_malformed_values_are_invalid_input(text: str, message: str) -> None:
    with pytest.raises(InvalidInputException) as exc:
        parse_values("GENRE", text)
    assert exc.value.message.startswith(message)
    assert exc.value.message.endswith('values are double-quoted and comma-separated, e.g. "\\"comedy\\",\\"drama\\"".')


def test_include_placeholders_are_required_exclude_ones_optional() -> None:
    tree = parse("INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | "
                 "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($SEEN)")
    assert resolve_values(tree, {"GENRE": '"a"', "OTHER": "ignored"}) == {"GENRE": ("a",)}
    both = resolve_values(tree, {"GENRE": '"a"', "SEEN": '"click","buy"'})
    assert both == {"GENRE": ("a",), "SEEN": ("click", "buy")}
    with pytest.raises(InvalidInputException) as exc:
        resolve_values(tree, {"genre": '"a"'})
    assert exc.value.message == "filterValues: the filter's INCLUDE expression uses $GENRE; supply a value for GENRE."
