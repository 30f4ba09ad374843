"""The operation table: botocore operation names mapped to handlers, plus request validation.

Handlers are found by name (``CreateDatasetGroup`` -> ``create_dataset_group``, botocore's own
``xform_name``), so the table cannot drift from the modules; an operation without a handler answers
NotSupportedException.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from botocore import xform_name

from personalize_api import allow_emulator_extensions, join_problems, validate_input
from personalize_api.model import SERVICES, service_model
from personalize_api.resources import CREATE_CHECKS

from ..errors import InvalidInputException, NotSupportedException
from . import batch, campaigns, datasets, filters, imports, recipes, records, runtime, solutions, tags, versions
from .context import Context, Handler

__all__ = ["dispatch", "handler_for", "implemented", "validate_request"]

_MODULES = (datasets, imports, solutions, versions, recipes, campaigns, tags, runtime, filters, records, batch)


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], Handler]:
    table: dict[tuple[str, str], Handler] = {}
    for service in SERVICES:
        for operation in service_model(service).operation_names:
            name = xform_name(operation)
            for module in _MODULES:
                handler = getattr(module, name, None)
                if handler is not None and name in module.__all__:
                    table[(service, operation)] = handler
    return table


def implemented() -> list[tuple[str, str]]:
    """(service, operation) pairs the emulator answers."""
    return sorted(_table())


def handler_for(service: str, operation: str) -> Handler:
    handler = _table().get((service, operation))
    if handler is None:
        raise NotSupportedException(f"The emulator does not support {operation} yet.")
    return handler


def validate_request(service: str, operation: str, params: Mapping[str, Any]) -> None:
    """InvalidInputException listing every problem of the request (shapes, then semantic rules)."""
    semantic = CREATE_CHECKS.get(operation)
    problems = semantic(params) if semantic else validate_input(service, operation, params)
    problems = allow_emulator_extensions(operation, params, problems)
    if problems:
        raise InvalidInputException(join_problems(problems))


def dispatch(ctx: Context, service: str, operation: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and run one operation on decoded parameters; raises the API's errors."""
    handler = handler_for(service, operation)
    validate_request(service, operation, params)
    return handler(ctx, dict(params)) or {}
