"""Typed arguments for nested values, the alternative to plain dicts (generated: do not edit).

Written by ``python -m pulumi_personalize._generate_args`` from botocore's ``personalize`` model:
one dataclass ``<X>Args`` and one TypedDict ``<X>ArgsDict`` per structure the Create requests nest,
fields in snake_case (the resource classes translate them), documentation from the model.  Values
may be ``pulumi.Output``s.  Plain dataclasses, not pydantic, so importing the package stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import pulumi

__all__ = [
    "AlgorithmHyperParameterRangesArgs",
    "AlgorithmHyperParameterRangesArgsDict",
    "AutoMLConfigArgs",
    "AutoMLConfigArgsDict",
    "AutoTrainingConfigArgs",
    "AutoTrainingConfigArgsDict",
    "BatchInferenceJobConfigArgs",
    "BatchInferenceJobConfigArgsDict",
    "BatchInferenceJobInputArgs",
    "BatchInferenceJobInputArgsDict",
    "BatchInferenceJobOutputArgs",
    "BatchInferenceJobOutputArgsDict",
    "CampaignConfigArgs",
    "CampaignConfigArgsDict",
    "CategoricalHyperParameterRangeArgs",
    "CategoricalHyperParameterRangeArgsDict",
    "ContinuousHyperParameterRangeArgs",
    "ContinuousHyperParameterRangeArgsDict",
    "DataSourceArgs",
    "DataSourceArgsDict",
    "EventParametersArgs",
    "EventParametersArgsDict",
    "EventsConfigArgs",
    "EventsConfigArgsDict",
    "FieldsForThemeGenerationArgs",
    "FieldsForThemeGenerationArgsDict",
    "HpoConfigArgs",
    "HpoConfigArgsDict",
    "HpoObjectiveArgs",
    "HpoObjectiveArgsDict",
    "HpoResourceConfigArgs",
    "HpoResourceConfigArgsDict",
    "IntegerHyperParameterRangeArgs",
    "IntegerHyperParameterRangeArgsDict",
    "OptimizationObjectiveArgs",
    "OptimizationObjectiveArgsDict",
    "S3DataConfigArgs",
    "S3DataConfigArgsDict",
    "SolutionConfigArgs",
    "SolutionConfigArgsDict",
    "TagArgs",
    "TagArgsDict",
    "ThemeGenerationConfigArgs",
    "ThemeGenerationConfigArgsDict",
    "TrainingDataConfigArgs",
    "TrainingDataConfigArgsDict",
]


@dataclass
class AutoMLConfigArgs:
    """The AutoMLConfig object containing a list of recipes to search when AutoML is performed."""

    #: The metric to optimize.
    metric_name: pulumi.Input[str] | None = None
    #: The list of candidate recipes.
    recipe_list: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None


class AutoMLConfigArgsDict(TypedDict, total=False):
    """:class:`AutoMLConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    metric_name: pulumi.Input[str]
    recipe_list: pulumi.Input[Sequence[pulumi.Input[str]]]


@dataclass
class AutoTrainingConfigArgs:
    """Specifies the automatic training configuration to use."""

    #: Specifies how often to automatically train new solution versions. Specify a rate expression in rate(
    #: value unit ) format. For value, specify a number between 1 and 30. For unit, specify day or days . For
    #: example, to automatically create a new solution version every 5 days, specify rate(5 days) . The
    #: default is every 7 days. For more information about auto training, see Creating and configuring a
    #: solution .
    scheduling_expression: pulumi.Input[str] | None = None


class AutoTrainingConfigArgsDict(TypedDict, total=False):
    """:class:`AutoTrainingConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    scheduling_expression: pulumi.Input[str]


