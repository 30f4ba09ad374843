"""The documented cross-field rules of the other Create requests, beside the model's own constraints.

Each ``check_create_*`` returns every problem of one request (shapes first, then the rules the
model cannot express), for the provider's ``check`` and the emulator alike.  Sources: the
members' documentation in botocore's model (quoted in the messages where it decides).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .avro import DATASET_TYPES, parse_schema
from .batch import check_create_batch_inference_job
from .errors import InvalidInputException
from .problems import Problem
from .shapes import UnknownPredicate, never_unknown, validate_input
from .solution import check_create_solution, check_update_solution

__all__ = [
    "CREATE_CHECKS",
    "LATEST_SUFFIX",
    "check_create_campaign",
    "check_create_dataset",
    "check_create_dataset_group",
    "check_create_filter",
    "check_create_schema",
    "check_request",
]

#: ``<solutionArn>/$LATEST``: a campaign that follows the solution's newest version.
LATEST_SUFFIX = "/$LATEST"
Check = Callable[..., list[Problem]]


def _known(value: Any, is_unknown: UnknownPredicate) -> bool:
    return value is not None and not is_unknown(value)


def check_create_dataset_group(
    params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """CreateDatasetGroup: "Supplying an IAM role is only valid when also specifying a KMS key."."""
    problems = validate_input("personalize", "CreateDatasetGroup", params, is_unknown=is_unknown)
    if _known(params.get("roleArn"), is_unknown) and params.get("kmsKeyArn") is None:
        problems.append(Problem(("roleArn",), "requires", "is only valid together with kmsKeyArn (the role lets "
                                "Personalize use that KMS key); add kmsKeyArn or remove roleArn"))
    return problems


def check_create_schema(params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown) -> list[Problem]:
    """CreateSchema: the document must be an Avro record Personalize can use."""
    problems = validate_input("personalize", "CreateSchema", params, is_unknown=is_unknown)
    schema = params.get("schema")
    if _known(schema, is_unknown) and isinstance(schema, str) and not any(p.path == ("schema",) for p in problems):
        try:
            parse_schema(schema)
        except InvalidInputException as exc:
            problems.append(Problem(("schema",), "avro", exc.message.removeprefix("Invalid schema: ")))
    return problems


def check_create_dataset(params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown) -> list[Problem]:
    """CreateDataset: ``datasetType`` is one of the documented types (compared case-insensitively)."""
    problems = validate_input("personalize", "CreateDataset", params, is_unknown=is_unknown)
    kind = params.get("datasetType")
    shape_ok = not any(p.path == ("datasetType",) for p in problems)
    if shape_ok and _known(kind, is_unknown) and isinstance(kind, str) and kind.upper() not in DATASET_TYPES:
        allowed = ", ".join(t.title() for t in DATASET_TYPES)
        problems.append(Problem(("datasetType",), "enum", f"must be one of {allowed} (any case); got {kind!r}"))
    return problems


def check_create_campaign(params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown) -> list[Problem]:
    """CreateCampaign: ``syncWithLatestSolutionVersion`` and ``<solutionArn>/$LATEST`` go together."""
    problems = validate_input("personalize", "CreateCampaign", params, is_unknown=is_unknown)
    arn = params.get("solutionVersionArn")
    config = params.get("campaignConfig")
    sync = config.get("syncWithLatestSolutionVersion") if isinstance(config, Mapping) else None
    if not _known(arn, is_unknown) or not isinstance(arn, str) or is_unknown(sync):
        return problems
    latest = arn.endswith(LATEST_SUFFIX)
    if sync is True and not latest:
        problems.append(Problem(("solutionVersionArn",), "latest", "must be <solutionArn>/$LATEST when "
                                "campaignConfig.syncWithLatestSolutionVersion is true (the campaign then follows "
                                f"the solution's newest version); got {arn!r}"))
    elif latest and sync is not True:
        problems.append(Problem(("solutionVersionArn",), "latest", "a solutionVersionArn ending in /$LATEST needs "
                                "campaignConfig.syncWithLatestSolutionVersion = true"))
    return problems


def check_create_filter(params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown) -> list[Problem]:
    """CreateFilter: ``filterExpression`` is an expression of the documented filter language."""
    from .filter_language import compile_expression

    problems = validate_input("personalize", "CreateFilter", params, is_unknown=is_unknown)
    text = params.get("filterExpression")
    shape_ok = not any(p.path == ("filterExpression",) for p in problems)
    if shape_ok and _known(text, is_unknown) and isinstance(text, str):
        try:
            compile_expression(text)
        except InvalidInputException as exc:
            problems.append(Problem(("filterExpression",), "filter_expression", exc.message))
    return problems


#: Every request with rules beyond the model's shapes, by operation name.
CREATE_CHECKS: dict[str, Check] = {
    "CreateBatchInferenceJob": check_create_batch_inference_job,
    "CreateCampaign": check_create_campaign,
    "CreateDataset": check_create_dataset,
    "CreateDatasetGroup": check_create_dataset_group,
    "CreateFilter": check_create_filter,
    "CreateSchema": check_create_schema,
    "CreateSolution": check_create_solution,
    "UpdateSolution": check_update_solution,
}


def check_request(
    operation: str, params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Every problem of a ``personalize`` request: its own rules where it has some, else the shapes."""
    check = CREATE_CHECKS.get(operation)
    if check is not None:
        return check(params, is_unknown=is_unknown)
    return validate_input("personalize", operation, params, is_unknown=is_unknown)
