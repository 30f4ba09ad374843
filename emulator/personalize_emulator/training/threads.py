"""How many threads training may use, and bounding the threads numpy's BLAS uses.

The budget is the CPUs this process may really run on, not ``os.cpu_count()``: the CPU affinity
mask (``os.sched_getaffinity``, what ``taskset`` and container cpusets set) and the cgroup v2 CPU
quota (``/sys/fs/cgroup/cpu.max``, what ``docker --cpus`` and Kubernetes limits set). A job never
runs more threads than that across training, LightGBM and BLAS together: the phases run one after
another, HPO trials split the budget between them, and BLAS stays single-threaded.

Why BLAS gets one thread: OpenBLAS threads busy-wait, so on a machine whose cores are shared (CI,
several emulators, HPO trials side by side) a two-thread Cholesky of a 1,700 x 1,700 matrix
measured 5 s against 0.09 s single-threaded, and a small SVD 1.2 s against 3 ms. The same holds,
as dramatically, for LightGBM's OpenMP threads: :func:`threads_for` gives a second thread only to
work large enough to pay for it. The BLAS limit uses ``threadpoolctl`` when it is
installed and is a no-op otherwise.
"""

from __future__ import annotations

import importlib
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "BLAS_THREADS",
    "CGROUP_CPU_MAX",
    "PARALLEL_CELLS",
    "available_cpus",
    "limited_blas",
    "thread_budget",
    "threads_for",
]

BLAS_THREADS = 1
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
#: Below this much work (rows x features for LightGBM) a second thread is not worth the risk on a
#: shared machine: ml-100k's ranker (~75k rows x 25 features, 132 rounds) took 16-20 s of wall time
#: on one thread and 116-305 s on two while three other processes kept both cores busy (OpenMP's
#: threads spin waiting for each other when one of them is descheduled).
PARALLEL_CELLS = 50_000_000


def _quota(path: Path) -> int | None:
    """CPUs allowed by a cgroup v2 ``cpu.max`` file ("max 100000" = no limit), rounded up."""
    try:
        fields = path.read_text().split()
    except OSError:
        return None
    if len(fields) != 2 or fields[0] == "max":
        return None
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    return max(1, math.ceil(quota / period)) if quota > 0 and period > 0 else None


def available_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may use: its affinity mask, capped by the cgroup CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    quota = _quota(cpu_max)
    return max(1, min(cpus, quota) if quota is not None else cpus)


def thread_budget(requested: int) -> int:
    """A job's thread budget: what it asked for, never more than the CPUs really available."""
    return max(1, min(int(requested), available_cpus()))


def threads_for(budget: int, cells: int) -> int:
    """Threads for a parallel step over ``cells`` units of work, within ``budget``."""
    return 1 if cells < PARALLEL_CELLS else thread_budget(budget)


@contextmanager
def limited_blas(threads: int = BLAS_THREADS) -> Iterator[None]:
    """Run the block with at most ``threads`` BLAS threads (when threadpoolctl is available)."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:  # pragma: no cover - depends on the environment
        yield
        return
    # threadpoolctl limits the BLAS libraries loaded when the block starts. scipy.linalg brings its
    # own OpenBLAS (not numpy's) and training imports it lazily, so it is loaded first: otherwise
    # EASE's Cholesky and PureSVD's eigensolver ran with every core's threads, spinning on a busy box.
    importlib.import_module("scipy.linalg")
    with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
        yield
