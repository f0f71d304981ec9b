"""Approximate four-loop (aN3LO) anomalous dimensions gamma^(3)(N), a_s = alpha_s/(4 pi).

gamma^(3) = -M[P^(3)], each basis function of the authors' x-space parametrisations
Mellin-transformed exactly (:mod:`.as4_mellin`): non-singlet 1707.08315 (:mod:`.as4_ns`),
singlet 2302.07593, 2307.04158, 2310.05744, 2404.09701, 2410.08089 (:mod:`.as4_singlet`).
The singlet parametrisations exist only for nf = 3, 4, 5; so does this module.

Variations follow eko's ``n3lo_ad_variation`` (eko doc N3LO_ad.rst): seven integers for
(gg, gq, qg, qq, ns+, ns-, nsv); 0 is the files' central value (the average of their two
approximations), 1 and 2 are the files' IMOD = 1 and IMOD = 2. As in eko 0.15.7 (checked
numerically against it), the "qq" entry varies both parts of gamma_qq = gamma_ns,+ + gamma_ps
together, while the "ns+" entry varies only the non-singlet gamma_ns,+ of the T_k
combinations; the "nsv" entry varies both parts of gamma_ns,v = gamma_ns,- + gamma_ns,s.

Vintage (which singlet files): "2024" (default: P_gq of 2404.09701 and P_gg of 2410.08089,
fitted to N <= 20, as eko 0.15.7 uses) or "2023" (both of 2310.05744, fitted to N <= 10).
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ...errors import PhysicsError
from ...options import N3LO_AD_VINTAGES
from . import as4_ns, as4_singlet
from .as4_mellin import MellinBasis4, Term, scale, transform

__all__ = [
    "DEFAULT_VINTAGE",
    "VARIATION_ENTRIES",
    "VINTAGES",
    "check",
    "gamma_gg",
    "gamma_gq",
    "gamma_nsm",
    "gamma_nsp",
    "gamma_nss",
    "gamma_nsv",
    "gamma_ps",
    "gamma_qg",
    "gamma_singlet",
]

CArray = npt.NDArray[np.complex128]
VARIATION_ENTRIES = ("gg", "gq", "qg", "qq", "ns+", "ns-", "nsv")
VINTAGES = {"2023": 1, "2024": 2}  # vintage name -> generation of the singlet files
DEFAULT_VINTAGE = N3LO_AD_VINTAGES[0]
assert set(VINTAGES) == set(N3LO_AD_VINTAGES)
_KMAX = 4


def check(nf: int, variation: Sequence[int] = (0,) * 7, vintage: str = DEFAULT_VINTAGE) -> None:
    """Raise PhysicsError unless nf in 3..5, variation = 7 entries in {0, 1, 2}, vintage known."""
    if nf not in as4_singlet.NF_ALLOWED:
        raise PhysicsError(
            f"nf = {nf}: the four-loop splitting-function parametrisations exist for nf = 3, 4, 5"
        )
    if len(variation) != 7 or any(v not in (0, 1, 2) for v in variation):
        raise PhysicsError(
            f"n3lo_ad_variation = {tuple(variation)}: expected 7 integers in {{0, 1, 2}} for "
            f"{VARIATION_ENTRIES}"
        )
    if vintage not in VINTAGES:
        raise PhysicsError(f"vintage {vintage!r}: expected one of {tuple(VINTAGES)}")


def mellin_basis(n: npt.ArrayLike) -> MellinBasis4:
    """The Mellin basis every function here needs at n (pass it as ``basis`` to share it)."""
    return MellinBasis4(n, -1, _KMAX)


def _basis(n: npt.ArrayLike, basis: MellinBasis4 | None) -> MellinBasis4:
    return basis if basis is not None else mellin_basis(n)


def _mix(fn, var: int):
    """fn(imod) for var 1, 2; the average of both for var 0 (fn returns term lists)."""
    if var in (1, 2):
        return fn(var)
    return scale(fn(1), 0.5) + scale(fn(2), 0.5)


def _ns_distribution(parts: tuple[list[Term], float, float], b: MellinBasis4) -> CArray:
    """-M[A + B [1/(1-x)]_+ + C delta(1-x)]."""
    regular, plus, delta = parts
    return -(transform(b, regular) + plus * b.plus() + delta)


def _ns_average(fn, nf: int, var: int) -> tuple[list[Term], float, float]:
    if var in (1, 2):
        return fn(nf, var)
    (r1, p1, d1), (r2, p2, d2) = fn(nf, 1), fn(nf, 2)
    return scale(r1, 0.5) + scale(r2, 0.5), 0.5 * (p1 + p2), 0.5 * (d1 + d2)


def gamma_nsp(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_ns,+^(3)(N), shape n.shape; xpns3p.f (1707.08315). variation 0, 1, 2."""
    check(nf)
    return _ns_distribution(_ns_average(as4_ns.nsp, nf, variation), _basis(n, basis))


