"""Drive the providers the way the Pulumi engine does, without the Pulumi CLI: a public testing API.

- :class:`ProviderServer`: the SDK's own dynamic-provider server (``python -m pulumi.dynamic``),
  driven over gRPC exactly as the engine drives it; :class:`InProcess`: the same calls made directly.
- :class:`Deployment`: a small engine over either, following the engine's step rules (check, diff,
  update or replace, delete-before-replace with its dependent replacements, refresh, aliases, plan).

Use them to test a Personalize program's lifecycle locally: the invariants infrastructure test
frameworks enforce (a plan after apply, refresh or adoption is empty) hold for every resource.
"""

from __future__ import annotations

from .driver import (
    UNKNOWN,
    CallError,
    CheckResponse,
    DiffResponse,
    Driver,
    InProcess,
    ProviderServer,
    ReadResponse,
    urn_for,
)
from .engine import Deployment, State

__all__ = [
    "UNKNOWN",
    "CallError",
    "CheckResponse",
    "Deployment",
    "DiffResponse",
    "Driver",
    "InProcess",
    "ProviderServer",
    "ReadResponse",
    "State",
    "urn_for",
]
