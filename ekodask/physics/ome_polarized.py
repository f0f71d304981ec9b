"""Polarised (helicity-difference) heavy-quark matching nf -> nf+1 in Mellin space, to O(a_s).

Same layout and conventions as :func:`ekodask.physics.ome.ome_sectors` (a_s = a_s^(nf+1)(mu_h^2),
L = ln(mu_h^2/m_h^2), pole mass). At O(a_s) the matching is fixed by the renormalisation-group
equation of the OMEs with zero constant (Bierenbaum-Blumlein-Klein 0901.0669 Sec. 4 for its
form; the polarised O(a_s) OMEs: Bierenbaum et al. arXiv:2211.15337, A_Hg^(1) and A_gg,H^(1)):
  Delta A_Hg^(1) = -L Delta gamma_qg^(0) / nf   (for h+; Delta gamma_qg^(0) of
                   :mod:`.anomalous_dimensions.polarized`, linear in nf),
  Delta A_gg,H^(1) = -4/3 T_R L                  (the heavy-quark part of beta_0, as unpolarised),
and the light non-singlet and gq, hq entries start at O(a_s^2). The first moment of
Delta A_Hg^(1) vanishes (Delta gamma_qg^(0)(1) = 0).

Not available here: the polarised O(a_s^2) OMEs (2211.15337, whose text and files are not at
hand) and any polarised intrinsic heavy-quark matching; both are refused (PhysicsError). The
cards refuse polarised NNLO anyway (Delta P_ns^(2)-/v, arXiv:1506.04517, is missing too).
"""

import numpy as np
from numpy.typing import NDArray

from ..errors import PhysicsError
from .anomalous_dimensions import polarized as _pol
from .constants import TR
from .ome import SECTORS, first_order_sectors

__all__ = ["SECTORS", "a_gg_1", "a_hg_1", "ome_sectors"]

Complex = NDArray[np.complex128]


def a_hg_1(n: Complex, L: float) -> Complex:
    """Delta A_Hg^(1) for h+: -L Delta gamma_qg^(0)(n) per flavour."""
    return -L * _pol.gamma_singlet(1, n, 1)[0, ..., 0, 1]


def a_gg_1(n: Complex, L: float) -> Complex:
    """Delta A_gg,H^(1) = -4/3 T_R L (n-independent)."""
    return np.full_like(np.asarray(n, dtype=complex), -4.0 / 3.0 * TR * L)


def ome_sectors(
    order: int,
    n: Complex,
    nf: int,
    a_s: float,
    L: float,
    intrinsic: bool = False,
    ln_xir2: float = 0.0,
) -> dict[str, Complex]:
    """The polarised matching in the sector layout of :func:`ekodask.physics.ome.ome_sectors`.

    ``order``: evolution order 1 (LO, the identity) or 2 (NLO, O(a_s)); ``ln_xir2`` only
    enters from O(a_s^2) on, so it is unused here.
    """
    if order >= 3:
        raise PhysicsError("polarised O(a_s^2) matching (arXiv:2211.15337) is not available")
    if intrinsic:
        raise PhysicsError("polarised intrinsic heavy-quark matching is not available")
    if order < 2:
        return first_order_sectors(order, n, a_s, 0.0, 0.0)
    return first_order_sectors(order, n, a_s, a_gg_1(n, L), a_hg_1(n, L))
