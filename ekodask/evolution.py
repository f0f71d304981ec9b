"""One fixed-nf evolution segment: Mellin-space kernels -> x-space operator in the PDG basis.

O[i, a, j, b] with i, j over the 14 PDG ids (22, -6, ..., 6) and a, b over the x-grid, acting on
PDF values: f_i(x_a, mu2) = sum O[i,a,j,b] f_j(x_b, mu0^2). Built in the intrinsic evolution
basis (:mod:`ekodask.physics.basis`): T_k with gamma_ns,+, V_k with gamma_ns,-, V with
gamma_ns,v, (Sigma, g) with the singlet matrix; the photon and the intrinsic inactive heavy
quarks (h+, h-) with the identity; inactive heavy quarks that are not intrinsic with zero.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .contraction import BlockOperator
from .errors import PhysicsError
from .mellin import N_NODES, singlet_pole, x_space_operator
from .options import EVOLUTION_METHODS, MAX_ORDER, N3LO_NF
from .physics import basis
from .physics import kernels as kern
from .physics.scale_variation import expanded_kernel

__all__ = ["GammaProvider", "evolution_blocks", "evolution_operator"]

_NS_KINDS = {"ns_p": "+", "ns_m": "-", "ns_v": "v"}
_HEAVY = {"c": 4, "b": 5, "t": 6}


class GammaProvider(Protocol):
    """Source of anomalous dimensions (default: :mod:`ekodask.physics.anomalous_dimensions`)."""

    def gamma_ns(self, order: int, kind: str, n: NDArray, nf: int) -> NDArray: ...

    def gamma_singlet(self, order: int, n: NDArray, nf: int) -> NDArray: ...


def _default_gammas(
    order: int,
    variation: tuple[int, ...],
    vintage: str | None,
    polarized: bool = False,
    time_like: bool = False,
) -> GammaProvider:
    """The package's anomalous dimensions: unpolarised (aN3LO variations at order 4), polarised
    or time-like. Memoised by value per process (every segment and task at the same nodes
    reuses them); the memo keys hold the provider's module name, so the kinds never share one.
    """
    from .physics.cache import CachedGammas, cached_gammas

    if polarized and time_like:
        raise PhysicsError("polarised time-like anomalous dimensions are not implemented")
    if polarized or time_like:
        if order >= 4:
            kind = "polarised" if polarized else "time-like"
            raise PhysicsError(f"{kind} anomalous dimensions exist up to NNLO, got order {order}")
        if polarized:
            from .physics.anomalous_dimensions import polarized as module
        else:
            from .physics.anomalous_dimensions import time_like as module
        return cached_gammas(module)
    if order < 4:
        return cached_gammas()
    from .physics import anomalous_dimensions as ad

    provider = ad.N3LOGammas(variation, vintage)
    return CachedGammas(provider, ad.__name__, (provider.variation, provider.vintage))


def evolution_blocks(
    *,
    xgrid: ArrayLike,
    degree: int,
    order: int,
    nf: int,
    a0: float,
    a1: float,
    method: str = "iterate-magnus4",
    ev_op_iterations: int = 10,
    ev_op_max_order: int = 10,
    intrinsic: tuple[int, ...] = (),
    xir: float = 1.0,
    expanded_ln_rho: float = 0.0,
    return_error: bool = False,
    gammas: GammaProvider | None = None,
    n_nodes: int = N_NODES,
    n3lo_ad_variation: tuple[int, ...] = (0,) * 7,
    n3lo_ad_vintage: str | None = None,
    polarized: bool = False,
    time_like: bool = False,
) -> BlockOperator:
    """The operator of one segment at fixed nf from a0 to a1 (a_s at mu_R^2), as its blocks.

    The evolution-basis blocks and the rotations to PDG ids (:class:`.contraction.BlockOperator`;
    ``.to_flavor()`` is the (14, nx, 14, nx) operator of :func:`evolution_operator`).

    order: 1 (LO) .. MAX_ORDER; method: one of options.EVOLUTION_METHODS; ev_op_iterations,
    ev_op_max_order: steps and U-matrix terms (eko's meanings, :func:`.physics.kernels.singlet`);
    intrinsic: heavy
    flavours (4, 5, 6) kept (identity) while inactive; xir = mu_R / mu_F, the caller passes
    a_s at xir^2 mu^2 and the anomalous dimensions are re-expanded in it
    (:func:`ekodask.physics.kernels.gamma_xir`). Backward evolution (a1 > a0) works the same.
    expanded_ln_rho: ln xif^2 of the expanded factorisation-scale variation (0: none): the
    kernel K(a1, xif^2) of :func:`ekodask.physics.scale_variation.expanded_kernel` multiplies
    the evolution from the left in N space (1906.10698 Eq. (3.35)); a1 is then a_s(xif^2 mu^2).
    With ``return_error`` the blocks carry a bound on the inversion error.
    ``n3lo_ad_variation``, ``n3lo_ad_vintage``: the aN3LO parametrisation choice (order 4 only,
    nf = 3..5; :mod:`ekodask.physics.anomalous_dimensions.as4`), ignored with ``gammas``.
    ``polarized``/``time_like`` pick the anomalous dimensions when ``gammas`` is None
    (:func:`_default_gammas`); the solution methods and the basis are the same for all.
    """
    if method not in EVOLUTION_METHODS:
        raise PhysicsError(f"method {method!r}: expected one of {EVOLUTION_METHODS}")
    if not 1 <= order <= MAX_ORDER:
        raise PhysicsError(f"evolution order {order}: expected 1 .. {MAX_ORDER}")
    if not (a0 > 0 and a1 > 0):
        raise PhysicsError(f"a_s must be positive, got a0 = {a0}, a1 = {a1}")
    if xir <= 0:
        raise PhysicsError(f"xir = {xir}: expected a positive ratio")
    if order >= 4 and nf not in N3LO_NF:
        raise PhysicsError(f"order {order} at nf = {nf}: the aN3LO parametrisations need nf 3..5")
    if gammas is None:
        provider = _default_gammas(
            order, tuple(n3lo_ad_variation), n3lo_ad_vintage, polarized, time_like
        )
    else:
        provider = gammas
    ln_xir2 = 2.0 * float(np.log(xir))
    labels = basis.evolution_labels(nf)
    sectors = [basis.sector(lab) for lab in labels]
    ns_needed = sorted({s for s in sectors if s in _NS_KINDS})

    # below NNLO gamma_ns,v = gamma_ns,- (the "sea" part starts at NNLO): compute it once
    kinds = {s: ("-" if s == "ns_v" and order < 3 else _NS_KINDS[s]) for s in ns_needed}

    def ns_kernel(n: NDArray[np.complex128]) -> NDArray[np.complex128]:
        done: dict[str, NDArray[np.complex128]] = {}
        for kind in dict.fromkeys(kinds.values()):
            g = kern.gamma_xir(provider.gamma_ns(order, kind, n, nf), nf, ln_xir2)
            done[kind] = kern.non_singlet(g, nf, a1, a0, method)
            if expanded_ln_rho != 0.0:
                done[kind] = expanded_kernel(g, nf, a1, expanded_ln_rho) * done[kind]
        return np.stack([done[kinds[s]] for s in ns_needed])

    def singlet_kernel(n: NDArray[np.complex128]) -> NDArray[np.complex128]:
        g = kern.gamma_xir(provider.gamma_singlet(order, n, nf), nf, ln_xir2)
        e = kern.singlet(g, nf, a1, a0, method, ev_op_iterations, ev_op_max_order)
        if expanded_ln_rho != 0.0:
            e = expanded_kernel(g, nf, a1, expanded_ln_rho) @ e
        return np.moveaxis(e, 0, -1)  # (2, 2, len(n))

    grid = np.asarray(xgrid, dtype=float)
    nx = grid.size
    ns = x_space_operator(
        ns_kernel, grid, degree, pole=0.0, n_nodes=n_nodes, return_error=return_error
    )
    sg = x_space_operator(
        singlet_kernel,
        grid,
        degree,
        pole=singlet_pole(polarized and gammas is None),
        n_nodes=n_nodes,
        return_error=return_error,
    )
    ns_op, ns_err = ns if return_error else (ns, None)
    sg_op, sg_err = sg if return_error else (sg, None)

    # the operator in the evolution basis is block diagonal (plus the singlet 2x2): its few
    # distinct blocks rotated to PDG ids in one product (contraction.blocks_to_flavor)
    i_s, i_g = labels.index("S"), labels.index("g")
    n_ns = len(ns_needed)
    entries = []
    for i, (lab, sec) in enumerate(zip(labels, sectors, strict=True)):
        if sec in _NS_KINDS:
            entries.append((i, i, ns_needed.index(sec)))
        elif sec == "identity" and (lab == "ph" or _HEAVY[lab[0]] in intrinsic):
            entries.append((i, i, n_ns + 4))
    for r, row in enumerate((i_s, i_g)):
        for c, col in enumerate((i_s, i_g)):
            entries.append((row, col, n_ns + 2 * r + c))
    left, right = basis.evolution_to_flavor(nf), basis.flavor_to_evolution(nf)

    def stacked(ns_part: NDArray, sg_part: NDArray, unit: NDArray) -> NDArray:
        return np.concatenate([ns_part, sg_part.reshape(4, nx, nx), unit[None]])

    blocks = stacked(ns_op, sg_op, np.eye(nx))
    err = None if not return_error else stacked(ns_err, sg_err, np.zeros((nx, nx)))
    return BlockOperator(blocks, tuple(entries), left, right, err)


def evolution_operator(
    **kwargs: object,
) -> NDArray[np.float64] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The operator (14, nx, 14, nx) of one segment (the arguments of :func:`evolution_blocks`).

    With ``return_error`` also returns a bound on the inversion error (same shape).
    """
    op, err = evolution_blocks(**kwargs).to_flavor()  # type: ignore[arg-type]
    return op if err is None else (op, err)
