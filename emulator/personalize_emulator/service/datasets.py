"""Dataset groups, schemas, datasets and dataset import jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..datafiles import remove_tree, write_part
from ..errors import ResourceInUseException, already_exists
from ..importer import DataImportError, check_fits, fetch_csv_texts, parse_schema, read_csv
from ..lifecycle import ACTIVE, CREATE_FAILED, CREATE_IN_PROGRESS, CREATE_PENDING, Job, gate, move
from ..store import Row
from .common import (
    CREATING,
    UPDATES,
    Context,
    activate_job,
    check_tags,
    gate_here,
    list_page,
    new_id,
    require_active,
    start_delete,
    start_update,
)

__all__ = [
    "create_dataset",
    "create_dataset_group",
    "create_dataset_import_job",
    "create_schema",
    "delete_dataset",
    "delete_dataset_group",
    "delete_schema",
    "describe_dataset",
    "describe_dataset_group",
    "describe_dataset_import_job",
    "describe_schema",
    "list_dataset_groups",
    "list_dataset_import_jobs",
    "list_datasets",
    "list_schemas",
    "update_dataset",
]

DSG, SCHEMA, DATASET, IMPORT = "dataset-group", "schema", "dataset", "dataset-import-job"


# -- dataset groups ---------------------------------------------------------------------------------
def create_dataset_group(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    ctx.quota(DSG, ctx.emulator.settings.quotas.dataset_groups, "dataset groups")
    arn = ctx.arn(f"dataset-group/{p['name']}")
    now = ctx.now()
    body = {
        "name": p["name"], "datasetGroupArn": arn, "status": CREATE_PENDING, "roleArn": p.get("roleArn"),
        "kmsKeyArn": p.get("kmsKeyArn"), "domain": p.get("domain"), "creationDateTime": now,
        "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=DSG, account=ctx.account, region=ctx.region, name=p["name"], parent=None,
                     body=body, tags=check_tags(p.get("tags")))
    ctx.submit(activate_job(ctx, arn))
    return {"datasetGroupArn": arn, **({"domain": p["domain"]} if p.get("domain") else {})}


def describe_dataset_group(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"datasetGroup": ctx.store.require(p["datasetGroupArn"], DSG, "Dataset group").body}


def list_dataset_groups(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=DSG, member="datasetGroups", summary="DatasetGroupSummary")


def delete_dataset_group(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["datasetGroupArn"]
    row = ctx.store.require(arn, DSG, "Dataset group")
    for kind, label in ((DATASET, "datasets"), ("solution", "solutions"), ("event-tracker", "event trackers"),
                        ("filter", "filters")):
        if ctx.store.children(kind, arn):
            raise ResourceInUseException(f"Dataset group {arn} still has {label}; delete them first.")
    start_delete(ctx, row, _group_cleanup(ctx))


def _group_cleanup(ctx: Context) -> Callable[[Row], None]:
    """A deleted group's recorded PutEvents go with it, or a new group of the same name would train on them."""
    store = ctx.store
    return lambda row: store.remove_events(row.arn)


def _dataset_cleanup(ctx: Context) -> Callable[[Row], None]:
    """A deleted dataset's imported data files go with it."""
    data_dir = ctx.emulator.data_dir
    return lambda row: remove_tree(data_dir / row.internal["dir"])


