"""The API's rules in one place, shared by the provider's ``check`` and the emulator.

Shape constraints come from botocore's service models at run time; the cross-field rules, the
recipe catalogue and ARN formats that the models lack are written once here.  No numpy or
LightGBM: the provider imports this module during ``pulumi preview``.
"""

from __future__ import annotations

from ._model import operation_input_shape, service_model
from .arns import ParsedArn, make_arn, parse_arn
from .extensions import FILE_SCHEME, allow_emulator_extensions
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
from .shapes import UnknownPredicate, coerce, never_unknown, validate_input, validate_shape
from .solution import AUTOML_METRICS, check_create_solution, check_update_solution, solution_rules

__all__ = [
    "AUTOML_METRICS",
    "CREATE_CHECKS",
    "DOMAIN_RECIPES",
    "FILE_SCHEME",
    "LATEST_SUFFIX",
    "RECIPES",
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
    "recipe_arn",
    "recipe_by_arn",
    "recipe_name_from_arn",
    "service_model",
    "solution_rules",
    "validate_input",
    "validate_shape",
]
