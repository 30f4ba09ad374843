"""The predefined recipe catalogue: ListRecipes and DescribeRecipe (legacy recipes are not listed).

Custom recipes come first, then the domain use cases; ``domain`` keeps only that domain's use
cases, as ListRecipes documents ("if you don't specify a domain, all recipes are returned").
"""

from __future__ import annotations

from typing import Any

from personalize_api import DOMAIN_RECIPES, RECIPES, recipe_arn, recipe_by_arn, recipe_name_from_arn

from ..errors import not_found
from .context import Context
from .pagination import page_of

__all__ = ["describe_recipe", "list_recipes"]

_RECIPE_EPOCH = 1543536000.0  # 2018-11-30, when the predefined recipes were published
_DOMAIN_EPOCH = 1637020800.0  # 2021-11-16, when domain dataset groups were announced


def _recipe_body(name: str) -> dict[str, Any]:
    common = {
        "name": name, "recipeArn": recipe_arn(name), "algorithmArn": f"arn:aws:personalize:::algorithm/{name}",
        "status": "ACTIVE",
    }
    domain = DOMAIN_RECIPES.get(name)
    if domain is not None:
        # A use case's recipeType, algorithm and feature transformation are not documented: left out.
        return {**common, "description": f"The {domain} use case {name}.", "domain": domain,
                "creationDateTime": _DOMAIN_EPOCH, "lastUpdatedDateTime": _DOMAIN_EPOCH}
    recipe = RECIPES[name]
    return {
        **common, "featureTransformationArn": f"arn:aws:personalize:::feature-transformation/{name}",
        "description": recipe.description, "creationDateTime": _RECIPE_EPOCH,
        "recipeType": recipe.recipe_type, "lastUpdatedDateTime": _RECIPE_EPOCH,
    }


def describe_recipe(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    recipe = recipe_by_arn(p["recipeArn"])
    if recipe is not None and recipe.available:
        return {"recipe": _recipe_body(recipe.name)}
    name = recipe_name_from_arn(p["recipeArn"])
    if name in DOMAIN_RECIPES and recipe_arn(name) == p["recipeArn"]:
        body = _recipe_body(name)
        body.pop("domain")  # the Recipe shape has no domain member
        return {"recipe": body}
    raise not_found(p["recipeArn"])


def _names(domain: str | None) -> list[str]:
    if domain:
        return [name for name, its in DOMAIN_RECIPES.items() if its == domain]
    return [r.name for r in RECIPES.values() if r.available] + list(DOMAIN_RECIPES)


def list_recipes(ctx: Context, p: dict[str, Any]) -> dict[str, Any]:
    domain = p.get("domain")
    bodies = [_recipe_body(name) for name in _names(domain)]
    return page_of(bodies, p, scope=f"recipes|{domain or ''}", member="recipes", summary="RecipeSummary")
