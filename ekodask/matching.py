"""Threshold (matching) operators nf -> nf+1 in the PDG basis, and their composition.

The N-space matching of :mod:`ekodask.physics.ome` is Mellin-inverted sector by sector on the
interpolation grid and rotated to the 14 PDG ids of :data:`PIDS`.
Backward matching (nf+1 -> nf) inverts the N-space matrix exactly ("exact") or uses the
truncated series A^-1 = 1 - a A1 + a^2 (A1^2 - A2) ("expanded"); Bierenbaum-Blumlein-Klein
0901.0669.
"""

import numpy as np
from numpy.typing import NDArray

from .contraction import contract
from .errors import PhysicsError
from .mellin import singlet_pole, x_space_operator
from .options import INVERSION_METHODS
from .physics.matching_inverse import inverse_ome_sectors, invert_exact
from .physics.ome import SECTORS, ome_sectors
from .pids import PIDS

__all__ = ["PIDS", "combine", "identity_operator", "invert_sectors", "matching_operator"]

_IDX = {pid: i for i, pid in enumerate(PIDS)}
_DIAGONAL = ("ns", "gg", "hh_p", "hh_m")

Sectors = dict[str, NDArray[np.complex128]]


def identity_operator(nx: int) -> NDArray[np.float64]:
    """The unit operator, shape (14, nx, 14, nx)."""
    eye = np.eye(nx)
    out = np.zeros((len(PIDS), nx, len(PIDS), nx))
    for i in range(len(PIDS)):
        out[i, :, i, :] = eye
    return out


def combine(partial: NDArray[np.float64], threshold: NDArray[np.float64]) -> NDArray[np.float64]:
    """partial o threshold: contraction over (pid, x) (:func:`ekodask.contraction.contract`)."""
    return contract(partial, threshold)


invert_sectors = invert_exact
"""Exact inverse of the N-space matching (per N): :func:`.physics.matching_inverse.invert_exact`."""


def _sectors_function(polarized: bool = False, time_like: bool = False):
    """The N-space matching of the kind: unpolarised, polarised or time-like."""
    if polarized and time_like:
        raise PhysicsError("polarised time-like matching is not implemented")
    if polarized:
        from .physics.ome_polarized import ome_sectors as fn
    elif time_like:
        from .physics.ome_time_like import ome_sectors as fn
    else:
        fn = ome_sectors
    return fn


def _expanded_inverse(order: int, n, nf, a_s, log_ratio, intrinsic, ln_xir2=0.0) -> Sectors:
    """A^-1 = 1 - a A1 + a^2 (A1 A1 - A2): :func:`.physics.matching_inverse.inverse_ome_sectors`."""
    return inverse_ome_sectors(order, n, nf, a_s, log_ratio, intrinsic, "expanded", ln_xir2)


