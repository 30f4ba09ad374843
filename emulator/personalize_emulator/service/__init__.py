"""The emulated control plane, runtime and events APIs: handlers per resource family.

The emulator reaches this package through three calls only: :func:`dispatch` (one operation),
:func:`recover` (after a restart) and :func:`run_due` (schedules, as emulated time passes).
Handlers get a :class:`Context`; each resource kind is declared
once (:class:`~.kinds.Kind`) beside its handlers and listed in :mod:`.registry`.
"""

from __future__ import annotations

from .autotrain import run_due
from .context import Context, Host
from .operations import dispatch, handler_for, implemented, validate_request
from .recovery import recover

__all__ = ["Context", "Host", "dispatch", "handler_for", "implemented", "recover", "run_due", "validate_request"]
