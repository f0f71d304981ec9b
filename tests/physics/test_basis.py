"""Tests of the evolution basis and its exact rotations to PDG ids."""

import numpy as np
import pytest

from ekodask.errors import PhysicsError
from ekodask.pdfs.toy import PIDS
from ekodask.physics.basis import (
    basis_change,
    evolution_labels,
    evolution_to_flavor,
    flavor_to_evolution,
    label_index,
    rotate_operator,
    sector,
)

IDX = {pid: i for i, pid in enumerate(PIDS)}


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_true_inverse(nf):
    a, ainv = flavor_to_evolution(nf), evolution_to_flavor(nf)
    # the inverse is exact (rational Gauss-Jordan), so both products are the identity
    np.testing.assert_allclose(a @ ainv, np.eye(14), atol=1e-15)
    np.testing.assert_allclose(ainv @ a, np.eye(14), atol=1e-15)
    assert len(evolution_labels(nf)) == 14 == len(set(evolution_labels(nf)))


def test_definitions_nf4():
    rng = np.random.default_rng(0)
    f = rng.random(14)
    ev = dict(zip(evolution_labels(4), flavor_to_evolution(4) @ f, strict=True))

    def qp(q):
        return f[IDX[q]] + f[IDX[-q]]

    def qm(q):
        return f[IDX[q]] - f[IDX[-q]]

    u, d, s, c = 2, 1, 3, 4
    # definitions of the QCD evolution basis (eko, arXiv:2202.02338 Sec. 2)
    np.testing.assert_allclose(ev["S"], qp(u) + qp(d) + qp(s) + qp(c), rtol=1e-15)
    np.testing.assert_allclose(ev["V"], qm(u) + qm(d) + qm(s) + qm(c), rtol=1e-15)
    np.testing.assert_allclose(ev["T3"], qp(u) - qp(d), rtol=1e-14)
    np.testing.assert_allclose(ev["T8"], qp(u) + qp(d) - 2 * qp(s), rtol=1e-14)
    np.testing.assert_allclose(ev["T15"], qp(u) + qp(d) + qp(s) - 3 * qp(c), rtol=1e-14)
    np.testing.assert_allclose(ev["V15"], qm(u) + qm(d) + qm(s) - 3 * qm(c), rtol=1e-14)
    np.testing.assert_allclose(ev["b+"], qp(5), rtol=1e-15)
    np.testing.assert_allclose(ev["t-"], qm(6), rtol=1e-15)
    assert ev["g"] == f[IDX[21]] and ev["ph"] == f[IDX[22]]


def test_threshold_rotation():
    b = basis_change(3, 4)
    l3, l4 = evolution_labels(3), evolution_labels(4)

    def block(rows, cols):
        return b[np.ix_([l4.index(r) for r in rows], [l3.index(c) for c in cols])]

    # arXiv:2202.02338 Sec. 2: (g, S, h+) -> [[1,0,0],[0,1,1],[0,1,-nf]], (V, h-) -> [[1,1],[1,-nf]]
    np.testing.assert_array_equal(
        block(["g", "S", "T15"], ["g", "S", "c+"]), [[1, 0, 0], [0, 1, 1], [0, 1, -3]]
    )
    np.testing.assert_array_equal(block(["V", "V15"], ["V", "c-"]), [[1, 1], [1, -3]])
    rest = [lab for lab in l3 if lab not in ("g", "S", "c+", "V", "c-")]
    np.testing.assert_array_equal(block(rest, rest), np.eye(len(rest)))


def test_sectors():
    assert sector("S") == sector("g") == "singlet"
    assert sector("V") == "ns_v" and sector("V24") == "ns_m" and sector("T35") == "ns_p"
    assert sector("ph") == sector("c+") == sector("t-") == "identity"
    assert label_index("T3", 3) == 6
    with pytest.raises(PhysicsError):
        label_index("T15", 3)
    with pytest.raises(PhysicsError):
        evolution_labels(2)


def test_rotate_operator_identity():
    nx = 3
    eye = np.einsum("ij,ab->iajb", np.eye(14), np.eye(nx))
    # the identity in any evolution basis is the identity in the PDG basis (A^-1 1 A = 1)
    np.testing.assert_allclose(rotate_operator(eye, 5), eye, atol=1e-15)
    # a threshold step given as the basis change nf=4 -> 5 is the identity on PDG ids
    step = np.einsum("ij,ab->iajb", basis_change(4, 5), np.eye(nx))
    np.testing.assert_allclose(rotate_operator(step, 5, 4), eye, atol=1e-15)
