"""Heavy-quark operator matrix elements (OMEs) for the PDF matching nf -> nf+1, in Mellin space.

The matching at mu_h^2 reads f^(nf+1) = A f^(nf) with A = 1 + a_s A^(1) + a_s^2 A^(2),
a_s = a_s^(nf+1)(mu_h^2) = alpha_s/(4 pi), pole mass m_h and L = ln(mu_h^2 / m_h^2).
Every function takes a complex array ``n`` and returns an array of the same shape.
The heavy-quark entries (``hg``, ``hq``, ``hh``) act on h+ = h + hbar.

References: Buza-Matiounine-Smith-van Neerven hep-ph/9612398 (BMSN) App. B for the O(a_s^2)
constants at L = 0; Ball et al. 1510.02491 Eqs. (20a,b) for the intrinsic A_HH^(1), A_gH^(1).
The L-dependent parts follow from the renormalisation-group equation of the matching
(Bierenbaum-Blumlein-Klein 0901.0669 Sec. 4, with nf+1 MSbar coupling) and the NLO anomalous
dimensions; they agree with BMSN's explicit x-space logarithms (tests/physics/test_ome.py).
A_Hg^(2) at L = 0 is the exact Mellin transform of BMSN (B.3), derived here term by term.
The heavy-quark initiated A_qH^(2), A_gH^(2), A_HH^(2) are not known: zero here.
"""

import numpy as np
from numpy.typing import NDArray

from . import harmonics as hs
from .beta import beta_0
from .cache import memo, nodes_key
from .constants import CA, CF, TR, ZETA2, ZETA3
from .scale_variation import coupling_ratio_series, reexpand

__all__ = [
    "SECTORS",
    "a_gg_1",
    "a_gg_2",
    "a_gh_1",
    "a_gq_2",
    "a_hg_1",
    "a_hg_2",
    "a_hh_1",
    "a_hq_2",
    "a_ns_2",
    "harmonic_sums",
    "ome_sectors",
    "reexpand_ome",
]

Complex = NDArray[np.complex128]

# 4/3 T_R = -beta_0 of one heavy quark: decoupling a^(nf+1) = a^(nf) (1 + 4/3 T_R L a) + O(a^3)
_C = 4.0 / 3.0 * TR


Sums = tuple[Complex, Complex, Complex]


def harmonic_sums(n: Complex) -> Sums:
    """(S1, S2, S3)(n), to be shared between the OMEs of one set of nodes."""
    return hs.S1(n), hs.S2(n), hs.S3(n)


def _sums(n: Complex, sums: Sums | None) -> Sums:
    return harmonic_sums(n) if sums is None else sums


# --- Mellin transforms of the x-space building blocks, int_0^1 x^(n-1) f(x) dx --------------


def _m_pow_log(m: Complex, p: int) -> Complex:
    """M[x^k ln^p x] with m = n + k: (-1)^p p! / m^(p+1)."""
    return (-1.0) ** p * float(np.prod(np.arange(1, p + 1))) / m ** (p + 1)


def _m_log1mx(m: Complex, s1: Complex, s2: Complex, s3: Complex, p: int) -> Complex:
    """M[x^k ln^p(1-x)] with m = n + k and S_i(m); p = 1, 2, 3."""
    if p == 1:
        return -s1 / m
    if p == 2:
        return (s1**2 + s2) / m
    return -(s1**3 + 3.0 * s1 * s2 + 2.0 * s3) / m


def _m_li2_1mx(m: Complex, s2: Complex) -> Complex:
    """M[x^k Li2(1-x)] with m = n + k: (zeta2 - S2(m)) / m."""
    return (ZETA2 - s2) / m


# --- O(a_s) ------------------------------------------------------------------------------


def _p_qg0(n: Complex) -> Complex:
    """Per-flavour LO gamma_{h+ g}: gamma_qg^(0) / nf."""
    return -4.0 * TR * (n**2 + n + 2.0) / (n * (n + 1.0) * (n + 2.0))


def a_hg_1(n: Complex, L: float) -> Complex:
    """A_Hg^(1) = -L gamma_qg^(0)/nf (for h+); BMSN Eq. (B.2)."""
    return -L * _p_qg0(n)


