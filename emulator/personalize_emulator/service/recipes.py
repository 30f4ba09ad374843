"""The predefined recipe catalogue: ListRecipes and DescribeRecipe (legacy recipes are not listed)."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidNextTokenException, ResourceNotFoundException
from ..rules import RECIPES, recipe_by_arn
from .common import Context, project

__all__ = ["describe_recipe", "list_recipes"]

_RECIPE_EPOCH = 1543536000.0  # 2018-11-30, when the predefined recipes were published


def _recipe_body(name: str) -> dict[str, Any]:
    recipe = RECIPES[name]
    return {
        "name": recipe.name, "recipeArn": recipe.arn, "algorithmArn": f"arn:aws:personalize:::algorithm/{name}",
        "featureTransformationArn": f"arn:aws:personalize:::feature-transformation/{name}",
        "status": "ACTIVE", "description": recipe.description, "creationDateTime": _RECIPE_EPOCH,
        "recipeType": recipe.recipe_type, "lastUpdatedDateTime": _RECIPE_EPOCH,
    }


def describe_recipe(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    recipe = recipe_by_arn(p["recipeArn"])
    if recipe is None or not recipe.available:
        raise ResourceNotFoundException(f"Recipe with ARN {p['recipeArn']} does not exist.")
    return {"recipe": _recipe_body(recipe.name)}


def list_recipes(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    names = [r.name for r in RECIPES.values() if r.available]
    token = p.get("nextToken")
    start = 0
    if token:
        if not token.startswith("recipes-") or not token[8:].isdigit():
            raise InvalidNextTokenException("The nextToken is not valid for this request.")
        start = int(token[8:])
    limit = int(p.get("maxResults") or 100)
    page = names[start:start + limit]
    result: dict[str, Any] = {"recipes": [project(_recipe_body(n), "RecipeSummary") for n in page]}
    if start + limit < len(names):
        result["nextToken"] = f"recipes-{start + limit}"
    return result
