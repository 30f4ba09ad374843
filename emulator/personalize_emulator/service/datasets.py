"""Dataset groups, schemas and datasets (import jobs are in :mod:`.imports`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from personalize_api import resource_types as api
from personalize_api.statuses import ACTIVE, CREATE_PENDING, CREATING

from ..datafiles import remove_tree
from ..errors import ResourceInUseException, already_exists
from ..importer import check_fits, parse_schema
from ..store import Row
from .context import Context, check_tags, new_id, require_active
from .jobs import start_create, start_delete, start_update
from .kinds import Kind
from .pagination import list_page

__all__ = [
    "DATASET",
    "DATASET_GROUP",
    "SCHEMA",
    "create_dataset",
    "create_dataset_group",
    "create_schema",
    "dataset_parts",
    "delete_dataset",
    "delete_dataset_group",
    "delete_schema",
    "describe_dataset",
    "describe_dataset_group",
    "describe_schema",
    "list_dataset_groups",
    "list_datasets",
    "list_schemas",
    "update_dataset",
]



def _group_cleanup(ctx: Context, row: Row) -> None:
    """A deleted group's recorded PutEvents go with it, or a new group of the same name would train on them."""
    ctx.store.remove_events(row.arn)


def _dataset_cleanup(ctx: Context, row: Row) -> None:
    """A deleted dataset's imported data files go with it."""
    remove_tree(ctx.emulator.data_dir / row.internal["dir"])


def _apply_dataset_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    body["schemaArn"] = update["schemaArn"]


DATASET_GROUP = Kind(api.DATASET_GROUP, cleanup=_group_cleanup)
SCHEMA = Kind(api.SCHEMA)
DATASET = Kind(api.DATASET, cleanup=_dataset_cleanup,
               updates={"latestDatasetUpdate": _apply_dataset_update})


# -- dataset groups ---------------------------------------------------------------------------------
def create_dataset_group(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    ctx.quota(DATASET_GROUP.name, ctx.emulator.settings.quotas.dataset_groups, "dataset groups")
    arn = ctx.arn(f"dataset-group/{p['name']}")
    now = ctx.now()
    body = {
        "name": p["name"], "datasetGroupArn": arn, "status": CREATE_PENDING, "roleArn": p.get("roleArn"),
        "kmsKeyArn": p.get("kmsKeyArn"), "domain": p.get("domain"), "creationDateTime": now,
        "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=DATASET_GROUP.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=None, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, DATASET_GROUP, arn)
    return {"datasetGroupArn": arn, **({"domain": p["domain"]} if p.get("domain") else {})}


def describe_dataset_group(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"datasetGroup": DATASET_GROUP.require(ctx, p["datasetGroupArn"]).body}


def list_dataset_groups(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=DATASET_GROUP.name, member="datasetGroups", summary="DatasetGroupSummary")


def delete_dataset_group(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["datasetGroupArn"]
    row = DATASET_GROUP.require(ctx, arn)
    for child in (api.DATASET, api.SOLUTION, api.EVENT_TRACKER, api.FILTER):
        if ctx.store.children(child.kind, arn):
            raise ResourceInUseException(f"Dataset group {arn} still has {child.label.lower()}s; delete them first.")
    start_delete(ctx, row, DATASET_GROUP)


# -- schemas ----------------------------------------------------------------------------------------
def create_schema(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    parse_schema(p["schema"])
    ctx.quota(SCHEMA.name, ctx.emulator.settings.quotas.schemas, "schemas")
    arn = ctx.arn(f"schema/{p['name']}")
    now = ctx.now()
    body = {"name": p["name"], "schemaArn": arn, "schema": p["schema"], "creationDateTime": now,
            "lastUpdatedDateTime": now}
    if p.get("domain"):
        body["domain"] = p["domain"]
    ctx.store.insert(arn=arn, kind=SCHEMA.name, account=ctx.account, region=ctx.region, name=p["name"], parent=None,
                     body=body)
    return {"schemaArn": arn}


def describe_schema(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"schema": SCHEMA.require(ctx, p["schemaArn"]).body}


def list_schemas(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=SCHEMA.name, member="schemas", summary="DatasetSchemaSummary")


def delete_schema(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["schemaArn"]
    SCHEMA.require(ctx, arn)
    with ctx.store.write() as conn:
        used = conn.execute(
            "SELECT arn FROM resources WHERE kind = ? AND json_extract(body, '$.schemaArn') = ? LIMIT 1",
            (DATASET.name, arn),
        ).fetchone()
        if used:
            raise ResourceInUseException(f"Schema {arn} is used by dataset {used[0]}; delete the dataset first.")
        ctx.store.remove(arn, conn)


# -- datasets ---------------------------------------------------------------------------------------
def create_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    group = DATASET_GROUP.require(ctx, p["datasetGroupArn"])
    require_active(group, "Dataset group")
    schema_row = SCHEMA.require(ctx, p["schemaArn"])
    schema = parse_schema(schema_row.body["schema"])
    kind = p["datasetType"].upper()
    check_fits(p["datasetType"], schema)  # quotes the type as the user wrote it
    ctx.quota(DATASET.name, ctx.emulator.settings.quotas.datasets, "datasets")
    arn = ctx.arn(f"dataset/{group.name}/{kind}")
    if ctx.store.get(arn) is not None:
        raise already_exists(arn)  # one dataset per type and group: the ARN says which
    now = ctx.now()
    body = {
        "name": p["name"], "datasetArn": arn, "datasetGroupArn": group.arn, "datasetType": p["datasetType"],
        "schemaArn": schema_row.arn, "status": CREATE_PENDING, "creationDateTime": now,
        "lastUpdatedDateTime": now,
    }
    internal = {"dir": f"data/{new_id()}{new_id()}", "parts": [],
                "categorical": [f.name for f in schema.fields if f.categorical]}
    ctx.store.insert(arn=arn, kind=DATASET.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, internal=internal, tags=check_tags(p.get("tags")))
    start_create(ctx, DATASET, arn)
    return {"datasetArn": arn}


def describe_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return DATASET.describe(ctx, p)


def list_datasets(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    parent = p.get("datasetGroupArn")
    return list_page(ctx, p, kind=DATASET.name, member="datasets", summary="DatasetSummary", parent=parent)


def update_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["datasetArn"]
    row = DATASET.require(ctx, arn)
    require_active(row, "Dataset")
    schema_row = SCHEMA.require(ctx, p["schemaArn"])
    check_fits(row.body["datasetType"], parse_schema(schema_row.body["schema"]))
    start_update(ctx, row, DATASET, "latestDatasetUpdate", {"schemaArn": schema_row.arn})
    return {"datasetArn": arn}


def delete_dataset(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["datasetArn"]
    row = DATASET.require(ctx, arn)
    if any(job.body.get("status") in CREATING for job in ctx.store.children(api.DATASET_IMPORT_JOB.kind, arn)):
        raise ResourceInUseException(f"Dataset {arn} has an import job in progress.")
    start_delete(ctx, row, DATASET)


def dataset_parts(ctx: Context, group_arn: str) -> dict[str, tuple[Path, list[str], frozenset[str]]]:
    """Each dataset of a group by type: its data directory, imported parts and categorical fields."""
    result: dict[str, tuple[Path, list[str], frozenset[str]]] = {}
    for row in ctx.store.children(DATASET.name, group_arn):
        if row.body.get("status") != ACTIVE:
            continue
        result[row.body["datasetType"].upper()] = (
            ctx.emulator.data_dir / row.internal["dir"], list(row.internal["parts"]),
            frozenset(row.internal.get("categorical", ())),
        )
    return result
