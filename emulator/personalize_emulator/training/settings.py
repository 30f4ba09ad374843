"""The solution's configuration, read once into typed settings.

``TrainingJob.solution`` is the CreateSolution request (camelCase, strings where the API uses
strings). Values were validated by :mod:`personalize_api`; parsing here only converts
them, and a value that still cannot be used (for example a hyperparameter the recipe does not have)
is a :class:`TrainingError` rather than a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from personalize_api import Recipe

from .errors import TrainingError

__all__ = ["EventRule", "HpoSettings", "Settings", "parse_settings"]

#: How strongly ``optimizationObjective`` pulls the ranking towards the item attribute.
OBJECTIVE_WEIGHTS = {"OFF": 0.0, "LOW": 0.15, "MEDIUM": 0.35, "HIGH": 0.7}
DEFAULT_HPO_JOBS = 10
DEFAULT_HPO_PARALLEL = 2


@dataclass(frozen=True, slots=True)
class EventRule:
    """One ``eventsConfig.eventParametersList`` entry."""

    event_type: str
    threshold: float | None
    weight: float


@dataclass(frozen=True, slots=True)
class HpoSettings:
    """``hpoConfig``: ranges per kind and the resource limits (strings on the wire)."""

    integer: tuple[tuple[str, int, int], ...] = ()
    continuous: tuple[tuple[str, float, float], ...] = ()
    categorical: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_jobs: int = DEFAULT_HPO_JOBS
    max_parallel: int = DEFAULT_HPO_PARALLEL

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(r[0]) for r in (*self.integer, *self.continuous, *self.categorical))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything in the solution that changes what is trained."""

    event_type: str | None = None
    event_value_threshold: float | None = None
    event_rules: tuple[EventRule, ...] = ()
    hyperparameters: Mapping[str, str] = field(default_factory=dict)
    feature_transformation: Mapping[str, str] = field(default_factory=dict)
    objective_attribute: str | None = None
    objective_weight: float = 0.0
    included_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    excluded_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    perform_hpo: bool = False
    hpo: HpoSettings = HpoSettings()
    perform_automl: bool = False
    automl_metric: str | None = None
    automl_recipes: tuple[str, ...] = ()

    def with_hyperparameters(self, values: Mapping[str, str]) -> Settings:
        """A copy with ``values`` overriding the hyperparameters (one HPO trial)."""
        return replace(self, hyperparameters={**self.hyperparameters, **values})

    def columns_for(self, dataset: str, available: tuple[str, ...]) -> tuple[str, ...]:
        """The ``dataset`` ("items"/"users") columns training may use, per ``trainingDataConfig``."""
        included = self.included_columns.get(dataset)
        chosen = [c for c in available if included is None or c in included]
        excluded = set(self.excluded_columns.get(dataset, ()))
        return tuple(c for c in chosen if c not in excluded)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any, what: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TrainingError(f"{what} must be a number; got {value!r}.") from None


def _int(value: Any, what: str) -> int:
    number = _number(value, what)
    if not number.is_integer():
        raise TrainingError(f"{what} must be a whole number; got {value!r}.")
    return int(number)


def _hyperparameters(config: Mapping[str, Any], recipe: Recipe | None) -> dict[str, str]:
    values = dict(recipe.defaults()) if recipe is not None else {}
    for name, value in _map(config.get("algorithmHyperParameters")).items():
        if recipe is not None and recipe.hyperparameter(str(name)) is None:
            raise TrainingError(f"{recipe.name} has no hyperparameter {name!r}.")
        values[str(name)] = str(value)
    return values


def _events(config: Mapping[str, Any]) -> tuple[EventRule, ...]:
    rules = []
    for raw in _map(config.get("eventsConfig")).get("eventParametersList") or ():
        entry = _map(raw)
        threshold = entry.get("eventValueThreshold")
        rules.append(EventRule(
            event_type=str(entry.get("eventType", "")),
            threshold=None if threshold is None else _number(threshold, "eventValueThreshold"),
            weight=_number(entry.get("weight", 1.0), "eventsConfig weight"),
        ))
    return tuple(rules)


def _hpo(config: Mapping[str, Any]) -> HpoSettings:
    hpo = _map(config.get("hpoConfig"))
    ranges = _map(hpo.get("algorithmHyperParameterRanges"))
    resources = _map(hpo.get("hpoResourceConfig"))
    integer = tuple(
        (str(r["name"]), _int(r["minValue"], "minValue"), _int(r["maxValue"], "maxValue"))
        for r in map(_map, ranges.get("integerHyperParameterRanges") or ())
    )
    continuous = tuple(
        (str(r["name"]), _number(r["minValue"], "minValue"), _number(r["maxValue"], "maxValue"))
        for r in map(_map, ranges.get("continuousHyperParameterRanges") or ())
    )
    categorical = tuple(
        (str(r["name"]), tuple(str(v) for v in r.get("values") or ()))
        for r in map(_map, ranges.get("categoricalHyperParameterRanges") or ())
    )
    jobs = resources.get("maxNumberOfTrainingJobs")
    parallel = resources.get("maxParallelTrainingJobs")
    return HpoSettings(
        integer=integer,
        continuous=continuous,
        categorical=categorical,
        max_jobs=DEFAULT_HPO_JOBS if jobs is None else _int(jobs, "maxNumberOfTrainingJobs"),
        max_parallel=DEFAULT_HPO_PARALLEL if parallel is None else _int(parallel, "maxParallelTrainingJobs"),
    )


def _columns(value: Any) -> dict[str, tuple[str, ...]]:
    return {str(k).lower(): tuple(str(c) for c in v or ()) for k, v in _map(value).items()}


def parse_settings(solution: Mapping[str, Any], recipe: Recipe | None) -> Settings:
    """Read a CreateSolution request (plus the merged UpdateSolution eventsConfig)."""
    config = _map(solution.get("solutionConfig"))
    threshold = config.get("eventValueThreshold")
    objective = _map(config.get("optimizationObjective"))
    data_config = _map(config.get("trainingDataConfig"))
    automl = _map(config.get("autoMLConfig"))
    event_type = solution.get("eventType")
    return Settings(
        event_type=str(event_type) if event_type else None,
        event_value_threshold=None if threshold is None else _number(threshold, "eventValueThreshold"),
        event_rules=_events(config),
        hyperparameters=_hyperparameters(config, recipe),
        feature_transformation={str(k): str(v)
                                for k, v in _map(config.get("featureTransformationParameters")).items()},
        objective_attribute=str(objective["itemAttribute"]) if objective.get("itemAttribute") else None,
        objective_weight=OBJECTIVE_WEIGHTS.get(str(objective.get("objectiveSensitivity", "MEDIUM")), 0.35)
        if objective.get("itemAttribute") else 0.0,
        included_columns=_columns(data_config.get("includedDatasetColumns")),
        excluded_columns=_columns(data_config.get("excludedDatasetColumns")),
        perform_hpo=bool(solution.get("performHPO")),
        hpo=_hpo(config),
        perform_automl=bool(solution.get("performAutoML")),
        automl_metric=str(automl["metricName"]) if automl.get("metricName") else None,
        automl_recipes=tuple(str(a) for a in automl.get("recipeList") or ()),
    )
