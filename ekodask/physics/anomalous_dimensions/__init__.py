"""QCD anomalous dimensions gamma(n) = -Mellin[P](n), stacked by order in a_s = alpha_s/(4 pi).

gamma(a_s) = sum_k a_s^(k+1) gamma^(k); entry k of the arrays below is gamma^(k), k < order.
LO: :mod:`.as1`; NLO: :mod:`.as2`; NNLO: :mod:`.as3` (imported lazily).
"""

import numpy as np
import numpy.typing as npt

from ...errors import PhysicsError
from ...options import MAX_ORDER
from . import as1, as2

__all__ = ["KINDS", "gamma_ns", "gamma_singlet"]

KINDS = ("+", "-", "v")
CArray = npt.NDArray[np.complex128]


def _check(order: int) -> None:
    if not 1 <= order <= MAX_ORDER:
        raise PhysicsError(f"order must be 1 (LO) .. {MAX_ORDER}, got {order}")


def gamma_ns(order: int, kind: str, n, nf: int) -> CArray:
    """Non-singlet gamma^(k)(n) for k < order, shape (order,) + n.shape.

    kind "+" (T_k), "-" (V_k) or "v" (total valence V; equals "-" below NNLO).
    """
    _check(order)
    if kind not in KINDS:
        raise PhysicsError(f"kind must be one of {KINDS}, got {kind!r}")
    n = np.asarray(n, dtype=np.complex128)
    out = np.empty((order, *n.shape), dtype=np.complex128)
    mel = as2.MellinTransforms(n) if order >= 2 else None
    s1 = mel.s(1, 0) if mel is not None else None
    out[0] = as1.gamma_ns(n, nf, s1)
    if order >= 2:
        fn2 = {"+": as2.gamma_nsp, "-": as2.gamma_nsm, "v": as2.gamma_nsv}[kind]
        out[1] = fn2(n, nf, mel)
    if order >= 3:
        from . import as3

        fn3 = {"+": as3.gamma_nsp, "-": as3.gamma_nsm, "v": as3.gamma_nsv}[kind]
        out[2] = fn3(n, nf)
    return out


def gamma_singlet(order: int, n, nf: int) -> CArray:
    """Singlet gamma^(k)(n), k < order, shape (order,) + n.shape + (2, 2), [[qq, qg], [gq, gg]]."""
    _check(order)
    n = np.asarray(n, dtype=np.complex128)
    out = np.empty((order, *n.shape, 2, 2), dtype=np.complex128)
    mel = as2.MellinTransforms(n) if order >= 2 else None
    s1 = mel.s(1, 0) if mel is not None else None
    out[0] = as1.gamma_singlet(n, nf, s1)
    if order >= 2:
        out[1] = as2.gamma_singlet(n, nf, mel)
    if order >= 3:
        from . import as3

        out[2] = as3.gamma_singlet(n, nf)
    return out
