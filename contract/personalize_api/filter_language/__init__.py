"""The expression language of Amazon Personalize filters: lexer, recursive-descent parser, checks.

Pure Python (no numpy), so the provider's offline ``check`` can parse
expressions during ``pulumi preview``; evaluation against a dataset group's data is the
emulator's (``personalize_emulator.filters``).
"""

from __future__ import annotations

from .checks import MAX_FIELDS_PER_FILTER, check_filter
from .lexer import FilterSyntaxError
from .parser import parse
from .syntax import Filter

__all__ = ["MAX_FIELDS_PER_FILTER", "Filter", "FilterSyntaxError", "compile_expression", "parse"]


def compile_expression(text: str) -> Filter:
    """The checked syntax tree of a filter expression; InvalidInputException (with the position and
    what was expected) when the expression is not valid."""
    return check_filter(parse(text))
