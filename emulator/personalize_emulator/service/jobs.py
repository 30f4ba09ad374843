"""The background jobs every kind shares: activation, deletion and ``latest<X>Update`` updates.

A job is a generator (see :mod:`..lifecycle`) that re-reads its row under the write lock before
every move, so it tolerates a concurrent delete and resumes cleanly after a restart.
"""

from __future__ import annotations

from typing import Any

from personalize_api.statuses import (
    ACTIVE,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATING,
    DELETE_IN_PROGRESS,
    DELETE_PENDING,
    UPDATE_IN_PROGRESS,
)

from ..errors import ResourceInUseException
from ..lifecycle import Job, gate, move
from ..pacing import Gate
from ..store import Row
from .context import Context
from .kinds import Kind

__all__ = [
    "activate_job",
    "delete_job",
    "gate_here",
    "start_create",
    "start_delete",
    "start_update",
    "update_flow",
    "update_job",
]

#: The statuses an update summary goes through, by member (CREATE PENDING > CREATE IN_PROGRESS >
#: ACTIVE unless listed; see :data:`personalize_api.statuses.UPDATE_IN_PROGRESS` for campaigns).
UPDATE_FLOWS: dict[str, tuple[str, ...]] = {"latestCampaignUpdate": (UPDATE_IN_PROGRESS, ACTIVE)}
_DEFAULT_FLOW = (CREATE_PENDING, CREATE_IN_PROGRESS, ACTIVE)


def gate_here(ctx: Context, arn: str) -> Gate:
    """A gate on the resource's current status: the next move waits until clients have seen it."""
    row = ctx.store.get(arn)
    return gate(arn, str(row.body.get("status")) if row is not None else "")


def activate_job(ctx: Context, arn: str) -> Job:
    """The job of resources with nothing to compute: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE."""
    store, clock = ctx.store, ctx.emulator.clock

    def job() -> Any:
        for status in (CREATE_IN_PROGRESS, ACTIVE):
            current = store.get(arn)
            shown = current.body.get("status") if current is not None else None
            if shown == status:
                continue  # resumed after a restart
            if shown in CREATING:
                yield gate(arn, str(shown))
            with store.write() as conn:
                row = store.lock_row(conn, arn)
                if row is None or row.body.get("status") not in CREATING:
                    return  # deleted or moved on meanwhile
                if row.body.get("status") == status:
                    continue
                move(row.body, status, clock())
                store.save(row, conn)
            yield

    return job


def start_create(ctx: Context, kind: Kind, arn: str) -> None:
    """Start the job that takes a new (or restarted) ``kind`` resource to its end, on the kind's pool."""
    make = kind.create or activate_job
    ctx.submit(make(ctx, arn), pool=kind.pool)


def start_delete(ctx: Context, row: Row, kind: Kind) -> None:
    """Move ``row`` to DELETE PENDING and start its delete job.

    ResourceInUseException while the resource is still being created or already being deleted.
    """
    status = str(row.body.get("status"))
    if status in CREATING or status.startswith("DELETE"):
        raise ResourceInUseException(f"{kind.label} {row.arn} cannot be deleted while its status is {status}.")
    with ctx.store.write() as conn:
        current = ctx.store.lock_row(conn, row.arn)
        if current is None:
            return
        move(current.body, DELETE_PENDING, ctx.now())
        ctx.store.save(current, conn)
    ctx.submit(delete_job(ctx, row.arn, kind))


def delete_job(ctx: Context, arn: str, kind: Kind) -> Job:
    """DELETE PENDING -> DELETE IN_PROGRESS -> gone (then the kind's cleanup removes what it owned)."""
    store, clock = ctx.store, ctx.emulator.clock

    def job() -> Any:
        yield gate(arn, DELETE_PENDING)
        with store.write() as conn:
            row = store.lock_row(conn, arn)
            if row is None:
                return
            move(row.body, DELETE_IN_PROGRESS, clock())
            store.save(row, conn)
        yield
        yield gate(arn, DELETE_IN_PROGRESS)
        with store.write() as conn:
            store.remove(arn, conn)
        if kind.cleanup is not None:
            kind.cleanup(ctx, row)
        yield

    return job


def update_flow(member: str) -> tuple[str, ...]:
    """The statuses of ``member``'s updates, the last one (ACTIVE) included."""
    return UPDATE_FLOWS.get(member, _DEFAULT_FLOW)


def start_update(ctx: Context, row: Row, kind: Kind, member: str, summary: dict[str, Any]) -> None:
    """Record an update summary (in its first status) under ``member`` and start its job.

    ResourceInUseException while a previous update of the same resource is still in progress.
    """
    flow = update_flow(member)
    previous = row.body.get(member)
    if previous and previous.get("status") in flow[:-1]:
        raise ResourceInUseException(f"{kind.label} {row.arn} has an update in progress.")
    now = ctx.now()
    with ctx.store.write() as conn:
        current = ctx.store.lock_row(conn, row.arn)
        if current is None:
            return
        current.body[member] = {**summary, "status": flow[0], "creationDateTime": now,
                                "lastUpdatedDateTime": now}
        ctx.store.save(current, conn)
    ctx.submit(update_job(ctx, row.arn, kind, member))


def update_job(ctx: Context, arn: str, kind: Kind, member: str) -> Job:
    """The update summary moves through its statuses (:func:`update_flow`) to ACTIVE, then applies."""
    store, apply = ctx.store, kind.updates[member]
    flow = update_flow(member)
    running = flow[:-1]

    def job() -> Any:
        for status in flow[1:]:
            current = store.get(arn)
            shown = ((current.body.get(member) or {}) if current is not None else {}).get("status")
            if shown in running and shown != status:
                yield gate(arn, str(shown), member)
            with store.write() as conn:
                row = store.lock_row(conn, arn)
                update = row.body.get(member) if row else None
                if row is None or not update or update.get("status") not in running:
                    return
                if update.get("status") != status:
                    move(update, status, ctx.now())
                if status == ACTIVE:
                    apply(row.body, update)
                    row.body["lastUpdatedDateTime"] = ctx.now()
                store.save(row, conn)
            yield

    return job
