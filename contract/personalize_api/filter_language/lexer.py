"""Tokens of the filter expression language, each with its character position.

Words (keywords, dataset and field names) are one token kind; the parser decides what a word
means where it stands, so an unknown word is reported as "expected X, found Y" at its position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..errors import InvalidInputException

__all__ = ["FilterSyntaxError", "Kind", "Token", "tokenize", "tokens"]

Kind = Literal["word", "string", "number", "placeholder", "op", "punct", "star", "end"]
_PUNCT = "().,|"
_WORD_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_WORD_CHARS = _WORD_START + "0123456789"


class FilterSyntaxError(InvalidInputException):
    """An expression the grammar rejects: where (1-based character position) and what was expected."""

    def __init__(self, position: int, expected: str, found: str) -> None:
        super().__init__(
            f"Could not create filter. Invalid Expression: expected {expected} at position {position}, "
            f"found {found}."
        )
        self.position = position
        self.expected = expected
        self.found = found


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    #: 1-based character position of the token's first character.
    position: int

    def shown(self) -> str:
        """How an error message names this token."""
        if self.kind == "end":
            return "the end of the expression"
        if self.kind == "string":
            return f'"{self.text}"'
        if self.kind == "placeholder":
            return f"'${self.text}'"
        return f"'{self.text}'"


def _string(text: str, start: int) -> tuple[str, int]:
    """A double-quoted string from ``text[start]``: its value and the index after the closing quote."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise FilterSyntaxError(start + 1, 'a closing " for the string', "the end of the expression")


def _number(text: str, i: int) -> int:
    """The index after a number starting at ``text[i]`` (``-``? digits, optional fraction)."""
    j = i + 1 if text[i] == "-" else i
    start = j
    while j < len(text) and text[j].isdigit():
        j += 1
    if j < len(text) and text[j] == ".":
        j += 1
        while j < len(text) and text[j].isdigit():
            j += 1
    if j == start:
        raise FilterSyntaxError(i + 1, "a digit after '-'", repr(text[j]) if j < len(text) else
                                "the end of the expression")
    return j


def tokenize(text: str) -> list[Token]:
    """Every token of ``text``, then one ``end`` token; FilterSyntaxError on a character no token starts with."""
    return list(tokens(text))


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` one at a time, then one ``end`` token.

    Lazy on purpose: the parser pulls tokens as it goes, so of a syntax error and a bad character
    further on, the error met first in reading order is the one reported.
    """
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _WORD_START:
            j = i
            while j < len(text) and text[j] in _WORD_CHARS:
                j += 1
            yield Token("word", text[i:j], i + 1)
            i = j
        elif char == '"':
            value, j = _string(text, i)
            yield Token("string", value, i + 1)
            i = j
        elif char.isdigit() or (char == "-" and i + 1 < len(text) and (text[i + 1].isdigit())):
            j = _number(text, i)
            yield Token("number", text[i:j], i + 1)
            i = j
        elif char == "$":
            j = i + 1
            while j < len(text) and text[j] in _WORD_CHARS:
                j += 1
            if j == i + 1:
                raise FilterSyntaxError(i + 1, "a placeholder name (letters, digits, _) after '$'",
                                        repr(text[j]) if j < len(text) else "the end of the expression")
            yield Token("placeholder", text[i + 1:j], i + 1)
            i = j
        elif char in "<>=":
            j = i + 2 if text[i:i + 2] in ("<=", ">=") else i + 1
            yield Token("op", text[i:j], i + 1)
            i = j
        elif char in _PUNCT:
            yield Token("punct", char, i + 1)
            i += 1
        elif char == "*":
            yield Token("star", char, i + 1)
            i += 1
        else:
            raise FilterSyntaxError(i + 1, "a keyword, field, value, operator or one of ( ) , . |", repr(char))
    yield Token("end", "", len(text) + 1)
