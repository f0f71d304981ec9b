"""Tests of the NLO anomalous dimensions."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import spence

from ekodask.physics.anomalous_dimensions import as2
from ekodask.physics.constants import CA, CF, EULER_GAMMA, TR, ZETA2, ZETA3

NFS = [3, 4, 5, 6]
N_CPLX = np.array([1.3 + 2.1j, 4.7 - 3.3j, 0.6 + 7.0j, 15.0 + 0.5j, 2.0 + 0.0j, 40.0 - 60.0j])


@pytest.mark.parametrize("nf", NFS)
def test_quark_number_conservation(nf):
    # gamma_ns^-(1) = gamma_ns^v(1) = 0: the valence number is conserved at every order
    one = np.array([1.0 + 0j])
    np.testing.assert_allclose(as2.gamma_nsm(one, nf), 0, rtol=0, atol=1e-10)
    np.testing.assert_allclose(as2.gamma_nsv(one, nf), 0, rtol=0, atol=1e-10)


@pytest.mark.parametrize("nf", NFS)
def test_momentum_sum_rules(nf):
    # momentum conservation: gamma_qq(2) + gamma_gq(2) = 0 = gamma_qg(2) + gamma_gg(2)
    g = as2.gamma_singlet(np.array([2.0 + 0j]), nf)[0]
    np.testing.assert_allclose(g[0, 0] + g[1, 0], 0, rtol=0, atol=1e-10)
    np.testing.assert_allclose(g[0, 1] + g[1, 1], 0, rtol=0, atol=1e-10)


def test_published_n2_moment():
    # Floratos-Ross-Sachrajda, Nucl. Phys. B129 (1977) 66: gamma_NS^(1)(n=2) = 23488/243
    # - 512/81 nf for d/d ln mu; halved for our d/d ln mu^2 convention. At even n the
    # + combination is the physical (F2) one.
    for nf in NFS:
        ref = (23488 / 243 - 512 / 81 * nf) / 2
        np.testing.assert_allclose(as2.gamma_nsp(2.0, nf), ref, rtol=1e-12, atol=0)


def test_cusp_large_n():
    # large-n: gamma_ns^(1) ~ A_2 ln n with A_2 = 8 C_F [(67/18 - zeta_2) C_A - 5/9 nf]
    # (MVV hep-ph/0403192 Sec. 3, two-loop cusp); gamma_gg^(1) has C_A/C_F times it
    # (Casimir scaling)
    nf = 4
    a2 = 8 * CF * ((67 / 18 - ZETA2) * CA - 5 / 9 * nf)
    n1, n2 = np.array([2.0e5]), np.array([4.0e5])
    for fn, fac in ((as2.gamma_nsp, 1.0), (as2.gamma_nsm, 1.0), (as2.gamma_gg, CA / CF)):
        slope = (fn(n2, nf) - fn(n1, nf)) / np.log(2.0)
        np.testing.assert_allclose(slope.real, fac * a2, rtol=1e-4, atol=0)
    # the off-diagonal and pure-singlet entries vanish at large n (like ln^k n / n, k <= 2)
    for fn in (as2.gamma_qg, as2.gamma_gq, as2.gamma_ps):
        ratio = abs(fn(n2, nf)[0] / fn(n1, nf)[0])
        assert ratio < 0.6


def test_large_n_constant():
    # gamma_ns^(1)(n) = A_2 (ln n + gamma_E) - 4 B_2 + O(ln n/n), with the delta(1-x)
    # coefficient of P_ns^(1) (CFP; ESW ch. 4):
    # B_2 = C_F^2 (3/8 - 3 zeta_2 + 6 zeta_3) + C_F C_A (17/24 + 11/3 zeta_2 - 3 zeta_3)
    #       - C_F T_R nf (1/6 + 4/3 zeta_2)
    nf = 5
    a2 = 8 * CF * ((67 / 18 - ZETA2) * CA - 5 / 9 * nf)
    b2 = (
        CF**2 * (3 / 8 - 3 * ZETA2 + 6 * ZETA3)
        + CF * CA * (17 / 24 + 11 / 3 * ZETA2 - 3 * ZETA3)
        - CF * TR * nf * (1 / 6 + 4 / 3 * ZETA2)
    )
    n = np.array([1.0e7])
    expect = a2 * (np.log(n) + EULER_GAMMA) - 4 * b2
    np.testing.assert_allclose(as2.gamma_nsp(n, nf), expect, rtol=0, atol=1e-4)


def test_plus_minus_difference():
    # gamma^+ - gamma^- = -16 C_F (C_F - C_A/2) M[p_qq(-x) S_2(x) + (1+x) ln x + 2(1-x)]
    # (CFP; ESW ch. 4), checked at real n by numerical integration of the x-space form,
    # S_2(x) = -2 Li_2(-x) + ln^2(x)/2 - 2 ln x ln(1+x) - zeta_2
    def s2x(x):
        return -2 * spence(1 + x) + np.log(x) ** 2 / 2 - 2 * np.log(x) * np.log1p(x) - ZETA2

    def integrand(x, n):
        pqq_neg = 2 / (1 + x) - 1 + x
        return x ** (n - 1) * (pqq_neg * s2x(x) + (1 + x) * np.log(x) + 2 * (1 - x))

    for n in (1.5, 2.0, 3.7):
        ref = -16 * CF * (CF - CA / 2) * quad(integrand, 0, 1, args=(n,), epsabs=1e-13)[0]
        diff = as2.gamma_nsp(n, 4) - as2.gamma_nsm(n, 4)
        np.testing.assert_allclose(diff, ref, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("k", [-1, 0, 1, 2])
def test_mellin_building_blocks(k):
    # the closed-form transforms against numerical int_0^1 x^(n+k-1) f(x) dx at real n
    n = 2.6
    mel = as2.MellinTransforms(np.array([n]))

    def num(f):
        return quad(lambda x: x ** (n + k - 1) * f(x), 0, 1, epsabs=1e-14, limit=200)[0]

    def s2x(x):
        return -2 * spence(1 + x) + np.log(x) ** 2 / 2 - 2 * np.log(x) * np.log1p(x) - ZETA2

    cases = [
        (mel.lnx(k), lambda x: np.log(x)),
        (mel.ln2x(k), lambda x: np.log(x) ** 2),
        (mel.ln1mx(k), lambda x: np.log1p(-x)),
        (mel.ln21mx(k), lambda x: np.log1p(-x) ** 2),
        (mel.lnx_ln1mx(k), lambda x: np.log(x) * np.log1p(-x)),
        (mel.s2x(k), s2x),
    ]
    for val, f in cases:
        np.testing.assert_allclose(val[0], num(f), rtol=1e-10, atol=1e-12)


def test_mellin_kernels_with_denominators():
    n = 2.6
    mel = as2.MellinTransforms(np.array([n]))

    def s2x(x):
        return -2 * spence(1 + x) + np.log(x) ** 2 / 2 - 2 * np.log(x) * np.log1p(x) - ZETA2

    def num(f):
        return quad(lambda x: x ** (n - 1) * f(x), 0, 1, epsabs=1e-14, limit=200)[0]

    plus = quad(lambda x: (x ** (n - 1) - 1) / (1 - x), 0, 1, epsabs=1e-14)[0]
    np.testing.assert_allclose(mel.plus0()[0], plus, rtol=1e-10, atol=0)
    np.testing.assert_allclose(mel.lnx_1mx()[0], num(lambda x: np.log(x) / (1 - x)), rtol=1e-10)
    np.testing.assert_allclose(
        mel.ln2x_1mx()[0], num(lambda x: np.log(x) ** 2 / (1 - x)), rtol=1e-10
    )
    np.testing.assert_allclose(
        mel.lnx_ln1mx_1mx()[0], num(lambda x: np.log(x) * np.log1p(-x) / (1 - x)), rtol=1e-9
    )
    np.testing.assert_allclose(mel.s2x_over_1px()[0], num(lambda x: s2x(x) / (1 + x)), rtol=1e-9)


def test_shapes_conjugation():
    n = N_CPLX.reshape(2, 3)
    g = as2.gamma_singlet(n, 4)
    assert g.shape == (2, 3, 2, 2)
    np.testing.assert_allclose(as2.gamma_singlet(n.conj(), 4), g.conj(), rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        g[..., 0, 0], as2.gamma_nsp(n, 4) + as2.gamma_ps(n, 4), rtol=1e-14, atol=0
    )