@dataclass
class BatchInferenceJobConfigArgs:
    """The configuration details of a batch inference job."""

    #: A string to string map specifying the exploration configuration hyperparameters, including
    #: explorationWeight and explorationItemAgeCutOff , you want to use to configure the amount of item
    #: exploration Amazon Personalize uses when recommending items. See User-Personalization .
    item_exploration_config: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    #: A map of ranking influence values for POPULARITY and FRESHNESS. For each key, specify a numerical
    #: value between 0.0 and 1.0 that determines how much influence that ranking factor has on the final
    #: recommendations. A value closer to 1.0 gives more weight to the factor, while a value closer to 0.0
    #: reduces its influence.
    ranking_influence: pulumi.Input[Mapping[str, pulumi.Input[float]]] | None = None


class BatchInferenceJobConfigArgsDict(TypedDict, total=False):
    """:class:`BatchInferenceJobConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    item_exploration_config: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    ranking_influence: pulumi.Input[Mapping[str, pulumi.Input[float]]]


@dataclass
class BatchInferenceJobInputArgs:
    """The Amazon S3 path that leads to the input file to base your recommendations on."""

    #: The URI of the Amazon S3 location that contains your input data. The Amazon S3 bucket must be in the
    #: same region as the API endpoint you are calling.
    s3_data_source: pulumi.Input[S3DataConfigArgs | S3DataConfigArgsDict]


class BatchInferenceJobInputArgsDict(TypedDict, total=False):
    """:class:`BatchInferenceJobInputArgs` as a dict (snake_case keys; camelCase works too)."""

    s3_data_source: pulumi.Input[S3DataConfigArgs | S3DataConfigArgsDict]


@dataclass
class BatchInferenceJobOutputArgs:
    """The path to the Amazon S3 bucket where the job's output will be stored."""

    #: Information on the Amazon S3 bucket in which the batch inference job's output is stored.
    s3_data_destination: pulumi.Input[S3DataConfigArgs | S3DataConfigArgsDict]


class BatchInferenceJobOutputArgsDict(TypedDict, total=False):
    """:class:`BatchInferenceJobOutputArgs` as a dict (snake_case keys; camelCase works too)."""

    s3_data_destination: pulumi.Input[S3DataConfigArgs | S3DataConfigArgsDict]


@dataclass
class CampaignConfigArgs:
    """The configuration details of a campaign."""

    #: Specifies the exploration configuration hyperparameters, including explorationWeight and
    #: explorationItemAgeCutOff , you want to use to configure the amount of item exploration Amazon
    #: Personalize uses when recommending items. Provide itemExplorationConfig data only if your solution
    #: uses the User-Personalization recipe.
    item_exploration_config: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    #: Whether metadata with recommendations is enabled for the campaign. If enabled, you can specify the
    #: columns from your Items dataset in your request for recommendations. Amazon Personalize returns this
    #: data for each item in the recommendation response. For information about enabling metadata for a
    #: campaign, see Enabling metadata in recommendations for a campaign . If you enable metadata in
    #: recommendations, you will incur additional costs. For more information, see Amazon Personalize pricing
    #: .
    enable_metadata_with_recommendations: pulumi.Input[bool] | None = None
    #: Whether the campaign automatically updates to use the latest solution version (trained model) of a
    #: solution. If you specify True , you must specify the ARN of your solution for the SolutionVersionArn
    #: parameter. It must be in SolutionArn/$LATEST format. The default is False and you must manually update
    #: the campaign to deploy the latest solution version. For more information about automatic campaign
    #: updates, see Enabling automatic campaign updates .
    sync_with_latest_solution_version: pulumi.Input[bool] | None = None
    #: A map of ranking influence values for POPULARITY and FRESHNESS. For each key, specify a numerical
    #: value between 0.0 and 1.0 that determines how much influence that ranking factor has on the final
    #: recommendations. A value closer to 1.0 gives more weight to the factor, while a value closer to 0.0
    #: reduces its influence.
    ranking_influence: pulumi.Input[Mapping[str, pulumi.Input[float]]] | None = None