def matching_operator(
    *,
    xgrid: NDArray[np.float64],
    degree: int,
    order: int,
    nf: int,
    a_s: float,
    log_ratio: float,
    intrinsic: tuple[int, ...] = (),
    backward: bool = False,
    backward_method: str | None = None,
    return_error: bool = False,
    ln_xir2: float = 0.0,
    polarized: bool = False,
    time_like: bool = False,
) -> NDArray[np.float64] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """PDG-basis threshold operator nf -> nf+1 (or nf+1 -> nf if ``backward``), (14,nx,14,nx).

    OMEs to O(a_s^(order-1)) with a_s = a_s^(nf+1)(mu_h^2), log_ratio = ln(mu_h^2/m_h^2);
    with ``ln_xir2`` = ln(mu_R^2/mu_h^2), a_s = a_s^(nf+1)(mu_R^2) and the OMEs are re-expanded
    in it (:func:`ekodask.physics.ome.ome_sectors`).
    The new heavy quark h = nf+1 gets h = hbar = (A_Hq Sigma + A_Hg g)/2; if h is not in
    ``intrinsic`` its own input column is the identity (it is zero below threshold anyway),
    flavours heavier than h and the photon are untouched.
    ``backward_method``: "exact" or "expanded" (the operator card's ``inversion_method``, via
    :mod:`ekodask.compute`; :mod:`.physics.matching_inverse`); by default "exact", but
    "expanded" where h is intrinsic: 1 + a_s A_HH^(1)(N) has a zero at large real N
    (~ exp(1/sqrt(2 C_F a_s))), so its exact inverse has a pole right of the Mellin contour.
    With ``return_error`` also returns a bound on the inversion error (same shape).
    ``polarized``/``time_like``: the OMEs of :mod:`ekodask.physics.ome_polarized` or
    :mod:`ekodask.physics.ome_time_like` instead (O(a_s) only; no intrinsic heavy quarks).
    """
    xgrid = np.asarray(xgrid, dtype=float)
    nx = xgrid.size
    if order <= 1:
        eye = identity_operator(nx)
        return (eye, np.zeros_like(eye)) if return_error else eye
    hq = nf + 1
    intr = hq in intrinsic
    if backward_method is None:
        backward_method = "expanded" if intr else "exact"
    if backward_method not in INVERSION_METHODS:
        raise PhysicsError(f"backward_method {backward_method!r} not in {INVERSION_METHODS}")

    sectors = _sectors_function(polarized, time_like)

    def kernel(n: NDArray[np.complex128]) -> NDArray[np.complex128]:
        if backward:
            s = inverse_ome_sectors(
                order, n, nf, a_s, log_ratio, intr, backward_method, ln_xir2, sectors
            )
        else:
            s = sectors(order, n, nf, a_s, log_ratio, intr, ln_xir2)
        # the unit parts are added exactly in x space
        return np.stack([s[k] - 1.0 if k in _DIAGONAL else s[k] for k in SECTORS])

    pole = singlet_pole(polarized)  # polarised OMEs: poles at N <= 0 only
    mats = x_space_operator(kernel, xgrid, degree, pole=pole, return_error=return_error)
    mats, errs = mats if return_error else (mats, None)
    sec = dict(zip(SECTORS, mats.real, strict=True))
    eye = np.eye(nx)
    for k in _DIAGONAL:
        sec[k] = sec[k] + eye
    out = _assemble(sec, nx, nf, identity_operator(nx))
    if not return_error:
        return out
    err = {k: np.abs(e) for k, e in zip(SECTORS, errs, strict=True)}
    return out, _assemble(err, nx, nf, np.zeros((len(PIDS), nx, len(PIDS), nx)), error=True)


def _assemble(sec: dict, nx: int, nf: int, out: NDArray, error: bool = False) -> NDArray:
    """The PDG-basis operator of the matching sectors, on top of ``out`` (identity or zeros).

    With ``error`` the entries are bounds: the h+/- combinations add their absolute values.
    """
    hq = nf + 1
    light = [q for q in range(-nf, nf + 1) if q != 0]
    g, h, hb = _IDX[21], _IDX[hq], _IDX[-hq]
    for q in light:
        out[_IDX[q], :, _IDX[q], :] = sec["ns"]
        out[g, :, _IDX[q], :] = sec["gq"]
        out[h, :, _IDX[q], :] = 0.5 * sec["hq"]
        out[hb, :, _IDX[q], :] = 0.5 * sec["hq"]
    out[g, :, g, :] = sec["gg"]
    out[g, :, h, :] = sec["gh"]
    out[g, :, hb, :] = sec["gh"]
    out[h, :, g, :] = 0.5 * sec["hg"]
    out[hb, :, g, :] = 0.5 * sec["hg"]
    diag = 0.5 * (sec["hh_p"] + sec["hh_m"])
    off = 0.5 * (sec["hh_p"] + sec["hh_m"]) if error else 0.5 * (sec["hh_p"] - sec["hh_m"])
    out[h, :, h, :], out[hb, :, hb, :] = diag, diag
    out[h, :, hb, :], out[hb, :, h, :] = off, off
    return out
