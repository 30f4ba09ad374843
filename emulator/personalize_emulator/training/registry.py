"""Which recipes this emulator trains, and the engine that trains each.

Recipes absent from :data:`ENGINES` (aws-semantic-similarity, aws-next-best-action, the
USER_SEGMENTATION recipes, legacy HRNN) are not in :func:`supported_recipes`; the control plane
answers InvalidInputException for them. Engines load on demand so importing the training package
stays cheap.
"""

from __future__ import annotations

import importlib

from personalize_api import RECIPES, Recipe, recipe_by_arn

from .engine import Engine
from .errors import TrainingError

__all__ = ["ENGINES", "engine_for", "resolve_recipe", "supported_recipes"]

#: recipe name -> "module:Class" of its engine
ENGINES: dict[str, str] = {
    "aws-popularity-count": "personalize_emulator.training.popular:PopularityEngine",
    "aws-trending-now": "personalize_emulator.training.popular:TrendingEngine",
    "aws-sims": "personalize_emulator.training.related:SimsEngine",
    "aws-similar-items": "personalize_emulator.training.related:SimilarItemsEngine",
    "aws-user-personalization": "personalize_emulator.training.personal:PersonalEngine",
    "aws-user-personalization-v2": "personalize_emulator.training.personal:PersonalEngine",
    "aws-personalized-ranking": "personalize_emulator.training.personal:PersonalEngine",
    "aws-personalized-ranking-v2": "personalize_emulator.training.personal:PersonalEngine",
}


def supported_recipes() -> frozenset[str]:
    """Names of the recipes this emulator can train."""
    return frozenset(name for name in ENGINES if name in RECIPES)


def resolve_recipe(arn: str) -> Recipe:
    recipe = recipe_by_arn(arn)
    if recipe is None or recipe.name not in ENGINES:
        supported = ", ".join(sorted(supported_recipes()))
        raise TrainingError(f"The emulator cannot train {arn}; it trains {supported}.")
    return recipe


def engine_for(recipe: Recipe) -> Engine:
    module_name, class_name = ENGINES[recipe.name].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    engine: Engine = cls(recipe.recipe_type) if recipe.recipe_type in {"USER_PERSONALIZATION",
                                                                        "PERSONALIZED_RANKING"} else cls()
    return engine
