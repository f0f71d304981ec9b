"""Time-like (fragmentation) anomalous dimensions gamma^T = -Mellin[P^T], LO to NNLO.

Normalisation as the space-like modules: gamma(a_s) = sum_k a_s^(k+1) gamma^(k), a_s =
alpha_s/(4 pi); complex n of any shape; entry k of the stacked arrays is gamma^(k), k < order.

Sources: LO Altarelli-Parisi (1977); NLO Curci-Furmanski-Petronzio Nucl. Phys. B175 (1980) 27,
Floratos-Kounnas-Lacaze Nucl. Phys. B192 (1981) 417 (cf. hep-ph/0604160); NNLO non-singlet
Mitov-Moch-Vogt hep-ph/0604053, singlet Moch-Vogt arXiv:0709.3899 and Almasy-Moch-Vogt
arXiv:1107.2263. All from the authors' N-space file ``amv1res.h`` (svenolafmoch/Conformal-EIC,
MD5 9d4630cce4e18b4b147cfde84967b5c8), transcribed in :mod:`._amv_nspace`: ns+ and the singlet
continued from even N, ns- and the valence from odd N, as in the space-like case.

Non-singlet kinds: "+" (T_k), "-" (V_k), "v" (total valence = "-" plus the d^abc d_abc part,
from NNLO on). In ``amv1res.h`` that part is written fl02 [dabc^2/n]; it equals the space-like
nf d^abc d_abc/n_c part of hep-ph/0403192 with fl02 = nf and [dabc^2/n] = 5/18, i.e. the
colour factor normalised to 1/16 of 40/9 (verified as functions of N in the tests).

Singlet: the file's functions P^T_ij carry the space-like normalisation (P^T_qg with its factor
nf, equal at LO to the space-like P_qg); the evolution of (D_Sigma, D_g) reads (1107.2263 Eq. 2)
  d/d ln mu^2 (D_Sigma, D_g) = [[P_qq, 2 nf P_gq], [P_qg / (2 nf), P_gg]] (x) (D_Sigma, D_g).
:func:`gamma_singlet` returns minus that matrix (in N space), ready for the space-like solvers.
"""

import numpy as np
import numpy.typing as npt

from ....errors import PhysicsError
from ..nspace_blocks import DABC2_NC, NSpaceBlocks
from . import _amv_nspace as _amv

__all__ = ["DABC2_NC_AMV", "KINDS", "gamma_ns", "gamma_ps", "gamma_singlet", "gamma_singlet_file"]

KINDS = ("+", "-", "v")
CArray = npt.NDArray[np.complex128]
DABC2_NC_AMV = DABC2_NC / 16.0  # 5/18: [dabc^2/n] in the normalisation of amv1res.h

_NSP = (_amv.g_qq0, _amv.g_nsp1, _amv.g_nsp2)
_NSM = (_amv.g_qq0, _amv.g_nsm1, _amv.g_nsm2)
_PS = (None, _amv.g_ps1, _amv.g_ps2)
_QG = (_amv.g_qg0, _amv.g_qg1, _amv.g_qg2)
_GQ = (_amv.g_gq0, _amv.g_gq1, _amv.g_gq2)
_GG = (_amv.g_gg0, _amv.g_gg1, _amv.g_gg2)


def _check(order: int) -> None:
    if order not in (1, 2, 3):
        raise PhysicsError(f"time-like order must be 1 (LO), 2 (NLO) or 3 (NNLO), got {order}")


def blocks(n, nf: int, even: bool, valence: bool = False) -> NSpaceBlocks:
    """The building blocks of amv1res.h at n (fl02 = nf only for the total valence)."""
    return NSpaceBlocks(n, nf, even=even, fl02=nf if valence else 0.0, dabc2n=DABC2_NC_AMV)


def gamma_ns(order: int, kind: str, n, nf: int) -> CArray:
    """Non-singlet gamma^T(k)(n), k < order, shape (order,) + n.shape; kind "+", "-" or "v"."""
    _check(order)
    if kind not in KINDS:
        raise PhysicsError(f"kind must be one of {KINDS}, got {kind!r}")
    v = blocks(n, nf, even=kind == "+", valence=kind == "v")
    table = _NSP if kind == "+" else _NSM
    out = np.empty((order, *v.n.shape), dtype=np.complex128)
    for k in range(order):
        out[k] = table[k](v)
    return out


def gamma_ps(k: int, n, nf: int) -> CArray:
    """Pure-singlet gamma^T_ps(k)(n), k = 1 or 2 (zero at LO)."""
    if k not in (1, 2):
        raise PhysicsError(f"pure-singlet order index must be 1 or 2, got {k}")
    return _PS[k](blocks(n, nf, even=True))


def gamma_singlet_file(order: int, n, nf: int) -> CArray:
    """The file's gamma^T_ij(k)(n) as [[qq, qg], [gq, gg]], shape (order,) + n.shape + (2, 2).

    Space-like normalisation: at N = 2 each column sums to zero (momentum sum rule).
    """
    _check(order)
    v = blocks(n, nf, even=True)
    out = np.empty((order, *v.n.shape, 2, 2), dtype=np.complex128)
    for k in range(order):
        out[k, ..., 0, 0] = _NSP[k](v) + (_PS[k](v) if k else 0.0)
        out[k, ..., 0, 1] = _QG[k](v)
        out[k, ..., 1, 0] = _GQ[k](v)
        out[k, ..., 1, 1] = _GG[k](v)
    return out


def gamma_singlet(order: int, n, nf: int) -> CArray:
    """Singlet gamma^T(k)(n) acting on (D_Sigma, D_g), shape (order,) + n.shape + (2, 2).

    [[qq, 2 nf gq], [qg / (2 nf), gg]] of :func:`gamma_singlet_file` (1107.2263 Eq. 2).
    """
    out = gamma_singlet_file(order, n, nf)
    qg = out[..., 0, 1].copy()
    out[..., 0, 1] = 2.0 * nf * out[..., 1, 0]
    out[..., 1, 0] = qg / (2.0 * nf)
    return out
