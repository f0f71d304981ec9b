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
    # delta(1-x) coefficient (~1295; MVV shifted it slightly from the exact value, xpns2p.f)
    n = np.array([1.0 + 0j])
    np.testing.assert_allclose(as3.gamma_nsm(n, nf), 0.0, atol=2e-3)
    np.testing.assert_allclose(as3.gamma_nsv(n, nf), 0.0, atol=2e-3)


def _nf_coefficients(gamma, n):
    """Coefficients of nf^0, nf^1, nf^2 of gamma(n, nf), a quadratic polynomial in nf."""
    v0, v1, v2 = (gamma(n, nf) for nf in (0, 1, 2))
    c2 = (v2 - 2.0 * v1 + v0) / 2.0
    return v0, v1 - v0 - c2, c2


def test_fermion_number_conservation_per_power_of_nf():
    # the N = 1 sum rules hold for each colour structure, hence for each power of nf; the nf^2
    # part is exact up to the 6-digit truncation of its delta(1-x) coefficient (1.13067)
    n = np.array([1.0 + 0j])
    for gamma in (as3.gamma_nsm, as3.gamma_nsv):
        c0, c1, c2 = _nf_coefficients(gamma, n)
        np.testing.assert_allclose(c0, 0.0, atol=1e-3)
        np.testing.assert_allclose(c1, 0.0, atol=1e-3)
        np.testing.assert_allclose(c2, 0.0, atol=1e-5)


def test_momentum_sum_rules_per_power_of_nf():
    # exact identities for every power of nf; the nf^2 parts of P_gq and P_ns are exact, the
    # fitted parts (1e-3 accurate in x) leave residuals below 6e-3 on entries up to ~860
    n = np.array([2.0 + 0j])
    quark = _nf_coefficients(lambda n, nf: as3.gamma_singlet(n, nf)[..., :, 0].sum(-1), n)
    gluon = _nf_coefficients(lambda n, nf: as3.gamma_singlet(n, nf)[..., :, 1].sum(-1), n)
    for residual, atol in zip(quark, (1e-2, 5e-3, 1e-5), strict=True):
        np.testing.assert_allclose(residual, 0.0, atol=atol)
    for residual, atol in zip(gluon, (2e-3, 2e-3, 1e-4), strict=True):
        np.testing.assert_allclose(residual, 0.0, atol=atol)


def _a3_quark(nf: int) -> float:
    """Three-loop quark cusp A_3 (hep-ph/0403192, large-N limit in Sect. 3), a_s normalisation."""
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
    # hep-ph/0403192 Sect. 3); the parametrisation's D_0 coefficients are exact up to their
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


@pytest.mark.parametrize("nf", NFS)
def test_momentum_sum_rules(nf: int):
    # exact: gamma_qq(2) + gamma_gq(2) = 0 and gamma_qg(2) + gamma_gg(2) = 0 (hep-ph/0404111
    # Sect. 4); with entries up to |gamma| ~ 360 the parametrisations (accurate to ~1e-3 in x,
    # delta(1-x) of P_gg tuned on the second moments) give sums below 0.02 (< 1e-4 relative)
    g = as3.gamma_singlet(np.array([2.0 + 0j]), nf)[0]
    np.testing.assert_allclose(g[0, 0] + g[1, 0], 0.0, atol=0.03)
    np.testing.assert_allclose(g[0, 1] + g[1, 1], 0.0, atol=0.01)


