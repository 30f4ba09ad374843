"""A local Amazon Personalize: wire protocol, state on disk, real lifecycle, real training.

Importing this package is cheap (no numpy, LightGBM or boto3): :class:`Emulator` is the provider's
one entry point (its embedded target), and the API contract both share is :mod:`personalize_api`.
The heavier public names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Emulator", "mock_personalize"]

if TYPE_CHECKING:
    from .emulator import Emulator
    from .mock import mock_personalize


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        from .emulator import Emulator

        return Emulator
    if name == "mock_personalize":
        from .mock import mock_personalize

        return mock_personalize
    raise AttributeError(f"module 'personalize_emulator' has no attribute {name!r}")
