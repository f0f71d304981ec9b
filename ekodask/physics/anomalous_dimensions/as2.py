"""Next-to-leading-order (two-loop) anomalous dimensions gamma^(1)(n) = -Mellin[P^(1)](n).

Normalisation a_s = alpha_s/(4 pi): P^(1) here is 4 times the alpha_s/(2 pi) kernels of
Curci-Furmanski-Petronzio, Nucl. Phys. B175 (1980) 27 and Furmanski-Petronzio, Phys. Lett. B97
(1980) 437 (x-space forms as collected in Ellis-Stirling-Webber, "QCD and collider physics" (1996),
ch. 4, NLO splitting functions; cf. the a_s forms in Vogt-Moch-Vermaseren hep-ph/0404111 Sec. 4).
The Mellin transforms are done here term by term in closed form (:class:`MellinTransforms`), which
gives harmonic sums of weight <= 3 with S_{-2,1} from the S_2(x) terms; cf. the N-space forms of
Floratos-Ross-Sachrajda / Gonzalez-Arroyo-Lopez-Yndurain restated by Glück-Reya-Vogt,
Z. Phys. C48 (1990) 471.

These are Mellin transforms of x-space functions, hence single analytic functions of n: no
(-1)^n continuation choice is involved (the alternating sums enter as eta * S_{-k}(n), which is
the same for both eta). gamma_ns^- vanishes at n = 1 and drives the valence V_k; gamma_ns^+
drives the T_k; gamma_ns^v = gamma_ns^- at this order.
"""

import numpy as np
import numpy.typing as npt

from .. import harmonics as h
from ..constants import CA, CF, TR, ZETA2, ZETA3

__all__ = [
    "MellinTransforms",
    "gamma_gg",
    "gamma_gq",
    "gamma_nsm",
    "gamma_nsp",
    "gamma_nsv",
    "gamma_ps",
    "gamma_qg",
    "gamma_singlet",
]

CArray = npt.NDArray[np.complex128]

_SM2_INF = -ZETA2 / 2.0  # S_{-2}(inf)
_SM3_INF = -3.0 / 4.0 * ZETA3  # S_{-3}(inf)
_SM21_INF = -5.0 / 8.0 * ZETA3  # S_{-2,1}(inf), Glück-Reya-Vogt (1990)


