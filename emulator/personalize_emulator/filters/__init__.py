"""Filters: the expression language of Amazon Personalize filters, parsed and evaluated for real.

This package's top level is pure Python (no numpy), so the provider's offline ``check`` can parse
expressions during ``pulumi preview``; evaluation against a dataset group's data is in
:mod:`.evaluate` (numpy), imported by the runtime only.
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
