"""Provider benchmarks: pickled provider sizes, check+diff time per resource, import time, and a
full quickstart ``up`` on the embedded target.

Run: python bench/bench_provider.py   (goals: <= 200 chars, <= 1 ms, <= 300 ms, seconds)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

import pulumi_personalize as pp

ACCOUNT = "arn:aws:personalize:us-east-1:123456789012"
RECIPES = ["aws-user-personalization", "aws-user-personalization-v2", "aws-sims", "aws-popularity-count",
           "aws-trending-now", "aws-personalized-ranking"]


def config(kind: str, rng: random.Random) -> dict[str, Any]:
    """One realistic props bag of resource ``kind`` (random names, tags, nested config)."""
    tags = [{"tagKey": f"k{i}", "tagValue": str(rng.randrange(100))} for i in range(rng.randrange(4))]
    name = f"r{rng.randrange(10**6)}"
    if kind == "Solution":
        props: dict[str, Any] = {
            "name": name, "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg",
            "recipeArn": f"arn:aws:personalize:::recipe/{rng.choice(RECIPES)}",
            "performAutoTraining": rng.random() < 0.5,
            "solutionConfig": {"eventValueThreshold": "0.5",
                               "autoTrainingConfig": {"schedulingExpression": f"rate({rng.randrange(1, 31)} days)"},
                               "eventsConfig": {"eventParametersList": [{"eventType": "click", "weight": 0.5}]}},
        }
    elif kind == "Campaign":
        props = {"name": name, "solutionVersionArn": f"{ACCOUNT}:solution/s/v{rng.randrange(9)}",
                 "minProvisionedTPS": float(rng.randrange(1, 5)),
                 "campaignConfig": {"itemExplorationConfig": {"exploration_weight": "0.3"}}}
    elif kind == "DatasetImportJob":
        props = {"jobName": name, "datasetArn": f"{ACCOUNT}:dataset/dg/INTERACTIONS",
                 "dataSource": {"dataLocation": f"s3://bucket/{name}.csv"}}
    elif kind == "Schema":
        props = {"name": name, "schema": json.dumps({"type": "record", "name": "Interactions", "fields": []})}
    elif kind == "Dataset":
        props = {"name": name, "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg", "datasetType": "Interactions",
                 "schemaArn": f"{ACCOUNT}:schema/s"}
    elif kind == "SolutionVersion":
        props = {"solutionArn": f"{ACCOUNT}:solution/s", "trainingMode": "FULL", "name": name}
    else:
        props = {"name": name, "datasetGroupArn": f"{ACCOUNT}:dataset-group/dg"} if kind == "EventTracker" else {
            "name": name, "domain": "ECOMMERCE"}
    if kind != "Schema":
        props["tags"] = tags
    if rng.random() < 0.2:
        props[next(iter(props))] = Unknown()  # a preview with an unknown value
    return props


def bench_check_diff(count: int = 1000) -> dict[str, float]:
    """Mean milliseconds of one check + one diff, per resource type, over ``count`` configs."""
    rng = random.Random(1)
    results = {}
    for kind, cls in pp.PROVIDERS.items():
        provider = cls()
        pairs = [(config(kind, rng), config(kind, rng)) for _ in range(count)]
        provider.check({}, pairs[0][0])  # warm the botocore model cache
        started = time.perf_counter()
        for old, new in pairs:
            checked = provider.check(old, new).inputs
            provider.diff("id", {**old, cls.spec.arn_key: "arn", "status": "ACTIVE"}, checked)
        results[kind] = (time.perf_counter() - started) / count * 1000
    return results


def _import_ms(code: str) -> float:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         check=True).stderr
    line = next(x for x in out.splitlines() if x.rstrip().endswith("| pulumi_personalize"))
    return int(line.split("|")[1]) / 1000


def bench_import(runs: int = 7) -> tuple[float, float, list[str]]:
    """Best cumulative ``import pulumi_personalize`` time (ms); the part that is ours (pulumi itself
    imported first); and the heavy modules it loads.  Best-of-N because a busy machine adds noise."""
    best = min(_import_ms("import pulumi_personalize") for _ in range(runs))
    own = min(_import_ms("import pulumi.dynamic; import pulumi_personalize") for _ in range(runs))
    probe = ("import sys, pulumi_personalize; print(','.join(m for m in ('numpy', 'lightgbm', 'boto3', "
             "'botocore', 'pydantic', 'scipy') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    return best, own, [m for m in loaded.split(",") if m]


def bench_quickstart() -> tuple[float, float]:
    """Seconds for a full quickstart ``up`` on a fresh embedded data dir, and for a no-op re-run."""
    from pulumi_personalize.quickstart import run_pipeline, write_interactions
    from pulumi_personalize.testing import Deployment, InProcess

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        uri = write_interactions(data / "interactions.csv").as_uri()
        deploy = Deployment(InProcess())
        started = time.perf_counter()
        run_pipeline(deploy, target=f"embedded:{data}", data_location=uri)
        first = time.perf_counter() - started
        started = time.perf_counter()
        run_pipeline(deploy, target=f"embedded:{data}", data_location=uri)
        again = time.perf_counter() - started
        deploy.destroy()
    return first, again


def main() -> int:
    print("pickled provider size (serialize_provider, goal <= 200 chars)")
    sizes = {kind: len(serialize_provider(cls())) for kind, cls in pp.PROVIDERS.items()}
    for kind, size in sizes.items():
        print(f"  {kind:18} {size:4d}")
    print("check + diff per config, 1,000 configs each (goal <= 1 ms)")
    times = bench_check_diff()
    for kind, ms in times.items():
        print(f"  {kind:18} {ms:6.3f} ms")
    import_ms, own_ms, heavy = bench_import()
    print(f"import pulumi_personalize: {import_ms:.0f} ms (goal <= 300 ms), of which {own_ms:.0f} ms is this "
          f"package (the rest is pulumi); heavy modules loaded: {heavy or 'none'}")
    first, again = bench_quickstart()
    print(f"quickstart up on the embedded target: {first:.2f} s (no-op re-run {again:.2f} s)")
    ok = max(sizes.values()) <= 200 and max(times.values()) <= 1.0 and import_ms <= 300 and not (
        {"numpy", "lightgbm"} & set(heavy))
    print("all goals met" if ok else "SOME GOALS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
