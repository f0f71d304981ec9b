"""Factorisation-scale variation rho = xif^2 in Mellin space, eko's two schemes.

With a = a_s(rho mu^2) and L = ln rho:

* exponentiated (Abdul Khalek et al. 1906.10698 Eq. (3.32); eko paper 2202.02338; the
  algebra of NNPDF/eko doc/source/theory/MHOU.rst): in every flavour patch the anomalous
  dimensions are re-expanded in a_s(rho mu^2), sum_j a_s(mu^2)^(j+1) gamma_j =
  sum_j a^(j+1) gammabar_j (:func:`gamma_variation`); the OMEs likewise
  (:func:`ekodask.physics.ome.reexpand_ome`) and a_s is matched at rho mu_h^2.
* expanded (1906.10698 Eq. (3.35)): f(mu^2) = K(a, L) f(rho mu^2) with K the inverse of
  E(rho mu^2 <- mu^2) expanded in a and truncated: K = 1 + a K_1 + a^2 K_2 + a^3 K_3,
  K_1 = gamma_0 L, K_2 = 1/2 gamma_0 (beta_0 + gamma_0) L^2 + gamma_1 L,
  K_3 = 1/6 gamma_0 (2 beta_0^2 + 3 beta_0 gamma_0 + gamma_0^2) L^3
        + 1/2 (beta_1 gamma_0 + 2 beta_0 gamma_1 + gamma_0 gamma_1 + gamma_1 gamma_0) L^2
        + gamma_2 L,
  applied after the evolution, in the last flavour patch only (:func:`expanded_kernel`).
  At order o (1 LO .. 4 N3LO) K keeps a^0 .. a^(o-1), as eko: the terms beyond are of the
  order of the missing higher orders.

Wired by :func:`ekodask.recipes.scale_choice` (exponentiated: the a_s points, the coupling
thresholds and ``ln_xir2`` of gammas and OMEs, through the same path as xir) and by
``Segment.expanded_ln_rho`` with :func:`ekodask.evolution.evolution_operator` (expanded: K times
the last patch's kernel in N space). Tests: tests/test_scvar.py (the a_s power of each scheme's
distance to the unvaried evolution), tests/benchmarks/test_scvar_eko.py (eko 0.15.7).

Conventions: gamma = -Mellin[P], d f/d ln mu^2 = -gamma(a_s) f, d a_s/d ln mu^2 =
-sum beta_k a_s^(k+2); ``gamma`` arrays carry the order on the first axis, non-singlet
(order,) + n.shape, singlet (order,) + n.shape + (2, 2) as [[qq, qg], [gq, gg]].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .beta import beta as beta_coeff

__all__ = [
    "coupling_ratio_series",
    "expanded_kernel",
    "gamma_variation",
    "kernel_coefficients",
    "reexpand",
]

MAX_TERMS = 4
"""Terms of the a_s series handled here (enough for N3LO: gamma_0..gamma_3, K_0..K_3)."""


def coupling_ratio_series(nf: int, ln_rho: float, n_terms: int) -> list[float]:
    """[d_0, d_1, ...] of a_s(mu^2) / a_s(rho mu^2) = sum_i d_i a_s(rho mu^2)^i, ln_rho = ln rho.

    From the RGE at fixed nf: d_0 = 1, d_1 = beta_0 L, d_2 = beta_1 L + beta_0^2 L^2,
    d_3 = beta_2 L + 5/2 beta_0 beta_1 L^2 + beta_0^3 L^3 (n_terms <= 4).
    """
    if not 1 <= n_terms <= MAX_TERMS:
        raise ValueError(f"n_terms = {n_terms}: the series is implemented for 1..{MAX_TERMS}")
    lr = float(ln_rho)
    b0, b1, b2 = (beta_coeff(k, nf) for k in range(3))
    d = [
        1.0,
        b0 * lr,
        b1 * lr + b0 * b0 * lr * lr,
        b2 * lr + 2.5 * b0 * b1 * lr * lr + b0**3 * lr**3,
    ]
    return d[:n_terms]


def _series_power(series: Sequence[float], power: int, n_terms: int) -> list[float]:
    """Coefficients of (sum_i s_i x^i)^power up to x^(n_terms - 1)."""
    out = [1.0] + [0.0] * (n_terms - 1)
    for _ in range(power):
        out = [sum(out[k] * series[i - k] for k in range(i + 1)) for i in range(n_terms)]
    return out


def reexpand(coefficients: Sequence, ratio: Sequence[float], power: int) -> list:
    """Re-expand sum_j a_F^(j+power) c_j in a_R, with a_F/a_R = sum_i ratio_i a_R^i.

    Returns [cbar_0, cbar_1, ...] (as many as ``coefficients``) with
    cbar_j = sum_{m <= j} c_m [(a_F/a_R)^(m+power)]_(j-m); power = 1 for anomalous dimensions,
    0 for OMEs. ``ratio`` needs at least len(coefficients) terms.
    """
    n = len(coefficients)
    if len(ratio) < n:
        raise ValueError(f"{n} coefficients need {n} terms of the coupling ratio")
    powers = [_series_power(ratio, m + power, n) for m in range(n)]
    return [sum(powers[m][j - m] * coefficients[m] for m in range(j + 1)) for j in range(n)]


def gamma_variation(gamma: ArrayLike, nf: int, ln_rho: float) -> NDArray[np.complex128]:
    """Exponentiated scheme: gammabar_j(rho) of a_s(rho mu^2), same shape as ``gamma``.

    gammabar_1 = gamma_1 + beta_0 L gamma_0,
    gammabar_2 = gamma_2 + 2 beta_0 L gamma_1 + (beta_1 L + beta_0^2 L^2) gamma_0,
    gammabar_3 = gamma_3 + 3 beta_0 L gamma_2 + (2 beta_1 L + 3 beta_0^2 L^2) gamma_1
                 + (beta_2 L + 5/2 beta_0 beta_1 L^2 + beta_0^3 L^3) gamma_0
    (1906.10698 Eq. (3.32); MHOU.rst). Orders 1..4.
    """
    gamma = np.asarray(gamma, dtype=complex)
    if ln_rho == 0.0:
        return gamma.copy()
    order = gamma.shape[0]
    ratio = coupling_ratio_series(nf, ln_rho, order)
    return np.stack(reexpand(list(gamma), ratio, 1))


def _mul(x, y, matrix: bool):
    return x @ y if matrix else x * y


def kernel_coefficients(
    gamma: ArrayLike, nf: int, ln_rho: float, n_terms: int | None = None
) -> list[NDArray[np.complex128]]:
    """[K_0, K_1, ...] of the expanded scheme (module docstring), n_terms (default order) <= 4.

    gamma_j beyond the order of ``gamma`` count as zero, so n_terms = order + 1 gives the
    first coefficient that the truncated kernel leaves out. Shapes as gamma[0]; singlet
    products are matrix products (ordered as written).
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    n_terms = order if n_terms is None else n_terms
    if not 1 <= n_terms <= MAX_TERMS:
        raise ValueError(f"n_terms = {n_terms}: K is implemented for 1..{MAX_TERMS} terms")
    matrix = gamma.ndim >= 3 and gamma.shape[-2:] == (2, 2)
    g = [gamma[j] if j < order else np.zeros_like(gamma[0]) for j in range(3)]
    unit = np.broadcast_to(np.eye(2), gamma[0].shape).astype(complex) if matrix else None
    one = unit if matrix else np.ones_like(gamma[0])
    lr = float(ln_rho)
    b0, b1 = beta_coeff(0, nf), beta_coeff(1, nf)
    g00 = _mul(g[0], g[0], matrix)
    out = [one, g[0] * lr]
    if n_terms >= 3:
        out.append(0.5 * (b0 * g[0] + g00) * lr**2 + g[1] * lr)
    if n_terms >= 4:
        g000 = _mul(g00, g[0], matrix)
        mixed = _mul(g[0], g[1], matrix) + _mul(g[1], g[0], matrix)
        out.append(
            (2.0 * b0 * b0 * g[0] + 3.0 * b0 * g00 + g000) * lr**3 / 6.0
            + 0.5 * (b1 * g[0] + 2.0 * b0 * g[1] + mixed) * lr**2
            + g[2] * lr
        )
    return out[:n_terms]


def expanded_kernel(gamma: ArrayLike, nf: int, a_s: float, ln_rho: float) -> NDArray[np.complex128]:
    """K(a_s, rho) = sum_{j < order} a_s^j K_j, a_s = a_s(rho mu^2) in the last patch's nf.

    Non-singlet: shape n.shape; singlet: n.shape + (2, 2). Multiplies the evolution kernel
    from the left (f(mu^2) = K E(rho mu^2 <- mu0^2) f(mu0^2)); 1906.10698 Eq. (3.35).
    """
    terms = kernel_coefficients(gamma, nf, ln_rho)
    out = terms[0].copy()
    for j, k in enumerate(terms[1:], start=1):
        out = out + a_s**j * k
    return out
