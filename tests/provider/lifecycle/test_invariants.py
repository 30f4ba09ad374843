"""The invariants infrastructure test frameworks enforce, for every program of the corpus.

terraform-plugin-testing checks "plan after apply is empty" and ImportStateVerify on every step;
pulumi's providertest asserts no changes after refresh.  Here, through the SDK's provider server:

1. create, then the same program plans no change;
2. refresh (Read; the returned inputs replace the state's), then the program plans no change;
3. adopt every resource by ARN into an empty stack (``adopt_arn``: the import a dynamic provider
   can do), then the program plans no change;
4. each in-place change plans ``update`` (never a replacement), and after it and a refresh the
   changed program plans no change.
"""

from __future__ import annotations

from typing import Any

import pytest
from lifecycle_corpus import COVERAGE, PROGRAMS, Extra, Program, World, generated_solutions

from pulumi_personalize import PROVIDERS, SolutionProvider
from pulumi_personalize.testing import Deployment

pytestmark = pytest.mark.slow


def steps(deploy: Deployment) -> dict[str, str]:
    return dict(deploy.log)


def rerun(program: Program, world: World, deploy: Deployment, extra: Extra) -> dict[str, str]:
    """Run the program again; the step per resource."""
    deploy.log.clear()
    program.run(world, deploy, extra)
    return steps(deploy)


def refresh_all(deploy: Deployment) -> None:
    for name in list(deploy.resources):
        assert deploy.refresh(name) is not None, f"{name} vanished on refresh"


def test_every_resource_type_is_covered() -> None:
    assert set(COVERAGE) == set(PROVIDERS) and min(COVERAGE.values()) >= 2, COVERAGE


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.id for p in PROGRAMS])
def test_plans_are_empty_after_create_refresh_adopt_and_update(world: World, program: Program) -> None:
    deploy = world.deployment()
    program.run(world, deploy, {})
    try:
        assert set(steps(deploy).values()) == {"create"}
        same = dict.fromkeys(program.names, "same")
        assert rerun(program, world, deploy, {}) == same, "plan after create"
        refresh_all(deploy)
        assert rerun(program, world, deploy, {}) == same, "plan after refresh"

        adopted = world.deployment()
        for name, state in deploy.resources.items():
            adopted.up(state.provider, name, {**state.inputs, "adoptArn": state.id})
        assert {adopted.resources[n].id for n in program.names} == {deploy.resources[n].id for n in program.names}
        assert rerun(program, world, adopted, {}) == same, "plan after adopting by ARN"

        for change in program.updates:
            planned = rerun(program, world, deploy, change)
            assert {planned[name] for name in change} == {"update"}, (change, planned)
            assert rerun(program, world, deploy, change) == same, ("plan after update", change)
            refresh_all(deploy)
            assert rerun(program, world, deploy, change) == same, ("plan after update and refresh", change)
    finally:
        deploy.destroy()


REPLACING = [p for p in PROGRAMS if p.replacements]


@pytest.mark.parametrize("program", REPLACING, ids=[p.id for p in REPLACING])
def test_every_planned_replacement_executes_with_its_dependents_present(world: World, program: Program) -> None:
    """A create-only change plans a replacement; executing it (in the engine's order, dependents and
    all) works against the emulator, the old resources are gone afterwards, and the plan is empty."""
    deploy = world.deployment()
    program.run(world, deploy, {})
    try:
        same = dict.fromkeys(program.names, "same")
        for change in program.replacements:
            before = {name: state.id for name, state in deploy.resources.items()}
            planned = rerun(program, world, deploy, change)
            assert {planned[name] for name in change} == {"replace"}, (change, planned)
            deploy.finish()
            for name, old_id in before.items():
                state = deploy.resources[name]
                deletable = state.provider.spec.delete_op is not None  # type: ignore[attr-defined]
                if state.id != old_id and deletable:  # import jobs and versions: AWS keeps the record
                    assert world.server.read(state.provider, state.urn, old_id, state.outputs).id == ""
            assert rerun(program, world, deploy, change) == same, ("plan after replacement", change)
    finally:
        deploy.destroy()


GENERATED = generated_solutions(24)


@pytest.mark.parametrize("props", GENERATED, ids=[f"generated-{i}" for i in range(len(GENERATED))])
def test_generated_solutions_plan_nothing_after_create_and_refresh(world: World, props: dict[str, Any]) -> None:
    """The same invariants over generated configs: what a person may write, not only what we wrote."""
    deploy = world.deployment()
    inputs = {"target": world.target, "datasetGroupArn": world.arns["group"], "namePrefix": "generated", **props}
    deploy.up(SolutionProvider(), "solution", inputs)
    try:
        assert deploy.plan(SolutionProvider(), "solution", inputs) == "same", "plan after create"
        assert deploy.refresh("solution") is not None
        assert deploy.plan(SolutionProvider(), "solution", inputs) == "same", "plan after refresh"
    finally:
        deploy.destroy()
