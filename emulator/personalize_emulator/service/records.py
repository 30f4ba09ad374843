"""PutItems and PutUsers (personalize-events): individual records into an Items or Users dataset.

What AWS documents: up to 10 records per call (``itemId``/``userId`` 1-256 chars, ``properties`` a
JSON object of at most 32,000 / 24,000 chars, both from botocore's model, enforced by request
validation); ``properties`` keys are the schema's columns in camelCase (``NUMBER_OF_RATINGS`` ->
``numberOfRatings``), multi-valued categorical values joined with ``|``; the same id again replaces
the record.  What the emulator does: each call is stored like a tiny INCREMENTAL import (one data
part appended to the dataset), so the records join the next training, manual or automatic: new
items join the catalogue, item and user columns reach metadata-aware recipes (user-personalization,
personalized-ranking).  A served model does not change until then (AWS refreshes
User-Personalization campaigns every two hours for new items; the emulator does not emulate that
refresh).  Where AWS is silent the emulator is strict: a key that is not a schema column, a value
that does not fit its column's type, or a missing non-nullable column is an InvalidInputException
naming the record and the key.  The documented 10 calls/s per dataset group is not enforced.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..datafiles import write_part
from ..errors import InvalidInputException
from ..importer import AvroSchema, DataImportError, parse_schema, read_records
from .context import Context, new_id, require_active
from .datasets import DATASET, SCHEMA

__all__ = ["camel_case", "put_items", "put_users"]

_WORD = re.compile(r"_+([a-z0-9])")


def camel_case(column: str) -> str:
    """The ``properties`` key of a schema column, as AWS spells it (``CREATION_TIMESTAMP`` -> ``creationTimestamp``)."""
    return _WORD.sub(lambda m: m.group(1).upper(), column.lower())


def put_items(ctx: Context, p: dict[str, Any]) -> None:
    _put(ctx, p, member="items", id_member="itemId", dataset_type="ITEMS", key="ITEM_ID")


def put_users(ctx: Context, p: dict[str, Any]) -> None:
    _put(ctx, p, member="users", id_member="userId", dataset_type="USERS", key="USER_ID")


def _put(ctx: Context, p: dict[str, Any], *, member: str, id_member: str, dataset_type: str, key: str) -> None:
    operation = "PutItems" if member == "items" else "PutUsers"
    dataset = DATASET.require(ctx, p["datasetArn"])
    actual = str(dataset.body.get("datasetType", "")).upper()
    if actual != dataset_type:
        raise InvalidInputException(
            f"datasetArn: {operation} needs a dataset of type {dataset_type.title()}; {dataset.arn} is of type "
            f"{dataset.body.get('datasetType')}."
        )
    require_active(dataset, "Dataset")
    schema = parse_schema(SCHEMA.require(ctx, dataset.body["schemaArn"]).body["schema"])
    records = [_record(entry, index, member=member, id_member=id_member, key=key, schema=schema)
               for index, entry in enumerate(p[member])]
    where = [f"{member}[{index}].properties" for index in range(len(records))]
    try:
        columns = read_records(records, schema, where=where)
    except DataImportError as exc:
        raise InvalidInputException(str(exc)) from None
    part = write_part(ctx.emulator.data_dir / dataset.internal["dir"], f"put-{new_id()}", columns)
    with ctx.store.write() as conn:
        owner = ctx.store.lock_row(conn, dataset.arn)
        if owner is None:  # deleted meanwhile
            return
        owner.internal["parts"] = [*owner.internal.get("parts", []), part]
        ctx.store.save(owner, conn)


def _record(entry: dict[str, Any], index: int, *, member: str, id_member: str, key: str,
            schema: AvroSchema) -> dict[str, Any]:
    """One record keyed by schema column, from its id and its camelCase ``properties``."""
    place = f"{member}[{index}].properties"
    columns = {camel_case(f.name): f for f in schema.fields if f.name != key}
    properties: Any = {}
    if entry.get("properties") is not None:
        try:
            properties = json.loads(entry["properties"])
        except ValueError:
            raise InvalidInputException(f"{place} is not valid JSON.") from None
        if not isinstance(properties, dict):
            raise InvalidInputException(f"{place} must be a JSON object.")
    unknown = sorted(k for k in properties if k not in columns)
    if unknown:
        allowed = ", ".join(sorted(columns)) or "none"
        raise InvalidInputException(
            f"{place}: {', '.join(unknown)} is not a column of the dataset's schema; the keys are the schema's "
            f"columns in camelCase ({allowed}), and {id_member} is given beside properties."
        )
    missing = sorted(name for name, f in columns.items() if not f.nullable and properties.get(name) is None)
    if missing:
        raise InvalidInputException(
            f"{place} lacks {', '.join(missing)}: the schema declares it not nullable."
        )
    record = {columns[name].name: value for name, value in properties.items()}
    record[key] = entry[id_member]
    return record
