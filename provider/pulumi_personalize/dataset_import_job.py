"""DatasetImportJob: one bulk import of a CSV into a dataset.

The API has no DeleteDatasetImportJob: deleting this resource only forgets it (the job stays in
the account's history and the imported data stays in the dataset until the dataset is deleted).
Give import jobs no explicit ``job_name`` if you expect to replace them: a replacement then gets
a fresh name, where an explicit name would collide with the job record AWS keeps.  Everything but
``tags`` is create-only; a change means a new import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi

from personalize_api import resource_types as api

from ._provider import PersonalizeProvider
from ._resource import PersonalizeResource
from ._spec import ResourceSpec

if TYPE_CHECKING:
    from ._resource import Tags
    from .args import DataSourceArgs, DataSourceArgsDict

__all__ = ["DATASET_IMPORT_JOB", "DatasetImportJob", "DatasetImportJobProvider"]

DATASET_IMPORT_JOB = ResourceSpec(
    api=api.DATASET_IMPORT_JOB,
    defaults=((("importMode",), "FULL"), (("publishAttributionMetricsToS3",), False)),
    timeouts={"create": 7200.0, "update": 1200.0, "delete": 60.0},
)


class DatasetImportJobProvider(PersonalizeProvider):
    """Dynamic provider for :class:`DatasetImportJob` (no arguments; pickled by reference)."""

    spec = DATASET_IMPORT_JOB


class DatasetImportJob(PersonalizeResource, module="personalize", name="DatasetImportJob"):
    """An import of ``data_source.data_location`` into a dataset; ``id`` is the job's ARN."""

    dataset_import_job_arn: pulumi.Output[str]
    job_name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        dataset_arn: pulumi.Input[str] | None = None,
        data_source: pulumi.Input[DataSourceArgs | DataSourceArgsDict] | None = None,
        job_name: pulumi.Input[str] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        import_mode: pulumi.Input[str] | None = None,
        publish_attribution_metrics_to_s3: pulumi.Input[bool] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"dataset_arn": dataset_arn, "data_source": data_source, "job_name": job_name,
                 "role_arn": role_arn, "import_mode": import_mode,
                 "publish_attribution_metrics_to_s3": publish_attribution_metrics_to_s3, "tags": tags,
                 "target": target, "region": region, **extra}
        super().__init__(DatasetImportJobProvider(), resource_name, props, opts)
