"""Solution versions: training on the ``training`` pool, stopping it, and the metrics it produced.

A version snapshots its solution's training fields when it is created.  A restart fails a version
caught training (its partial model is never published) and syncs the solution's
``latestSolutionVersion`` summary; a version that had not started yet simply starts.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from personalize_api import recipe_by_arn
from personalize_api import resource_types as api
from personalize_api.statuses import (
    ACTIVE,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    CREATING,
)

from ..datafiles import atomic_dir, publish_dir, remove_tree, training_data
from ..errors import InvalidInputException, ResourceInUseException
from ..lifecycle import Job, gate, move
from ..progress import TrainingProgress
from ..store import Row
from .context import Context, check_tags, new_id, project, require_active
from .datasets import dataset_parts
from .jobs import gate_here, start_create
from .kinds import Kind
from .pagination import list_page
from .solutions import SOLUTION

__all__ = [
    "VERSION",
    "create_solution_version",
    "describe_solution_version",
    "get_solution_metrics",
    "insert_version",
    "latest_active_version",
    "list_solution_versions",
    "stop_solution_version_creation",
]

log = logging.getLogger("personalize_emulator.training")

_SOLUTION_FIELDS = ("performHPO", "performAutoML", "performIncrementalUpdate", "recipeArn", "eventType",
                    "datasetGroupArn", "solutionConfig")


def create_solution_version(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    solution = SOLUTION.require(ctx, p["solutionArn"])
    require_active(solution, "Solution")
    mode = p.get("trainingMode") or "FULL"
    previous = latest_active_version(ctx, solution.arn, full_only=True)
    if mode == "UPDATE":
        recipe = recipe_by_arn(solution.body.get("recipeArn", ""))
        if recipe is None or recipe.name not in ("aws-user-personalization", "aws-hrnn-coldstart"):
            raise InvalidInputException("trainingMode UPDATE is supported only by aws-user-personalization solutions.")
        if previous is None:
            raise InvalidInputException(
                "trainingMode UPDATE needs an ACTIVE solution version trained with trainingMode FULL first."
            )
    ctx.quota(VERSION.name, ctx.emulator.settings.quotas.solution_versions_in_progress,
              "pending or in-progress solution versions", statuses=CREATING)
    with ctx.store.write() as conn:
        current = ctx.store.lock_row(conn, solution.arn)
        assert current is not None
        arn = insert_version(ctx, conn, current, mode=mode, training_type="MANUAL", name=p.get("name"),
                             tags=check_tags(p.get("tags")),
                             previous=previous.arn if previous and mode == "UPDATE" else None)
        ctx.store.save(current, conn)
    start_create(ctx, VERSION, arn)
    return {"solutionVersionArn": arn}


def insert_version(ctx: Context, conn: sqlite3.Connection, solution: Row, *, mode: str, training_type: str,
                   name: str | None = None, tags: Sequence[Mapping[str, str]] = (),
                   previous: str | None = None) -> str:
    """Record a new CREATE PENDING version of ``solution`` (a row locked in ``conn``) and its summary.

    The caller saves ``solution`` in the same transaction and then starts the job
    (``start_create(ctx, VERSION, arn)``): automatic training writes its next due time in that
    transaction too, so a crash can never record a run without its version, or the reverse.
    """
    version_id = new_id()
    arn = f"{solution.arn}/{version_id}"
    now = ctx.now()
    body: dict[str, Any] = {k: solution.body[k] for k in _SOLUTION_FIELDS if k in solution.body}
    body.update({
        "solutionVersionArn": arn, "solutionArn": solution.arn, "trainingMode": mode, "trainingType": training_type,
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    })
    if name:
        body["name"] = name
    ctx.store.insert(arn=arn, kind=VERSION.name, account=solution_account(solution), region=arn.split(":")[3],
                     name=f"{solution.name}/{version_id}", parent=solution.arn, body=body,
                     internal={"previous": previous}, tags=tags, conn=conn)
    solution.body["latestSolutionVersion"] = project(body, "SolutionVersionSummary")
    return arn


def solution_account(solution: Row) -> str:
    """The account id in a solution's ARN (automatic versions have no request to take it from)."""
    return solution.arn.split(":")[4]


def latest_active_version(ctx: Context, solution_arn: str, *, full_only: bool = False) -> Row | None:
    """The newest ACTIVE version of a solution (trained with trainingMode FULL, if ``full_only``)."""
    versions = [v for v in ctx.store.children(VERSION.name, solution_arn)
                if v.body.get("status") == ACTIVE and not (full_only and v.body.get("trainingMode") == "UPDATE")]
    return versions[-1] if versions else None