class CampaignConfigArgsDict(TypedDict, total=False):
    """:class:`CampaignConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    item_exploration_config: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    enable_metadata_with_recommendations: pulumi.Input[bool]
    sync_with_latest_solution_version: pulumi.Input[bool]
    ranking_influence: pulumi.Input[Mapping[str, pulumi.Input[float]]]


@dataclass
class CategoricalHyperParameterRangeArgs:
    """Provides the name and range of a categorical hyperparameter."""

    #: The name of the hyperparameter.
    name: pulumi.Input[str] | None = None
    #: A list of the categories for the hyperparameter.
    values: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None


class CategoricalHyperParameterRangeArgsDict(TypedDict, total=False):
    """:class:`CategoricalHyperParameterRangeArgs` as a dict (snake_case keys; camelCase works too)."""

    name: pulumi.Input[str]
    values: pulumi.Input[Sequence[pulumi.Input[str]]]


@dataclass
class ContinuousHyperParameterRangeArgs:
    """Provides the name and range of a continuous hyperparameter."""

    #: The name of the hyperparameter.
    name: pulumi.Input[str] | None = None
    #: The minimum allowable value for the hyperparameter.
    min_value: pulumi.Input[float] | None = None
    #: The maximum allowable value for the hyperparameter.
    max_value: pulumi.Input[float] | None = None


class ContinuousHyperParameterRangeArgsDict(TypedDict, total=False):
    """:class:`ContinuousHyperParameterRangeArgs` as a dict (snake_case keys; camelCase works too)."""

    name: pulumi.Input[str]
    min_value: pulumi.Input[float]
    max_value: pulumi.Input[float]


@dataclass
class DataSourceArgs:
    """The Amazon S3 bucket that contains the training data to import."""

    #: For dataset import jobs, the path to the Amazon S3 bucket where the data that you want to upload to
    #: your dataset is stored. For data deletion jobs, the path to the Amazon S3 bucket that stores the list
    #: of records to delete. For example: s3://bucket-name/folder-name/fileName.csv If your CSV files are in
    #: a folder in your Amazon S3 bucket and you want your import job or data deletion job to consider
    #: multiple files, you can specify the path to the folder. With a data deletion job, Amazon Personalize
    #: uses all files in the folder and any sub folder. Use the following syntax with a / after the folder
    #: name: s3://bucket-name/folder-name/
    data_location: pulumi.Input[str] | None = None


class DataSourceArgsDict(TypedDict, total=False):
    """:class:`DataSourceArgs` as a dict (snake_case keys; camelCase works too)."""

    data_location: pulumi.Input[str]


@dataclass
class EventParametersArgs:
    """Describes the parameters of events, which are used in solution creation."""

    #: The name of the event type to be considered for solution creation.
    event_type: pulumi.Input[str] | None = None
    #: The threshold of the event type. Only events with a value greater or equal to this threshold will be
    #: considered for solution creation.
    event_value_threshold: pulumi.Input[float] | None = None
    #: The weight of the event type. A higher weight means higher importance of the event type for the
    #: created solution.
    weight: pulumi.Input[float] | None = None


class EventParametersArgsDict(TypedDict, total=False):
    """:class:`EventParametersArgs` as a dict (snake_case keys; camelCase works too)."""

    event_type: pulumi.Input[str]
    event_value_threshold: pulumi.Input[float]
    weight: pulumi.Input[float]


@dataclass
class EventsConfigArgs:
    """Describes the configuration of an event, which includes a list of event parameters."""

    #: A list of event parameters, which includes event types and their event value thresholds and weights.
    event_parameters_list: pulumi.Input[Sequence[pulumi.Input[EventParametersArgs | EventParametersArgsDict]]] | None = None


class EventsConfigArgsDict(TypedDict, total=False):
    """:class:`EventsConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    event_parameters_list: pulumi.Input[Sequence[pulumi.Input[EventParametersArgs | EventParametersArgsDict]]]


@dataclass
class FieldsForThemeGenerationArgs:
    """Fields used to generate descriptive themes for a batch inference job."""

    #: The name of the Items dataset column that stores the name of each item in the dataset.
    item_name: pulumi.Input[str]


class FieldsForThemeGenerationArgsDict(TypedDict, total=False):
    """:class:`FieldsForThemeGenerationArgs` as a dict (snake_case keys; camelCase works too)."""

    item_name: pulumi.Input[str]


@dataclass
class HpoConfigArgs:
    """Describes the properties for hyperparameter optimization (HPO)."""

    #: The metric to optimize during HPO. Amazon Personalize doesn't support configuring the hpoObjective at
    #: this time.
    hpo_objective: pulumi.Input[HpoObjectiveArgs | HpoObjectiveArgsDict] | None = None
    #: Describes the resource configuration for HPO.
    hpo_resource_config: pulumi.Input[HpoResourceConfigArgs | HpoResourceConfigArgsDict] | None = None
    #: The hyperparameters and their allowable ranges.
    algorithm_hyper_parameter_ranges: pulumi.Input[AlgorithmHyperParameterRangesArgs | AlgorithmHyperParameterRangesArgsDict] | None = None


class HpoConfigArgsDict(TypedDict, total=False):
    """:class:`HpoConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    hpo_objective: pulumi.Input[HpoObjectiveArgs | HpoObjectiveArgsDict]
    hpo_resource_config: pulumi.Input[HpoResourceConfigArgs | HpoResourceConfigArgsDict]
    algorithm_hyper_parameter_ranges: pulumi.Input[AlgorithmHyperParameterRangesArgs | AlgorithmHyperParameterRangesArgsDict]


