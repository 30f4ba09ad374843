"""Dataset schemas (Avro) and bulk CSV imports.

A schema is checked when it is created (valid Avro record, Personalize's field types) and again when
a dataset uses it (the dataset type's required fields).  An import reads every CSV file at the data
location, checks the header against the schema and converts each value by its field type; the first
bad row fails the whole job with a reason naming the file, line and column, so nothing is ever
half-imported.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np

from personalize_api.avro import AvroField, AvroSchema, check_fits, parse_schema

__all__ = [
    "AvroField",
    "AvroSchema",
    "DataImportError",
    "check_fits",
    "confine",
    "fetch_csv_texts",
    "parse_schema",
    "read_csv",
    "read_records",
]

_NUMERIC = frozenset({"int", "long", "float", "double"})


class DataImportError(Exception):
    """An import cannot complete; the message becomes the job's ``failureReason``."""


class _BadValue(ValueError):
    """One value that does not fit its field; the text says why."""


def _convert(field: AvroField, value: str) -> Any:
    if value == "":
        # An empty CSV value is a null, for strings too: an empty USER_ID or ITEM_ID is no id.
        if not field.nullable:
            raise _BadValue("is empty but the field is not nullable")
        return None
    if field.type == "string":
        return value
    try:
        if field.type in ("int", "long"):
            return int(value)
        if field.type in ("float", "double"):
            number = float(value)
            if math.isfinite(number):
                return number
    except ValueError:
        pass
    else:
        if field.type == "boolean" and value.lower() in ("true", "false"):
            return value.lower()
    raise _BadValue(f"is not a valid {field.type}")


def _column(field: AvroField, values: Sequence[Any]) -> np.ndarray:
    if field.type in ("int", "long") and not any(v is None for v in values):
        return np.asarray(values, dtype=np.int64)
    if field.type in _NUMERIC:
        return np.asarray([math.nan if v is None else v for v in values], dtype=np.float64)
    return np.asarray(["" if v is None else v for v in values], dtype=str)


