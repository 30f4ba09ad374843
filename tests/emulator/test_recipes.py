"""ListRecipes and DescribeRecipe: the documented catalogue, without the legacy recipes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from personalize_api import DOMAIN_RECIPES, RECIPES


def test_list_recipes_is_the_available_catalogue(aws: Any, kit: SimpleNamespace) -> None:
    """Without ``domain`` ListRecipes returns every recipe: the custom ones and the domain use cases."""
    recipes = aws.personalize.list_recipes()["recipes"]
    names = [r["name"] for r in recipes]
    assert names == [r.name for r in RECIPES.values() if r.available] + list(DOMAIN_RECIPES)
    assert "aws-hrnn" not in names
    popularity = next(r for r in recipes if r["name"] == "aws-popularity-count")
    assert popularity["recipeArn"] == kit.POPULARITY and popularity["status"] == "ACTIVE"


def test_describe_recipe(aws: Any, kit: SimpleNamespace) -> None:
    recipe = aws.personalize.describe_recipe(recipeArn=kit.RECIPE + "aws-sims")["recipe"]
    assert recipe["name"] == "aws-sims" and recipe["recipeType"] == "RELATED_ITEMS"
    assert recipe["algorithmArn"] == "arn:aws:personalize:::algorithm/aws-sims"
    assert recipe["featureTransformationArn"] == "arn:aws:personalize:::feature-transformation/aws-sims"
    assert recipe["description"]


@pytest.mark.parametrize("name", ["aws-hrnn", "aws-nothing"])
def test_describe_unknown_or_legacy_recipe(aws: Any, kit: SimpleNamespace, name: str) -> None:
    with pytest.raises(aws.personalize.exceptions.ResourceNotFoundException) as exc:
        aws.personalize.describe_recipe(recipeArn=kit.RECIPE + name)
    assert exc.value.response["Error"]["Message"] == f"Resource Arn {kit.RECIPE}{name} does not exist."


@pytest.mark.parametrize(("domain", "prefix", "count"),
                         [("ECOMMERCE", "aws-ecomm-", 5), ("VIDEO_ON_DEMAND", "aws-vod-", 5)])
def test_list_recipes_filters_by_domain(aws: Any, domain: str, prefix: str, count: int) -> None:
    """``domain`` keeps only that domain's use cases (it used to return the custom recipes)."""
    recipes = aws.personalize.list_recipes(domain=domain)["recipes"]
    assert len(recipes) == count
    assert all(r["name"].startswith(prefix) and r["domain"] == domain for r in recipes)
    paged = aws.personalize.list_recipes(domain=domain, maxResults=2)
    assert [r["name"] for r in paged["recipes"]] == [r["name"] for r in recipes[:2]]
    rest = aws.personalize.list_recipes(domain=domain, nextToken=paged["nextToken"])["recipes"]
    assert [r["name"] for r in rest][:1] == [recipes[2]["name"]]


def test_describe_a_domain_recipe(aws: Any, kit: SimpleNamespace) -> None:
    recipe = aws.personalize.describe_recipe(recipeArn=kit.RECIPE + "aws-vod-top-picks")["recipe"]
    assert recipe["name"] == "aws-vod-top-picks" and recipe["status"] == "ACTIVE"
