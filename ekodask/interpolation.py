"""Piecewise Lagrange interpolation in ln x on an x-grid and its exact Mellin transform.

Area i is (x_i, x_{i+1}]; on it the basis functions are the Lagrange polynomials (in ln x) of the
block of ``degree + 1`` grid points in which the area is most central (ties go to the higher-x
block). p_j(x_k) = delta_jk and sum_j p_j = 1 (the scheme of eko, arXiv:2202.02338, Sec. 2).

On area i the polynomials are stored in u = ln x - ln x_{i+1} (u in [-h_i, 0],
h_i = ln(x_{i+1}/x_i)), so the Mellin transform of u^k on the area is
(-1)^k h_i^(k+1) x_{i+1}^N phi_k(N h_i) with phi_k(z) = int_0^1 exp(-z s) s^k ds, computed
without cancellation (:func:`shifted_moments`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import PhysicsError

__all__ = [
    "LagrangeBasis",
    "lagrange_basis",
    "lambert_xgrid",
    "lha_xgrid",
    "log_linear_xgrid",
    "reshape_matrix",
    "shifted_moments",
]

_SERIES_RADIUS = 1.0
_SERIES_TERMS = 22


def shifted_moments(
    n: ArrayLike, t_hi: ArrayLike, h: ArrayLike, kmax: int
) -> NDArray[np.complex128]:
    """G_k = int_0^1 exp(n (t_hi - h s)) s^k ds for k = 0..kmax; shape (kmax+1,) + broadcast.

    Equals exp(n t_hi) phi_k(n h). For |n h| <= 1 a power series (no cancellation); beyond, the
    closed form k!/z^(k+1) [exp(n t_hi) - exp(n t_lo) e_k(z)] (e_k: truncated exponential),
    whose two exponentials are each kept finite by the caller's choice of t_hi (e.g. <= 0 for
    plain transforms, the Mellin-inversion time for operators).
    """
    n, t_hi, h = np.broadcast_arrays(
        np.asarray(n, dtype=complex), np.asarray(t_hi, dtype=float), np.asarray(h, dtype=float)
    )
    z = n * h
    out = np.empty((kmax + 1, *z.shape), dtype=complex)
    small = np.abs(z) <= _SERIES_RADIUS
    e_hi = np.exp(n * t_hi)
    # series for k = kmax, exp(n t_hi) sum_m (-z)^m / (m! (kmax+m+1)), then the downward
    # recursion phi_(k-1) = (z phi_k + exp(-z)) / k, stable for small |z|
    zs, e_hi_s = z[small], e_hi[small]
    e_lo_s = np.exp(n[small] * (t_hi[small] - h[small]))
    # the series by Horner's rule, coefficients (-1)^m / (m! (kmax+m+1))
    coeff = [(-1.0) ** m / (math.factorial(m) * (kmax + m + 1)) for m in range(_SERIES_TERMS)]
    acc = np.full_like(zs, coeff[-1])
    for c in coeff[-2::-1]:
        acc *= zs
        acc += c
    acc *= e_hi_s
    out[kmax][small] = acc
    for k in range(kmax, 0, -1):
        acc = (zs * acc + e_lo_s) / k
        out[k - 1][small] = acc
    # closed form
    big = ~small
    zb = z[big]
    e_hi_b = e_hi[big]
    e_lo_b = np.exp(n[big] * (t_hi[big] - h[big]))
    ek = np.zeros_like(zb)
    term = np.ones_like(zb)
    inv = 1.0 / zb
    scale = inv.copy()  # k! / z^(k+1), by running products (complex powers are slow)
    for k in range(kmax + 1):
        if k > 0:
            term = term * zb / k
            scale *= k * inv
        ek = ek + term
        out[k][big] = scale * (e_hi_b - e_lo_b * ek)
    return out


@dataclass(frozen=True, eq=False)
class LagrangeBasis:
    """Lagrange basis of degree ``degree`` in ln x on ``xgrid`` (sorted, 0 < x <= 1, last = 1).

    ``blocks[i]``: first grid index of the block used on area i; ``coeffs[i, j, k]``: coefficient
    of u^k (u = ln x - ln x_{i+1}) of p_j on area i (zero when j is not in the block).
    """

    xgrid: NDArray[np.float64]
    degree: int
    logx: NDArray[np.float64] = field(repr=False)
    widths: NDArray[np.float64] = field(repr=False)
    blocks: NDArray[np.int64] = field(repr=False)
    coeffs: NDArray[np.float64] = field(repr=False)

    @property
    def size(self) -> int:
        """Number of grid points (basis functions)."""
        return self.xgrid.size

    def __call__(self, x: ArrayLike) -> NDArray[np.float64]:
        """p_j(x) for all j; shape (nx,) + x.shape; zero outside [x_0, 1]."""
        x = np.asarray(x, dtype=float)
        flat = x.ravel()
        out = np.zeros((self.size, flat.size))
        inside = (flat >= self.xgrid[0]) & (flat <= 1.0)
        xi = flat[inside]
        area = np.clip(np.searchsorted(self.xgrid, xi, side="left") - 1, 0, self.size - 2)
        u = np.log(xi) - self.logx[area + 1]
        powers = u[None, :] ** np.arange(self.degree + 1)[:, None]  # (k, pts)
        out[:, inside] = np.einsum("pjk,kp->jp", self.coeffs[area], powers)
        return out.reshape((self.size, *x.shape))

    def mellin(self, n: ArrayLike) -> NDArray[np.complex128]:
        """Exact Mellin transforms p~_j(N) = int_0^1 x^(N-1) p_j(x) dx; shape (nx,) + n.shape."""
        n = np.asarray(n, dtype=complex)
        flat = n.ravel()
        g = shifted_moments(
            flat[None, :], self.logx[1:, None], self.widths[:, None], self.degree
        )  # (k, area, pts)
        k = np.arange(self.degree + 1)
        scale = (-1.0) ** k[:, None] * self.widths[None, :] ** (k[:, None] + 1)  # (k, area)
        out = np.einsum("ijk,kip,ki->jp", self.coeffs, g, scale)
        return out.reshape((self.size, *n.shape))


def _parse_xgrid(xgrid: ArrayLike, degree: int) -> NDArray[np.float64]:
    x = np.asarray(xgrid, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise PhysicsError(f"xgrid: expected a 1-d grid of at least 2 points, got shape {x.shape}")
    if not (np.all(np.diff(x) > 0) and x[0] > 0 and x[-1] == 1.0):
        raise PhysicsError("xgrid: expected strictly increasing x in (0, 1] ending at 1")
    if not 1 <= degree <= x.size - 1:
        raise PhysicsError(f"interpolation degree {degree}: expected 1..{x.size - 1} for this grid")
    return x


@lru_cache(maxsize=32)
def _cached_basis(key: bytes, degree: int) -> LagrangeBasis:
    x = np.frombuffer(key, dtype=float).copy()
    logx = np.log(x)
    logx[-1] = 0.0
    n_areas = x.size - 1
    # most central position of the area in its block is (d-1)/2; a tie (d even) goes to the
    # higher-x block, i.e. the smaller offset
    offset = (degree - 1) // 2
    starts = np.clip(np.arange(n_areas) - offset, 0, x.size - 1 - degree)
    coeffs = np.zeros((n_areas, x.size, degree + 1))
    for i, s in enumerate(starts):
        nodes = logx[s : s + degree + 1] - logx[i + 1]
        for j in range(degree + 1):
            others = np.delete(nodes, j)
            poly = np.poly(others)[::-1] / np.prod(nodes[j] - others)
            coeffs[i, s + j] = poly
    basis = LagrangeBasis(
        xgrid=x,
        degree=degree,
        logx=logx,
        widths=np.diff(logx),
        blocks=starts.astype(np.int64),
        coeffs=coeffs,
    )
    for arr in (basis.xgrid, basis.logx, basis.widths, basis.blocks, basis.coeffs):
        arr.setflags(write=False)
    return basis


def lagrange_basis(xgrid: ArrayLike, degree: int = 4) -> LagrangeBasis:
    """The (cached, read-only) Lagrange basis of ``degree`` on ``xgrid``."""
    x = _parse_xgrid(xgrid, degree)
    return _cached_basis(np.ascontiguousarray(x).tobytes(), int(degree))


def reshape_matrix(xgrid: ArrayLike, new_xgrid: ArrayLike, degree: int = 4) -> NDArray[np.float64]:
    """M[k, j] = p_j(x~_k): values on ``xgrid`` -> interpolated values on ``new_xgrid``."""
    return lagrange_basis(xgrid, degree)(np.asarray(new_xgrid, dtype=float)).T


def log_linear_xgrid(
    x_min: float = 1e-7, per_decade: int = 5, x_switch: float = 0.1, n_linear: int = 27
) -> NDArray[np.float64]:
    """Log-spaced points (``per_decade`` per decade) from x_min to x_switch, then ``n_linear``
    equal steps up to 1.

    The default (58 points) holds every x of the LHA tables (1e-7..0.1, 0.3, 0.5, 0.7, 0.9).
    """
    decades = np.log10(x_switch / x_min)
    n_log = round(decades * per_decade)
    low = x_switch * 10.0 ** (-decades * np.arange(n_log, 0, -1) / n_log)
    high = x_switch + (1.0 - x_switch) * np.arange(n_linear + 1) / n_linear
    grid = np.concatenate([low, high])
    grid[-1] = 1.0
    return grid


def lha_xgrid() -> NDArray[np.float64]:
    """60 points: :func:`log_linear_xgrid` with the steps above 0.9 refined to 0.02.

    Holds the LHA table points; reproduces the LHA FFNS tables to 2e-4 where the 58-point
    default leaves 1.5e-3 on d_v at x = 0.9 (too few points where (1-x)^4 falls).
    """
    base = log_linear_xgrid()
    return np.concatenate([base[base <= 0.9 + 1e-12], [0.92, 0.94, 0.96, 0.98, 1.0]])


def lambert_xgrid(n: int, x_min: float = 1e-7) -> NDArray[np.float64]:
    """n points uniform in y = 5 (1 - x) - ln x from x_min to 1 (inverted with Lambert W)."""
    y_max = 5.0 * (1.0 - x_min) - np.log(x_min)
    y = np.linspace(y_max, 0.0, n)
    # y = 5 - 5x - ln x  =>  x = W(5 exp(5 - y)) / 5
    from scipy.special import lambertw  # here: a task-only worker process need not import it

    grid = np.real(lambertw(5.0 * np.exp(5.0 - y))) / 5.0
    grid[0], grid[-1] = x_min, 1.0
    return grid
