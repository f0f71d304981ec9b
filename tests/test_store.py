"""Tests of ekodask.store: layout, lazy reads, crash and concurrency safety, merge/combine/clean.

Store tests compare exact float64 round trips, so they use assert_array_equal (bit equality
is the property under test: the store must give back exactly what was written).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest
import zarr
from zarr.storage import WrapperStore

from ekodask.errors import IncompatibleStoresError, StoreError
from ekodask.store import (
    EKOStore,
    PointNotFoundError,
    clean,
    combine,
    create,
    export_zip,
    inspect,
    merge,
    open,
)

PIDS = (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
THEORY = {"order": 3, "alphas": 0.35, "masses": [1.4142135623730951, 4.5, 175.0]}
OPERATOR = {"mu0": 1.4142135623730951, "xgrid": [1e-3, 0.1, 0.5, 1.0], "method": "iterate-exact"}
COMPAT = {"theory": THEORY, "operator": OPERATOR}
METADATA = {"theory": THEORY, "operator": {**OPERATOR, "mu2grid": [10.0, 100.0]}}
MU2_C = 1.4142135623730951**2  # a threshold scale that is not a short decimal
PYTHON = sys.executable


def synthetic_op(nx: int, seed: float) -> np.ndarray:
    """Operator-like array (14, nx, 14, nx): photon and top decoupled (identity), the other
    12 flavours mixed, each block upper-triangular in x (plus a band of 4 below)."""
    rng = np.random.default_rng(int(seed * 1000) % 2**32)
    op = np.zeros((14, nx, 14, nx))
    mask = np.triu(np.ones((nx, nx)), k=-4)
    light = list(range(2, 13))
    block = rng.standard_normal((len(light), nx, len(light), nx)) * 1e-2
    op[np.ix_(light, range(nx), light, range(nx))] = block * mask[None, :, None, :]
    for i in (0, 1, 13):
        op[i, :, i, :] = np.eye(nx)
    return op


def tree_hash(path: str) -> str:
    """sha256 over all relative file names and contents below path (or of one file)."""
    h = hashlib.sha256()
    if os.path.isfile(path):
        with open_file(path) as f:
            h.update(f.read())
        return h.hexdigest()
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            h.update(os.path.relpath(full, path).encode())
            with open_file(full) as f:
                h.update(f.read())
    return h.hexdigest()


def open_file(path: str):
    import builtins

    return builtins.open(path, "rb")


def new_store(path, nx=4, compat=COMPAT, **kw) -> EKOStore:
    return create(
        str(path),
        metadata=METADATA,
        compat=compat,
        xgrid=np.geomspace(1e-3, 1.0, nx),
        pids=PIDS,
        **kw,
    )


# -- writing and reading back --------------------------------------------------------------


def test_round_trip_all_roles(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    thr, part, part0, fin = (synthetic_op(4, k) for k in (1, 2, 3, 4))
    err = np.full_like(fin, 1e-9)
    s.write_threshold((MU2_C, 4), thr)
    s.write_partial((100.0, 4), part, start=(MU2_C, 4))
    s.write_partial((0.1 + 0.2, 3), part0, error=err)
    s.write_final((100.0, 4), fin, error=err)
    assert s.thresholds() == [(MU2_C, 4)]
    assert s.partials() == [(0.1 + 0.2, 3), (100.0, 4)]  # float keys round-trip exactly
    assert s.finals() == [(100.0, 4)]
    assert s.has_threshold((MU2_C, 4)) and not s.has_threshold((MU2_C, 5))
    assert s.has_partial((0.30000000000000004, 3)) and not s.has_partial((0.3, 3))
    assert s.has_final((100, 4)) and not s.has_final((100.0, 5))
    np.testing.assert_array_equal(s.read_threshold((MU2_C, 4)), thr)
    op, start = s.read_partial((100.0, 4))
    np.testing.assert_array_equal(op, part)
    assert start == (MU2_C, 4) and s.read_partial((0.1 + 0.2, 3))[1] is None
    np.testing.assert_array_equal(s.read_final((100.0, 4)), fin)
    np.testing.assert_array_equal(s.read_error("finals", (100.0, 4)), err)
    assert s.read_error("thresholds", (MU2_C, 4)) is None
    with pytest.raises(PointNotFoundError, match=r"final \(5\.0, 4\)"):
        s.read_final((5.0, 4))


def test_eko_view(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    ops = {p: synthetic_op(4, i + 1) for i, p in enumerate([(MU2_C, 3), (MU2_C, 4), (1e4, 5)])}
    for p, op in ops.items():
        s.write_final(p, op, error=op * 1e-6 if p[1] == 5 else None)
    s.write_threshold((MU2_C, 4), ops[(MU2_C, 4)])
    s.write_partial((50.0, 4), ops[(1e4, 5)], start=(MU2_C, 4))
    eko = open(tmp_path / "a.zarr")
    assert eko.evolution_points == ((MU2_C, 3), (MU2_C, 4), (1e4, 5))
    np.testing.assert_array_equal(eko.mu2grid, [MU2_C, MU2_C, 1e4])
    assert eko.pids == PIDS and len(eko) == 3 and list(eko) == list(eko.evolution_points)
    np.testing.assert_array_equal(eko.xgrid, np.geomspace(1e-3, 1.0, 4))
    assert eko.theory == THEORY and eko.operator == METADATA["operator"]
    assert eko.metadata == METADATA and eko.compat == COMPAT
    np.testing.assert_array_equal(eko[1e4], ops[(1e4, 5)])
    np.testing.assert_array_equal(eko[(MU2_C, 3)], ops[(MU2_C, 3)])
    with pytest.raises(KeyError, match="ambiguous"):
        eko[MU2_C]
    with pytest.raises(KeyError, match=r"mu2=7\.0"):
        eko[7.0]
    assert (1e4, 5) in eko and 1e4 in eko and (1e4, 4) not in eko and MU2_C not in eko
    for (p, op), q in zip(eko.items(), ops, strict=True):
        assert p == q
        np.testing.assert_array_equal(op, ops[q])
    np.testing.assert_array_equal(eko.error((1e4, 5)), ops[(1e4, 5)] * 1e-6)
    assert eko.error((MU2_C, 3)) is None
    assert list(eko.thresholds) == [(MU2_C, 4)] and list(eko.partials) == [(50.0, 4)]
    np.testing.assert_array_equal(eko.partials[(50.0, 4)], ops[(1e4, 5)])
    assert eko.partials.start((50.0, 4)) == (MU2_C, 4)
    d = eko.to_dask()
    assert d.shape == (3, 14, 4, 14, 4) and d.chunks[0] == (1, 1, 1)
    assert d.chunks[1:] == ((14,), (4,), (14,), (4,))
    np.testing.assert_array_equal(d[2].compute(scheduler="sync"), ops[(1e4, 5)])
    assert eko.versions["format_version"] == 1
    again = pickle.loads(pickle.dumps(eko))
    assert again.evolution_points == eko.evolution_points
    np.testing.assert_array_equal(again[1e4], ops[(1e4, 5)])


def test_metadata_hash_and_versions(tmp_path):
    import ekodask

    new_store(tmp_path / "a.zarr")
    info = zarr.open_group(str(tmp_path / "a.zarr"), mode="r").attrs["ekodask"]
    canonical = '{"operator":{"method":"iterate-exact","mu0":1.4142135623730951,"xgrid":[0.001,0.1,0.5,1.0]},"theory":{"alphas":0.35,"masses":[1.4142135623730951,4.5,175.0],"order":3}}'  # noqa: E501
    assert info["compat_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert info["ekodask_version"] == ekodask.__version__


def test_write_refusals(tmp_path):
    s = new_store(tmp_path / "a.zarr")
    op = synthetic_op(4, 1)
    with pytest.raises(StoreError, match=r"shape \(14, 4, 14, 4\)"):
        s.write_final((10.0, 4), op[:, :3])
    with pytest.raises(StoreError, match="real array"):
        s.write_final((10.0, 4), op.astype(complex))
    with pytest.raises(StoreError, match=r"a\.zarr: evolution point \(10\.0, 9\): .*nf"):
        s.write_final((10.0, 9), op)
    with pytest.raises(StoreError, match="opened read-only"):
        EKOStore(s.path, read_only=True).write_final((10.0, 4), op)
    with pytest.raises(StoreError, match="mu2"):
        s.write_final((-1.0, 4), op)
    s.write_final((10.0, 4), op)
    before = tree_hash(str(tmp_path / "a.zarr"))
    with pytest.raises(StoreError, match=r"final \(10\.0, 4\) is already stored with diff"):
        s.write_final((10.0, 4), 2 * op)
    with pytest.raises(StoreError, match="already stored with different data"):
        s.write_final((10.0, 4), op, error=op)
    s.write_final((10.0, 4), op)  # the same bits again (a retried task): accepted, no change
    assert tree_hash(str(tmp_path / "a.zarr")) == before
    s.write_final((10.0, 4), 2 * op, overwrite=True)
    np.testing.assert_array_equal(s.read_final((10.0, 4)), 2 * op)


def test_create_resumes_or_refuses(tmp_path):
    path = tmp_path / "a.zarr"
    new_store(path).write_final((10.0, 4), synthetic_op(4, 1))
    before = tree_hash(str(path))
    assert new_store(path).finals() == [(10.0, 4)]  # compatible: resume, data kept
    bad = {"theory": {**THEORY, "order": 2}, "operator": OPERATOR}
    with pytest.raises(StoreError, match=r"compat\.theory\.order"):
        new_store(path, compat=bad)
    with pytest.raises(StoreError, match="xgrid"):
        new_store(path, nx=5)
    assert tree_hash(str(path)) == before
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="would be overwritten"):
        new_store(other)
    assert (other / "notes.txt").read_text() == "mine"
    assert new_store(path, compat=bad, overwrite=True).finals() == []


def test_open_errors(tmp_path):
    with pytest.raises(StoreError, match=r"no ekodask store at .*missing\.zarr"):
        open(tmp_path / "missing.zarr")
    with pytest.raises(StoreError, match=r"no ekodask store at .*missing\.zarr"):
        EKOStore(tmp_path / "missing.zarr")
    with pytest.raises(StoreError, match=r"no ekodask store at .*missing\.zarr"):
        clean(tmp_path / "missing.zarr")
    assert not (tmp_path / "missing.zarr").exists()  # looking creates nothing
    zarr.open_group(str(tmp_path / "plain.zarr"), mode="w")
    with pytest.raises(StoreError, match=r"plain\.zarr is not an ekodask store"):
        open(tmp_path / "plain.zarr")
    s = new_store(tmp_path / "a.zarr")
    s.write_final((10.0, 4), synthetic_op(4, 1))
    s.write_final((20.0, 4), synthetic_op(4, 2))
    chunk = tmp_path / "a.zarr" / "finals" / "10.0_nf4" / "operator" / "c" / "0" / "0" / "0" / "0"
    chunk.write_bytes(chunk.read_bytes()[:-20])
    eko = open(tmp_path / "a.zarr")
    with pytest.raises(StoreError, match=r"final \(10\.0, 4\): corrupt piece"):
        eko[10.0]
    (tmp_path / "a.zarr" / "finals" / "20.0_nf4" / "operator" / "c").rename(tmp_path / "gone")
    with pytest.raises(StoreError, match=r"final \(20\.0, 4\): corrupt piece, .* missing"):
        eko[20.0]


class RecordingStore(WrapperStore):
    """Records the keys whose bytes are fetched."""

    fetched: list[str]

    async def get(self, key, prototype, byte_range=None):
        self.fetched.append(key)
        return await self._store.get(key, prototype, byte_range)

    async def get_partial_values(self, prototype, key_ranges):
        key_ranges = list(key_ranges)
        self.fetched.extend(k for k, _ in key_ranges)
        return await self._store.get_partial_values(prototype, key_ranges)


def test_lazy_open_reads_no_operator_data(tmp_path):
    from zarr.storage import LocalStore

    s = new_store(tmp_path / "a.zarr", nx=6)
    for k in range(5):
        s.write_final((10.0 * (k + 1), 4), synthetic_op(6, k + 1), error=synthetic_op(6, 9))
        s.write_partial((10.0 * (k + 1), 4), synthetic_op(6, k + 1))
    s.write_threshold((MU2_C, 4), synthetic_op(6, 7))
    store = RecordingStore(LocalStore(str(tmp_path / "a.zarr"), read_only=True))
    store.fetched = []
    eko = open(store)
    _ = eko.evolution_points, eko.metadata, eko.xgrid, list(eko.partials), list(eko.thresholds)
    assert store.fetched and all(k.endswith("zarr.json") for k in store.fetched)
    store.fetched.clear()
    op = eko[(30.0, 4)]
    data = [k for k in store.fetched if not k.endswith("zarr.json")]
    assert data == ["finals/30.0_nf4/operator/c/0/0/0/0"]  # exactly this point's one chunk
    np.testing.assert_array_equal(op, synthetic_op(6, 3))
    store.fetched.clear()
    d = eko.to_dask()  # building the dask array reads nothing
    assert store.fetched == []
    np.testing.assert_array_equal(d[1].compute(scheduler="sync"), synthetic_op(6, 2))
    assert [k for k in store.fetched if "/c/" in k] == ["finals/20.0_nf4/operator/c/0/0/0/0"]


def test_pickles_and_dask_worker_writes(tmp_path):
    import dask

    s = new_store(tmp_path / "a.zarr")
    s2 = pickle.loads(pickle.dumps(s))
    assert s2.path == s.path

    def task(path: str, k: int) -> None:
        EKOStore(path).write_final((float(k), 4), synthetic_op(4, k))

    dask.compute(*[dask.delayed(task)(s.path, k) for k in range(1, 7)], scheduler="threads")
    assert s.finals() == [(float(k), 4) for k in range(1, 7)]
    for k in range(1, 7):
        np.testing.assert_array_equal(s.read_final((float(k), 4)), synthetic_op(4, k))


# -- crash and concurrency safety (separate processes) -------------------------------------

WRITER = textwrap.dedent(
    """
    import os, signal, sys, time
    import numpy as np
    sys.path.insert(0, {tests!r})
    from test_store import new_store, synthetic_op
    from ekodask.store import EKOStore
    path, mode, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    go = os.environ.get("STORE_TEST_GO")
    if go:  # start together with the other writer
        open(go + str(first), "w").close()
        while not os.path.exists(go):
            time.sleep(0.005)
    s = new_store(path, nx={nx}) if mode == "create" else EKOStore(path)
    if mode not in ("loop", "create"):
        from ekodask.store import writer
        real = writer._put
        if mode == "in-chunk":
            def dying(path, data):
                if os.sep + "c" + os.sep in path:
                    # leave a half-written chunk file, then die
                    real(path, bytes(data)[:100])
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(path, data)
        else:  # after the data, before the completion marker (the piece's group document)
            def dying(path, data):
                if os.path.basename(os.path.dirname(path)).startswith(writer.BUILD_PREFIX):
                    if os.path.basename(path) == "zarr.json":
                        os.kill(os.getpid(), signal.SIGKILL)
                return real(path, data)
        writer._put = dying
    for k in range(first, last):
        if not s.has_final((float(k), 4)):
            s.write_final((float(k), 4), synthetic_op({nx}, k), error=synthetic_op({nx}, k + 0.5))
    """
)


def run_writer(path, mode, first, last, nx=8, wait=True, env=None):
    script = WRITER.format(tests=os.path.dirname(__file__), nx=nx)
    args = [PYTHON, "-c", script, str(path), mode, str(first), str(last)]
    proc = subprocess.Popen(args, env={**os.environ, **(env or {})})
    if wait:
        proc.wait(timeout=60)
    return proc


def check_points(path, points, nx=8):
    eko = open(path)
    assert eko.evolution_points == tuple((float(k), 4) for k in points)
    for k in points:
        np.testing.assert_array_equal(eko[(float(k), 4)], synthetic_op(nx, k))
        np.testing.assert_array_equal(eko.error((float(k), 4)), synthetic_op(nx, k + 0.5))


@pytest.mark.parametrize("mode", ["in-chunk", "before-marker"])
def test_killed_write_is_absent_and_rerun_completes(tmp_path, mode):
    path = str(tmp_path / "a.zarr")
    s = new_store(path, nx=8)
    for k in (1, 2):
        s.write_final((float(k), 4), synthetic_op(8, k), error=synthetic_op(8, k + 0.5))
    proc = run_writer(path, mode, 3, 4)
    assert proc.returncode == -signal.SIGKILL
    builds = [n for n in os.listdir(os.path.join(path, "finals")) if "3.0_nf4" in n]
    assert builds and builds[0].startswith(".build-3.0_nf4-")  # the write had begun
    # what a crash while writing a piece's zarr.json leaves (LocalStore's temporary file)
    with open_file_w(os.path.join(path, "finals", "zarr.json.0a1b2c.partial")) as f:
        f.write(b"{")
    check_points(path, [1, 2])
    assert not s.has_final((3.0, 4))
    with pytest.raises(KeyError):
        open(path)[(3.0, 4)]
    assert run_writer(path, "loop", 1, 4).returncode == 0  # rerun: skips 1, 2; writes 3
    check_points(path, [1, 2, 3])
    export_zip(path, str(tmp_path / "a.zip"))  # the crash leftovers stay out of the zip
    check_points(str(tmp_path / "a.zip"), [1, 2, 3])
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert not [n for n in zf.namelist() if ".build-" in n or n.endswith(".partial")]
    assert clean(path) == [] and len(os.listdir(os.path.join(path, "finals"))) == 6
    assert clean(path, stale_after_s=-1.0) == []  # now every leftover counts as stale
    assert sorted(os.listdir(os.path.join(path, "finals"))) == [
        "1.0_nf4", "2.0_nf4", "3.0_nf4", "zarr.json"
    ]  # fmt: skip
    check_points(path, [1, 2, 3])


def test_kill_at_random_time_leaves_only_complete_points(tmp_path):
    path = str(tmp_path / "a.zarr")
    new_store(path, nx=30)
    proc = run_writer(path, "loop", 1, 400, nx=30, wait=False)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(EKOStore(path).finals()) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    done = [int(p[0]) for p in EKOStore(path).finals()]
    assert 3 <= len(done) < 399 and done == list(range(1, len(done) + 1))
    check_points(path, done, nx=30)
    assert run_writer(path, "loop", 1, len(done) + 3, nx=30).returncode == 0
    check_points(path, range(1, len(done) + 3), nx=30)


def run_together(path, mode, ranges, tmp_path):
    """Start one writer per (first, last) range and release them at the same moment."""
    go = {"STORE_TEST_GO": str(tmp_path / "go")}
    procs = [run_writer(path, mode, a, b, nx=20, wait=False, env=go) for a, b in ranges]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"go{a}").exists() for a, _ in ranges):
        assert time.monotonic() < deadline, "writers did not start"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    return [p.wait(timeout=60) for p in procs]


def test_two_processes_create_and_write_one_new_store(tmp_path):
    # two `ekodask partial`-like runs into the same, not yet existing store
    path = str(tmp_path / "a.zarr")
    assert run_together(path, "create", ((1, 11), (11, 21)), tmp_path) == [0, 0]
    check_points(path, range(1, 21), nx=20)


def test_two_processes_write_one_store(tmp_path):
    path = str(tmp_path / "a.zarr")
    new_store(path, nx=20)
    ranges = ((1, 41), (41, 81))
    assert run_together(path, "loop", ranges, tmp_path) == [0, 0]
    check_points(path, range(1, 81), nx=20)
    # the two writers really ran at the same time: their write periods overlap
    spans = [
        [os.path.getmtime(os.path.join(path, "finals", f"{k}.0_nf4", "zarr.json")) for k in r]
        for r in (range(*ranges[0]), range(*ranges[1]))
    ]
    assert max(min(t) for t in spans) < min(max(t) for t in spans)


def test_two_processes_write_the_same_points(tmp_path):
    # a duplicated task: both writers compute and write the same points at the same time
    path = str(tmp_path / "a.zarr")
    new_store(path, nx=20)
    assert run_together(path, "loop", ((1, 31), (2, 31)), tmp_path) == [0, 0]
    check_points(path, range(1, 31), nx=20)
    assert not [n for n in os.listdir(os.path.join(path, "finals")) if n.startswith(".")]


MEMORY_PROBE = textwrap.dedent(
    """
    import sys
    from ekodask.store import open
    def vm(field):
        for line in open_status():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    def open_status():
        import builtins
        with builtins.open("/proc/self/status") as f:
            return f.readlines()
    eko = open(sys.argv[1])
    try:
        with __import__("builtins").open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
    except OSError:
        pass  # then VmHWM also holds the import-time peak: the check only gets stricter
    base = vm("VmRSS")
    total = 0.0
    for point, op in eko.items():
        total += float(op[7, 0, 7, 0])
    print(len(eko), base, vm("VmHWM"), total)
    """
)


def test_iterating_200_operators_keeps_memory_flat(tmp_path):
    nx = 50
    path = str(tmp_path / "a.zarr")
    s = new_store(path, nx=nx)
    base_op = synthetic_op(nx, 1)
    for k in range(200):
        base_op[7, 0, 7, 0] = k  # distinct operators, cheap to make
        s.write_final((float(k + 1), 4), base_op)
    out = subprocess.run(
        [PYTHON, "-c", MEMORY_PROBE, path], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    n, base, peak, total = int(out[0]), int(out[1]), int(out[2]), float(out[3])
    assert n == 200 and total == sum(range(200))  # every operator was read
    op_bytes = base_op.nbytes
    assert peak - base < 3 * op_bytes, f"peak {(peak - base) / op_bytes:.2f} operators"


# -- merge, combine, clean ------------------------------------------------------------------


def test_merge_thresholds_and_partials_then_combine_and_clean(tmp_path):
    thr_store, part_store = new_store(tmp_path / "thr.zarr"), new_store(tmp_path / "part.zarr")
    t4, t5 = synthetic_op(4, 1), synthetic_op(4, 2)
    thr_store.write_threshold((MU2_C, 4), t4, error=np.abs(t4) * 1e-8)
    thr_store.write_threshold((20.25, 5), t5)
    p_a, p_b, p_0 = synthetic_op(4, 3), synthetic_op(4, 4), synthetic_op(4, 5)
    part_store.write_partial((100.0, 4), p_a, start=(MU2_C, 4))
    part_store.write_partial((1e4, 5), p_b, error=np.abs(p_b) * 1e-6, start=(20.25, 5))
    part_store.write_partial((1.5, 3), p_0)
    part_store.write_partial((2e4, 5), p_b, start=(30.0, 6))  # its threshold is missing
    inputs = [str(tmp_path / "thr.zarr"), str(tmp_path / "part.zarr")]
    before = [tree_hash(p) for p in inputs]
    out = str(tmp_path / "out.zarr")
    assert merge(inputs, out) == out
    assert [tree_hash(p) for p in inputs] == before
    done = combine(out)
    assert done == [(1.5, 3), (100.0, 4), (1e4, 5)]
    eko = open(out)
    # final = partial . threshold, summed over (pid, x) (definition of the contraction)
    ref_a = np.einsum("iajb,jbkc->iakc", p_a, t4)
    np.testing.assert_allclose(eko[100.0], ref_a, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(
        eko[1e4], np.einsum("iajb,jbkc->iakc", p_b, t5), rtol=1e-13, atol=1e-15
    )
    np.testing.assert_array_equal(eko[1.5], p_0)  # a partial from mu0 is its own final
    # first-order error propagation: |e_P|.|T| + |P|.|e_T| (linearity of the contraction),
    # evaluated in single precision and rounded up (contraction.error_product): never below it
    ref_err = np.einsum("iajb,jbkc->iakc", np.abs(p_a), np.abs(t4) * 1e-8)
    assert np.all(eko.error(100.0) >= ref_err)
    np.testing.assert_allclose(eko.error(100.0), ref_err, rtol=1e-3, atol=1e-30)
    assert eko.error(1.5) is None
    assert combine(out) == []  # nothing left to do
    assert clean(out) == [(1.5, 3), (100.0, 4), (1e4, 5)]
    s = EKOStore(out)
    assert s.partials() == [(2e4, 5)] and s.thresholds() == [(MU2_C, 4), (20.25, 5)]
    assert len(open(out)) == 3
    text = inspect(out)
    assert "thresholds: 2" in text and "partials: 1" in text and "finals: 3" in text
    assert "after threshold (30.0, 6)" in text and "  theory.order: 3\n" in text
    assert "  operator.mu2grid: [10.0, 100.0]\n" in text


def test_merge_custom_contraction_and_overlaps(tmp_path):
    a, b = new_store(tmp_path / "a.zarr"), new_store(tmp_path / "b.zarr")
    op = synthetic_op(4, 1)
    for s in (a, b):
        s.write_threshold((MU2_C, 4), op)  # equal overlap: accepted
    a.write_partial((10.0, 4), op, start=(MU2_C, 4))
    b.write_final((50.0, 4), op)
    out = str(tmp_path / "out.zarr")
    merge([a.path, b.path], out)
    assert combine(out, contraction=lambda p, t: p + t) == [(10.0, 4)]
    np.testing.assert_array_equal(open(out)[10.0], 2 * op)
    # merging again into the now larger out is accepted and adds nothing new
    c = new_store(tmp_path / "c.zarr")
    c.write_final((70.0, 4), op)
    merge([a.path, c.path], out)
    assert open(out).evolution_points == ((10.0, 4), (50.0, 4), (70.0, 4))
    history = open(out).merged_from
    assert [h["store"] for h in history] == [a.path, b.path, a.path, c.path]
    assert all(h["metadata"] == METADATA for h in history)


def refusal_setup(tmp_path):
    a, b = new_store(tmp_path / "a.zarr"), new_store(tmp_path / "b.zarr")
    a.write_final((10.0, 4), synthetic_op(4, 1))
    b.write_final((20.0, 4), synthetic_op(4, 2))
    return a.path, b.path


@pytest.mark.parametrize(
    "case",
    ["theory", "xgrid", "pids", "overlap", "out-incompatible", "out-differs", "out-is-input",
     "out-foreign", "missing-input"],
)  # fmt: skip
def test_merge_refusals_change_nothing(tmp_path, case):
    a, b = refusal_setup(tmp_path)
    out = str(tmp_path / "out.zarr")
    other = str(tmp_path / "c.zarr")
    op = synthetic_op(4, 3)
    if case == "theory":
        bad = {"theory": {**THEORY, "alphas": 0.118}, "operator": OPERATOR}
        new_store(other, compat=bad).write_final((30.0, 4), op)
        args, err, msg = [a, other], IncompatibleStoresError, r"compat\.theory\.alphas"
    elif case == "xgrid":
        new_store(other, nx=5)
        args, err, msg = [a, other], IncompatibleStoresError, "differ in xgrid"
    elif case == "pids":
        create(other, metadata=METADATA, compat=COMPAT, xgrid=np.geomspace(1e-3, 1, 4),
               pids=PIDS[::-1])  # fmt: skip
        args, err, msg = [a, other], IncompatibleStoresError, "differ in pids"
    elif case == "overlap":
        new_store(other).write_final((10.0, 4), op)
        args, err, msg = [a, other], IncompatibleStoresError, r"final \(10\.0, 4\) differs"
    elif case == "out-incompatible":
        new_store(out, compat={"theory": {}, "operator": {}}).write_final((10.0, 4), op)
        args, err, msg = [a, b], IncompatibleStoresError, r"compat\.theory\.order"
    elif case == "out-differs":
        new_store(out).write_final((20.0, 4), op)
        args, err, msg = [a, b], IncompatibleStoresError, r"final \(20\.0, 4\) differs"
    elif case == "out-is-input":
        out = a
        args, err, msg = [a, b], StoreError, "is one of its inputs"
    elif case == "out-foreign":
        os.mkdir(out)
        with open_file_w(os.path.join(out, "zarr.json")) as f:
            f.write(b'{"zarr_format": 3, "node_type": "group", "attributes": {}}')
        args, err, msg = [a, b], StoreError, "out.zarr is not an ekodask store"
    else:
        args, err, msg = [a, str(tmp_path / "nope.zarr")], StoreError, "nope.zarr"
    paths = [p for p in {*args, out, other} if os.path.exists(p)]
    before = {p: tree_hash(p) for p in paths}
    with pytest.raises(err, match=msg):
        merge(args, out)
    assert {p: tree_hash(p) for p in paths} == before
    if case not in ("out-incompatible", "out-differs", "out-is-input", "out-foreign"):
        assert not os.path.exists(out)


def open_file_w(path: str):
    import builtins

    return builtins.open(path, "wb")


# -- other backends ---------------------------------------------------------------------------


def test_zip_store(tmp_path):
    a, b = refusal_setup(tmp_path)
    out = str(tmp_path / "eko.zip")
    merge([a, b], out)
    with open(out) as eko:
        assert eko.evolution_points == ((10.0, 4), (20.0, 4))
        np.testing.assert_array_equal(eko[20.0], synthetic_op(4, 2))
        np.testing.assert_array_equal(eko.to_dask()[0].compute(scheduler="sync"), eko[10.0])
    assert "finals: 2" in inspect(out)
    c = new_store(tmp_path / "c.zarr")
    c.write_final((30.0, 4), synthetic_op(4, 3))
    merge([c.path], out)  # an existing compatible zip is merged into, nothing lost
    with open(out) as eko:
        assert len(eko) == 3
    with pytest.raises(StoreError, match="read-only"):
        EKOStore(out)
    with pytest.raises(StoreError, match="read-only"):
        new_store(tmp_path / "new.zip")
    with pytest.raises(StoreError, match="refusing to overwrite"):
        export_zip(a, out)
    assert export_zip(a, str(tmp_path / "a.zip")).endswith("a.zip")
    with open(tmp_path / "a.zip") as eko:
        np.testing.assert_array_equal(eko[10.0], synthetic_op(4, 1))


def test_memory_url(tmp_path):
    url = f"memory://ekodask-test-{os.getpid()}/a.zarr"
    s = new_store(url)
    s.write_final((10.0, 4), synthetic_op(4, 1))
    s.write_partial((20.0, 4), synthetic_op(4, 2))
    eko = open(url)
    assert eko.evolution_points == ((10.0, 4),)
    np.testing.assert_array_equal(eko[10.0], synthetic_op(4, 1))
    assert combine(url) == [(20.0, 4)] and clean(url) == [(20.0, 4)]
    merge([url], str(tmp_path / "local.zarr"))
    assert len(open(tmp_path / "local.zarr")) == 2


@pytest.mark.parametrize("same", [True, False], ids=["same-data", "other-data"])
def test_a_piece_published_between_check_and_rename(tmp_path, monkeypatch, same):
    # the local write path looks for the piece, builds it privately, then renames it into
    # place; here another writer publishes the same point in between (deterministically:
    # from inside the build). Same data: the write is done; other data: refused, the other
    # writer's piece kept; no private build left behind either way
    from ekodask.store import writer

    path = str(tmp_path / "a.zarr")
    s = new_store(path, nx=6)
    op = synthetic_op(6, 1)
    theirs = op if same else synthetic_op(6, 2)
    real_build = writer._build_local_piece
    raced = []

    def build_then_race(folder, attrs, arrays):
        real_build(folder, attrs, arrays)
        if not raced:
            raced.append(1)
            monkeypatch.setattr(writer, "_build_local_piece", real_build)
            EKOStore(path).write_final((3.0, 4), theirs)

    monkeypatch.setattr(writer, "_build_local_piece", build_then_race)
    if same:
        s.write_final((3.0, 4), op)
    else:
        with pytest.raises(StoreError, match="already stored with different data"):
            s.write_final((3.0, 4), op)
    assert raced
    np.testing.assert_array_equal(open(path)[(3.0, 4)], theirs)
    assert not [n for n in os.listdir(os.path.join(path, "finals")) if n.startswith(".")]


def test_local_handle_checks_say_what_zarr_checks_say(tmp_path):
    # a task's handle on a local store reads the root zarr.json itself; for each bad store it
    # fails with open_root's one-line message (up to the parser's own words in parentheses)
    import json

    from ekodask.store._layout import open_root

    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "zarr.json").write_text("{not json")
    (tmp_path / "foreign").mkdir()
    doc = {"zarr_format": 3, "node_type": "group", "attributes": {}}
    (tmp_path / "foreign" / "zarr.json").write_text(json.dumps(doc))
    for name in ("missing", "file", "empty", "bad", "foreign"):
        path = str(tmp_path / name)
        with pytest.raises(StoreError) as ours:
            EKOStore(path)
        with pytest.raises(StoreError) as zarrs:
            open_root(path, writable=True)
        assert "\n" not in str(ours.value)
        assert str(ours.value).split(" (")[0] == str(zarrs.value).split(" (")[0], name