def a_gg_1(n: Complex, L: float) -> Complex:
    """A_gg,H^(1) = -4/3 T_R L, the heavy-quark part of beta_0; BMSN Eq. (B.6)."""
    return np.full_like(np.asarray(n, dtype=complex), -_C * L)


def a_hh_1(n: Complex, L: float, sums: Sums | None = None) -> Complex:
    """Intrinsic A_HH^(1): 2 C_F [(1+x^2)/(1-x) (L - 1 - 2 ln(1-x))]_+; 1510.02491 Eq. (20a)."""
    s1, s2, _ = _sums(n, sums)
    s1m, s2m = s1 - 1.0 / n, s2 - 1.0 / n**2
    s1p, s2p = s1 + 1.0 / (n + 1.0), s2 + 1.0 / (n + 1.0) ** 2
    # plus-prescription transforms of (1+x^2)/(1-x) and (1+x^2) ln(1-x)/(1-x)
    m_p = -s1m - s1p + 1.5
    m_pl = 0.5 * (s1m**2 + s2m + s1p**2 + s2p) - 1.75
    return 2.0 * CF * ((L - 1.0) * m_p - 2.0 * m_pl)


def a_gh_1(n: Complex, L: float) -> Complex:
    """Intrinsic A_gH^(1): 2 C_F (1+(1-x)^2)/x (L - 1 - 2 ln x); 1510.02491 Eq. (20b)."""
    # 1+(1-x)^2 over x = 2/x - 2 + x
    g = 2.0 / (n - 1.0) - 2.0 / n + 1.0 / (n + 1.0)
    dg = -2.0 / (n - 1.0) ** 2 + 2.0 / n**2 - 1.0 / (n + 1.0) ** 2  # M[ln x f] = d/dn M[f]
    return 2.0 * CF * ((L - 1.0) * g - 2.0 * dg)


# --- O(a_s^2): constants at L = 0 (BMSN App. B) -----------------------------------------


def _ns_2_const(n: Complex, sums: Sums | None = None) -> Complex:
    """A_qq,H^NS,(2)(L=0); BMSN Eq. (B.4)."""
    s1, s2, s3 = _sums(n, sums)
    n1 = n + 1.0
    s2m, s3m = s2 - 1.0 / n**2, s3 - 1.0 / n**3
    s2p, s3p = s2 + 1.0 / n1**2, s3 + 1.0 / n1**3
    # (1+x^2)/(1-x) ln^k x for k = 1, 2 (regular at x = 1)
    lnx_r = s2m - ZETA2 + s2p - ZETA2
    ln2x_r = -2.0 * (s3m - ZETA3) - 2.0 * (s3p - ZETA3)
    res = (
        -224.0 / 27.0 * (s1 - 1.0 / n)  # 224/27 [1/(1-x)]_+
        - 8.0 / 3.0 * ZETA3
        + 40.0 / 9.0 * ZETA2
        + 73.0 / 18.0
        + 44.0 / 27.0 / n
        - 268.0 / 27.0 / n1
        + 8.0 / 3.0 * (_m_pow_log(n, 1) - _m_pow_log(n1, 1))
        + 20.0 / 9.0 * lnx_r
        + 2.0 / 3.0 * ln2x_r
    )
    return CF * TR * res


