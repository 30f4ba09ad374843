"""A resource kind, declared once: everything the emulator does with a kind besides its handlers.

Each resource module declares its kinds (:class:`Kind`) next to its handlers; :mod:`.registry`
collects them.  Creating, deleting, updating and crash recovery read the declaration instead of
lists kept elsewhere, so a new kind (Filters, batch jobs) is one declaration, not five edits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from personalize_api.resource_types import ResourceType
from personalize_api.statuses import CREATE_PENDING

from ..lifecycle import Job, Pool
from ..store import Row
from .context import Context

__all__ = ["Apply", "Cleanup", "Interrupted", "JobMaker", "Kind"]

#: The background job that takes a new resource from CREATE PENDING to its end.
JobMaker = Callable[[Context, str], Job]
#: What deleting a resource removes besides its row (files, recorded events, child rows).
Cleanup = Callable[[Context, Row], None]
#: How an ACTIVE ``latest<X>Update`` summary changes the resource's body.
Apply = Callable[[dict[str, Any], dict[str, Any]], None]
#: Called inside the write that ends an interrupted job after a restart (to sync a parent's summary).
Interrupted = Callable[[Context, sqlite3.Connection, Row], None]


@dataclass(frozen=True)
class Kind:
    """One resource kind: its names in the API and its lifecycle hooks.

    ``create`` is None for kinds with nothing to compute (they go PENDING > IN_PROGRESS > ACTIVE).
    A kind that is not ``resumable`` does real work (imports, training): after a restart, a job that
    never started starts again, while one caught in progress ends CREATE FAILED with a reason.
    """

    #: The API's names for it (ARN member, Describe member, ARN resource type), shared with the provider.
    api: ResourceType
    create: JobMaker | None = None
    pool: Pool = "light"
    resumable: bool = True
    cleanup: Cleanup | None = None
    updates: Mapping[str, Apply] = field(default_factory=dict)
    interrupted: Interrupted | None = None
    #: The status a new resource starts in: batch jobs start ``PENDING`` (the model's own strings).
    pending: str = CREATE_PENDING

    @property
    def name(self) -> str:
        """The kind's name in the store: the ARN's resource type (``dataset-group``)."""
        return self.api.kind

    @property
    def label(self) -> str:
        return self.api.label

    def require(self, ctx: Context, arn: str) -> Row:
        """The row of ``arn``; ResourceNotFoundException unless it is a resource of this kind."""
        return ctx.store.require(arn, self.name, self.label)

    def describe(self, ctx: Context, params: Mapping[str, Any]) -> dict[str, Any]:
        """The Describe<Kind> answer for the ARN in ``params``."""
        return {self.api.member: self.require(ctx, params[self.api.arn_member]).body}
