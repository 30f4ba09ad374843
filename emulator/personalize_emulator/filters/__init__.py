"""Filters evaluated for real: a dataset group's data, a request's values, an item mask.

The expression language itself (lexer, parser, syntax tree, static checks) is part of the API
contract, :mod:`personalize_api.filter_language`, so the provider's offline ``check`` parses
expressions with the same grammar during ``pulumi preview``. This package turns a parsed filter
into the items a request may return (numpy), and is imported by the runtime only.
"""

from __future__ import annotations

from personalize_api.filter_language import Filter, compile_expression

__all__ = ["Filter", "compile_expression"]
