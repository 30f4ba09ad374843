"""Amazon Personalize's API contract, shared by the provider's ``check`` and the emulator.

Shape constraints come from botocore's service models at run time (:mod:`.model`); the cross-field
rules, statuses, the recipe catalogue and ARN formats that the models lack are written once here.
It imports neither the provider nor the emulator, and no numpy or LightGBM: the provider imports it
during ``pulumi preview``, so each submodule loads on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .arns import ParsedArn, make_arn, parse_arn
    from .extensions import FILE_SCHEME, allow_emulator_extensions
    from .model import SERVICES, operation_input_shape, raw_model, service_model
    from .numbers import parse_decimal, parse_whole
    from .problems import Problem, dotted, join_problems
    from .recipes import (
        AUTOML_RECIPES,
        DOMAIN_RECIPES,
        RECIPES,
        UNSCORED_RECIPES,
        HyperParameter,
        Recipe,
        recipe_arn,
        recipe_by_arn,
        recipe_name_from_arn,
    )
    from .resource_types import RESOURCE_TYPES, ResourceType
    from .resources import CREATE_CHECKS, LATEST_SUFFIX, check_request
    from .shapes import UnknownPredicate, coerce, never_unknown, validate_input, validate_output, validate_shape
    from .solution import AUTOML_METRICS, check_create_solution, check_update_solution, solution_rules
    from .statuses import ACTIVE, CREATE_FAILED, CREATE_IN_PROGRESS, CREATE_PENDING, CREATING, NEVER_ACTIVE

__all__ = [
    "ACTIVE",
    "AUTOML_METRICS",
    "AUTOML_RECIPES",
    "CREATE_CHECKS",
    "CREATE_FAILED",
    "CREATE_IN_PROGRESS",
    "CREATE_PENDING",
    "CREATING",
    "DOMAIN_RECIPES",
    "FILE_SCHEME",
    "LATEST_SUFFIX",
    "NEVER_ACTIVE",
    "RECIPES",
    "RESOURCE_TYPES",
    "SERVICES",
    "UNSCORED_RECIPES",
    "HyperParameter",
    "ParsedArn",
    "Problem",
    "Recipe",
    "ResourceType",
    "UnknownPredicate",
    "allow_emulator_extensions",
    "check_create_solution",
    "check_request",
    "check_update_solution",
    "coerce",
    "dotted",
    "join_problems",
    "make_arn",
    "never_unknown",
    "operation_input_shape",
    "parse_arn",
    "parse_decimal",
    "parse_whole",
    "raw_model",
    "recipe_arn",
    "recipe_by_arn",
    "recipe_name_from_arn",
    "service_model",
    "solution_rules",
    "validate_input",
    "validate_output",
    "validate_shape",
]

#: Submodule -> the names it gives this package.  Loaded on first use: the provider imports the
#: statuses and resource types at import time, the rules (regex, botocore's model) only when
#: ``check`` first runs.
_SOURCES: dict[str, tuple[str, ...]] = {
    "arns": ("ParsedArn", "make_arn", "parse_arn"),
    "extensions": ("FILE_SCHEME", "allow_emulator_extensions"),
    "model": ("SERVICES", "operation_input_shape", "raw_model", "service_model"),
    "numbers": ("parse_decimal", "parse_whole"),
    "problems": ("Problem", "dotted", "join_problems"),
    "recipes": (
        "AUTOML_RECIPES", "DOMAIN_RECIPES", "RECIPES", "UNSCORED_RECIPES", "HyperParameter", "Recipe", "recipe_arn",
        "recipe_by_arn",
        "recipe_name_from_arn",
    ),
    "resources": ("CREATE_CHECKS", "LATEST_SUFFIX", "check_request"),
    "shapes": ("UnknownPredicate", "coerce", "never_unknown", "validate_input", "validate_output", "validate_shape"),
    "solution": ("AUTOML_METRICS", "check_create_solution", "check_update_solution", "solution_rules"),
    "resource_types": ("RESOURCE_TYPES", "ResourceType"),
    "statuses": ("ACTIVE", "CREATE_FAILED", "CREATE_IN_PROGRESS", "CREATE_PENDING", "CREATING", "NEVER_ACTIVE"),
}
_SOURCE_OF = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _SOURCE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
