"""What every operation handler receives: the request context, and the few checks all kinds share.

Handlers are plain functions ``(ctx, params) -> response dict`` named after their operation in
snake_case (moto's convention); requests reach them already validated against botocore's shapes.
The context reaches the emulator only through :class:`Host`, so no service module imports the
``Emulator`` class that dispatches to them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from personalize_api import make_arn
from personalize_api.model import service_model
from personalize_api.statuses import ACTIVE

from ..clock import Clock
from ..errors import LimitExceededException, ResourceInUseException, TooManyTagsException
from ..lifecycle import Job, Pool, Runner
from ..settings import Settings
from ..store import Row, Store

if TYPE_CHECKING:
    from ..training import Model

__all__ = [
    "MAX_TAGS",
    "Context",
    "Handler",
    "Host",
    "check_tags",
    "new_id",
    "project",
    "require_active",
]

MAX_TAGS = 200


class Host(Protocol):
    """The emulator as handlers see it: state, clock, workers, settings and loaded models."""

    store: Store
    runner: Runner
    settings: Settings
    data_dir: Path
    clock: Clock

    def model(self, version: Row) -> Model: ...


@dataclass(slots=True)
class Context:
    """One request: which emulator, account and region it addresses."""

    emulator: Host
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


def require_active(row: Row, label: str) -> None:
    """ResourceInUseException unless ``row`` is ACTIVE (AWS's answer for a resource not ready)."""
    status = row.body.get("status")
    if status != ACTIVE:
        raise ResourceInUseException(f"{label} {row.arn} is not ACTIVE (status: {status}).")
