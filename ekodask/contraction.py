"""Composition of operators [pid, x, pid, x], with first-order error propagation, defined once.

Pure numpy: the graph, the matching and the store all use it. Operators are mostly zero blocks
(inactive heavy flavours, the photon): :func:`contract` multiplies only the (pid, pid) blocks
that can contribute, which is the same sum as a dense tensordot up to rounding.
:func:`blocks_to_flavor` builds an operator from its few distinct blocks in another basis
(the evolution basis) in one matrix product of the rotation coefficients with those blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["Contraction", "blocks_to_flavor", "combine", "contract", "dense_contract", "nonzero"]

Array = NDArray[np.float64]
Contraction = Callable[[Array, Array], Array]


def dense_contract(partial: Array, threshold: Array) -> Array:
    """partial o threshold as one dense tensordot (the reference of :func:`contract`)."""
    return np.tensordot(partial, threshold, axes=([2, 3], [0, 1]))


def nonzero(op: Array) -> NDArray[np.bool_]:
    """(n_pid, n_pid) mask of the (pid_out, pid_in) blocks of ``op`` with a non-zero entry."""
    n = op.shape[0]
    view = op.reshape(n, op.shape[1], n, -1)
    return np.asarray((view != 0).any(axis=(1, 3)))


def contract(partial: Array, threshold: Array) -> Array:
    """partial o threshold: O[i, a, k, c] = sum_{j, b} P[i, a, j, b] T[j, b, k, c].

    One matrix product restricted to the rows i of P, the pids j and the columns k of T that hold
    a non-zero block (the rest of O is exactly zero): equal to the dense tensordot up to rounding.
    """
    if partial.ndim != 4 or threshold.ndim != 4:
        return dense_contract(partial, threshold)
    n, nx = partial.shape[0], partial.shape[1]
    mp, mt = nonzero(partial), nonzero(threshold)
    rows = np.flatnonzero(mp.any(axis=1))
    mid = np.flatnonzero(mp.any(axis=0) & mt.any(axis=1))
    cols = np.flatnonzero(mt.any(axis=0))
    out = np.zeros((n, nx, threshold.shape[2], threshold.shape[3]))
    if rows.size == 0 or mid.size == 0 or cols.size == 0:
        return out
    if rows.size == mid.size == cols.size == n:
        return dense_contract(partial, threshold)
    p = np.take(np.take(partial, rows, axis=0), mid, axis=2)
    t = np.take(np.take(threshold, mid, axis=0), cols, axis=2)
    nx_in = threshold.shape[3]
    prod = p.reshape(rows.size * nx, -1) @ t.reshape(mid.size * threshold.shape[1], -1)
    prod = prod.reshape(rows.size, nx, cols.size, nx_in)
    for a, i in enumerate(rows):
        out[i][:, cols] = prod[a]
    return out


def blocks_to_flavor(
    blocks: Array,
    entries: Sequence[tuple[int, int, int]],
    left: Array,
    right: Array,
    *,
    absolute: bool = False,
) -> Array:
    """O[i, a, j, b] = sum_(k, l, d) left[i, k] blocks[d, a, b] right[l, j]; shape (n, nx, n, nx).

    ``blocks``: (n_distinct, nx, nx), the distinct blocks of an operator in another basis;
    ``entries``: (k, l, d) for every non-zero block (k, l) there, equal to ``blocks[d]``;
    ``left``, ``right``: (n, n) rotations (O = left . O_basis . right). With ``absolute`` the
    coefficients are |left[i, k]| |right[l, j]| (the error bound of a rotated error).
    One matrix product of the (n*n, n_distinct) coefficients with the blocks.
    """
    lm, rm = (np.abs(left), np.abs(right)) if absolute else (left, right)
    n = lm.shape[0]
    nx = blocks.shape[1]
    coeff = np.zeros((n, n, blocks.shape[0]))
    for k, l, d in entries:
        coeff[:, :, d] += np.outer(lm[:, k], rm[l, :])
    flat = coeff.reshape(n * n, -1) @ blocks.reshape(blocks.shape[0], nx * nx)
    return np.ascontiguousarray(flat.reshape(n, n, nx, nx).transpose(0, 2, 1, 3))


def combine(
    partial: Array,
    threshold: Array,
    partial_error: Array | None = None,
    threshold_error: Array | None = None,
    *,
    contraction: Contraction = contract,
) -> tuple[Array, Array | None]:
    """(O, err) with O = P.T and err = |P|.err_T + err_P.|T| (None when neither has an error)."""
    final = contraction(partial, threshold)
    if partial_error is None and threshold_error is None:
        return final, None
    err = np.zeros_like(final)
    if partial_error is not None:
        err += contraction(np.abs(partial_error), np.abs(threshold))
    if threshold_error is not None:
        err += contraction(np.abs(partial), np.abs(threshold_error))
    return final, err
