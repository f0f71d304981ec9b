"""The Dask pipeline: plan, graph building, schedulers, faults, separate processes, resume.

Physics is kept small (LO/NLO, a 12-point grid) so that the tests are quick; the reference of
every comparison is an independent computation of the same operators (another scheduler, one
call of the physics, or separate OS processes), compared bitwise or to a stated tolerance.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import yaml

import ekodask
from ekodask import graph
from ekodask.cards import load_cards
from ekodask.errors import StoreError

XGRID = [1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0]
THEORY = {"order": 2}
OPERATOR = {"xgrid": XGRID, "interpolation_degree": 3, "mu2grid": [10.0, 100.0, 1e4]}


@pytest.fixture
def cards():
    return load_cards(THEORY, OPERATOR)


def test_plan_crosses_bottom_threshold(cards):
    pl = graph.plan(*cards)
    assert [p.nf for p in pl.points] == [4, 5, 5]
    assert pl.points[1].start == pl.points[2].start is not None
    assert len(pl.thresholds) >= 1


def test_building_the_graph_computes_nothing(tmp_path, cards):
    path = str(tmp_path / "e.zarr")
    tasks = graph.build_graph(graph.plan(*cards), path)
    assert len(tasks) == 3
    names = {k for t in tasks for k in t.dask}
    assert any(k.startswith("thresholds-") for k in names)
    assert sum(k.startswith("partial-") for k in names) == 3
    # the threshold's steps are tasks of their own, named after what they are
    assert any(k.startswith("matching-") for k in names)
    assert any(k.startswith("segment-") for k in names)
    eko = ekodask.open(path)
    assert len(eko) == 0 and len(eko.partials) == 0 and len(eko.thresholds) == 0
    # no node besides the tasks (the cards' objects travel bound to the task functions), a
    # partial depends on nothing, a combine on its partial and the thresholds
    from dask.core import get_dependencies

    graph_ = {k: v for t in tasks for k, v in dict(t.dask).items()}
    n_steps = sum(k.startswith(("matching-", "segment-")) for k in graph_)
    assert len(graph_) == n_steps + 1 + 2 * 3
    for key in graph_:
        deps = get_dependencies(graph_, key)
        if key.startswith("partial-"):
            assert deps == set()
        if key.startswith("combine-"):
            assert {d.split("-")[0] for d in deps} == {"partial", "thresholds"}


def test_building_the_graph_does_not_walk_the_cards(tmp_path, cards, monkeypatch):
    # Dask walks every tuple and dataclass among a task's arguments looking for collections
    # (a Point with its steps, the Numerics with the x-grid: ~130 calls, ~0.5 ms a task); bound
    # to the task function they are one opaque object: a few calls per task (here 1108 calls
    # for 10 tasks before, 60 after)
    import importlib

    module = importlib.import_module("dask.delayed")  # the module (dask.delayed is the function)
    calls = []
    real = module.unpack_collections

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "unpack_collections", counting)
    tasks = graph.build_graph(graph.plan(*cards), str(tmp_path / "e.zarr"))
    n_tasks = len({k for t in tasks for k in t.dask})
    assert 0 < len(calls) <= 10 * n_tasks  # 6 a task now; walked, the cards made 110


def _finals(path):
    eko = ekodask.open(path)
    return {p: op for p, op in eko.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ref") / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    return _finals(path)


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_schedulers_bitwise_equal(tmp_path, reference, scheduler):
    path = str(tmp_path / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler=scheduler)
    finals = _finals(path)
    assert finals.keys() == reference.keys()
    for p, op in reference.items():
        np.testing.assert_array_equal(finals[p], op)


def test_thresholds_from_parallel_steps_equal_the_sequential_chain(tmp_path, cards):
    # the steps computed as separate tasks, multiplied in the thresholds task: bitwise the
    # threshold operators of compute.threshold_operators (every step in one call, in order),
    # computed on one BLAS thread as a run computes them
    from ekodask.compute import threshold_operators
    from ekodask.parallel import blas_limited
    from ekodask.store import EKOStore

    path = str(tmp_path / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="threads")
    with blas_limited(1):
        want = threshold_operators(graph.plan(*cards))
    st = EKOStore(path)
    assert set(st.thresholds()) == set(want)
    for key, (op, err) in want.items():
        np.testing.assert_array_equal(st.read_threshold(key), op)
        np.testing.assert_array_equal(st.read_error("thresholds", key), err)


def test_stored_threshold_rotated_once_per_process_and_piece(tmp_path, reference, cards):
    # the processes scheduler's combine tasks read the threshold from the store: one read and
    # rotation per process and stored piece (keyed by its file identity), the same finals
    # bitwise as the synchronous run (reference); a rewritten piece gets a new identity
    from ekodask.store import EKOStore

    path = str(tmp_path / "e.zarr")
    pl = graph.plan(*cards)
    graph._open_store(pl.theory, pl.operator, path)
    keys = graph.thresholds_stored_task(path, pl.thresholds, pl.numerics)["keys"]
    graph._ROTATED.clear()
    after = [p for p in pl.points if p.start is not None]
    assert len({p.start for p in after}) < len(after)  # two points share a threshold
    for p in after:
        part = graph.partial_stored_task(path, p, pl.numerics, keep=False)
        graph.combine_task(path, p.point, p.start, part, {"keys": keys})
    assert graph._ROTATED.misses == len({p.start for p in after})
    assert graph._ROTATED.hits == len(after) - graph._ROTATED.misses
    for p, op in reference.items():
        np.testing.assert_array_equal(ekodask.open(path)[p], op)
    st = EKOStore(path)
    start = after[0].start
    ident = st.piece_identity("thresholds", start)
    assert ident is not None and st.piece_identity("thresholds", start) == ident
    op, err = st.read_threshold(start), st.read_error("thresholds", start)
    st.write_threshold(start, op * 2.0, err, overwrite=True)
    assert st.piece_identity("thresholds", start) not in (None, ident)
    assert st.piece_identity("partials", after[0].point) is None  # absent


def test_one_call_equals_graph(reference, cards):
    # the graph's final = partial x threshold equals the physics computing the point in one go
    from ekodask.compute import operator_at

    p = (1e4, 5)
    direct = operator_at(*cards, *p)
    np.testing.assert_allclose(reference[p], direct, rtol=1e-12, atol=1e-14)


def test_second_run_computes_nothing(tmp_path):
    from dask.callbacks import Callback

    path = str(tmp_path / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    executed = []
    with Callback(posttask=lambda key, *a: executed.append(key)):
        ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    assert executed == []
    assert graph.build_graph(graph.plan(*load_cards(THEORY, OPERATOR)), path) == []


def test_resume_computes_only_missing(tmp_path, reference):
    from dask.callbacks import Callback

    path = str(tmp_path / "e.zarr")
    first = {**OPERATOR, "mu2grid": [10.0]}
    ekodask.run(THEORY, first, path, scheduler="synchronous")
    executed = []
    with Callback(posttask=lambda key, *a: executed.append(key)):
        eko = ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    assert sum(k.startswith("combine-") for k in executed) == 2
    assert len(eko) == 3
    for p, op in reference.items():
        np.testing.assert_array_equal(eko[p], op)


def test_incompatible_store_refused_untouched(tmp_path):
    path = str(tmp_path / "e.zarr")
    ekodask.run(THEORY, {**OPERATOR, "mu2grid": [10.0]}, path, scheduler="synchronous")
    before = sorted((r, f) for r, _, fs in os.walk(path) for f in fs)
    with pytest.raises(StoreError, match="incompatible"):
        ekodask.run({"order": 1}, OPERATOR, path, scheduler="synchronous")
    assert sorted((r, f) for r, _, fs in os.walk(path) for f in fs) == before


def _write_cards(tmp_path):
    t, o = tmp_path / "theory.yaml", tmp_path / "operator.yaml"
    t.write_text(yaml.safe_dump(THEORY))
    o.write_text(yaml.safe_dump(OPERATOR))
    return str(t), str(o)


def _cli(*args):
    proc = subprocess.run(
        [sys.executable, "-m", "ekodask.cli", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """A run that also stores its partials: its finals are the PDG-basis products."""
    path = str(tmp_path_factory.mktemp("kept") / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous", keep_partials=True)
    return path


def test_partials_stored_only_when_kept(tmp_path, reference, kept):
    # default: thresholds and finals only; the finals (partials combined in the evolution
    # basis) equal the PDG-basis products of the kept run to 1e-14 of the largest entry, and
    # their error bounds agree to the float32 and 10-bit rounding-up of the two
    path = str(tmp_path / "e.zarr")
    eko = ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    assert len(eko.partials) == 0 and len(eko.thresholds) >= 1 and len(eko) == 3
    ref = ekodask.open(kept)
    assert len(ref.partials) == 3
    for p in reference:
        op, want = eko[p], ref[p]
        np.testing.assert_array_equal(op, reference[p])
        np.testing.assert_allclose(op, want, rtol=0, atol=1e-14 * np.abs(want).max())
        err, err_ref = eko.error(p), ref.error(p)
        assert np.array_equal(err == 0, err_ref == 0)
        # each also rounded up by at most one step of 2^-10 (contraction.round_up_bound)
        np.testing.assert_allclose(err, err_ref, rtol=3e-4 + 2 * 2.0**-10, atol=0)


def test_separate_processes_merge_combine(tmp_path, kept):
    t, o = _write_cards(tmp_path)
    thr, p1, p2 = (str(tmp_path / n) for n in ("thr.zarr", "p1.zarr", "p2.zarr"))
    _cli("thresholds", t, o, "-o", thr, "-q")
    _cli("partial", t, o, "--mu2", "100.0", "-o", p1, "-q")
    _cli("partial", t, o, "--mu2", "10000.0", "-o", p2, "-q")
    out = str(tmp_path / "all.zarr")
    _cli("merge", thr, p1, p2, "-o", out)
    _cli("combine", out, "-q")
    finals = _finals(out)
    assert set(finals) == {(100.0, 5), (1e4, 5)}
    reference = _finals(kept)  # the same products of stored partials: bitwise
    for p, op in finals.items():
        np.testing.assert_array_equal(op, reference[p])
    _cli("clean", out, "-q")
    eko = ekodask.open(out)
    assert len(eko.partials) == 0 and len(eko.thresholds) >= 1 and len(eko) == 2
    assert "10000" in _cli("inspect", out).stdout


@pytest.fixture
def cluster():
    distributed = pytest.importorskip("distributed")
    # ":0": a free port. None still binds 8787 and warns (an error here) when it is taken,
    # e.g. by another test run's cluster
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cl,
        distributed.Client(cl) as client,
    ):
        yield client
    import zarr.core.sync

    zarr.core.sync.cleanup_resources()


def test_local_cluster_bitwise_equal(tmp_path, reference, cluster):
    path = str(tmp_path / "e.zarr")
    ekodask.run(THEORY, OPERATOR, path, client=cluster)
    finals = _finals(path)
    for p, op in reference.items():
        np.testing.assert_array_equal(finals[p], op)


def test_worker_killed_mid_partial(tmp_path, reference, cluster):
    path = str(tmp_path / "e.zarr")
    killed = []

    def killer():
        # kill the first worker seen executing a partial task
        deadline = time.time() + 60
        while time.time() < deadline and not killed:
            running = cluster.run(
                lambda dask_worker: [str(ts.key) for ts in dask_worker.state.executing]
            )
            for addr, keys in running.items():
                if any(k.startswith("partial-") for k in keys):
                    pid = cluster.run(os.getpid, workers=[addr])[addr]
                    os.kill(pid, signal.SIGKILL)
                    killed.append(addr)
                    return
            time.sleep(0.005)

    th = threading.Thread(target=killer)
    th.start()
    ekodask.run(THEORY, OPERATOR, path, client=cluster)
    th.join()
    assert killed, "no worker was caught computing a partial"
    finals = _finals(path)
    for p, op in reference.items():
        np.testing.assert_array_equal(finals[p], op)


def test_failing_task_fails_run_and_keeps_written(tmp_path, reference, monkeypatch):
    from ekodask import compute

    real = compute.partial_blocks  # what a run computes for a one-segment partial

    def broken(point, num):
        if point.mu2 == 1e4:
            raise OSError("No space left on device")
        return real(point, num)

    path = str(tmp_path / "e.zarr")
    monkeypatch.setattr(compute, "partial_blocks", broken)
    with pytest.raises(OSError, match="No space left"):
        ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    written = ekodask.open(path).evolution_points
    assert (1e4, 5) not in written and len(written) >= 1
    monkeypatch.setattr(compute, "partial_blocks", real)
    eko = ekodask.run(THEORY, OPERATOR, path, scheduler="synchronous")
    for p, op in reference.items():
        np.testing.assert_array_equal(eko[p], op)


def test_failing_threshold_write_fails_the_thresholds_task(tmp_path, cards, monkeypatch):
    # the thresholds are written from a thread beside the products: a failed write still
    # fails the task (and so the run), no final is written, and a rerun completes bitwise
    from ekodask.store import EKOStore

    real = EKOStore.write_threshold

    def broken(self, key, *args, **kwargs):
        if key[1] == 5:
            raise OSError("No space left on device")
        return real(self, key, *args, **kwargs)

    path = str(tmp_path / "e.zarr")
    monkeypatch.setattr(EKOStore, "write_threshold", broken)
    with pytest.raises(OSError, match="No space left"):
        ekodask.run(THEORY, OPERATOR, path, scheduler="threads")
    assert not any(p[1] == 5 for p in ekodask.open(path).evolution_points)
    monkeypatch.setattr(EKOStore, "write_threshold", real)
    pl = graph.plan(*cards)
    done = graph.thresholds_task(path, pl.thresholds, pl.numerics)
    st = EKOStore(path)
    assert set(st.thresholds()) == set(done["operators"])
    for key, (op, err) in done["operators"].items():
        np.testing.assert_array_equal(st.read_threshold(key), op)
        np.testing.assert_array_equal(st.read_error("thresholds", key), err)


def test_cli_attaches_to_running_scheduler(tmp_path, reference, cluster):
    from ekodask.cli import main

    t, o = _write_cards(tmp_path)
    path = str(tmp_path / "e.zarr")
    address = cluster.scheduler.address
    assert address.startswith("tcp://")
    assert main(["run", t, o, "-o", path, "--scheduler", address, "-q"]) == 0
    for p, op in _finals(path).items():
        np.testing.assert_array_equal(op, reference[p])
