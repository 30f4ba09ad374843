"""AutoML and HPO: two solutions on the quickstart's synthetic data, each trained once.

* ``automl``: ``perform_auto_ml`` lets Personalize pick the best USER_PERSONALIZATION recipe by
  ``metricName`` (typed Args).
* ``hpo``: hyperparameter optimisation, declared in an ``aws personalize create-solution
  --cli-input-json`` document (``hpo-solution.json``); keyword arguments override the document.

Both are validated at preview: an HPO job limit above 40, a range on a non-tunable hyperparameter
or an ``hpoObjective`` (documented as not configurable) fail ``pulumi preview`` before any call.
"""

import json
from pathlib import Path

import pulumi

import pulumi_personalize as personalize
from pulumi_personalize import args
from pulumi_personalize.quickstart import INTERACTIONS_SCHEMA

here = Path(__file__).parent
target = pulumi.Config("personalize").get("target") or "embedded"
csv = here.parent / "quickstart" / "data" / "interactions.csv"
data = pulumi.Config().get("dataLocation") or csv.resolve().as_uri()

group = personalize.DatasetGroup("tuning-group", target=target)
schema = personalize.Schema("tuning-schema", schema=json.dumps(INTERACTIONS_SCHEMA), target=target)
dataset = personalize.Dataset("tuning-interactions", dataset_group_arn=group.dataset_group_arn,
                              dataset_type="Interactions", schema_arn=schema.schema_arn, target=target)
load = personalize.DatasetImportJob("tuning-import", dataset_arn=dataset.dataset_arn,
                                    data_source=args.DataSourceArgs(data_location=data), target=target)

automl = personalize.Solution(
    "automl",
    dataset_group_arn=group.dataset_group_arn,
    perform_auto_ml=True,
    perform_auto_training=False,
    solution_config=args.SolutionConfigArgs(
        auto_ml_config=args.AutoMLConfigArgs(
            metric_name="normalized_discounted_cumulative_gain_at_10",
            recipe_list=["arn:aws:personalize:::recipe/aws-user-personalization",
                         "arn:aws:personalize:::recipe/aws-user-personalization-v2"],
        ),
    ),
    target=target,
)
hpo = personalize.Solution.from_cli_input(here / "hpo-solution.json", "hpo",
                                          dataset_group_arn=group.dataset_group_arn, target=target)

after_import = pulumi.ResourceOptions(depends_on=[load])
automl_version = personalize.SolutionVersion("automl-version", solution_arn=automl.solution_arn, target=target,
                                             opts=after_import)
hpo_version = personalize.SolutionVersion("hpo-version", solution_arn=hpo.solution_arn, target=target,
                                          opts=after_import)

pulumi.export("automl_recipe", automl_version.recipe_arn)
pulumi.export("automl_metrics", automl_version.metrics)
pulumi.export("hpo_tuned_params", hpo_version.tuned_hpo_params)
pulumi.export("hpo_metrics", hpo_version.metrics)
