"""Inverse of the N-space matching nf -> nf+1, for backward evolution: exact or expanded.

The matching is kept in the sector layout of :func:`ekodask.physics.ome.ome_sectors`: per N,
g' = gg g + gq Sigma + gh h+, h+' = hg g + hq Sigma + hh_p h+, h-' = hh_m h-, each light
q_i' = ns q_i, i.e. the (g, Sigma, h+) block [[gg, gq, gh], [0, ns, 0], [hg, hq, hh_p]], the
(V, h-) block diag(ns, hh_m) and ns on every other light combination. Two inverses, as eko's
``inversion_method`` (eko doc/source/theory/Matching.rst, "Backward evolution"):

- ``exact``: the matrix inverted in N space, then Mellin-inverted;
- ``expanded``: A^-1 = 1 - a A1 + a^2 (A1^2 - A2) + a^3 (-A3 + A1 A2 + A2 A1 - A1^3) + ...,
  truncated at the order of A, with a = a_s^(nf+1)(mu_h^2).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import PhysicsError
from ..options import INVERSION_METHODS
from .ome import SECTORS, ome_sectors

__all__ = [
    "INVERSION_METHODS",
    "identity_sectors",
    "inverse_ome_sectors",
    "invert_exact",
    "invert_expanded",
    "ome_coefficients",
    "sector_product",
]


Sectors = dict[str, NDArray[np.complex128]]
_DIAGONAL = ("ns", "gg", "hh_p", "hh_m")


def identity_sectors(like: NDArray) -> Sectors:
    """The unit matching in the sector layout, shaped like ``like``."""
    one, zero = np.ones_like(like, dtype=complex), np.zeros_like(like, dtype=complex)
    return {k: (one if k in _DIAGONAL else zero) for k in SECTORS}


def sector_product(x: Sectors, y: Sectors) -> Sectors:
    """x o y (apply y first): the block products of the (g, Sigma, h+) and (V, h-) blocks."""
    return {
        "ns": x["ns"] * y["ns"],
        "gg": x["gg"] * y["gg"] + x["gh"] * y["hg"],
        "gq": x["gg"] * y["gq"] + x["gq"] * y["ns"] + x["gh"] * y["hq"],
        "gh": x["gg"] * y["gh"] + x["gh"] * y["hh_p"],
        "hg": x["hg"] * y["gg"] + x["hh_p"] * y["hg"],
        "hq": x["hg"] * y["gq"] + x["hq"] * y["ns"] + x["hh_p"] * y["hq"],
        "hh_p": x["hg"] * y["gh"] + x["hh_p"] * y["hh_p"],
        "hh_m": x["hh_m"] * y["hh_m"],
    }


def invert_exact(s: Sectors) -> Sectors:
    """The exact inverse per N (eko ``inversion_method: exact``), same layout."""
    det = s["gg"] * s["hh_p"] - s["gh"] * s["hg"]
    out = {
        "ns": 1.0 / s["ns"],
        "gg": s["hh_p"] / det,
        "gh": -s["gh"] / det,
        "hg": -s["hg"] / det,
        "hh_p": s["gg"] / det,
        "hh_m": 1.0 / s["hh_m"],
    }
    out["gq"] = -(out["gg"] * s["gq"] + out["gh"] * s["hq"]) / s["ns"]
    out["hq"] = -(out["hg"] * s["gq"] + out["hh_p"] * s["hq"]) / s["ns"]
    return out


def invert_expanded(coefficients: Sequence[Sectors], a_s: float) -> Sectors:
    """sum_m a_s^m B_m with B_0 = 1, B_m = -sum_{k=1}^m A^(k) B_(m-k), m <= len(coefficients).

    ``coefficients``: A^(1), A^(2), ... of A = 1 + sum_k a_s^k A^(k) (no unit part). This is
    the series inverse truncated at the order of A (eko ``inversion_method: expanded``).
    """
    if not coefficients:
        raise PhysicsError("expanded inverse of the unit matching: no coefficients given")
    one = identity_sectors(coefficients[0]["ns"])
    series = [one]
    for m in range(1, len(coefficients) + 1):
        bm = {k: np.zeros_like(one[k]) for k in SECTORS}
        for k in range(1, m + 1):
            term = sector_product(coefficients[k - 1], series[m - k])
            bm = {key: bm[key] - term[key] for key in SECTORS}
        series.append(bm)
    return {key: sum(a_s**m * series[m][key] for m in range(len(series))) for key in SECTORS}


def ome_coefficients(
    order: int,
    n: NDArray,
    nf: int,
    L: float,
    intrinsic: bool,
    ln_xir2: float = 0.0,
    sectors: Callable[..., Sectors] = ome_sectors,
) -> list[Sectors]:
    """A^(1) .. A^(order-1) of :func:`ome_sectors` (a polynomial in a_s: read off at a_s = 1).

    ``sectors``: another matching of the same signature (polarised, time-like OMEs).
    """
    previous = sectors(1, n, nf, 1.0, L, intrinsic, ln_xir2)
    out = []
    for k in range(2, order + 1):
        current = sectors(k, n, nf, 1.0, L, intrinsic, ln_xir2)
        out.append({key: current[key] - previous[key] for key in SECTORS})
        previous = current
    return out


def inverse_ome_sectors(
    order: int,
    n: NDArray,
    nf: int,
    a_s: float,
    L: float,
    intrinsic: bool,
    method: str,
    ln_xir2: float = 0.0,
    sectors: Callable[..., Sectors] = ome_sectors,
) -> Sectors:
    """The backward matching nf+1 -> nf in N space by ``method`` ("exact" or "expanded").

    Arguments as :func:`ome_sectors` (``ln_xir2``: the OMEs re-expanded in a_s(mu_R^2), the
    series inverted in that a_s); at LO (order 1) the matching is the identity. ``sectors``:
    the forward matching to invert (default :func:`ome_sectors`).
    """
    if method not in INVERSION_METHODS:
        raise PhysicsError(f"inversion_method {method!r}: expected one of {INVERSION_METHODS}")
    if order <= 1:
        return identity_sectors(np.asarray(n))
    if method == "exact":
        return invert_exact(sectors(order, n, nf, a_s, L, intrinsic, ln_xir2))
    return invert_expanded(ome_coefficients(order, n, nf, L, intrinsic, ln_xir2, sectors), a_s)
