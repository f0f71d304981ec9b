"""The graph variants and the local-scheduler settings of ekodask.parallel.

Reference: the default graph on the synchronous scheduler (bitwise: same arithmetic, only the
way operators travel between tasks differs).
"""

import os

import dask
import numpy as np

import ekodask
from ekodask import graph
from ekodask.cards import load_cards
from ekodask.parallel import BLAS_ENV, blas_limited

XGRID = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.6, 0.9, 1.0]
THEORY = {"order": 2}
OPERATOR = {"xgrid": XGRID, "interpolation_degree": 3, "mu2grid": [5.0, 100.0, 1e4]}


def test_operators_through_the_store_equal_task_results(tmp_path):
    ref = str(tmp_path / "ref.zarr")
    ekodask.run(THEORY, OPERATOR, ref, scheduler="synchronous")
    path = str(tmp_path / "store.zarr")
    tasks = graph.build_graph(graph.plan(*load_cards(THEORY, OPERATOR)), path, via_store=True)
    names = {k for t in tasks for k in t.dask}
    assert sum(k.startswith("partial-") for k in names) == 3
    results = dask.compute(*tasks, scheduler="synchronous")
    assert sorted((r["mu2"], r["nf"]) for r in results) == [(5.0, 4), (100.0, 5), (1e4, 5)]
    want, got = ekodask.open(ref), ekodask.open(path)
    for point, op in want.items():
        np.testing.assert_array_equal(got[point], op)
        np.testing.assert_array_equal(got.error(point), want.error(point))


def test_blas_limited_sets_and_restores_the_environment(monkeypatch):
    from threadpoolctl import threadpool_info

    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "7")
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    with blas_limited(1):
        assert all(os.environ[k] == "1" for k in BLAS_ENV)
        blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
        assert all(p["num_threads"] == 1 for p in blas)
    assert os.environ["OPENBLAS_NUM_THREADS"] == "7" and "MKL_NUM_THREADS" not in os.environ
