"""The predefined recipe catalogue: names, types and documented hyperparameters.

botocore's model carries no recipe list, so it is written here once (from the Amazon Personalize
Developer Guide, see ``shared/reference/personalize-api.md``) and used by the provider's ``check``,
the emulator's request validation, ListRecipes/DescribeRecipe and the training core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .numbers import parse_decimal

__all__ = [
    "AUTOML_RECIPES",
    "DOMAIN_RECIPES",
    "OBJECTIVE_RECIPE_TYPES",
    "RECIPES",
    "RECIPE_ARN_PREFIX",
    "UNSCORED_RECIPES",
    "HyperParameter",
    "Recipe",
    "recipe_arn",
    "recipe_by_arn",
    "recipe_name_from_arn",
]

RECIPE_ARN_PREFIX = "arn:aws:personalize:::recipe/"

#: Recipe types whose solutions accept ``solutionConfig.optimizationObjective``.
OBJECTIVE_RECIPE_TYPES = frozenset({"USER_PERSONALIZATION", "PERSONALIZED_RANKING"})

#: Recipes whose recommendations carry no ``score`` (Developer Guide, "How recommendation scoring
#: works": SIMS, Similar-Items, Popularity-Count and domain recommenders return none).  Whether
#: Trending-Now and Semantic-Similarity return scores is not documented; the emulator keeps them.
UNSCORED_RECIPES = frozenset({"aws-sims", "aws-similar-items", "aws-popularity-count"})

Kind = Literal["integer", "continuous", "categorical"]


@dataclass(frozen=True, slots=True)
class HyperParameter:
    """One documented hyperparameter. ``tunable`` means HPO may search it."""

    name: str
    kind: Kind
    default: str
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    tunable: bool = False

    def allowed(self) -> str:
        """What the documentation allows, as a phrase for error messages."""
        if self.kind == "categorical":
            return "one of " + ", ".join(self.values)
        noun = "an integer" if self.kind == "integer" else "a number"
        return f"{noun} in [{_num(self.min)}, {_num(self.max)}]"

    @property
    def boolean(self) -> bool:
        """A true/false switch: AWS spells these both ways (the guide's ``"recency_mask": "true"``,
        DescribeSolutionVersion's ``"false"``, the recipe table's ``True``), so case does not matter."""
        return self.kind == "categorical" and {v.lower() for v in self.values} == {"true", "false"}

    def accepts(self, value: str) -> bool:
        """Whether the string ``value`` (hyperparameters are strings on the wire) is allowed."""
        if self.boolean:
            return value.lower() in ("true", "false")
        if self.kind == "categorical":
            return value in self.values
        number = parse_decimal(value)
        if number is None:
            return False
        if self.kind == "integer" and not number.is_integer():
            return False
        low = self.min if self.min is not None else float("-inf")
        high = self.max if self.max is not None else float("inf")
        return low <= number <= high


def _num(value: float | None) -> str:
    if value is None:
        return "any"
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True, slots=True)
class Recipe:
    """A predefined recipe. ``available`` is false for the legacy recipes AWS no longer offers."""

    name: str
    recipe_type: str
    description: str
    hyperparameters: tuple[HyperParameter, ...] = ()
    feature_transformation: dict[str, tuple[str, ...]] = field(default_factory=dict)
    available: bool = True

    @property
    def arn(self) -> str:
        return recipe_arn(self.name)

    def hyperparameter(self, name: str) -> HyperParameter | None:
        return next((hp for hp in self.hyperparameters if hp.name == name), None)

    def defaults(self) -> dict[str, str]:
        return {hp.name: hp.default for hp in self.hyperparameters}


def _int(name: str, default: int, low: int, high: int, *, tunable: bool) -> HyperParameter:
    return HyperParameter(name, "integer", str(default), low, high, tunable=tunable)


def _cont(name: str, default: float, low: float, high: float | None, *, tunable: bool) -> HyperParameter:
    return HyperParameter(name, "continuous", str(default), low, high, tunable=tunable)


def _cat(name: str, default: str, values: tuple[str, ...], *, tunable: bool) -> HyperParameter:
    return HyperParameter(name, "categorical", default, values=values, tunable=tunable)


_HISTORY = (
    _cont("min_user_history_length_percentile", 0.0, 0.0, 1.0, tunable=False),
    _cont("max_user_history_length_percentile", 0.99, 0.0, 1.0, tunable=False),
)
_RECENCY_MASK = _cat("recency_mask", "True", ("True", "False"), tunable=True)
_RECENCY_BIAS = _cat("apply_recency_bias", "true", ("true", "false"), tunable=False)
#: The v1 user-personalization and personalized-ranking recipes document the same hyperparameters.
_HRNN = (
    _int("hidden_dimension", 149, 32, 256, tunable=True),
    _int("bptt", 32, 2, 32, tunable=True),
    _RECENCY_MASK,
    *_HISTORY,
)

RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe(
            "aws-user-personalization-v2",
            "USER_PERSONALIZATION",
            "Personalized recommendations for users from their interaction history (v2).",
            (_RECENCY_BIAS,),
        ),
        Recipe(
            "aws-user-personalization",
            "USER_PERSONALIZATION",
            "Personalized recommendations for users, with exploration of new items.",
            _HRNN,
        ),
        Recipe(
            "aws-personalized-ranking-v2",
            "PERSONALIZED_RANKING",
            "Ranks a given list of items for a user (v2).",
            (_RECENCY_BIAS,),
        ),
        Recipe(
            "aws-personalized-ranking",
            "PERSONALIZED_RANKING",
            "Ranks a given list of items for a user.",
            _HRNN,
        ),
        Recipe(
            "aws-trending-now",
            "POPULAR_ITEMS",
            "Items whose popularity grows fastest.",
            feature_transformation={
                "trend_discovery_frequency": ("30 minutes", "1 hour", "2 hours", "3 hours", "1 day"),
            },
        ),
        Recipe("aws-popularity-count", "POPULAR_ITEMS", "The most popular items by interaction count."),
        Recipe(
            "aws-similar-items",
            "RELATED_ITEMS",
            "Items similar to a given item, from co-interactions and item metadata.",
            (
                _int("item_id_hidden_dim", 100, 30, 200, tunable=True),
                _int("item_metadata_hidden_dim", 100, 30, 200, tunable=True),
            ),
        ),
        Recipe(
            "aws-sims",
            "RELATED_ITEMS",
            "Items that users interact with together (item-to-item collaborative filtering).",
            (
                _cont("popularity_discount_factor", 0.5, 0.0, 1.0, tunable=True),
                _int("min_cointeraction_count", 3, 0, 10, tunable=True),
                _cont("min_user_history_length_percentile", 0.005, 0.0, 1.0, tunable=False),
                _cont("max_user_history_length_percentile", 0.995, 0.0, 1.0, tunable=False),
                _cont("min_item_interaction_count_percentile", 0.01, 0.0, 1.0, tunable=False),
                _cont("max_item_interaction_count_percentile", 0.9, 0.0, 1.0, tunable=False),
            ),
        ),
        Recipe(
            "aws-semantic-similarity",
            "RELATED_ITEMS",
            "Items semantically similar to a given item, from item text metadata.",
        ),
        Recipe(
            "aws-next-best-action",
            "PERSONALIZED_ACTIONS",
            "The next best actions for a user.",
            (_int("action_optimization_period", 14, 7, 28, tunable=False),),
        ),
        Recipe(
            "aws-item-affinity",
            "USER_SEGMENTATION",
            "Segments of users likely to interact with given items.",
            (_int("hidden_dimension", 149, 32, 256, tunable=False),),
        ),
        Recipe(
            "aws-item-attribute-affinity",
            "USER_SEGMENTATION",
            "Segments of users likely to interact with items of given attributes.",
            (_int("hidden_dimension", 149, 32, 256, tunable=False),),
        ),
        Recipe(
            "aws-hrnn",
            "USER_PERSONALIZATION",
            "Legacy hierarchical RNN recipe (no longer available).",
            (_int("hidden_dimension", 43, 32, 256, tunable=True), _int("bptt", 32, 2, 32, tunable=True),
             _RECENCY_MASK),
            available=False,
        ),
        Recipe(
            "aws-hrnn-metadata",
            "USER_PERSONALIZATION",
            "Legacy hierarchical RNN recipe with metadata (no longer available).",
            (_int("hidden_dimension", 43, 32, 256, tunable=True), _int("bptt", 32, 2, 32, tunable=True),
             _RECENCY_MASK),
            available=False,
        ),
        Recipe(
            "aws-hrnn-coldstart",
            "USER_PERSONALIZATION",
            "Legacy hierarchical RNN recipe for cold-start items (no longer available).",
            (
                _int("hidden_dimension", 149, 32, 256, tunable=True),
                _int("bptt", 32, 2, 32, tunable=True),
                _RECENCY_MASK,
                _int("cold_start_max_interactions", 15, 0, 1_000_000, tunable=False),
                _cont("cold_start_max_duration", 5.0, 0.0, None, tunable=False),
                _cat("cold_start_relative_from", "latestItem", ("latestItem", "currentTime"), tunable=False),
            ),
            available=False,
        ),
    )
}


def recipe_arn(name: str) -> str:
    """``aws-sims`` -> ``arn:aws:personalize:::recipe/aws-sims``."""
    return RECIPE_ARN_PREFIX + name


def recipe_name_from_arn(arn: str) -> str | None:
    """The recipe name of a predefined-recipe ARN, or None when ``arn`` has another form."""
    if not arn.startswith(RECIPE_ARN_PREFIX):
        return None
    return arn[len(RECIPE_ARN_PREFIX):]


#: What AutoML may search (and searches when ``autoMLConfig.recipeList`` is absent): the available
#: USER_PERSONALIZATION recipes.
AUTOML_RECIPES: tuple[Recipe, ...] = tuple(
    r for _, r in sorted(RECIPES.items()) if r.available and r.recipe_type == "USER_PERSONALIZATION")


def recipe_by_arn(arn: str) -> Recipe | None:
    """The catalogue entry for ``arn``, or None if it names no predefined recipe."""
    name = recipe_name_from_arn(arn)
    return RECIPES.get(name) if name is not None else None


#: The domain dataset groups' use cases, by recipe name -> domain (Developer Guide,
#: ECOMMERCE-use-cases.md and VIDEO_ON_DEMAND-use-cases.md).  They are recipes for recommenders,
#: which the emulator lists and describes but does not train.
DOMAIN_RECIPES: dict[str, str] = {
    "aws-ecomm-popular-items-by-views": "ECOMMERCE",
    "aws-ecomm-popular-items-by-purchases": "ECOMMERCE",
    "aws-ecomm-frequently-bought-together": "ECOMMERCE",
    "aws-ecomm-customers-who-viewed-x-also-viewed": "ECOMMERCE",
    "aws-ecomm-recommended-for-you": "ECOMMERCE",
    "aws-vod-because-you-watched-x": "VIDEO_ON_DEMAND",
    "aws-vod-more-like-x": "VIDEO_ON_DEMAND",
    "aws-vod-most-popular": "VIDEO_ON_DEMAND",
    "aws-vod-trending-now": "VIDEO_ON_DEMAND",
    "aws-vod-top-picks": "VIDEO_ON_DEMAND",
}
