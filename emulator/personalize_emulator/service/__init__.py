"""The emulated control plane, runtime and events APIs: handlers per resource family.

The emulator reaches this package through two calls only: :func:`dispatch` (one operation) and
:func:`recover` (after a restart).  Handlers get a :class:`Context`; each resource kind is declared
once (:class:`~.kinds.Kind`) beside its handlers and listed in :mod:`.registry`.
"""

from __future__ import annotations

from .context import Context, Host
from .operations import dispatch, handler_for, implemented, validate_request
from .recovery import recover

__all__ = ["Context", "Host", "dispatch", "handler_for", "implemented", "recover", "validate_request"]
