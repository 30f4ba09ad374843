"""CreateSolution / UpdateSolution: the cross-field rules botocore's model does not carry.

Each rule is documented in ``shared/reference/personalize-api.md`` ("CreateSolution semantic
rules"). :func:`check_create_solution` runs the shape validation and these rules together, so the
provider's ``check`` and the emulator's request handler report exactly the same problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from .numbers import parse_decimal, parse_whole
from .problems import Path, Problem
from .recipes import AUTOML_RECIPES, OBJECTIVE_RECIPE_TYPES, RECIPES, Recipe, recipe_by_arn
from .shapes import UnknownPredicate, never_unknown, validate_input

__all__ = [
    "AUTOML_METRICS",
    "MAX_HPO_PARALLEL_JOBS",
    "MAX_HPO_TRAINING_JOBS",
    "check_create_solution",
    "check_update_solution",
    "solution_rules",
]

MAX_HPO_TRAINING_JOBS = 40
MAX_HPO_PARALLEL_JOBS = 10
MAX_SCHEDULE_DAYS = 30

#: The metric names GetSolutionMetrics reports; AutoML and HPO objectives must name one of them.
AUTOML_METRICS = (
    "coverage",
    "mean_reciprocal_rank_at_25",
    "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10",
    "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5",
    "precision_at_10",
    "precision_at_25",
)

_RATE = regex.compile(r"rate\(([0-9]+) (days?)\)")
_RANGE_KINDS = (
    ("integerHyperParameterRanges", "integer"),
    ("continuousHyperParameterRanges", "continuous"),
    ("categoricalHyperParameterRanges", "categorical"),
)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class _Rules:
    """Applies the rules to one request, skipping values that are unknown during a preview."""

    def __init__(self, is_unknown: UnknownPredicate) -> None:
        self.is_unknown = is_unknown
        self.problems: list[Problem] = []

    def known(self, value: Any) -> bool:
        return value is not None and not self.is_unknown(value)

    def add(self, path: Path, rule: str, message: str) -> None:
        self.problems.append(Problem(path, rule, message))

    # -- CreateSolution -------------------------------------------------------------------------
    def create(self, params: Mapping[str, Any]) -> None:
        automl = params.get("performAutoML")
        recipe_arn = params.get("recipeArn")
        config = _map(params.get("solutionConfig"))
        if automl is True:
            if recipe_arn is not None:
                self.add(("recipeArn",), "automl",
                         "must be omitted when performAutoML is true (specify either performAutoML or "
                         "recipeArn, not both)")
            if params.get("performHPO") is False:
                self.add(("performHPO",), "automl",
                         "is always true when performAutoML is true; omit it or set it to true")
            self.automl_config(_map(config.get("autoMLConfig")))
        elif not self.is_unknown(automl) and recipe_arn is None:
            self.add(("recipeArn",), "required", "is required unless performAutoML is true")
        recipe = self.recipe(recipe_arn)
        if automl is not True:
            self.config(config, recipe)
        if params.get("performIncrementalUpdate") is True and recipe_arn is not None:
            self.incremental(recipe)
        self.schedule(("solutionConfig", "autoTrainingConfig"), _map(config.get("autoTrainingConfig")))
        self.hpo_objective(config)

    def recipe(self, arn: Any) -> Recipe | None:
        if not self.known(arn) or not isinstance(arn, str):
            return None
        recipe = recipe_by_arn(arn)
        if recipe is None:
            names = ", ".join(r.name for r in RECIPES.values() if r.available)
            self.add(("recipeArn",), "recipe",
                     f"must name a predefined recipe (arn:aws:personalize:::recipe/<name>, name one of "
                     f"{names}); got {arn!r}")
            return None
        if not recipe.available:
            self.add(("recipeArn",), "recipe",
                     f"names {recipe.name}, a legacy recipe that is no longer available; use "
                     "arn:aws:personalize:::recipe/aws-user-personalization-v2")
            return None
        return recipe

    def incremental(self, recipe: Recipe | None) -> None:
        if recipe is not None and recipe.name != "aws-semantic-similarity":
            self.add(("performIncrementalUpdate",), "incremental",
                     f"can be true only with the aws-semantic-similarity recipe, not {recipe.name}")

    def automl_config(self, automl: Mapping[str, Any]) -> None:
        base: Path = ("solutionConfig", "autoMLConfig")
        metric = automl.get("metricName")
        if self.known(metric) and isinstance(metric, str) and metric not in AUTOML_METRICS:
            self.add((*base, "metricName"), "metric",
                     f"must be one of {', '.join(AUTOML_METRICS)}; got {metric!r}")
        recipes = automl.get("recipeList")
        if not self.known(recipes) or not isinstance(recipes, list):
            return
        for index, arn in enumerate(recipes):
            if not self.known(arn) or not isinstance(arn, str):
                continue
            recipe = recipe_by_arn(arn)
            if recipe not in AUTOML_RECIPES:
                allowed = ", ".join(r.arn for r in AUTOML_RECIPES)
                self.add((*base, "recipeList", index), "recipe",
                         f"AutoML searches USER_PERSONALIZATION recipes only: one of {allowed}; got {arn!r}")

    def config(self, config: Mapping[str, Any], recipe: Recipe | None) -> None:
        base: Path = ("solutionConfig",)
        threshold = config.get("eventValueThreshold")
        if self.known(threshold) and isinstance(threshold, str) and parse_decimal(threshold) is None:
            self.add((*base, "eventValueThreshold"), "number",
                     f"must be a number written as a string (events with a value >= it are kept); got "
                     f"{threshold!r}")
        hpo = _map(config.get("hpoConfig"))
        self.hpo_resources(_map(hpo.get("hpoResourceConfig")))
        self.ranges(_map(hpo.get("algorithmHyperParameterRanges")), recipe)
        if recipe is None:
            return
        self.hyperparameters(config, recipe)
        objective = config.get("optimizationObjective")
        if self.known(objective) and recipe.recipe_type not in OBJECTIVE_RECIPE_TYPES:
            self.add((*base, "optimizationObjective"), "objective",
                     f"is supported only by USER_PERSONALIZATION and PERSONALIZED_RANKING recipes; "
                     f"{recipe.name} is {recipe.recipe_type}")

    def hyperparameters(self, config: Mapping[str, Any], recipe: Recipe) -> None:
        for member in ("algorithmHyperParameters", "featureTransformationParameters"):
            for name, value in _map(config.get(member)).items():
                if self.is_unknown(name):
                    continue
                path: Path = ("solutionConfig", member, str(name))
                allowed_values = recipe.feature_transformation.get(str(name))
                if allowed_values is not None and member == "featureTransformationParameters":
                    if self.known(value) and value not in allowed_values:
                        self.add(path, "hyperparameter",
                                 f"must be one of {', '.join(allowed_values)}; got {value!r}")
                    continue
                spec = recipe.hyperparameter(str(name))
                if spec is None:
                    self.add(path, "hyperparameter", _unknown_hp(recipe, member))
                elif self.known(value) and isinstance(value, str) and not spec.accepts(value):
                    self.add(path, "hyperparameter", f"must be {spec.allowed()}; got {value!r}")

    def ranges(self, ranges: Mapping[str, Any], recipe: Recipe | None) -> None:
        base: Path = ("solutionConfig", "hpoConfig", "algorithmHyperParameterRanges")
        for member, kind in _RANGE_KINDS:
            items = ranges.get(member)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if not isinstance(item, Mapping):
                    continue
                self.one_range((*base, member, index), item, kind, recipe)

    def one_range(self, path: Path, item: Mapping[str, Any], kind: str, recipe: Recipe | None) -> None:
        low, high = item.get("minValue"), item.get("maxValue")
        numbers = isinstance(low, int | float) and isinstance(high, int | float) and \
            not isinstance(low, bool) and not isinstance(high, bool)
        if kind != "categorical" and numbers and low > high:  # type: ignore[operator]
            self.add((*path, "minValue"), "range", f"must be <= maxValue ({high}); got {low}")
        name = item.get("name")
        if recipe is None or not self.known(name) or not isinstance(name, str):
            return
        spec = recipe.hyperparameter(name)
        if spec is None or not spec.tunable:
            tunable = ", ".join(hp.name for hp in recipe.hyperparameters if hp.tunable) or "none"
            self.add((*path, "name"), "hyperparameter",
                     f"{name!r} is not a tunable hyperparameter of {recipe.name} (tunable: {tunable})")
            return
        if spec.kind != kind:
            self.add((*path, "name"), "hyperparameter",
                     f"{name} is a {spec.kind} hyperparameter; put its range in {spec.kind}HyperParameterRanges")
            return
        if kind == "categorical":
            values = item.get("values")
            for index, value in enumerate(values if isinstance(values, list) else []):
                if self.known(value) and isinstance(value, str) and not spec.accepts(value):
                    self.add((*path, "values", index), "hyperparameter",
                             f"must be one of {', '.join(spec.values)}; got {value!r}")
        elif numbers:
            for key, value in (("minValue", low), ("maxValue", high)):
                if not spec.accepts(str(value)):
                    self.add((*path, key), "hyperparameter", f"must be {spec.allowed()} for {name}; got {value}")

    def hpo_resources(self, resources: Mapping[str, Any]) -> None:
        base: Path = ("solutionConfig", "hpoConfig", "hpoResourceConfig")
        for key, limit in (("maxNumberOfTrainingJobs", MAX_HPO_TRAINING_JOBS),
                           ("maxParallelTrainingJobs", MAX_HPO_PARALLEL_JOBS)):
            value = resources.get(key)
            if not self.known(value) or not isinstance(value, str):
                continue
            number = parse_whole(value)
            if number is None or not 1 <= number <= limit:
                self.add((*base, key), "hpo_limit",
                         f"must be a whole number from 1 to {limit}, written as a string; got {value!r}")

    def hpo_objective(self, config: Mapping[str, Any]) -> None:
        hpo = _map(config.get("hpoConfig"))
        if hpo.get("hpoObjective") is not None:
            self.add(("solutionConfig", "hpoConfig", "hpoObjective"), "not_configurable",
                     "is not configurable: Amazon Personalize documents hpoObjective as not supported "
                     "at this time and chooses the objective itself; remove it")

    def schedule(self, base: Path, auto_training: Mapping[str, Any]) -> None:
        expression = auto_training.get("schedulingExpression")
        if not self.known(expression) or not isinstance(expression, str):
            return
        match = _RATE.fullmatch(expression)
        if match is None:
            return  # the model's pattern reports it
        days = int(match.group(1))
        if not 1 <= days <= MAX_SCHEDULE_DAYS:
            self.add((*base, "schedulingExpression"), "schedule",
                     f"must be rate(N days) with N from 1 to {MAX_SCHEDULE_DAYS}; got {expression!r}")


def _unknown_hp(recipe: Recipe, member: str) -> str:
    names = ", ".join(hp.name for hp in recipe.hyperparameters)
    if member == "featureTransformationParameters" and recipe.feature_transformation:
        names = ", ".join([*recipe.feature_transformation, *(hp.name for hp in recipe.hyperparameters)])
    if not names:
        return f"is not a hyperparameter of {recipe.name}, which has none"
    return f"is not a hyperparameter of {recipe.name} (allowed: {names})"


def solution_rules(
    params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Only the cross-field rules of CreateSolution (shape validation not included)."""
    rules = _Rules(is_unknown)
    rules.create(params)
    return rules.problems


def check_create_solution(
    params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Every problem of a CreateSolution request: the model's constraints, then the semantic rules."""
    return [
        *validate_input("personalize", "CreateSolution", params, is_unknown=is_unknown),
        *solution_rules(params, is_unknown=is_unknown),
    ]


def check_update_solution(
    params: Mapping[str, Any], *, is_unknown: UnknownPredicate = never_unknown
) -> list[Problem]:
    """Every problem of an UpdateSolution request (shapes plus the schedule rule)."""
    rules = _Rules(is_unknown)
    update = _map(params.get("solutionUpdateConfig"))
    rules.schedule(("solutionUpdateConfig", "autoTrainingConfig"), _map(update.get("autoTrainingConfig")))
    return [*validate_input("personalize", "UpdateSolution", params, is_unknown=is_unknown), *rules.problems]
