"""Time-like (fragmentation-function) heavy-quark matching nf -> nf+1 in Mellin space, O(a_s).

Same layout and conventions as :func:`ekodask.physics.ome.ome_sectors`, acting on the
fragmentation functions D_i of a hadron (a_s = a_s^(nf+1)(mu_h^2), L = ln(mu_h^2/m_h^2), pole
mass m_h). At O(a_s) (Cacciari-Nason-Oleari hep-ph/0504192; the heavy-quark initial condition of
Mele-Nason, Nucl. Phys. B361 (1991) 626):
- the heavy quark fragments through a gluon, D_h = D_hbar = d_{h->g} (x) D_g with
  d_{h->g}(x) = a_s 2 C_F (1 + (1-x)^2)/x (L - 1 - 2 ln x) per quark; its L term is the
  time-like P_gq^(0) (x) D_g of one flavour, as the renormalisation-group equation demands;
  the function is the one of the space-like intrinsic A_gH^(1) (:func:`.ome.a_gh_1`);
- the gluon decouples the heavy-quark loop, A_gg,H^(1) = -4/3 T_R L, as space-like;
- everything else (light non-singlet, gq, hq, gh) starts at O(a_s^2).
The sector ``hg`` acts on h+ = D_h + D_hbar, so it is 2 d_{h->g}.

Not available: the O(a_s^2) time-like matching (refused, PhysicsError; the cards refuse
time-like NNLO across a threshold) and intrinsic heavy quarks.
"""

import numpy as np
from numpy.typing import NDArray

from ..errors import PhysicsError
from .ome import SECTORS, a_gg_1, a_gh_1, first_order_sectors

__all__ = ["SECTORS", "a_gg_1", "a_hg_1", "ome_sectors"]

Complex = NDArray[np.complex128]


def a_hg_1(n: Complex, L: float) -> Complex:
    """Time-like A_hg^(1) for h+ from the gluon: 2 d_{h->g}(n) / a_s (module docstring)."""
    return 2.0 * a_gh_1(n, L)


def ome_sectors(
    order: int,
    n: Complex,
    nf: int,
    a_s: float,
    L: float,
    intrinsic: bool = False,
    ln_xir2: float = 0.0,
) -> dict[str, Complex]:
    """The time-like matching in the sector layout of :func:`ekodask.physics.ome.ome_sectors`.

    ``order``: evolution order 1 (LO, the identity) or 2 (NLO, O(a_s)); ``ln_xir2`` only
    enters from O(a_s^2) on, so it is unused here.
    """
    if order >= 3:
        raise PhysicsError("time-like O(a_s^2) matching is not available (only O(a_s))")
    if intrinsic:
        raise PhysicsError("time-like intrinsic heavy-quark matching is not available")
    if order < 2:
        return first_order_sectors(order, n, a_s, 0.0, 0.0)
    return first_order_sectors(order, n, a_s, a_gg_1(n, L), a_hg_1(n, L))
