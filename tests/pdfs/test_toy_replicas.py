"""write_toy_set(replicas=N): a reproducible many-member toy set, member 0 the replica mean."""

import numpy as np

from ekodask.pdfs.lhapdf import open_set, read_info
from ekodask.pdfs.toy import toy_xf, write_toy_set

X = np.array([1e-4, 1e-3, 1e-2, 0.1, 0.3, 0.7, 1.0])


def _member_xf(pset, index):
    member = pset.member(index)
    grid = member.subgrids[0]
    return np.asarray(grid.xf)[:, :, 0]  # (pid, x) at the first Q knot


def test_replicas_mean_is_member_zero(tmp_path):
    out = write_toy_set(tmp_path / "reps", X, replicas=20, spread=0.05)
    info = read_info(out / "reps.info")
    assert info["NumMembers"] == 21 and info["ErrorType"] == "replicas"
    pset = open_set(out)
    reps = np.stack([_member_xf(pset, k) for k in range(1, 21)])
    np.testing.assert_allclose(_member_xf(pset, 0), reps.mean(axis=0), rtol=1e-15, atol=1e-300)
    central = toy_xf(X)[[4, 5, 6, 8, 9, 10, 7]]  # pids -3 -2 -1 1 2 3 21 of PIDS
    spread = np.std(reps / np.where(central == 0, 1, central), axis=0)
    ok = central != 0
    assert 0.01 < spread[ok].min() and spread[ok].max() < 0.2  # about 5 %, varying with x
    again = write_toy_set(tmp_path / "again", X, replicas=20, spread=0.05)
    np.testing.assert_array_equal(_member_xf(open_set(again), 7), _member_xf(pset, 7))


def test_one_member_by_default(tmp_path):
    out = write_toy_set(tmp_path / "toy", X)
    assert read_info(out / "toy.info")["NumMembers"] == 1
    np.testing.assert_array_equal(_member_xf(open_set(out), 0), toy_xf(X)[[4, 5, 6, 8, 9, 10, 7]])
