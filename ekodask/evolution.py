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

from .errors import PhysicsError
from .mellin import N_NODES, x_space_operator
from .options import EVOLUTION_METHODS, MAX_ORDER
from .physics import basis
from .physics import kernels as kern

__all__ = ["GammaProvider", "evolution_operator"]

_NS_KINDS = {"ns_p": "+", "ns_m": "-", "ns_v": "v"}
_HEAVY = {"c": 4, "b": 5, "t": 6}


class GammaProvider(Protocol):
    """Source of anomalous dimensions (default: :mod:`ekodask.physics.anomalous_dimensions`)."""

    def gamma_ns(self, order: int, kind: str, n: NDArray, nf: int) -> NDArray: ...

    def gamma_singlet(self, order: int, n: NDArray, nf: int) -> NDArray: ...


def _default_gammas(polarized: bool = False, time_like: bool = False) -> GammaProvider:
    """The package's anomalous dimensions: unpolarised, polarised or time-like space.

    Memoised by value per process (every segment and task at the same nodes reuses them); the
    memo keys hold the provider's module name, so the three kinds never share an entry.
    """
    from .physics.cache import cached_gammas

    if polarized and time_like:
        raise PhysicsError("polarised time-like anomalous dimensions are not implemented")
    if polarized:
        from .physics.anomalous_dimensions import polarized as provider
    elif time_like:
        from .physics.anomalous_dimensions import time_like as provider
    else:
        return cached_gammas()
    return cached_gammas(provider)


def evolution_operator(
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
    return_error: bool = False,
    gammas: GammaProvider | None = None,
    n_nodes: int = N_NODES,
    polarized: bool = False,
    time_like: bool = False,
) -> NDArray[np.float64] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The operator (14, nx, 14, nx) of one segment at fixed nf from a0 to a1 (a_s at mu_R^2).

    order: 1 (LO) .. MAX_ORDER; method: one of options.EVOLUTION_METHODS; ev_op_iterations,
    ev_op_max_order: steps and U-matrix terms (eko's meanings, :func:`.physics.kernels.singlet`);
    intrinsic: heavy
    flavours (4, 5, 6) kept (identity) while inactive; xir = mu_R / mu_F, the caller passes
    a_s at xir^2 mu^2 and the anomalous dimensions are re-expanded in it
    (:func:`ekodask.physics.kernels.gamma_xir`). Backward evolution (a1 > a0) works the same.
    With ``return_error`` also returns a bound on the inversion error (same shape).
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
    provider = _default_gammas(polarized, time_like) if gammas is None else gammas
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
        return np.stack([done[kinds[s]] for s in ns_needed])

    def singlet_kernel(n: NDArray[np.complex128]) -> NDArray[np.complex128]:
        g = kern.gamma_xir(provider.gamma_singlet(order, n, nf), nf, ln_xir2)
        e = kern.singlet(g, nf, a1, a0, method, ev_op_iterations, ev_op_max_order)
        return np.moveaxis(e, 0, -1)  # (2, 2, len(n))

    grid = np.asarray(xgrid, dtype=float)
    nx = grid.size
    ns = x_space_operator(
        ns_kernel, grid, degree, pole=0.0, n_nodes=n_nodes, return_error=return_error
    )
    sg = x_space_operator(
        singlet_kernel, grid, degree, pole=1.0, n_nodes=n_nodes, return_error=return_error
    )
    ns_op, ns_err = ns if return_error else (ns, None)
    sg_op, sg_err = sg if return_error else (sg, None)

    def assemble(ns_part: NDArray, sg_part: NDArray, unit: NDArray) -> NDArray:
        op = np.zeros((14, nx, 14, nx))
        for i, (lab, sec) in enumerate(zip(labels, sectors, strict=True)):
            if sec in _NS_KINDS:
                op[i, :, i, :] = ns_part[ns_needed.index(sec)]
            elif sec == "identity":
                keep = lab == "ph" or _HEAVY[lab[0]] in intrinsic
                if keep:
                    op[i, :, i, :] = unit
        i_s, i_g = labels.index("S"), labels.index("g")
        for r, row in enumerate((i_s, i_g)):
            for c, col in enumerate((i_s, i_g)):
                op[row, :, col, :] = sg_part[r, c]
        return op

    op = basis.rotate_operator(assemble(ns_op, sg_op, np.eye(nx)), nf)
    if not return_error:
        return op
    err_ev = assemble(ns_err, sg_err, np.zeros((nx, nx)))
    err = np.einsum(
        "ik,kalb,lj->iajb",
        np.abs(basis.evolution_to_flavor(nf)),
        err_ev,
        np.abs(basis.flavor_to_evolution(nf)),
        optimize=True,
    )
    return op, err
