"""BatchInferenceJob: one batch scoring of JSON-lines input with a solution version (a job, run once).

The API has no DeleteBatchInferenceJob: deleting this resource only forgets it (the job and its
output files stay).  A job is created once and never re-run by ``pulumi refresh`` or ``up``; any
change of its inputs (but ``tags``) replaces it, which runs a new job.  Give jobs no explicit
``job_name`` if you expect to replace them: a replacement then gets a fresh name, where an explicit
name would collide with the job record AWS keeps.  ``filter_arn`` is passed as given.
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
    from .args import (
        BatchInferenceJobConfigArgs,
        BatchInferenceJobConfigArgsDict,
        BatchInferenceJobInputArgs,
        BatchInferenceJobInputArgsDict,
        BatchInferenceJobOutputArgs,
        BatchInferenceJobOutputArgsDict,
        ThemeGenerationConfigArgs,
        ThemeGenerationConfigArgsDict,
    )

__all__ = ["BATCH_INFERENCE_JOB", "BatchInferenceJob", "BatchInferenceJobProvider"]

BATCH_INFERENCE_JOB = ResourceSpec(
    api=api.BATCH_INFERENCE_JOB,
    defaults=((("batchInferenceJobMode",), "BATCH_INFERENCE"), (("numResults",), 25)),
    timeouts={"create": 86400.0, "update": 1200.0, "delete": 60.0},
)


class BatchInferenceJobProvider(PersonalizeProvider):
    """Dynamic provider for :class:`BatchInferenceJob` (no arguments; pickled by reference)."""

    spec = BATCH_INFERENCE_JOB


class BatchInferenceJob(PersonalizeResource, module="personalize", name="BatchInferenceJob"):
    """Batch recommendations for every line under ``job_input``, written under ``job_output``; ``id`` is its ARN."""

    batch_inference_job_arn: pulumi.Output[str]
    job_name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        solution_version_arn: pulumi.Input[str] | None = None,
        job_input: pulumi.Input[BatchInferenceJobInputArgs | BatchInferenceJobInputArgsDict] | None = None,
        job_output: pulumi.Input[BatchInferenceJobOutputArgs | BatchInferenceJobOutputArgsDict] | None = None,
        role_arn: pulumi.Input[str] | None = None,
        job_name: pulumi.Input[str] | None = None,
        filter_arn: pulumi.Input[str] | None = None,
        num_results: pulumi.Input[int] | None = None,
        batch_inference_job_config: pulumi.Input[BatchInferenceJobConfigArgs | BatchInferenceJobConfigArgsDict]
        | None = None,
        batch_inference_job_mode: pulumi.Input[str] | None = None,
        theme_generation_config: pulumi.Input[ThemeGenerationConfigArgs | ThemeGenerationConfigArgsDict] | None = None,
        tags: Tags | None = None,
        target: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        **extra: Any,
    ) -> None:
        props = {"solution_version_arn": solution_version_arn, "job_input": job_input, "job_output": job_output,
                 "role_arn": role_arn, "job_name": job_name, "filter_arn": filter_arn, "num_results": num_results,
                 "batch_inference_job_config": batch_inference_job_config,
                 "batch_inference_job_mode": batch_inference_job_mode,
                 "theme_generation_config": theme_generation_config, "tags": tags, "target": target,
                 "region": region, **extra}
        super().__init__(BatchInferenceJobProvider(), resource_name, props, opts)
