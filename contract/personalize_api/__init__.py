"""Amazon Personalize's API contract, shared by the provider's ``check`` and the emulator.

Shape constraints come from botocore's service models at run time (:mod:`.model`); the cross-field
rules, statuses, the recipe catalogue and ARN formats that the models lack are written once here.
It imports neither the provider nor the emulator, and no numpy or LightGBM: the provider imports it
during ``pulumi preview``.
"""

from __future__ import annotations

from .arns import ParsedArn, make_arn, parse_arn
from .extensions import FILE_SCHEME, allow_emulator_extensions
from .model import SERVICES, operation_input_shape, raw_model, service_model
from .numbers import parse_decimal, parse_whole
from .problems import Problem, dotted, join_problems
from .recipes import (
    DOMAIN_RECIPES,
    RECIPES,
    UNSCORED_RECIPES,
    HyperParameter,
    Recipe,
    recipe_arn,
    recipe_by_arn,
    recipe_name_from_arn,
)
from .resources import CREATE_CHECKS, LATEST_SUFFIX, check_request
from .shapes import UnknownPredicate, coerce, never_unknown, validate_input, validate_output, validate_shape
from .solution import AUTOML_METRICS, check_create_solution, check_update_solution, solution_rules

__all__ = [
    "AUTOML_METRICS",
    "CREATE_CHECKS",
    "DOMAIN_RECIPES",
    "FILE_SCHEME",
    "LATEST_SUFFIX",
    "RECIPES",
    "SERVICES",
    "UNSCORED_RECIPES",
    "HyperParameter",
    "ParsedArn",
    "Problem",
    "Recipe",
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