def _hq_2_const(n: Complex, sums: Sums | None = None) -> Complex:
    """A_Hq^PS,(2)(L=0) for h+; BMSN Eq. (B.1)."""
    _, s2, _ = _sums(n, sums)
    nm, n1, n2 = n - 1.0, n + 1.0, n + 2.0
    s2m = s2 - 1.0 / n**2
    s2p = s2 + 1.0 / n1**2
    s2pp = s2p + 1.0 / n2**2
    li2 = _m_li2_1mx  # (32/(3x) + 8 - 8x - 32/3 x^2)(Li2(1-x) - zeta2)
    poly = 32.0 / 3.0 / nm + 8.0 / n - 8.0 / n1 - 32.0 / 3.0 / n2
    poly_li2 = (
        32.0 / 3.0 * li2(nm, s2m)
        + 8.0 * li2(n, s2)
        - 8.0 * li2(n1, s2p)
        - 32.0 / 3.0 * li2(n2, s2pp)
    )
    # M[32 S_{1,2}(1-x) + 16 ln x Li2(1-x)] = -16 (zeta2 - S2(n)) / n^2 (times 1 + x)
    lnli2 = -li2(n, s2) / n - li2(n1, s2p) / n1
    res = (
        -poly * ZETA2
        + poly_li2
        - 448.0 / 27.0 / nm
        - 4.0 / 3.0 / n
        - 124.0 / 3.0 / n1
        + 1600.0 / 27.0 / n2
        - 4.0 / 3.0 * (_m_pow_log(n, 3) + _m_pow_log(n1, 3))
        + 2.0 * _m_pow_log(n, 2)
        + 10.0 * _m_pow_log(n1, 2)
        + 16.0 / 3.0 * _m_pow_log(n2, 2)
        - 16.0 * ZETA2 * (_m_pow_log(n, 1) + _m_pow_log(n1, 1))
        - 56.0 / 3.0 * _m_pow_log(n, 1)
        - 88.0 / 3.0 * _m_pow_log(n1, 1)
        - 448.0 / 9.0 * _m_pow_log(n2, 1)
        + 16.0 * lnli2
    )
    return CF * TR * res


def _gq_2_const(n: Complex, sums: Sums | None = None) -> Complex:
    """A_gq,H^S,(2)(L=0); BMSN Eq. (B.5)."""
    s1, s2, s3 = _sums(n, sums)
    nm, n1 = n - 1.0, n + 1.0
    s1m, s2m = s1 - 1.0 / n, s2 - 1.0 / n**2
    s1p, s2p = s1 + 1.0 / n1, s2 + 1.0 / n1**2
    lg = _m_log1mx
    # (2/x - 2 + x) ln^k(1-x), k = 2, 1, and rational terms
    res = (
        4.0 / 3.0 * (2.0 * lg(nm, s1m, s2m, s3, 2) - 2.0 * lg(n, s1, s2, s3, 2))
        + 4.0 / 3.0 * lg(n1, s1p, s2p, s3, 2)
        + 8.0 / 9.0 * (10.0 * lg(nm, s1m, s2m, s3, 1) - 10.0 * lg(n, s1, s2, s3, 1))
        + 64.0 / 9.0 * lg(n1, s1p, s2p, s3, 1)
        + (448.0 * (1.0 / nm - 1.0 / n) + 344.0 / n1) / 27.0
    )
    return CF * TR * res


def _gg_2_const(n: Complex, sums: Sums | None = None) -> Complex:
    """A_gg,H^S,(2)(L=0); BMSN Eq. (B.7)."""
    s1, s2, s3 = _sums(n, sums)
    nm, n1, n2 = n - 1.0, n + 1.0, n + 2.0
    s1p, s2p = s1 + 1.0 / n1, s2 + 1.0 / n1**2
    pl = _m_pow_log
    cf_part = (
        -15.0
        - 8.0 / nm
        + 80.0 / n
        - 48.0 / n1
        - 24.0 / n2
        + 4.0 / 3.0 * (pl(n, 3) + pl(n1, 3))
        + 6.0 * pl(n, 2)
        + 10.0 * pl(n1, 2)
        + 32.0 * pl(n, 1)
        + 48.0 * pl(n1, 1)
    )
    ca_part = (
        -224.0 / 27.0 * (s1 - 1.0 / n)  # 224/27 [1/(1-x)]_+
        + 10.0 / 9.0
        - 4.0 / 3.0 * _m_log1mx(n1, s1p, s2p, s3, 1)
        + (556.0 / nm - 628.0 / n + 548.0 / n1 - 700.0 / n2) / 27.0
        + 4.0 / 3.0 * (pl(n, 2) + pl(n1, 2))
        + (52.0 * pl(n, 1) + 88.0 * pl(n1, 1)) / 9.0
    )
    return TR * (CF * cf_part + CA * ca_part)


