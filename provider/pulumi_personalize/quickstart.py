"""The quickstart pipeline without the Pulumi CLI: ``python -m pulumi_personalize.quickstart``.

It drives the *same* providers the Pulumi program in ``examples/quickstart`` uses (check, diff,
create/update/replace, delete, exactly the calls the engine makes) through a minimal in-process
engine, on the embedded emulator by default: dataset group -> schema -> dataset -> import job
from a generated CSV -> solution (aws-popularity-count) -> solution version -> campaign, then one
GetRecommendations call.  State is kept in ``<data-dir>/quickstart-state.json`` so ``up`` is
idempotent and ``destroy`` removes everything.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import (
    PROVIDERS,
    CampaignProvider,
    DatasetGroupProvider,
    DatasetImportJobProvider,
    DatasetProvider,
    SchemaProvider,
    SolutionProvider,
    SolutionVersionProvider,
)
from .testing import Deployment, InProcess, State, urn_for

__all__ = ["INTERACTIONS_SCHEMA", "load_state", "main", "recommend", "run_pipeline", "save_state",
           "write_interactions"]

#: The Avro schema of the generated interactions (USER_ID, ITEM_ID, EVENT_TYPE, TIMESTAMP).
INTERACTIONS_SCHEMA = {
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "EVENT_TYPE", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}],
    "version": "1.0",
}
POPULARITY = "arn:aws:personalize:::recipe/aws-popularity-count"


def write_interactions(path: Path, *, users: int = 120, items: int = 60, events: int = 3000,
                       seed: int = 7) -> Path:
    """A small synthetic interaction log (Zipf-like item popularity), deterministic for ``seed``."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(items)]
    start = 1_700_000_000
    rows = []
    for index in range(events):
        user = f"user{rng.randrange(users):04d}"
        item = f"item{rng.choices(range(items), weights)[0]:04d}"
        kind = "purchase" if rng.random() < 0.1 else "click"
        rows.append(f"{user},{item},{kind},{start + index * 60}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run_pipeline(deploy: Deployment, *, target: str, data_location: str,
                 extra: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """``up`` the seven quickstart resources in dependency order; their outputs by resource name.

    ``extra`` adds or overrides props per resource name (tests use it to change things).
    """
    extra = extra or {}
    common = {"target": target}

    def up(provider: Any, name: str, props: dict[str, Any]) -> dict[str, Any]:
        inputs = {**common, **props, **extra.get(name, {})}
        if inputs.get(provider.spec.name_key) is None:
            inputs["namePrefix"] = name  # what the resource classes do when no name is given
        return deploy.up(provider, name, inputs)

    group = up(DatasetGroupProvider(), "quickstart-group", {})
    schema = up(SchemaProvider(), "quickstart-schema", {"schema": json.dumps(INTERACTIONS_SCHEMA)})
    dataset = up(DatasetProvider(), "quickstart-interactions", {
        "datasetGroupArn": group["datasetGroupArn"], "datasetType": "Interactions",
        "schemaArn": schema["schemaArn"]})
    job = up(DatasetImportJobProvider(), "quickstart-import", {
        "datasetArn": dataset["datasetArn"], "dataSource": {"dataLocation": data_location}})
    solution = up(SolutionProvider(), "quickstart-solution", {
        "datasetGroupArn": group["datasetGroupArn"], "recipeArn": POPULARITY, "performAutoTraining": False})
    version = up(SolutionVersionProvider(), "quickstart-version", {
        "solutionArn": solution["solutionArn"], "tags": [{"tagKey": "import", "tagValue": job["jobName"]}]})
    campaign = up(CampaignProvider(), "quickstart-campaign", {
        "solutionVersionArn": version["solutionVersionArn"], "minProvisionedTPS": 1})
    deploy.finish()
    return {"group": group, "schema": schema, "dataset": dataset, "job": job, "solution": solution,
            "version": version, "campaign": campaign}


def recommend(campaign: Mapping[str, Any], user_id: str, *, num_results: int = 5) -> list[str]:
    """Item ids GetRecommendations returns for ``user_id`` from the deployed campaign."""
    from .functions import recommended_items

    return recommended_items(str(campaign["campaignArn"]), user_id, num_results, campaign.get("target"),
                             campaign.get("region"))


def save_state(deploy: Deployment, path: Path) -> None:
    """Persist the deployment (provider by type name; ids; inputs; outputs) as JSON."""
    data = {name: {"type": type(s.provider).__name__.removesuffix("Provider"), "id": s.id, "inputs": s.inputs,
                   "outputs": s.outputs} for name, s in deploy.resources.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


def load_state(deploy: Deployment, path: Path) -> None:
    """Restore a deployment saved by :func:`save_state` (nothing when the file is absent)."""
    if not path.exists():
        return
    for name, item in json.loads(path.read_text(encoding="utf-8")).items():
        provider = PROVIDERS[item["type"]]()
        deploy.resources[name] = State(provider, urn_for(item["type"], name), item["id"], item["inputs"],
                                       item["outputs"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pulumi_personalize.quickstart", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", choices=("up", "destroy"), default="up")
    parser.add_argument("--data-dir", type=Path, default=Path(".personalize"),
                        help="embedded emulator state and quickstart state (default: .personalize)")
    parser.add_argument("--target", default=None,
                        help="'embedded' (default, on --data-dir), an emulator URL, or 'aws'")
    options = parser.parse_args(argv)
    data_dir = options.data_dir.resolve()
    target = options.target or f"embedded:{data_dir}"
    state_file = data_dir / "quickstart-state.json"
    deploy = Deployment(InProcess())
    load_state(deploy, state_file)
    started = time.perf_counter()
    try:
        if options.command == "destroy":
            states = dict(deploy.resources)
            deploy.destroy()
            for name, _step in deploy.log:
                # AWS has no delete for import jobs and versions: they are forgotten (a version goes with
                # its solution; an import job's record stays in the account's history).
                verb = "deleted" if states[name].provider.spec.delete_op else "forgot "  # type: ignore[attr-defined]
                print(f"  {verb}  {name:24} {states[name].id}")
            print(f"destroyed {len(deploy.log)} resources in {time.perf_counter() - started:.1f}s")
            return 0
        csv_path = write_interactions(data_dir / "interactions.csv")
        outs = run_pipeline(deploy, target=target, data_location=csv_path.as_uri())
    finally:
        if deploy.resources:
            save_state(deploy, state_file)
        else:
            state_file.unlink(missing_ok=True)
    for name, step in deploy.log:
        print(f"  {step:8} {name}")
    for name, state in deploy.resources.items():
        print(f"{name:24} {state.id}")
    print(explain(outs["version"], csv_path, recommend(outs["campaign"], "user0001")))
    print(f"up in {time.perf_counter() - started:.1f}s (state: {state_file})")
    return 0


_SHOWN_METRICS = (("normalized_discounted_cumulative_gain_at_10", "NDCG@10"), ("precision_at_10", "precision@10"),
                  ("mean_reciprocal_rank_at_25", "MRR@25"), ("coverage", "coverage"))


def explain(version: Mapping[str, Any], csv_path: Path, recommended: list[str], user: str = "user0001") -> str:
    """What was trained and how good it is, in words a newcomer can act on."""
    metrics = version.get("metrics") or {}
    scores = ", ".join(f"{label} {float(metrics[key]):.3f}" for key, label in _SHOWN_METRICS if key in metrics)
    rows = [line.split(",") for line in csv_path.read_text(encoding="utf-8").splitlines()[1:]]
    history = [item for who, item, *_ in rows if who == user][-5:]
    return "\n".join([
        f"trained aws-popularity-count: {scores or 'no metrics'} (GetSolutionMetrics on held-out users)",
        "  popularity-count recommends the same most-interacted items to everyone: the generated log has no",
        "  per-user taste to learn, so it is the honest baseline here; aws-user-personalization learns tastes",
        "  from real data (see examples/automl-hpo, and the README's benchmarks on MovieLens).",
        f"{user}'s latest items:   {history}",
        f"recommendations for {user}: {recommended}",
        "next: `pulumi up` in examples/quickstart runs the same program through Pulumi; `personalize-emulator serve",
        "  --data-dir .personalize` serves this state to any boto3 client or the AWS CLI, and shows it in a",
        "  browser at http://127.0.0.1:<port>/_console/ (status, metrics, a try-it box for recommendations).",
    ])


if __name__ == "__main__":
    sys.exit(main())
