"""Heavy-quark OMEs: conservation laws, the x-space forms they transform, NLO identity."""

import importlib.util

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import spence

from ekodask.physics import ome
from ekodask.physics.constants import CA, CF, TR, ZETA2, ZETA3

HAS_NLO = importlib.util.find_spec("ekodask.physics.anomalous_dimensions.as2") is not None
needs_nlo = pytest.mark.skipif(not HAS_NLO, reason="NLO anomalous dimensions not there yet")

N1 = np.array([1.0 + 0j])
N2 = np.array([2.0 + 0j])
LOGS = [0.0, 0.7, -1.3]


def li2(z):
    """Li2(z) for real z <= 1 (scipy's spence(x) = Li2(1 - x))."""
    return spence(1.0 - z)


def mellin(f, n, *, plus_at_one=None):
    """int_0^1 x^(n-1) f(x) dx for real n; ``plus_at_one``: g with f = [g]_+ (subtract g)."""
    if plus_at_one is None:
        return quad(lambda x: x ** (n - 1) * f(x), 0, 1, limit=200, epsabs=1e-13)[0]
    return quad(lambda x: (x ** (n - 1) - 1.0) * plus_at_one(x), 0, 1, limit=200)[0]


# ---- conservation laws ------------------------------------------------------------------


def test_ns_quark_number_at_l0():
    # quark-number conservation: A_qq,H^NS,(2)(N=1) = 0 (BMSN Sec. 3, identity of the OME)
    np.testing.assert_allclose(ome.a_ns_2(N1, 0.0, 3), 0.0, atol=1e-12)


@needs_nlo
@pytest.mark.parametrize("L", LOGS)
@pytest.mark.parametrize("nf", [3, 4, 5])
def test_ns_quark_number_with_logs(L, nf):
    # quark-number conservation holds for every mu_h: gamma_ns^(0,1)(N=1) = 0
    np.testing.assert_allclose(ome.a_ns_2(N1, L, nf), 0.0, atol=1e-10)


@pytest.mark.parametrize("L", LOGS)
def test_momentum_gluon_column_o1(L):
    # momentum sum rule at O(a_s): A_Hg^(1)(2) + A_gg,H^(1)(2) = 0 (gamma sum rules at N=2)
    np.testing.assert_allclose(ome.a_hg_1(N2, L) + ome.a_gg_1(N2, L), 0.0, atol=1e-13)


def test_momentum_quark_column_o2_l0():
    # momentum sum rule: A_qq^NS,(2)(2) + A_Hq^PS,(2)(2) + A_gq,H^(2)(2) = 0, BMSN Eq. (2.x)
    s = ome.a_ns_2(N2, 0.0, 3) + ome.a_hq_2(N2, 0.0, 3) + ome.a_gq_2(N2, 0.0, 3)
    np.testing.assert_allclose(s, 0.0, atol=1e-12)


def test_momentum_gluon_column_o2_l0():
    # A_Hg^(2)(2) + A_gg,H^(2)(2) = 0; A_Hg^(2) is Vogt's x-space fit (quoted accuracy ~1e-4)
    hg, gg = ome.a_hg_2(N2, 0.0, 3), ome.a_gg_2(N2, 0.0, 3)
    np.testing.assert_allclose(hg, -gg, rtol=1e-4)


@needs_nlo
@pytest.mark.parametrize("L", LOGS[1:])
@pytest.mark.parametrize("nf", [3, 4, 5])
def test_momentum_with_logs(L, nf):
    # the L and L^2 terms conserve momentum by themselves (sum rules of gamma^(0), gamma^(1))
    q = ome.a_ns_2(N2, L, nf) + ome.a_hq_2(N2, L, nf) + ome.a_gq_2(N2, L, nf)
    q0 = ome.a_ns_2(N2, 0.0, nf) + ome.a_hq_2(N2, 0.0, nf) + ome.a_gq_2(N2, 0.0, nf)
    np.testing.assert_allclose(q - q0, 0.0, atol=1e-10)
    g = ome.a_hg_2(N2, L, nf) + ome.a_gg_2(N2, L, nf)
    g0 = ome.a_hg_2(N2, 0.0, nf) + ome.a_gg_2(N2, 0.0, nf)
    np.testing.assert_allclose(g - g0, 0.0, atol=1e-10)


