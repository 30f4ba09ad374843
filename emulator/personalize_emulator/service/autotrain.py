"""Automatic training: solutions with ``performAutoTraining`` get ``AUTOMATIC`` versions on a schedule.

What AWS documents (see README, "Automatic training"): ``performAutoTraining`` defaults to true;
``autoTrainingConfig.schedulingExpression`` is ``rate(N day|days)`` (default 7 days); the first run
starts within one hour of the solution becoming ACTIVE (or of an UpdateSolution turning it on),
unless a manual CreateSolutionVersion was made in that hour; a scheduled run happens only if
interaction data arrived since the last training.

What the emulator chose where AWS is silent: the first run is due exactly one hour after the
configuration took effect; later runs every N days after the previous due time; a changed rate
re-anchors the schedule at the update (next run N days after it); a run that finds one of the
solution's versions still training is skipped; automatic versions use ``trainingMode`` FULL.

The schedule lives in the store's ``meta`` table (``autotrain:<solutionArn>``), written in the same
transaction as the version it starts, so a restart never trains twice.  :func:`run_due` is one pass:
the emulator calls it from its scheduler thread and from ``Emulator.advance``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from personalize_api import resource_types as api
from personalize_api.statuses import ACTIVE, CREATING

from ..store import Row
from .context import Context
from .jobs import start_create
from .solutions import SOLUTION
from .versions import VERSION, insert_version

__all__ = ["DEFAULT_SCHEDULE", "FIRST_RUN_DELAY", "interval_seconds", "run_due"]

log = logging.getLogger(__name__)

#: The documented default of ``autoTrainingConfig.schedulingExpression``.
DEFAULT_SCHEDULE = "rate(7 days)"
#: The first automatic run starts "within one hour" of ACTIVE; the emulator takes the whole hour.
FIRST_RUN_DELAY = 3600.0
_RATE = re.compile(r"^rate\((\d+) days?\)$")
_DAY = 86400.0
#: How many solutions one pass looks at (far above the documented quotas).
_MAX_SOLUTIONS = 100_000


def interval_seconds(expression: str) -> float:
    """``rate(N days)`` in seconds (validation already enforced the pattern and 1 <= N <= 30)."""
    match = _RATE.match(expression)
    return (int(match.group(1)) if match else 7) * _DAY


def _wanted(body: dict[str, Any]) -> tuple[bool, str]:
    """Whether the solution trains automatically, and on which schedule."""
    config = (body.get("solutionConfig") or {}).get("autoTrainingConfig") or {}
    return body.get("performAutoTraining", True) is not False, config.get("schedulingExpression") or DEFAULT_SCHEDULE


def _key(arn: str) -> str:
    return f"autotrain:{arn}"


def _plan(solution: Row, state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The schedule after the solution's configuration changed (None when it is unchanged)."""
    enabled, expression = _wanted(solution.body)
    created = solution.body.get("creationDateTime")
    if state is not None and state.get("created") != created:
        state = None  # a deleted solution's schedule; this one has the same ARN
    if state is not None and (state["enabled"], state["expression"]) == (enabled, expression):
        return None
    # The configuration took effect when the solution (or its update) became ACTIVE: both stamp it.
    effective = float(solution.body.get("lastUpdatedDateTime") or created or 0.0)
    planned: dict[str, Any] = {"created": created, "enabled": enabled, "expression": expression,
                               "first": False, "since": effective, "nextDue": None}
    if not enabled:
        return planned
    if state is None or not state["enabled"]:
        planned.update(first=True, nextDue=effective + FIRST_RUN_DELAY)
    elif state.get("first"):
        planned.update(first=True, since=state["since"], nextDue=state["nextDue"])
    else:
        planned["nextDue"] = effective + interval_seconds(expression)
    return planned


def _data_mark(ctx: Context, group: str) -> tuple[int, float]:
    """What interaction data the dataset group has: newest PutEvents seq, newest finished import time."""
    imported = 0.0
    for dataset in ctx.store.children(api.DATASET.kind, group):
        if dataset.body.get("datasetType", "").upper() != "INTERACTIONS":
            continue
        for job in ctx.store.children(api.DATASET_IMPORT_JOB.kind, dataset.arn):
            if job.body.get("status") == ACTIVE:
                imported = max(imported, float(job.body.get("lastUpdatedDateTime") or 0.0))
    return ctx.store.last_event_seq(group), imported


def _skip_reason(ctx: Context, solution: Row, state: dict[str, Any]) -> str | None:
    """Why the due run does not train (None: it trains)."""
    versions = ctx.store.children(VERSION.name, solution.arn)
    if any(v.body.get("status") in CREATING for v in versions):
        return "a version of the solution is still training"
    if state["first"] and any(v.body.get("trainingType") == "MANUAL"
                              and state["since"] <= float(v.body["creationDateTime"]) < state["nextDue"]
                              for v in versions):
        return "a manual solution version was created in the first hour"
    events, imported = _data_mark(ctx, solution.body["datasetGroupArn"])
    if not events and not imported:
        return "the dataset group has no interaction data"
    trained = [v for v in versions if v.body.get("status") == ACTIVE]
    if trained:
        last = trained[-1]
        if events <= int(last.internal.get("event_seq", 0)) and imported <= float(last.body["creationDateTime"]):
            return "no new interaction data since the last training"
    return None


def _run(ctx: Context, arn: str, now: float) -> float | None:
    """Bring one solution's schedule up to date; start its version if one is due.  Its next due time."""
    started: str | None = None
    with ctx.store.write() as conn:
        solution = ctx.store.lock_row(conn, arn)
        if solution is None or solution.body.get("status") != ACTIVE:
            return None
        state = ctx.store.get_meta(_key(arn), conn)
        planned = _plan(solution, state)
        if planned is not None:
            state = planned
            ctx.store.set_meta(_key(arn), state, conn)
        assert state is not None
        if not state["enabled"] or state["nextDue"] > now:
            return state["nextDue"] if state["enabled"] else None
        due = state["nextDue"]
        reason = _skip_reason(ctx, solution, state)
        state = {**state, "first": False, "nextDue": due + interval_seconds(state["expression"])}
        if reason is None:
            started = insert_version(ctx, conn, solution, mode="FULL", training_type="AUTOMATIC")
            ctx.store.save(solution, conn)
        ctx.store.set_meta(_key(arn), state, conn)
    if started is not None:
        log.info("%s: automatic training started (%s)", arn, started)
        start_create(ctx, VERSION, started)
    else:
        log.info("%s: automatic training due at %.0f skipped: %s", arn, due, reason)
    return float(state["nextDue"])


def run_due(ctx: Context) -> float | None:
    """One pass over every solution: start what is due now; the earliest next due time (None: none)."""
    now = ctx.now()
    earliest: float | None = None
    solutions = ctx.store.of_kind(SOLUTION.name, limit=_MAX_SOLUTIONS)
    for solution in solutions:
        if solution.body.get("status") != ACTIVE:
            continue
        due = _run(ctx, solution.arn, now)
        if due is not None and (earliest is None or due < earliest):
            earliest = due
    known = {_key(s.arn) for s in solutions}
    stale = [key for key in ctx.store.meta_keys(_key("")) if key not in known]
    if stale:  # deleted solutions' schedules
        ctx.store.remove_meta(stale)
    return earliest
