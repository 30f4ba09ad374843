"""Training benchmark: the emulator's recipes against peers under Amazon Personalize's protocol.

    python bench/bench_training.py [--data DIR] [--datasets ml-100k ml-latest-small groceries]
                                   [--repeats 3] [--threads 2] [--seed 0] [--out bench/out]

One split per data set (``--seed``, 0 by default; run seeds 0 and 1 to see how much of a difference
is the split's noise: a tenth of ml-latest-small's users is only 61 queries): 90% of users train,
the other 10% are queries whose oldest 90% is input and newest 10% truth; GetSolutionMetrics'
definitions. aws-user-personalization and
aws-popularity-count run through ``train()`` exactly as CreateSolutionVersion does (their metrics
*are* GetSolutionMetrics; the wall time is the whole CreateSolutionVersion: preparation, ranker,
evaluation, refit, save). Peers: implicit ALS (factors 32, regularization 0.1, alpha 1.0,
15 iterations), LightFM WARP (lightfm-next) and EASE (lambda 500), fitted on the same training users
plus the queries' inputs (see ``training_peers``). Needs the ``bench`` extra. Data sets whose files
are missing are skipped. Writes ``training_results.json``, ``training_results.md`` and
``training_metrics.png`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from personalize_emulator.training import TrainingData, TrainingJob, train
from personalize_emulator.training.log import build_log
from personalize_emulator.training.metrics import METRIC_NAMES, coverage, hit_matrix, metrics_from_hits
from personalize_emulator.training.settings import Settings
from personalize_emulator.training.split import Queries, personalize_split
from personalize_emulator.training.threads import limited_blas
from progress_lines import step, training_lines
from training_datasets import DATASETS, data_root
from training_peers import PEERS, fit_matrix

RECIPE = "arn:aws:personalize:::recipe/"
SEED = 0
NDCG10 = "normalized_discounted_cumulative_gain_at_10"
#: dataset -> (required NDCG@10 ratio, what it is compared with, max train seconds or None)
TARGETS = {
    "ml-100k": (1.10, "best peer", 15.0),
    "ml-latest-small": (1.0, "best peer", 30.0),
    "groceries": (1.0, "popularity", None),
}


def run_recipe(data: TrainingData, recipe: str, repeats: int, threads: int) -> dict[str, Any]:
    times, metrics = [], []
    for repeat in range(repeats):
        with tempfile.TemporaryDirectory() as out, step(f"{recipe}: training {repeat + 1} of {repeats}"):
            job = TrainingJob(recipe_arn=RECIPE + recipe, solution={}, seed=SEED, threads=threads)
            if repeat == 0:  # the milestones once; the repeats only time the same work
                job.progress = training_lines(recipe)
            start = time.perf_counter()
            outcome = train(job, data, Path(out))
            times.append(time.perf_counter() - start)
            metrics.append(outcome.metrics)
    if any(m != metrics[0] for m in metrics):
        raise SystemExit(f"{recipe}: metrics differ between repeats with the same seed")
    return {"metrics": metrics[0], "seconds": statistics.median(times), "all_seconds": times}


def peer_metrics(recommended: np.ndarray, queries: Queries, n_items: int) -> dict[str, float]:
    values = metrics_from_hits(hit_matrix(recommended, queries.truth_indptr, queries.truth_item),
                               np.diff(queries.truth_indptr))
    values["coverage"] = coverage(recommended, n_items)
    return {name: float(values[name]) for name in METRIC_NAMES}


def run_peers(data: TrainingData, threads: int) -> dict[str, dict[str, Any]]:
    log = build_log(data, Settings())
    train_log, queries = personalize_split(log, SEED)
    matrix = fit_matrix(train_log, queries)
    results = {}
    for name, peer in PEERS.items():
        start = time.perf_counter()
        with limited_blas(threads), step(f"{name}: fitting and recommending"):
            lists = peer(matrix, queries, SEED, threads)
        seconds = time.perf_counter() - start
        scored = {flag: peer_metrics(recs, queries, log.n_items) for flag, recs in lists.items()}
        best = max(scored, key=lambda flag: scored[flag][NDCG10])
        results[name] = {"metrics": scored[best], "seconds": seconds, "filter_seen": best}
        print(f"  {name:14s} ndcg@10={scored[best][NDCG10]:.4f} ({seconds:.1f} s, filter_seen={best})", flush=True)
    return results


def verdicts(name: str, results: dict[str, dict[str, Any]]) -> list[str]:
    ratio_needed, against, max_seconds = TARGETS.get(name, (1.0, "best peer", None))
    ours = results["aws-user-personalization"]
    peers = {k: v for k, v in results.items() if k != "aws-user-personalization"}
    if against == "popularity":
        reference_name = "aws-popularity-count"
    else:
        reference_name = max(peers, key=lambda k: peers[k]["metrics"][NDCG10])
    ratio = ours["metrics"][NDCG10] / max(peers[reference_name]["metrics"][NDCG10], 1e-12)
    lines = [f"{name}: NDCG@10 ratio vs {against} ({reference_name}) = {ratio:.3f}x "
             f"(target >= {ratio_needed:.2f}x): {'met' if ratio >= ratio_needed else 'MISSED'}"]
    if max_seconds is not None:
        seconds = ours["seconds"]
        lines.append(f"{name}: CreateSolutionVersion median wall time {seconds:.1f} s "
                     f"(target <= {max_seconds:.0f} s): {'met' if seconds <= max_seconds else 'MISSED'}")
    return lines


def markdown(all_results: dict[str, dict[str, dict[str, Any]]], notes: list[str]) -> str:
    columns = ["normalized_discounted_cumulative_gain_at_5", NDCG10, "normalized_discounted_cumulative_gain_at_25",
               "precision_at_10", "mean_reciprocal_rank_at_25", "coverage"]
    short = ["NDCG@5", "NDCG@10", "NDCG@25", "P@10", "MRR@25", "coverage"]
    out = []
    for name, results in all_results.items():
        out.append(f"\n### {name}\n")
        out.append("| method | " + " | ".join(short) + " | fit s |")
        out.append("|---|" + "---|" * (len(short) + 1))
        for method, result in results.items():
            cells = " | ".join(f"{result['metrics'][c]:.4f}" for c in columns)
            out.append(f"| {method} | {cells} | {result['seconds']:.1f} |")
    out.append("")
    out.extend(f"- {line}" for line in notes)
    return "\n".join(out) + "\n"


def plot(all_results: dict[str, dict[str, dict[str, Any]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [NDCG10, "precision_at_10", "mean_reciprocal_rank_at_25"]
    fig, axes = plt.subplots(1, len(all_results), figsize=(6 * len(all_results), 4.5), squeeze=False)
    for ax, (name, results) in zip(axes[0], all_results.items(), strict=True):
        methods = list(results)
        width = 0.8 / len(methods)
        for index, method in enumerate(methods):
            values = [results[method]["metrics"][m] for m in metrics]
            ax.bar(np.arange(len(metrics)) + index * width, values, width, label=method)
        ax.set_xticks(np.arange(len(metrics)) + 0.4 - width / 2)
        ax.set_xticklabels(["NDCG@10", "P@10", "MRR@25"])
        ax.set_title(f"{name} (Personalize protocol, seed {SEED})")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=data_root())
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="split and training seed")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)
    global SEED  # noqa: PLW0603 - one seed per run, read by every helper
    SEED = args.seed
    all_results: dict[str, dict[str, dict[str, Any]]] = {}
    notes: list[str] = []
    for name in args.datasets:
        with step(f"{name}: loading"):
            data = DATASETS[name](args.data)
        if data is None:
            print(f"{name}: skipped (no files under {args.data})")
            continue
        print(f"{name}: {len(data.interactions):,} interactions", flush=True)
        results: dict[str, dict[str, Any]] = {}
        for recipe in ("aws-user-personalization", "aws-popularity-count"):
            results[recipe] = run_recipe(data, recipe, args.repeats, args.threads)
            print(f"  {recipe:26s} ndcg@10={results[recipe]['metrics'][NDCG10]:.4f} "
                  f"(median {results[recipe]['seconds']:.1f} s of {args.repeats})", flush=True)
        results.update(run_peers(data, args.threads))
        all_results[name] = results
        notes.extend(verdicts(name, results))
    if not all_results:
        print("no benchmark data found; nothing to do")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"_seed{SEED}" if SEED else ""
    (args.out / f"training_results{suffix}.json").write_text(json.dumps(all_results, indent=1))
    (args.out / f"training_results{suffix}.md").write_text(markdown(all_results, notes))
    plot(all_results, args.out / f"training_metrics{suffix}.png")
    print(markdown(all_results, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