# --- A_Hg^(2) at L = 0: exact Mellin transform of BMSN Eq. (B.3) ----------------------------
#
# Each x-space term is poly(x) f(x) with x^k f -> M[f](n + k). The transforms M[f] of the
# weight <= 3 functions below follow from partial integration, M[g](n) = g(1)/n -
# M[g'](n + 1)/n, and 1/(1 -+ x) expansions (cf. Blumlein-Kurth hep-ph/9810241). The
# explicit (-1)^n of the 1/(1 + x) expansion is set to +1 together with the even-n
# continuation of the alternating sums (odd n with -1 gives the same function). The (1 + x)
# functions of (B.3) enter only through F and H, whose derivatives are short:
#   F = -8 z2 ln(1+x) - 16 ln(1+x) Li2(-x) - 8 ln x ln^2(1+x) + 4 ln^2 x ln(1+x)
#       + 8 ln x Li2(-x) - 8 Li3(-x) - 16 S12(-x),  F(1) = 4 z3,
#   F' = (4 ln^2 x - 16 ln x ln(1+x) - 16 Li2(-x) - 8 z2) / (1 + x);
#   H = Li2(-x) + ln x ln(1+x),  H' = ln x / (1 + x).


def _hg_basis(m: Complex, sums: Sums | None = None) -> dict[str, Complex]:
    """M[f](m) for the functions f of BMSN (B.3), keyed by name (lz = ln x, l1 = ln(1-x))."""
    s1, s2, s3 = _sums(m, sums)
    s12, s21 = hs.S((1, 2), m), hs.S((2, 1), m)
    sm2, sm3, s1m2 = hs.S((-2,), m, True), hs.S((-3,), m, True), hs.S((1, -2), m, True)
    d2, d3 = ZETA2 - s2, ZETA3 - s3
    return {
        "1": 1.0 / m,
        "lz": _m_pow_log(m, 1),
        "lz2": _m_pow_log(m, 2),
        "lz3": _m_pow_log(m, 3),
        "l1": _m_log1mx(m, s1, s2, s3, 1),
        "l12": _m_log1mx(m, s1, s2, s3, 2),
        "l13": _m_log1mx(m, s1, s2, s3, 3),
        "li2": d2 / m,  # Li2(1-x)
        "lz_l1": -d2 / m + s1 / m**2,  # d/dm of M[l1]
        "lz_l12": 2.0 * (s1 * d2 + d3) / m - (s1**2 + s2) / m**2,
        "lz_li2": -2.0 * d3 / m - d2 / m**2,
        "l1_li2": (2.0 * s12 + s21 - 2.0 * ZETA2 * s1) / m,
        "li3": (ZETA3 - ZETA2 * s1 + s12) / m,  # Li3(1-x)
        "s12": d3 / m,  # S12(1-x)
        "F": (8.0 * ZETA2 * s1 + 16.0 * s1m2 - 8.0 * sm3) / m,
        "H": sm2 / m,
    }


