"""High-precision reference for single x-space operator entries of LO DGLAP evolution.

Independent of ekodask's inversion (:mod:`ekodask.mellin`), kernels and basis code: everything
here is mpmath at ``dps`` digits (default 40) and written from the textbook formulas.

- Kernels, one fixed-nf LO segment, a_s = alpha_s/(4 pi), d a_s/d ln mu^2 = -beta_0 a_s^2,
  beta_0 = 11/3 C_A - 4/3 T_R nf: E(N) = exp(P~(N) ln(a0/a1)/beta_0), P~ the Mellin moments of
  the LO splitting functions (d f/d ln mu^2 = a_s P (x) f). Unpolarised: Altarelli-Parisi,
  Nucl. Phys. B126 (1977) 298 (e.g. Ellis-Stirling-Webber Eq. (4.94)); polarised: the same paper's
  Delta P (Delta P_qg = 2 nf T_R (2x - 1), Delta P_gq = C_F (2 - x),
  Delta P_gg = 2 C_A (1/(1-x)_+ - 2x + 1) + delta(1-x) beta_0/2; Vogelsang hep-ph/9512218
  Eq. (9)). The 2x2 singlet exponential in closed form, exp(M) = e^m (cosh s + sinh s / s
  (M - m)), m = tr M / 2, s^2 = m^2 - det M (even in s: no branch choice).
- Basis: piecewise Lagrange polynomials in ln x of degree d; on area (x_i, x_(i+1)] the block of
  d + 1 points starting at clip(i - (d - 1) // 2, 0, nx - 1 - d) (the definition of
  ekodask/interpolation.py and eko, arXiv:2202.02338 Sec. 2, re-implemented here).
- Operator entry, (k (x) p_b)(x_a) = int_(x_a)^1 dy/y k(x_a/y) p_b(y), as a Mellin inverse:
  O[a, b] = (1/2 pi i) int_C E(N) T_ab(N) dN, T_ab(N) = int_(x_a)^1 (y/x_a)^N p_b(y) dy/y in
  closed form (integration by parts, exact for polynomials in ln y), with the term of the lower
  edge y = x_a dropped: it is sum_k c_k/N^(k+1) times E(N) = o(1/|N|), analytic right of C, so
  its integral vanishes (close C to the right). Every term left carries exp(N tau), tau > 0.
- Contour: the parabola N(u) = sigma + mu (1 + i u)^2, u real, crossing the real axis at
  sigma + mu right of the rightmost singularity, its arms going to Re N -> -inf, where every
  term decays like exp(-mu u^2 tau); O = (1/pi) int_0^inf Im[E T N'] du (real analyticity),
  integrated by mpmath Gauss-Legendre on unit pieces up to where the integrand is below
  10^-(dps + 5). A contour family of its own (Talbot's is ekodask's and eko's); the tests vary
  sigma, mu and dps (:func:`operator_entries` with other ``shape``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import mpmath as mp

CF = mp.mpf(4) / 3
CA = mp.mpf(3)
TR = mp.mpf(1) / 2

SECTORS = ("ns", "qq", "qg", "gq", "gg")
"""Entries computed: the non-singlet, and the singlet (Sigma, g) matrix [[qq, qg], [gq, gg]]."""


def beta0(nf: int) -> mp.mpf:
    """beta_0 for a_s = alpha_s / (4 pi)."""
    return 11 * CA / 3 - 4 * TR * nf / 3


def a_s_lo(a0: float, nf: int, mu2_from: float, mu2_to: float) -> mp.mpf:
    """The LO running coupling a_s = alpha_s/(4 pi), closed form."""
    a0 = mp.mpf(a0)
    return a0 / (1 + beta0(nf) * a0 * mp.log(mp.mpf(mu2_to) / mp.mpf(mu2_from)))


def _s1(n):
    return mp.digamma(n + 1) + mp.euler


def splitting_lo(n, nf: int, polarized: bool) -> tuple:
    """(P_ns, P_qq, P_qg, P_gq, P_gg) Mellin moments for a_s = alpha_s/(4 pi), at complex N.

    P_qq = P_ns at LO; P_qg acts on the gluon into Sigma (2 nf flavours), P_gq on Sigma.
    """
    s1 = _s1(n)
    qq = 2 * CF * (mp.mpf(3) / 2 + 1 / (n * (n + 1)) - 2 * s1)
    half_beta = 11 * CA / 6 - 2 * TR * nf / 3
    if polarized:
        qg = 2 * 2 * nf * TR * (n - 1) / (n * (n + 1))
        gq = 2 * CF * (n + 2) / (n * (n + 1))
        gg = 2 * (2 * CA * (-s1 + 2 / (n * (n + 1))) + half_beta)
    else:
        qg = 2 * 2 * nf * TR * (n * n + n + 2) / (n * (n + 1) * (n + 2))
        gq = 2 * CF * (n * n + n + 2) / (n * (n * n - 1))
        gg = 2 * (2 * CA * (1 / (n * (n - 1)) + 1 / ((n + 1) * (n + 2)) - s1) + half_beta)
    return qq, qq, qg, gq, gg


def kernel_lo(n, nf: int, a0, a1, polarized: bool) -> tuple:
    """(E_ns, E_qq, E_qg, E_gq, E_gg) of one LO segment from a0 to a1 at complex N."""
    ell = mp.log(mp.mpf(a0) / mp.mpf(a1)) / beta0(nf)
    pns, qq, qg, gq, gg = splitting_lo(n, nf, polarized)
    m = (qq + gg) * ell / 2
    d11, d22 = qq * ell - m, gg * ell - m  # M - m, traceless
    s2 = d11 * d11 + qg * gq * ell * ell
    s = mp.sqrt(s2)
    if abs(s) < mp.mpf(10) ** (-mp.mp.dps // 3):
        ch, shs = 1 + s2 / 2 + s2 * s2 / 24, 1 + s2 / 6 + s2 * s2 / 120
    else:
        ch, shs = mp.cosh(s), mp.sinh(s) / s
    em = mp.exp(m)
    return (
        mp.exp(pns * ell),
        em * (ch + shs * d11),
        em * shs * qg * ell,
        em * shs * gq * ell,
        em * (ch + shs * d22),
    )


def _block_start(i: int, nx: int, degree: int) -> int:
    return min(max(i - (degree - 1) // 2, 0), nx - 1 - degree)


def _poly_from_roots(roots: Sequence, scale) -> list:
    """Ascending coefficients of prod (s - r) / scale."""
    coeffs = [mp.mpf(1)]
    for r in roots:
        coeffs = [mp.mpf(0), *coeffs]
        for k in range(len(coeffs) - 1):
            coeffs[k] -= r * coeffs[k + 1]
    return [c / scale for c in coeffs]


def _derivatives_at(coeffs: list, s) -> list:
    """(-1)^k P^(k)(s) for k = 0 .. deg."""
    out, deriv, sign = [], list(coeffs), 1
    while deriv:
        val = mp.mpf(0)
        for c in reversed(deriv):
            val = val * s + c
        out.append(sign * val)
        deriv = [k * deriv[k] for k in range(1, len(deriv))]
        sign = -sign
    return out


def basis_edges(
    xgrid: Sequence[float], degree: int, a: int, b: int, dps: int = 40, lower_edge: bool = False
) -> list[tuple]:
    """p_b on the areas above x_a as edge terms (s_e, [q_0, .., q_d]), s = ln(y / x_a).

    int_(x_a)^1 exp(N s) p_b dy/y = sum_e exp(N s_e) sum_k q_k / N^(k+1) + (lower-edge term at
    s = 0, left out: see the module docstring), by parts on each area: the antiderivative of
    exp(N s) P(s) is exp(N s) sum_k (-1)^k P^(k)(s) / N^(k+1); q_k collects the areas meeting
    at the edge (upper edge +, lower edge -). Computed at ``dps`` digits whatever the caller's
    precision (the q_k of narrow areas cancel: at 15 digits they are off by 1e-8 relative).
    ``lower_edge``: keep the term of y = x_a (the full transform of p_b above x_a, for checks of
    other codes that keep it; its integral vanishes only on a contour that is not cut).
    """
    with mp.workdps(dps):
        return _basis_edges(xgrid, degree, a, b, lower_edge)


def _basis_edges(xgrid: Sequence[float], degree: int, a: int, b: int, lower: bool) -> list[tuple]:
    nx = len(xgrid)
    t = [mp.log(mp.mpf(x)) for x in xgrid]
    edges: dict[int, list] = {}
    for i in range(a, nx - 1):
        start = _block_start(i, nx, degree)
        block = list(range(start, start + degree + 1))
        if b not in block:
            continue
        nodes = [t[j] - t[a] for j in block]
        others = [nodes[k] for k, j in enumerate(block) if j != b]
        coeffs = _poly_from_roots(others, mp.fprod(nodes[block.index(b)] - r for r in others))
        for e, sign in ((i + 1, 1), (i, -1)):
            if e == a and not lower:
                continue  # the lower edge y = x_a
            q = _derivatives_at(coeffs, t[e] - t[a])
            old = edges.setdefault(e, [mp.mpf(0)] * (degree + 1))
            edges[e] = [o + sign * v for o, v in zip(old, q, strict=True)]
    return [(t[e] - t[a], q) for e, q in sorted(edges.items())]


def truncated_transform(n, edges: Sequence[tuple]):
    """T_ab(N) = int_(x_a)^1 (y/x_a)^N p_b(y) dy/y without the lower-edge term at y = x_a."""
    inv = 1 / n
    out = mp.mpc(0)
    for s_e, q in edges:
        acc, p = mp.mpc(0), inv
        for qk in q:
            acc += qk * p
            p *= inv
        out += mp.exp(n * s_e) * acc
    return out


@dataclass(frozen=True)
class Shape:
    """Parabola N(u) = sigma + mu (1 + i u)^2, sigma = pole + delta, mu = kappa / (-ln x_a)."""

    delta: float = 0.5
    kappa: float = 2.0


_NODES: dict = {}


def _gauss_legendre(degree: int, prec: int) -> list:
    """mpmath's Gauss-Legendre rule on [-1, 1] with 3 * 2^(degree - 1) nodes (cached)."""
    key = (degree, prec)
    if key not in _NODES:
        _NODES[key] = mp.calculus.quadrature.GaussLegendre(mp.mp).calc_nodes(degree, prec)
    return _NODES[key]


