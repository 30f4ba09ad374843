"""What every operation handler shares: the request context, ARNs, pagination, quotas, tags.

Handlers are plain functions ``(ctx, params) -> response dict`` named after their operation in
snake_case (moto's convention); requests reach them already validated against botocore's shapes.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InvalidNextTokenException, LimitExceededException, TooManyTagsException
from ..lifecycle import ACTIVE, CREATE_IN_PROGRESS, CREATE_PENDING, UPDATE_IN_PROGRESS, Job, Pool, gate, move
from ..pacing import Gate
from ..rules import make_arn
from ..rules._model import service_model
from ..store import Row, Store

if TYPE_CHECKING:
    from ..emulator import Emulator

__all__ = [
    "CREATING",
    "UPDATES",
    "Context",
    "Handler",
    "activate_job",
    "check_tags",
    "delete_job",
    "gate_here",
    "list_page",
    "new_id",
    "project",
    "require_active",
    "start_delete",
    "start_update",
    "update_flow",
    "update_job",
]

#: Statuses of a resource still being created.
CREATING = (CREATE_PENDING, CREATE_IN_PROGRESS)
MAX_TAGS = 200


@dataclass(slots=True)
class Context:
    """One request: which emulator, account and region it addresses."""

    emulator: Emulator
    account: str
    region: str

    @property
    def store(self) -> Store:
        return self.emulator.store

    def now(self) -> float:
        return self.emulator.clock()

    def arn(self, resource: str) -> str:
        return make_arn(self.region, self.account, resource)

    def quota(self, kind: str, limit: int, label: str, *, statuses: Sequence[str] = (),
              parent: str | None = None) -> None:
        """LimitExceededException when ``kind`` already has ``limit`` resources (in ``statuses``)."""
        used = self.store.count(kind, account=self.account, region=self.region, statuses=statuses, parent=parent)
        if used >= limit:
            raise LimitExceededException(
                f"You have reached the quota of {limit} {label}. Delete one, or raise the emulator's quota."
            )

    def submit(self, job: Job, *, pool: Pool = "light") -> None:
        self.emulator.runner.submit(job, pool=pool)


Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]


def new_id() -> str:
    """A short random id like the ones in solution-version ARNs."""
    return secrets.token_hex(4)


def project(body: Mapping[str, Any], shape: str) -> dict[str, Any]:
    """``body`` reduced to the members of a (summary) shape from the model."""
    members = service_model("personalize").shape_for(shape).members
    return {k: v for k, v in body.items() if k in members and v is not None}


def check_tags(tags: Sequence[Mapping[str, str]] | None, existing: int = 0) -> list[Mapping[str, str]]:
    """Tags of a create/tag request, within the 200-tag limit."""
    tags = list(tags or ())
    keys = {t["tagKey"] for t in tags}
    if existing + len(keys) > MAX_TAGS:
        raise TooManyTagsException(
            f"A resource can have at most {MAX_TAGS} tags; this would make {existing + len(keys)}."
        )
    return tags


def _token(after: int, scope: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"a": after, "s": scope}).encode()).decode()


def _read_token(token: str, scope: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["s"] != scope or not isinstance(data["a"], int):
            raise ValueError
        return int(data["a"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidNextTokenException("The nextToken is not valid for this request.") from None


def list_page(
    ctx: Context,
    params: Mapping[str, Any],
    *,
    kind: str,
    member: str,
    summary: str,
    parent: str | None = None,
    transform: Callable[[Row], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page of a List* call: stable key-set pagination, opaque ``nextToken``."""
    scope = f"{kind}|{parent or ''}"
    after = _read_token(params["nextToken"], scope) if params.get("nextToken") else 0
    limit = int(params.get("maxResults") or 100)
    rows = ctx.store.page(kind, account=ctx.account, region=ctx.region, parent=parent, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [project(transform(r) if transform else r.body, summary) for r in rows]
    result: dict[str, Any] = {member: items}
    if more:
        result["nextToken"] = _token(rows[-1].seq, scope)
    return result


def require_active(row: Row, label: str) -> None:
    """ResourceInUseException unless ``row`` is ACTIVE (AWS's answer for a resource not ready)."""
    from ..errors import ResourceInUseException

    status = row.body.get("status")
    if status != ACTIVE:
        raise ResourceInUseException(f"{label} {row.arn} is not ACTIVE (status: {status}).")


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


def start_delete(ctx: Context, row: Row, cleanup: Callable[[Row], None] | None = None) -> None:
    """Move ``row`` to DELETE PENDING and start its delete job.

    ResourceInUseException while the resource is still being created or already being deleted.
    """
    from ..errors import ResourceInUseException
    from ..lifecycle import DELETE_PENDING

    status = str(row.body.get("status"))
    if status in CREATING or status.startswith("DELETE"):
        label = row.kind.replace("-", " ").capitalize()
        raise ResourceInUseException(f"{label} {row.arn} cannot be deleted while its status is {status}.")
    with ctx.store.write() as conn:
        current = ctx.store.lock_row(conn, row.arn)
        if current is None:
            return
        move(current.body, DELETE_PENDING, ctx.now())
        ctx.store.save(current, conn)
    ctx.submit(delete_job(ctx, row.arn, cleanup))


def delete_job(ctx: Context, arn: str, cleanup: Callable[[Row], None] | None = None) -> Job:
    """DELETE PENDING -> DELETE IN_PROGRESS -> gone (then ``cleanup`` removes files it owned)."""
    from ..lifecycle import DELETE_IN_PROGRESS, DELETE_PENDING

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
        if cleanup is not None:
            cleanup(row)
        yield

    return job


#: ``latest<X>Update`` member -> how an ACTIVE update changes the resource's body.  Filled by the
#: resource modules; used by update jobs and by crash recovery.
UPDATES: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {}


#: The statuses an update summary goes through, by member (CREATE PENDING > CREATE IN_PROGRESS >
#: ACTIVE unless listed; see :data:`~..lifecycle.UPDATE_IN_PROGRESS` for campaigns).
UPDATE_FLOWS: dict[str, tuple[str, ...]] = {"latestCampaignUpdate": (UPDATE_IN_PROGRESS, ACTIVE)}
_DEFAULT_FLOW = (CREATE_PENDING, CREATE_IN_PROGRESS, ACTIVE)


def update_flow(member: str) -> tuple[str, ...]:
    """The statuses of ``member``'s updates, the last one (ACTIVE) included."""
    return UPDATE_FLOWS.get(member, _DEFAULT_FLOW)


def start_update(ctx: Context, row: Row, member: str, summary: dict[str, Any]) -> None:
    """Record an update summary (in its first status) under ``member`` and start its job.

    ResourceInUseException while a previous update of the same resource is still in progress.
    """
    from ..errors import ResourceInUseException

    flow = update_flow(member)
    previous = row.body.get(member)
    if previous and previous.get("status") in flow[:-1]:
        label = row.kind.replace("-", " ").capitalize()
        raise ResourceInUseException(f"{label} {row.arn} has an update in progress.")
    now = ctx.now()
    with ctx.store.write() as conn:
        current = ctx.store.lock_row(conn, row.arn)
        if current is None:
            return
        current.body[member] = {**summary, "status": flow[0], "creationDateTime": now,
                                "lastUpdatedDateTime": now}
        ctx.store.save(current, conn)
    ctx.submit(update_job(ctx, row.arn, member))


def update_job(ctx: Context, arn: str, member: str) -> Job:
    """The update summary moves through its statuses (:func:`update_flow`) to ACTIVE, then applies."""
    store, apply = ctx.store, UPDATES[member]
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
