"""Quickstart: dataset group -> schema -> dataset -> import -> solution -> trained version -> campaign.

Runs on the embedded emulator by default (``personalize:target`` = embedded), so ``pulumi up``
needs no AWS account.  With ``pulumi config set personalize:target aws`` the same program targets
real AWS; there the import needs an ``s3://`` location and a role (``dataLocation`` / ``roleArn``
config keys below).
"""

import json
from pathlib import Path

import pulumi

import pulumi_personalize as personalize
from pulumi_personalize.quickstart import INTERACTIONS_SCHEMA

config = pulumi.Config()
target = pulumi.Config("personalize").get("target") or "embedded"
data_location = config.get("dataLocation") or (Path(__file__).parent / "data" / "interactions.csv").resolve().as_uri()

group = personalize.DatasetGroup("quickstart-group", target=target)
schema = personalize.Schema("quickstart-schema", schema=json.dumps(INTERACTIONS_SCHEMA), target=target)
interactions = personalize.Dataset(
    "quickstart-interactions",
    dataset_group_arn=group.dataset_group_arn,
    dataset_type="Interactions",
    schema_arn=schema.schema_arn,
    target=target,
)
load = personalize.DatasetImportJob(
    "quickstart-import",
    dataset_arn=interactions.dataset_arn,
    data_source={"data_location": data_location},
    role_arn=config.get("roleArn"),
    target=target,
)
solution = personalize.Solution(
    "quickstart-solution",
    dataset_group_arn=group.dataset_group_arn,
    recipe_arn="arn:aws:personalize:::recipe/aws-popularity-count",
    perform_auto_training=False,
    target=target,
)
version = personalize.SolutionVersion(
    "quickstart-version",
    solution_arn=solution.solution_arn,
    target=target,
    opts=pulumi.ResourceOptions(depends_on=[load]),  # train only after the data is in
)
campaign = personalize.Campaign(
    "quickstart-campaign",
    solution_version_arn=version.solution_version_arn,
    min_provisioned_tps=1,
    target=target,
)

pulumi.export("dataset_group_arn", group.dataset_group_arn)
pulumi.export("solution_arn", solution.solution_arn)
pulumi.export("solution_version_arn", version.solution_version_arn)
pulumi.export("metrics", version.metrics)
pulumi.export("campaign_arn", campaign.campaign_arn)
pulumi.export("sample_recommendation",
              personalize.get_recommendations(campaign.campaign_arn, "user0001", num_results=5, target=target))
