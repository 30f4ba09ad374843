"""The example programs under ``pulumi.runtime.set_mocks``: they register the expected resources,
wire them together, and every resource's props pass the provider's ``check`` (so ``pulumi
preview`` would succeed)."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest

import pulumi_personalize as pp
from pulumi_personalize import functions

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        kind = args.typ.rsplit(":", 1)[-1]
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.created[args.name] = (kind, inputs)
        spec = pp.PROVIDERS[kind].spec
        arn = f"arn:aws:personalize:us-east-1:123456789012:{kind.lower()}/{args.name}"
        if kind == "SolutionVersion":
            arn = f"{inputs['solutionArn']}/v1"
        return arn, {**inputs, spec.arn_key: arn, "status": "ACTIVE", "metrics": {"coverage": 0.5}}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch) -> Mocks:
    recorder = Mocks()
    monkeypatch.setattr(functions, "recommended_items", lambda arn, user, n, target, region: [f"{user}:{arn[-8:]}"])
    pulumi.runtime.set_mocks(recorder, project="example", stack="dev", preview=False)
    return recorder


def _after_all(namespace: dict[str, Any], verify: Any) -> Any:
    """Run ``verify`` once every resource the program made is registered (its URN resolved)."""
    resources = [v for v in namespace.values() if isinstance(v, pulumi.CustomResource)]
    return pulumi.Output.all(*[r.urn for r in resources]).apply(verify)


def _checked(mocks: Mocks) -> dict[str, list[tuple[str, str]]]:
    """Each created resource's check failures (the program's props as the engine would send them)."""
    return {name: [(f.property, f.reason) for f in pp.PROVIDERS[kind]().check({}, inputs).failures]
            for name, (kind, inputs) in mocks.created.items()}


@pulumi.runtime.test
def test_quickstart_program(mocks: Mocks) -> Any:
    namespace = runpy.run_path(str(EXAMPLES / "quickstart" / "__main__.py"), run_name="__main__")

    def verify(_: Any) -> None:
        kinds = {name: kind for name, (kind, _) in mocks.created.items()}
        assert sorted(kinds.values()) == sorted(["DatasetGroup", "Schema", "Dataset", "DatasetImportJob", "Solution",
                                                 "SolutionVersion", "Campaign"])
        assert all(inputs["target"] == "embedded" for _, inputs in mocks.created.values())
        job = mocks.created["quickstart-import"][1]
        assert job["dataSource"]["dataLocation"].startswith("file:///")
        assert job["dataSource"]["dataLocation"].endswith("examples/quickstart/data/interactions.csv")
        assert mocks.created["quickstart-campaign"][1]["solutionVersionArn"].endswith("quickstart-solution/v1")
        assert _checked(mocks) == {name: [] for name in mocks.created}

    return _after_all(namespace, verify)


@pulumi.runtime.test
def test_automl_hpo_program(mocks: Mocks) -> Any:
    namespace = runpy.run_path(str(EXAMPLES / "automl-hpo" / "__main__.py"), run_name="__main__")

    def verify(_: Any) -> None:
        automl = mocks.created["automl"][1]
        assert automl["performAutoML"] is True and "recipeArn" not in automl
        assert automl["solutionConfig"]["autoMLConfig"]["metricName"] == "normalized_discounted_cumulative_gain_at_10"
        hpo = mocks.created["hpo"][1]
        assert hpo["name"] == "hpo-user-personalization"  # from the CLI document
        assert hpo["datasetGroupArn"].endswith("datasetgroup/tuning-group")  # keyword override
        assert hpo["solutionConfig"]["hpoConfig"]["hpoResourceConfig"]["maxNumberOfTrainingJobs"] == "6"
        assert _checked(mocks) == {name: [] for name in mocks.created}

    return _after_all(namespace, verify)


def test_the_generated_csv_is_the_committed_one(tmp_path: Path) -> None:
    from pulumi_personalize.quickstart import write_interactions

    fresh = write_interactions(tmp_path / "interactions.csv").read_text()
    assert fresh == (EXAMPLES / "quickstart" / "data" / "interactions.csv").read_text()
    assert fresh.splitlines()[0] == "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP"
