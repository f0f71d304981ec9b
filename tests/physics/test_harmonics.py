"""Tests of the complex polygamma and the harmonic sums continued to complex n."""

from fractions import Fraction
from math import factorial

import numpy as np
import pytest
import scipy.special as sp

from ekodask.physics import harmonics as h
from ekodask.physics.constants import EULER_GAMMA, LN2, ZETA2, ZETA3

RNG = np.random.default_rng(12345)
# complex points spread over the region a Mellin contour visits, including Re n < 0
N_COMPLEX = np.concatenate(
    [
        RNG.uniform(0.2, 30, 40) + 1j * RNG.uniform(-40, 40, 40),
        RNG.uniform(-25, 0, 10) + 1j * RNG.uniform(3, 60, 10),
        np.array([1.0 + 0.5j, 2.5 - 1j, 150 + 300j, -400 + 20j]),
    ]
)


def finite_sum(m: int, n: int) -> float:
    """Direct sum_{j=1}^n sign(m)^j / j^|m|."""
    s = 1 if m > 0 else -1
    return sum(s**j / j ** abs(m) for j in range(1, n + 1))


def test_bernoulli():
    # classical values B_2 = 1/6, B_4 = -1/30, B_12 = -691/2730 (Abramowitz-Stegun Table 23.2)
    assert h.bernoulli(2) == Fraction(1, 6)
    np.testing.assert_allclose(float(h.bernoulli(20)), sp.bernoulli(20)[20], rtol=1e-14, atol=0)
    np.testing.assert_allclose(float(h.bernoulli(4)), -1 / 30, rtol=1e-15, atol=0)
    np.testing.assert_allclose(float(h.bernoulli(12)), -691 / 2730, rtol=1e-15, atol=0)


def test_polygamma0_vs_scipy_complex():
    # scipy's complex digamma is an independent implementation
    z = N_COMPLEX + 1.0
    np.testing.assert_allclose(h.polygamma(0, z), sp.digamma(z), rtol=1e-13, atol=0)


@pytest.mark.parametrize("k", range(6))
def test_polygamma_vs_scipy_real(k):
    # scipy.special.polygamma on the real axis
    x = np.array([0.1, 0.7, 1.0, 3.3, 9.9, 14.5, 60.0, 1234.5])
    np.testing.assert_allclose(h.polygamma(k, x), sp.polygamma(k, x), rtol=1e-13, atol=0)


@pytest.mark.parametrize("k", range(6))
def test_polygamma_recurrence_and_reflection(k):
    z = N_COMPLEX + 0.5
    # recurrence psi_k(z+1) = psi_k(z) + (-1)^k k!/z^(k+1) (Abramowitz-Stegun 6.4.6)
    lhs = h.polygamma(k, z + 1)
    rhs = h.polygamma(k, z) + (-1) ** k * factorial(k) / z ** (k + 1)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-14)
    # duplication psi_k(2z) = 2^-(k+1) [psi_k(z) + psi_k(z+1/2)] (+ ln 2 for k = 0), A-S 6.4.8
    lhs = h.polygamma(k, 2 * z)
    rhs = 2.0 ** (-k - 1) * (h.polygamma(k, z) + h.polygamma(k, z + 0.5)) + (LN2 if k == 0 else 0)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-14)


def test_polygamma_special_values():
    # psi(1) = -gamma_E, psi_1(1) = zeta_2, psi_2(1) = -2 zeta_3 (A-S 6.3.2, 6.4.2)
    np.testing.assert_allclose(h.polygamma(0, 1.0), -EULER_GAMMA, rtol=1e-15, atol=0)
    np.testing.assert_allclose(h.polygamma(1, 1.0), ZETA2, rtol=1e-15, atol=0)
    np.testing.assert_allclose(h.polygamma(2, 1.0), -2 * ZETA3, rtol=1e-15, atol=0)
    np.testing.assert_allclose(h.polygamma(1, 0.5), np.pi**2 / 2, rtol=1e-15, atol=0)


def test_shape_preserved():
    n = (N_COMPLEX[:12] + 1).reshape(3, 4)
    assert h.S1(n).shape == (3, 4)
    assert h.Sm2(n, True).shape == (3, 4)
    np.testing.assert_allclose(h.S2(n).ravel(), h.S2(n.ravel()), rtol=1e-15, atol=0)


POS = [(1, h.S1), (2, h.S2), (3, h.S3), (4, h.S4), (5, h.S5)]
NEG = [(1, h.Sm1), (2, h.Sm2), (3, h.Sm3), (4, h.Sm4), (5, h.Sm5)]


@pytest.mark.parametrize(("m", "fn"), POS)
def test_positive_integer_values(m, fn):
    # definition S_m(n) = sum_{j<=n} 1/j^m
    n = np.arange(0, 41)
    ref = [finite_sum(m, k) for k in n]
    np.testing.assert_allclose(fn(n), ref, rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize(("m", "fn"), NEG)
def test_alternating_integer_values(m, fn):
    # definition S_-m(n) = sum_{j<=n} (-1)^j/j^m, with the matching continuation at even/odd n
    n = np.arange(1, 41)
    ref = np.array([finite_sum(-m, k) for k in n])
    np.testing.assert_allclose(fn(n[1::2], True), ref[1::2], rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(fn(n[0::2], False), ref[0::2], rtol=1e-13, atol=1e-14)
    assert h.single_sum(-m, 6, even=True) == pytest.approx(finite_sum(-m, 6), rel=1e-13)


@pytest.mark.parametrize(("m", "fn"), POS)
def test_positive_recurrence_complex(m, fn):
    # S_m(n+1) = S_m(n) + 1/(n+1)^m
    n = N_COMPLEX
    np.testing.assert_allclose(fn(n + 1), fn(n) + 1 / (n + 1) ** m, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(("m", "fn"), NEG)
def test_alternating_recurrence_complex(m, fn):
    # S_-m(n+1) = S_-m(n) + (-1)^(n+1)/(n+1)^m: n+1 has the other parity of n
    n = N_COMPLEX
    for even in (True, False):
        sign = -h.eta(even)
        np.testing.assert_allclose(
            fn(n + 1, not even), fn(n, even) + sign / (n + 1) ** m, rtol=1e-12, atol=1e-13
        )


def test_alternating_limits():
    # S_-1(inf) = -ln 2, S_-2(inf) = -zeta_2/2 (Dirichlet eta function)
    big = np.array([4.0e6])
    np.testing.assert_allclose(h.Sm1(big, True), -LN2, rtol=0, atol=1e-6)
    np.testing.assert_allclose(h.Sm2(big, False), -ZETA2 / 2, rtol=0, atol=1e-12)
