"""Typed arguments for nested values, the alternative to plain dicts.

Field names are the snake_case forms of the API's members (``event_value_threshold`` for
``eventValueThreshold``); the resource classes translate them.  Plain dataclasses, not pydantic,
so importing the package stays cheap.  Values may be ``pulumi.Output``s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AlgorithmHyperParameterRangesArgs",
    "AutoMLConfigArgs",
    "AutoTrainingConfigArgs",
    "CampaignConfigArgs",
    "CategoricalHyperParameterRangeArgs",
    "ContinuousHyperParameterRangeArgs",
    "DataSourceArgs",
    "EventParametersArgs",
    "EventsConfigArgs",
    "HpoConfigArgs",
    "HpoObjectiveArgs",
    "HpoResourceConfigArgs",
    "IntegerHyperParameterRangeArgs",
    "OptimizationObjectiveArgs",
    "SolutionConfigArgs",
    "TagArgs",
    "TrainingDataConfigArgs",
]

Input = Any  # pulumi.Input[T]: a value or an Output of it


@dataclass
class TagArgs:
    tag_key: Input
    tag_value: Input


@dataclass
class AutoTrainingConfigArgs:
    #: ``rate(N days)`` with N from 1 to 30; default ``rate(7 days)``.
    scheduling_expression: Input = None


@dataclass
class EventParametersArgs:
    event_type: Input = None
    event_value_threshold: Input = None
    #: From 0 to 1.
    weight: Input = None


@dataclass
class EventsConfigArgs:
    event_parameters_list: Input = None


@dataclass
class HpoObjectiveArgs:
    """Documented by AWS as not configurable: ``check`` rejects it (kept for CLI documents)."""

    type: Input = None
    metric_name: Input = None
    metric_regex: Input = None


@dataclass
class HpoResourceConfigArgs:
    #: Strings on the wire: "1".."40".
    max_number_of_training_jobs: Input = None
    #: Strings on the wire: "1".."10".
    max_parallel_training_jobs: Input = None


@dataclass
class IntegerHyperParameterRangeArgs:
    name: Input = None
    min_value: Input = None
    max_value: Input = None


@dataclass
class ContinuousHyperParameterRangeArgs:
    name: Input = None
    min_value: Input = None
    max_value: Input = None


@dataclass
class CategoricalHyperParameterRangeArgs:
    name: Input = None
    values: Input = None


@dataclass
class AlgorithmHyperParameterRangesArgs:
    integer_hyper_parameter_ranges: Input = None
    continuous_hyper_parameter_ranges: Input = None
    categorical_hyper_parameter_ranges: Input = None


@dataclass
class HpoConfigArgs:
    hpo_objective: Input = None
    hpo_resource_config: Input = None
    algorithm_hyper_parameter_ranges: Input = None


@dataclass
class AutoMLConfigArgs:
    metric_name: Input = None
    recipe_list: Input = None


@dataclass
class OptimizationObjectiveArgs:
    item_attribute: Input = None
    #: LOW, MEDIUM, HIGH or OFF.
    objective_sensitivity: Input = None


@dataclass
class TrainingDataConfigArgs:
    excluded_dataset_columns: Input = None
    included_dataset_columns: Input = None


@dataclass
class SolutionConfigArgs:
    event_value_threshold: Input = None
    hpo_config: Input = None
    algorithm_hyper_parameters: Input = None
    feature_transformation_parameters: Input = None
    auto_ml_config: Input = None
    events_config: Input = None
    optimization_objective: Input = None
    training_data_config: Input = None
    auto_training_config: Input = None


@dataclass
class CampaignConfigArgs:
    item_exploration_config: Input = None
    enable_metadata_with_recommendations: Input = None
    sync_with_latest_solution_version: Input = None
    ranking_influence: Input = None


@dataclass
class DataSourceArgs:
    #: ``s3://bucket/key``; with an emulator target also ``file:///abs/path.csv``.
    data_location: Input = None
