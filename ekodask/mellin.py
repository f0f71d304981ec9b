"""Inverse Mellin transform of kernels times the interpolation basis, on fixed Talbot nodes.

O[..., a, b] = (1/2 pi i) int_P x_a^(-N) K(N) p~_b(N) dN maps grid values f(x_b) to
g(x_a) = (k (x) f)(x_a). One Talbot contour per output point (Abate-Valko, Int. J. Numer. Meth.
Eng. 60 (2004) 979; Talbot, IMA J. Appl. Math. 23 (1979) 97):
P(theta) = o + r (theta cot theta + i theta), r = R_SCALE / (-ln x_a), with a fixed Gauss-Legendre
rule in theta; by conjugation symmetry O = (1/pi) int_0^pi Im[x^-N K p~ P'] dtheta.

The kernel is evaluated once on the union of all nodes and contracted with a precomputed,
kernel-independent transfer tensor. Only basis pieces above x_a contribute (the convolution runs
from x to 1), so the operator is upper triangular; pieces whose edge is x_a itself are dropped,
which evaluates g at x_a^+ (= g(x_a), g being continuous), and the row of x = 1 is zero (PDFs
vanish at x = 1; this also holds for a constant kernel, whose operator is then the identity on
all points but x = 1).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import PhysicsError
from .interpolation import LagrangeBasis, lagrange_basis, shifted_moments
from .physics.cache import ObjectMemo

__all__ = [
    "CUT",
    "N_NODES",
    "R_SCALE",
    "TalbotPlan",
    "singlet_pole",
    "talbot_plan",
    "x_space_operator",
]

N_NODES = 40
"""Default number of Gauss-Legendre nodes per output point."""
R_SCALE = 12.0
"""Talbot radius times -ln x_a."""


CUT = 40.0
"""The contour arms are cut where |x_a^-N x_e^N| < exp(-CUT) for the nearest edge x_e."""


def singlet_pole(polarized: bool = False) -> float:
    """The rightmost singularity of the singlet kernels, where their contours start.

    N = 1 for the unpolarised space-like and the time-like singlet (1/(N-1) in gamma_gq,
    gamma_gg); N = 0 for the polarised singlet (poles at N = 0, -1, ... only, e.g.
    Delta P_gq^(0) = C_F (N+2)/(N(N+1)); Vogelsang hep-ph/9512218, 1409.5131), as for every
    non-singlet. A contour right of 1 would also be valid for the polarised kernels, but its
    integrand reaches x_a^-(1+r) while the polarised entries stay O(1) at small x_a: at
    x_a = 1e-7 that cancellation cost 2e-6 relative on the polarised singlet entries, 1e-10
    with the contour at N = 0 (tests/test_polarized_small_x.py, against an mpmath reference).
    """
    return 0.0 if polarized else 1.0


def _theta_where(target: NDArray[np.float64]) -> NDArray[np.float64]:
    """theta in (0, pi) with theta cot(theta) = target (< 1), by bisection (it decreases)."""
    lo = np.zeros_like(target)
    hi = np.full_like(target, np.pi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = mid / np.tan(mid) < target
        hi = np.where(below, mid, hi)
        lo = np.where(below, lo, mid)
    return 0.5 * (lo + hi)


class TalbotPlan:
    """Contour nodes and the kernel-independent transfer tensor for one grid, degree and pole.

    ``nodes``: complex (nx_out, m) with nx_out = nx - 1 (the x = 1 row is zero);
    ``transfer``: complex (nx_out, m, nx), so that O[..., a, b] = Im sum_m K[..., a, m] T[a, m, b];
    ``transfer_real``, ``transfer_imag``: its parts, contiguous.
    """

    def __init__(
        self,
        basis: LagrangeBasis,
        pole: float,
        n_nodes: int,
        r_scale: float,
        r_offset: float = 0.0,
    ) -> None:
        self.basis = basis
        self.pole = float(pole)
        logx = basis.logx
        theta_u, w = np.polynomial.legendre.leggauss(n_nodes)
        r = r_scale / (r_offset - logx[:-1])  # (nx-1,)
        # the contour is cut where exp(Re N t_min) < exp(-CUT), t_min = ln(x_{a+1}/x_a) the
        # shortest "time" present: the rest of the arms contributes below double precision
        theta_max = _theta_where(-CUT / (r * basis.widths))
        theta = 0.5 * theta_max[:, None] * (theta_u[None, :] + 1.0)
        w = 0.5 * theta_max[:, None] * w[None, :]
        cot = np.cos(theta) / np.sin(theta)
        shape = theta * cot + 1j * theta
        dshape = cot - theta / np.sin(theta) ** 2 + 1j
        self.nodes = self.pole + r[:, None] * shape
        jac = r[:, None] * dshape * w / np.pi
        self.transfer = self._basis_factor(basis, self.nodes) * jac[:, :, None]
        self.transfer_real = np.ascontiguousarray(self.transfer.real)
        self.transfer_imag = np.ascontiguousarray(self.transfer.imag)
        for arr in (self.nodes, self.transfer, self.transfer_real, self.transfer_imag):
            arr.setflags(write=False)  # shared through the plan cache

    @staticmethod
    def _basis_factor(basis: LagrangeBasis, nodes: NDArray[np.complex128]) -> NDArray:
        """x_a^-N p~_b(N) restricted to the pieces above x_a; shape (nx-1, m, nx)."""
        nx, deg = basis.size, basis.degree
        logx, h = basis.logx, basis.widths
        k = np.arange(deg + 1)
        starts = basis.blocks
        # coefficients of the block points only: (area, k, point in block)
        cblk = np.stack([basis.coeffs[i, s : s + deg + 1].T for i, s in enumerate(starts)])
        out = np.zeros((nx - 1, nx, nodes.shape[1]), dtype=complex)
        # adjacent area (x_a, x_{a+1}]: only its upper edge; the lower one sits at x_a (dropped)
        sign_fact = (-1.0) ** k * np.array([math.factorial(int(i)) for i in k])
        a_all = np.arange(nx - 1)
        up = np.exp(nodes * h[:, None])[:, None, :] / nodes[:, None, :] ** (k[None, :, None] + 1)
        adj = np.einsum("akm,akj->ajm", up, cblk * sign_fact[None, :, None])
        for jj in range(deg + 1):
            out[a_all, starts + jj] += adj[:, jj]
        # areas i > a: whole area, in the cancellation-free form
        a_idx, i_idx = np.triu_indices(nx - 1, k=1)
        g = shifted_moments(
            nodes[a_idx], (logx[i_idx + 1] - logx[a_idx])[:, None], h[i_idx][:, None], deg
        )  # (k, pair, m)
        scale = (-1.0) ** k[None, :] * h[i_idx][:, None] ** (k[None, :] + 1)  # (pair, k)
        weights = (cblk[i_idx] * scale[:, :, None]).astype(complex)  # (pair, k, jj)
        contrib = np.matmul(np.moveaxis(g, 0, 2), weights)  # (pair, m, jj)
        for jj in range(deg + 1):
            np.add.at(out, (a_idx, starts[i_idx] + jj), contrib[:, :, jj])
        return np.moveaxis(out, 2, 1)


_PLANS = ObjectMemo(16)
"""The process's plans (a plan is ~5 MB at nx = 60); threads asking for one being built wait."""


