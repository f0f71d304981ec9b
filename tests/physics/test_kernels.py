"""Tests of the fixed-nf Mellin-space evolution kernels against direct integration of DGLAP."""

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp
from scipy.linalg import expm

from ekodask.errors import PhysicsError
from ekodask.physics.beta import beta
from ekodask.physics.kernels import (
    expm_2x2,
    gamma_xir,
    j_exact,
    non_singlet,
    singlet,
    u_matrices,
)

A0, A1 = 0.35 / (4 * np.pi), 0.0093  # LHA start and roughly a_s(1e4 GeV^2)
RNG = np.random.default_rng(7)
# singlet-like test matrices per order (LO, NLO, NNLO magnitudes), two "N" values
GAMMA_S = np.stack(
    [
        RNG.normal(size=(2, 2, 2)) * s + 1j * RNG.normal(size=(2, 2, 2)) * s
        for s in (3.0, 30.0, 300.0)
    ]
)
GAMMA_NS = GAMMA_S[..., 0, 0]


def _beta_sum(a, order, nf):
    return sum(beta(i, nf) * a ** (i + 2) for i in range(order))


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_j_integrals(order, nf):
    for k in range(order):
        # definition j^(k,n) = int_a0^a1 a^(k+1) / sum_i beta_i a^(i+2) da (nf = 6: 4 b2 < b1^2)
        ref = quad(
            lambda a, k=k: a ** (k + 1) / _beta_sum(a, order, nf), A0, A1, epsabs=0, epsrel=1e-13
        )[0]
        np.testing.assert_allclose(j_exact(k, order, nf, A1, A0), ref, rtol=1e-12)
    with pytest.raises(PhysicsError):
        j_exact(order, order, nf, A1, A0)