class MellinTransforms:
    """Closed-form Mellin transforms int_0^1 x^(m-1) f(x) dx at m = n + k, k = -1..3.

    The sums are computed once at n - 1 (S_{-k} continued from even n) and shifted with the
    recurrences, so one instance serves every kernel at the same n.
    """

    def __init__(self, n) -> None:
        n = np.asarray(n, dtype=np.complex128)
        self.n = n
        m0 = n - 1.0
        s = {1: h.S1(m0), 2: h.S2(m0), 3: h.S3(m0)}
        sm = {2: h.Sm2(m0, False), 3: h.Sm3(m0, False)}
        self._s = {-1: s}
        self._sm = {-1: sm}
        for k in range(0, 4):
            m = n + k
            eta_m = 1.0 if k % 2 == 0 else -1.0
            prev, prev_m = self._s[k - 1], self._sm[k - 1]
            self._s[k] = {j: prev[j] + 1.0 / m**j for j in (1, 2, 3)}
            self._sm[k] = {j: prev_m[j] + eta_m / m**j for j in (2, 3)}
        self.sm21 = h.Sm21(n, True)
        for sums in (*self._s.values(), *self._sm.values(), {0: self.sm21}):
            for arr in sums.values():
                arr.setflags(write=False)  # one instance may serve many callers (shared)

    @staticmethod
    def eta(k: int) -> float:
        """(-1)^m at m = n + k for the even continuation in n."""
        return 1.0 if k % 2 == 0 else -1.0

    def s(self, j: int, k: int) -> CArray:
        """S_j(n + k)."""
        return self._s[k][j]

    def pow(self, k: int, p: int = 1) -> CArray:
        """M[x^k ln^(p-1)(x)] * (-1)^(p-1)/(p-1)!  i.e. 1/(n+k)^p."""
        return 1.0 / (self.n + k) ** p

    def lnx(self, k: int) -> CArray:
        """M[x^k ln x] = -1/(n+k)^2."""
        return -self.pow(k, 2)

    def ln2x(self, k: int) -> CArray:
        """M[x^k ln^2 x] = 2/(n+k)^3."""
        return 2.0 * self.pow(k, 3)

    def ln1mx(self, k: int) -> CArray:
        """M[x^k ln(1-x)] = -S_1(m)/m, m = n+k."""
        return -self.s(1, k) / (self.n + k)

    def ln21mx(self, k: int) -> CArray:
        """M[x^k ln^2(1-x)] = (S_1(m)^2 + S_2(m))/m."""
        return (self.s(1, k) ** 2 + self.s(2, k)) / (self.n + k)

    def lnx_ln1mx(self, k: int) -> CArray:
        """M[x^k ln x ln(1-x)] = d/dm [-S_1(m)/m] = S_1/m^2 - (zeta_2 - S_2)/m."""
        m = self.n + k
        return self.s(1, k) / m**2 - (ZETA2 - self.s(2, k)) / m

    def s2x(self, k: int) -> CArray:
        """M[x^k S_2(x)], S_2(x) = -2 Li_2(-x) + ln^2(x)/2 - 2 ln x ln(1+x) - zeta_2 (ESW 4.113).

        = 1/m^3 + 2 A_2(m)/m with A_2(m) = sum_{j>=1} (-1)^j/(m+j)^2
        = eta_m (S_{-2}(inf) - S_{-2}(m)).
        """
        m = self.n + k
        a2 = self.eta(k) * (_SM2_INF - self._sm[k][2])
        return 1.0 / m**3 + 2.0 * a2 / m

    def s2x_over_1px(self) -> CArray:
        """M[S_2(x)/(1+x)] at n (even continuation; eta = +1 at n, -1 at n-1).

        sum_{j>=0} (-1)^j M[S_2](n+j) = [S_{-3}(inf) - S_{-3}(n-1)]
          + 2 {[S_{-2,1}(inf) - S_{-2,1}(n)] - [S_{-3}(inf) - S_{-3}(n)]
               - S_1(n-1) [S_{-2}(inf) - S_{-2}(n)]}.
        """
        return (_SM3_INF - self._sm[-1][3]) + 2.0 * (
            (_SM21_INF - self.sm21)
            - (_SM3_INF - self._sm[0][3])
            - self.s(1, -1) * (_SM2_INF - self._sm[0][2])
        )

    # plus distributions and 1/(1-x) kernels at n
    def plus0(self) -> CArray:
        """M[1/(1-x)_+] = -S_1(n-1)."""
        return -self.s(1, -1)

    def lnx_1mx(self) -> CArray:
        """M[ln x/(1-x)] = S_2(n-1) - zeta_2."""
        return self.s(2, -1) - ZETA2

    def ln2x_1mx(self) -> CArray:
        """M[ln^2 x/(1-x)] = 2 (zeta_3 - S_3(n-1))."""
        return 2.0 * (ZETA3 - self.s(3, -1))

    def lnx_ln1mx_1mx(self) -> CArray:
        """M[ln x ln(1-x)/(1-x)] = d/dn (S_1^2 + S_2)(n-1)/2 = S_1 (zeta_2 - S_2) + zeta_3 - S_3."""
        return self.s(1, -1) * (ZETA2 - self.s(2, -1)) + ZETA3 - self.s(3, -1)

    def poly(self, coeffs: dict[int, float], fn) -> CArray:
        """sum_k c_k fn(k): the transform of (sum_k c_k x^k) g(x) given fn(k) = M[x^k g]."""
        return sum(c * fn(k) for k, c in coeffs.items())