def gamma_nsm(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_ns,-^(3)(N), shape n.shape; xpns3m.f (1707.08315). variation 0, 1, 2."""
    check(nf)
    return _ns_distribution(_ns_average(as4_ns.nsm, nf, variation), _basis(n, basis))


def gamma_nss(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_ns,s^(3)(N) = gamma_ns,v - gamma_ns,-, shape n.shape; xpns3s.f (1707.08315)."""
    check(nf)
    return -transform(_basis(n, basis), _mix(lambda imod: as4_ns.nss(nf, imod), variation))


def gamma_nsv(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_ns,v^(3)(N) = gamma_ns,-^(3) + gamma_ns,s^(3), both with ``variation``."""
    b = _basis(n, basis)
    return gamma_nsm(n, nf, variation, b) + gamma_nss(n, nf, variation, b)


def gamma_ps(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_ps^(3)(N), shape n.shape; xPps3a.f (2302.07593)."""
    check(nf)
    return -transform(_basis(n, basis), _mix(lambda imod: as4_singlet.ps(nf, imod), variation))


def gamma_qg(n: npt.ArrayLike, nf: int, variation: int = 0, basis=None) -> CArray:
    """gamma_qg^(3)(N), shape n.shape; xPqg3a.f (2307.04158)."""
    check(nf)
    return -transform(_basis(n, basis), _mix(lambda imod: as4_singlet.qg(nf, imod), variation))


def gamma_gq(
    n: npt.ArrayLike, nf: int, variation: int = 0, vintage: str = DEFAULT_VINTAGE, basis=None
) -> CArray:
    """gamma_gq^(3)(N); xPgq3a_2.f (2404.09701, vintage "2024") or xPgq3a.f (2310.05744)."""
    check(nf, vintage=vintage)
    v = VINTAGES[vintage]
    terms = _mix(lambda imod: as4_singlet.gq(nf, imod, v), variation)
    return -transform(_basis(n, basis), terms)


def gamma_gg(
    n: npt.ArrayLike, nf: int, variation: int = 0, vintage: str = DEFAULT_VINTAGE, basis=None
) -> CArray:
    """gamma_gg^(3)(N); xPgg3a_2.f (2410.08089, vintage "2024") or xPgg3a.f (2310.05744)."""
    check(nf, vintage=vintage)
    v = VINTAGES[vintage]
    b = _basis(n, basis)
    regular = _mix(lambda imod: as4_singlet.gg(nf, imod, v), variation)
    imods = (variation,) if variation in (1, 2) else (1, 2)
    delta = sum(as4_singlet.gg_b4(nf, i, v) for i in imods) / len(imods)
    return -(transform(b, regular) + as4_singlet.gg_a4(nf) * b.plus() + delta)


def gamma_singlet(
    n: npt.ArrayLike,
    nf: int,
    variation: Sequence[int] = (0,) * 7,
    vintage: str = DEFAULT_VINTAGE,
    basis: MellinBasis4 | None = None,
) -> CArray:
    """Singlet gamma^(3)(N), shape n.shape + (2, 2), [[qq, qg], [gq, gg]], qq = ns+ + ps.

    variation: eko's seven n3lo_ad_variation entries (gg, gq, qg, qq, ns+, ns-, nsv); the
    singlet uses the first four ("qq" for both ns+ and ps inside gamma_qq).
    """
    check(nf, variation, vintage)
    var_gg, var_gq, var_qg, var_qq = variation[:4]
    b = _basis(n, basis)
    gamma_qq = gamma_nsp(n, nf, var_qq, b) + gamma_ps(n, nf, var_qq, b)
    row_q = [gamma_qq, gamma_qg(n, nf, var_qg, b)]
    row_g = [gamma_gq(n, nf, var_gq, vintage, b), gamma_gg(n, nf, var_gg, vintage, b)]
    return np.stack([np.stack(row_q, axis=-1), np.stack(row_g, axis=-1)], axis=-2)