def describe_solution_version(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return VERSION.describe(ctx, p)


def list_solution_versions(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=VERSION.name, member="solutionVersions", summary="SolutionVersionSummary",
                     parent=p.get("solutionArn"))


def stop_solution_version_creation(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["solutionVersionArn"]
    VERSION.require(ctx, arn)
    with ctx.store.write() as conn:
        row = ctx.store.lock_row(conn, arn)
        assert row is not None
        status = row.body.get("status")
        if status == CREATE_PENDING:
            move(row.body, CREATE_STOPPED, ctx.now())
        elif status == CREATE_IN_PROGRESS:
            move(row.body, CREATE_STOPPING, ctx.now())
        else:
            raise ResourceInUseException(
                f"Solution version {arn} can be stopped only while CREATE PENDING or CREATE IN_PROGRESS "
                f"(status: {status})."
            )
        ctx.store.save(row, conn)
        _sync_latest(ctx, conn, row)


def _sync_latest(ctx: Context, conn: sqlite3.Connection, version: Row) -> None:
    """The solution's ``latestSolutionVersion`` summary follows its newest version's status."""
    solution = ctx.store.lock_row(conn, version.body["solutionArn"])
    if solution is not None and solution.body.get("latestSolutionVersion", {}).get("solutionVersionArn") == version.arn:
        solution.body["latestSolutionVersion"] = project(version.body, "SolutionVersionSummary")
        ctx.store.save(solution, conn)


def get_solution_metrics(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    row = VERSION.require(ctx, p["solutionVersionArn"])
    require_active(row, "Solution version")
    return {"solutionVersionArn": row.arn, "metrics": row.internal.get("metrics", {})}


def _finish(ctx: Context, arn: str, status: str, *, failure: str | None = None,
            updates: dict[str, Any] | None = None, internal: dict[str, Any] | None = None,
            best_recipe_arn: str | None = None) -> None:
    """End the version in ``status``; an AutoML version also records its winner on the solution."""
    with ctx.store.write() as conn:
        row = ctx.store.lock_row(conn, arn)
        if row is None:
            return
        if row.body.get("status") == CREATE_STOPPING and status != CREATE_STOPPED:
            status, failure = CREATE_STOPPED, None
        move(row.body, status, ctx.now(), failure=failure)
        row.body.update(updates or {})
        row.internal.update(internal or {})
        ctx.store.save(row, conn)
        _sync_latest(ctx, conn, row)
        if best_recipe_arn:
            solution = ctx.store.lock_row(conn, row.body["solutionArn"])
            if solution is not None:
                solution.body["autoMLResult"] = {"bestRecipeArn": best_recipe_arn}
                ctx.store.save(solution, conn)


def _train(ctx: Context, row: Row, final: Path, should_stop: Any) -> tuple[Any, int]:
    """Gather the dataset group's data and train into a temporary directory published as ``final``."""
    from ..training import TrainingError, TrainingJob, train

    emulator = ctx.emulator
    group = row.body["datasetGroupArn"]
    parts = dataset_parts(ctx, group)
    if not parts.get("INTERACTIONS", (None, []))[1]:
        raise TrainingError(
            "The dataset group has no imported item interactions: create an Interactions dataset "
            "and import data into it first."
        )
    event_seq = ctx.store.last_event_seq(group)
    data = training_data(parts, ctx.store.events(group))
    previous = row.internal.get("previous")
    previous_row = ctx.store.get(previous) if previous else None
    # The version's own snapshot of the solution (taken at CreateSolutionVersion): an UpdateSolution
    # accepted while this version waits must not change what it trains.
    params = {k: v for k, v in row.body.items() if k in _SOLUTION_FIELDS}
    settings = emulator.settings
    recorder = TrainingProgress(ctx.store, row.arn, ctx.now)
    spec = TrainingJob(
        recipe_arn=row.body.get("recipeArn"), solution=params,
        training_mode="UPDATE" if row.body.get("trainingMode") == "UPDATE" else "FULL",
        previous_model_dir=(emulator.data_dir / previous_row.internal["model_dir"]) if previous_row else None,
        seed=settings.seed, threads=settings.training_threads,
        progress=recorder.line, report=recorder.fact, should_stop=should_stop,
    )
    temp = atomic_dir(final)
    try:
        outcome = train(spec, data, temp)
        publish_dir(temp, final)
    finally:
        remove_tree(temp)
    return outcome, event_seq


def _training_job(ctx: Context, arn: str) -> Job:
    from ..training import TrainingError, TrainingStopped

    emulator = ctx.emulator

    def should_stop() -> bool:
        row = ctx.store.get(arn)
        return emulator.runner.stopping or row is None or row.body.get("status") == CREATE_STOPPING

    def job() -> Any:
        yield gate(arn, CREATE_PENDING)
        with ctx.store.write() as conn:
            row = ctx.store.lock_row(conn, arn)
            if row is None or row.body.get("status") != CREATE_PENDING:
                return
            move(row.body, CREATE_IN_PROGRESS, ctx.now())
            ctx.store.save(row, conn)
            _sync_latest(ctx, conn, row)
        yield
        started = ctx.now()
        final = emulator.data_dir / "models" / arn.rsplit("/", 1)[-1]
        try:
            outcome, event_seq = _train(ctx, row, final, should_stop)
        except TrainingStopped as exc:
            shutdown = emulator.runner.stopping
            reason = "The emulator shut down during training; create the solution version again." if shutdown else None
            _finish(ctx, arn, CREATE_FAILED if shutdown else CREATE_STOPPED, failure=reason)
            log.info("%s: stopped (%s)", arn, exc)
            yield
            return
        except TrainingError as exc:
            yield gate_here(ctx, arn)
            _finish(ctx, arn, CREATE_FAILED, failure=str(exc))
            yield
            return
        except Exception as exc:  # a bug in training must still end the version, with a reason
            log.exception("%s: training failed", arn)
            yield gate_here(ctx, arn)
            _finish(ctx, arn, CREATE_FAILED, failure=f"Training failed unexpectedly: {exc}")
            yield
            return
        updates: dict[str, Any] = {"trainingHours": round((ctx.now() - started) / 3600.0, 6)}
        if outcome.tuned_hpo_params:
            updates["tunedHPOParams"] = outcome.tuned_hpo_params
        yield gate_here(ctx, arn)
        _finish(ctx, arn, ACTIVE, updates=updates, best_recipe_arn=outcome.best_recipe_arn,
                internal={"model_dir": str(final.relative_to(emulator.data_dir)), "metrics": outcome.metrics,
                          "event_seq": event_seq, "recipe_arn": outcome.recipe_arn})
        yield

    return job


VERSION = Kind(api.SOLUTION_VERSION, create=_training_job, pool="training", resumable=False, interrupted=_sync_latest)
