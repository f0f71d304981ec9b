"""Mellin-space solutions of DGLAP at fixed nf between a0 = a_s(start) and a1 = a_s(end).

d f~/d a_s = gamma(a_s) / beta(a_s) f~ with gamma(a) = sum_k a^(k+1) gamma^(k) and
beta(a) = sum_k beta_k a^(k+2) (both truncated at the working order; a_s = alpha_s/(4 pi),
gamma = -Mellin[P]). References: Vogt, hep-ph/0408244 (PEGASUS), Sec. 2 (non-singlet exact
solution, the U-matrix expansion of the singlet); Bonvini, 1212.0480 (the j-integrals).

``gamma`` arrays carry the order on the first axis: non-singlet (order,) + n.shape, singlet
(order,) + n.shape + (2, 2) as [[qq, qg], [gq, gg]]. ``order``: 1 = LO, 2 = NLO, 3 = NNLO.
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PhysicsError
from ..options import EVOLUTION_METHODS as METHODS
from ..options import MAX_ORDER
from .beta import b as b_coeff
from .beta import beta as beta_coeff

__all__ = [
    "METHODS",
    "expm_2x2",
    "gamma_xir",
    "j_exact",
    "non_singlet",
    "singlet",
    "u_matrices",
]

CArray = NDArray[np.complex128]


def j_exact(k: int, order: int, nf: int, a1: float, a0: float) -> float:
    """j^(k,n)(a1, a0) = int_a0^a1 a^(k+1) / sum_{i<=n} beta_i a^(i+2) da, n = order - 1.

    Closed forms by partial fractions of 1/(a^(1-k) (1 + b1 a + b2 a^2)) (hep-ph/0408244 Sec. 2;
    1212.0480), k < order <= 3.
    """
    if not 0 <= k < order <= 3:
        raise PhysicsError(f"j^({k},{order - 1}) is implemented for 0 <= k < order <= 3")
    b0 = beta_coeff(0, nf)
    j00 = np.log(a1 / a0) / b0
    if order == 1:
        return float(j00)
    b1 = b_coeff(1, nf)
    if order == 2:
        j11 = np.log1p(b1 * (a1 - a0) / (1.0 + b1 * a0)) / (b0 * b1)
        return float(j11 if k == 1 else j00 - b1 * j11)
    b2 = b_coeff(2, nf)
    # 1/(1 + b1 a + b2 a^2): arctan form; Delta is imaginary if 4 b2 < b1^2, delta/Delta stays real
    delta_sq = complex(4.0 * b2 - b1 * b1)
    root = np.sqrt(delta_sq)
    arg = root * (a1 - a0) / (2.0 + b1 * (a1 + a0) + 2.0 * b2 * a1 * a0)
    j12 = (2.0 * np.arctan(arg) / (root * b0)).real
    q1, q0 = 1.0 + a1 * (b1 + b2 * a1), 1.0 + a0 * (b1 + b2 * a0)
    j22 = np.log(q1 / q0) / (2.0 * b2 * b0) - b1 / (2.0 * b2) * j12
    return float((j00 - b1 * j12 - b2 * j22, j12, j22)[k])


def _r_coefficients(gamma: ArrayLike, nf: int, n_terms: int) -> list:
    """R_k of gamma(a)/(a beta(a)) = (1/a) sum_k a^k R_k (hep-ph/0408244 Sec. 2), k < n_terms.

    gamma and beta truncated at the order of ``gamma``; beyond it R_k follows the beta recursion.
    """
    gamma = np.asarray(gamma)
    order = gamma.shape[0]
    b0 = beta_coeff(0, nf)
    bs = [b_coeff(i, nf) for i in range(order)]
    r: list = []
    for k in range(n_terms):
        rk = gamma[k] / b0 if k < order else np.zeros_like(gamma[0])
        for i in range(1, min(k, order - 1) + 1):
            rk = rk - bs[i] * r[k - i]
        r.append(rk)
    return r


def expm_2x2(m: CArray) -> CArray:
    """exp of 2x2 matrices (..., 2, 2) in closed form.

    e^(tr/2) [cosh s + sinh(s)/s (M - tr/2)], s^2 = -det(M - tr/2) (Cayley-Hamilton).
    """
    half_tr = 0.5 * (m[..., 0, 0] + m[..., 1, 1])
    d = m[..., 0, 0] - half_tr
    s = np.sqrt(d * d + m[..., 0, 1] * m[..., 1, 0])
    small = np.abs(s) < 1e-4
    safe = np.where(small, 1.0, s)
    s2 = s * s
    shc = np.where(small, 1.0 + s2 / 6.0 + s2 * s2 / 120.0, np.sinh(safe) / safe)
    ch = np.cosh(s)
    out = np.empty_like(m)
    out[..., 0, 0] = ch + shc * d
    out[..., 1, 1] = ch - shc * d
    out[..., 0, 1] = shc * m[..., 0, 1]
    out[..., 1, 0] = shc * m[..., 1, 0]
    return np.exp(half_tr)[..., None, None] * out


def _check(order: int, method: str) -> None:
    if not 1 <= order <= MAX_ORDER:
        raise PhysicsError(f"evolution order {order}: expected 1 (LO) .. {MAX_ORDER}")
    if method not in METHODS:
        raise PhysicsError(f"method {method!r}: expected one of {METHODS}")


def _eigen_projectors(r0: CArray) -> tuple[CArray, CArray, CArray, CArray]:
    """Eigenvalues r+, r- and projectors e+, e- of 2x2 matrices (hep-ph/0408244 Sec. 2)."""
    half_tr = 0.5 * (r0[..., 0, 0] + r0[..., 1, 1])
    d = r0[..., 0, 0] - half_tr
    s = np.sqrt(d * d + r0[..., 0, 1] * r0[..., 1, 0])
    rp, rm = half_tr + s, half_tr - s
    eye = np.eye(2)
    ep = (r0 - rm[..., None, None] * eye) / (rp - rm)[..., None, None]
    return rp, rm, ep, eye - ep


def u_matrices(gamma: ArrayLike, nf: int, n_terms: int) -> list:
    """U_1..U_(n_terms-1) of U(a) = 1 + sum a^k U_k (hep-ph/0408244 Sec. 2).

    Solves [U_k, R_0] = R'_k - k U_k, R'_k = R_k + sum_{j=1}^{k-1} R_(k-j) U_j; scalars for the
    non-singlet (U_k = R'_k / k), 2x2 matrices via the eigenprojectors of R_0 for the singlet.
    Returned list starts with U_0 = 1.
    """
    gamma = np.asarray(gamma)
    r = _r_coefficients(gamma, nf, n_terms)
    matrix = gamma.ndim >= 3 and gamma.shape[-2:] == (2, 2)
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


def _truncated(gamma: CArray, nf: int, a1: float, a0: float, e_lo: CArray, matrix: bool) -> CArray:
    """U(a1) E_LO U(a0)^-1 expanded to order a^(order-1) (hep-ph/0408244 Sec. 2)."""
    order = gamma.shape[0]
    u = u_matrices(gamma, nf, order)

    def mul(x: CArray, y: CArray) -> CArray:
        return x @ y if matrix else x * y

    # U(a0)^-1 = 1 - a0 U1 + a0^2 (U1^2 - U2) + ...
    uinv = [u[0]]
    if order >= 2:
        uinv.append(-u[1])
    if order >= 3:
        uinv.append(mul(u[1], u[1]) - u[2])
    out = np.zeros_like(e_lo)
    for i in range(order):
        for j in range(order - i):
            out = out + a1**i * a0**j * mul(mul(u[i], e_lo), uinv[j])
    return out


def non_singlet(
    gamma: ArrayLike, nf: int, a1: float, a0: float, method: str = "iterate-exact"
) -> CArray:
    """Non-singlet E~(N); gamma: (order,) + n.shape -> n.shape.

    iterate-exact: exp(sum_k gamma^(k) j^(k,order-1)), the exact solution;
    truncated: E_LO [1 + (a1 - a0) U1 + ...] (commuting U_k), hep-ph/0408244 Sec. 2.
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    _check(order, method)
    if method == "iterate-exact":
        ln_e = sum(gamma[k] * j_exact(k, order, nf, a1, a0) for k in range(order))
        return np.exp(ln_e)
    e_lo = np.exp(gamma[0] * j_exact(0, 1, nf, a1, a0))
    return _truncated(gamma, nf, a1, a0, e_lo, matrix=False)


# 2-point Gauss-Legendre nodes on [0, 1] for the fourth-order Magnus step
_GL2 = (0.5 - np.sqrt(3.0) / 6.0, 0.5 + np.sqrt(3.0) / 6.0)


def singlet(
    gamma: ArrayLike,
    nf: int,
    a1: float,
    a0: float,
    method: str = "iterate-exact",
    ev_op_iterations: int = 10,
) -> CArray:
    """Singlet E~(N), gamma: (order,) + n.shape + (2, 2) -> n.shape + (2, 2).

    iterate-exact: path-ordered product of ``ev_op_iterations`` steps uniform in ln a_s, each
    the fourth-order Magnus exponential (two Gauss points and one commutator; Blanes, Casas,
    Oteo, Ros, 0810.5488) of the generator A(s) = a gamma(a)/beta(a) in s = ln a; at LO the
    single exact exponential. truncated: U(a1) E_LO U(a0)^-1 expanded to the working order
    (hep-ph/0408244 Sec. 2).
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    _check(order, method)
    j00 = j_exact(0, 1, nf, a1, a0)
    if order == 1 or a1 == a0:
        e_lo = expm_2x2(gamma[0] * j00)
        return (
            e_lo
            if method == "iterate-exact" or order == 1
            else _truncated(gamma, nf, a1, a0, e_lo, matrix=True)
        )
    if method == "truncated":
        return _truncated(gamma, nf, a1, a0, expm_2x2(gamma[0] * j00), matrix=True)
    if ev_op_iterations < 1:
        raise PhysicsError(f"ev_op_iterations = {ev_op_iterations}: expected >= 1")
    betas = [beta_coeff(i, nf) for i in range(order)]

    def generator(a: float) -> CArray:
        # d f/d ln a = a gamma(a) / beta(a) f
        g = sum(a ** (k + 1) * gamma[k] for k in range(order))
        return g / sum(betas[i] * a ** (i + 1) for i in range(order))

    edges = np.geomspace(a0, a1, ev_op_iterations + 1)
    out = None
    for lo, hi in itertools.pairwise(edges):
        h = np.log(hi / lo)
        g1 = generator(lo * np.exp(_GL2[0] * h))
        g2 = generator(lo * np.exp(_GL2[1] * h))
        omega = 0.5 * h * (g1 + g2) + (np.sqrt(3.0) / 12.0) * h * h * (g2 @ g1 - g1 @ g2)
        step = expm_2x2(omega)
        out = step if out is None else step @ out
    return out


def gamma_xir(gamma: ArrayLike, nf: int, ln_xir2: float) -> CArray:
    """Anomalous dimensions re-expanded in a_s(mu_R^2), mu_R^2 = xir^2 mu_F^2, ln_xir2 = ln xir^2.

    From a_s(mu_F) = a (1 + beta0 L a + (beta1 L + beta0^2 L^2) a^2), L = ln xir^2:
    gamma^(1) -> gamma^(1) + beta0 L gamma^(0),
    gamma^(2) -> gamma^(2) + 2 beta0 L gamma^(1) + (beta1 L + beta0^2 L^2) gamma^(0)
    (1906.10698 Sec. 3; truncated at the order of ``gamma``).
    """
    gamma = np.array(gamma, dtype=complex)
    if ln_xir2 == 0.0:
        return gamma
    b0, b1, lr = beta_coeff(0, nf), beta_coeff(1, nf), ln_xir2
    out = gamma.copy()
    if gamma.shape[0] >= 2:
        out[1] = gamma[1] + b0 * lr * gamma[0]
    if gamma.shape[0] >= 3:
        out[2] = gamma[2] + 2.0 * b0 * lr * gamma[1] + (b1 * lr + b0 * b0 * lr * lr) * gamma[0]
    return out