@dataclass
class HpoObjectiveArgs:
    """The metric to optimize during HPO."""

    #: The type of the metric. Valid values are Maximize and Minimize .
    type: pulumi.Input[str] | None = None
    #: The name of the metric.
    metric_name: pulumi.Input[str] | None = None
    #: A regular expression for finding the metric in the training job logs.
    metric_regex: pulumi.Input[str] | None = None


class HpoObjectiveArgsDict(TypedDict, total=False):
    """:class:`HpoObjectiveArgs` as a dict (snake_case keys; camelCase works too)."""

    type: pulumi.Input[str]
    metric_name: pulumi.Input[str]
    metric_regex: pulumi.Input[str]


@dataclass
class HpoResourceConfigArgs:
    """Describes the resource configuration for HPO."""

    #: The maximum number of training jobs when you create a solution version. The maximum value for
    #: maxNumberOfTrainingJobs is 40 .
    max_number_of_training_jobs: pulumi.Input[str] | None = None
    #: The maximum number of parallel training jobs when you create a solution version. The maximum value for
    #: maxParallelTrainingJobs is 10 .
    max_parallel_training_jobs: pulumi.Input[str] | None = None


class HpoResourceConfigArgsDict(TypedDict, total=False):
    """:class:`HpoResourceConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    max_number_of_training_jobs: pulumi.Input[str]
    max_parallel_training_jobs: pulumi.Input[str]


@dataclass
class AlgorithmHyperParameterRangesArgs:
    """The hyperparameters and their allowable ranges."""

    #: The integer-valued hyperparameters and their ranges.
    integer_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[IntegerHyperParameterRangeArgs | IntegerHyperParameterRangeArgsDict]]] | None = None
    #: The continuous hyperparameters and their ranges.
    continuous_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[ContinuousHyperParameterRangeArgs | ContinuousHyperParameterRangeArgsDict]]] | None = None
    #: The categorical hyperparameters and their ranges.
    categorical_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[CategoricalHyperParameterRangeArgs | CategoricalHyperParameterRangeArgsDict]]] | None = None


class AlgorithmHyperParameterRangesArgsDict(TypedDict, total=False):
    """:class:`AlgorithmHyperParameterRangesArgs` as a dict (snake_case keys; camelCase works too)."""

    integer_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[IntegerHyperParameterRangeArgs | IntegerHyperParameterRangeArgsDict]]]
    continuous_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[ContinuousHyperParameterRangeArgs | ContinuousHyperParameterRangeArgsDict]]]
    categorical_hyper_parameter_ranges: pulumi.Input[Sequence[pulumi.Input[CategoricalHyperParameterRangeArgs | CategoricalHyperParameterRangeArgsDict]]]


@dataclass
class IntegerHyperParameterRangeArgs:
    """Provides the name and range of an integer-valued hyperparameter."""

    #: The name of the hyperparameter.
    name: pulumi.Input[str] | None = None
    #: The minimum allowable value for the hyperparameter.
    min_value: pulumi.Input[int] | None = None
    #: The maximum allowable value for the hyperparameter.
    max_value: pulumi.Input[int] | None = None


class IntegerHyperParameterRangeArgsDict(TypedDict, total=False):
    """:class:`IntegerHyperParameterRangeArgs` as a dict (snake_case keys; camelCase works too)."""

    name: pulumi.Input[str]
    min_value: pulumi.Input[int]
    max_value: pulumi.Input[int]


@dataclass
class OptimizationObjectiveArgs:
    """Describes the additional objective for the solution, such as maximizing streaming minutes or increasing r."""

    #: The numerical metadata column in an Items dataset related to the optimization objective. For example,
    #: VIDEO_LENGTH (to maximize streaming minutes), or PRICE (to maximize revenue).
    item_attribute: pulumi.Input[str] | None = None
    #: Specifies how Amazon Personalize balances the importance of your optimization objective versus
    #: relevance.
    objective_sensitivity: pulumi.Input[str] | None = None


class OptimizationObjectiveArgsDict(TypedDict, total=False):
    """:class:`OptimizationObjectiveArgs` as a dict (snake_case keys; camelCase works too)."""

    item_attribute: pulumi.Input[str]
    objective_sensitivity: pulumi.Input[str]


@dataclass
class S3DataConfigArgs:
    """The URI of the Amazon S3 location that contains your input data."""

    #: The file path of the Amazon S3 bucket.
    path: pulumi.Input[str]
    #: The Amazon Resource Name (ARN) of the Key Management Service (KMS) key that Amazon Personalize uses to
    #: encrypt or decrypt the input and output files.
    kms_key_arn: pulumi.Input[str] | None = None


class S3DataConfigArgsDict(TypedDict, total=False):
    """:class:`S3DataConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    path: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]


@dataclass
class SolutionConfigArgs:
    """The configuration properties for the solution."""

    #: Only events with a value greater than or equal to this threshold are used for training a model.
    event_value_threshold: pulumi.Input[str] | None = None
    #: Describes the properties for hyperparameter optimization (HPO).
    hpo_config: pulumi.Input[HpoConfigArgs | HpoConfigArgsDict] | None = None
    #: Lists the algorithm hyperparameters and their values.
    algorithm_hyper_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    #: Lists the feature transformation parameters.
    feature_transformation_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    #: The AutoMLConfig object containing a list of recipes to search when AutoML is performed.
    auto_ml_config: pulumi.Input[AutoMLConfigArgs | AutoMLConfigArgsDict] | None = None
    #: Describes the configuration of an event, which includes a list of event parameters. You can specify up
    #: to 10 event parameters. Events are used in solution creation.
    events_config: pulumi.Input[EventsConfigArgs | EventsConfigArgsDict] | None = None
    #: Describes the additional objective for the solution, such as maximizing streaming minutes or
    #: increasing revenue. For more information see Optimizing a solution .
    optimization_objective: pulumi.Input[OptimizationObjectiveArgs | OptimizationObjectiveArgsDict] | None = None
    #: Specifies the training data configuration to use when creating a custom solution version (trained
    #: model).
    training_data_config: pulumi.Input[TrainingDataConfigArgs | TrainingDataConfigArgsDict] | None = None
    #: Specifies the automatic training configuration to use.
    auto_training_config: pulumi.Input[AutoTrainingConfigArgs | AutoTrainingConfigArgsDict] | None = None


class SolutionConfigArgsDict(TypedDict, total=False):
    """:class:`SolutionConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    event_value_threshold: pulumi.Input[str]
    hpo_config: pulumi.Input[HpoConfigArgs | HpoConfigArgsDict]
    algorithm_hyper_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    feature_transformation_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    auto_ml_config: pulumi.Input[AutoMLConfigArgs | AutoMLConfigArgsDict]
    events_config: pulumi.Input[EventsConfigArgs | EventsConfigArgsDict]
    optimization_objective: pulumi.Input[OptimizationObjectiveArgs | OptimizationObjectiveArgsDict]
    training_data_config: pulumi.Input[TrainingDataConfigArgs | TrainingDataConfigArgsDict]
    auto_training_config: pulumi.Input[AutoTrainingConfigArgs | AutoTrainingConfigArgsDict]