# polynomial parts of the LO kernels, {power of x: coefficient}, without their 1/(1-x) terms
_PQQ_REG = {0: -1.0, 1: -1.0}  # p_qq(x) = 2/(1-x) - 1 - x
_PQQ_NEG = {0: -1.0, 1: 1.0}  # p_qq(-x) = 2/(1+x) - 1 + x
_PQG = {0: 1.0, 1: -2.0, 2: 2.0}  # p_qg(x) = x^2 + (1-x)^2
_PQG_NEG = {0: 1.0, 1: 2.0, 2: 2.0}  # p_qg(-x)
_PGQ = {-1: 2.0, 0: -2.0, 1: 1.0}  # p_gq(x) = (1 + (1-x)^2)/x
_PGQ_NEG = {-1: -2.0, 0: -2.0, 1: -1.0}  # p_gq(-x)
_PGG_REG = {-1: 1.0, 0: -2.0, 1: 1.0, 2: -1.0}  # p_gg(x) = 1/(1-x) + 1/x - 2 + x - x^2
_PGG_NEG = {-1: -1.0, 0: -2.0, 1: -1.0, 2: -1.0}  # p_gg(-x) = 1/(1+x) - ...


def _as_mellin(n, mel: MellinTransforms | None) -> MellinTransforms:
    return MellinTransforms(n) if mel is None else mel


def _ns_parts(m: MellinTransforms) -> dict[str, CArray]:
    """Mellin transforms of the alpha_s/(2 pi) pieces of P_qq^V and P_qqbar^V (ESW 4.108-4.109),
    by colour factor, including the delta(1-x) terms."""
    one = m.pow(0) * 0.0 + 1.0
    lnx_pqq = 2.0 * m.lnx_1mx() + m.poly(_PQQ_REG, m.lnx)
    ln2x_pqq = 2.0 * m.ln2x_1mx() + m.poly(_PQQ_REG, m.ln2x)
    lnxln1mx_pqq = 2.0 * m.lnx_ln1mx_1mx() + m.poly(_PQQ_REG, m.lnx_ln1mx)
    pqq = 2.0 * m.plus0() + m.poly(_PQQ_REG, m.pow)
    cf2 = (
        -2.0 * lnxln1mx_pqq
        - 1.5 * lnx_pqq
        - m.poly({0: 1.5, 1: 3.5}, m.lnx)
        - 0.5 * m.poly({0: 1.0, 1: 1.0}, m.ln2x)
        - 5.0 * m.poly({0: 1.0, 1: -1.0}, m.pow)
        + (3.0 / 8.0 - 3.0 * ZETA2 + 6.0 * ZETA3) * one
    )
    cfca = (
        0.5 * ln2x_pqq
        + 11.0 / 6.0 * lnx_pqq
        + (67.0 / 18.0 - ZETA2) * pqq
        + m.poly({0: 1.0, 1: 1.0}, m.lnx)
        + 20.0 / 3.0 * m.poly({0: 1.0, 1: -1.0}, m.pow)
        + (17.0 / 24.0 + 11.0 / 3.0 * ZETA2 - 3.0 * ZETA3) * one
    )
    cftrnf = (
        -2.0 / 3.0 * lnx_pqq
        - 10.0 / 9.0 * pqq
        - 4.0 / 3.0 * m.poly({0: 1.0, 1: -1.0}, m.pow)
        - (1.0 / 6.0 + 4.0 / 3.0 * ZETA2) * one
    )
    s2_pqq_neg = 2.0 * m.s2x_over_1px() + m.poly(_PQQ_NEG, m.s2x)
    qqbar = (
        2.0 * s2_pqq_neg
        + 2.0 * m.poly({0: 1.0, 1: 1.0}, m.lnx)
        + 4.0 * m.poly({0: 1.0, 1: -1.0}, m.pow)
    )
    return {"cf2": cf2, "cfca": cfca, "cftrnf": cftrnf, "qqbar": qqbar}


def _gamma_ns(n, nf: int, sign: float, mel: MellinTransforms | None) -> CArray:
    m = _as_mellin(n, mel)
    p = _ns_parts(m)
    p_v = CF**2 * p["cf2"] + CF * CA * p["cfca"] + CF * TR * nf * p["cftrnf"]
    p_vbar = CF * (CF - CA / 2.0) * p["qqbar"]
    return -4.0 * (p_v + sign * p_vbar)