def _hg_2_const(n: Complex, sums: Sums | None = None) -> Complex:
    """A_Hg^S,(2)(L=0) for h+: exact Mellin transform of BMSN Eq. (B.3).

    (B.3) with its 16 -> 16x misprint corrected (checked by momentum conservation at N = 2);
    the same quantity in harmonic sums: Bierenbaum-Blumlein-Klein 0901.0669.
    """
    bs = {k: _hg_basis(n + k, sums if k == 0 else None) for k in (-1, 0, 1, 2)}

    def m(poly: dict[int, float], f: str) -> Complex:
        """M[sum_k c_k x^k f]."""
        return sum(c * bs[k][f] for k, c in poly.items())

    p1 = {0: 1.0, 1: -2.0, 2: 2.0}  # 1 - 2x + 2x^2
    cf = (
        8.0 * ZETA3 * m(p1, "1")
        + 4.0 / 3.0 * m(p1, "l13")
        - 8.0 * m(p1, "l1_li2")
        + 8.0 * ZETA2 * m(p1, "lz")
        - 4.0 * m(p1, "lz_l12")
        + 2.0 / 3.0 * m(p1, "lz3")
        - 8.0 * m(p1, "lz_li2")
        + 8.0 * m(p1, "li3")
        - 24.0 * m(p1, "s12")
        - m({0: 4.0, 1: 96.0, 2: -64.0}, "li2")
        - ZETA2 * m({0: 4.0, 1: -48.0, 2: 40.0}, "1")
        - m({0: 8.0, 1: 48.0, 2: -24.0}, "lz_l1")
        + m({0: 4.0, 1: 8.0, 2: -12.0}, "l12")
        - m({0: 1.0, 1: 12.0, 2: -20.0}, "lz2")
        - m({1: 52.0, 2: -48.0}, "l1")
        - m({0: 16.0, 1: 18.0, 2: 48.0}, "lz")
        + m({0: 26.0, 1: -82.0, 2: 80.0}, "1")
        + m({2: -16.0 * ZETA2}, "lz")
        + m({2: 4.0 / 3.0}, "lz3")
        + m({2: 16.0}, "lz_li2")
        + m({2: 32.0}, "s12")
    )
    ca = (
        -4.0 / 3.0 * m(p1, "l13")
        + 8.0 * m(p1, "l1_li2")
        - 8.0 * m(p1, "li3")
        + m({0: 1.0, 1: 2.0, 2: 2.0}, "F")
        + m({0: 32.0, 1: 128.0}, "s12")
        + m({0: 16.0, 1: 64.0}, "lz_li2")
        - m({0: 4.0 / 3.0, 1: 8.0 / 3.0}, "lz3")
        + ZETA3 * m({0: 8.0, 1: -32.0, 2: 16.0}, "1")
        - ZETA2 * m({0: 16.0, 1: 64.0}, "lz")
        + m({1: 16.0, 2: 16.0}, "H")
        + m({-1: 32.0 / 3.0, 0: 12.0, 1: 64.0, 2: -272.0 / 3.0}, "li2")
        - ZETA2 * m({-1: 32.0 / 3.0, 0: 12.0, 1: 48.0, 2: -260.0 / 3.0}, "1")
        - m({2: 4.0}, "lz_l1")
        - m({0: 2.0, 1: 8.0, 2: -10.0}, "l12")
        + m({0: 2.0, 1: 8.0, 2: 46.0 / 3.0}, "lz2")
        + m({0: 4.0, 1: 16.0, 2: -16.0}, "l1")
        - m({0: 56.0 / 3.0, 1: 172.0 / 3.0, 2: 1600.0 / 9.0}, "lz")
        + m({-1: -448.0 / 27.0, 0: -4.0 / 3.0, 1: -628.0 / 3.0, 2: 6352.0 / 27.0}, "1")
    )
    return TR * (CF * cf + CA * ca)


# --- O(a_s^2): logarithms from the renormalisation-group equation ------------------------
#
# d A / d ln mu^2 = A Gamma^(nf)(a^(nf)) - Gamma^(nf+1)(a) A with a = a^(nf+1) and
# a^(nf) = a (1 - 4/3 T_R L a): with A^(1) = L B and B = Gamma_0^(nf) - Gamma_0^(nf+1),
#   A^(2)(L) = A^(2)(0) + L [Gamma_1^(nf) - Gamma_1^(nf+1)]
#              + L^2/2 [beta_0^(nf+1) B + B Gamma_0^(nf) - Gamma_0^(nf+1) B - 4/3 T_R Gamma_0^(nf)]
# in the (g, light q_i+, h+) basis, where h+ couples like one more light flavour.


def _module(order: int):
    if order == 0:
        from .anomalous_dimensions import as1 as mod
    else:
        from .anomalous_dimensions import as2 as mod
    return mod


def _gamma(order: int, n: Complex, nf: int) -> tuple[Complex, Complex]:
    """(gamma_ns+^(order), singlet matrix gamma^(order) [[qq, qg], [gq, gg]]) at nf."""
    mod = _module(order)
    return mod.gamma_nsp(n, nf), mod.gamma_singlet(n, nf)


def _lo(n: Complex, nf: int) -> dict[str, Complex]:
    ns, g = _gamma(0, n, nf)
    return {"ns": ns, "qg": g[..., 0, 1] / nf, "gq": g[..., 1, 0], "gg": g[..., 1, 1]}


