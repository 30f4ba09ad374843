"""Verdicts, the markdown tables and the plot of the training benchmark.

Results are ``{data set: {seed: {"recipes" | "peers" | "related": {method: result}}}}``, each result
holding GetSolutionMetrics-style ``metrics`` and ``seconds``. Targets are judged on the mean over
the seeds (a tenth of ml-latest-small's users is only 61 queries: one split is mostly noise),
except "never below popularity", which must hold on every seed.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import numpy as np

from training_tuning import NDCG10

__all__ = ["markdown", "plot", "verdicts"]

Results = dict[str, dict[int, dict[str, dict[str, dict[str, Any]]]]]
OURS = "aws-user-personalization"
POPULARITY = "aws-popularity-count"
#: data set -> NDCG@10 ratio user-personalization must reach against the best peer (issue 11).
PEER_RATIO = {"ml-100k": 1.2, "ml-latest-small": 1.2}
#: data set -> median CreateSolutionVersion seconds for user-personalization (issue 11, 2 cores).
MAX_SECONDS = {"ml-100k": 5.0, "ml-latest-small": 6.0}
NEVER_BELOW_POPULARITY = ("groceries",)
COLUMNS = {"normalized_discounted_cumulative_gain_at_5": "NDCG@5", NDCG10: "NDCG@10",
           "normalized_discounted_cumulative_gain_at_25": "NDCG@25", "precision_at_10": "P@10",
           "mean_reciprocal_rank_at_25": "MRR@25", "coverage": "coverage"}


def _mean(runs: dict[int, dict[str, dict[str, dict[str, Any]]]], section: str, method: str, metric: str) -> float:
    return float(np.mean([run[section][method]["metrics"][metric] for run in runs.values()]))


def _seconds(runs: dict[int, dict[str, dict[str, dict[str, Any]]]], section: str, method: str) -> float:
    return float(statistics.median(s for run in runs.values()
                             for s in run[section][method].get("all_seconds", [run[section][method]["seconds"]])))


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def verdicts(results: Results) -> list[str]:
    """One line per target and data set, ending in met / MISSED, plus informational lines."""
    lines = []
    for name, runs in results.items():
        seeds = ", ".join(str(s) for s in runs)
        ours = _mean(runs, "recipes", OURS, NDCG10)
        if name in PEER_RATIO:
            peers = {p: _mean(runs, "peers", p, NDCG10) for p in next(iter(runs.values()))["peers"]}
            best = max(peers, key=lambda p: peers[p])
            ratio = ours / max(peers[best], 1e-12)
            lines.append(f"{name}: NDCG@10 {OURS} {ours:.4f} = {ratio:.3f}x the best peer ({best} {peers[best]:.4f}; "
                         f"mean of seeds {seeds}; target >= {PEER_RATIO[name]:.1f}x): "
                         f"{_verdict(ratio >= PEER_RATIO[name])}")
        if name in NEVER_BELOW_POPULARITY:
            pairs = [(run["recipes"][OURS]["metrics"][NDCG10], run["recipes"][POPULARITY]["metrics"][NDCG10])
                     for run in runs.values()]
            shown = "; ".join(f"seed {s}: {o:.4f} vs {p:.4f}" for s, (o, p) in zip(runs, pairs, strict=True))
            lines.append(f"{name}: NDCG@10 {OURS} never below {POPULARITY} ({shown}): "
                         f"{_verdict(all(o >= p for o, p in pairs))}")
            lines.append(f"{name}: training time {OURS} {_seconds(runs, 'recipes', OURS):.1f} s vs {POPULARITY} "
                         f"{_seconds(runs, 'recipes', POPULARITY):.1f} s (median wall; info)")
        if name in MAX_SECONDS:
            seconds = _seconds(runs, "recipes", OURS)
            lines.append(f"{name}: {OURS} CreateSolutionVersion median wall {seconds:.1f} s "
                         f"(target <= {MAX_SECONDS[name]:.0f} s): {_verdict(seconds <= MAX_SECONDS[name])}")
        same = sum(run["recipes"][OURS]["metrics"] == run["recipes"][OURS + "-v2"]["metrics"] for run in runs.values())
        lines.append(f"{name}: {OURS}-v2 NDCG@10 {_mean(runs, 'recipes', OURS + '-v2', NDCG10):.4f} vs v1 {ours:.4f}; "
                     f"metrics identical to v1 on {same} of {len(runs)} seeds (info)")
        if all("related" in run for run in runs.values()):
            similar = _mean(runs, "related", "aws-similar-items", NDCG10)
            knn = _mean(runs, "related", "item-knn (cosine)", NDCG10)
            sims = _mean(runs, "related", "aws-sims", NDCG10)
            lines.append(f"{name}: last-item NDCG@10 (seen removed) aws-similar-items {similar:.4f} vs item-kNN "
                         f"{knn:.4f} (aws-sims {sims:.4f}; mean of seeds {seeds}; target >= kNN): "
                         f"{_verdict(similar >= knn)}")
    return lines


def _params(runs: dict[int, dict[str, dict[str, dict[str, Any]]]], method: str) -> str:
    chosen = []
    for seed, run in runs.items():
        params = run["peers"][method].get("params", {})
        chosen.append(f"s{seed}: " + ", ".join(f"{k}={v:g}" if isinstance(v, float) and not isinstance(v, bool)
                                                  else f"{k}={v}" for k, v in params.items()))
        if not run["peers"][method].get("tuned", True):
            chosen[-1] += " (untuned)"
    return "; ".join(chosen)


def markdown(results: Results, notes: list[str]) -> str:
    """Per data set: recipes and tuned peers (mean of seeds, NDCG@10 per seed), then similar items."""
    out = []
    for name, runs in results.items():
        seeds = list(runs)
        first = runs[seeds[0]]
        out.append(f"\n### {name} (mean of seeds {', '.join(map(str, seeds))})\n")
        out.append("| method | " + " | ".join(COLUMNS.values())
                   + " | NDCG@10 per seed | fit s | chosen parameters / notes |")
        out.append("|---|" + "---|" * (len(COLUMNS) + 3))
        for section in ("recipes", "peers"):
            for method in first[section]:
                cells = " | ".join(f"{_mean(runs, section, method, c):.4f}" for c in COLUMNS)
                per_seed = " / ".join(f"{run[section][method]['metrics'][NDCG10]:.4f}" for run in runs.values())
                params = _params(runs, method) if section == "peers" else ", ".join(
                    f"s{seed}: fell back to popularity" for seed, run in runs.items()
                    if run[section][method].get("fell_back"))
                out.append(f"| {method} | {cells} | {per_seed} | {_seconds(runs, section, method):.1f} | {params} |")
        if "related" in first:
            out.append("\nLast-item queries (query = newest input item; seen input items removed from list "
                       "and truth):\n")
            out.append("| method | NDCG@10 | NDCG@25 | P@10 | MRR@25 | NDCG@10 per seed | fit s |")
            out.append("|---|---|---|---|---|---|---|")
            for method in first["related"]:
                cells = " | ".join(f"{_mean(runs, 'related', method, c):.4f}" for c in list(COLUMNS)[1:5])
                per_seed = " / ".join(f"{run['related'][method]['metrics'][NDCG10]:.4f}" for run in runs.values())
                out.append(f"| {method} | {cells} | {per_seed} | {_seconds(runs, 'related', method):.1f} |")
    out.append("\nfit s: recipes, the median CreateSolutionVersion wall time through `train()`; peers, the refit "
               "with the chosen parameters (the grid search on the validation split not included).\n")
    out.extend(f"- {line}" for line in notes)
    return "\n".join(out) + "\n"


def plot(results: Results, path: Path) -> None:
    """NDCG@10 bars (mean of seeds, one dot per seed): the USER_PERSONALIZATION table above, related below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(results), figsize=(6 * len(results), 8), squeeze=False)
    for column, (name, runs) in enumerate(results.items()):
        first = next(iter(runs.values()))
        panels = ((("recipes", "peers"), "user recommendations"), (("related",), "last-item, seen removed"))
        for row, (sections, title) in enumerate(panels):
            ax = axes[row][column]
            bars = [(s, m) for s in sections if s in first for m in first[s]]
            for x, (section, method) in enumerate(bars):
                values = [run[section][method]["metrics"][NDCG10] for run in runs.values()]
                peer = section == "peers" or method.startswith("item-knn")
                ax.bar(x, float(np.mean(values)), color="C1" if peer else "C0")
                ax.plot([x] * len(values), values, "k.", markersize=4)
            ax.set_xticks(range(len(bars)))
            ax.set_xticklabels([m.replace("aws-", "") for _, m in bars], rotation=35, ha="right", fontsize=7)
            ax.set_ylabel("NDCG@10")
            ax.set_title(f"{name}: {title} (seeds {', '.join(map(str, runs))})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