def gamma_nsp(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_ns^(1)+ (drives T_k): -4 M[P_qq^V + P_qqbar^V]."""
    return _gamma_ns(n, nf, 1.0, mel)


def gamma_nsm(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_ns^(1)- (drives V_k; vanishes at n = 1): -4 M[P_qq^V - P_qqbar^V]."""
    return _gamma_ns(n, nf, -1.0, mel)


def gamma_nsv(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_ns^(1)v = gamma_ns^(1)- (the sea part starts at NNLO)."""
    return _gamma_ns(n, nf, -1.0, mel)


def gamma_ps(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """Pure singlet gamma_ps^(1) = -8 C_F T_R nf M[20/(9x) - 2 + 6x - 56/9 x^2
    + (1 + 5x + 8/3 x^2) ln x - (1+x) ln^2 x] (hep-ph/0404111 Sec. 4)."""
    m = _as_mellin(n, mel)
    f = (
        m.poly({-1: 20.0 / 9.0, 0: -2.0, 1: 6.0, 2: -56.0 / 9.0}, m.pow)
        + m.poly({0: 1.0, 1: 5.0, 2: 8.0 / 3.0}, m.lnx)
        - m.poly({0: 1.0, 1: 1.0}, m.ln2x)
    )
    return -8.0 * CF * TR * nf * f


def gamma_qg(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_qg^(1) = -4 nf T_R M[C_F Q_F + C_A Q_A] (ESW 4.111 with the 2 nf of the singlet)."""
    m = _as_mellin(n, mel)
    # ln^2((1-x)/x) and ln((1-x)/x) times p_qg(x)
    ln2r = m.poly(_PQG, m.ln21mx) - 2.0 * m.poly(_PQG, m.lnx_ln1mx) + m.poly(_PQG, m.ln2x)
    lnr = m.poly(_PQG, m.ln1mx) - m.poly(_PQG, m.lnx)
    q_f = (
        m.poly({0: 4.0, 1: -9.0}, m.pow)
        - m.poly({0: 1.0, 1: -4.0}, m.lnx)
        - m.poly({0: 1.0, 1: -2.0}, m.ln2x)
        + 4.0 * m.ln1mx(0)
        + 2.0 * ln2r
        - 4.0 * lnr
        + (10.0 - 4.0 * ZETA2) * m.poly(_PQG, m.pow)
    )
    q_a = (
        m.poly({0: 182.0 / 9.0, 1: 14.0 / 9.0, -1: 40.0 / 9.0}, m.pow)
        + m.poly({1: 136.0 / 3.0, 0: -38.0 / 3.0}, m.lnx)
        - 4.0 * m.ln1mx(0)
        - m.poly({0: 2.0, 1: 8.0}, m.ln2x)
        + 2.0 * m.poly(_PQG_NEG, m.s2x)
        - m.poly(_PQG, m.ln2x)
        + 44.0 / 3.0 * m.poly(_PQG, m.lnx)
        - 2.0 * m.poly(_PQG, m.ln21mx)
        + 4.0 * m.poly(_PQG, m.ln1mx)
        + (2.0 * ZETA2 - 218.0 / 9.0) * m.poly(_PQG, m.pow)
    )
    return -4.0 * nf * TR * (CF * q_f + CA * q_a)


def gamma_gq(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_gq^(1) = -4 M[C_F^2 G_FF + C_F C_A G_FA + C_F T_R nf G_FT] (ESW 4.112)."""
    m = _as_mellin(n, mel)
    g_ff = (
        m.poly({0: -2.5, 1: -3.5}, m.pow)
        + m.poly({0: 2.0, 1: 3.5}, m.lnx)
        - m.poly({0: 1.0, 1: -0.5}, m.ln2x)
        - 2.0 * m.ln1mx(1)
        - 3.0 * m.poly(_PGQ, m.ln1mx)
        - m.poly(_PGQ, m.ln21mx)
    )
    g_fa = (
        m.poly({0: 28.0 / 9.0, 1: 65.0 / 18.0, 2: 44.0 / 9.0}, m.pow)
        - m.poly({0: 12.0, 1: 5.0, 2: 8.0 / 3.0}, m.lnx)
        + m.poly({0: 4.0, 1: 1.0}, m.ln2x)
        + 2.0 * m.ln1mx(1)
        + m.poly(_PGQ_NEG, m.s2x)
        + (0.5 - ZETA2) * m.poly(_PGQ, m.pow)
        - 2.0 * m.poly(_PGQ, m.lnx_ln1mx)
        + 0.5 * m.poly(_PGQ, m.ln2x)
        + 11.0 / 3.0 * m.poly(_PGQ, m.ln1mx)
        + m.poly(_PGQ, m.ln21mx)
    )
    g_ft = (
        -4.0 / 3.0 * m.pow(1) - 20.0 / 9.0 * m.poly(_PGQ, m.pow) - 4.0 / 3.0 * m.poly(_PGQ, m.ln1mx)
    )
    return -4.0 * (CF**2 * g_ff + CF * CA * g_fa + CF * TR * nf * g_ft)


def gamma_gg(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """gamma_gg^(1) = -4 M[C_F T_R nf G_F + C_A T_R nf G_T + C_A^2 G_A] (ESW 4.114)."""
    m = _as_mellin(n, mel)
    one = m.pow(0) * 0.0 + 1.0
    pgg = m.plus0() + m.poly(_PGG_REG, m.pow)
    g_f = (
        m.poly({0: -16.0, 1: 8.0, 2: 20.0 / 3.0, -1: 4.0 / 3.0}, m.pow)
        - m.poly({0: 6.0, 1: 10.0}, m.lnx)
        - m.poly({0: 2.0, 1: 2.0}, m.ln2x)
        - one
    )
    g_t = (
        m.poly({0: 2.0, 1: -2.0, 2: 26.0 / 9.0, -1: -26.0 / 9.0}, m.pow)
        - 4.0 / 3.0 * m.poly({0: 1.0, 1: 1.0}, m.lnx)
        - 20.0 / 9.0 * pgg
        - 4.0 / 3.0 * one
    )
    lnxln1mx_pgg = m.lnx_ln1mx_1mx() + m.poly(_PGG_REG, m.lnx_ln1mx)
    ln2x_pgg = m.ln2x_1mx() + m.poly(_PGG_REG, m.ln2x)
    s2_pgg_neg = m.s2x_over_1px() + m.poly(_PGG_NEG, m.s2x)
    g_a = (
        13.5 * m.poly({0: 1.0, 1: -1.0}, m.pow)
        + 67.0 / 9.0 * m.poly({2: 1.0, -1: -1.0}, m.pow)
        - m.poly({0: 25.0 / 3.0, 1: -11.0 / 3.0, 2: 44.0 / 3.0}, m.lnx)
        + 4.0 * m.poly({0: 1.0, 1: 1.0}, m.ln2x)
        + 2.0 * s2_pgg_neg
        + (67.0 / 9.0 - 2.0 * ZETA2) * pgg
        - 4.0 * lnxln1mx_pgg
        + ln2x_pgg
        + (8.0 / 3.0 + 3.0 * ZETA3) * one
    )
    return -4.0 * (CF * TR * nf * g_f + CA * TR * nf * g_t + CA**2 * g_a)


def gamma_singlet(n, nf: int, mel: MellinTransforms | None = None) -> CArray:
    """Singlet matrix [[qq, qg], [gq, gg]] at NLO, shape n.shape + (2, 2); qq = ns+ + ps."""
    m = _as_mellin(n, mel)
    out = np.empty((*m.n.shape, 2, 2), dtype=np.complex128)
    out[..., 0, 0] = gamma_nsp(n, nf, m) + gamma_ps(n, nf, m)
    out[..., 0, 1] = gamma_qg(n, nf, m)
    out[..., 1, 0] = gamma_gq(n, nf, m)
    out[..., 1, 1] = gamma_gg(n, nf, m)
    return out
