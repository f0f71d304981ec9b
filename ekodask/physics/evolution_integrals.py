"""The evolution integrals j^(k,n)(a1, a0) of the DGLAP solutions, exact and expanded.

j^(k,n)(a1, a0) = int_a0^a1 a^(k+1) / sum_{i<=n} beta_i a^(i+2) da
              = int_a0^a1 a^(k-1) / (beta_0 P_n(a)) da,  P_n(a) = 1 + b_1 a + ... + b_n a^n,
with n = order - 1 and b_i = beta_i / beta_0 (a_s = alpha_s / (4 pi)). References: Vogt
hep-ph/0408244 Sec. 2 (PEGASUS); Bonvini 1212.0480; eko paper 2202.02338 Sec. 3 and eko's
documentation doc/source/theory/DGLAP.rst (the N3LO sum over the roots of P_3, the expanded
integrals of the ``*-expanded`` methods, PEGASUS IMODEV = 2).
"""

from __future__ import annotations

import numpy as np

from ..errors import PhysicsError
from .beta import b as b_coeff
from .beta import beta as beta_coeff

__all__ = ["MAX_ORDER_INTEGRALS", "j_exact", "j_expanded"]

MAX_ORDER_INTEGRALS = 4
"""Highest evolution order (4 = N3LO, beta up to beta_3) the integrals are implemented for."""


def _check(k: int, order: int) -> None:
    if not 0 <= k < order <= MAX_ORDER_INTEGRALS:
        raise PhysicsError(
            f"j^({k},{order - 1}) is implemented for 0 <= k < order <= {MAX_ORDER_INTEGRALS}"
        )


def _j_roots(k: int, nf: int, a1: float, a0: float) -> float:
    """j^(k,3), k >= 1: partial fractions over the three roots r of P_3 (DGLAP.rst, N3LO).

    a^(k-1)/P_3(a) = sum_r r^(k-1) / (P_3'(r) (a - r)); the roots are complex, the sum is real.
    """
    bs = [b_coeff(i, nf) for i in (1, 2, 3)]
    roots = np.roots([bs[2], bs[1], bs[0], 1.0]).astype(complex)
    total = 0.0j
    for r in roots:
        dp = bs[0] + 2.0 * bs[1] * r + 3.0 * bs[2] * r * r
        total += r ** (k - 1) / dp * np.log((a1 - r) / (a0 - r))
    return float(total.real) / beta_coeff(0, nf)


def j_exact(k: int, order: int, nf: int, a1: float, a0: float) -> float:
    """j^(k,order-1)(a1, a0) in closed form, 0 <= k < order <= 4.

    n = 0, 1, 2: logarithm and arctan forms (hep-ph/0408244 Sec. 2; 1212.0480); n = 3: the sum
    over the roots of 1 + b1 a + b2 a^2 + b3 a^3 (eko DGLAP.rst, N3LO non-singlet).
    """
    _check(k, order)
    b0 = beta_coeff(0, nf)
    j00 = np.log(a1 / a0) / b0
    if order == 1:
        return float(j00)
    b1 = b_coeff(1, nf)
    if order == 2:
        j11 = np.log1p(b1 * (a1 - a0) / (1.0 + b1 * a0)) / (b0 * b1)
        return float(j11 if k == 1 else j00 - b1 * j11)
    if order == 4:
        js = [_j_roots(i, nf, a1, a0) for i in (1, 2, 3)]
        if k >= 1:
            return js[k - 1]
        return float(j00 - sum(b_coeff(i, nf) * js[i - 1] for i in (1, 2, 3)))
    b2 = b_coeff(2, nf)
    # 1/(1 + b1 a + b2 a^2): arctan form; Delta is imaginary if 4 b2 < b1^2, delta/Delta stays real
    delta_sq = complex(4.0 * b2 - b1 * b1)
    root = np.sqrt(delta_sq)
    arg = root * (a1 - a0) / (2.0 + b1 * (a1 + a0) + 2.0 * b2 * a1 * a0)
    j12 = (2.0 * np.arctan(arg) / (root * b0)).real
    q1, q0 = 1.0 + a1 * (b1 + b2 * a1), 1.0 + a0 * (b1 + b2 * a0)
    j22 = np.log(q1 / q0) / (2.0 * b2 * b0) - b1 / (2.0 * b2) * j12
    return float((j00 - b1 * j12 - b2 * j22, j12, j22)[k])


def _inverse_series(nf: int, n: int, terms: int) -> list[float]:
    """c_m of 1 / P_n(a) = sum_m c_m a^m, m < terms."""
    bs = [1.0] + [b_coeff(i, nf) for i in range(1, n + 1)]
    c: list[float] = []
    for m in range(terms):
        cm = 1.0 if m == 0 else 0.0
        cm -= sum(bs[i] * c[m - i] for i in range(1, min(m, n) + 1))
        c.append(cm)
    return c


def j_expanded(k: int, order: int, nf: int, a1: float, a0: float) -> float:
    """j^(k,n) of the ``*-expanded`` methods, n = order - 1, 0 <= k < order <= 4.

    k >= 1: the Taylor series of j^(k,n) in (a1, a0) kept to total power a^n; k = 0:
    j^(0,0) - sum_{i=1}^n b_i j^(i,n)_exp (eko DGLAP.rst, NLO-N3LO; hep-ph/0408244 IMODEV = 2).
    """
    _check(k, order)
    n = order - 1
    b0 = beta_coeff(0, nf)
    if k == 0:
        j00 = np.log(a1 / a0) / b0
        return float(
            j00 - sum(b_coeff(i, nf) * j_expanded(i, order, nf, a1, a0) for i in range(1, n + 1))
        )
    c = _inverse_series(nf, n, n - k + 1)
    # int a^(k-1+m) da = (a1^(k+m) - a0^(k+m)) / (k+m), kept for k + m <= n
    return float(
        sum(c[m] * (a1 ** (k + m) - a0 ** (k + m)) / (k + m) for m in range(n - k + 1)) / b0
    )
