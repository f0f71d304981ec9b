"""Tests of the factorisation-scale variation kernels (ekodask.physics.scale_variation).

References: 1906.10698 Eqs. (3.32), (3.35); NNPDF/eko doc/source/theory/MHOU.rst. The checks
are self-consistency against independent routes: the exact running coupling, the exact
non-singlet DGLAP solution and the iterated singlet solution of ekodask.physics.kernels.
"""

from math import log, sqrt

import numpy as np
import pytest

from ekodask.physics import anomalous_dimensions as ad
from ekodask.physics import kernels
from ekodask.physics import scale_variation as sv
from ekodask.physics.coupling import a_s_exact

N_TEST = np.array([1.7 + 0.6j, 2.5 - 1.2j, 4.0 + 3.0j])
LN_RHO = (log(2.0), -log(2.0))


@pytest.mark.parametrize("ln_rho", LN_RHO)
@pytest.mark.parametrize("n_terms", [2, 3, 4])
def test_coupling_ratio_series_against_exact_running(n_terms, ln_rho):
    # a_s(mu^2)/a_s(rho mu^2) from the exact 4-loop running at nf = 4: the truncated series
    # misses O(a^n_terms); halving a divides the remainder by 2^n_terms (within 10%)
    nf = 4
    rest = []
    for a in (0.002, 0.001):
        exact = a_s_exact(4, a, nf, 1.0, np.exp(-ln_rho)) / a
        d = sv.coupling_ratio_series(nf, ln_rho, n_terms)
        rest.append(exact - sum(di * a**i for i, di in enumerate(d)))
    assert rest[0] / rest[1] == pytest.approx(2.0**n_terms, rel=0.1)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_gamma_variation_matches_kernels_gamma_xir(order):
    # two writings of the re-expansion: the general series (here) and the explicit one of
    # ekodask.physics.kernels.gamma_xir (used for xir != 1)
    for ln_rho in LN_RHO:
        g = ad.gamma_singlet(order, N_TEST, 4)
        np.testing.assert_allclose(
            sv.gamma_variation(g, 4, ln_rho), kernels.gamma_xir(g, 4, ln_rho), rtol=1e-13
        )


def test_gamma_variation_order4_is_rg_invariant():
    # sum_j a_F^(j+1) gamma_j = sum_j a_R^(j+1) gammabar_j + O(a^5) with random gamma_j
    rng = np.random.default_rng(1)
    g = rng.normal(size=(4, 3)) + 1j * rng.normal(size=(4, 3))
    nf, ln_rho = 5, log(2.0)
    gbar = sv.gamma_variation(g, nf, ln_rho)
    rest = []
    for a_r in (0.01, 0.005):
        a_f = a_s_exact(4, a_r, nf, 1.0, np.exp(-ln_rho))
        lhs = sum(a_f ** (j + 1) * g[j] for j in range(4))
        rhs = sum(a_r ** (j + 1) * gbar[j] for j in range(4))
        rest.append(np.abs(lhs - rhs).max())
    assert rest[0] / rest[1] == pytest.approx(32.0, rel=0.15)


def test_no_variation_is_identity():
    g_ns = ad.gamma_ns(3, "+", N_TEST, 4)
    g_s = ad.gamma_singlet(3, N_TEST, 4)
    np.testing.assert_array_equal(sv.gamma_variation(g_s, 4, 0.0), g_s)
    np.testing.assert_array_equal(sv.expanded_kernel(g_ns, 4, 0.02, 0.0), np.ones(3))
    eye = np.broadcast_to(np.eye(2), (3, 2, 2))
    np.testing.assert_array_equal(sv.expanded_kernel(g_s, 4, 0.02, 0.0), eye)
    # LO: the kernel has no term to keep
    np.testing.assert_array_equal(sv.expanded_kernel(g_s[:1], 4, 0.02, log(2.0)), eye)