def a_ns_2(n: Complex, L: float, nf: int, sums: Sums | None = None) -> Complex:
    """A_qq,H^NS,(2) (light quark, + and - alike at this order)."""
    res = _ns_2_const(n, sums)
    if L != 0.0:
        ns0 = _module(0).gamma_nsp(n, nf)
        d1 = _module(1).gamma_nsp(n, nf) - _module(1).gamma_nsp(n, nf + 1)
        res = res + L * d1 - 0.5 * _C * L**2 * ns0
    return res


def a_hq_2(n: Complex, L: float, nf: int, sums: Sums | None = None) -> Complex:
    """A_Hq^PS,(2) for h+, per unit of the light singlet Sigma."""
    res = _hq_2_const(n, sums)
    if L != 0.0:
        lo = _lo(n, nf)
        ns1, g1 = _gamma(1, n, nf + 1)
        ps1 = (g1[..., 0, 0] - ns1) / (nf + 1)
        res = res - L * ps1 - 0.5 * L**2 * lo["qg"] * lo["gq"]
    return res


def a_hg_2(n: Complex, L: float, nf: int, sums: Sums | None = None) -> Complex:
    """A_Hg^S,(2) for h+. Its L = 0 part depends on the nodes alone (not on nf): memoised by
    value per process (:mod:`.cache`), so the matchings of one run evaluate it once."""
    n = np.asarray(n)
    res = memo.get(("ome", "hg_2_const", nodes_key(n)), lambda: _hg_2_const(n, sums))
    if L != 0.0:
        lo = _lo(n, nf)
        qg1 = _gamma(1, n, nf + 1)[1][..., 0, 1] / (nf + 1)
        l2 = lo["qg"] * (lo["ns"] - lo["gg"] - beta_0(nf) + 2.0 * _C)
        res = res - L * qg1 + 0.5 * L**2 * l2
    return res


def a_gq_2(n: Complex, L: float, nf: int, sums: Sums | None = None) -> Complex:
    """A_gq,H^S,(2), per unit of the light singlet Sigma."""
    res = _gq_2_const(n, sums)
    if L != 0.0:
        lo = _lo(n, nf)
        d1 = _gamma(1, n, nf)[1][..., 1, 0] - _gamma(1, n, nf + 1)[1][..., 1, 0]
        res = res + L * d1 - _C * L**2 * lo["gq"]
    return res


def a_gg_2(n: Complex, L: float, nf: int, sums: Sums | None = None) -> Complex:
    """A_gg,H^S,(2)."""
    res = _gg_2_const(n, sums)
    if L != 0.0:
        lo = _lo(n, nf)
        d1 = _gamma(1, n, nf)[1][..., 1, 1] - _gamma(1, n, nf + 1)[1][..., 1, 1]
        l2 = -_C * (beta_0(nf) - 2.0 * _C + lo["gg"]) + lo["gq"] * lo["qg"]
        res = res + L * d1 + 0.5 * L**2 * l2
    return res


# --- assembly ----------------------------------------------------------------------------

SECTORS = ("ns", "gg", "gq", "gh", "hg", "hq", "hh_p", "hh_m")
"""Keys of :func:`ome_sectors`: light non-singlet, (g, Sigma, h+) entries, h+ and h- diagonals."""


