"""DGLAP solutions at fixed nf between a0 = a_s(start) and a1 = a_s(end), one function each.

Solves d E/d a_s = gamma(a_s)/beta(a_s) E, gamma(a) = sum_k a^(k+1) gamma^(k), beta(a) =
sum_k beta_k a^(k+2), both truncated at the working order (1 = LO .. 4 = N3LO). ``gamma``:
non-singlet (order,) + n.shape, singlet (order,) + n.shape + (2, 2) as [[qq, qg], [gq, gg]].
Definitions as eko's methods of the same name (eko paper 2202.02338 Sec. 3; its documentation
doc/source/theory/DGLAP.rst; eko 0.15.7's kernels read as the definition where the text is
ambiguous) and Vogt's PEGASUS, hep-ph/0408244 Sec. 2 (IMODEV 1, 2, 3); one method of
ekodask's own, :func:`singlet_iterate_magnus4`.
All return E(a1 <- a0), shape n.shape (+ (2, 2)).
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .beta import b as b_coeff
from .beta import beta as beta_coeff
from .evolution_integrals import j_exact, j_expanded
from .linalg import mul_2x2

__all__ = [
    "expm_2x2",
    "ns_exact",
    "ns_expanded",
    "ns_ordered_truncated",
    "ns_truncated",
    "singlet_decompose_exact",
    "singlet_decompose_expanded",
    "singlet_iterate",
    "singlet_iterate_magnus4",
    "singlet_lo",
    "singlet_perturbative_exact",
    "singlet_perturbative_expanded",
    "singlet_truncated",
    "u_matrices",
]

CArray = NDArray[np.complex128]


def expm_2x2(m: CArray) -> CArray:
    """exp of 2x2 matrices (..., 2, 2) in closed form.

    e^(tr/2) [cosh s + sinh(s)/s (M - tr/2)], s^2 = -det(M - tr/2) (Cayley-Hamilton); cosh s
    and sinh s from the real functions of Re s and Im s (2.5x faster than the complex ones).
    """
    a, b, c, e = m[..., 0, 0], m[..., 0, 1], m[..., 1, 0], m[..., 1, 1]
    half_tr = 0.5 * (a + e)
    d = a - half_tr
    s = np.sqrt(d * d + b * c)
    x, y = s.real, s.imag
    cos_y, sin_y = np.cos(y), np.sin(y)
    cosh_x, sinh_x = np.cosh(x), np.sinh(x)
    ch = np.empty_like(s)
    ch.real, ch.imag = cosh_x * cos_y, sinh_x * sin_y
    sh = np.empty_like(s)
    sh.real, sh.imag = sinh_x * cos_y, cosh_x * sin_y
    small = np.abs(s) < 1e-4
    s2 = s * s
    shc = np.where(small, 1.0 + s2 / 6.0 + s2 * s2 / 120.0, sh / np.where(small, 1.0, s))
    scale = np.exp(half_tr)
    ch *= scale
    shc *= scale
    out = np.empty_like(m)
    out[..., 0, 0] = ch + shc * d
    out[..., 1, 1] = ch - shc * d
    out[..., 0, 1] = shc * b
    out[..., 1, 0] = shc * c
    return out


def _inv_2x2(m: CArray) -> CArray:
    det = m[..., 0, 0] * m[..., 1, 1] - m[..., 0, 1] * m[..., 1, 0]
    out = np.empty_like(m)
    out[..., 0, 0], out[..., 1, 1] = m[..., 1, 1], m[..., 0, 0]
    out[..., 0, 1], out[..., 1, 0] = -m[..., 0, 1], -m[..., 1, 0]
    return out / det[..., None, None]


def _is_matrix(gamma: NDArray) -> bool:
    return gamma.ndim >= 3 and gamma.shape[-2:] == (2, 2)


def _r_coefficients(gamma: NDArray, nf: int, n_terms: int, exact: bool) -> list:
    """R_k of gamma(a)/(a beta(a)) = (1/a) sum_k a^k R_k (hep-ph/0408244 Sec. 2), k < n_terms.

    For k >= order: the beta recursion R_k = -sum_i b_i R_(k-i) if ``exact``, else zero
    (eko's perturbative-exact / perturbative-expanded, DGLAP.rst).
    """
    order = gamma.shape[0]
    bs = [b_coeff(i, nf) for i in range(order)]
    r: list = []
    for k in range(n_terms):
        if k >= order and not exact:
            r.append(np.zeros_like(gamma[0]))
            continue
        rk = gamma[k] / beta_coeff(0, nf) if k < order else np.zeros_like(gamma[0])
        for i in range(1, min(k, order - 1) + 1):
            rk = rk - bs[i] * r[k - i]
        r.append(rk)
    return r


def _eigen_projectors(r0: CArray) -> tuple[CArray, CArray, CArray, CArray]:
    """Eigenvalues r+, r- and projectors e+, e- of 2x2 matrices (hep-ph/0408244 Sec. 2)."""
    half_tr = 0.5 * (r0[..., 0, 0] + r0[..., 1, 1])
    d = r0[..., 0, 0] - half_tr
    s = np.sqrt(d * d + r0[..., 0, 1] * r0[..., 1, 0])
    rp, rm = half_tr + s, half_tr - s
    eye = np.eye(2)
    ep = (r0 - rm[..., None, None] * eye) / (rp - rm)[..., None, None]
    return rp, rm, ep, eye - ep


def u_matrices(gamma: ArrayLike, nf: int, n_terms: int, exact: bool = True) -> list:
    """U_0 = 1, U_1 .. U_(n_terms-1) of U(a) = sum_k a^k U_k (hep-ph/0408244 Sec. 2).

    Solves [U_k, R_0] = R'_k - k U_k, R'_k = R_k + sum_{j=1}^{k-1} R_(k-j) U_j; scalars for the
    non-singlet (U_k = R'_k / k), 2x2 matrices via the eigenprojectors of R_0 for the singlet.
    ``exact``: R_k beyond the order from the beta recursion (else zero), see _r_coefficients.
    """
    gamma = np.asarray(gamma, dtype=complex)
    r = _r_coefficients(gamma, nf, n_terms, exact)
    matrix = _is_matrix(gamma)
    if matrix:
        rp, rm, ep, em = _eigen_projectors(r[0])
        ones = np.broadcast_to(np.eye(2), r[0].shape).astype(complex)
    else:
        ones = np.ones_like(r[0], dtype=complex)
    u = [ones]
    for k in range(1, n_terms):
        rk = r[k]
        for j in range(1, k):
            rk = rk + (r[k - j] @ u[j] if matrix else r[k - j] * u[j])
        if matrix:
            diff = (rm - rp)[..., None, None]
            uk = (em @ rk @ em + ep @ rk @ ep) / k
            uk = uk + ep @ rk @ em / (k + diff) + em @ rk @ ep / (k - diff)
        else:
            uk = rk / k
        u.append(uk)
    return u


def _u_sum(u: list, a: float) -> CArray:
    return sum(a**k * uk for k, uk in enumerate(u))


def _inverse_series(u: list, matrix: bool) -> list:
    """(U^-1)_0 = 1, (U^-1)_m = -sum_{k=1}^m U_k (U^-1)_(m-k), the series of U(a)^-1."""
    uinv = [u[0]]
    for m in range(1, len(u)):
        uinv.append(
            -sum((u[k] @ uinv[m - k] if matrix else u[k] * uinv[m - k]) for k in range(1, m + 1))
        )
    return uinv


def _truncated(gamma: CArray, nf: int, a1: float, a0: float, e_lo: CArray) -> CArray:
    """U(a1) E_LO U(a0)^-1 truncated in a: sum over i + j < order of a1^i a0^j U_i E_LO (U^-1)_j.

    The strict truncation at total power a^(order-1) (eko DGLAP.rst, NLO..N3LO).
    """
    order = gamma.shape[0]
    matrix = _is_matrix(gamma)

    def mul(x: CArray, y: CArray) -> CArray:
        return x @ y if matrix else x * y

    u = u_matrices(gamma, nf, order, exact=False)
    uinv = _inverse_series(u, matrix)
    out = e_lo
    for m in range(1, order):
        out = out + sum(
            a1**i * a0 ** (m - i) * mul(mul(u[i], e_lo), uinv[m - i]) for i in range(m + 1)
        )
    return out


def _lo_exponent(gamma: CArray, nf: int, a1: float, a0: float) -> CArray:
    return gamma[0] * j_exact(0, 1, nf, a1, a0)


# ---------------------------------------------------------------- non-singlet


def ns_exact(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """exp(sum_k gamma^(k) j^(k,order-1)): the exact solution (eko ``*-exact``; IMODEV = 1)."""
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    return np.exp(sum(gamma[k] * j_exact(k, order, nf, a1, a0) for k in range(order)))


def ns_expanded(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """exp(sum_k gamma^(k) j^(k,n)_exp), expanded integrals (eko ``*-expanded``; IMODEV = 2)."""
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    return np.exp(sum(gamma[k] * j_expanded(k, order, nf, a1, a0) for k in range(order)))


def ns_truncated(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """E_LO [1 + U1 (a1 - a0) + a1^2 U2 - a1 a0 U1^2 + a0^2 (U1^2 - U2) + ...] (eko truncated).

    The whole exponential expanded to total power a^(order-1) (eko DGLAP.rst, NLO..N3LO).
    """
    gamma = np.asarray(gamma, dtype=complex)
    return _truncated(gamma, nf, a1, a0, np.exp(_lo_exponent(gamma, nf, a1, a0)))


def ns_ordered_truncated(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """E_LO (sum_{k<order} a1^k U_k) / (sum_{k<order} a0^k U_k) (eko; IMODEV = 3)."""
    gamma = np.asarray(gamma, dtype=complex)
    u = u_matrices(gamma, nf, gamma.shape[0], exact=False)
    e_lo = np.exp(_lo_exponent(gamma, nf, a1, a0))
    return e_lo * _u_sum(u, a1) / _u_sum(u, a0)


# ---------------------------------------------------------------- singlet


def singlet_lo(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """exp(gamma^(0) ln(a1/a0)/beta_0): the exact LO solution, used by every method at LO."""
    gamma = np.asarray(gamma, dtype=complex)
    return expm_2x2(_lo_exponent(gamma, nf, a1, a0))


def singlet_iterate(
    gamma: ArrayLike, nf: int, a1: float, a0: float, ev_op_iterations: int = 10
) -> CArray:
    """eko's ``iterate-exact`` (= ``iterate-expanded``): path-ordered product of midpoint steps.

    Step edges geometric in a_s (eko 0.15.7 kernels/singlet.py; DGLAP.rst writes equal Delta
    a_s), each step exp(gamma(a_h)/beta(a_h) (a_hi - a_lo)) at a_h = (a_lo + a_hi)/2, later
    steps to the left (Bonvini 1212.0480). A second-order rule: error ~ 1/ev_op_iterations^2.
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    betas = [beta_coeff(i, nf) for i in range(order)]
    out = None
    for lo, hi in itertools.pairwise(np.geomspace(a0, a1, ev_op_iterations + 1)):
        ah = 0.5 * (lo + hi)
        g = sum(ah ** (k + 1) * gamma[k] for k in range(order))
        step = expm_2x2(g * ((hi - lo) / sum(betas[i] * ah ** (i + 2) for i in range(order))))
        out = step if out is None else mul_2x2(step, out)
    return out


# 2-point Gauss-Legendre nodes on [0, 1] for the fourth-order Magnus step
_GL2 = (0.5 - np.sqrt(3.0) / 6.0, 0.5 + np.sqrt(3.0) / 6.0)


def singlet_iterate_magnus4(
    gamma: ArrayLike, nf: int, a1: float, a0: float, ev_op_iterations: int = 10
) -> CArray:
    """ekodask's ``iterate-magnus4``: path-ordered product of fourth-order Magnus steps.

    ``ev_op_iterations`` steps uniform in s = ln a_s of the generator A(s) = a gamma(a)/beta(a),
    each exp(h/2 (A1 + A2) + sqrt(3)/12 h^2 [A2, A1]) with A1, A2 at the two Gauss points
    (Blanes, Casas, Oteo, Ros, 0810.5488, Sec. 2 and 4). Error ~ 1/ev_op_iterations^4.
    A(a) = sum_k c_k(a) gamma^(k) with scalar c_k = a^(k+1) / sum_i beta_i a^(i+1), so every
    step's exponent is a real combination of the gamma^(k) and of their commutators
    [gamma^(k), gamma^(l)] (k < l), made once: all exponents in one matrix product.
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    betas = [beta_coeff(i, nf) for i in range(order)]
    pairs = list(itertools.combinations(range(order), 2))

    def coefficients(a: NDArray[np.float64]) -> NDArray[np.float64]:
        # c_k(a) for every step: (steps, order)
        powers = a[:, None] ** (np.arange(order)[None, :] + 1)
        return powers / (powers @ np.asarray(betas))[:, None]

    edges = np.geomspace(a0, a1, ev_op_iterations + 1)
    lo, h = edges[:-1], np.log(edges[1:] / edges[:-1])
    c1 = coefficients(lo * np.exp(_GL2[0] * h))
    c2 = coefficients(lo * np.exp(_GL2[1] * h))
    weights = [0.5 * h[:, None] * (c1 + c2)]
    mats = [gamma]
    if pairs:
        # [A2, A1] = sum_(k<l) (c2_k c1_l - c2_l c1_k) [gamma_k, gamma_l]
        k, l = np.array(pairs).T
        weights.append(
            (np.sqrt(3.0) / 12.0) * (h * h)[:, None] * (c2[:, k] * c1[:, l] - c2[:, l] * c1[:, k])
        )
        mats.append(
            np.stack([mul_2x2(gamma[i], gamma[j]) - mul_2x2(gamma[j], gamma[i]) for i, j in pairs])
        )
    basis = np.concatenate(mats)  # (terms, ..., 2, 2)
    coeff = np.concatenate(weights, axis=1)  # (steps, terms)
    omega = (coeff.astype(complex) @ basis.reshape(basis.shape[0], -1)).reshape(
        (len(h), *basis.shape[1:])
    )
    steps = expm_2x2(omega)
    out = steps[0]
    for step in steps[1:]:
        out = mul_2x2(step, out)
    return out


def singlet_decompose_exact(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """exp(sum_k gamma^(k) j^(k,n)) as one matrix: commutators neglected (eko decompose-exact)."""
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    return expm_2x2(sum(gamma[k] * j_exact(k, order, nf, a1, a0) for k in range(order)))


def singlet_decompose_expanded(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """exp(sum_k gamma^(k) j^(k,n)_exp) as one matrix (eko decompose-expanded)."""
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    return expm_2x2(sum(gamma[k] * j_expanded(k, order, nf, a1, a0) for k in range(order)))


def _singlet_perturbative(
    gamma: CArray,
    nf: int,
    a1: float,
    a0: float,
    ev_op_iterations: int,
    ev_op_max_order: int,
    exact: bool,
) -> CArray:
    u = u_matrices(gamma, nf, ev_op_max_order, exact=exact)
    out = None
    for lo, hi in itertools.pairwise(np.geomspace(a0, a1, ev_op_iterations + 1)):
        hi_step = mul_2x2(_u_sum(u, hi), expm_2x2(_lo_exponent(gamma, nf, hi, lo)))
        step = mul_2x2(hi_step, _inv_2x2(_u_sum(u, lo)))
        out = step if out is None else mul_2x2(step, out)
    return out


def singlet_perturbative_exact(
    gamma: ArrayLike,
    nf: int,
    a1: float,
    a0: float,
    ev_op_iterations: int = 10,
    ev_op_max_order: int = 10,
) -> CArray:
    """U(a1) E_LO U(a0)^-1, U = sum_{k < ev_op_max_order} a^k U_k, R_k by the beta recursion.

    eko's perturbative-exact (DGLAP.rst; hep-ph/0408244 Sec. 2), as eko applied per step on
    ``ev_op_iterations`` steps geometric in a_s (the steps cancel exactly in U U^-1).
    """
    gamma = np.asarray(gamma, dtype=complex)
    return _singlet_perturbative(gamma, nf, a1, a0, ev_op_iterations, ev_op_max_order, True)


def singlet_perturbative_expanded(
    gamma: ArrayLike,
    nf: int,
    a1: float,
    a0: float,
    ev_op_iterations: int = 10,
    ev_op_max_order: int = 10,
) -> CArray:
    """As :func:`singlet_perturbative_exact` with R_k = 0 beyond the order (perturbative-expanded).

    Solves dE/da = (1/a) sum_{k<order} a^k R_k E exactly as ev_op_max_order grows.
    """
    gamma = np.asarray(gamma, dtype=complex)
    return _singlet_perturbative(gamma, nf, a1, a0, ev_op_iterations, ev_op_max_order, False)


def singlet_truncated(gamma: ArrayLike, nf: int, a1: float, a0: float) -> CArray:
    """eko's singlet ``truncated`` (= ``ordered-truncated``): U(a1) E_LO U(a0)^-1 truncated.

    E_LO + a1 U1 E_LO - a0 E_LO U1 + a1^2 U2 E_LO - a1 a0 U1 E_LO U1 + a0^2 E_LO (U1^2 - U2) + ...
    at total power a^(order-1), as eko DGLAP.rst writes it (NLO..N3LO); hep-ph/0408244 Sec. 2.
    eko 0.15.7's kernels/singlet.py evaluates something else from NNLO on, in its operators too
    (measured per N through its quad_ker): its in-place sum makes the O(a^2) terms act on
    E_LO + O(a) instead of E_LO. That form has singularities right of N = 1, so its x-space
    operator depends on the Mellin contour; this one does not (tests/benchmarks/
    test_methods_eko.py reproduces eko's operator from the running-sum form on eko's contour).
    """
    gamma = np.asarray(gamma, dtype=complex)
    e_lo = expm_2x2(_lo_exponent(gamma, nf, a1, a0))
    return _truncated(gamma, nf, a1, a0, e_lo)
