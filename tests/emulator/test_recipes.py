"""ListRecipes and DescribeRecipe: the documented catalogue, without the legacy recipes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from personalize_emulator.rules import RECIPES


def test_list_recipes_is_the_available_catalogue(aws: Any, kit: SimpleNamespace) -> None:
    recipes = aws.personalize.list_recipes()["recipes"]
    names = [r["name"] for r in recipes]
    assert names == [r.name for r in RECIPES.values() if r.available]
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
    assert exc.value.response["Error"]["Message"] == f"Recipe with ARN {kit.RECIPE}{name} does not exist."
