"""The operation table: botocore operation names mapped to handlers, plus request validation.

Handlers are found by name (``CreateDatasetGroup`` -> ``create_dataset_group``), so the table cannot
drift from the modules; an operation without a handler answers NotSupportedException.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from ..errors import InvalidInputException, NotSupportedException
from ..rules import allow_emulator_extensions, join_problems, validate_input
from ..rules._model import SERVICES, service_model
from ..rules.resources import CREATE_CHECKS
from ..store import Row
from . import campaigns, datasets, filters, recipes, runtime, solutions, tags
from .common import Context, Handler

__all__ = ["Context", "Handler", "cleanup_for", "handler_for", "implemented", "validate_request"]

_MODULES = (datasets, solutions, recipes, campaigns, tags, runtime, filters)
_SEMANTIC: dict[str, Callable[..., list[Any]]] = CREATE_CHECKS


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], Handler]:
    table: dict[tuple[str, str], Handler] = {}
    for service in SERVICES:
        for operation in service_model(service).operation_names:
            for module in _MODULES:
                handler = getattr(module, _snake(operation), None)
                if handler is not None and _snake(operation) in module.__all__:
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


def cleanup_for(ctx: Context, kind: str) -> Callable[[Row], None] | None:
    """What deleting a ``kind`` removes besides its row; recovery needs it to finish deletes after a restart."""
    makers = {"dataset-group": datasets._group_cleanup, "dataset": datasets._dataset_cleanup,
              "solution": solutions._solution_cleanup}
    maker = makers.get(kind)
    return maker(ctx) if maker is not None else None


def validate_request(service: str, operation: str, params: Mapping[str, Any]) -> None:
    """InvalidInputException listing every problem of the request (shapes, then semantic rules)."""
    semantic = _SEMANTIC.get(operation)
    problems = semantic(params) if semantic else validate_input(service, operation, params)
    problems = allow_emulator_extensions(operation, params, problems)
    if problems:
        raise InvalidInputException(join_problems(problems))
