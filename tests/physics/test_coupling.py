"""Tests of the running coupling and its decoupling at heavy-quark thresholds."""

from math import log, pi, sqrt

import numpy as np
import pytest

from ekodask.physics import coupling as c
from ekodask.physics.beta import b, beta

LHA_MASSES = (sqrt(2.0), 4.5, 175.0)


def lha(order: int, scheme: str, method: str = "exact") -> c.Couplings:
    """LHA benchmark coupling: alpha_s(2 GeV^2) = 0.35, nf = 3 on the charm threshold (VFNS)."""
    return c.Couplings(
        order, 0.35, 2.0, LHA_MASSES, nf_ref=3, scheme=scheme, nf_ffns=4, method=method
    )


def test_lha_nnlo():
    # hep-ph/0511119 (NNLO LHA tables): alpha_s(1e4 GeV^2) = 0.110141 (FFNS), 0.115605 (VFNS)
    np.testing.assert_allclose(lha(3, "FFNS").alphas(1e4), 0.110141, rtol=0, atol=5e-7)
    np.testing.assert_allclose(lha(3, "VFNS").alphas(1e4), 0.115605, rtol=0, atol=5e-7)


def test_lha_lo_ffns():
    # hep-ph/0204316 erratum (eko Benchmarks docs): alpha_s(1e4 GeV^2) = 0.117574 in the FFN
    # table header; it is the LO (one-loop, nf = 4) value
    np.testing.assert_allclose(lha(1, "FFNS").alphas(1e4), 0.117574, rtol=0, atol=5e-7)


def test_reference_value_returned():
    for order in (1, 2, 3, 4):
        for method in ("exact", "expanded") if order < 4 else ("exact",):
            sc = lha(order, "VFNS", method)
            # the reference scale is on the charm threshold: nf = 3 gives back alpha_s_ref
            np.testing.assert_allclose(sc.alphas(2.0, nf=3), 0.35, rtol=1e-14, atol=0)


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_lo_closed_form(nf):
    # LO: 1/a = 1/a0 + beta_0 ln(mu2/mu2_0) exactly
    a = c.a_s_exact(1, 0.02, nf, 10.0, 1e3)
    np.testing.assert_allclose(1 / a, 1 / 0.02 + beta(0, nf) * log(100.0), rtol=1e-14, atol=0)


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_nlo_exact_implicit(nf):
    # NLO exact: beta_0 L = [1/a + b_1 ln(a/(1 + b_1 a))]_{a0}^{a} (integral of the RGE)
    a0, mu2_0, mu2 = 0.025, 4.0, 1e4
    a = c.a_s_exact(2, a0, nf, mu2_0, mu2)
    b1 = b(1, nf)

    def g(x):
        return 1 / x + b1 * log(x / (1 + b1 * x))

    np.testing.assert_allclose(g(a) - g(a0), beta(0, nf) * log(mu2 / mu2_0), rtol=1e-13, atol=0)


@pytest.mark.parametrize("order", [3, 4])
@pytest.mark.parametrize("nf", [3, 4, 5, 6])
@pytest.mark.parametrize(("a0", "mu2_0", "mu2"), [(0.0118, 1.65, 1e4), (0.0075, 1e4, 1.65)])
def test_exact_solves_the_rge(order, nf, a0, mu2_0, mu2):
    # the RGE integrated in a_s by an independent adaptive rule (QUADPACK through scipy):
    # int_{a0}^{a} da / beta(a) = ln(mu2/mu2_0), forward and backward
    from scipy.integrate import quad

    a = c.a_s_exact(order, a0, nf, mu2_0, mu2)
    lhs, _ = quad(lambda x: 1.0 / c.beta_function(x, order, nf), a0, a, epsabs=0, epsrel=1e-13)
    np.testing.assert_allclose(lhs, log(mu2 / mu2_0), rtol=2e-13, atol=0)


def test_exact_beyond_the_landau_pole_fails_in_one_line():
    # a_s = 0.02 at 1e4 GeV^2 run down to 2 GeV^2 passes the pole on the way (LO: 1/a < 0)
    with pytest.raises(ArithmeticError, match="no solution of the order-3 RGE"):
        c.a_s_exact(3, 0.02, 4, 1e4, 2.0)


@pytest.mark.parametrize("order", [2, 3])
def test_expanded_vs_exact_scaling(order):
    # the expanded solution differs from the exact one by O(a0^(order+1)) at fixed a0 ln(mu2/mu2_0)
    nf, x = 4, 0.5

    def diff(a0):
        mu2 = 10.0 * np.exp(x / (beta(0, nf) * a0))
        return abs(c.a_s_exact(order, a0, nf, 10.0, mu2) - c.a_s_expanded(order, a0, nf, 10.0, mu2))

    ratio = diff(0.004) / diff(0.002)
    np.testing.assert_allclose(ratio, 2.0 ** (order + 1), rtol=0.1, atol=0)


