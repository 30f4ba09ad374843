"""Replacements, renames and deletes executed the way the engine orders them, with dependents present.

Each test is one of the defects an engine-driven review found (issue 9), reproduced through the
SDK's provider server on the embedded emulator: what the plan says, and that executing it works
(or fails at once, saying why and what to do, where the engine itself cannot order it).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from lifecycle_corpus import RECIPE, World, up

from pulumi_personalize import (
    CampaignProvider,
    DatasetGroupProvider,
    DatasetImportJobProvider,
    DatasetProvider,
    EventTrackerProvider,
    SchemaProvider,
    SolutionProvider,
    SolutionVersionProvider,
)
from pulumi_personalize.quickstart import INTERACTIONS_SCHEMA
from pulumi_personalize.testing import CallError, Deployment, urn_for

pytestmark = pytest.mark.slow
POPULARITY = RECIPE + "aws-popularity-count"


def serving_pipeline(world: World, deploy: Deployment, extra: dict[str, dict[str, Any]]) -> None:
    """A solution, a version of it and a campaign serving that version, on the shared data."""
    solution = up(deploy, world, SolutionProvider(), "solution", {
        "datasetGroupArn": world.arns["group"], "recipeArn": POPULARITY, "performAutoTraining": False}, extra)
    version = up(deploy, world, SolutionVersionProvider(), "version", {"solutionArn": solution["solutionArn"]},
                 extra)
    up(deploy, world, CampaignProvider(), "campaign", {"solutionVersionArn": version["solutionVersionArn"]}, extra)
    deploy.finish()


def test_named_solution_replaced_under_a_campaign_fails_at_once_and_says_how_out(world: World) -> None:
    """Defect 2: the engine deletes the named Solution first; its Campaign answers "update" to the
    unknown version, so it is still there.  The delete fails at once naming the campaign, nothing
    else is lost, and the documented way out (drop the explicit name) deploys."""
    deploy = world.deployment()
    named = {"solution": {"name": "lc-dbr-solution"}}
    serving_pipeline(world, deploy, named)
    campaign = deploy.resources["campaign"].id
    try:
        changed = {"solution": {"name": "lc-dbr-solution", "eventType": "click"}}
        assert deploy.plan(SolutionProvider(), "solution", {
            "target": world.target, "datasetGroupArn": world.arns["group"], "recipeArn": POPULARITY,
            "performAutoTraining": False, "name": "lc-dbr-solution", "eventType": "click"}) == "delete-replace"
        assert deploy.dependent_replacements("solution") == ["version"]  # the campaign answers "update"
        with pytest.raises(CallError) as info:
            serving_pipeline(world, deploy, changed)
        first = str(info.value).splitlines()[0]
        assert "ResourceInUseException: DeleteSolution:" in first and "Timeout" not in first
        assert f"Still serving its versions: {campaign}" in first
        assert "drop the Solution's explicit name" in first
        assert deploy.log[-1] == ("version", "delete-replaced")
        # the way out: no explicit name -> create the new solution first; the campaign moves with it
        deploy.log.clear()
        serving_pipeline(world, deploy, {"solution": {"eventType": "click"}})
        assert dict(deploy.log) == {"solution": "replace", "version": "replace", "campaign": "replace"}
    finally:
        deploy.destroy()


def test_dataset_switching_to_autonaming_is_deleted_first_with_its_import(world: World) -> None:
    """Defect 4: one dataset per group and type, so a new name still collides: delete first, and the
    import job that depends on it goes first too (the engine's dependent replacements)."""
    deploy = world.deployment()

    def program(extra: dict[str, dict[str, Any]]) -> None:
        group = up(deploy, world, DatasetGroupProvider(), "group", {}, extra)
        schema = up(deploy, world, SchemaProvider(), "schema", {"schema": json.dumps(INTERACTIONS_SCHEMA)}, extra)
        dataset = up(deploy, world, DatasetProvider(), "dataset", {
            "name": "lc-named-dataset", "datasetGroupArn": group["datasetGroupArn"], "datasetType": "Interactions",
            "schemaArn": schema["schemaArn"]}, extra)
        up(deploy, world, DatasetImportJobProvider(), "import", {
            "datasetArn": dataset["datasetArn"], "dataSource": {"dataLocation": world.data_location}}, extra)
        deploy.finish()

    program({})
    try:
        deploy.log.clear()
        program({"dataset": {"name": None}})
        assert deploy.log == [("group", "same"), ("schema", "same"), ("import", "delete-replaced"),
                              ("dataset", "replace"), ("import", "replace")]
        assert deploy.resources["dataset"].outputs["name"].startswith("dataset-")
    finally:
        deploy.destroy()


def test_event_tracker_switching_to_autonaming_is_deleted_first(world: World) -> None:
    """Defect 4: a dataset group has one event tracker."""
    deploy = world.deployment()
    group = up(deploy, world, DatasetGroupProvider(), "group", {}, {})
    props = {"target": world.target, "datasetGroupArn": group["datasetGroupArn"]}
    deploy.up(EventTrackerProvider(), "tracker", {**props, "name": "lc-one-tracker"})
    try:
        autonamed = {**props, "namePrefix": "tracker"}
        assert deploy.plan(EventTrackerProvider(), "tracker", autonamed) == "delete-replace"
        deploy.up(EventTrackerProvider(), "tracker", autonamed)
        assert deploy.log[-1] == ("tracker", "replace")
    finally:
        deploy.destroy()


def test_renamed_campaign_is_created_before_the_old_one_goes(world: World) -> None:
    """Defect 5: nothing collides, so the live campaign keeps serving until its successor is ACTIVE."""
    deploy = world.deployment()
    props = {"target": world.target, "solutionVersionArn": world.arns["version"]}
    old = deploy.up(CampaignProvider(), "campaign", {**props, "name": "lc-live"})
    try:
        assert deploy.plan(CampaignProvider(), "campaign", {**props, "name": "lc-live-v2"}) == "replace"
        new = deploy.up(CampaignProvider(), "campaign", {**props, "name": "lc-live-v2"})
        assert [s.id for s in deploy.pending_deletes] == [old["campaignArn"]]  # still serving meanwhile
        assert new["status"] == "ACTIVE"
        deploy.finish()
        gone = world.server.read(CampaignProvider(), urn_for("Campaign", "campaign"), old["campaignArn"], old)
        assert gone.id == ""
    finally:
        deploy.destroy()


def test_region_change_creates_first_and_deletes_in_the_old_region(world: World) -> None:
    """Defects 5 and 15: a move to another region cannot collide (created first), and the old resource
    is deleted where its ARN says, not where the props now point."""
    deploy = world.deployment()
    props = {"target": world.target, "name": "lc-region-group"}
    old = deploy.up(DatasetGroupProvider(), "group", props)
    try:
        moved = {**props, "region": "eu-west-1"}
        assert deploy.plan(DatasetGroupProvider(), "group", moved) == "replace"
        new = deploy.up(DatasetGroupProvider(), "group", moved)
        assert new["datasetGroupArn"].startswith("arn:aws:personalize:eu-west-1:")
        deploy.finish()
        assert world.server.read(DatasetGroupProvider(), urn_for("DatasetGroup", "group"), old["datasetGroupArn"],
                                 old).id == ""
    finally:
        deploy.destroy()


def test_alias_keeps_the_autonamed_solution(world: World) -> None:
    """Defect 6: renaming the logical resource (with aliases) must not rename, so retrain, the solution."""
    deploy = world.deployment()
    props = {"target": world.target, "datasetGroupArn": world.arns["group"], "recipeArn": POPULARITY}
    first = deploy.up(SolutionProvider(), "recs", {**props, "namePrefix": "recs"})
    try:
        again = deploy.up(SolutionProvider(), "recommendations", {**props, "namePrefix": "recommendations"},
                          aliases=["recs"])
        assert deploy.log[-1] == ("recommendations", "same")
        assert again["solutionArn"] == first["solutionArn"] and again["name"] == first["name"]
    finally:
        deploy.destroy()


def test_equivalent_targets_change_nothing(world: World) -> None:
    """Defect 8: another spelling of the same data dir is the same target."""
    deploy = world.deployment()
    deploy.up(DatasetGroupProvider(), "group", {"target": world.target, "name": "lc-spelling"})
    try:
        respelled = world.target + "/./"
        assert deploy.plan(DatasetGroupProvider(), "group", {"target": respelled, "name": "lc-spelling"}) == "same"
    finally:
        deploy.destroy()


@pytest.mark.parametrize(("kind", "key", "reason"), [
    ("schema", "schema", "is used by dataset"),
    ("group", "group", "still has"),
    ("solution", "solution", "Still serving its versions"),
])
def test_deleting_what_is_in_use_fails_at_once_with_the_reason(world: World, kind: str, key: str,
                                                               reason: str) -> None:
    """Invariant: a delete blocked by a dependent fails fast with the API's reason, never a timeout."""
    names = {"schema": "quickstart-schema", "group": "quickstart-group", "solution": "quickstart-solution"}
    state = world.base.resources[names[kind]]
    with pytest.raises(CallError) as info:
        world.server.delete(state.provider, state.urn, state.id, {**state.outputs, "timeouts": {"delete": "30m"}})
    first = str(info.value).splitlines()[0]
    assert "ResourceInUseException" in first and reason in first and "Timeout" not in first
    assert world.server.read(state.provider, state.urn, state.id, state.outputs).id == world.arns[key]
