"""Crash recovery: resume or fail every job a previous process left unfinished.

Creations and deletions with nothing to compute resume; a kind that is not ``resumable`` (imports,
training) starts again if it never started, and otherwise ends ``CREATE FAILED`` with a reason (or
``CREATE STOPPED`` if it was stopping), so nothing stays in progress forever.
"""

from __future__ import annotations

import logging

from personalize_api.statuses import (
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_STOPPED,
    CREATE_STOPPING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    IN_FLIGHT,
)

from ..lifecycle import move
from ..store import Row
from .context import Context
from .jobs import delete_job, start_create, update_flow, update_job
from .kinds import Kind
from .registry import KINDS

__all__ = ["recover"]

log = logging.getLogger(__name__)

_INTERRUPTED = "The emulator stopped while this job was in progress (crash or restart); create it again."


def recover(ctx: Context) -> None:
    """Resume or fail every unfinished job in ``ctx``'s store, then every unfinished update."""
    for row in ctx.store.in_status(IN_FLIGHT):
        kind = KINDS[row.kind]
        status = row.body.get("status")
        if status in (DELETE_PENDING, DELETE_IN_PROGRESS):
            if status == DELETE_IN_PROGRESS:
                row.body["status"] = DELETE_PENDING
                ctx.store.save(row)
            ctx.submit(delete_job(ctx, row.arn, kind))
        elif status == kind.pending or (kind.resumable and status == CREATE_IN_PROGRESS):
            start_create(ctx, kind, row.arn)
        elif not kind.resumable:
            _end_interrupted(ctx, kind, row, CREATE_STOPPED if status == CREATE_STOPPING else CREATE_FAILED)
    for row in ctx.store.all_rows():
        kind = KINDS[row.kind]
        for member in kind.updates:
            update = row.body.get(member)
            if update and update.get("status") in update_flow(member)[:-1]:
                ctx.submit(update_job(ctx, row.arn, kind, member))


def _end_interrupted(ctx: Context, kind: Kind, row: Row, ending: str) -> None:
    with ctx.store.write() as conn:
        move(row.body, ending, ctx.now(), failure=None if ending == CREATE_STOPPED else _INTERRUPTED)
        ctx.store.save(row, conn)
        if kind.interrupted is not None:
            kind.interrupted(ctx, conn, row)  # e.g. the solution's latestSolutionVersion too
    log.warning("%s was interrupted by a restart: now %s", row.arn, ending)