# -- schemas ----------------------------------------------------------------------------------------
def create_schema(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    parse_schema(p["schema"])
    ctx.quota(SCHEMA, ctx.emulator.settings.quotas.schemas, "schemas")
    arn = ctx.arn(f"schema/{p['name']}")
    now = ctx.now()
    body = {"name": p["name"], "schemaArn": arn, "schema": p["schema"], "creationDateTime": now,
            "lastUpdatedDateTime": now}
    if p.get("domain"):
        body["domain"] = p["domain"]
    ctx.store.insert(arn=arn, kind=SCHEMA, account=ctx.account, region=ctx.region, name=p["name"], parent=None,
                     body=body)
    return {"schemaArn": arn}


def describe_schema(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"schema": ctx.store.require(p["schemaArn"], SCHEMA, "Schema").body}


def list_schemas(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=SCHEMA, member="schemas", summary="DatasetSchemaSummary")


def delete_schema(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["schemaArn"]
    ctx.store.require(arn, SCHEMA, "Schema")
    with ctx.store.write() as conn:
        used = conn.execute(
            "SELECT arn FROM resources WHERE kind = ? AND json_extract(body, '$.schemaArn') = ? LIMIT 1",
            (DATASET, arn),
        ).fetchone()
        if used:
            raise ResourceInUseException(f"Schema {arn} is used by dataset {used[0]}; delete the dataset first.")
        ctx.store.remove(arn, conn)


# -- datasets ---------------------------------------------------------------------------------------
def create_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    group = ctx.store.require(p["datasetGroupArn"], DSG, "Dataset group")
    require_active(group, "Dataset group")
    schema_row = ctx.store.require(p["schemaArn"], SCHEMA, "Schema")
    schema = parse_schema(schema_row.body["schema"])
    kind = p["datasetType"].upper()
    check_fits(p["datasetType"], schema)  # quotes the type as the user wrote it
    ctx.quota(DATASET, ctx.emulator.settings.quotas.datasets, "datasets")
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
    ctx.store.insert(arn=arn, kind=DATASET, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, internal=internal, tags=check_tags(p.get("tags")))
    ctx.submit(activate_job(ctx, arn))
    return {"datasetArn": arn}


def describe_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"dataset": ctx.store.require(p["datasetArn"], DATASET, "Dataset").body}


def list_datasets(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    parent = p.get("datasetGroupArn")
    return list_page(ctx, p, kind=DATASET, member="datasets", summary="DatasetSummary", parent=parent)


def update_dataset(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["datasetArn"]
    row = ctx.store.require(arn, DATASET, "Dataset")
    require_active(row, "Dataset")
    schema_row = ctx.store.require(p["schemaArn"], SCHEMA, "Schema")
    check_fits(row.body["datasetType"], parse_schema(schema_row.body["schema"]))
    start_update(ctx, row, "latestDatasetUpdate", {"schemaArn": schema_row.arn})
    return {"datasetArn": arn}


def _apply_dataset_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    body["schemaArn"] = update["schemaArn"]


UPDATES["latestDatasetUpdate"] = _apply_dataset_update


def delete_dataset(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["datasetArn"]
    row = ctx.store.require(arn, DATASET, "Dataset")
    if any(job.body.get("status") in CREATING for job in ctx.store.children(IMPORT, arn)):
        raise ResourceInUseException(f"Dataset {arn} has an import job in progress.")
    start_delete(ctx, row, _dataset_cleanup(ctx))


# -- import jobs ------------------------------------------------------------------------------------
def create_dataset_import_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    dataset = ctx.store.require(p["datasetArn"], DATASET, "Dataset")
    require_active(dataset, "Dataset")
    if any(job.body.get("status") in CREATING for job in ctx.store.children(IMPORT, dataset.arn)):
        raise ResourceInUseException(f"Dataset {dataset.arn} already has an import job in progress.")
    arn = ctx.arn(f"dataset-import-job/{p['jobName']}")
    now = ctx.now()
    body = {
        "jobName": p["jobName"], "datasetImportJobArn": arn, "datasetArn": dataset.arn,
        "dataSource": p["dataSource"], "roleArn": p.get("roleArn"), "status": CREATE_PENDING,
        "creationDateTime": now, "lastUpdatedDateTime": now, "importMode": p.get("importMode") or "FULL",
        "publishAttributionMetricsToS3": p.get("publishAttributionMetricsToS3"),
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=IMPORT, account=ctx.account, region=ctx.region, name=p["jobName"],
                     parent=dataset.arn, body=body, tags=check_tags(p.get("tags")))
    ctx.submit(_import_job(ctx, arn), pool="import")
    return {"datasetImportJobArn": arn}


def describe_dataset_import_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    row = ctx.store.require(p["datasetImportJobArn"], IMPORT, "Dataset import job")
    return {"datasetImportJob": row.body}


def list_dataset_import_jobs(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=IMPORT, member="datasetImportJobs", summary="DatasetImportJobSummary",
                     parent=p.get("datasetArn"))


def _set_status(ctx: Context, arn: str, status: str, failure: str | None = None) -> Row | None:
    with ctx.store.write() as conn:
        row = ctx.store.lock_row(conn, arn)
        if row is None:
            return None
        move(row.body, status, ctx.now(), failure=failure)
        ctx.store.save(row, conn)
        return row


def _import_job(ctx: Context, arn: str) -> Job:
    emulator = ctx.emulator

    def job() -> Any:
        yield gate(arn, CREATE_PENDING)
        row = _set_status(ctx, arn, CREATE_IN_PROGRESS)
        if row is None:
            return
        yield
        try:
            dataset = ctx.store.require(row.body["datasetArn"], DATASET, "Dataset")
            schema = parse_schema(ctx.store.require(dataset.body["schemaArn"], SCHEMA, "Schema").body["schema"])
            texts = fetch_csv_texts(row.body["dataSource"]["dataLocation"], region=ctx.region,
                                    file_roots=emulator.settings.allow_file_roots)
            parts = [read_csv(text, schema, source=source) for source, text in texts]
            columns = {name: _concat([part[name] for part in parts]) for name in schema.names}
            if len(columns[schema.names[0]]) == 0:
                raise DataImportError(f"{row.body['dataSource']['dataLocation']} has a header but no rows.")
            part_name = write_part(emulator.data_dir / dataset.internal["dir"], arn.rsplit("/", 1)[-1] + "-" +
                                   new_id(), columns)
        except (DataImportError, Exception) as exc:  # every failure is the user's to read
            reason = str(exc) if isinstance(exc, DataImportError) else f"Import failed: {exc}"
            yield gate_here(ctx, arn)
            _set_status(ctx, arn, CREATE_FAILED, reason)
            yield
            return
        yield gate_here(ctx, arn)
        with ctx.store.write() as conn:
            current = ctx.store.lock_row(conn, arn)
            owner = ctx.store.lock_row(conn, dataset.arn)
            if current is None or owner is None:
                return
            full = current.body.get("importMode", "FULL") == "FULL"
            owner.internal["parts"] = [part_name] if full else [*owner.internal["parts"], part_name]
            owner.body["lastUpdatedDateTime"] = ctx.now()
            move(current.body, ACTIVE, ctx.now())
            ctx.store.save(owner, conn)
            ctx.store.save(current, conn)
        yield

    return job


def _concat(arrays: list[Any]) -> Any:
    import numpy as np

    return np.concatenate(arrays) if len(arrays) > 1 else arrays[0]


def dataset_parts(ctx: Context, group_arn: str) -> dict[str, tuple[Path, list[str], frozenset[str]]]:
    """Each dataset of a group by type: its data directory, imported parts and categorical fields."""
    result: dict[str, tuple[Path, list[str], frozenset[str]]] = {}
    for row in ctx.store.children(DATASET, group_arn):
        if row.body.get("status") != ACTIVE:
            continue
        result[row.body["datasetType"].upper()] = (
            ctx.emulator.data_dir / row.internal["dir"], list(row.internal["parts"]),
            frozenset(row.internal.get("categorical", ())),
        )
    return result