def read_records(records: Sequence[dict[str, Any]], schema: AvroSchema, *,
                 where: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns typed by ``schema`` from records keyed by field name (PutItems, PutUsers).

    A value may be a JSON string or number; a missing or null one is a null, which a required field
    refuses.  ``where[i]`` names record ``i`` in the DataImportError (``items[0].properties``).
    """
    values: dict[str, list[Any]] = {f.name: [] for f in schema.fields}
    for record, place in zip(records, where, strict=True):
        for field in schema.fields:
            raw = record.get(field.name)
            try:
                text = _text(raw)
                values[field.name].append(_convert(field, text if field.type == "string" else text.strip()))
            except _BadValue as exc:
                raise DataImportError(f"{place}: the value {raw!r} of {field.name} {exc}.") from None
    return {f.name: _column(f, values[f.name]) for f in schema.fields}


def _text(value: Any) -> str:
    """A JSON value as the CSV text it stands for (null is empty; JSON true is Avro's true)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    raise _BadValue("is not a string or a number")


def read_csv(text: str, schema: AvroSchema, *, source: str) -> dict[str, np.ndarray]:
    """Columns of one CSV file typed by ``schema``; DataImportError names the first bad line."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise DataImportError(f"{source} is empty: the first line must be a header naming schema fields.")
    unknown = [h for h in header if schema.field(h) is None]
    if unknown:
        raise DataImportError(
            f"{source} line 1: column {unknown[0]!r} is not a field of the dataset's schema "
            f"(fields: {', '.join(schema.names)})."
        )
    missing = [f.name for f in schema.fields if not f.nullable and f.name not in header]
    if missing:
        raise DataImportError(f"{source} line 1: the header lacks the required field(s) {', '.join(missing)}.")
    fields = [schema.field(h) for h in header]
    values: list[list[Any]] = [[] for _ in header]
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise DataImportError(f"{source} line {line}: expected {len(header)} values, found {len(row)}.")
        for index, (field, raw) in enumerate(zip(fields, row, strict=True)):
            assert field is not None
            try:
                # A string (an id above all) is kept exactly as written: 'cream cheese ' is not
                # 'cream cheese'.  Only numbers and booleans may carry spaces around them.
                values[index].append(_convert(field, raw if field.type == "string" else raw.strip()))
            except _BadValue as exc:
                raise DataImportError(f"{source} line {line}, column {field.name}: {raw!r} {exc}.") from None
    rows = len(values[0])
    columns: dict[str, np.ndarray] = {}
    for field in schema.fields:
        if field.name in header:
            columns[field.name] = _column(field, values[header.index(field.name)])
        else:
            columns[field.name] = _column(field, [None] * rows)
    return columns


def confine(shown: str, path: Path, roots: Sequence[Path] | None) -> Path:
    """``path`` with links and '..' resolved; DataImportError when that leaves the allowed roots."""
    real = Path(os.path.realpath(path))
    if roots is not None:
        allowed = [Path(os.path.realpath(r)) for r in roots]
        if not any(real == root or root in real.parents for root in allowed):
            raise DataImportError(
                f"{shown} is outside the directories this emulator may read (--allow-file-root); "
                "symbolic links and '..' are resolved before the check."
            )
    return real


def _file_texts(location: str, roots: Sequence[Path] | None) -> Iterable[tuple[str, str]]:
    parsed = urlparse(location)
    real = confine(location, Path(unquote(parsed.netloc + parsed.path)).expanduser(), roots)
    if real.is_dir():
        # Each file is checked again: a link inside an allowed directory may point outside it.
        files = [confine(f"{location} ({p.name})", p, roots)
                 for p in sorted(real.iterdir()) if p.suffix.lower() == ".csv" and p.is_file()]
        if not files:
            raise DataImportError(f"{location} is a directory with no .csv files.")
    elif real.is_file():
        files = [real]
    else:
        raise DataImportError(f"{location} does not exist.")
    for file in files:
        yield str(file), file.read_text(encoding="utf-8-sig")


def _s3_texts(location: str, region: str) -> Iterable[tuple[str, str]]:
    import boto3
    import botocore.exceptions

    parsed = urlparse(location)
    bucket, key = parsed.netloc, parsed.path.lstrip("/")
    s3 = boto3.client("s3", region_name=region)
    try:
        if key.endswith("/") or not key:
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key)
            keys = [o["Key"] for page in pages for o in page.get("Contents", []) if o["Key"].lower().endswith(".csv")]
            if not keys:
                raise DataImportError(f"{location} holds no .csv objects.")
        else:
            keys = [key]
        for item in keys:
            body = s3.get_object(Bucket=bucket, Key=item)["Body"].read()
            yield f"s3://{bucket}/{item}", body.decode("utf-8-sig")
    except botocore.exceptions.ClientError as exc:
        raise DataImportError(f"Cannot read {location}: {exc.response['Error'].get('Message') or exc}.") from None
    except botocore.exceptions.BotoCoreError as exc:
        raise DataImportError(f"Cannot read {location}: {exc}.") from None
    except UnicodeDecodeError:
        raise DataImportError(f"{location} is not UTF-8 text.") from None


def fetch_csv_texts(location: str, *, region: str, file_roots: Sequence[Path] | None) -> list[tuple[str, str]]:
    """(source, text) of every CSV file at ``location`` (``s3://`` or the emulator's ``file://``)."""
    scheme = urlparse(location).scheme.lower()
    try:
        if scheme == "s3":
            return list(_s3_texts(location, region))
        if scheme == "file":
            return list(_file_texts(location, file_roots))
    except UnicodeDecodeError:
        raise DataImportError(f"{location} is not UTF-8 text.") from None
    except OSError as exc:
        raise DataImportError(f"Cannot read {location}: {exc.strerror or exc}.") from None
    raise DataImportError(f"The emulator imports s3:// and file:// locations only; got {location}.")
