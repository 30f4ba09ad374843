"""Solutions, solution versions (training) and solution metrics."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..datafiles import atomic_dir, publish_dir, remove_tree, training_data
from ..errors import InvalidInputException, ResourceInUseException
from ..lifecycle import (
    ACTIVE,
    CREATE_FAILED,
    CREATE_IN_PROGRESS,
    CREATE_PENDING,
    CREATE_STOPPED,
    CREATE_STOPPING,
    Job,
    gate,
    move,
)
from ..progress import TrainingProgress
from ..rules import RECIPES, recipe_by_arn
from ..store import Row
from .common import (
    CREATING,
    UPDATES,
    Context,
    activate_job,
    check_tags,
    gate_here,
    list_page,
    new_id,
    project,
    require_active,
    start_delete,
    start_update,
)
from .datasets import DSG, dataset_parts

__all__ = [
    "create_solution",
    "create_solution_version",
    "delete_solution",
    "describe_solution",
    "describe_solution_version",
    "get_solution_metrics",
    "latest_active_version",
    "list_solution_versions",
    "list_solutions",
    "stop_solution_version_creation",
    "update_solution",
]

log = logging.getLogger("personalize_emulator.training")

SOLUTION, VERSION = "solution", "solution-version"
_SOLUTION_FIELDS = ("performHPO", "performAutoML", "performIncrementalUpdate", "recipeArn", "eventType",
                    "datasetGroupArn", "solutionConfig")


def _check_trainable(p: dict[str, Any]) -> None:
    """InvalidInputException for a recipe the emulator cannot train, rather than a version that fails later.

    AutoML without ``autoMLConfig.recipeList`` searches every available USER_PERSONALIZATION recipe, so
    those are checked then.  Members may be JSON nulls: validation lets them through as "absent".
    """
    from ..training import supported_recipes

    supported = supported_recipes()
    automl = (p.get("solutionConfig") or {}).get("autoMLConfig") or {}
    default = [r.arn for r in RECIPES.values() if r.available and r.recipe_type == "USER_PERSONALIZATION"]
    arns = [p["recipeArn"]] if p.get("recipeArn") else list(automl.get("recipeList") or default)
    for arn in arns:
        recipe = recipe_by_arn(arn)
        if recipe is not None and recipe.name not in supported:
            raise InvalidInputException(
                f"The emulator does not support the recipe {recipe.name} yet; it trains: "
                f"{', '.join(sorted(supported))}."
            )


# -- solutions --------------------------------------------------------------------------------------
def create_solution(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    _check_trainable(p)
    group = ctx.store.require(p["datasetGroupArn"], DSG, "Dataset group")
    require_active(group, "Dataset group")
    quotas = ctx.emulator.settings.quotas
    ctx.quota(SOLUTION, quotas.solutions, "solutions")
    ctx.quota(SOLUTION, quotas.solutions_per_dataset_group, "solutions in this dataset group", parent=group.arn)
    arn = ctx.arn(f"solution/{p['name']}")
    now = ctx.now()
    automl = bool(p.get("performAutoML"))
    body: dict[str, Any] = {
        "name": p["name"], "solutionArn": arn, "performHPO": True if automl else bool(p.get("performHPO")),
        "performAutoML": automl, "performAutoTraining": p.get("performAutoTraining", True),
        "performIncrementalUpdate": p.get("performIncrementalUpdate"), "recipeArn": p.get("recipeArn"),
        "datasetGroupArn": group.arn, "eventType": p.get("eventType"), "solutionConfig": p.get("solutionConfig"),
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    }
    body = {k: v for k, v in body.items() if v is not None}
    ctx.store.insert(arn=arn, kind=SOLUTION, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, tags=check_tags(p.get("tags")))
    ctx.submit(activate_job(ctx, arn))
    return {"solutionArn": arn}


def describe_solution(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"solution": ctx.store.require(p["solutionArn"], SOLUTION, "Solution").body}


def list_solutions(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=SOLUTION, member="solutions", summary="SolutionSummary",
                     parent=p.get("datasetGroupArn"))


def update_solution(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["solutionArn"]
    row = ctx.store.require(arn, SOLUTION, "Solution")
    require_active(row, "Solution")
    if p.get("performIncrementalUpdate") is True:
        recipe = recipe_by_arn(row.body.get("recipeArn", ""))
        if recipe is None or recipe.name != "aws-semantic-similarity":
            raise InvalidInputException(
                "performIncrementalUpdate can be true only for aws-semantic-similarity solutions."
            )
    summary = {k: p[k] for k in ("solutionUpdateConfig", "performAutoTraining", "performIncrementalUpdate")
               if p.get(k) is not None}
    start_update(ctx, row, "latestSolutionUpdate", summary)
    return {"solutionArn": arn}


def _apply_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    for key in ("performAutoTraining", "performIncrementalUpdate"):
        if key in update:
            body[key] = update[key]
    config = dict(body.get("solutionConfig") or {})
    for key, value in (update.get("solutionUpdateConfig") or {}).items():
        config[key] = value
    if config:
        body["solutionConfig"] = config


UPDATES["latestSolutionUpdate"] = _apply_update


def delete_solution(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["solutionArn"]
    row = ctx.store.require(arn, SOLUTION, "Solution")
    if ctx.store.children("campaign", arn):
        raise ResourceInUseException(f"Solution {arn} has campaigns; delete them first.")
    versions = ctx.store.children(VERSION, arn)
    if any(v.body.get("status") in (*CREATING, CREATE_STOPPING) for v in versions):
        raise ResourceInUseException(f"Solution {arn} has a solution version in training; stop it or wait.")
    start_delete(ctx, row, _solution_cleanup(ctx))


def _solution_cleanup(ctx: Context) -> Callable[[Row], None]:
    """A deleted solution's versions and their model files go with it."""
    store, data_dir = ctx.store, ctx.emulator.data_dir

    def cleanup(solution: Row) -> None:
        versions = store.children(VERSION, solution.arn)
        with store.write() as conn:
            for version in versions:
                store.remove(version.arn, conn)
        for version in versions:
            if version.internal.get("model_dir"):
                remove_tree(data_dir / version.internal["model_dir"])

    return cleanup


