"""QCD anomalous dimensions gamma(n) = -Mellin[P](n), stacked by order in a_s = alpha_s/(4 pi).

gamma(a_s) = sum_k a_s^(k+1) gamma^(k); entry k of the arrays below is gamma^(k), k < order.
LO: :mod:`.as1`; NLO: :mod:`.as2`; NNLO: :mod:`.as3`; aN3LO: :mod:`.as4` (FHMRUVV
parametrisations, nf = 3..5 only, with eko's ``n3lo_ad_variation`` and a vintage; imported
lazily).
"""

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import PhysicsError
from ...options import MAX_ORDER
from . import as1, as2

__all__ = ["KINDS", "N3LOGammas", "gamma_ns", "gamma_singlet", "shared_sums"]

KINDS = ("+", "-", "v")
CArray = npt.NDArray[np.complex128]


def _check(order: int) -> None:
    if not 1 <= order <= MAX_ORDER:
        raise PhysicsError(f"order must be 1 (LO) .. {MAX_ORDER}, got {order}")


_NO_VARIATION = (0,) * 7


def shared_sums(n: CArray, order: int) -> tuple[Any, Any]:
    """The nf-independent harmonic sums at the nodes n that the order's kernels need.

    (as2.MellinTransforms or None, the as3 or as4 Mellin basis or None); built once per node
    set and process (memoised by value in :data:`ekodask.physics.cache.objects`) and shared
    by every nf, kind and sector: at NNLO they are ~80% of a gamma evaluation.
    """
    from ..cache import nodes_key, objects

    key = nodes_key(n)
    mel = objects.get(("as2", key), lambda: as2.MellinTransforms(n)) if order >= 2 else None
    basis = None
    if order == 3:
        from .as3_mellin import MellinBasis

        basis = objects.get(("as3", key), lambda: MellinBasis(n))
    elif order >= 4:
        from . import as4

        basis = objects.get(("as4", key), lambda: as4.mellin_basis(n))
    return mel, basis


def gamma_ns(
    order: int,
    kind: str,
    n,
    nf: int,
    n3lo_ad_variation: Sequence[int] = _NO_VARIATION,
    n3lo_ad_vintage: str | None = None,
) -> CArray:
    """Non-singlet gamma^(k)(n) for k < order, shape (order,) + n.shape.

    kind "+" (T_k), "-" (V_k) or "v" (total valence V; equals "-" below NNLO).
    ``n3lo_ad_variation`` (eko's seven entries gg, gq, qg, qq, ns+, ns-, nsv) and
    ``n3lo_ad_vintage`` only act at order 4 (:mod:`.as4`; kind + reads entry ns+, - ns-, v nsv).
    """
    _check(order)
    if kind not in KINDS:
        raise PhysicsError(f"kind must be one of {KINDS}, got {kind!r}")
    n = np.asarray(n, dtype=np.complex128)
    out = np.empty((order, *n.shape), dtype=np.complex128)
    mel, basis = shared_sums(n, order)
    s1 = mel.s(1, 0) if mel is not None else None
    out[0] = as1.gamma_ns(n, nf, s1)
    if order >= 2:
        fn2 = {"+": as2.gamma_nsp, "-": as2.gamma_nsm, "v": as2.gamma_nsv}[kind]
        out[1] = fn2(n, nf, mel)
    if order >= 3:
        from . import as3

        fn3 = {"+": as3.gamma_nsp, "-": as3.gamma_nsm, "v": as3.gamma_nsv}[kind]
        out[2] = fn3(n, nf, basis)  # an as4 basis extends the as3 one
    if order >= 4:
        from . import as4

        as4.check(nf, n3lo_ad_variation, n3lo_ad_vintage or as4.DEFAULT_VINTAGE)
        fn4 = {"+": as4.gamma_nsp, "-": as4.gamma_nsm, "v": as4.gamma_nsv}[kind]
        out[3] = fn4(n, nf, n3lo_ad_variation[4 + KINDS.index(kind)], basis)
    return out


def gamma_singlet(
    order: int,
    n,
    nf: int,
    n3lo_ad_variation: Sequence[int] = _NO_VARIATION,
    n3lo_ad_vintage: str | None = None,
) -> CArray:
    """Singlet gamma^(k)(n), k < order, shape (order,) + n.shape + (2, 2), [[qq, qg], [gq, gg]].

    At order 4 the entries gg, gq, qg, qq of ``n3lo_ad_variation`` and the vintage act
    (:func:`.as4.gamma_singlet`).
    """
    _check(order)
    n = np.asarray(n, dtype=np.complex128)
    out = np.empty((order, *n.shape, 2, 2), dtype=np.complex128)
    mel, basis = shared_sums(n, order)
    s1 = mel.s(1, 0) if mel is not None else None
    out[0] = as1.gamma_singlet(n, nf, s1)
    if order >= 2:
        out[1] = as2.gamma_singlet(n, nf, mel)
    if order >= 3:
        from . import as3

        out[2] = as3.gamma_singlet(n, nf, basis)
    if order >= 4:
        from . import as4

        vintage = n3lo_ad_vintage or as4.DEFAULT_VINTAGE
        out[3] = as4.gamma_singlet(n, nf, tuple(n3lo_ad_variation), vintage, basis)
    return out


class N3LOGammas:
    """Gamma provider (``gamma_ns``, ``gamma_singlet`` of (order, [kind,] n, nf)) with a fixed
    N3LO variation and vintage: what :mod:`ekodask.evolution` asks at order 4."""

    def __init__(self, variation: Sequence[int] = _NO_VARIATION, vintage: str | None = None):
        from . import as4

        self.variation = tuple(int(v) for v in variation)
        self.vintage = vintage or as4.DEFAULT_VINTAGE
        if len(self.variation) != 7 or any(v not in (0, 1, 2) for v in self.variation):
            raise PhysicsError(
                f"n3lo_ad_variation = {self.variation}: expected 7 integers in {{0, 1, 2}}"
            )
        if self.vintage not in as4.VINTAGES:
            raise PhysicsError(f"vintage {self.vintage!r}: expected one of {tuple(as4.VINTAGES)}")

    def gamma_ns(self, order: int, kind: str, n, nf: int) -> CArray:
        """:func:`gamma_ns` with this variation and vintage."""
        return gamma_ns(order, kind, n, nf, self.variation, self.vintage)

    def gamma_singlet(self, order: int, n, nf: int) -> CArray:
        """:func:`gamma_singlet` with this variation and vintage."""
        return gamma_singlet(order, n, nf, self.variation, self.vintage)
