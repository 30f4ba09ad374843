"""The CLI-less quickstart as a new user runs it, and the automl-hpo pipeline on the emulator."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import pulumi_personalize as pp
from pulumi_personalize.cli_input import load_cli_input
from pulumi_personalize.quickstart import INTERACTIONS_SCHEMA, write_interactions
from pulumi_personalize.testing import Deployment, InProcess

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "pulumi_personalize.quickstart", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_quickstart_up_rerun_destroy(tmp_path: Path) -> None:
    first = run("up", cwd=tmp_path)
    assert first.count("  create") == 7
    assert "recommendations for user0001: ['item" in first
    assert "trained aws-popularity-count: NDCG@10 0." in first and "coverage" in first
    assert "user0001's latest items:   ['item" in first
    assert (tmp_path / ".personalize" / "quickstart-state.json").exists()
    again = run(cwd=tmp_path)
    assert again.count("  same") == 7
    gone = run("destroy", cwd=tmp_path)
    assert gone.count("  deleted  quickstart-") == 5 and gone.count("  forgot   quickstart-") == 2
    assert "destroyed 7 resources in" in gone
    assert not (tmp_path / ".personalize" / "quickstart-state.json").exists()


def test_automl_hpo_pipeline_on_the_embedded_target(tmp_path: Path) -> None:
    """The automl-hpo example's resources, driven in-process; skipped while the emulator lacks HPO."""
    target = f"embedded:{tmp_path}"
    deploy = Deployment(InProcess())
    csv = write_interactions(tmp_path / "interactions.csv").as_uri()
    base = {"target": target}
    group = deploy.up(pp.DatasetGroupProvider(), "g", {**base, "namePrefix": "g"})
    schema = deploy.up(pp.SchemaProvider(), "s", {**base, "namePrefix": "s", "schema": json.dumps(INTERACTIONS_SCHEMA)})
    dataset = deploy.up(pp.DatasetProvider(), "d", {**base, "namePrefix": "d", "datasetType": "Interactions",
                                                   "datasetGroupArn": group["datasetGroupArn"],
                                                   "schemaArn": schema["schemaArn"]})
    deploy.up(pp.DatasetImportJobProvider(), "j", {**base, "namePrefix": "j", "datasetArn": dataset["datasetArn"],
                                                   "dataSource": {"dataLocation": csv}})
    hpo = deploy.up(pp.SolutionProvider(), "hpo", {**base, **load_cli_input(EXAMPLES / "automl-hpo" /
                                                                            "hpo-solution.json"),
                                                   "datasetGroupArn": group["datasetGroupArn"]})
    try:
        version = deploy.up(pp.SolutionVersionProvider(), "v", {**base, "namePrefix": "v",
                                                                "solutionArn": hpo["solutionArn"]})
    except pp.ProviderError as exc:
        if "not supported yet" in str(exc):  # the emulator's HPO lands in stages
            pytest.skip(f"emulator: {exc.message}")
        raise
    assert version["status"] == "ACTIVE"
    assert set(version["tunedHPOParams"]["algorithmHyperParameters"]) >= {"hidden_dimension"}
    assert 0 <= version["metrics"]["coverage"] <= 1
    deploy.destroy()
