"""The kernels' dispatch over the solution methods, the 2x2 exponential, U matrices, mu_R.

Each method against its own reference: tests/physics/test_solutions.py; the j integrals:
tests/physics/test_evolution_integrals.py.
"""

import numpy as np
import pytest
from scipy.linalg import expm

from ekodask.errors import PhysicsError
from ekodask.physics.beta import beta
from ekodask.physics.kernels import (
    EKO_METHODS,
    METHODS,
    expm_2x2,
    gamma_xir,
    non_singlet,
    singlet,
    u_matrices,
)

A0, A1 = 0.35 / (4 * np.pi), 0.0093  # LHA start and roughly a_s(1e4 GeV^2)
RNG = np.random.default_rng(7)
# singlet-like test matrices per order (LO .. N3LO magnitudes, gamma^(3) a dummy), two "N"
GAMMA_S = np.stack(
    [
        RNG.normal(size=(2, 2, 2)) * s + 1j * RNG.normal(size=(2, 2, 2)) * s
        for s in (3.0, 30.0, 300.0, 3000.0)
    ]
)
GAMMA_NS = GAMMA_S[..., 0, 0]


def test_expm_2x2():
    mats = RNG.normal(size=(20, 2, 2)) + 1j * RNG.normal(size=(20, 2, 2))
    mats[0] = [[1.0, 1e-9], [1e-9, 1.0]]  # degenerate eigenvalues
    mats[1] = [[0.3, 1.0], [0.0, 0.3]]  # not diagonalisable
    ref = np.stack([expm(m) for m in mats])
    # scipy's Pade expm is the reference
    np.testing.assert_allclose(expm_2x2(mats), ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("order", [3, 4])
@pytest.mark.parametrize("matrix", [False, True])
def test_u_matrices_solve_recursion(matrix, order):
    g = (GAMMA_S if matrix else GAMMA_NS)[:order]
    nf = 4
    u = u_matrices(g, nf, 5)
    b1, b2, b3 = (beta(i, nf) / beta(0, nf) for i in (1, 2, 3))
    r0 = g[0] / beta(0, nf)
    r1 = g[1] / beta(0, nf) - b1 * r0
    r2 = g[2] / beta(0, nf) - b1 * r1 - b2 * r0
    if order == 3:
        # beta truncated at NNLO: R_3, R_4 from the recursion only
        r3 = -b1 * r2 - b2 * r1
        r4 = -b1 * r3 - b2 * r2
    else:
        r3 = g[3] / beta(0, nf) - b1 * r2 - b2 * r1 - b3 * r0
        r4 = -b1 * r3 - b2 * r2 - b3 * r1
    rs = [r0, r1, r2, r3, r4]
    for k in range(1, 5):
        rk = rs[k] + sum((rs[k - j] @ u[j] if matrix else rs[k - j] * u[j]) for j in range(1, k))
        comm = u[k] @ r0 - r0 @ u[k] if matrix else 0.0
        # defining equation [U_k, R_0] = R'_k - k U_k (hep-ph/0408244 Sec. 2)
        np.testing.assert_allclose(comm, rk - k * u[k], rtol=1e-10, atol=1e-10 * abs(rk).max())


def test_gamma_xir_reexpansion():
    nf, lr = 4, np.log(2.0)
    g = GAMMA_NS[:3, 0]
    gbar = gamma_xir(g[:, None], nf, lr)[:, 0]
    b0, b1 = beta(0, nf), beta(1, nf)
    diffs = []
    for a in (1e-3, 2e-3):
        # a_s(mu_F) in terms of a = a_s(mu_R): a (1 + b0 L a + (b1 L + b0^2 L^2) a^2) + O(a^4)
        af = a * (1 + b0 * lr * a + (b1 * lr + b0**2 * lr**2) * a**2)
        lhs = sum(g[k] * af ** (k + 1) for k in range(3))
        rhs = sum(gbar[k] * a ** (k + 1) for k in range(3))
        diffs.append(abs(lhs - rhs))
    # the re-expanded series agrees up to O(a^4): doubling a multiplies the difference by 16
    np.testing.assert_allclose(diffs[1] / diffs[0], 16.0, rtol=0.05)
    np.testing.assert_array_equal(gamma_xir(g[:, None], nf, 0.0)[:, 0], g)


def test_u_matrices_expanded_r():
    # exact=False: R_k = 0 beyond the order, so U_3 solves [U_3, R_0] = R_2 U_1 + R_1 U_2 - 3 U_3
    g = GAMMA_S[:3]
    ue, ux = u_matrices(g, 4, 4, exact=False), u_matrices(g, 4, 4)
    for k in range(3):
        np.testing.assert_array_equal(ue[k], ux[k])
    assert np.abs(ue[3] - ux[3]).max() > 1e-3 * np.abs(ux[3]).max()


@pytest.mark.parametrize("method", METHODS)
def test_lo_methods_coincide(method):
    # at LO every method is the exact exponential (scipy expm reference)
    g0 = GAMMA_S[:1]
    ref = np.stack([expm(m) for m in g0[0] * np.log(A1 / A0) / beta(0, 4)])
    np.testing.assert_allclose(singlet(g0, 4, A1, A0, method), ref, rtol=1e-12)
    np.testing.assert_allclose(
        non_singlet(GAMMA_NS[:1], 4, A1, A0, method),
        np.exp(GAMMA_NS[0] * np.log(A1 / A0) / beta(0, 4)),
        rtol=1e-13,
    )


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("method", METHODS)
def test_same_scale_is_identity(method, order):
    e = singlet(GAMMA_S[:order], 4, A0, A0, method)
    np.testing.assert_array_equal(e, np.broadcast_to(np.eye(2), e.shape))
    np.testing.assert_allclose(non_singlet(GAMMA_NS[:order], 4, A0, A0, method), 1.0, atol=1e-15)


def test_method_names():
    # eko's eight methods under eko's names, plus ekodask's fourth-order Magnus method
    assert set(EKO_METHODS) == {
        "iterate-exact",
        "iterate-expanded",
        "truncated",
        "ordered-truncated",
        "decompose-exact",
        "decompose-expanded",
        "perturbative-exact",
        "perturbative-expanded",
    }
    assert METHODS == (*EKO_METHODS, "iterate-magnus4")


def test_bad_arguments():
    with pytest.raises(PhysicsError, match="method"):
        singlet(GAMMA_S, 4, A1, A0, method="perturbative")
    with pytest.raises(PhysicsError, match="order 5"):
        non_singlet(np.ones((5, 3)), 4, A1, A0)
    with pytest.raises(PhysicsError, match="ev_op_iterations"):
        singlet(GAMMA_S, 4, A1, A0, ev_op_iterations=0)
    with pytest.raises(PhysicsError, match="ev_op_max_order"):
        singlet(GAMMA_S, 4, A1, A0, "perturbative-exact", ev_op_max_order=0)


def test_expm_2x2_near_degenerate_and_non_normal():
    # |s| around the series switch (1e-4) and a strongly non-normal pair: scipy's expm again
    base = np.array([[0.2 + 0.1j, 0.0], [0.0, 0.2 + 0.1j]])
    mats = []
    for eps in (1e-3, 2e-4, 1.01e-4, 0.99e-4, 1e-6):
        mats.append(base + np.array([[eps, 1.0], [eps**2, -eps]]))
        mats.append(base + np.array([[eps * 1j, 3.0], [0.0, -eps * 1j]]))
    mats = np.stack(mats)
    ref = np.stack([expm(m) for m in mats])
    np.testing.assert_allclose(expm_2x2(mats), ref, rtol=1e-12, atol=1e-14)
