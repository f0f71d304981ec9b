"""Polarised (helicity-difference) space-like anomalous dimensions, gamma = -Mellin[Delta P].

Normalisation as the unpolarised modules: gamma(a_s) = sum_k a_s^(k+1) gamma^(k), a_s =
alpha_s/(4 pi); complex n of any shape; entry k of the stacked arrays is gamma^(k), k < order.

Sources (MSbar):
- LO: Altarelli-Parisi, Nucl. Phys. B126 (1977) 298.
- NLO: Mertig-van Neerven hep-ph/9506451, Vogelsang hep-ph/9512218 (MSbar with the
  Larin gamma_5 scheme corrected by the finite non-singlet renormalisation).
- NNLO: Moch-Vermaseren-Vogt arXiv:1409.5131, Eqs. (4.2)-(4.12), in the MSbar scheme of
  Matiounine-Smith-van Neerven hep-ph/9803439 (whose NLO is the MSbar of the NLO papers).
All three orders are the authors' N-space file ``dPij012MN.h`` (svenolafmoch/Conformal-EIC,
MD5 c827ccf4f039fd3fe223f9fe6a66e3ef), transcribed in :mod:`._mvv_nspace`, continued from odd
integers N (the moments of g_1), where Delta P_ns^+ and the singlet are defined.

Non-singlet kinds: "+" drives T_k = Delta(q + qbar) combinations (its first moment vanishes at
every order; Delta P_ns^+ = P_ns^- of the unpolarised case, 1409.5131 Sec. 2); "-" drives
V_k = Delta(q - qbar) and "v" the total valence. At NLO Delta P_ns^(1)- = P_ns^(1)+ of the
unpolarised case (hep-ph/9506451, hep-ph/9512218), taken from :mod:`..as2`. At NNLO "-" and "v"
(Moch-Vermaseren-Vogt arXiv:1506.04517) are not available here: refused with PhysicsError.
"""

import numpy as np
import numpy.typing as npt

from ....errors import PhysicsError
from .. import as2
from ..nspace_blocks import NSpaceBlocks
from . import _mvv_nspace as _mvv

__all__ = ["KINDS", "blocks", "gamma_ns", "gamma_ps", "gamma_singlet"]

KINDS = ("+", "-", "v")
CArray = npt.NDArray[np.complex128]

_NS = (_mvv.p_qq0, _mvv.p_ns1, _mvv.p_ns2)
_PS = (None, _mvv.p_ps1, _mvv.p_ps2)
_QQ = (_mvv.p_qq0, _mvv.p_qq1, _mvv.p_qq2)
_QG = (_mvv.p_qg0, _mvv.p_qg1, _mvv.p_qg2)
_GQ = (_mvv.p_gq0, _mvv.p_gq1, _mvv.p_gq2)
_GG = (_mvv.p_gg0, _mvv.p_gg1, _mvv.p_gg2)


def _check(order: int) -> None:
    if order not in (1, 2, 3):
        raise PhysicsError(f"polarized order must be 1 (LO), 2 (NLO) or 3 (NNLO), got {order}")


def blocks(n, nf: int) -> NSpaceBlocks:
    """The building blocks of dPij012MN.h at n: sums continued from odd integers."""
    return NSpaceBlocks(n, nf, even=False)


def gamma_ns(order: int, kind: str, n, nf: int) -> CArray:
    """Non-singlet Delta gamma^(k)(n), k < order, shape (order,) + n.shape.

    kind "+", "-" or "v" (see the module docstring); "-" and "v" exist up to NLO only.
    """
    _check(order)
    if kind not in KINDS:
        raise PhysicsError(f"kind must be one of {KINDS}, got {kind!r}")
    if order >= 3 and kind != "+":
        raise PhysicsError(
            f"polarized NNLO non-singlet kind {kind!r} (Delta P_ns^(2)-/v, arXiv:1506.04517) "
            "is not implemented; only '+' is available at NNLO"
        )
    v = blocks(n, nf)
    out = np.empty((order, *v.n.shape), dtype=np.complex128)
    out[0] = -_NS[0](v)
    if order >= 2:
        out[1] = -_NS[1](v) if kind == "+" else as2.gamma_nsp(v.n, nf)
    if order >= 3:
        out[2] = -_NS[2](v)
    return out


def gamma_ps(k: int, n, nf: int) -> CArray:
    """Pure-singlet Delta gamma_ps^(k)(n), k = 1 or 2 (zero at LO)."""
    if k not in (1, 2):
        raise PhysicsError(f"pure-singlet order index must be 1 or 2, got {k}")
    return -_PS[k](blocks(n, nf))


def gamma_singlet(order: int, n, nf: int) -> CArray:
    """Singlet Delta gamma^(k)(n), k < order, shape (order,) + n.shape + (2, 2).

    [[qq, qg], [gq, gg]] acting on (Delta Sigma, Delta g); qq = ns+ + ps.
    """
    _check(order)
    v = blocks(n, nf)
    out = np.empty((order, *v.n.shape, 2, 2), dtype=np.complex128)
    for k in range(order):
        out[k, ..., 0, 0] = -_QQ[k](v)
        out[k, ..., 0, 1] = -_QG[k](v)
        out[k, ..., 1, 0] = -_GQ[k](v)
        out[k, ..., 1, 1] = -_GG[k](v)
    return out