@dataclass
class TagArgs:
    """The optional metadata that you apply to resources to help you categorize and organize them."""

    #: One part of a key-value pair that makes up a tag. A key is a general label that acts like a category
    #: for more specific tag values.
    tag_key: pulumi.Input[str]
    #: The optional part of a key-value pair that makes up a tag. A value acts as a descriptor within a tag
    #: category (key).
    tag_value: pulumi.Input[str]


class TagArgsDict(TypedDict, total=False):
    """:class:`TagArgs` as a dict (snake_case keys; camelCase works too)."""

    tag_key: pulumi.Input[str]
    tag_value: pulumi.Input[str]


@dataclass
class ThemeGenerationConfigArgs:
    """For theme generation jobs, specify the name of the column in your Items dataset that contains each item's."""

    #: Fields used to generate descriptive themes for a batch inference job.
    fields_for_theme_generation: pulumi.Input[FieldsForThemeGenerationArgs | FieldsForThemeGenerationArgsDict]


class ThemeGenerationConfigArgsDict(TypedDict, total=False):
    """:class:`ThemeGenerationConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    fields_for_theme_generation: pulumi.Input[FieldsForThemeGenerationArgs | FieldsForThemeGenerationArgsDict]


@dataclass
class TrainingDataConfigArgs:
    """Specifies the training data configuration to use when creating a custom solution version (trained model)."""

    #: Specifies the columns to exclude from training. Each key is a dataset type, and each value is a list
    #: of columns. Exclude columns to control what data Amazon Personalize uses to generate recommendations.
    #: For example, you might have a column that you want to use only to filter recommendations. You can
    #: exclude this column from training and Amazon Personalize considers it only when filtering.
    excluded_dataset_columns: pulumi.Input[Mapping[str, pulumi.Input[Sequence[pulumi.Input[str]]]]] | None = None
    #: A map that specifies which columns to include from each dataset during training. The map can contain
    #: up to 3 entries, where each key is a dataset name (maximum length of 256 characters, must contain only
    #: letters and underscores) and each value is an array of up to 50 column names. Column names can be up
    #: to 150 characters long, must start with a letter or underscore, and can contain only letters, numbers,
    #: and underscores.
    included_dataset_columns: pulumi.Input[Mapping[str, pulumi.Input[Sequence[pulumi.Input[str]]]]] | None = None


class TrainingDataConfigArgsDict(TypedDict, total=False):
    """:class:`TrainingDataConfigArgs` as a dict (snake_case keys; camelCase works too)."""

    excluded_dataset_columns: pulumi.Input[Mapping[str, pulumi.Input[Sequence[pulumi.Input[str]]]]]
    included_dataset_columns: pulumi.Input[Mapping[str, pulumi.Input[Sequence[pulumi.Input[str]]]]]
