"""Shared test set-up."""

import os

# One BLAS thread: results must be bitwise equal across schedulers, and the 2-core CI machine
# runs Dask workers beside the test process.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
