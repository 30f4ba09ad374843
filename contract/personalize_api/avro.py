"""Avro schemas as Personalize accepts them, and what each dataset type requires of its schema.

Shared by the emulator (CreateSchema, CreateDataset, imports) and the provider's ``check`` (a
schema that is not JSON, or not an Avro record Personalize can use, fails at preview).  No numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .errors import InvalidInputException

__all__ = ["DATASET_TYPES", "AvroField", "AvroSchema", "check_fits", "parse_schema"]

_TYPES = ("string", "int", "long", "float", "double", "boolean")
_REQUIRED_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "INTERACTIONS": {"USER_ID": ("string",), "ITEM_ID": ("string",), "TIMESTAMP": ("long", "int")},
    "ITEMS": {"ITEM_ID": ("string",)},
    "USERS": {"USER_ID": ("string",)},
    "ACTIONS": {"ACTION_ID": ("string",)},
    "ACTION_INTERACTIONS": {"USER_ID": ("string",), "ACTION_ID": ("string",), "TIMESTAMP": ("long", "int"),
                            "EVENT_TYPE": ("string",)},
}
_NEEDS_METADATA = frozenset({"ITEMS", "USERS"})
#: The dataset types, upper-cased (the API compares them case-insensitively).
DATASET_TYPES = tuple(_REQUIRED_FIELDS)


@dataclass(frozen=True, slots=True)
class AvroField:
    name: str
    type: str
    nullable: bool
    categorical: bool = False
    textual: bool = False


@dataclass(frozen=True, slots=True)
class AvroSchema:
    fields: tuple[AvroField, ...]

    def field(self, name: str) -> AvroField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _bad(message: str) -> InvalidInputException:
    return InvalidInputException(f"Invalid schema: {message}")


def _field(raw: Any, index: int) -> AvroField:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise _bad(f"fields[{index}] must be an object with a string name")
    name, kind = raw["name"], raw.get("type")
    nullable = False
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        nullable = len(kinds) < len(kind)
        if len(kinds) != 1:
            raise _bad(f"field {name!r} must be one type, optionally in a union with null; got {kind}")
        kind = kinds[0]
    if kind not in _TYPES:
        raise _bad(f"field {name!r} has type {kind!r}; Personalize supports {', '.join(_TYPES)} (and null)")
    return AvroField(name, kind, nullable, bool(raw.get("categorical")), bool(raw.get("textual")))


def parse_schema(text: str) -> AvroSchema:
    """The Avro record in ``text``, or InvalidInputException saying what is wrong with it."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise _bad(f"not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("type") != "record":
        raise _bad('the schema must be an Avro record ({"type": "record", "name": ..., "fields": [...]})')
    fields = raw.get("fields")
    if not isinstance(fields, list) or not fields:
        raise _bad("a record needs a non-empty fields list")
    parsed = tuple(_field(f, i) for i, f in enumerate(fields))
    names = [f.name for f in parsed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise _bad(f"duplicate field names: {', '.join(duplicates)}")
    return AvroSchema(parsed)


def check_fits(dataset_type: str, schema: AvroSchema) -> None:
    """InvalidInputException unless ``schema`` has what a dataset of ``dataset_type`` requires."""
    kind = dataset_type.upper()
    required = _REQUIRED_FIELDS.get(kind)
    if required is None:
        allowed = ", ".join(t.title() for t in _REQUIRED_FIELDS)
        raise InvalidInputException(f"datasetType must be one of {allowed}; got {dataset_type!r}.")
    for name, types in required.items():
        field = schema.field(name)
        if field is None or field.type not in types or field.nullable:
            raise InvalidInputException(
                f"A {kind} dataset's schema needs a non-null {name} field of type {' or '.join(types)}."
            )
    if kind in _NEEDS_METADATA and len(schema.fields) < 2:
        raise InvalidInputException(f"A {kind} dataset's schema needs at least one metadata field besides its id.")
