"""Leading-order (one-loop) anomalous dimensions gamma^(0)(n) = -Mellin[P^(0)](n).

Normalisation: gamma = sum_k a_s^(k+1) gamma^(k), a_s = alpha_s/(4 pi). Gross-Wilczek (1974),
Altarelli-Parisi, Nucl. Phys. B126 (1977) 298; N-space forms as restated in
Moch-Vermaseren-Vogt hep-ph/0403192 and Vogt-Moch-Vermaseren hep-ph/0404111 (Sec. 3).
All functions take complex arrays n of any shape; ``s1`` may pass a precomputed S_1(n).
"""

import numpy as np
import numpy.typing as npt

from .. import harmonics
from ..constants import CA, CF, TR

__all__ = [
    "gamma_gg",
    "gamma_gq",
    "gamma_ns",
    "gamma_nsm",
    "gamma_nsp",
    "gamma_nsv",
    "gamma_qg",
    "gamma_singlet",
]

CArray = npt.NDArray[np.complex128]


def gamma_ns(n, nf: int, s1: CArray | None = None) -> CArray:
    """Non-singlet gamma_ns^(0) = C_F [4 S_1(n) - 3 - 2/(n(n+1))] (same for +, -, v)."""
    n = np.asarray(n, dtype=np.complex128)
    s1 = harmonics.S1(n) if s1 is None else s1
    return CF * (4.0 * s1 - 3.0 - 2.0 / (n * (n + 1.0)))


gamma_nsp = gamma_ns
gamma_nsm = gamma_ns
gamma_nsv = gamma_ns


def gamma_qg(n, nf: int) -> CArray:
    """Quark-gluon gamma_qg^(0) = -4 nf T_R (n^2+n+2)/(n(n+1)(n+2))."""
    n = np.asarray(n, dtype=np.complex128)
    return -4.0 * nf * TR * (n * n + n + 2.0) / (n * (n + 1.0) * (n + 2.0))


def gamma_gq(n, nf: int) -> CArray:
    """Gluon-quark gamma_gq^(0) = -2 C_F (n^2+n+2)/((n-1)n(n+1))."""
    n = np.asarray(n, dtype=np.complex128)
    return -2.0 * CF * (n * n + n + 2.0) / ((n - 1.0) * n * (n + 1.0))


def gamma_gg(n, nf: int, s1: CArray | None = None) -> CArray:
    """Gluon-gluon gamma_gg^(0) = C_A [4 S_1 - 11/3 - 4/(n(n-1)) - 4/((n+1)(n+2))] + 4/3 T_R nf."""
    n = np.asarray(n, dtype=np.complex128)
    s1 = harmonics.S1(n) if s1 is None else s1
    return (
        CA * (4.0 * s1 - 11.0 / 3.0 - 4.0 / (n * (n - 1.0)) - 4.0 / ((n + 1.0) * (n + 2.0)))
        + 4.0 / 3.0 * TR * nf
    )


def gamma_singlet(n, nf: int, s1: CArray | None = None) -> CArray:
    """Singlet matrix [[qq, qg], [gq, gg]], shape n.shape + (2, 2); gamma_qq^(0) = gamma_ns^(0)."""
    n = np.asarray(n, dtype=np.complex128)
    s1 = harmonics.S1(n) if s1 is None else s1
    out = np.empty((*n.shape, 2, 2), dtype=np.complex128)
    out[..., 0, 0] = gamma_ns(n, nf, s1)
    out[..., 0, 1] = gamma_qg(n, nf)
    out[..., 1, 0] = gamma_gq(n, nf)
    out[..., 1, 1] = gamma_gg(n, nf, s1)
    return out