def test_expm_2x2():
    mats = RNG.normal(size=(20, 2, 2)) + 1j * RNG.normal(size=(20, 2, 2))
    mats[0] = [[1.0, 1e-9], [1e-9, 1.0]]  # degenerate eigenvalues
    mats[1] = [[0.3, 1.0], [0.0, 0.3]]  # not diagonalisable
    ref = np.stack([expm(m) for m in mats])
    # scipy's Pade expm is the reference
    np.testing.assert_allclose(expm_2x2(mats), ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_non_singlet_exact(order):
    g = GAMMA_NS[:order]
    nf = 4

    def ln_e(part):
        # ln E = int_a0^a1 gamma(a) / beta(a) da, gamma and beta truncated at the order
        def integrand(a):
            return part(sum(g[k] * a ** (k + 1) for k in range(order))) / _beta_sum(a, order, nf)

        return np.array(
            [
                quad(lambda a, i=i: integrand(a)[i], A0, A1, epsrel=1e-13)[0]
                for i in range(g.shape[1])
            ]
        )

    ref = np.exp(ln_e(np.real) + 1j * ln_e(np.imag))
    np.testing.assert_allclose(non_singlet(g, nf, A1, A0), ref, rtol=1e-11)


def _ode_singlet(g, nf, a1, a0):
    order = g.shape[0]
    out = []
    for i in range(g.shape[1]):

        def rhs(a, y, i=i):
            m = sum(g[k, i] * a ** (k + 1) for k in range(order)) / _beta_sum(a, order, nf)
            return (m @ y.reshape(2, 2)).ravel()

        sol = solve_ivp(
            rhs, (a0, a1), np.eye(2, dtype=complex).ravel(), method="DOP853", rtol=1e-12, atol=1e-14
        )
        out.append(sol.y[:, -1].reshape(2, 2))
    return np.stack(out)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_singlet_iterate_exact_vs_ode(order):
    g = GAMMA_S[:order]
    ref = _ode_singlet(g, 4, A1, A0)
    # dE/da = gamma(a)/beta(a) E solved by DOP853; 10 fourth-order Magnus steps, measured ~1e-9
    np.testing.assert_allclose(singlet(g, 4, A1, A0), ref, rtol=1e-7, atol=1e-9 * abs(ref).max())
    back = singlet(g, 4, A0, A1)
    # backward evolution is the inverse (same steps reversed), up to the step error
    np.testing.assert_allclose(back @ ref, np.broadcast_to(np.eye(2), ref.shape), atol=1e-7)


def test_singlet_commuting_equals_non_singlet():
    g = np.zeros((3, 2, 2, 2), dtype=complex)
    g[..., 0, 0] = GAMMA_NS
    g[..., 1, 1] = 2.0 * GAMMA_NS
    e = singlet(g, 4, A1, A0)
    # diagonal gammas commute: each diagonal entry is the exact non-singlet solution, up to
    # the 2-point Gauss rule of the Magnus steps (measured 5e-9)
    np.testing.assert_allclose(e[..., 0, 0], non_singlet(GAMMA_NS, 4, A1, A0), rtol=5e-8)
    np.testing.assert_allclose(e[..., 1, 1], non_singlet(2 * GAMMA_NS, 4, A1, A0), rtol=5e-8)
    np.testing.assert_allclose(e[..., 0, 1], 0.0, atol=1e-15)


def test_kernel_composition():
    am = 0.5 * (A0 + A1)
    # E(a1, am) E(am, a0) = E(a1, a0): exact for the closed-form non-singlet solution
    np.testing.assert_allclose(
        non_singlet(GAMMA_NS, 4, A1, am) * non_singlet(GAMMA_NS, 4, am, A0),
        non_singlet(GAMMA_NS, 4, A1, A0),
        rtol=1e-13,
    )
    # the singlet product is exact up to the Magnus step error (measured 6e-8 with these
    # NNLO-sized test gammas)
    np.testing.assert_allclose(
        singlet(GAMMA_S, 4, A1, am) @ singlet(GAMMA_S, 4, am, A0),
        singlet(GAMMA_S, 4, A1, A0),
        rtol=3e-7,
    )
    # more steps converge (fourth order: 40 steps ~ 256 times smaller error)
    np.testing.assert_allclose(
        singlet(GAMMA_S, 4, A1, am, ev_op_iterations=40)
        @ singlet(GAMMA_S, 4, am, A0, ev_op_iterations=40),
        singlet(GAMMA_S, 4, A1, A0, ev_op_iterations=40),
        rtol=2e-9,
    )


@pytest.mark.parametrize("matrix", [False, True])
def test_u_matrices_solve_recursion(matrix):
    g = GAMMA_S if matrix else GAMMA_NS
    nf = 4
    u = u_matrices(g, nf, 4)
    b1, b2 = (beta(i, nf) / beta(0, nf) for i in (1, 2))
    r0 = g[0] / beta(0, nf)
    r1 = g[1] / beta(0, nf) - b1 * r0
    r2 = g[2] / beta(0, nf) - b1 * r1 - b2 * r0
    r3 = -b1 * r2 - b2 * r1  # beta truncated at NNLO: R_3 from the recursion only
    rs = [r0, r1, r2, r3]
    for k in range(1, 4):
        rk = rs[k] + sum((rs[k - j] @ u[j] if matrix else rs[k - j] * u[j]) for j in range(1, k))
        comm = u[k] @ r0 - r0 @ u[k] if matrix else 0.0
        # defining equation [U_k, R_0] = R'_k - k U_k (hep-ph/0408244 Sec. 2)
        np.testing.assert_allclose(comm, rk - k * u[k], rtol=1e-10, atol=1e-10 * abs(rk).max())


@pytest.mark.parametrize("order", [2, 3])
def test_truncated_differs_at_next_order(order):
    g = GAMMA_S[:order] * 0.1
    diffs = []
    for lam in (0.05, 0.1):
        # scaling a0, a1 at fixed ratio keeps E_LO fixed; exact - truncated is O(a^order)
        a0, a1 = lam * A0, lam * A1
        diffs.append(np.abs(singlet(g, 4, a1, a0) - singlet(g, 4, a1, a0, "truncated")).max())
    np.testing.assert_allclose(np.log2(diffs[1] / diffs[0]), order, atol=0.15)
    # at LO truncated is the exact exponential
    np.testing.assert_allclose(
        singlet(g[:1], 4, A1, A0, "truncated"), singlet(g[:1], 4, A1, A0), rtol=1e-14
    )
    gns = GAMMA_NS[:order] * 0.1
    # non-singlet truncated: E_LO (1 + (a1 - a0) U1 + ...), same order of difference
    d = [
        np.abs(
            non_singlet(gns, 4, lam * A1, lam * A0)
            - non_singlet(gns, 4, lam * A1, lam * A0, "truncated")
        ).max()
        for lam in (0.05, 0.1)
    ]
    np.testing.assert_allclose(np.log2(d[1] / d[0]), order, atol=0.15)


def test_gamma_xir_reexpansion():
    nf, lr = 4, np.log(2.0)
    g = GAMMA_NS[:, 0]
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


def test_bad_arguments():
    with pytest.raises(PhysicsError):
        singlet(GAMMA_S, 4, A1, A0, method="perturbative")
    with pytest.raises(PhysicsError):
        non_singlet(np.ones((4, 3)), 4, A1, A0)
