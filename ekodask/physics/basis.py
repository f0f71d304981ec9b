"""The QCD (intrinsic) evolution basis for nf active flavours and its rotations to PDG ids.

For nf active quarks (u, d, s, c, b, t order): Sigma = sum q+, V = sum q-, and
T_{m^2-1} = sum_{i<m} q_i+ - (m-1) q_m+, V_{m^2-1} likewise with q- (m = 2..nf), q+- = q +- qbar;
inactive heavy quarks stay as h+ and h- (unit evolution), the photon is a spectator
(eko, arXiv:2202.02338, Sec. 2.4; APFEL, arXiv:1310.1394, Sec. 2). The basis is not orthonormal:
the inverse rotations are true inverses (exact, from rational matrices), not transposes.

Labels: "ph", "S", "g", "V", "V3", "V8", ..., "T3", "T8", ..., then "c+", "c-", "b+", "b-", ...
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from ..errors import PhysicsError
from ..pids import PIDS

__all__ = [
    "PIDS",
    "SECTORS",
    "basis_change",
    "evolution_labels",
    "evolution_to_flavor",
    "flavor_to_evolution",
    "label_index",
    "rotate_operator",
    "sector",
]

SECTORS = ("singlet", "ns_p", "ns_m", "ns_v", "identity")
"""Evolution sectors: (S, g) matrix; T_k (gamma_ns,+); V_k (gamma_ns,-); V (gamma_ns,v); others."""

# PDG id of the i-th quark in the T/V construction (u first, so that T3 = u+ - d+)
_QUARK_ORDER = (2, 1, 3, 4, 5, 6)
_HEAVY_NAMES = {4: "c", 5: "b", 6: "t"}
_PID_INDEX = {pid: i for i, pid in enumerate(PIDS)}


def _check_nf(nf: int) -> int:
    if nf not in (3, 4, 5, 6):
        raise PhysicsError(f"nf = {nf}: the evolution basis needs 3 <= nf <= 6")
    return int(nf)


@lru_cache(maxsize=8)
def evolution_labels(nf: int) -> tuple[str, ...]:
    """The 14 labels of the intrinsic evolution basis with nf active flavours."""
    nf = _check_nf(nf)
    ks = [m * m - 1 for m in range(2, nf + 1)]
    labels = ["ph", "S", "g", "V", *(f"V{k}" for k in ks), *(f"T{k}" for k in ks)]
    for q in range(nf + 1, 7):
        labels += [f"{_HEAVY_NAMES[q]}+", f"{_HEAVY_NAMES[q]}-"]
    return tuple(labels)


def label_index(label: str, nf: int) -> int:
    """Position of ``label`` in :func:`evolution_labels` (nf)."""
    try:
        return evolution_labels(nf).index(label)
    except ValueError:
        raise PhysicsError(f"{label!r} is not in the nf = {nf} evolution basis") from None


def sector(label: str) -> str:
    """The evolution sector (one of :data:`SECTORS`) that drives ``label``."""
    if label in ("S", "g"):
        return "singlet"
    if label == "V":
        return "ns_v"
    if label[0] == "T" and label[1:].isdigit():
        return "ns_p"
    if label[0] == "V" and label[1:].isdigit():
        return "ns_m"
    return "identity"


@lru_cache(maxsize=8)
def _rational_rotation(nf: int) -> tuple[tuple[Fraction, ...], ...]:
    labels = evolution_labels(nf)
    rows: list[list[Fraction]] = []

    def plus_minus(q: int, sign: int) -> list[Fraction]:
        row = [Fraction(0)] * len(PIDS)
        row[_PID_INDEX[q]] += 1
        row[_PID_INDEX[-q]] += sign
        return row

    def combine(terms: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
        return [sum((c * r[i] for c, r in terms), Fraction(0)) for i in range(len(PIDS))]

    active = _QUARK_ORDER[:nf]
    for label in labels:
        if label in ("ph", "g"):
            row = [Fraction(0)] * len(PIDS)
            row[_PID_INDEX[22 if label == "ph" else 21]] = Fraction(1)
        elif label in ("S", "V"):
            sign = 1 if label == "S" else -1
            row = combine([(1, plus_minus(q, sign)) for q in active])
        elif label[-1] in "+-":
            q = next(p for p, name in _HEAVY_NAMES.items() if name == label[0])
            row = plus_minus(q, 1 if label[-1] == "+" else -1)
        else:
            sign = 1 if label[0] == "T" else -1
            m = math.isqrt(int(label[1:]) + 1)
            terms = [(1, plus_minus(q, sign)) for q in active[: m - 1]]
            terms.append((-(m - 1), plus_minus(active[m - 1], sign)))
            row = combine(terms)
        rows.append(row)
    return tuple(tuple(r) for r in rows)


def _rational_inverse(mat: tuple[tuple[Fraction, ...], ...]) -> list[list[Fraction]]:
    """Gauss-Jordan inverse in exact rational arithmetic."""
    n = len(mat)
    aug = [[*row, *(Fraction(int(i == j)) for j in range(n))] for i, row in enumerate(mat)]
    for col in range(n):
        piv = next(r for r in range(col, n) if aug[r][col] != 0)
        aug[col], aug[piv] = aug[piv], aug[col]
        p = aug[col][col]
        aug[col] = [v / p for v in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col]
                aug[r] = [v - f * w for v, w in zip(aug[r], aug[col], strict=True)]
    return [row[n:] for row in aug]


@lru_cache(maxsize=8)
def _to_evolution(nf: int) -> NDArray[np.float64]:
    out = np.array(_rational_rotation(nf), dtype=float)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=8)
def _to_flavor(nf: int) -> NDArray[np.float64]:
    out = np.array(_rational_inverse(_rational_rotation(nf)), dtype=float)
    out.setflags(write=False)
    return out


def flavor_to_evolution(nf: int) -> NDArray[np.float64]:
    """A (14, 14): evolution-basis vector = A @ PDG vector (rows in :func:`evolution_labels`)."""
    return _to_evolution(_check_nf(nf))


def evolution_to_flavor(nf: int) -> NDArray[np.float64]:
    """A^-1 (14, 14), the exact inverse of :func:`flavor_to_evolution`."""
    return _to_flavor(_check_nf(nf))


def basis_change(nf_from: int, nf_to: int) -> NDArray[np.float64]:
    """B (14, 14) re-expressing the nf_from evolution basis in the nf_to one: v_to = B @ v_from.

    For nf_to = nf + 1 this is the threshold rotation: on (g, S_nf, h+) -> (g, S_nf+1, T_k)
    [[1,0,0],[0,1,1],[0,1,-nf]] and on (V_nf, h-) -> (V_nf+1, V_k) [[1,1],[1,-nf]], identity on
    the rest (arXiv:2202.02338, Sec. 2.5).
    """
    return _basis_change(_check_nf(nf_from), _check_nf(nf_to))


@lru_cache(maxsize=16)
def _basis_change(nf_from: int, nf_to: int) -> NDArray[np.float64]:
    to = _rational_rotation(nf_to)
    inv = _rational_inverse(_rational_rotation(nf_from))
    n = len(PIDS)
    prod = [
        [sum((to[i][k] * inv[k][j] for k in range(n)), Fraction(0)) for j in range(n)]
        for i in range(n)
    ]
    out = np.array(prod, dtype=float)
    out.setflags(write=False)
    return out


def rotate_operator(
    op: NDArray[np.float64], nf_out: int, nf_in: int | None = None
) -> NDArray[np.float64]:
    """An operator (14, nx, 14, nx) from the evolution bases (nf_out rows, nf_in columns) to PDG.

    O_pdg = A^-1(nf_out) . op . A(nf_in); nf_in defaults to nf_out.
    """
    nf_in = nf_out if nf_in is None else nf_in
    return np.einsum(
        "ik,kalb,lj->iajb",
        evolution_to_flavor(nf_out),
        op,
        flavor_to_evolution(nf_in),
        optimize=True,
    )