def ome_sectors(
    order: int,
    n: Complex,
    nf: int,
    a_s: float,
    L: float,
    intrinsic: bool = False,
    ln_xir2: float = 0.0,
) -> dict[str, Complex]:
    """The matching nf -> nf+1 in N space, to O(a_s^(order-1)), split by flavour sector.

    ``order``: evolution order (1 LO, 2 NLO, 3 NNLO); ``a_s`` = a_s^(nf+1)(mu_h^2);
    ``L`` = ln(mu_h^2/m_h^2); ``intrinsic``: the heavy quark may be non-zero below threshold
    (else its column is the identity, which keeps the matrix invertible).
    ``ln_xir2`` = ln(mu_R^2/mu_h^2): then ``a_s`` = a_s^(nf+1)(mu_R^2) and the OMEs are
    re-expanded in it, A^(2) -> A^(2) + beta_0^(nf+1) ln_xir2 A^(1) (:func:`reexpand_ome`;
    the PEGASUS convention of hep-ph/0408244, as in the LHA tables hep-ph/0511119 Sec. 4.4).
    Entries act as g' = gg g + gq Sigma + gh h+, h+' = hg g + hq Sigma + hh_p h+,
    h-' = hh_m h-, light q_i' = ns q_i (quarks and antiquarks alike).
    """
    n = np.asarray(n, dtype=complex)
    one, zero = np.ones_like(n), np.zeros_like(n)
    out = {"ns": one, "gg": one, "gq": zero, "gh": zero, "hg": zero, "hq": zero}
    out["hh_p"] = one
    sums = harmonic_sums(n) if order >= 3 or (order >= 2 and intrinsic) else None
    if order >= 2:
        out["gg"] = out["gg"] + a_s * a_gg_1(n, L)
        out["hg"] = out["hg"] + a_s * a_hg_1(n, L)
        if intrinsic:
            out["hh_p"] = out["hh_p"] + a_s * a_hh_1(n, L, sums)
            out["gh"] = out["gh"] + a_s * a_gh_1(n, L)
    if order >= 3:
        a2 = a_s**2
        out["ns"] = out["ns"] + a2 * a_ns_2(n, L, nf, sums)
        out["hq"] = out["hq"] + a2 * a_hq_2(n, L, nf, sums)
        out["hg"] = out["hg"] + a2 * a_hg_2(n, L, nf, sums)
        out["gq"] = out["gq"] + a2 * a_gq_2(n, L, nf, sums)
        out["gg"] = out["gg"] + a2 * a_gg_2(n, L, nf, sums)
        if ln_xir2 != 0.0:
            # a_s^(nf+1)(mu_h^2) = a (1 + beta_0^(nf+1) ln_xir2 a) + O(a^3), a at mu_R^2
            shift = a2 * beta_0(nf + 1) * ln_xir2
            out["gg"] = out["gg"] + shift * a_gg_1(n, L)
            out["hg"] = out["hg"] + shift * a_hg_1(n, L)
            if intrinsic:
                out["hh_p"] = out["hh_p"] + shift * a_hh_1(n, L, sums)
                out["gh"] = out["gh"] + shift * a_gh_1(n, L)
    out["hh_m"] = out["hh_p"]
    return out


def first_order_sectors(
    order: int, n: Complex, a_s: float, gg_1: Complex, hg_1: Complex
) -> dict[str, Complex]:
    """A matching with only the O(a_s) gluon entries, in the layout of :func:`ome_sectors`.

    The identity plus, from ``order`` 2 on, a_s gg_1 on gg and a_s hg_1 on hg (the polarised
    and time-like matchings of :mod:`.ome_polarized` and :mod:`.ome_time_like`).
    """
    n = np.asarray(n, dtype=complex)
    one, zero = np.ones_like(n), np.zeros_like(n)
    out = {k: zero for k in SECTORS} | {"ns": one, "gg": one, "hh_p": one, "hh_m": one}
    if order >= 2:
        out["gg"] = one + a_s * gg_1
        out["hg"] = a_s * hg_1
    return out


def reexpand_ome(coefficients: list, nf: int, ln_xir2: float) -> list:
    """[A^(0), A^(1), ...] re-expanded from a_s^(nf+1)(mu_h^2) to a_s^(nf+1)(mu_R^2).

    sum_j a_F^j A^(j) = sum_j a_R^j Abar^(j) up to the truncation order, with
    a_F/a_R = 1 + beta_0 L a_R + (beta_1 L + beta_0^2 L^2) a_R^2 + ..., L = ln_xir2, beta at
    nf+1 (:func:`ekodask.physics.scale_variation.coupling_ratio_series`); e.g.
    Abar^(2) = A^(2) + beta_0 L A^(1). Same shapes as the input (any array type).
    """
    return reexpand(coefficients, coupling_ratio_series(nf + 1, ln_xir2, len(coefficients)), 0)
