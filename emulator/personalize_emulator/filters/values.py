"""The request's ``filterValues``: one string per placeholder, read as AWS documents it.

"Every value is wrapped in double quotes and values are separated by commas", e.g.
``{"GENRE": "\\"comedy\\",\\"drama\\""}`` (Developer Guide, "Filtering real-time recommendations").
A placeholder compared with ``= < <= > >=`` takes one number, quoted or bare (AWS does not document
which; both are accepted).
"""

from __future__ import annotations

from collections.abc import Mapping

from personalize_api.filter_language.syntax import Filter

from ..errors import InvalidInputException

__all__ = ["FilterValues", "parse_values", "resolve_values"]

#: placeholder name -> its values (strings), for the placeholders the request supplied.
FilterValues = dict[str, tuple[str, ...]]


def _fail(name: str, text: str, index: int, expected: str) -> InvalidInputException:
    found = repr(text[index]) if index < len(text) else "the end"
    return InvalidInputException(
        f"filterValues.{name}: expected {expected} at character {index + 1} of {text!r}, found {found}; "
        'values are double-quoted and comma-separated, e.g. "\\"comedy\\",\\"drama\\"".'
    )


def parse_values(name: str, text: str) -> tuple[str, ...]:
    """``"a","b"`` -> ("a", "b"); a bare number alone (``10``) is also one value."""
    stripped = text.strip()
    if stripped and stripped[0] != '"':
        try:
            float(stripped)
        except ValueError:
            raise _fail(name, text, text.index(stripped[0]), 'a double-quoted value') from None
        return (stripped,)
    values: list[str] = []
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != '"':
            raise _fail(name, text, i, "a double-quoted value")
        i += 1
        chars: list[str] = []
        while i < len(text) and text[i] != '"':
            if text[i] == "\\" and i + 1 < len(text):
                i += 1
            chars.append(text[i])
            i += 1
        if i >= len(text):
            raise _fail(name, text, i, 'the closing "')
        values.append("".join(chars))
        i += 1
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return tuple(values)
        if text[i] != ",":
            raise _fail(name, text, i, "',' or the end")
        i += 1


def resolve_values(tree: Filter, supplied: Mapping[str, str] | None) -> FilterValues:
    """The supplied values of ``tree``'s placeholders, parsed.

    Every placeholder of an INCLUDE expression must be supplied (InvalidInputException otherwise;
    AWS's exact error is not documented, and InvalidInputException is the only code its runtime
    models); an omitted EXCLUDE placeholder makes evaluation skip the conditions that use it, as the
    API reference documents.  Names match case-sensitively; names the filter does not use are ignored.
    """
    supplied = supplied or {}
    out: FilterValues = {}
    for name, action in tree.placeholders().items():
        text = supplied.get(name)
        if text is None:
            if action == "INCLUDE":
                raise InvalidInputException(
                    f"filterValues: the filter's INCLUDE expression uses ${name}; supply a value for {name}."
                )
            continue
        out[name] = parse_values(name, text)
    return out
