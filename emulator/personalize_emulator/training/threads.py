"""Bounding the threads numpy's BLAS uses while training.

OpenBLAS threads busy-wait: on a machine whose cores are shared (CI, several emulators, HPO trials
running side by side) a two-thread Cholesky of a 1,700 x 1,700 matrix measured 5 s against 0.09 s
single-threaded, and a small SVD 1.2 s against 3 ms. Training therefore runs BLAS single-threaded
and spends its thread budget where it scales (LightGBM, parallel HPO trials). The limit uses
``threadpoolctl`` when it is installed and is a no-op otherwise.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BLAS_THREADS", "limited_blas"]

BLAS_THREADS = 1


@contextmanager
def limited_blas(threads: int = BLAS_THREADS) -> Iterator[None]:
    """Run the block with at most ``threads`` BLAS threads (when threadpoolctl is available)."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:  # pragma: no cover - depends on the environment
        yield
        return
    with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
        yield
