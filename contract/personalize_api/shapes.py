"""Validate a request dict against an operation's input shape from botocore's model.

One generic walker recursing on the shape type, as botocore does, but enforcing what botocore's
client-side validator leaves to the server: maximum lengths, patterns, enums, numeric ranges and
list/map sizes, plus unknown members (with a "did you mean" suggestion).  It collects *every*
problem.  Numbers that Pulumi sends as whole floats are accepted where the shape is an integer, and
:func:`coerce` turns them into ints before a request goes to boto3.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import regex

from .model import operation_input_shape, service_model
from .problems import Path, Problem

__all__ = ["LOOSE_OUTPUT_PATTERNS", "UnknownPredicate", "coerce", "never_unknown", "validate_input", "validate_output",
           "validate_shape"]

UnknownPredicate = Callable[[Any], bool]

_INTEGER_TYPES = frozenset({"integer", "long"})
_FLOAT_TYPES = frozenset({"double", "float"})


def never_unknown(_value: Any) -> bool:
    """The default predicate: outside Pulumi previews every value is known."""
    return False


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    return regex.compile(_java_digits(pattern))


def _java_digits(pattern: str) -> str:
    """``pattern`` with ``\\d`` meaning ASCII digits, as in the service's Java regexes (U+0667 is no digit).

    The ASCII flag cannot be used instead: it would also narrow the tag pattern's ``\\p{L}``.
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            pair = pattern[index:index + 2]
            out.append(("0-9" if in_class else "[0-9]") if pair == "\\d" else pair)
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _as_text(number: float) -> str:
    """A number as the API's string form: ``4.0`` -> ``4`` (the string ``'4.0'`` is no whole number)."""
    return str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_whole(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


class _Walker:
    """Walks one value against one shape, appending to ``problems``."""

    def __init__(self, is_unknown: UnknownPredicate) -> None:
        self.is_unknown = is_unknown
        self.problems: list[Problem] = []

    def add(self, path: Path, rule: str, message: str) -> None:
        self.problems.append(Problem(path, rule, message))

    def walk(self, shape: Any, value: Any, path: Path) -> None:
        if self.is_unknown(value):
            return
        handler = getattr(self, f"_{shape.type_name}", None)
        if handler is not None:
            handler(shape, value, path)

    def _structure(self, shape: Any, value: Any, path: Path) -> None:
        if not isinstance(value, Mapping):
            self.add(path, "type", f"must be an object ({shape.name}), got {_type_name(value)}")
            return
        members = shape.members
        for name in shape.required_members:
            if value.get(name) is None:
                self.add((*path, name), "required", "is required")
        for key, item in value.items():
            member = members.get(key)
            if member is None:
                self.add((*path, str(key)), "unknown", _unknown_member(str(key), shape.name, list(members)))
            elif item is not None:
                self.walk(member, item, (*path, key))

    def _list(self, shape: Any, value: Any, path: Path) -> None:
        if not isinstance(value, list | tuple):
            self.add(path, "type", f"must be a list, got {_type_name(value)}")
            return
        self._size(shape, len(value), path, "items")
        for index, item in enumerate(value):
            self.walk(shape.member, item, (*path, index))

    def _map(self, shape: Any, value: Any, path: Path) -> None:
        if not isinstance(value, Mapping):
            self.add(path, "type", f"must be an object (a map of {shape.value.name}), got {_type_name(value)}")
            return
        self._size(shape, len(value), path, "entries")
        for key, item in value.items():
            if not self.is_unknown(key):
                self._string_rules(shape.key, key, (*path, str(key)), what="key")
            self.walk(shape.value, item, (*path, str(key)))

    def _size(self, shape: Any, size: int, path: Path, noun: str) -> None:
        meta = shape.metadata
        if "min" in meta and size < meta["min"]:
            self.add(path, "min_items", f"must have at least {meta['min']} {noun}, got {size}")
        if "max" in meta and size > meta["max"]:
            self.add(path, "max_items", f"must have at most {meta['max']} {noun}, got {size}")

    def _string(self, shape: Any, value: Any, path: Path) -> None:
        self._string_rules(shape, value, path, what="value")

    def _string_rules(self, shape: Any, value: Any, path: Path, *, what: str) -> None:
        if not isinstance(value, str):
            hint = f" (write it as the string '{_as_text(value)}')" if _type_name(value) == "number" else ""
            self.add(path, "type", f"{what} must be a string, got {_type_name(value)}{hint}")
            return
        meta = shape.metadata
        length = len(value)
        if "min" in meta and length < meta["min"]:
            self.add(path, "min_length", f"{what} must be at least {meta['min']} characters, got {length}")
        if "max" in meta and length > meta["max"]:
            self.add(path, "max_length", f"{what} must be at most {meta['max']} characters, got {length}")
        enum = shape.enum
        if enum and value not in enum:
            self.add(path, "enum", f"{what} must be one of {', '.join(enum)}; got {_show(value)}")
        pattern = meta.get("pattern")
        if pattern and not _compiled(pattern).fullmatch(value):
            self.add(path, "pattern", f"{what} must match the pattern {pattern}; got {_show(value)}")

    def _integer(self, shape: Any, value: Any, path: Path) -> None:
        if not _is_whole(value):
            self.add(path, "type", f"must be a whole number, got {_type_name(value)} {_show(value)}")
            return
        self._range(shape, value, path)

    _long = _integer

    def _double(self, shape: Any, value: Any, path: Path) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.add(path, "type", f"must be a finite number, got {_type_name(value)} {_show(value)}")
            return
        self._range(shape, value, path)

    _float = _double

    def _range(self, shape: Any, value: float, path: Path) -> None:
        meta = shape.metadata
        if "min" in meta and value < meta["min"]:
            self.add(path, "range", f"must be >= {meta['min']}, got {_show(value)}")
        if "max" in meta and value > meta["max"]:
            self.add(path, "range", f"must be <= {meta['max']}, got {_show(value)}")

    def _boolean(self, _shape: Any, value: Any, path: Path) -> None:
        if not isinstance(value, bool):
            self.add(path, "type", f"must be a boolean (true or false), got {_type_name(value)} {_show(value)}")

    def _timestamp(self, _shape: Any, value: Any, path: Path) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float | str | _dt.datetime):
            self.add(path, "type", f"must be a timestamp, got {_type_name(value)}")

    def _blob(self, _shape: Any, value: Any, path: Path) -> None:
        if not isinstance(value, bytes | bytearray | str):
            self.add(path, "type", f"must be bytes or a string, got {_type_name(value)}")