@pytest.mark.parametrize("nf", NFS)
def test_singlet_large_n(nf: int):
    # large N (hep-ph/0404111 Sect. 4): gamma_gg -> A_3^g ln N with Casimir scaling
    # A_3^g = C_A/C_F A_3^q, gamma_qq -> gamma_ns^+ (pure singlet ~ 1/N^2), off-diagonal -> 0;
    # D_0 coefficients truncated to 1e-3 per power of nf, corrections O(ln^4 N / N) at N = 1e7
    n = np.array([1e7, 2e7], dtype=complex)
    g = as3.gamma_singlet(n, nf)
    slope = (g[1, 1, 1] - g[0, 1, 1]).real / np.log(2.0)
    np.testing.assert_allclose(slope, CA / CF * _a3_quark(nf), rtol=0, atol=1e-2)
    np.testing.assert_allclose(g[:, 0, 0], as3.gamma_nsp(n, nf), rtol=0, atol=1e-2)
    # qg, gq vanish like ln^4(N)/N: from N = 1e5 to 1e7 that is a factor (16.1/11.5)^4/100 = 0.04
    far = as3.gamma_singlet(np.array([1e5 + 0j]), nf)[0]
    for i, j in ((0, 1), (1, 0)):
        assert abs(g[0, i, j]) < 0.06 * abs(far[i, j])
        np.testing.assert_allclose(g[0, i, j], 0.0, atol=0.5)


def test_singlet_shape_and_conjugation():
    # layout [[qq, qg], [gq, gg]] over n.shape; real kernels: gamma(conj N) = conj gamma(N)
    n = np.array([[1.5 + 2.0j, 3.0 - 1.0j, -0.5 + 6.0j], [2.2 + 0.1j, 4.0 + 4.0j, 8.0 + 0j]])
    g = as3.gamma_singlet(n, 4)
    assert g.shape == (2, 3, 2, 2)
    np.testing.assert_allclose(as3.gamma_singlet(n.conj(), 4), g.conj(), rtol=1e-13)


def test_singlet_pole_at_n_one():
    # small x: the ln(x)/x term of P_gg^(2) gives a double pole at N = 1 (hep-ph/0404111 (4.15)):
    # (N-1)^2 gamma_gg(N) -> coefficient of ln(x)/x, i.e. 2675.8 + 157.27 nf at nf = 4
    eps = 1e-5
    g = as3.gamma_singlet(np.array([1.0 + eps]), 4)[0]
    np.testing.assert_allclose((eps**2 * g[1, 1]).real, 2675.8 + 157.27 * 4, rtol=1e-3)


