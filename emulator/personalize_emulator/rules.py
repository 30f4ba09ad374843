"""The contract names the training package reads, under their old emulator path.

Training imports ``personalize_emulator.rules``; it is being reworked in parallel (issue 12 item 3),
so it keeps this path until then.  Everything else imports :mod:`personalize_api` directly.
"""

from __future__ import annotations

from personalize_api import AUTOML_METRICS, RECIPES, Recipe, recipe_by_arn

__all__ = ["AUTOML_METRICS", "RECIPES", "Recipe", "recipe_by_arn"]