# -- solution versions ------------------------------------------------------------------------------
def create_solution_version(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    solution = ctx.store.require(p["solutionArn"], SOLUTION, "Solution")
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
    ctx.quota(VERSION, ctx.emulator.settings.quotas.solution_versions_in_progress,
              "pending or in-progress solution versions", statuses=CREATING)
    version_id = new_id()
    arn = f"{solution.arn}/{version_id}"
    now = ctx.now()
    body: dict[str, Any] = {k: solution.body[k] for k in _SOLUTION_FIELDS if k in solution.body}
    body.update({
        "solutionVersionArn": arn, "solutionArn": solution.arn, "trainingMode": mode, "trainingType": "MANUAL",
        "status": CREATE_PENDING, "creationDateTime": now, "lastUpdatedDateTime": now,
    })
    if p.get("name"):
        body["name"] = p["name"]
    internal = {"previous": previous.arn if previous and mode == "UPDATE" else None}
    with ctx.store.write() as conn:
        ctx.store.insert(arn=arn, kind=VERSION, account=ctx.account, region=ctx.region,
                         name=f"{solution.name}/{version_id}", parent=solution.arn, body=body, internal=internal,
                         tags=check_tags(p.get("tags")), conn=conn)
        current = ctx.store.lock_row(conn, solution.arn)
        assert current is not None
        current.body["latestSolutionVersion"] = project(body, "SolutionVersionSummary")
        ctx.store.save(current, conn)
    ctx.submit(_training_job(ctx, arn), pool="training")
    return {"solutionVersionArn": arn}


def latest_active_version(ctx: Context, solution_arn: str, *, full_only: bool = False) -> Row | None:
    """The newest ACTIVE version of a solution (trained with trainingMode FULL, if ``full_only``)."""
    versions = [v for v in ctx.store.children(VERSION, solution_arn)
                if v.body.get("status") == ACTIVE and not (full_only and v.body.get("trainingMode") == "UPDATE")]
    return versions[-1] if versions else None


def describe_solution_version(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return {"solutionVersion": ctx.store.require(p["solutionVersionArn"], VERSION, "Solution version").body}


def list_solution_versions(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=VERSION, member="solutionVersions", summary="SolutionVersionSummary",
                     parent=p.get("solutionArn"))


def stop_solution_version_creation(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["solutionVersionArn"]
    ctx.store.require(arn, VERSION, "Solution version")
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


def _sync_latest(ctx: Context, conn: Any, version: Row) -> None:
    solution = ctx.store.lock_row(conn, version.body["solutionArn"])
    if solution is not None and solution.body.get("latestSolutionVersion", {}).get("solutionVersionArn") == version.arn:
        solution.body["latestSolutionVersion"] = project(version.body, "SolutionVersionSummary")
        ctx.store.save(solution, conn)


def get_solution_metrics(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    row = ctx.store.require(p["solutionVersionArn"], VERSION, "Solution version")
    require_active(row, "Solution version")
    return {"solutionVersionArn": row.arn, "metrics": row.internal.get("metrics", {})}


def _finish(ctx: Context, arn: str, status: str, *, failure: str | None = None,
            updates: dict[str, Any] | None = None, internal: dict[str, Any] | None = None) -> None:
    updates = dict(updates or {})
    best = updates.pop("_best", None)
    with ctx.store.write() as conn:
        row = ctx.store.lock_row(conn, arn)
        if row is None:
            return
        if row.body.get("status") == CREATE_STOPPING and status != CREATE_STOPPED:
            status, failure = CREATE_STOPPED, None
        move(row.body, status, ctx.now(), failure=failure)
        row.body.update(updates)
        row.internal.update(internal or {})
        ctx.store.save(row, conn)
        _sync_latest(ctx, conn, row)
        if best:
            solution = ctx.store.lock_row(conn, row.body["solutionArn"])
            if solution is not None:
                solution.body["autoMLResult"] = {"bestRecipeArn": best}
                ctx.store.save(solution, conn)


def _train(ctx: Context, row: Row, final: Any, should_stop: Any) -> tuple[Any, int]:
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
    solution = ctx.store.get(row.body["solutionArn"])
    params = {k: v for k, v in (solution.body if solution else row.body).items() if k in _SOLUTION_FIELDS}
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
        if outcome.best_recipe_arn:
            updates["_best"] = outcome.best_recipe_arn
        yield gate_here(ctx, arn)
        _finish(ctx, arn, ACTIVE, updates=updates,
                internal={"model_dir": str(final.relative_to(emulator.data_dir)), "metrics": outcome.metrics,
                          "event_seq": event_seq, "recipe_arn": outcome.recipe_arn})
        yield

    return job