# The parametrisations written out again in x space, in the form printed in hep-ph/0403192
# Eqs. (4.22)-(4.24) and hep-ph/0404111 Eqs. (4.12)-(4.15): a slow reference that checks the
# bookkeeping of the fast N-space code (expanded prefactors, powers of x, signs).
def _x_nsp(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    return (
        1641.1 - 3135.0 * x + 243.6 * x**2 - 522.1 * x**3 + 128.0 / 81.0 * l0**4
        + 2400.0 / 81.0 * l0**3 + 294.9 * l0**2 + 1258.0 * l0 + 714.1 * l1
        + l0 * l1 * (563.9 + 256.8 * l0)
        + nf * (-197.0 + 381.1 * x + 72.94 * x**2 + 44.79 * x**3 - 192.0 / 81.0 * l0**3
                - 2608.0 / 81.0 * l0**2 - 152.6 * l0 - 5120.0 / 81.0 * l1 - 56.66 * l0 * l1
                - 1.497 * x * l0**3)
        + nf**2 * _x_ns_nf2(x)
    )  # fmt: skip


def _x_ns_nf2(x):
    l0 = np.log(x)
    return (
        32.0 * x * l0 / (1.0 - x) * (3.0 * l0 + 10.0) + 64.0
        + (48.0 * l0**2 + 352.0 * l0 + 384.0) * (1.0 - x)
    ) / 81.0  # fmt: skip


def _x_nsm(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    return (
        1860.2 - 3505.0 * x + 297.0 * x**2 - 433.2 * x**3 + 116.0 / 81.0 * l0**4
        + 2880.0 / 81.0 * l0**3 + 399.2 * l0**2 + 1465.2 * l0 + 714.1 * l1
        + l0 * l1 * (684.0 + 251.2 * l0)
        + nf * (-216.62 + 406.5 * x + 77.89 * x**2 + 34.76 * x**3 - 256.0 / 81.0 * l0**3
                - 3216.0 / 81.0 * l0**2 - 172.69 * l0 - 5120.0 / 81.0 * l1 - 65.43 * l0 * l1
                - 1.136 * x * l0**3)
        + nf**2 * _x_ns_nf2(x)
    )  # fmt: skip


def _x_nss(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    return nf * (
        (1.0 - x) * (151.49 + 44.51 * x - 43.12 * x**2 + 4.820 * x**3)
        + 40.0 / 27.0 * l0**4 - 80.0 / 27.0 * l0**3 + 6.892 * l0**2 + 178.04 * l0
        + l0 * l1 * (-173.1 + 46.18 * l0) + (1.0 - x) * l1 * (-163.9 / x - 7.208 * x)
    )  # fmt: skip


def _x_ps(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    ps1 = (
        -3584.0 / (27.0 * x) * l0 - 506.0 / x + 160.0 / 27.0 * l0**4 - 400.0 / 9.0 * l0**3
        + 131.4 * l0**2 - 661.6 * l0 - 5.926 * l1**3 - 9.751 * l1**2 - 72.11 * l1
        + 177.4 + 392.9 * x - 101.4 * x**2 - 57.04 * l0 * l1
    )  # fmt: skip
    ps2 = (
        256.0 / (81.0 * x) + 32.0 / 27.0 * l0**3 + 17.89 * l0**2 + 61.75 * l0 + 1.778 * l1**2
        + 5.944 * l1 + 100.1 - 125.2 * x + 49.26 * x**2 - 12.59 * x**3 - 1.889 * l0 * l1
    )  # fmt: skip
    return (1.0 - x) * nf * (ps1 + nf * ps2)


def _x_qg(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    qg1 = (
        -896.0 / (3.0 * x) * l0 - 1268.3 / x + 536.0 / 27.0 * l0**4 - 44.0 / 3.0 * l0**3
        + 881.5 * l0**2 + 424.9 * l0 + 100.0 / 27.0 * l1**4 - 70.0 / 9.0 * l1**3
        - 120.5 * l1**2 + 104.42 * l1 + 2522.0 - 3316.0 * x + 2126.0 * x**2
        + l0 * l1 * (1823.0 - 25.22 * l0) - 252.5 * x * l0**3
    )  # fmt: skip
    qg2 = (
        1112.0 / (243.0 * x) - 16.0 / 9.0 * l0**4 - 376.0 / 27.0 * l0**3 - 90.8 * l0**2
        - 254.0 * l0 + 20.0 / 27.0 * l1**3 + 200.0 / 27.0 * l1**2 - 5.496 * l1 - 252.0
        + 158.0 * x + 145.4 * x**2 - 139.28 * x**3 - l0 * l1 * (53.09 + 80.616 * l0)
        - 98.07 * x * l0**2 + 11.70 * x * l0**3
    )  # fmt: skip
    return nf * (qg1 + nf * qg2)


def _x_gq(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    gq0 = (
        1189.3 * l0 / x + 6163.1 / x - 4288.0 / 81.0 * l0**4 + 1568.0 / 9.0 * l0**3
        - 1794.0 * l0**2 + 4033.0 * l0 + 400.0 / 81.0 * l1**4 + 2200.0 / 27.0 * l1**3
        + 606.3 * l1**2 + 2193.0 * l1 - 4307.0 + 489.3 * x + 1452.0 * x**2 + 146.0 * x**3
        - 447.3 * l0**2 * l1 - 972.9 * x * l0**2
    )  # fmt: skip
    gq1 = (
        71.082 * l0 / x - 46.41 / x + 128.0 / 27.0 * l0**4 + 704.0 / 81.0 * l0**3
        + 20.39 * l0**2 + 174.8 * l0 - 400.0 / 81.0 * l1**3 - 68.069 * l1**2 - 296.7 * l1
        - 183.8 + 33.35 * x - 277.9 * x**2 + 108.6 * x * l0**2 - 49.68 * l0 * l1
    )  # fmt: skip
    gq2 = (
        64.0 * (-1.0 / x + 1.0 + 2.0 * x) + 320.0 * l1 * (1.0 / x - 1.0 + 0.8 * x)
        + 96.0 * l1**2 * (1.0 / x - 1.0 + 0.5 * x)
    ) / 27.0  # fmt: skip
    return gq0 + nf * gq1 + nf**2 * gq2


def _x_gg(x, nf):
    l0, l1 = np.log(x), np.log1p(-x)
    gg0 = (
        2675.8 * l0 / x + 14214.0 / x - 144.0 * l0**4 + 72.0 * l0**3 - 7471.0 * l0**2
        + 274.4 * l0 + 3589.0 * l1 - 20852.0 + 3968.0 * x - 3363.0 * x**2 + 4848.0 * x**3
        + l0 * l1 * (7305.0 + 8757.0 * l0)
    )  # fmt: skip
    gg1 = (
        157.27 * l0 / x + 182.96 / x + 512.0 / 27.0 * l0**4 + 832.0 / 9.0 * l0**3
        + 491.3 * l0**2 + 1541.0 * l0 - 320.0 * l1 - 350.2 + 755.7 * x - 713.8 * x**2
        + 559.3 * x**3 + l0 * l1 * (26.15 - 808.7 * l0)
    )  # fmt: skip
    gg2 = (
        -680.0 / (243.0 * x) - 32.0 / 27.0 * l0**3 + 9.680 * l0**2 - 3.422 * l0 - 13.878
        + 153.4 * x - 187.7 * x**2 + 52.75 * x**3 - l0 * l1 * (115.6 - 85.25 * x + 63.23 * l0)
    )  # fmt: skip
    return gg0 + nf * gg1 + nf**2 * gg2


def _mellin_x(regular, n, nf, d0=0.0, delta=0.0):
    """M[regular + d0 [1/(1-x)]_+ + delta delta(1-x)](n) by quadrature over x."""
    reg, _ = integrate.quad(lambda x: x ** (n - 1.0) * regular(x, nf), 0.0, 1.0, limit=200)
    plus, _ = integrate.quad(lambda x: (x ** (n - 1.0) - 1.0) / (1.0 - x), 0.0, 1.0)
    return reg + d0 * plus + delta


@pytest.mark.parametrize("nf", (4, 5))
@pytest.mark.parametrize("n", (2.5, 3.5))
def test_n_space_matches_x_space_parametrisation(n: float, nf: int):
    # gamma = -M[P]; distribution coefficients: hep-ph/0403192 (4.22)-(4.23), hep-ph/0404111 (4.15)
    d0_ns = 1174.898 - 183.187 * nf - 64.0 / 81.0 * nf**2
    nn = np.array([n + 0j])
    basis = MellinBasis(nn)
    g = as3.gamma_singlet(nn, nf, basis)[0]
    cases = [
        (as3.gamma_nsp(nn, nf, basis)[0], _mellin_x(_x_nsp, n, nf, d0_ns,
                                                    1295.384 - 173.927 * nf + 1.13067 * nf**2)),
        (as3.gamma_nsm(nn, nf, basis)[0], _mellin_x(_x_nsm, n, nf, d0_ns,
                                                    1295.470 - 173.933 * nf + 1.13067 * nf**2)),
        (as3.gamma_nss(nn, nf, basis)[0], _mellin_x(_x_nss, n, nf)),
        (g[0, 0] - as3.gamma_nsp(nn, nf, basis)[0], _mellin_x(_x_ps, n, nf)),
        (g[0, 1], _mellin_x(_x_qg, n, nf)),
        (g[1, 0], _mellin_x(_x_gq, n, nf)),
        (g[1, 1], _mellin_x(_x_gg, n, nf, 2643.521 - 412.172 * nf - 16.0 / 9.0 * nf**2,
                            4425.894 - 528.723 * nf + 6.4630 * nf**2)),
    ]  # fmt: skip
    for gamma, p_n in cases:
        np.testing.assert_allclose(gamma.real, -p_n, rtol=1e-8, atol=1e-8)
