"""The resource classes as a program uses them, under ``pulumi.runtime.set_mocks``: snake_case
keywords and typed Args become the API's camelCase props, outputs come back snake_case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest

import pulumi_personalize as pp
from pulumi_personalize import args as a

DSG_ARN = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg"


class Mocks(pulumi.runtime.Mocks):
    """Records what each resource sends to the engine and echoes it back, as the providers do."""

    def __init__(self) -> None:
        self.created: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.created[args.name] = {"type": args.typ, **inputs}
        kind = args.typ.rsplit(":", 1)[-1]
        arn_key = kind[0].lower() + kind[1:] + "Arn"
        arn = f"arn:aws:personalize:us-east-1:123456789012:{kind.lower()}/{args.name}"
        return arn, {**inputs, arn_key: arn, "status": "ACTIVE", "trackingId": "t-1"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    recorder = Mocks()
    pulumi.runtime.set_mocks(recorder, project="personalize", stack="test", preview=False)
    return recorder


@pulumi.runtime.test
def test_snake_case_keywords_and_typed_args_become_api_props(mocks: Mocks) -> Any:
    solution = pp.Solution(
        "sol",
        dataset_group_arn=DSG_ARN,
        recipe_arn="arn:aws:personalize:::recipe/aws-user-personalization",
        perform_hpo=True,
        solution_config=a.SolutionConfigArgs(
            event_value_threshold="0.5",
            algorithm_hyper_parameters={"hidden_dimension": "100"},
            hpo_config={"hpo_resource_config": a.HpoResourceConfigArgs(max_number_of_training_jobs="4")},
            auto_ml_config={"metricName": "coverage"},
        ),
        tags={"team": "ml"},
        opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="2h")),
    )

    def verify(values: list[Any]) -> None:
        sent = mocks.created["sol"]
        assert sent["type"] == "pulumi-python:dynamic/personalize:Solution"
        assert sent["datasetGroupArn"] == DSG_ARN and sent["performHPO"] is True
        assert sent["solutionConfig"] == {
            "eventValueThreshold": "0.5",
            "algorithmHyperParameters": {"hidden_dimension": "100"},  # map keys untouched
            "hpoConfig": {"hpoResourceConfig": {"maxNumberOfTrainingJobs": "4"}},
            "autoMLConfig": {"metricName": "coverage"},
        }
        assert sent["tags"] == [{"tagKey": "team", "tagValue": "ml"}]
        assert sent["namePrefix"] == "sol" and "name" not in sent
        assert sent["timeouts"] == {"create": "2h"}
        arn, status, config = values
        assert arn.endswith("solution/sol") and status == "ACTIVE"
        assert config["auto_ml_config"] == {"metric_name": "coverage"}  # outputs snake_case

    return pulumi.Output.all(solution.solution_arn, solution.status, solution.solution_config).apply(verify)


@pulumi.runtime.test
def test_target_and_region_default_to_stack_config(mocks: Mocks) -> Any:
    pulumi.runtime.set_all_config({"personalize:target": "embedded", "personalize:region": "eu-west-1"})
    try:
        group = pp.DatasetGroup("dg", name="fixed")
    finally:
        pulumi.runtime.set_all_config({})

    def verify(_: Any) -> None:
        sent = mocks.created["dg"]
        assert sent["target"] == "embedded" and sent["region"] == "eu-west-1"
        assert sent["name"] == "fixed" and "namePrefix" not in sent

    return group.dataset_group_arn.apply(verify)


@pulumi.runtime.test
def test_every_resource_registers_with_its_type_token(mocks: Mocks) -> Any:
    schema = pp.Schema("schema", schema={"type": "record", "name": "Interactions", "fields": []})
    dataset = pp.Dataset("ds", dataset_group_arn=DSG_ARN, dataset_type="Interactions", schema_arn=schema.schema_arn)
    job = pp.DatasetImportJob("job", dataset_arn=dataset.dataset_arn,
                              data_source=a.DataSourceArgs(data_location="s3://bucket/x.csv"))
    version = pp.SolutionVersion("sv", solution_arn="arn:aws:personalize:us-east-1:1:solution/s")
    campaign = pp.Campaign("camp", solution_version_arn=version.solution_version_arn, min_provisioned_tps=2,
                           campaign_config=a.CampaignConfigArgs(enable_metadata_with_recommendations=True))
    tracker = pp.EventTracker("tracker", dataset_group_arn=DSG_ARN)
    pp.Filter("unseen", dataset_group_arn=DSG_ARN,
              filter_expression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')
    pp.BatchInferenceJob("nightly", solution_version_arn=version.solution_version_arn, role_arn="arn:aws:iam::1:role/r",
                         job_input=a.BatchInferenceJobInputArgs(s3_data_source=a.S3DataConfigArgs(path="s3://b/in/")),
                         job_output={"s3_data_destination": {"path": "s3://b/out/"}}, num_results=10)

    def verify(values: list[Any]) -> None:
        types = {name: sent["type"].rsplit(":", 1)[-1] for name, sent in mocks.created.items()}
        assert types == {"schema": "Schema", "ds": "Dataset", "job": "DatasetImportJob", "sv": "SolutionVersion",
                         "camp": "Campaign", "tracker": "EventTracker", "unseen": "Filter",
                         "nightly": "BatchInferenceJob"}
        assert mocks.created["nightly"]["jobInput"] == {"s3DataSource": {"path": "s3://b/in/"}}
        assert mocks.created["nightly"]["jobOutput"] == {"s3DataDestination": {"path": "s3://b/out/"}}
        assert mocks.created["nightly"]["numResults"] == 10 and mocks.created["nightly"]["namePrefix"] == "nightly"
        assert mocks.created["unseen"]["filterExpression"] == 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")'

        assert json.loads(mocks.created["schema"]["schema"])["name"] == "Interactions"
        assert mocks.created["job"]["dataSource"] == {"dataLocation": "s3://bucket/x.csv"}
        assert mocks.created["job"]["namePrefix"] == "job"
        assert mocks.created["camp"]["minProvisionedTPS"] == 2
        assert mocks.created["camp"]["campaignConfig"] == {"enableMetadataWithRecommendations": True}
        assert values[0] == "t-1"

    return pulumi.Output.all(tracker.tracking_id, job.dataset_import_job_arn, campaign.campaign_arn).apply(verify)


@pulumi.runtime.test
def test_from_cli_input_json_with_overrides(mocks: Mocks, tmp_path: Path) -> Any:
    document = {"name": "from-cli", "datasetGroupArn": "arn:aws:personalize:us-east-1:1:dataset-group/old",
                "recipeArn": "arn:aws:personalize:::recipe/aws-sims",
                "solutionConfig": {"algorithmHyperParameters": {"min_cointeraction_count": "2"}}}
    path = tmp_path / "solution.json"
    path.write_text(json.dumps(document))
    solution = pp.Solution.from_cli_input(path, dataset_group_arn=DSG_ARN)

    def verify(_: Any) -> None:
        sent = mocks.created["from-cli"]
        assert sent["datasetGroupArn"] == DSG_ARN  # the keyword overrides the document
        assert sent["name"] == "from-cli" and sent["recipeArn"].endswith("aws-sims")
        assert sent["solutionConfig"] == document["solutionConfig"]

    return solution.solution_arn.apply(verify)


@pulumi.runtime.test
def test_from_cli_input_yaml(mocks: Mocks, tmp_path: Path) -> Any:
    path = tmp_path / "solution.yaml"
    path.write_text("name: yaml-sol\ndatasetGroupArn: " + DSG_ARN + "\nperformAutoML: true\n")
    solution = pp.Solution.from_cli_input(f"file://{path}", "renamed")

    def verify(_: Any) -> None:
        assert mocks.created["renamed"]["performAutoML"] is True
        assert mocks.created["renamed"]["name"] == "yaml-sol"

    return solution.solution_arn.apply(verify)


def test_from_cli_input_documents_are_checked_like_any_props(tmp_path: Path) -> None:
    from pulumi_personalize.cli_input import load_cli_input, merge_cli_input

    path = tmp_path / "solution.json"
    path.write_text(json.dumps({
        "name": "s", "datasetGroupArn": DSG_ARN, "performHPO": True, "recipeArn":
        "arn:aws:personalize:::recipe/aws-user-personalization", "solutionConfig": {"hpoConfig": {
            "hpoObjective": {"type": "Maximize", "metricName": "coverage"}}}, "solutionNmae": "typo"}))
    merged = merge_cli_input(load_cli_input(path), {})
    assert merged["solution_config"]["hpoConfig"]["hpoObjective"]["type"] == "Maximize"  # nested stays camel
    props = {"name": "s", "datasetGroupArn": DSG_ARN, "performHPO": True,
             "recipeArn": merged["recipe_arn"], "solutionConfig": merged["solution_config"],
             "solutionNmae": "typo"}
    failures = {(f.property, f.reason.split(";")[0]) for f in pp.SolutionProvider().check({}, props).failures}
    assert ("solutionConfig", "solutionConfig.hpoConfig.hpoObjective: is not configurable: Amazon Personalize "
            "documents hpoObjective as not supported at this time and chooses the objective itself") in failures
    assert ("solutionNmae", "solutionNmae: is not a member of CreateSolutionRequest") in failures


def test_from_cli_input_needs_a_name_or_resource_name(tmp_path: Path) -> None:
    path = tmp_path / "solution.json"
    path.write_text("{}")
    with pytest.raises(ValueError, match="no 'name' in the document; pass resource_name="):
        pp.Solution.from_cli_input(path)
    path.write_text("[]")
    with pytest.raises(ValueError, match="must be an object, got list"):
        pp.Solution.from_cli_input(path, "x")


def test_cli_input_yaml_is_read_as_yaml_1_2_like_the_aws_cli(tmp_path: Path) -> None:
    """YAML 1.1 (PyYAML) reads OFF and yes as booleans; the AWS CLI's ruamel.yaml (1.2) keeps them strings."""
    from pulumi_personalize.cli_input import load_cli_input

    path = tmp_path / "solution.yaml"
    path.write_text("name: s\nsolutionConfig:\n  optimizationObjective:\n    itemAttribute: PRICE\n"
                    "    objectiveSensitivity: OFF\ntags:\n- tagKey: reviewed\n  tagValue: yes\n"
                    "performHPO: false\n")
    document = load_cli_input(path)
    assert document["solutionConfig"]["optimizationObjective"]["objectiveSensitivity"] == "OFF"
    assert document["tags"] == [{"tagKey": "reviewed", "tagValue": "yes"}]
    assert document["performHPO"] is False


@pulumi.runtime.test
def test_adopt_arn_reaches_the_provider_and_get_reads_by_arn(mocks: Mocks) -> Any:
    arn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/existing"
    adopted = pp.DatasetGroup("adopted", name="existing", adopt_arn=arn)
    read = pp.DatasetGroup.get("looked-up", arn, target="embedded")

    def verify(values: list[Any]) -> None:
        assert mocks.created["adopted"]["adoptArn"] == arn and mocks.created["adopted"]["name"] == "existing"
        assert mocks.created["looked-up"]["target"] == "embedded"
        assert values[1] == arn

    return pulumi.Output.all(adopted.dataset_group_arn, read.id).apply(verify)