@pytest.mark.parametrize("L", LOGS)
def test_intrinsic_conservation(L):
    # heavy-quark number A_HH^(1)(1) = 0 and momentum A_HH^(1)(2) + A_gH^(1)(2) = 0
    np.testing.assert_allclose(ome.a_hh_1(N1, L), 0.0, atol=1e-13)
    np.testing.assert_allclose(ome.a_hh_1(N2, L) + ome.a_gh_1(N2, L), 0.0, atol=1e-13)


def test_intrinsic_value_n2():
    # A_HH^(1)(2, L=0) = -34/9 C_F: int_0^1 (x - 1) 2 C_F (1+x^2)/(1-x)(-1 - 2 ln(1-x)) dx by hand
    np.testing.assert_allclose(ome.a_hh_1(N2, 0.0), -34.0 / 9.0 * CF, rtol=1e-13)


# ---- the x-space forms (BMSN App. B, 1510.02491 Eq. 20) transform correctly ---------------

NREAL = [2.0, 3.5, 6.0]


def _s12(z):
    """Nielsen S_{1,2}(z) = 1/2 int_0^z ln^2(1-t)/t dt."""
    return 0.5 * quad(lambda t: np.log1p(-t) ** 2 / t, 0, z, limit=100)[0]


@pytest.mark.parametrize("n", NREAL)
def test_ns_against_x_space(n):
    # BMSN Eq. (B.4) at L = 0 integrated numerically
    reg = lambda x: (  # noqa: E731
        (1 + x * x) / (1 - x) * (2 / 3 * np.log(x) ** 2 + 20 / 9 * np.log(x))
        + 8 / 3 * (1 - x) * np.log(x)
        + 44 / 27
        - 268 / 27 * x
    )
    val = mellin(reg, n) + mellin(None, n, plus_at_one=lambda x: 224 / 27 / (1 - x))
    val += -8 / 3 * ZETA3 + 40 / 9 * ZETA2 + 73 / 18
    np.testing.assert_allclose(ome.a_ns_2(np.array([n + 0j]), 0.0, 3), CF * TR * val, rtol=1e-8)


@pytest.mark.parametrize("n", NREAL)
def test_hq_against_x_space(n):
    # BMSN Eq. (B.1) at L = 0 integrated numerically
    def f(x):
        lx, l2 = np.log(x), li2(1 - x)
        return (
            (1 + x) * (32 * _s12(1 - x) + 16 * lx * l2 - 16 * ZETA2 * lx - 4 / 3 * lx**3)
            + (32 / (3 * x) + 8 - 8 * x - 32 / 3 * x * x) * (l2 - ZETA2)
            + (2 + 10 * x + 16 / 3 * x * x) * lx**2
            - (56 / 3 + 88 / 3 * x + 448 / 9 * x * x) * lx
            - 448 / (27 * x)
            - 4 / 3
            - 124 / 3 * x
            + 1600 / 27 * x * x
        )

    val = CF * TR * mellin(f, n)
    np.testing.assert_allclose(ome.a_hq_2(np.array([n + 0j]), 0.0, 3), val, rtol=1e-7)


@pytest.mark.parametrize("n", NREAL)
def test_gq_against_x_space(n):
    # BMSN Eq. (B.5) at L = 0 integrated numerically
    def f(x):
        l1 = np.log1p(-x)
        p = 2 / x - 2 + x
        return (
            4 / 3 * p * l1**2 + 8 / 9 * (10 / x - 10 + 8 * x) * l1 + (448 / x - 448 + 344 * x) / 27
        )

    val = CF * TR * mellin(f, n)
    np.testing.assert_allclose(ome.a_gq_2(np.array([n + 0j]), 0.0, 3), val, rtol=1e-8)


