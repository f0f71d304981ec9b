"""Tests of the NNLO anomalous dimensions (MVV parametrisations, exact Mellin transforms)."""

import time

import numpy as np
import pytest
from scipy import integrate

from ekodask.physics.anomalous_dimensions import as3
from ekodask.physics.anomalous_dimensions.as3_mellin import MellinBasis
from ekodask.physics.constants import CA, CF, ZETA2, ZETA3

NFS = (3, 4, 5, 6)
REAL_NS = (1.7, 2.5, 4.3)


def _mellin_quad(g, z: float) -> float:
    """int_0^inf exp(-z t) g(t) dt, i.e. int_0^1 x^(z-1) g(-ln x) dx, by adaptive quadrature."""

    def integrand(t):
        return np.exp(-z * t) * g(t)

    head, _ = integrate.quad(integrand, 0.0, 1.0, limit=400, epsabs=1e-13, epsrel=1e-12)
    tail, _ = integrate.quad(integrand, 1.0, np.inf, limit=400, epsabs=1e-13, epsrel=1e-12)
    return head + tail


# every (k, a, b) the parametrisations use, after expanding the (1-x) prefactors
_BASIS = sorted(
    {(k, a, b) for k in range(-1, 5) for a in range(5) for b in range(5) if b == 0}
    | {(k, 0, b) for k in range(-1, 3) for b in range(1, 5)}
    | {(k, a, 1) for k in range(0, 3) for a in (1, 2)}
)


@pytest.mark.parametrize("k,a,b", _BASIS)
def test_basis_mellin_matches_quadrature(k: int, a: int, b: int):
    # identity: M[x^k ln^a x ln^b(1-x)](N) = int_0^1 x^(N-1+k) ln^a x ln^b(1-x) dx
    basis = MellinBasis(np.array(REAL_NS))
    got = basis.power_log(k, a, b)
    for n, value in zip(REAL_NS, got, strict=True):
        ref = _mellin_quad(lambda t: (-t) ** a * np.log(-np.expm1(-t)) ** b, n + k)
        np.testing.assert_allclose(value.real, ref, rtol=1e-9, atol=1e-12)
        assert abs(value.imag) < 1e-12


@pytest.mark.parametrize("k,a", [(1, 1), (1, 2), (2, 1), (1, 3)])
def test_log_over_one_minus_x_matches_quadrature(k: int, a: int):
    # identity: M[x^k ln^a(x)/(1-x)](N) by direct integration
    basis = MellinBasis(np.array(REAL_NS))
    got = basis.log_over_one_minus_x(k, a)
    for n, value in zip(REAL_NS, got, strict=True):
        ref = _mellin_quad(lambda t: (-t) ** a / -np.expm1(-t), n + k)
        np.testing.assert_allclose(value.real, ref, rtol=1e-9, atol=1e-12)


def test_plus_distribution_matches_quadrature():
    # definition: M[1/(1-x)_+](N) = int_0^1 (x^(N-1) - 1)/(1-x) dx
    basis = MellinBasis(np.array(REAL_NS))
    for n, value in zip(REAL_NS, basis.plus(), strict=True):
        ref, _ = integrate.quad(lambda x, n=n: (x ** (n - 1.0) - 1.0) / (1.0 - x), 0.0, 1.0)
        np.testing.assert_allclose(value.real, ref, rtol=1e-10, atol=1e-12)


def test_inverse_x_log_is_regular_at_n_one():
    # identity: int_0^1 ln(1-x)/x dx = -zeta_2, and the transform is continuous through N = 1
    n = np.array([1.0, 1.0 + 1e-3, 1.0 - 0.03 + 0.02j, 1.06])
    got = MellinBasis(n).power_log(-1, 0, 1)
    np.testing.assert_allclose(got[0], -ZETA2, rtol=1e-14)
    ref = _mellin_quad(lambda t: np.log(-np.expm1(-t)), 0.06)
    np.testing.assert_allclose(got[3].real, ref, rtol=1e-10)
    # the series branch (|N-1| < 0.05) is smooth: d/dN at N = 1 is zeta_3 (Taylor of S_1(z)/z)
    np.testing.assert_allclose((got[1] - got[0]).real / 1e-3, ZETA3, rtol=2e-3)


