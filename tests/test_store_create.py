"""Creating one new store from several writers at once: one valid store, nobody fails."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import zarr

from ekodask.errors import StoreError
from ekodask.store import EKOStore, open
from tests.test_store import new_store, synthetic_op, tree_hash


def test_creator_paused_mid_creation_does_not_disturb_another(tmp_path, monkeypatch):
    """Creator B stops right after writing the root group of a new store; creator A then
    creates the same store and writes into it; B resumes. Both must succeed (the store is
    never visible half created) and the store must hold both writes."""
    path = str(tmp_path / "a.zarr")
    real = zarr.open_group
    paused, resume = threading.Event(), threading.Event()

    def pausing(*args, **kw):
        group = real(*args, **kw)
        if threading.current_thread().name == "B" and kw.get("mode") == "w-":
            paused.set()
            assert resume.wait(30)
        return group

    monkeypatch.setattr(zarr, "open_group", pausing)
    errors = []

    def creator_b():
        try:
            new_store(path).write_final((2.0, 4), synthetic_op(4, 2))
        except Exception as exc:  # reported below, in the main thread
            errors.append(exc)

    b = threading.Thread(target=creator_b, name="B")
    b.start()
    assert paused.wait(30)
    try:
        new_store(path).write_final((1.0, 4), synthetic_op(4, 1))
    finally:
        resume.set()
        b.join(30)
    assert not errors
    assert EKOStore(path).finals() == [(1.0, 4), (2.0, 4)]
    assert sorted(n for n in os.listdir(tmp_path) if n != "a.zarr") == []  # no leftovers


def test_creation_refuses_an_unwritable_place():
    with pytest.raises(StoreError, match=r"cannot create the store /proc/x\.zarr"):
        new_store("/proc/x.zarr")


def test_creation_refuses_a_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    if os.access(ro, os.W_OK):
        pytest.skip("running as a user who may write anywhere")
    with pytest.raises(StoreError, match="cannot create the store"):
        new_store(ro / "a.zarr")


def test_new_store_gets_the_usual_directory_mode(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    new_store(tmp_path / "a.zarr")
    assert os.stat(tmp_path / "a.zarr").st_mode & 0o777 == 0o777 & ~mask


THEORY = "order: 1\n"
OPERATOR = (
    "xgrid: [1.0e-4, 4.6e-4, 2.2e-3, 1.0e-2, 4.6e-2, 0.1, 0.3, 0.5, 0.7, 1.0]\n"
    "interpolation_degree: 3\n"
    "mu2grid: [100.0]\n"
)


@pytest.mark.slow
def test_fifty_pairs_of_cli_runs_on_new_stores(tmp_path):
    """50 pairs of `ekodask run`, the two of a pair started together on one new store
    (5 pairs at a time): every process exits 0, every store is complete and all 50 are
    bitwise equal."""
    theory, operator = tmp_path / "theory.yaml", tmp_path / "operator.yaml"
    theory.write_text(THEORY)
    operator.write_text(OPERATOR)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    cmd = [sys.executable, "-m", "ekodask.cli", "run", str(theory), str(operator), "-q"]
    codes, failures = [], []
    t0 = time.monotonic()
    for wave in range(10):
        procs = []
        for pair in range(5):
            out = str(tmp_path / f"s{wave * 5 + pair}.zarr")
            for _ in range(2):
                procs.append(
                    subprocess.Popen(
                        [*cmd, "-o", out],
                        env=env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                )
        for proc in procs:
            _, err = proc.communicate(timeout=600)
            codes.append(proc.returncode)
            if proc.returncode:
                failures.append(err.strip().splitlines()[-1:])
    print(f"100 runs in {time.monotonic() - t0:.0f} s; exit codes {sorted(set(codes))}")
    assert codes == [0] * 100, failures
    hashes = {k: tree_hash(str(tmp_path / f"s{k}.zarr")) for k in range(50)}
    if len(set(hashes.values())) != 1:  # say which files differ from store 0
        odd = next(k for k, h in hashes.items() if h != hashes[0])
        listing = [
            {os.path.relpath(os.path.join(d, f), p): tree_hash(os.path.join(d, f))
             for d, _, fs in os.walk(p) for f in fs}
            for p in (str(tmp_path / "s0.zarr"), str(tmp_path / f"s{odd}.zarr"))
        ]  # fmt: skip
        diff = sorted(
            k for k in {*listing[0], *listing[1]} if listing[0].get(k) != listing[1].get(k)
        )
        pytest.fail(f"store s{odd} differs from s0 in {diff}")
    eko = open(tmp_path / "s0.zarr")
    assert len(eko) == 1 and np.isfinite(eko[100.0]).all()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]