@pytest.mark.parametrize("n", NREAL)
def test_gg_against_x_space(n):
    # BMSN Eq. (B.7) at L = 0 integrated numerically
    def cf(x):
        lx = np.log(x)
        return (
            4 / 3 * (1 + x) * lx**3
            + (6 + 10 * x) * lx**2
            + (32 + 48 * x) * lx
            - 8 / x
            + 80
            - 48 * x
            - 24 * x * x
        )

    def ca(x):
        lx = np.log(x)
        return (
            4 / 3 * (1 + x) * lx**2
            + (52 + 88 * x) / 9 * lx
            - 4 / 3 * x * np.log1p(-x)
            + (556 / x - 628 + 548 * x - 700 * x * x) / 27
        )

    val = CF * (mellin(cf, n) - 15.0) + CA * (
        mellin(ca, n) + mellin(None, n, plus_at_one=lambda x: 224 / 27 / (1 - x)) + 10 / 9
    )
    np.testing.assert_allclose(ome.a_gg_2(np.array([n + 0j]), 0.0, 3), TR * val, rtol=1e-8)


@pytest.mark.parametrize("n", NREAL)
@pytest.mark.parametrize("L", [0.0, 0.9])
def test_intrinsic_against_x_space(n, L):
    # 1510.02491 Eqs. (20a,b) in a_s = alpha_s/(4 pi): 2 C_F [...]
    hh = mellin(
        None,
        n,
        plus_at_one=lambda x: (1 + x * x) / (1 - x) * (L - 1 - 2 * np.log1p(-x)),
    )
    gh = mellin(lambda x: (1 + (1 - x) ** 2) / x * (L - 1 - 2 * np.log(x)), n)
    nn = np.array([n + 0j])
    np.testing.assert_allclose(ome.a_hh_1(nn, L), 2 * CF * hh, rtol=1e-8)
    np.testing.assert_allclose(ome.a_gh_1(nn, L), 2 * CF * gh, rtol=1e-8)


# ---- assembly -------------------------------------------------------------------------


def test_nlo_identity_at_threshold():
    # with mu_h = m_h every O(a_s) term is proportional to L: the NLO matching is the identity
    n = np.array([0.5 + 3j, 2.0 + 0j, 7.0 - 1j])
    s = ome.ome_sectors(2, n, 4, 0.02, 0.0)
    for k in ("ns", "gg", "hh_p", "hh_m"):
        np.testing.assert_allclose(s[k], 1.0, atol=0, rtol=0)
    for k in ("gq", "gh", "hg", "hq"):
        np.testing.assert_allclose(s[k], 0.0, atol=0, rtol=0)


def test_lo_is_identity_and_orders_add_up():
    # LO: no matching; the NNLO sectors are NLO plus a_s^2 A^(2) (expansion of BMSN Eq. 2.x)
    n = np.array([1.5 + 2j, 4.0 - 3j])
    lo = ome.ome_sectors(1, n, 3, 0.03, 0.4)
    assert all(np.all(lo[k] == (1.0 if k in ("ns", "gg", "hh_p", "hh_m") else 0.0)) for k in lo)
    a, L = 0.03, 0.0
    nlo = ome.ome_sectors(2, n, 3, a, L)
    nnlo = ome.ome_sectors(3, n, 3, a, L)
    np.testing.assert_allclose(nnlo["hq"] - nlo["hq"], a**2 * ome.a_hq_2(n, L, 3), rtol=1e-13)
    np.testing.assert_allclose(nnlo["gg"] - nlo["gg"], a**2 * ome.a_gg_2(n, L, 3), rtol=1e-12)


# ---- the logarithms solve the matching's renormalisation-group equation -----------------