@pytest.mark.parametrize("nf", NFS)
def test_fermion_number_conservation(nf: int):
    # gamma_ns^-(1) = gamma_ns^v(1) = 0 exactly (hep-ph/0403192 Sect. 4); the parametrisations,
    # accurate to ~1e-3 relative in x, give |gamma(1)| < 1.3e-3, i.e. below 1e-6 of their
    # delta(1-x) coefficient (~1295), which MVV adjusted for these moments
    n = np.array([1.0 + 0j])
    np.testing.assert_allclose(as3.gamma_nsm(n, nf), 0.0, atol=2e-3)
    np.testing.assert_allclose(as3.gamma_nsv(n, nf), 0.0, atol=2e-3)


def _a3_quark(nf: int) -> float:
    """Three-loop cusp A_3 of the quark (hep-ph/0403192 Eq. (3.11)), a_s normalisation."""
    return 16.0 * (
        CF
        * CA**2
        * (245.0 / 24.0 - 67.0 / 9.0 * ZETA2 + 11.0 / 6.0 * ZETA3 + 11.0 / 5.0 * ZETA2**2)
        + CF**2 * nf * (-55.0 / 24.0 + 2.0 * ZETA3)
        + CF * CA * nf * (-209.0 / 108.0 + 10.0 / 9.0 * ZETA2 - 7.0 / 3.0 * ZETA3)
        - CF * nf**2 / 27.0
    )


@pytest.mark.parametrize("nf", NFS)
def test_large_n_cusp(nf: int):
    # large N: gamma_ns(N) = A_3 ln N + O(1), so [gamma(2N) - gamma(N)]/ln 2 -> A_3 (exact cusp,
    # hep-ph/0403192 Eq. (3.11)); the parametrisation's D_0 coefficients are exact up to their
    # truncation to 1e-3 (per power of nf); corrections O(ln^2 N / N) are ~1e-4 at N = 1e7
    n = np.array([1e7, 2e7], dtype=complex)
    for gamma in (as3.gamma_nsp, as3.gamma_nsm, as3.gamma_nsv):
        g = gamma(n, nf)
        np.testing.assert_allclose(
            (g[1] - g[0]).real / np.log(2.0), _a3_quark(nf), rtol=0, atol=5e-3
        )


@pytest.mark.parametrize("nf", NFS)
def test_conjugation_symmetry(nf: int):
    # real x-space kernels: gamma(conj N) = conj gamma(N)
    n = np.array([0.7 + 3.0j, 2.0 + 0.5j, -1.3 + 7.0j])
    for gamma in (as3.gamma_nsp, as3.gamma_nsm, as3.gamma_nsv):
        np.testing.assert_allclose(gamma(n.conj(), nf), gamma(n, nf).conj(), rtol=1e-13)


def test_speed_all_gammas_on_1e4_points():
    # performance target of the brief: all NNLO gammas on 1e4 complex N well under a second
    theta = np.linspace(-3.0, 3.0, 10_000)
    n = 1.0 + 0.5 * (theta / np.tan(theta + 1e-9) + 1j * theta)
    best = np.inf
    for _ in range(3):
        start = time.perf_counter()
        basis = MellinBasis(n)
        out = [g(n, 5, basis) for g in (as3.gamma_nsp, as3.gamma_nsm, as3.gamma_nsv)]
        out.append(as3.gamma_singlet(n, 5, basis))
        best = min(best, time.perf_counter() - start)
    assert all(np.all(np.isfinite(o)) for o in out)
    assert best < 1.0
