"""How many threads training may use, and bounding the threads numpy's BLAS uses.

The budget is the CPUs this process may really run on, not ``os.cpu_count()``: the CPU affinity
mask (``os.sched_getaffinity``, what ``taskset`` and container cpusets set) and the cgroup v2 CPU
quota (``/sys/fs/cgroup/cpu.max``, what ``docker --cpus`` and Kubernetes limits set). A job never
runs more threads than that across training, LightGBM and BLAS together: the phases run one after
another (except EASE and PureSVD, fitted in a second thread beside the co-occurrence count when the
budget has two: ml-100k 5.3 s instead of 6.2 s, ml-latest-small 8.6 s instead of 9.6 s, 1M events
43 s instead of 50 s, medians on an idle 2-core box), HPO trials split the budget between them,
and BLAS stays single-threaded.

Why BLAS gets one thread: OpenBLAS threads busy-wait, so on a machine whose cores are shared (CI,
several emulators, HPO trials side by side) a two-thread Cholesky of a 1,700 x 1,700 matrix
measured 5 s against 0.09 s single-threaded, and a small SVD 1.2 s against 3 ms. The BLAS limit
uses ``threadpoolctl`` when it is installed and is a no-op otherwise.

LightGBM's OpenMP threads spin the same way by default, which is why they used to get a second
thread only above 50M cells. Spinning is what hurt, not the second thread: with
``OMP_WAIT_POLICY=PASSIVE`` (:func:`quiet_openmp`, set before LightGBM is loaded unless the user
set a policy) waiting threads sleep. ml-100k CreateSolutionVersion, median of 3 on 2 cores:
alone, 1 thread 7.3-8.3 s, 2 spinning 6.9 s, 2 passive 6.7 s; beside a CPU-bound neighbour,
1 thread 8.1 s, 2 spinning 9.7 s, 2 passive 7.7 s (1.15x its time alone). So work above
:data:`PARALLEL_CELLS` (1M cells: ml-100k's ranker has ~2M) gets the budget's threads.
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
    "quiet_openmp",
    "thread_budget",
    "threads_for",
]

BLAS_THREADS = 1
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
#: Below this much work (rows x features for LightGBM) a second thread costs more than it saves (a
#: test's thousand-row ranker). Above it, with passive waiting, two threads win alone and beside a
#: busy neighbour (see the module docstring; with *spinning* threads ml-100k took 116-305 s on two
#: threads against 16-20 s on one while three other processes kept both cores busy).
PARALLEL_CELLS = 1_000_000


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


def quiet_openmp() -> None:
    """Waiting OpenMP threads sleep instead of spinning (``OMP_WAIT_POLICY=PASSIVE``).

    libgomp reads the policy once, when it is loaded, so this runs before LightGBM is imported; a
    policy the user set is kept.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


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