def test_expanded_a3_term():
    # solving the RGE order by order in a0 at fixed X = beta_0 a0 L (d = 1 + X) gives
    # a = a_LO - b_1 a_LO^2 ln d + a_LO^3 [b_1^2 (ln^2 d - ln d + X) - b_2 X] + O(a0^4)
    nf, x = 5, 0.7
    for a0 in (1e-3, 5e-4):
        mu2 = 10.0 * np.exp(x / (beta(0, nf) * a0))
        a_lo, lnd, b1, b2 = a0 / (1 + x), np.log1p(x), b(1, nf), b(2, nf)
        ser = a_lo - b1 * a_lo**2 * lnd + a_lo**3 * (b1**2 * (lnd**2 - lnd + x) - b2 * x)
        np.testing.assert_allclose(
            c.a_s_expanded(3, a0, nf, 10.0, mu2), ser, rtol=0, atol=20 * a0**4
        )


def test_expanded_equals_exact_at_lo():
    # at LO the closed form is the exact solution
    np.testing.assert_allclose(
        lha(1, "VFNS", "expanded").a_s(1e4), lha(1, "VFNS").a_s(1e4), rtol=1e-14, atol=0
    )


@pytest.mark.parametrize("order", [1, 2])
def test_continuity_at_thresholds(order):
    # with mu_h = m_h the coupling is continuous at one loop (on-shell zeta_g^2 of
    # hep-ph/9708255 at L = 0)
    sc = lha(order, "VFNS")
    for nf, mu2_h in zip((3, 4, 5), sc.thresholds_mu2, strict=True):
        np.testing.assert_allclose(sc.a_s(mu2_h, nf), sc.a_s(mu2_h, nf + 1), rtol=1e-13, atol=0)


def test_two_loop_jump():
    # on-shell zeta_g^2 of hep-ph/9708255 (CKS), pole mass, mu_h = M_h:
    # alpha^(nf+1)/alpha^(nf) = 1 + (7/24) (alpha^(nf)/pi)^2 + O(alpha^3) (the O(alpha^3)
    # constant is not included, so the relation holds to rounding)
    sc = lha(3, "VFNS")
    for nf, mu2_h in zip((3, 4, 5), sc.thresholds_mu2, strict=True):
        lo, hi = sc.alphas(mu2_h, nf), sc.alphas(mu2_h, nf + 1)
        np.testing.assert_allclose(hi / lo - 1, 7 / 24 * (lo / pi) ** 2, rtol=1e-10, atol=0)


def test_three_loop_jump():
    # CKS hep-ph/9706430, on-shell, mu_h = M_h: alpha^(nl+1)/alpha^(nl) = 1 + 7/24 (alpha/pi)^2
    # + (5.3239 - 0.2625 nl) (alpha/pi)^3 with alpha = alpha^(nl) (numerical form of the paper)
    for nl in (3, 4, 5):
        a = 0.02
        ratio = c.match_up(4, a, 0.0, nl) / a
        x = 4 * a
        np.testing.assert_allclose(
            (ratio - 1 - 7 / 24 * x**2) / x**3, 5.3239 - 0.2625 * nl, rtol=0, atol=2e-4
        )
    # below N3LO the three-loop term is absent
    np.testing.assert_allclose(c.match_up(3, 0.02, 0.0) / 0.02 - 1, 7 / 24 * 0.08**2, rtol=1e-12)


def test_matching_truncation():
    # the decoupling relation is truncated at the order of the evolution: at NLO exactly
    # a^(nf+1) = a^(nf) (1 + 2/3 L a^(nf)) (one loop, hep-ph/9708255), at NNLO no a^3 term
    a, lnr = 0.01, np.log(0.25)
    np.testing.assert_allclose(c.match_up(2, a, lnr), a * (1 + 2 / 3 * lnr * a), rtol=1e-15)
    np.testing.assert_allclose(c.match_down(2, a, lnr), a * (1 - 2 / 3 * lnr * a), rtol=1e-15)
    c2 = 14 / 3 + 38 / 3 * lnr + 4 / 9 * lnr**2
    np.testing.assert_allclose(
        c.match_up(3, a, lnr), a * (1 + 2 / 3 * lnr * a + c2 * a**2), rtol=1e-15
    )
    np.testing.assert_allclose(c.match_up(1, a, lnr), a, rtol=1e-15)