def operator_entries(
    xgrid: Sequence[float],
    a: int,
    cols: Sequence[int],
    kernel,
    pole: float,
    *,
    degree: int = 4,
    dps: int = 40,
    shape: Shape = Shape(),
    rule: int = 4,
    tail_digits: int = 30,
) -> list[list[float]]:
    """O[a, b] for b in ``cols`` (rows) and each component of ``kernel(N)`` (columns).

    ``kernel(N)`` returns a tuple of mpc (e.g. :func:`kernel_lo` with its scales bound),
    analytic right of ``pole`` and o(1) as |N| -> inf there; a < nx - 1 (the last x is 1).
    The parabola is cut where exp(Re N (ln x_(a+1) - ln x_a)) < 10^-tail_digits and integrated
    on unit pieces of u by Gauss-Legendre with 3 * 2^(rule - 1) nodes each (checked by the
    callers varying ``shape``, ``dps`` and ``rule``).
    """
    with mp.workdps(dps):
        logx = [mp.log(mp.mpf(x)) for x in xgrid]
        tau_max = -logx[a]
        tau_min = logx[a + 1] - logx[a]
        sigma = mp.mpf(pole) + mp.mpf(shape.delta)
        mu = mp.mpf(shape.kappa) / tau_max
        u_max = mp.sqrt((sigma + mu + tail_digits * mp.log(10) / tau_min) / mu)
        edges = [mp.mpf(0)]
        while edges[-1] < u_max:
            edges.append(edges[-1] + 1)
        terms = [basis_edges(xgrid, degree, a, b, dps) for b in cols]

        def integrand(u) -> list[list]:
            n = sigma + mu * (1 + 1j * u) ** 2
            dn = 2j * mu * (1 + 1j * u)
            ker = kernel(n)
            out = []
            for edges_b in terms:
                tdn = truncated_transform(n, edges_b) * dn
                out.append([(k * tdn).imag for k in ker])
            return out

        def integral(level: int) -> list[list]:
            acc = None
            for lo, hi in itertools.pairwise(edges):
                half, mid = (hi - lo) / 2, (hi + lo) / 2
                for x, w in _gauss_legendre(level, mp.mp.prec + 20):
                    vals = integrand(mid + half * x)
                    if acc is None:
                        acc = [[mp.mpf(0)] * len(row) for row in vals]
                    for r, row in enumerate(vals):
                        for c, v in enumerate(row):
                            acc[r][c] += half * w * v
            return [[v / mp.pi for v in row] for row in acc]

        return [[float(v) for v in row] for row in integral(rule)]


def basis_value(xgrid: Sequence[float], degree: int, b: int, y) -> mp.mpf:
    """p_b(y) in x space (for checks by x-space quadrature); zero outside [x_0, 1]."""
    nx = len(xgrid)
    y = mp.mpf(y)
    if not mp.mpf(xgrid[0]) <= y <= 1:
        return mp.mpf(0)
    i = next(k for k in range(nx - 1) if y <= mp.mpf(xgrid[k + 1]))
    start = _block_start(i, nx, degree)
    block = list(range(start, start + degree + 1))
    if b not in block:
        return mp.mpf(0)
    t = [mp.log(mp.mpf(xgrid[j])) for j in block]
    ty, tb = mp.log(y), t[block.index(b)]
    return mp.fprod((ty - tj) / (tb - tj) for j, tj in zip(block, t, strict=True) if j != b)
