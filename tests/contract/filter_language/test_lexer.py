"""Tokens of the filter language, with their 1-based positions."""

from __future__ import annotations

import pytest

from personalize_api.filter_language.lexer import FilterSyntaxError, tokenize


def test_every_token_kind_and_its_position() -> None:
    text = 'INCLUDE ItemID WHERE Items.PRICE <= -1.5 AND Items.G IN ($G, "a \\"b\\"", *) | x >= 2 < 3 > 4 = 5'
    kinds = [(t.kind, t.text, t.position) for t in tokenize(text)]
    assert kinds[:8] == [("word", "INCLUDE", 1), ("word", "ItemID", 9), ("word", "WHERE", 16), ("word", "Items", 22),
                         ("punct", ".", 27), ("word", "PRICE", 28), ("op", "<=", 34), ("number", "-1.5", 37)]
    assert [(k, v) for k, v, _ in kinds[8:]] == [
        ("word", "AND"), ("word", "Items"), ("punct", "."), ("word", "G"), ("word", "IN"), ("punct", "("),
        ("placeholder", "G"), ("punct", ","), ("string", 'a "b"'), ("punct", ","), ("star", "*"), ("punct", ")"),
        ("punct", "|"), ("word", "x"), ("op", ">="), ("number", "2"), ("op", "<"), ("number", "3"), ("op", ">"),
        ("number", "4"), ("op", "="), ("number", "5"), ("end", "")]
    assert kinds[-1][2] == len(text) + 1


@pytest.mark.parametrize(("text", "position", "expected", "found"), [
    ('"open', 1, 'a closing " for the string', "the end of the expression"),
    ("$ x", 1, "a placeholder name (letters, digits, _) after '$'", "' '"),
    ("- 1", 1, "a keyword, field, value, operator or one of ( ) , . |", "'-'"),
    ("a ; b", 3, "a keyword, field, value, operator or one of ( ) , . |", "';'"),
])
def test_characters_no_token_starts_with(text: str, position: int, expected: str, found: str) -> None:
    with pytest.raises(FilterSyntaxError) as exc:
        tokenize(text)
    assert (exc.value.position, exc.value.expected, exc.value.found) == (position, expected, found)