def _cached_plan(
    key: bytes, degree: int, pole: float, n_nodes: int, r_scale: float, r_offset: float = 0.0
) -> TalbotPlan:
    def build() -> TalbotPlan:
        basis = lagrange_basis(np.frombuffer(key, dtype=float), degree)
        return TalbotPlan(basis, pole, n_nodes, r_scale, r_offset)

    return _PLANS.get((key, degree, pole, n_nodes, r_scale, r_offset), build)


def talbot_plan(
    xgrid: ArrayLike,
    degree: int,
    *,
    pole: float,
    n_nodes: int = N_NODES,
    r_scale: float = R_SCALE,
    r_offset: float = 0.0,
) -> TalbotPlan:
    """The (cached) :class:`TalbotPlan` of a grid; ``pole`` is the rightmost singularity."""
    x = np.ascontiguousarray(np.asarray(xgrid, dtype=float))
    lagrange_basis(x, degree)  # validates
    return _cached_plan(
        x.tobytes(), int(degree), float(pole), int(n_nodes), float(r_scale), float(r_offset)
    )


def x_space_operator(
    kernel: Callable[[NDArray[np.complex128]], NDArray[np.complex128]],
    xgrid: ArrayLike,
    degree: int = 4,
    *,
    pole: float,
    n_nodes: int = N_NODES,
    r_scale: float = R_SCALE,
    return_error: bool = False,
    r_offset: float = 0.0,
) -> NDArray[np.float64] | tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The x-space operator O[..., a, b] of a Mellin-space kernel; shape (..., nx, nx).

    ``kernel(n)`` takes a 1-d complex array of nodes and returns shape (..., len(n)); it must be
    real-analytic (K(N*) = K(N)*) and analytic right of ``pole`` (0: non-singlet, 1: singlet).
    With ``return_error`` also returns |O - O_coarse|, O_coarse from a rule with 2/3 the nodes
    (costs 5/3 of the kernel evaluations). ``r_offset``: the radius is
    r_scale / (r_offset - ln x_a) (0: the default contour).
    """
    plans = [
        talbot_plan(xgrid, degree, pole=pole, n_nodes=n, r_scale=r_scale, r_offset=r_offset)
        for n in ((n_nodes, max(8, (2 * n_nodes) // 3)) if return_error else (n_nodes,))
    ]
    # one kernel call on the nodes of both rules: the kernels are elementwise in N, so each
    # value is what a call on its own rule gives, with half the Python-level NumPy calls
    nodes = np.concatenate([p.nodes.ravel() for p in plans])  # a fresh array: kernels may
    values = np.asarray(kernel(nodes))  # work in place
    if values.shape[-1] != nodes.size:
        raise PhysicsError(f"kernel returned shape {values.shape}, expected (..., {nodes.size})")
    op = _transform(plans[0], values[..., : plans[0].nodes.size])
    if not return_error:
        return op
    coarse = _transform(plans[1], values[..., plans[0].nodes.size :])
    return op, np.abs(op - coarse)


def _transform(plan: TalbotPlan, values: NDArray[np.complex128]) -> NDArray[np.float64]:
    """O[..., a, b] = Im sum_m K[..., a, m] T[a, m, b] from the kernel's values at the plan's
    nodes (shape (..., plan.nodes.size))."""
    nx = plan.basis.size
    lead = values.shape[:-1]
    values = values.reshape((*lead, *plan.nodes.shape))
    out = np.zeros((*lead, nx, nx))
    # Im(K T) = Re K Im T + Im K Re T: per kernel entry two real products batched over the
    # output points (2.5x faster than the complex einsum; every entry rounds as when alone)
    flat = values.reshape(-1, *plan.nodes.shape)
    rows = out.reshape(-1, nx, nx)
    for i, v in enumerate(flat):
        w = v[:, None, :]
        rows[i, :-1] = (
            np.matmul(w.real, plan.transfer_imag) + np.matmul(w.imag, plan.transfer_real)
        )[:, 0]
    return out
