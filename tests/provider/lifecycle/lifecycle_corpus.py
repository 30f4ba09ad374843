"""The corpus the lifecycle invariants run over: Pulumi programs for all ten resource types.

Each program ``up``s its resources in dependency order into a :class:`Deployment`; ``extra``
overrides props per resource name (an in-place change, a replacement).  Configs come from AWS's
documented examples where there are some (the AWS CLI reference's ``create-solution`` forms, the
Developer Guide's HPO, AutoML, events-weight and optimization-objective examples, the getting
started notebooks' dataset group / schema / dataset / import / campaign / event tracker calls),
plus provider-specific forms (autonaming, tags, custom timeouts).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pulumi.dynamic import ResourceProvider

from pulumi_personalize import (
    BatchInferenceJobProvider,
    CampaignProvider,
    DatasetGroupProvider,
    DatasetImportJobProvider,
    DatasetProvider,
    EventTrackerProvider,
    FilterProvider,
    SchemaProvider,
    SolutionProvider,
    SolutionVersionProvider,
)
from pulumi_personalize.quickstart import INTERACTIONS_SCHEMA
from pulumi_personalize.testing import Deployment, ProviderServer

Extra = Mapping[str, Mapping[str, Any]]
RECIPE = "arn:aws:personalize:::recipe/"
ROLE = "arn:aws:iam::123456789012:role/PersonalizeRole"
KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ITEMS_SCHEMA = {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                "fields": [{"name": "ITEM_ID", "type": "string"},
                           {"name": "GENRES", "type": ["null", "string"], "categorical": True}],
                "version": "1.0"}
USERS_SCHEMA = {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
                "fields": [{"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": "int"}],
                "version": "1.0"}
@dataclass
class World:
    """The shared base pipeline: its target, data location and the ARNs corpus configs refer to."""

    server: ProviderServer
    target: str
    data_location: str
    base: Deployment
    arns: dict[str, str]

    def deployment(self) -> Deployment:
        return Deployment(self.server)


TAGS = [{"tagKey": "team", "tagValue": "recs"}, {"tagKey": "env", "tagValue": "dev"}]


def up(deploy: Deployment, world: World, provider: ResourceProvider, name: str, props: Mapping[str, Any],
       extra: Extra) -> dict[str, Any]:
    """One resource as a program registers it: the target, its props, and no name -> a namePrefix."""
    inputs = {"target": world.target, **props, **extra.get(name, {})}
    inputs = {k: v for k, v in inputs.items() if v is not None}
    if inputs.get(provider.spec.name_key) is None:  # type: ignore[attr-defined]
        inputs["namePrefix"] = name
    return deploy.up(provider, name, inputs)


@dataclass(frozen=True)
class Program:
    """A program and the in-place changes it can take (each must plan ``update``, never replace)."""

    id: str
    run: Callable[[World, Deployment, Extra], None]
    updates: tuple[Extra, ...] = ()
    #: Resources the program creates, by name (the invariants check every one).
    names: tuple[str, ...] = field(default=())
    #: Create-only changes: each must plan a replacement that executes with the dependents present.
    replacements: tuple[Extra, ...] = ()


def _group(name: str | None, **props: Any) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        up(deploy, world, DatasetGroupProvider(), "group", {"name": name, **props}, extra)

    return run


def _schema(name: str | None, document: Mapping[str, Any]) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        up(deploy, world, SchemaProvider(), "schema", {"name": name, "schema": json.dumps(document)}, extra)

    return run


def _dataset(kind: str, document: Mapping[str, Any], dataset_name: str | None) -> Callable[
        [World, Deployment, Extra], None]:
    """A dataset needs a group of its own: the API allows one dataset per group and type."""

    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        group = up(deploy, world, DatasetGroupProvider(), "group", {}, extra)
        schema = up(deploy, world, SchemaProvider(), "schema", {"schema": json.dumps(document)}, extra)
        up(deploy, world, DatasetProvider(), "dataset", {
            "name": dataset_name, "datasetGroupArn": group["datasetGroupArn"], "datasetType": kind,
            "schemaArn": schema["schemaArn"]}, extra)

    return run


def _import(mode: str | None) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        group = up(deploy, world, DatasetGroupProvider(), "group", {}, extra)
        schema = up(deploy, world, SchemaProvider(), "schema", {"schema": json.dumps(INTERACTIONS_SCHEMA)}, extra)
        dataset = up(deploy, world, DatasetProvider(), "dataset", {
            "datasetGroupArn": group["datasetGroupArn"], "datasetType": "Interactions",
            "schemaArn": schema["schemaArn"]}, extra)
        up(deploy, world, DatasetImportJobProvider(), "import", {
            "datasetArn": dataset["datasetArn"], "dataSource": {"dataLocation": world.data_location},
            "importMode": mode, "roleArn": ROLE}, extra)

    return run


def _solution(**props: Any) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        up(deploy, world, SolutionProvider(), "solution", {"datasetGroupArn": world.arns["group"], **props}, extra)

    return run


def _version(**props: Any) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        solution = up(deploy, world, SolutionProvider(), "solution", {
            "datasetGroupArn": world.arns["group"], "recipeArn": RECIPE + "aws-popularity-count",
            "performAutoTraining": False}, extra)
        up(deploy, world, SolutionVersionProvider(), "version", {"solutionArn": solution["solutionArn"], **props},
           extra)

    return run


def _campaign(latest: bool = False, **props: Any) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        version = world.arns["solution"] + "/$LATEST" if latest else world.arns["version"]
        config = {"syncWithLatestSolutionVersion": True} if latest else None
        up(deploy, world, CampaignProvider(), "campaign", {
            "solutionVersionArn": version, "campaignConfig": config, **props}, extra)

    return run


def _tracker(**props: Any) -> Callable[[World, Deployment, Extra], None]:
    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        group = up(deploy, world, DatasetGroupProvider(), "group", {}, extra)
        up(deploy, world, EventTrackerProvider(), "tracker", {"datasetGroupArn": group["datasetGroupArn"], **props},
           extra)

    return run


def _filter(**props: Any) -> Callable[[World, Deployment, Extra], None]:
    """A filter in a group of its own (filters count against a per-group quota)."""

    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        group = up(deploy, world, DatasetGroupProvider(), "group", {}, extra)
        up(deploy, world, FilterProvider(), "filter", {"datasetGroupArn": group["datasetGroupArn"], **props}, extra)

    return run


def _batch(out: str, **props: Any) -> Callable[[World, Deployment, Extra], None]:
    """A batch inference job over the base version; its JSON-lines input sits beside the base CSV."""

    def run(world: World, deploy: Deployment, extra: Extra) -> None:
        folder = Path(urlparse(world.data_location).path).parent
        (folder / "batch-in").mkdir(exist_ok=True)
        (folder / "batch-in" / "users.json").write_text('{"userId": "u1"}\n{"userId": "u2"}\n')
        up(deploy, world, BatchInferenceJobProvider(), "batch", {
            "solutionVersionArn": world.arns["version"], "roleArn": ROLE,
            "jobInput": {"s3DataSource": {"path": (folder / "batch-in").as_uri() + "/"}},
            "jobOutput": {"s3DataDestination": {"path": (folder / out).as_uri() + "/"}}, **props}, extra)

    return run


UP = RECIPE + "aws-user-personalization"
#: The Developer Guide's "Filter expressions" examples.
SEEN = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")'
GENRE = 'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'
UP2 = RECIPE + "aws-user-personalization-v2"
SCHEDULE = {"solutionConfig": {"autoTrainingConfig": {"schedulingExpression": "rate(3 days)"}}}

PROGRAMS: tuple[Program, ...] = (
    # -- DatasetGroup: the getting-started notebooks' create_dataset_group, plus provider forms -----
    Program("group-named", _group("lc-group"), ({"group": {"tags": TAGS}},), ("group",),
            ({"group": {"name": "lc-group-2"}},)),
    Program("group-autonamed", _group(None), ({"group": {"tags": TAGS}},), ("group",)),
    Program("group-domain", _group("lc-ecommerce", domain="ECOMMERCE"), (), ("group",)),
    Program("group-kms", _group("lc-kms", kmsKeyArn=KMS, roleArn=ROLE, tags=TAGS), (), ("group",)),
    # -- Schema ---------------------------------------------------------------------------------------
    Program("schema-interactions", _schema("lc-interactions", INTERACTIONS_SCHEMA), (), ("schema",)),
    Program("schema-items-autonamed", _schema(None, ITEMS_SCHEMA), (), ("schema",)),
    # -- Dataset ----------------------------------------------------------------------------------------
    Program("dataset-interactions", _dataset("Interactions", INTERACTIONS_SCHEMA, None),
            ({"dataset": {"tags": TAGS}},), ("group", "schema", "dataset")),
    Program("dataset-items-named", _dataset("ITEMS", ITEMS_SCHEMA, "lc-items"), (), ("group", "schema", "dataset")),
    Program("dataset-users", _dataset("users", USERS_SCHEMA, None), (), ("group", "schema", "dataset")),
    # -- DatasetImportJob ------------------------------------------------------------------------------
    Program("import-full", _import(None), ({"import": {"tags": TAGS}},), ("group", "schema", "dataset", "import"),
            ({"import": {"importMode": "INCREMENTAL"}}, {"dataset": {"name": "lc-renamed-dataset"}})),
    Program("import-incremental", _import("INCREMENTAL"), (), ("group", "schema", "dataset", "import")),
    # -- Solution: the CLI reference's create-solution forms and the Developer Guide's configs ---------
    Program("solution-recipe", _solution(recipeArn=UP), (
        {"solution": {"performAutoTraining": False}}, {"solution": SCHEDULE}, {"solution": {"tags": TAGS}}),
        ("solution",)),
    Program("solution-named-hpo", _solution(name="lc-hpo", recipeArn=UP, performHPO=True, solutionConfig={
        "hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": "4", "maxParallelTrainingJobs": "2"},
                      "algorithmHyperParameterRanges": {
                          "integerHyperParameterRanges": [{"name": "hidden_dimension", "minValue": 32,
                                                           "maxValue": 64}],
                          "categoricalHyperParameterRanges": [{"name": "recency_mask", "values": ["true", "false"]}],
                      }}}), (), ("solution",)),
    Program("solution-automl", _solution(performAutoML=True, solutionConfig={"autoMLConfig": {
        "metricName": "precision_at_25", "recipeList": [UP, UP2]}}), (), ("solution",)),
    Program("solution-event-type", _solution(recipeArn=UP, eventType="click", solutionConfig={
        "eventValueThreshold": "0.5"}), (), ("solution",)),
    Program("solution-events-config", _solution(recipeArn=UP2, solutionConfig={"eventsConfig": {
        "eventParametersList": [{"eventType": "click", "eventValueThreshold": 0.5, "weight": 0.3},
                                {"eventType": "purchase", "weight": 0.7}]}}),
            ({"solution": {"solutionConfig": {"eventsConfig": {"eventParametersList": [
                {"eventType": "click", "weight": 0.5}]}}}},
             {"solution": {"solutionConfig": None}}),  # removing eventsConfig entirely: issue 9.7
            ("solution",)),
    Program("solution-objective", _solution(recipeArn=UP, solutionConfig={
        "optimizationObjective": {"itemAttribute": "PRICE", "objectiveSensitivity": "MEDIUM"},
        "algorithmHyperParameters": {"hidden_dimension": "64"}}), (), ("solution",)),
    Program("solution-no-auto-training", _solution(recipeArn=RECIPE + "aws-popularity-count",
                                                   performAutoTraining=False, tags=TAGS),
            ({"solution": {"performAutoTraining": True}},), ("solution",)),
    # -- SolutionVersion ---------------------------------------------------------------------------------
    Program("version-full", _version(), ({"version": {"tags": TAGS}},), ("solution", "version"),
            ({"solution": {"eventType": "click"}}, {"version": {"name": "retrained"}})),
    Program("version-named", _version(name="lc-version", trainingMode="FULL"), (), ("solution", "version")),
    # -- Campaign ------------------------------------------------------------------------------------------
    Program("campaign-tps", _campaign(minProvisionedTPS=1),
            ({"campaign": {"minProvisionedTPS": 2}}, {"campaign": {"tags": TAGS}}), ("campaign",),
            ({"campaign": {"name": "lc-renamed-campaign"}},)),
    Program("campaign-latest", _campaign(latest=True, name="lc-latest"), (), ("campaign",)),
    # -- EventTracker ---------------------------------------------------------------------------------------
    Program("tracker-autonamed", _tracker(), ({"tracker": {"tags": TAGS}},), ("group", "tracker")),
    Program("tracker-named", _tracker(name="lc-tracker"), (), ("group", "tracker"),
            ({"tracker": {"name": "lc-tracker-2"}}, {"group": {"tags": TAGS, "name": "lc-tracker-group"}})),
    # -- Filter: no UpdateFilter, so every change but tags replaces (a kept name deletes first) ---------------
    Program("filter-autonamed", _filter(filterExpression=SEEN), ({"filter": {"tags": TAGS}},), ("group", "filter"),
            ({"filter": {"filterExpression": GENRE}},)),
    Program("filter-named", _filter(name="lc-filter", filterExpression=GENRE), (), ("group", "filter"),
            ({"filter": {"filterExpression": SEEN}}, {"filter": {"name": "lc-filter-2"}},
             {"group": {"name": "lc-filter-group"}})),
    # -- BatchInferenceJob: the CLI reference's create-batch-inference-job (file:// in place of s3://) ----
    Program("batch-autonamed", _batch("batch-out-a", numResults=10), ({"batch": {"tags": TAGS}},), ("batch",),
            ({"batch": {"numResults": 5}}, {"batch": {"batchInferenceJobConfig": {"itemExplorationConfig": {
                "explorationWeight": "0.1"}}}})),
    # (no explicit jobName: AWS keeps a job's record, so a named job exists once per account and region)
    Program("batch-exploration", _batch("batch-out-b", batchInferenceJobConfig={
        "itemExplorationConfig": {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}}, tags=TAGS), (),
            ("batch",), ({"batch": {"numResults": 7}},)),
)

#: How many programs cover each resource type (the closing note quotes these).
COVERAGE = {
    kind: sum(1 for p in PROGRAMS if p.id.startswith(prefix))
    for kind, prefix in (("DatasetGroup", "group"), ("Schema", "schema"), ("Dataset", "dataset"),
                         ("DatasetImportJob", "import"), ("Solution", "solution"), ("SolutionVersion", "version"),
                         ("Campaign", "campaign"), ("EventTracker", "tracker"), ("Filter", "filter"),
                         ("BatchInferenceJob", "batch"))
}


def generated_solutions(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """Random Solution configs built from every recipe's documented hyperparameters and the model's
    solutionConfig members; only those ``check`` accepts are kept (the generator knows no rule)."""
    import random

    from personalize_api import RECIPES
    from personalize_emulator.training.registry import supported_recipes

    rng = random.Random(seed)
    recipes = [r for r in RECIPES.values() if r.name in supported_recipes()]
    configs: list[dict[str, Any]] = []
    while len(configs) < count:
        recipe = rng.choice(recipes)
        config: dict[str, Any] = {}
        props: dict[str, Any] = {"recipeArn": recipe.arn}
        values = {}
        for hp in recipe.hyperparameters:
            if rng.random() < 0.5:
                if hp.kind == "categorical":
                    values[hp.name] = rng.choice(hp.values)
                elif hp.kind == "integer":
                    values[hp.name] = str(rng.randint(int(hp.min or 0), int(hp.max or 10)))
                else:
                    values[hp.name] = str(round(rng.uniform(hp.min or 0.0, hp.max or 1.0), 3))
        if values:
            config["algorithmHyperParameters"] = values
        for name, options in recipe.feature_transformation.items():
            if rng.random() < 0.5:
                config["featureTransformationParameters"] = {name: rng.choice(options)}
        if rng.random() < 0.4:
            config["eventValueThreshold"] = rng.choice(["0", "0.5", "3"])
        if rng.random() < 0.4:
            config["autoTrainingConfig"] = {"schedulingExpression": f"rate({rng.randint(1, 30)} days)"}
        if rng.random() < 0.3:
            config["trainingDataConfig"] = {"excludedDatasetColumns": {"ITEMS": ["GENRES"]}}
        if rng.random() < 0.3:
            config["eventsConfig"] = {"eventParametersList": [{"eventType": "click", "weight": rng.choice([0.2, 1.0])}]}
        if rng.random() < 0.3:
            props["eventType"] = rng.choice(["click", "purchase"])
        if rng.random() < 0.3:
            props["performAutoTraining"] = rng.random() < 0.5
        if rng.random() < 0.3:
            props["tags"] = TAGS[: rng.randint(1, 2)]
        if config:
            props["solutionConfig"] = config
        if SolutionProvider().check({}, {"name": "x", "datasetGroupArn": "arn:aws:personalize:us-east-1:"
                                         "123456789012:dataset-group/g", **props}).failures:
            continue
        configs.append(props)
    return configs
