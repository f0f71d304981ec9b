"""Mellin-space DGLAP kernels at fixed nf: the solution methods by name, and the mu_R re-expansion.

d f~/d a_s = gamma(a_s) / beta(a_s) f~ with gamma(a) = sum_k a^(k+1) gamma^(k) and
beta(a) = sum_k beta_k a^(k+2) (both truncated at the working order; a_s = alpha_s/(4 pi),
gamma = -Mellin[P]). The methods themselves are in :mod:`.solutions` (one function each) and
:mod:`.evolution_integrals`; this module maps eko's method names (and ekodask's own) onto them.

``gamma`` arrays carry the order on the first axis: non-singlet (order,) + n.shape, singlet
(order,) + n.shape + (2, 2) as [[qq, qg], [gq, gg]]. ``order``: 1 = LO .. 4 = N3LO.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PhysicsError
from ..options import EKO_METHODS
from ..options import EVOLUTION_METHODS as METHODS
from . import solutions as sol
from .beta import beta as beta_coeff
from .evolution_integrals import MAX_ORDER_INTEGRALS, j_exact, j_expanded
from .solutions import expm_2x2, u_matrices

__all__ = [
    "EKO_METHODS",
    "METHODS",
    "expm_2x2",
    "gamma_xir",
    "j_exact",
    "j_expanded",
    "non_singlet",
    "singlet",
    "u_matrices",
]

CArray = NDArray[np.complex128]

# non-singlet: the closed forms (eko kernels/non_singlet.py dispatch)
_NS = {
    "iterate-exact": sol.ns_exact,
    "decompose-exact": sol.ns_exact,
    "perturbative-exact": sol.ns_exact,
    "iterate-magnus4": sol.ns_exact,
    "iterate-expanded": sol.ns_expanded,
    "decompose-expanded": sol.ns_expanded,
    "perturbative-expanded": sol.ns_expanded,
    "truncated": sol.ns_truncated,
    "ordered-truncated": sol.ns_ordered_truncated,
}


def _check(order: int, method: str) -> None:
    if not 1 <= order <= MAX_ORDER_INTEGRALS:
        raise PhysicsError(
            f"evolution order {order}: expected 1 (LO) .. {MAX_ORDER_INTEGRALS} (N3LO)"
        )
    if method not in METHODS:
        raise PhysicsError(f"method {method!r}: expected one of {METHODS}")


def non_singlet(
    gamma: ArrayLike, nf: int, a1: float, a0: float, method: str = "iterate-exact"
) -> CArray:
    """Non-singlet E~(N) by ``method``; gamma: (order,) + n.shape -> n.shape.

    At LO every method is the exact exponential. exact methods: exp(sum gamma^(k) j^(k,n));
    expanded: the same with expanded j's; truncated, ordered-truncated: see :mod:`.solutions`.
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    _check(order, method)
    if order == 1:
        return sol.ns_exact(gamma, nf, a1, a0)
    return _NS[method](gamma, nf, a1, a0)


def singlet(
    gamma: ArrayLike,
    nf: int,
    a1: float,
    a0: float,
    method: str = "iterate-exact",
    ev_op_iterations: int = 10,
    ev_op_max_order: int = 10,
) -> CArray:
    """Singlet E~(N) by ``method``; gamma: (order,) + n.shape + (2, 2) -> n.shape + (2, 2).

    ``ev_op_iterations``: steps of the iterate-* methods (the perturbative-* ones do not depend
    on it); ``ev_op_max_order``: terms U_0 .. U_(max-1) of the U-matrix series of the
    perturbative-* methods (eko's names and meanings).
    At LO every method is the exact exponential; a1 == a0 gives the identity.
    """
    gamma = np.asarray(gamma, dtype=complex)
    order = gamma.shape[0]
    _check(order, method)
    if ev_op_iterations < 1:
        raise PhysicsError(f"ev_op_iterations = {ev_op_iterations}: expected >= 1")
    if ev_op_max_order < 1:
        raise PhysicsError(f"ev_op_max_order = {ev_op_max_order}: expected >= 1")
    if a1 == a0:
        return np.broadcast_to(np.eye(2), gamma.shape[1:]).astype(complex)
    if order == 1:
        return sol.singlet_lo(gamma, nf, a1, a0)
    if method in ("iterate-exact", "iterate-expanded"):
        return sol.singlet_iterate(gamma, nf, a1, a0, ev_op_iterations)
    if method == "iterate-magnus4":
        return sol.singlet_iterate_magnus4(gamma, nf, a1, a0, ev_op_iterations)
    if method in ("truncated", "ordered-truncated"):
        return sol.singlet_truncated(gamma, nf, a1, a0)
    if method == "decompose-exact":
        return sol.singlet_decompose_exact(gamma, nf, a1, a0)
    if method == "decompose-expanded":
        return sol.singlet_decompose_expanded(gamma, nf, a1, a0)
    perturbative = (
        sol.singlet_perturbative_exact
        if method == "perturbative-exact"
        else sol.singlet_perturbative_expanded
    )
    # eko applies U(a_hi) E_LO U(a_lo)^-1 per step; the inner U's cancel identically, so one
    # step is the same operator (to 1e-11, tests/physics/test_solutions.py) at a tenth the cost
    return perturbative(gamma, nf, a1, a0, 1, ev_op_max_order)


def gamma_xir(gamma: ArrayLike, nf: int, ln_xir2: float) -> CArray:
    """Anomalous dimensions re-expanded in a_s(mu_R^2), mu_R^2 = xir^2 mu_F^2, ln_xir2 = ln xir^2.

    From a_s(mu_F) = a (1 + beta0 L a + (beta1 L + beta0^2 L^2) a^2), L = ln xir^2:
    gamma^(1) -> gamma^(1) + beta0 L gamma^(0),
    gamma^(2) -> gamma^(2) + 2 beta0 L gamma^(1) + (beta1 L + beta0^2 L^2) gamma^(0)
    gamma^(3) -> gamma^(3) + 3 beta0 L gamma^(2) + (2 beta1 L + 3 beta0^2 L^2) gamma^(1)
                 + (beta2 L + 5/2 beta0 beta1 L^2 + beta0^3 L^3) gamma^(0)
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
    if gamma.shape[0] >= 4:
        b2 = beta_coeff(2, nf)
        c3 = b2 * lr + 2.5 * b0 * b1 * lr * lr + b0**3 * lr**3
        out[3] = (
            gamma[3]
            + 3.0 * b0 * lr * gamma[2]
            + (2.0 * b1 * lr + 3.0 * b0 * b0 * lr * lr) * gamma[1]
            + c3 * gamma[0]
        )
    return out