def _exact_back(gamma, nf, a_rho, ln_rho, singlet):
    """E(mu^2 <- rho mu^2) with gamma and beta truncated at the order of gamma."""
    order = gamma.shape[0]
    a_mu = a_s_exact(order, a_rho, nf, 1.0, np.exp(-ln_rho))
    if singlet:
        return kernels.singlet(gamma, nf, a_mu, a_rho, "iterate-exact", 40)
    return kernels.non_singlet(gamma, nf, a_mu, a_rho, "iterate-exact")


@pytest.mark.parametrize("singlet", [False, True])
@pytest.mark.parametrize("ln_rho", LN_RHO)
@pytest.mark.parametrize("order", [1, 2, 3])
def test_expanded_kernel_is_truncated_exponentiated(order, ln_rho, singlet):
    # K (terms a^0..a^(order-1)) is the series of E(mu^2 <- rho mu^2) = E(rho mu^2 <- mu^2)^-1
    # in a = a_s(rho mu^2): the remainder is a^order K_order + O(a^(order+1)), K_order being
    # the next coefficient of the same formulae; once it is added the rest scales as
    # a^(order+1) (halving a: 2^(order+1) within 15%)
    nf = 4
    gamma = ad.gamma_singlet(order, N_TEST, nf) if singlet else ad.gamma_ns(order, "+", N_TEST, nf)
    nxt = sv.kernel_coefficients(gamma, nf, ln_rho, order + 1)[order]
    rests = []
    for a in (0.002, 0.001):
        exact = _exact_back(gamma, nf, a, ln_rho, singlet)
        rest = exact - sv.expanded_kernel(gamma, nf, a, ln_rho)
        scale = np.abs(nxt).max()
        np.testing.assert_allclose(rest / a**order, nxt, rtol=0, atol=0.2 * scale)
        rests.append(np.abs(rest - a**order * nxt).max())
    assert rests[0] / rests[1] == pytest.approx(2.0 ** (order + 1), rel=0.15)


@pytest.mark.parametrize("order", [2, 3])
def test_kernel_keeps_momentum_and_fermion_number(order):
    # N = 2: (1, 1) gamma = 0 for the singlet, so (1, 1) K = (1, 1);
    # N = 1: gamma_ns,v = gamma_ns,- = 0, so K = 1 (1906.10698 Sec. 3; hep-ph/0404111)
    nf, a = 4, 0.02
    for ln_rho in LN_RHO:
        k2 = sv.expanded_kernel(ad.gamma_singlet(order, np.array([2.0 + 0j]), nf), nf, a, ln_rho)
        np.testing.assert_allclose(np.ones(2) @ k2[0], np.ones(2), atol=1e-12)
        for kind in ("-", "v"):
            k1 = sv.expanded_kernel(
                ad.gamma_ns(order, kind, np.array([1.0 + 0j]), nf), nf, a, ln_rho
            )
            np.testing.assert_allclose(k1, 1.0, atol=1e-12)


def test_kernel_coefficients_mhou_values():
    # K_1, K_2 written out for scalar gamma_0 = 1, gamma_1 = 2 at nf = 3 (beta_0 = 9):
    # K_1 = L, K_2 = 1/2 (9 + 1) L^2 + 2 L (MHOU.rst)
    g = np.array([[1.0 + 0j], [2.0 + 0j]])
    lr = log(sqrt(2.0))
    k = sv.kernel_coefficients(g, 3, lr)
    assert len(k) == 2 and k[1][0] == pytest.approx(lr)
    k3 = sv.kernel_coefficients(g, 3, lr, 3)
    assert k3[2][0] == pytest.approx(5.0 * lr**2 + 2.0 * lr)


def test_bad_term_count():
    with pytest.raises(ValueError, match="n_terms"):
        sv.coupling_ratio_series(4, 0.1, 5)
    with pytest.raises(ValueError, match="n_terms"):
        sv.kernel_coefficients(np.ones((2, 1), dtype=complex), 4, 0.1, 5)