def _unknown_member(key: str, shape_name: str, members: list[str]) -> str:
    message = f"is not a member of {shape_name}"
    lowered = {m.lower(): m for m in members}
    close = [lowered[key.lower()]] if key.lower() in lowered else difflib.get_close_matches(key, members, n=1)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; allowed members: {', '.join(members)}"


def validate_shape(
    shape: Any, value: Any, *, path: Path = (), is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Every problem of ``value`` against a botocore ``Shape``."""
    walker = _Walker(is_unknown)
    walker.walk(shape, value, path)
    return walker.problems


def validate_input(
    service: str,
    operation: str,
    params: Mapping[str, Any],
    *,
    is_unknown: UnknownPredicate = never_unknown,
) -> list[Problem]:
    """Every problem of ``params`` as the input of ``operation`` (e.g. ``CreateSolution``)."""
    return validate_shape(operation_input_shape(service, operation), params, is_unknown=is_unknown)


#: Output members whose model shape reuses an input pattern that does not describe what is returned
#: (roleArn is typed Arn; dataLocation and a batch job's S3DataConfig ``path`` are ``file://`` for the
#: emulator's documented extension).
LOOSE_OUTPUT_PATTERNS = frozenset({"roleArn", "dataLocation", "path"})


def validate_output(service: str, operation: str, body: Mapping[str, Any]) -> list[Problem]:
    """Every problem of ``body`` as the answer of ``operation``: what boto3 users could not rely on."""
    model = service_model(service).operation_model(operation)
    shape = model.output_shape
    if shape is None:
        return [] if not body else [Problem((), "shape", f"{operation} has no output, got {_show(dict(body))}")]
    return [p for p in validate_shape(shape, body)
            if not (p.rule == "pattern" and p.path and p.path[-1] in LOOSE_OUTPUT_PATTERNS)]


def coerce(shape: Any, value: Any) -> Any:
    """A copy of ``value`` with whole floats turned into ints where ``shape`` wants an integer.

    Values that do not fit their shape are returned unchanged; validation reports them.
    """
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        members = shape.members
        return {k: coerce(members[k], v) if k in members else v for k, v in value.items()}
    if kind == "list" and isinstance(value, list | tuple):
        return [coerce(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, Mapping):
        return {k: coerce(shape.value, v) for k, v in value.items()}
    if kind in _INTEGER_TYPES and isinstance(value, float) and _is_whole(value):
        return int(value)
    if kind in _FLOAT_TYPES and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
