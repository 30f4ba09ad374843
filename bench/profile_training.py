"""Where CreateSolutionVersion spends its time: wall and CPU seconds per phase, and peak RSS.

    python bench/profile_training.py [--dataset ml-100k|ml-latest-small|groceries|synthetic]
                                     [--events 1000000] [--threads 2] [--repeats 1]

Runs aws-user-personalization through ``train()`` as CreateSolutionVersion does, with timers wrapped
around the training core's functions. Times are exclusive (a phase's time excludes the phases it
calls), so they add up to the total, except that EASE and PureSVD run in a second thread beside
co-occurrence when training has two threads: their wall time then overlaps it (and "other" can go
negative). CPU time is the whole process's (LightGBM's and BLAS's threads included), so a phase
in one thread also collects CPU time the other thread spent meanwhile. Peak RSS is the process's
high-water mark, so run one data set per process.
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from personalize_emulator.training import TrainingData, TrainingJob, train
from personalize_emulator.training import pipeline as pipeline_module
from personalize_emulator.training.personal import engine as engine_module
from personalize_emulator.training.personal import features as features_module
from personalize_emulator.training.personal import model as model_module
from personalize_emulator.training.personal import ranker as ranker_module
from personalize_emulator.training.personal import signals as signals_module
from personalize_emulator.training.threads import quiet_openmp
from progress_lines import training_lines
from scale_data import planted_log
from training_datasets import DATASETS, data_root

RECIPE = "arn:aws:personalize:::recipe/aws-user-personalization"

_wall: dict[str, float] = defaultdict(float)
_cpu: dict[str, float] = defaultdict(float)
_local = threading.local()  # .stack: per open phase of this thread, [child wall, child cpu]


def _stack() -> list[list[float]]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    stack: list[list[float]] = _local.stack
    return stack


def timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its exclusive wall and CPU time added to ``phase``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stack = _stack()
        stack.append([0.0, 0.0])
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            child_wall, child_cpu = stack.pop()
            _wall[phase] += wall - child_wall
            _cpu[phase] += cpu - child_cpu
            if stack:
                stack[-1][0] += wall
                stack[-1][1] += cpu

    return wrapper


def instrument() -> None:
    """Wrap the training core's phases (module attributes the callers look up at call time)."""
    patches: list[tuple[Any, str, str]] = [
        (pipeline_module, "build_log", "prepare log"),
        (pipeline_module, "personalize_split", "prepare log"),
        (engine_module, "fit_signals", "fit candidate generators"),
        (signals_module, "sequential", "co-occurrence"),
        (signals_module, "ease", "EASE"),
        (signals_module, "factor_model", "PureSVD"),
        (features_module.FeatureBuilder, "_scores", "candidate scores"),
        (features_module.FeatureBuilder, "_candidates", "candidate selection"),
        (features_module.FeatureBuilder, "build", "features"),
        (engine_module, "train_ranker", "lightgbm train"),
        (ranker_module.Ranker, "predict", "lightgbm predict"),
        (model_module.PersonalModel, "precompute", "precompute answers"),
        (pipeline_module, "evaluate", "metrics (top-k, excl. scoring)"),
        (model_module.PersonalModel, "save", "save"),
    ]
    for owner, name, phase in patches:
        original = getattr(owner, name)
        setattr(owner, name, timed(phase, original))


def load(args: argparse.Namespace) -> TrainingData:
    if args.dataset == "synthetic":
        return planted_log(args.events, seed=0)
    data = DATASETS[args.dataset](args.data)
    if data is None:
        raise SystemExit(f"{args.dataset}: no files under {args.data}")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", default="ml-100k", choices=[*DATASETS, "synthetic"])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=data_root())
    parser.add_argument("--threads", type=int, default=None, help="TrainingJob.threads (default: the job's)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    data = load(args)
    quiet_openmp()  # before LightGBM loads libgomp, as the emulator's own loader does
    import lightgbm  # noqa: F401  (imported before timing: a server pays it once, not per training)
    instrument()
    totals, cpus, ndcg = [], [], 0.0
    for _ in range(args.repeats):
        _wall.clear()
        _cpu.clear()
        with tempfile.TemporaryDirectory() as out:
            job = TrainingJob(recipe_arn=RECIPE, solution={}, seed=args.seed, progress=training_lines(args.dataset))
            if args.threads is not None:
                job.threads = args.threads
            wall, cpu = time.perf_counter(), time.process_time()
            outcome = train(job, data, Path(out))
            totals.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            ndcg = outcome.metrics["normalized_discounted_cumulative_gain_at_10"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.dataset} ({len(data.interactions):,} events), seed {args.seed}, threads {args.threads or 'default'}")
    print(f"{'phase':34s} {'wall s':>8s} {'cpu s':>8s}   (last of {args.repeats} runs)")
    for phase in sorted(_wall, key=lambda p: -_wall[p]):
        print(f"{phase:34s} {_wall[phase]:8.2f} {_cpu[phase]:8.2f}")
    other_wall = totals[-1] - sum(_wall.values())
    other_cpu = cpus[-1] - sum(_cpu.values())
    print(f"{'other':34s} {other_wall:8.2f} {other_cpu:8.2f}")
    print(f"{'total (median of runs)':34s} {statistics.median(totals):8.2f} {statistics.median(cpus):8.2f}")
    print(f"peak RSS {rss:,.0f} MB; NDCG@10 {ndcg:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
