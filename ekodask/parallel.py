"""How the local schedulers share the cores: one BLAS thread per Dask worker, no oversubscription.

NumPy's BLAS (OpenBLAS) starts one thread per core for every matrix product. Under the local
threads scheduler each of the ``num_workers`` Dask threads would then run its products on all
cores at once (workers x cores threads spinning on 2 cores); measured on the 2-core development
machine this made two Dask threads slower than one. :func:`blas_limited` caps BLAS at one
thread for the duration of a computation: through ``threadpoolctl`` in this process (the
threads and synchronous schedulers), and through ``OPENBLAS_NUM_THREADS`` & co. in the
environment that the worker processes of the processes scheduler inherit when they start.
dask.distributed workers set those variables themselves (its ``nanny.pre-spawn-environ``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

__all__ = ["BLAS_ENV", "blas_limited"]

BLAS_ENV = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
"""Environment variables read by the BLAS libraries when a new process loads them."""


@contextlib.contextmanager
def blas_limited(threads: int = 1) -> Iterator[None]:
    """BLAS limited to ``threads`` threads inside the block (this process and new children)."""
    from threadpoolctl import threadpool_limits

    saved = {k: os.environ.get(k) for k in BLAS_ENV}
    os.environ.update({k: str(int(threads)) for k in BLAS_ENV})
    try:
        with threadpool_limits(limits=int(threads), user_api="blas"):
            yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
