"""Thread budget: the CPUs really available (affinity, cgroup quota), one thread for small work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from personalize_emulator.training import threads


def test_cgroup_quota_caps_the_affinity_mask(tmp_path: Path) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("150000 100000\n")  # 1.5 CPUs: rounded up to 2
    assert threads.available_cpus(cpu_max) == min(2, len(os.sched_getaffinity(0)))
    cpu_max.write_text("50000 100000\n")
    assert threads.available_cpus(cpu_max) == 1


@pytest.mark.parametrize("content", ["max 100000\n", "garbage\n", ""])
def test_no_quota_means_the_affinity_mask(tmp_path: Path, content: str) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text(content)
    assert threads.available_cpus(cpu_max) == len(os.sched_getaffinity(0))
    assert threads.available_cpus(tmp_path / "missing") == len(os.sched_getaffinity(0))


def test_budget_never_exceeds_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "available_cpus", lambda: 2)
    assert threads.thread_budget(8) == 2
    assert threads.thread_budget(0) == 1
    assert threads.threads_for(8, threads.PARALLEL_CELLS - 1) == 1
    assert threads.threads_for(8, threads.PARALLEL_CELLS) == 2
    assert threads.threads_for(1, threads.PARALLEL_CELLS * 10) == 1


def test_limited_blas_covers_the_blas_that_scipy_linalg_loads() -> None:
    # A fresh interpreter: scipy.linalg (its own OpenBLAS, not numpy's) is first imported inside the
    # block, as training does. Every BLAS library must then run one thread.
    code = ("import threadpoolctl\n"
            "from personalize_emulator.training.threads import limited_blas\n"
            "with limited_blas():\n"
            "    import scipy.linalg\n"
            "    print(sorted({lib['num_threads'] for lib in threadpoolctl.threadpool_info()"
            " if lib['user_api'] == 'blas'}))\n")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "", "OMP_NUM_THREADS": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[1]"


def test_openmp_waits_passively_once_training_loads_lightgbm() -> None:
    # libgomp reads the policy when LightGBM is loaded: training sets it first, unless the user did.
    code = ("import os, sys\n"
            "import numpy as np\n"
            "from personalize_emulator.training.personal.ranker import PRIOR_FEATURE, RankerSettings, train_ranker\n"
            "assert 'lightgbm' not in sys.modules\n"
            "rng = np.random.default_rng(0)\n"
            "x = rng.random((400, 2)).astype(np.float32)\n"
            "train_ranker(x, x[:, 0] > 0.8, np.full(20, 20), ('a', PRIOR_FEATURE),\n"
            "             settings=RankerSettings(rounds=2, min_data_in_leaf=5), seed=0, threads=1)\n"
            "print('lightgbm' in sys.modules, os.environ.get('OMP_WAIT_POLICY'))\n")
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "True PASSIVE"
    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**env, "OMP_WAIT_POLICY": "ACTIVE"})
    assert kept.stdout.strip() == "True ACTIVE"
