"""Dataset import jobs: CreateDatasetImportJob reads CSV (``s3://`` or ``file://``) into a dataset's parts.

The import runs on the ``import`` pool; a restart fails an import caught in progress (its partial
output is never published), while one that had not started yet simply starts.
"""

from __future__ import annotations

from typing import Any

from personalize_api import resource_types as api
from personalize_api.statuses import ACTIVE, CREATE_FAILED, CREATE_IN_PROGRESS, CREATE_PENDING, CREATING

from ..datafiles import write_part
from ..errors import ResourceInUseException
from ..importer import DataImportError, fetch_csv_texts, parse_schema, read_csv
from ..lifecycle import Job, gate, move
from ..store import Row
from .context import Context, check_tags, new_id, require_active
from .datasets import DATASET, SCHEMA
from .jobs import gate_here, start_create
from .kinds import Kind
from .pagination import list_page

__all__ = ["IMPORT", "create_dataset_import_job", "describe_dataset_import_job", "list_dataset_import_jobs"]


def create_dataset_import_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    dataset = DATASET.require(ctx, p["datasetArn"])
    require_active(dataset, "Dataset")
    if any(job.body.get("status") in CREATING for job in ctx.store.children(IMPORT.name, dataset.arn)):
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
    ctx.store.insert(arn=arn, kind=IMPORT.name, account=ctx.account, region=ctx.region, name=p["jobName"],
                     parent=dataset.arn, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, IMPORT, arn)
    return {"datasetImportJobArn": arn}


def describe_dataset_import_job(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return IMPORT.describe(ctx, p)


def list_dataset_import_jobs(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=IMPORT.name, member="datasetImportJobs", summary="DatasetImportJobSummary",
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
            dataset = DATASET.require(ctx, row.body["datasetArn"])
            schema = parse_schema(SCHEMA.require(ctx, dataset.body["schemaArn"]).body["schema"])
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


IMPORT = Kind(api.DATASET_IMPORT_JOB, create=_import_job, pool="import", resumable=False)
