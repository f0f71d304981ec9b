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


# --- nested sums -----------------------------------------------------------------------------

NESTED = [(2, 1), (-2, 1), (2, -1), (-2, -1), (1, -2), (-2, 2), (1, 2), (3, 1), (-3, 1), (2, 1, 1)]


def finite_nested(indices: tuple[int, ...], n: int) -> float:
    """Direct definition S_{a,rest}(n) = sum_{j<=n} sign(a)^j j^-|a| S_rest(j), by recursion."""
    if not indices:
        return 1.0
    a, rest = indices[0], indices[1:]
    s = 1 if a > 0 else -1
    return sum(s**j / j ** abs(a) * finite_nested(rest, j) for j in range(1, n + 1))


@pytest.mark.parametrize("indices", NESTED)
def test_nested_integer_values(indices):
    # definition of the nested sums; even n with the even continuation, odd with the odd one
    n = np.arange(1, 31)
    ref = np.array([finite_nested(indices, k) for k in n])
    np.testing.assert_allclose(h.S(indices, n[1::2], True), ref[1::2], rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(h.S(indices, n[0::2], False), ref[0::2], rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("indices", NESTED)
def test_nested_recurrence_complex(indices):
    # S_{a,rest}(n+1) = S_{a,rest}(n) + sign(a)^(n+1) (n+1)^-|a| S_rest(n+1), parity flips
    a, rest = indices[0], indices[1:]
    n = N_COMPLEX
    for even in (True, False):
        sign = 1.0 if a > 0 else -h.eta(even)
        lhs = h.S(indices, n + 1, not even)
        rhs = h.S(indices, n, even) + sign / (n + 1) ** abs(a) * h.S(rest, n + 1, not even)
        np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize(("a", "b"), [(1, 2), (-2, 1), (2, -1), (-2, -1), (-1, 2), (-3, 1)])
def test_nested_stuffle_complex(a, b):
    # quasi-shuffle algebra of harmonic sums (Vermaseren hep-ph/9806280; Blümlein-Kurth
    # hep-ph/9810241):
    # S_a S_b = S_{a,b} + S_{b,a} - S_{a^b}, a^b = sign(a) sign(b) (|a| + |b|); it ties the
    # nested expansion to the independent polygamma forms of the single sums
    n = N_COMPLEX
    w = (1 if (a > 0) == (b > 0) else -1) * (abs(a) + abs(b))
    for even in (True, False):
        lhs = h.S((a,), n, even) * h.S((b,), n, even)
        rhs = h.S((a, b), n, even) + h.S((b, a), n, even) - h.S((w,), n, even)
        np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-12)


def test_nested_limits():
    # Euler sums: S_{2,1}(inf) = 2 zeta_3 (Euler); S_{-2,1}(inf) = -5/8 zeta_3 (Glück-Reya-Vogt
    # Z. Phys. C48 (1990) 471); the tails are O(ln n / n) = 2e-7 at n = 1e8
    big = np.array([1.0e8])
    np.testing.assert_allclose(h.S21(big), 2 * ZETA3, rtol=0, atol=1e-6)
    np.testing.assert_allclose(h.Sm21(big, True), -5 / 8 * ZETA3, rtol=0, atol=1e-6)
    np.testing.assert_allclose(h.Sm21(big + 1, False), -5 / 8 * ZETA3, rtol=0, atol=1e-6)


def test_nested_engine_reproduces_single_sums():
    # the asymptotic-expansion engine on one index vs the polygamma forms (two methods)
    n = N_COMPLEX
    for m in (1, 2, -1, -2, -3):
        for even in (True, False):
            np.testing.assert_allclose(
                h._nested((m,), n, even), h.single_sum(m, n, even), rtol=1e-12, atol=1e-13
            )


def test_nested_conjugation_and_shape():
    n = (N_COMPLEX[:12] + 1).reshape(4, 3)
    val = h.S((-2, 1), n, False)
    assert val.shape == (4, 3)
    # real coefficients: S(n*) = S(n)*
    np.testing.assert_allclose(h.S((-2, 1), n.conj(), False), val.conj(), rtol=1e-14, atol=0)


def test_sum_cache_and_names():
    assert h.parse_name("Sm2m1") == (-2, -1)
    assert h.parse_name("S211") == (2, 1, 1)
    with pytest.raises(ValueError, match="harmonic sum"):
        h.parse_name("Sx1")
    n = N_COMPLEX[:5] + 1
    cache = h.SumCache(n)
    np.testing.assert_allclose(cache["Sm21", False], h.Sm21(n, False), rtol=1e-15, atol=0)
    np.testing.assert_allclose(cache["S1"], h.S1(n), rtol=1e-15, atol=0)
    assert cache["S21", False] is cache["S21"]
    assert cache["Sm2", True] is not cache["Sm2", False]
