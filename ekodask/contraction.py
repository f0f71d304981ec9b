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


def _runs(idx: NDArray[np.intp]) -> list[tuple[int, int]]:
    """Maximal runs [start, stop) of consecutive integers in the sorted ``idx``."""
    if idx.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(idx) != 1) + 1
    return [(int(r[0]), int(r[-1]) + 1) for r in np.split(idx, cuts)]


def _matrix(op: Array, rows: tuple[int, int], cols: tuple[int, int]) -> Array:
    """The (pid rows, pid cols) slab of a C-ordered (n, nx, n, nx) operator as a 2-d view."""
    (r0, r1), (c0, c1) = rows, cols
    return op[r0:r1, :, c0:c1, :].reshape((r1 - r0) * op.shape[1], (c1 - c0) * op.shape[3])


def contract(partial: Array, threshold: Array) -> Array:
    """partial o threshold: O[i, a, k, c] = sum_{j, b} P[i, a, j, b] T[j, b, k, c].

    Matrix products only over the runs of consecutive pids i (rows of P), j and k (columns of T)
    that hold a non-zero block, on views of the inputs (no copies); the rest of O is exactly
    zero. Equal to the dense tensordot up to rounding.
    """
    if partial.ndim != 4 or threshold.ndim != 4:
        return dense_contract(partial, threshold)
    partial = np.ascontiguousarray(partial, dtype=np.float64)
    threshold = np.ascontiguousarray(threshold, dtype=np.float64)
    mp, mt = nonzero(partial), nonzero(threshold)
    out = np.zeros((partial.shape[0], partial.shape[1], threshold.shape[2], threshold.shape[3]))
    mids = _runs(np.flatnonzero(mp.any(axis=0) & mt.any(axis=1)))
    for rr in _runs(np.flatnonzero(mp.any(axis=1))):
        for kk in _runs(np.flatnonzero(mt.any(axis=0))):
            target = _matrix(out, rr, kk)
            first = True
            for mm in mids:
                if not (
                    mp[rr[0] : rr[1], mm[0] : mm[1]].any()
                    and mt[mm[0] : mm[1], kk[0] : kk[1]].any()
                ):
                    continue
                a, b = _matrix(partial, rr, mm), _matrix(threshold, mm, kk)
                if first:
                    np.matmul(a, b, out=target)
                    first = False
                else:
                    target += a @ b
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
