"""Filters: CreateFilter, DescribeFilter, ListFilters, DeleteFilter.

The expression is parsed at create time, so an invalid one is an InvalidInputException naming the
position and what was expected (AWS does not document whether it fails synchronously or as
CREATE FAILED; the emulator chooses the answer a caller can act on at once).  A valid filter then
goes CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE like every resource without computation.
"""

from __future__ import annotations

from typing import Any

from personalize_api import resource_types as api
from personalize_api.avro import AvroSchema, parse_schema
from personalize_api.statuses import CREATE_PENDING

from ..errors import InvalidInputException, LimitExceededException
from ..filters import Filter, compile_expression
from .context import Context, check_tags, require_active
from .datasets import DATASET, DATASET_GROUP, SCHEMA
from .jobs import start_create, start_delete
from .kinds import Kind
from .pagination import list_page

__all__ = ["FILTER", "create_filter", "delete_filter", "describe_filter", "list_filters"]

FILTER = Kind(api.FILTER)
#: Which dataset type a field prefix reads.
_DATASET_OF = {"Items": "ITEMS", "CurrentItem": "ITEMS", "Users": "USERS", "CurrentUser": "USERS",
               "Interactions": "INTERACTIONS", "Actions": "ACTIONS", "Action_Interactions": "ACTION_INTERACTIONS"}


def _schemas(ctx: Context, group_arn: str) -> dict[str, AvroSchema]:
    """The schemas of the group's datasets, by dataset type (upper case)."""
    out: dict[str, AvroSchema] = {}
    for dataset in ctx.store.children(DATASET.name, group_arn):
        schema = ctx.store.get(dataset.body.get("schemaArn", ""), SCHEMA.name)
        if schema is not None:
            out[dataset.body["datasetType"].upper()] = parse_schema(schema.body["schema"])
    return out


def _check_fields(tree: Filter, schemas: dict[str, AvroSchema]) -> None:
    """Fields must exist in the dataset's schema and be filterable (not boolean, not unstructured text).

    Checked only for datasets the group already has (whether AWS refuses a filter over a dataset that
    does not exist yet is not documented); EVENT_TYPE is never checked (filters know event types seen
    in training and through PutEvents).
    """
    for name in sorted(tree.fields()):
        prefix, column = name.split(".", 1)
        schema = schemas.get(_DATASET_OF[prefix])
        if schema is None or column == "EVENT_TYPE":
            continue
        field = schema.field(column)
        if field is None:
            raise InvalidInputException(
                f"Could not create filter. Invalid Expression: {name}: the {_DATASET_OF[prefix].title()} dataset's "
                f"schema has no field {column} (fields: {', '.join(schema.names)})."
            )
        if field.type == "boolean" or field.textual:
            kind = "boolean" if field.type == "boolean" else "unstructured text"
            raise InvalidInputException(
                f"Could not create filter. Invalid Expression: {name} is a {kind} field, which filters cannot "
                "use (store booleans as the strings \"True\"/\"False\" or as 0/1)."
            )


def _fields_in_use(ctx: Context, group_arn: str) -> set[str]:
    used: set[str] = set()
    for row in ctx.store.children(FILTER.name, group_arn):
        used |= compile_expression(row.body["filterExpression"]).fields()
    return used


def create_filter(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    group = DATASET_GROUP.require(ctx, p["datasetGroupArn"])
    require_active(group, "Dataset group")
    tree = compile_expression(p["filterExpression"])
    _check_fields(tree, _schemas(ctx, group.arn))
    quotas = ctx.emulator.settings.quotas
    ctx.quota(FILTER.name, quotas.filters_per_dataset_group, "filters per dataset group", parent=group.arn)
    fields = _fields_in_use(ctx, group.arn) | tree.fields()
    if len(fields) > quotas.filter_fields_per_dataset_group:
        raise LimitExceededException(
            f"The filters of dataset group {group.arn} can read at most {quotas.filter_fields_per_dataset_group} "
            f"distinct dataset fields; with this one they would read {len(fields)}."
        )
    arn = ctx.arn(f"filter/{p['name']}")
    now = ctx.now()
    body = {
        "name": p["name"], "filterArn": arn, "datasetGroupArn": group.arn, "filterExpression": p["filterExpression"],
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    }
    ctx.store.insert(arn=arn, kind=FILTER.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, FILTER, arn)
    return {"filterArn": arn}


def describe_filter(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return FILTER.describe(ctx, p)


def list_filters(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=FILTER.name, member="Filters", summary="FilterSummary",
                     parent=p.get("datasetGroupArn"))


def delete_filter(ctx: Context, p: dict[str, Any]) -> None:
    start_delete(ctx, FILTER.require(ctx, p["filterArn"]), FILTER)
