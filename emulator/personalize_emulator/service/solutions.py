"""Solutions: create, describe, list, update (``latestSolutionUpdate``) and delete.

Solution versions (training) are in :mod:`.versions`; a solution's deletion removes its versions
and their model files (the version kind is declared in :mod:`.versions`, which depends on this one).
"""

from __future__ import annotations

from typing import Any

from personalize_api import AUTOML_RECIPES, recipe_by_arn
from personalize_api import resource_types as api
from personalize_api.statuses import CREATE_PENDING, CREATE_STOPPING, CREATING

from ..datafiles import remove_tree
from ..errors import InvalidInputException, ResourceInUseException
from ..store import Row
from .context import Context, check_tags, require_active
from .datasets import DATASET_GROUP
from .jobs import start_create, start_delete, start_update
from .kinds import Kind
from .pagination import list_page

__all__ = [
    "SOLUTION",
    "create_solution",
    "delete_solution",
    "describe_solution",
    "list_solutions",
    "update_solution",
]


def _check_trainable(p: dict[str, Any]) -> None:
    """InvalidInputException for a recipe the emulator cannot train, rather than a version that fails later.

    AutoML without ``autoMLConfig.recipeList`` searches every available USER_PERSONALIZATION recipe, so
    those are checked then.  Members may be JSON nulls: validation lets them through as "absent".
    """
    from ..training import supported_recipes

    supported = supported_recipes()
    automl = (p.get("solutionConfig") or {}).get("autoMLConfig") or {}
    default = [r.arn for r in AUTOML_RECIPES]
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
    group = DATASET_GROUP.require(ctx, p["datasetGroupArn"])
    require_active(group, "Dataset group")
    quotas = ctx.emulator.settings.quotas
    ctx.quota(SOLUTION.name, quotas.solutions, "solutions")
    ctx.quota(SOLUTION.name, quotas.solutions_per_dataset_group, "solutions in this dataset group", parent=group.arn)
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
    ctx.store.insert(arn=arn, kind=SOLUTION.name, account=ctx.account, region=ctx.region, name=p["name"],
                     parent=group.arn, body=body, tags=check_tags(p.get("tags")))
    start_create(ctx, SOLUTION, arn)
    return {"solutionArn": arn}


def describe_solution(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return SOLUTION.describe(ctx, p)


def list_solutions(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    return list_page(ctx, p, kind=SOLUTION.name, member="solutions", summary="SolutionSummary",
                     parent=p.get("datasetGroupArn"))


def update_solution(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    arn = p["solutionArn"]
    row = SOLUTION.require(ctx, arn)
    require_active(row, "Solution")
    if p.get("performIncrementalUpdate") is True:
        recipe = recipe_by_arn(row.body.get("recipeArn", ""))
        if recipe is None or recipe.name != "aws-semantic-similarity":
            raise InvalidInputException(
                "performIncrementalUpdate can be true only for aws-semantic-similarity solutions."
            )
    summary = {k: p[k] for k in ("solutionUpdateConfig", "performAutoTraining", "performIncrementalUpdate")
               if p.get(k) is not None}
    start_update(ctx, row, SOLUTION, "latestSolutionUpdate", summary)
    return {"solutionArn": arn}


def delete_solution(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["solutionArn"]
    row = SOLUTION.require(ctx, arn)
    if ctx.store.children(api.CAMPAIGN.kind, arn):
        raise ResourceInUseException(f"Solution {arn} has campaigns; delete them first.")
    versions = ctx.store.children(api.SOLUTION_VERSION.kind, arn)
    if any(v.body.get("status") in (*CREATING, CREATE_STOPPING) for v in versions):
        raise ResourceInUseException(f"Solution {arn} has a solution version in training; stop it or wait.")
    start_delete(ctx, row, SOLUTION)


def _apply_update(body: dict[str, Any], update: dict[str, Any]) -> None:
    for key in ("performAutoTraining", "performIncrementalUpdate"):
        if key in update:
            body[key] = update[key]
    config = dict(body.get("solutionConfig") or {})
    for key, value in (update.get("solutionUpdateConfig") or {}).items():
        config[key] = value
    if config:
        body["solutionConfig"] = config


def _solution_cleanup(ctx: Context, solution: Row) -> None:
    """A deleted solution's versions and their model files go with it."""
    store = ctx.store
    versions = store.children(api.SOLUTION_VERSION.kind, solution.arn)
    with store.write() as conn:
        for version in versions:
            store.remove(version.arn, conn)
    for version in versions:
        if version.internal.get("model_dir"):
            remove_tree(ctx.emulator.data_dir / version.internal["model_dir"])


SOLUTION = Kind(api.SOLUTION, cleanup=_solution_cleanup,
                updates={"latestSolutionUpdate": _apply_update})