def test_down_matching_series():
    # inverse relation of hep-ph/9708255 (zeta_g^2 itself): a^(nf) = a^(nf+1) [1 - 2/3 L a
    # + (-14/3 - 38/3 L + 4/9 L^2) a^2], in a_s = alpha_s/(4 pi), L = ln(mu_h^2/m_h^2)
    for lnr in (-0.7, 0.0, 1.3):
        for a in (0.01, 0.02):
            ser = a * (1 - 2 / 3 * lnr * a + (-14 / 3 - 38 / 3 * lnr + 4 / 9 * lnr**2) * a**2)
            np.testing.assert_allclose(c.match_down(3, a, lnr), ser, rtol=1e-15, atol=0)
            # the exact inverse differs from it by O(a^4) only
            np.testing.assert_allclose(c.match_down_exact(3, a, lnr), ser, rtol=0, atol=200 * a**4)
            np.testing.assert_allclose(
                c.match_up(3, c.match_down_exact(3, a, lnr), lnr), a, rtol=1e-15, atol=0
            )
            # up then down with the series: identity up to O(a^4)
            np.testing.assert_allclose(
                c.match_down(3, c.match_up(3, a, lnr), lnr), a, rtol=0, atol=200 * a**4
            )


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_up_then_down(order):
    # running up across all thresholds and back with the result as reference gives the start:
    # exactly with the exact inverse matching, to O(a_s^4) per threshold with the series
    ratios = (1.3, 0.8, 1.1)
    up = c.Couplings(order, 0.3, 3.0, (1.5, 4.75, 173.0), matching_ratios=ratios, nf_ref=3)
    alpha_hi = up.alphas(1e6, nf=6)
    for inverse, rtol in (("exact", 1e-10), ("expanded", 1e-3)):
        down = c.Couplings(
            order,
            alpha_hi,
            1e6,
            (1.5, 4.75, 173.0),
            matching_ratios=ratios,
            inverse_matching=inverse,
        )
        np.testing.assert_allclose(down.alphas(3.0, nf=3), 0.3, rtol=rtol, atol=0)
        if order == 1:  # no matching at LO: both are exact
            np.testing.assert_allclose(down.alphas(3.0, nf=3), 0.3, rtol=1e-10, atol=0)


def test_matching_scale_dependence_decreases():
    # the log terms compensate the matching-scale dependence order by order (hep-ph/9708255):
    # the spread of alpha_s(4 GeV^2) over mu_h/m_h in {1/2, 1, 2} must shrink with the order
    spreads = []
    for order in (1, 2, 3):
        vals = [
            c.Couplings(
                order, 0.118, 91.1876**2, (1.5, 4.5, 175.0), matching_ratios=(r, r, r), nf_ref=5
            ).alphas(4.0, nf=3)
            for r in (0.5, 1.0, 2.0)
        ]
        spreads.append(max(vals) / min(vals) - 1)
    assert spreads[0] > 1.5 * spreads[1] > 2.25 * spreads[2]


def test_nf_helpers():
    sc = lha(3, "VFNS")
    assert sc.thresholds_mu2 == pytest.approx((2.0, 20.25, 30625.0), rel=1e-15)
    assert [sc.nf(q2) for q2 in (1.0, 2.0, 10.0, 20.25, 100.0, 4e4)] == [3, 4, 4, 5, 5, 6]
    assert c.nf_at(5.0, (2.0, 20.25, 30625.0)) == 4
    assert lha(3, "FFNS").nf(1e5) == 4
    # FFNS ignores thresholds entirely: a plain nf = 4 running
    np.testing.assert_allclose(
        lha(3, "FFNS").a_s(1e4), c.a_s_exact(3, 0.35 / (4 * pi), 4, 2.0, 1e4), rtol=1e-14, atol=0
    )


def test_bad_arguments():
    with pytest.raises(ValueError, match="order"):
        c.Couplings(5, 0.35, 2.0, LHA_MASSES)
    with pytest.raises(ValueError, match="method"):
        c.Couplings(2, 0.35, 2.0, LHA_MASSES, method="magic")
    with pytest.raises(ValueError, match="inverse_matching"):
        c.Couplings(2, 0.35, 2.0, LHA_MASSES, inverse_matching="magic")
    with pytest.raises(ValueError, match="nf_ffns"):
        lha(2, "FFNS").a_s(10.0, nf=5)


def test_remembered_values_are_the_computed_ones():
    # reference: the solver itself (a fresh instance for each value): bitwise the same, on
    # the first call and on the remembered second one; the memo is bounded
    cpl = lha(3, "VFNS")
    scales = np.geomspace(2.5, 1e4, 50)
    first = [cpl.a_s(m) for m in scales] + [cpl.a_s(20.25, 4), cpl.a_s(20.25, 5)]
    again = [cpl.a_s(m) for m in scales] + [cpl.a_s(20.25, 4), cpl.a_s(20.25, 5)]
    fresh = [lha(3, "VFNS").a_s(m) for m in scales]
    fresh += [lha(3, "VFNS").a_s(20.25, 4), lha(3, "VFNS").a_s(20.25, 5)]
    assert first == again == fresh and first[-2] != first[-1]
    for m in np.geomspace(2.5, 1e4, 5000):
        cpl.a_s(m)
    assert len(cpl._values) <= 4096
    assert cpl == lha(3, "VFNS")  # the memo takes no part in equality
