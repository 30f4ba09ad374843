"""Scale benchmark: CreateSolutionVersion cost and quality on planted-structure logs of growing size.

    python bench/bench_scale.py [--sizes 100000 1000000 3000000] [--huge] [--threads 2] [--seed 0]

The emulator is meant for logs up to about 1M events (a developer's or CI's data set); 3M is the
stretch size and 10M (``--huge``) is only there to show the slope. Each size runs in its own
process (so peak RSS is that size's), trains aws-user-personalization and aws-popularity-count
through ``train()`` exactly as CreateSolutionVersion does, and reports wall and CPU seconds, peak
RSS, NDCG@10 under Personalize's protocol (the popularity recipe is the simple peer), and
GetRecommendations p50/p99 over known users (the precomputed path) and users with new events (the
online path). Then the log-log slope of time against size, and each target met or missed.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from personalize_emulator.training import TrainingJob, load_model, train
from progress_lines import step, training_lines
from scale_data import planted_log

RECIPE = "arn:aws:personalize:::recipe/"
NDCG10 = "normalized_discounted_cumulative_gain_at_10"
#: events -> (max wall seconds, max peak RSS MB) on a 2-core machine
TARGETS = {1_000_000: (60.0, 1024.0)}


def one(events: int, threads: int, seed: int) -> dict[str, Any]:
    """Measure one size in this process."""
    with step(f"generating {events:,} events"):
        data = planted_log(events, seed=seed)
    import lightgbm  # noqa: F401  (a server imports it once; not part of a training's cost)

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {"events": len(data.interactions), "rss_before_mb": base_rss}
    with tempfile.TemporaryDirectory() as out:
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = train(TrainingJob(recipe_arn=RECIPE + "aws-user-personalization", solution={}, seed=seed,
                                    threads=threads, progress=training_lines(f"{events:,} events")), data, Path(out))
        result["wall_s"] = time.perf_counter() - wall
        result["cpu_s"] = time.process_time() - cpu
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["ndcg10"] = outcome.metrics[NDCG10]
        model = load_model(Path(out))
        users = np.unique(data.interactions.user_id)
        rng = np.random.default_rng(seed)
        latencies: dict[str, list[float]] = {"known": [], "recent": []}
        for user in rng.choice(users, size=min(300, len(users)), replace=False):
            start = time.perf_counter()
            model.recommend(user_id=str(user), item_id=None, num_results=25)
            latencies["known"].append(time.perf_counter() - start)
        items = np.unique(data.interactions.item_id)
        for k in range(100):
            recent = [str(i) for i in rng.choice(items, size=3, replace=False)]
            start = time.perf_counter()
            model.recommend(user_id=f"new{k}", item_id=None, num_results=25, recent=recent)
            latencies["recent"].append(time.perf_counter() - start)
        for name, values in latencies.items():
            result[f"p50_{name}_ms"] = 1000 * float(np.percentile(values, 50))
            result[f"p99_{name}_ms"] = 1000 * float(np.percentile(values, 99))
    with tempfile.TemporaryDirectory() as out:
        with step(f"{events:,} events: aws-popularity-count for reference"):
            popular = train(TrainingJob(recipe_arn=RECIPE + "aws-popularity-count", solution={}, seed=seed), data,
                            Path(out))
        result["popularity_ndcg10"] = popular.metrics[NDCG10]
    return result


def slope(results: list[dict[str, Any]], key: str) -> float:
    x = np.log([r["events"] for r in results])
    y = np.log([max(r[key], 1e-9) for r in results])
    return float(np.polyfit(x, y, 1)[0]) if len(results) > 1 else math.nan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--huge", action="store_true", help="also 10M events")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.threads, args.seed)))
        return 0
    sizes = [*args.sizes, *([10_000_000] if args.huge else [])]
    results = []
    for events in sizes:
        command = [sys.executable, __file__, "--one", str(events), "--threads", str(args.threads),
                   "--seed", str(args.seed)]
        with step(f"{events:,} events: generating, training, measuring (in a child process)"):
            completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)  # its stderr: progress
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"{result['events']:>10,} events: wall {result['wall_s']:7.1f} s, CPU {result['cpu_s']:7.1f} s, "
              f"peak RSS {result['peak_rss_mb']:6,.0f} MB; NDCG@10 {result['ndcg10']:.4f} vs popularity "
              f"{result['popularity_ndcg10']:.4f}; GetRecommendations p50/p99 known "
              f"{result['p50_known_ms']:.2f}/{result['p99_known_ms']:.2f} ms, with new events "
              f"{result['p50_recent_ms']:.2f}/{result['p99_recent_ms']:.2f} ms", flush=True)
    print(f"log-log slope of wall time vs events: {slope(results, 'wall_s'):.2f}; "
          f"of CPU time: {slope(results, 'cpu_s'):.2f}; of peak RSS: {slope(results, 'peak_rss_mb'):.2f}")
    for result in results:
        quality = result["ndcg10"] >= result["popularity_ndcg10"]
        print(f"{result['events']:>10,} events: NDCG@10 >= popularity: {'met' if quality else 'MISSED'}")
        target = TARGETS.get(round(result["events"], -5))
        if target is not None:
            wall_ok, rss_ok = result["wall_s"] <= target[0], result["peak_rss_mb"] <= target[1]
            print(f"{result['events']:>10,} events: wall <= {target[0]:.0f} s: {'met' if wall_ok else 'MISSED'} "
                  f"({result['wall_s']:.1f} s); peak RSS <= {target[1]:,.0f} MB: {'met' if rss_ok else 'MISSED'} "
                  f"({result['peak_rss_mb']:,.0f} MB)")
    print("The emulator is meant for logs up to about 1M events; larger sizes show the slope.")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale_results.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
