"""The documented rules of CreateBatchInferenceJob beyond the model's shapes.

Sources: the members' documentation in botocore's model and the Developer Guide's batch pages
(``creating-batch-inference-job.md``, ``error-messages.md``, ``themed-batch-recommendations.md``).
Shared by the provider's ``check`` and the emulator's request validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problems import Problem
from .shapes import UnknownPredicate, never_unknown, validate_input

__all__ = ["EXPLORATION_KEYS", "THEME_MODE", "check_create_batch_inference_job"]

#: ``batchInferenceJobMode`` that generates themes (only with Similar-Items solution versions).
THEME_MODE = "THEME_GENERATION"
#: The keys ``batchInferenceJobConfig.itemExplorationConfig`` documents.
EXPLORATION_KEYS = ("explorationWeight", "explorationItemAgeCutOff")


def _at(params: Mapping[str, Any], *path: str) -> Any:
    value: Any = params
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _known(value: Any, is_unknown: UnknownPredicate) -> bool:
    return value is not None and not is_unknown(value)


def _same_location(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def check_create_batch_inference_job(
    params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Every problem of a CreateBatchInferenceJob request: shapes, then the documented rules."""
    problems = validate_input("personalize", "CreateBatchInferenceJob", params, is_unknown=is_unknown)
    count = params.get("numResults")
    if _known(count, is_unknown) and isinstance(count, int | float) and not isinstance(count, bool) and count < 1:
        problems.append(Problem(("numResults",), "min", f"must be at least 1 (recommendations per input line); "
                                f"got {count:g}"))
    mode, theme = params.get("batchInferenceJobMode"), params.get("themeGenerationConfig")
    if _known(mode, is_unknown) and mode == THEME_MODE and theme is None:
        problems.append(Problem(("themeGenerationConfig",), "requires", "is required when batchInferenceJobMode "
                                "is THEME_GENERATION (it names the Items column holding each item's name)"))
    if _known(theme, is_unknown) and mode != THEME_MODE and not is_unknown(mode):
        problems.append(Problem(("themeGenerationConfig",), "requires", "is only valid with "
                                "batchInferenceJobMode THEME_GENERATION; remove it or set the mode"))
    source = _at(params, "jobInput", "s3DataSource", "path")
    destination = _at(params, "jobOutput", "s3DataDestination", "path")
    if (_known(source, is_unknown) and _known(destination, is_unknown) and isinstance(source, str)
            and isinstance(destination, str) and _same_location(source, destination)):
        problems.append(Problem(("jobOutput", "s3DataDestination", "path"), "distinct", "must differ from "
                                f"jobInput.s3DataSource.path (the output would be read as input); got {destination!r}"))
    exploration = _at(params, "batchInferenceJobConfig", "itemExplorationConfig")
    if _known(exploration, is_unknown) and isinstance(exploration, Mapping):
        for key in exploration:
            if key not in EXPLORATION_KEYS:
                problems.append(Problem(("batchInferenceJobConfig", "itemExplorationConfig", key), "key",
                                        f"is not a documented key; allowed: {', '.join(EXPLORATION_KEYS)}"))
    return problems