def _matching_block(n, nf, a, L):
    """A in the basis (g, Sigma_light, h+), columns g and Sigma; shape n.shape + (3, 2)."""
    s = ome.ome_sectors(3, n, nf, a, L)
    out = np.zeros((*n.shape, 3, 2), dtype=complex)
    out[..., 0, 0], out[..., 0, 1] = s["gg"], s["gq"]
    out[..., 1, 1] = s["ns"]
    out[..., 2, 0], out[..., 2, 1] = s["hg"], s["hq"]
    return out


def _gammas_low(n, nf, a):
    """Gamma^(nf)(a) on (g, Sigma): d f/d ln mu^2 = -Gamma f, to O(a^2); shape (..., 2, 2)."""
    from ekodask.physics.anomalous_dimensions import gamma_singlet

    g = gamma_singlet(2, n, nf)
    gam = a * g[0] + a**2 * g[1]  # [[qq, qg], [gq, gg]] on (Sigma, g)
    return gam[..., ::-1, ::-1]  # -> (g, Sigma)


def _gammas_high(n, nf, a):
    """Gamma^(nf+1)(a) on (g, Sigma_light, h+), h+ one more light flavour; shape (..., 3, 3)."""
    from ekodask.physics.anomalous_dimensions import gamma_ns, gamma_singlet

    m = nf + 1
    g = gamma_singlet(2, n, m)
    ns = gamma_ns(2, "+", n, m)
    sg = a * g[0] + a**2 * g[1]
    nsa = a * ns[0] + a**2 * ns[1]
    ps, qg = (sg[..., 0, 0] - nsa) / m, sg[..., 0, 1] / m
    out = np.zeros((*n.shape, 3, 3), dtype=complex)
    out[..., 0, 0], out[..., 0, 1], out[..., 0, 2] = sg[..., 1, 1], sg[..., 1, 0], sg[..., 1, 0]
    out[..., 1, 0], out[..., 1, 1], out[..., 1, 2] = nf * qg, nsa + nf * ps, nf * ps
    out[..., 2, 0], out[..., 2, 1], out[..., 2, 2] = qg, ps, nsa + ps
    return out


def _rge_residual(n, nf, a, L):
    """dA/d ln mu^2 - [A Gamma^(nf)(a^(nf)) - Gamma^(nf+1)(a) A] with a = a^(nf+1)(mu^2)."""
    from ekodask.physics.beta import beta_0, beta_1

    da = -beta_0(nf + 1) * a**2 - beta_1(nf + 1) * a**3
    h, ha = 1e-4, 1e-4 * a
    d_l = (_matching_block(n, nf, a, L + h) - _matching_block(n, nf, a, L - h)) / (2 * h)
    d_a = (_matching_block(n, nf, a + ha, L) - _matching_block(n, nf, a - ha, L)) / (2 * ha)
    lhs = d_l + d_a * da
    amat = _matching_block(n, nf, a, L)
    a_low = a * (1.0 - 4.0 / 3.0 * TR * L * a)  # one-loop decoupling (CKS hep-ph/9706430)
    rhs = amat @ _gammas_low(n, nf, a_low) - _gammas_high(n, nf, a) @ amat
    return lhs - rhs


@needs_nlo
@pytest.mark.parametrize("nf", [3, 4])
def test_logs_solve_the_rge(nf):
    # the mu_h dependence of A (L and L^2 terms) compensates the change of nf in the evolution:
    # the RGE residual is O(a_s^3), so halving a_s divides it by ~8 (BBK 0901.0669 Sec. 4)
    n = np.array([1.7 + 1.5j, 2.5 - 0.5j, 4.0 + 3.0j])
    r1 = np.abs(_rge_residual(n, nf, 0.004, 0.8))
    r2 = np.abs(_rge_residual(n, nf, 0.002, 0.8))
    mask = r1 > 1e-12
    np.testing.assert_allclose(r1[mask] / r2[mask], 8.0, rtol=0.1)
