"""botocore's service models, loaded once and on demand.

The models are the single source of truth for shapes, lengths, patterns and enums; reading them
costs ~40 ms, so nothing here runs at import time.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["SERVICES", "operation_input_shape", "raw_model", "service_model"]

#: The three services the emulator speaks, by botocore name.
SERVICES = ("personalize", "personalize-runtime", "personalize-events")


@cache
def service_model(service: str) -> Any:
    """A ``botocore.model.ServiceModel`` for one of :data:`SERVICES`."""
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


@cache
def raw_model(service: str) -> dict[str, Any]:
    """The service model as the JSON dict botocore ships (shapes by name)."""
    from botocore.loaders import Loader

    model: dict[str, Any] = Loader().load_service_model(service, "service-2")
    return model


def operation_input_shape(service: str, operation: str) -> Any:
    """The input ``StructureShape`` of ``operation``; ``KeyError`` if botocore does not know it."""
    model = service_model(service)
    if operation not in model.operation_names:
        raise KeyError(operation)
    return model.operation_model(operation).input_shape
