"""Composition of operators [pid, x, pid, x], with first-order error propagation, defined once.

Pure numpy: the graph, the matching and the store all use it. Operators are mostly zero blocks
(inactive heavy flavours, the photon): :func:`contract` multiplies only the (pid, pid) blocks
that can contribute, which is the same sum as a dense tensordot up to rounding.
:func:`blocks_to_flavor` builds an operator from its few distinct blocks in another basis
(the evolution basis) in one matrix product of the rotation coefficients with those blocks.
:func:`combine_blocks` composes such an operator (a :class:`BlockOperator`, e.g. a fixed-nf
segment) with a PDG-basis one without building it: the product in the evolution basis.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .physics.cache import ObjectMemo

__all__ = [
    "BlockOperator",
    "Contraction",
    "blocks_to_flavor",
    "combine",
    "combine_blocks",
    "contract",
    "dense_contract",
    "error_product",
    "nonzero",
    "round_up_bound",
]

Array = NDArray[np.float64]
Contraction = Callable[[Array, Array], Array]


def dense_contract(partial: Array, threshold: Array) -> Array:
    """partial o threshold as one dense tensordot (the reference of :func:`contract`)."""
    return np.tensordot(partial, threshold, axes=([2, 3], [0, 1]))


def nonzero(op: Array) -> NDArray[np.bool_]:
    """(n_pid_out, n_pid_in) mask of the blocks of ``op`` that hold a non-zero entry."""
    view = op.reshape(op.shape[0], op.shape[1], op.shape[2], -1)
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


def contract(partial: Array, threshold: Array, dtype: type = np.float64) -> Array:
    """partial o threshold: O[i, a, k, c] = sum_{j, b} P[i, a, j, b] T[j, b, k, c].

    Matrix products only over the runs of consecutive pids i (rows of P), j and k (columns of T)
    that hold a non-zero block, on views of the inputs (no copies); the rest of O is exactly
    zero. Equal to the dense tensordot up to rounding; computed in ``dtype``. (Summing the rows
    of T that multiply bitwise-equal blocks of P first, one product per distinct block, does
    2.3x fewer multiplications on an evolution operator but measured no faster.)
    """
    if partial.ndim != 4 or threshold.ndim != 4:
        return dense_contract(partial, threshold)
    partial = np.ascontiguousarray(partial, dtype=dtype)
    threshold = np.ascontiguousarray(threshold, dtype=dtype)
    mp, mt = nonzero(partial), nonzero(threshold)
    shape = (partial.shape[0], partial.shape[1], threshold.shape[2], threshold.shape[3])
    out = np.zeros(shape, dtype=dtype)
    inner = mt.any(axis=1)
    rows = _runs(np.flatnonzero((mp & inner[None, :]).any(axis=1)))
    mids = _runs(np.flatnonzero(mp.any(axis=0) & inner))
    cols = _runs(np.flatnonzero(mt.any(axis=0)))
    for rr in rows:
        for kk in cols:
            target = _matrix(out, rr, kk)
            for mm in mids:
                if not (
                    mp[rr[0] : rr[1], mm[0] : mm[1]].any()
                    and mt[mm[0] : mm[1], kk[0] : kk[1]].any()
                ):
                    continue
                target += _matrix(partial, rr, mm) @ _matrix(threshold, mm, kk)
    return out


_COEFFICIENTS = ObjectMemo(64)
"""The process's coefficient tables (a few ms each to make); a thread asking for one being
made waits for it."""


def _coefficients(
    entries: tuple[tuple[int, int, int], ...],
    n_blocks: int,
    left: bytes,
    right: bytes,
    n: int,
    absolute: bool,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Unique rows of the (n*n, n_blocks) rotation coefficients and each (i, j)'s row.

    Summed in exact rational arithmetic from the rationals that the float rotations round
    (small denominators), so that equal coefficients are equal floats: the blocks they make are
    then bitwise equal, which :func:`contract` exploits. Made once per process and arguments.
    """
    args = (entries, n_blocks, left, right, n, absolute)
    return _COEFFICIENTS.get(args, lambda: _make_coefficients(args))


def _make_coefficients(args: tuple) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """:func:`_coefficients` of its argument tuple, made (not looked up)."""
    entries, n_blocks, left, right, n, absolute = args
    lm = np.frombuffer(left).reshape(n, n)
    rm = np.frombuffer(right).reshape(n, n)
    if absolute:
        lm, rm = np.abs(lm), np.abs(rm)
    lq = [[Fraction(v).limit_denominator(1 << 16) for v in row] for row in lm]
    rq = [[Fraction(v).limit_denominator(1 << 16) for v in row] for row in rm]
    exact = all(
        float(q) == v
        for qs, vs in ((lq, lm), (rq, rm))
        for q, v in zip((q for row in qs for q in row), vs.ravel(), strict=True)
    )
    coeff = np.zeros((n, n, n_blocks))
    if exact:
        sums: dict[tuple[int, int, int], Fraction] = {}
        for k, l, d in entries:
            for i in range(n):
                if lq[i][k] == 0:
                    continue
                for j in range(n):
                    if rq[l][j] != 0:
                        sums[(i, j, d)] = sums.get((i, j, d), Fraction(0)) + lq[i][k] * rq[l][j]
        for (i, j, d), v in sums.items():
            coeff[i, j, d] = float(v)
    else:
        for k, l, d in entries:
            coeff[:, :, d] += np.outer(lm[:, k], rm[l, :])
    unique, inverse = np.unique(coeff.reshape(n * n, n_blocks), axis=0, return_inverse=True)
    return unique, inverse.ravel()


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
    One matrix product of the distinct (i, j) coefficient rows with the blocks: (i, j) blocks
    with equal coefficients are bitwise equal.
    """
    n, nx = left.shape[0], blocks.shape[1]
    flat, inverse = _distinct_blocks(blocks, entries, left, right, absolute)
    out = np.empty((n, nx, n, nx))
    view = out.transpose(0, 2, 1, 3)  # (i, j, a, b) view of the result
    view[...] = flat[inverse].reshape(n, n, nx, nx)
    return out


def _distinct_blocks(
    blocks: Array,
    entries: Sequence[tuple[int, int, int]],
    left: Array,
    right: Array,
    absolute: bool = False,
) -> tuple[Array, NDArray[np.intp]]:
    """The distinct PDG-basis blocks (n_distinct, nx * nx) of :func:`blocks_to_flavor` and
    the index of each (i, j)'s, (n * n,)."""
    n = left.shape[0]
    nd, nx = blocks.shape[0], blocks.shape[1]
    lb = np.ascontiguousarray(left, dtype=np.float64).tobytes()
    rb = np.ascontiguousarray(right, dtype=np.float64).tobytes()
    unique, inverse = _coefficients(
        tuple((int(k), int(l), int(d)) for k, l, d in entries), nd, lb, rb, n, bool(absolute)
    )
    return unique @ blocks.reshape(nd, nx * nx), inverse


@dataclass(frozen=True, eq=False)
class BlockOperator:
    """An operator left . B . right with B block diagonal in another basis (the evolution basis).

    ``blocks`` (n_distinct, nx, nx): the distinct blocks of B; ``entries``: (k, l, d) for every
    non-zero block B[k, l] = blocks[d]; ``left``, ``right`` (n, n): the rotations;
    ``error_blocks``: the same for the error bound (whose rotation takes absolute values), or
    None. A fixed-nf segment is one (:func:`ekodask.evolution.evolution_blocks`): a few hundred
    kB where its PDG-basis operator and error are 11 MB at nx = 60.
    """

    blocks: Array
    entries: tuple[tuple[int, int, int], ...]
    left: Array
    right: Array
    error_blocks: Array | None = None

    def to_flavor(self) -> tuple[Array, Array | None]:
        """(operator, error or None) in the PDG basis, shape (n, nx, n, nx) each."""
        op = blocks_to_flavor(self.blocks, self.entries, self.left, self.right)
        if self.error_blocks is None:
            return op, None
        err = blocks_to_flavor(
            self.error_blocks, self.entries, self.left, self.right, absolute=True
        )
        return op, err


def _apply_blocks(blocks: NDArray, entries: Sequence[tuple[int, int, int]], m: NDArray) -> NDArray:
    """Y[k] = sum over entries (k, l, d) of blocks[d] @ m[l]; m (n, nx, cols), Y alike."""
    out = np.zeros(m.shape, dtype=m.dtype)
    for k, l, d in entries:
        out[k] += blocks[d] @ m[l]
    return out


def _rotate(rotation: NDArray, m: NDArray) -> NDArray:
    """rotation[i, k] m[k, ...] over the first axis (one matrix product)."""
    return (rotation @ m.reshape(m.shape[0], -1)).reshape(m.shape)


#: unit roundoff of IEEE single precision
_U32 = 2.0**-24


def error_product(
    partial: Array,
    threshold: Array,
    partial_error: Array | None,
    threshold_error: Array | None,
) -> Array:
    """The first-order error bound |P|.err_T + err_P.|T| of P.T, as one single-precision product.

    Both terms are one contraction of [err_P, |P|] with [|T|; err_T] stacked along the summed
    pid axis (absolute values written straight into float32 buffers, no float64 copies). Every
    term is non-negative, so the float32 sum of K products is within (K + 2) u (u = 2^-24) of
    the exact one (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., sec. 3.1);
    the result is multiplied (in float32, factor rounded up) by 1 + 2 (K + 4) u, which keeps it
    at or above the double-precision formula despite that product's own rounding, then
    :func:`round_up_bound`. Only contributions below float32's smallest normal number
    (1.2e-38) can be lost. Shape (n, nx, n, nx), float64.
    """
    n, nx = partial.shape[0], partial.shape[1]
    both = partial_error is not None and threshold_error is not None
    buffer = np.empty if both else np.zeros  # every entry is written when both terms exist
    left = buffer((n, nx, 2, n, nx), dtype=np.float32)
    right = buffer((2, n, nx, n, nx), dtype=np.float32)
    if partial_error is not None:
        np.abs(partial_error, out=left[:, :, 0], casting="same_kind")
        np.abs(threshold, out=right[0], casting="same_kind")
    if threshold_error is not None:
        np.abs(partial, out=left[:, :, 1], casting="same_kind")
        np.abs(threshold_error, out=right[1], casting="same_kind")
    # C-order views (n, nx, 2n, nx) o (2n, nx, n, nx): the summed axis is (term, pid)
    err = contract(
        left.reshape(n, nx, 2 * n, nx), right.reshape(2 * n, nx, n, nx), dtype=np.float32
    )
    factor = np.nextafter(np.float32(1.0 + 2.0 * (2 * n * nx + 4) * _U32), np.float32(2.0))
    err *= factor
    return round_up_bound(err, inplace=True).astype(np.float64)


def combine(
    partial: Array,
    threshold: Array,
    partial_error: Array | None = None,
    threshold_error: Array | None = None,
    *,
    contraction: Contraction = contract,
) -> tuple[Array, Array | None]:
    """(O, err) with O = P.T and err = |P|.err_T + err_P.|T| (None when neither has an error).

    With the default contraction the error is :func:`error_product` (single precision, rounded
    up); another ``contraction`` computes both terms with it in double precision.
    """
    final = contraction(partial, threshold)
    if partial_error is None and threshold_error is None:
        return final, None
    if contraction is contract and partial.ndim == 4:
        return final, error_product(partial, threshold, partial_error, threshold_error)
    err = np.zeros_like(final)
    if partial_error is not None:
        err += contraction(np.abs(partial_error), np.abs(threshold))
    if threshold_error is not None:
        err += contraction(np.abs(partial), np.abs(threshold_error))
    return final, err


@dataclass(frozen=True, eq=False)
class RotatedThreshold:
    """A threshold operator T prepared for :func:`combine_blocks` with partials of rotation R.

    Only T's pid columns that hold a non-zero block (``cols``) are kept: ``rotated`` = R T
    (n, nx, len(cols) nx); ``abs_rotated`` = |R| |T| (float32, same shape); ``abs_error`` =
    |err_T| on T's non-zero pid rows ``rows``, (len(rows), nx, len(cols) nx) float32, or None
    without err_T. Made once per threshold (:func:`rotate_threshold`), used by every point after it.
    It keeps the err_T sums of :meth:`error_groups` for each block pattern of the partials
    (7 MB at nx = 60, 29 MB at nx = 120 for a patch at nf = 5); a pickled copy starts without.
    """

    right: Array
    shape: tuple[int, ...]
    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    rotated: Array
    abs_rotated: NDArray[np.float32]
    abs_error: NDArray[np.float32] | None
    _groups: dict = field(default_factory=dict, repr=False, compare=False)
    _lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)

    def __getstate__(self) -> dict:
        # the cache and its lock are rebuilt by whoever unpickles
        return {k: v for k, v in self.__dict__.items() if k not in ("_groups", "_lock")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _groups={}, _lock=threading.Lock())

    def error_groups(self, index: NDArray[np.intp], live: NDArray[np.bool_]) -> list[tuple]:
        """|err_T| summed over the rows that meet equal blocks of a partial |P|, per class.

        ``index`` (n, len(rows)): the distinct block of P at (i, rows[j]); ``live``: which
        distinct blocks are non-zero. Rows i with the same set ``ds`` of live blocks form a
        class; for each: (its rows, ds, G) with G (len(ds) nx, len(rows) C) float32,
        G[(a, b), (g, c)] = sum over j with index[rows[g], j] == ds[a] of |err_T|[j, b, c]
        (C = len(cols) nx). The same for every point of a patch: made once per pattern and
        kept here; a thread asking while another makes it waits for that one.
        """
        key = (index.tobytes(), index.shape, live.tobytes())
        with self._lock:
            groups = self._groups.get(key)
            if groups is None:
                groups = self._groups[key] = self._error_groups(index, live)
        return groups

    def _error_groups(self, index: NDArray[np.intp], live: NDArray[np.bool_]) -> list[tuple]:
        classes: dict[tuple[int, ...], list[int]] = {}
        for i, row in enumerate(index):
            ds = tuple(int(d) for d in np.unique(row) if live[d])
            if ds:
                classes.setdefault(ds, []).append(i)
        e = self.abs_error
        groups = []
        for ds, rows in classes.items():
            select = (index[rows][None, :, :] == np.array(ds)[:, None, None]).astype(np.float32)
            # (a, g, j) x (j, b, c) -> (a, b, g, c): sums of <= len(self.rows) rows each
            g = np.einsum("agj,jbc->abgc", select, e, optimize=True)
            groups.append(
                (
                    np.array(rows),
                    np.array(ds),
                    np.ascontiguousarray(g).reshape(len(ds) * e.shape[1], -1),
                )
            )
        return groups


def _take(a: NDArray, idx: NDArray[np.intp], axis: int) -> NDArray:
    """a's entries idx along axis: a view where idx is a run of consecutive indices."""
    if idx.size and idx[-1] - idx[0] + 1 == idx.size:
        where = [slice(None)] * a.ndim
        where[axis] = slice(int(idx[0]), int(idx[-1]) + 1)
        return a[tuple(where)]
    return np.take(a, idx, axis=axis)


def _abs32(a: NDArray) -> NDArray[np.float32]:
    """|a| in a new C-ordered float32 array, in one pass."""
    out = np.empty(a.shape, dtype=np.float32)
    np.abs(a, out=out, casting="same_kind")
    return out


def rotate_threshold(threshold: Array, error: Array | None, right: Array) -> RotatedThreshold:
    """The :class:`RotatedThreshold` of T (and err_T) for partials whose right rotation is R."""
    mask = nonzero(threshold) if error is None else nonzero(threshold) | nonzero(error)
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    n, nx = threshold.shape[0], threshold.shape[1]
    kept = np.ascontiguousarray(_take(threshold, cols, 2)).reshape(n, nx, -1)
    abs_rotated = _rotate(np.abs(right).astype(np.float32), _abs32(kept))
    abs_error = None
    if error is not None:
        abs_error = _abs32(_take(_take(error, rows, 0), cols, 2)).reshape(len(rows), nx, -1)
    return RotatedThreshold(
        right=np.asarray(right, dtype=np.float64),
        shape=tuple(threshold.shape),
        rows=rows,
        cols=cols,
        rotated=_rotate(right, kept),
        abs_rotated=abs_rotated,
        abs_error=abs_error,
    )


def combine_blocks(
    partial: BlockOperator, threshold: RotatedThreshold
) -> tuple[Array, Array | None]:
    """:func:`combine` of a partial given by its blocks, P = L B R: (O, err) with O = P.T.

    O = L (B (R T)) with R T made once per threshold: ~10x fewer multiplications per point than
    P.T in the PDG basis (at nf = 5: 14 block products against 12 x 12 x 11), and equal to it
    up to rounding (1e-14 of the largest entry). The error is the same bound
    |P|.err_T + err_P.|T| with err_P = |L| err_B |R| (as :meth:`BlockOperator.to_flavor`
    rotates it): the second term as |L| (err_B (|R| |T|)), the first from the distinct blocks
    of |P| in the PDG basis (:meth:`RotatedThreshold.error_groups`). Single precision, rounded up
    as in :func:`error_product` (K: the summed length of the first term plus those of the three
    products of the second), then :func:`round_up_bound`.
    """
    if not np.array_equal(partial.right, threshold.right):
        raise ValueError("the partial's right rotation is not the threshold's")
    n, nx = threshold.shape[0], threshold.shape[1]
    shape = (n, nx, len(threshold.cols), nx)
    kept = _rotate(partial.left, _apply_blocks(partial.blocks, partial.entries, threshold.rotated))
    op = np.zeros(threshold.shape)
    op[:, :, threshold.cols, :] = kept.reshape(shape)
    if threshold.abs_error is None and partial.error_blocks is None:
        return op, None
    f32 = np.float32
    err = np.zeros(kept.shape, dtype=f32)
    if partial.error_blocks is not None:
        y = _apply_blocks(
            np.abs(partial.error_blocks).astype(f32), partial.entries, threshold.abs_rotated
        )
        err += _rotate(np.abs(partial.left).astype(f32), y)
    if threshold.abs_error is not None:
        flat, inverse = _distinct_blocks(
            partial.blocks, partial.entries, partial.left, partial.right
        )
        # |P| err_T from P's few distinct blocks D: for a class of rows with blocks ds,
        # [D_a1 .. D_am] (nx, m nx) times the err_T rows summed per block (made once per
        # threshold): at nf = 5, 53 block products where the dense |P| err_T has 144
        abs_flat = np.abs(flat).astype(f32).reshape(-1, nx, nx)
        index = inverse.reshape(n, n)[:, threshold.rows]
        for rows, ds, sums in threshold.error_groups(index, flat.any(axis=1)):
            blocks = abs_flat[ds].transpose(1, 0, 2).reshape(nx, len(ds) * nx)
            y = (blocks @ sums).reshape(nx, len(rows), -1)
            err[rows] += y.transpose(1, 0, 2)
    # summed lengths: the first term's (up to len(rows) rows of err_T, then m nx <= len(rows)
    # nx block entries) plus those of the three products of the second
    k = len(threshold.rows) * (nx + 1) + 2 * n + 2 * nx + 4
    err *= np.nextafter(f32(1.0 + 2.0 * (k + 4) * _U32), f32(2.0))
    out = np.zeros(threshold.shape)
    out[:, :, threshold.cols, :] = round_up_bound(err, inplace=True).reshape(shape)
    return op, out


#: fraction bits (after the leading one) kept by an error bound: a relative step <= 2^-10
BOUND_BITS = 10


def round_up_bound(bound: NDArray, *, inplace: bool = False) -> NDArray:
    """A non-negative error bound rounded up to :data:`BOUND_BITS` bits after its leading one.

    Same dtype (float32 or float64) and shape; zeros, infinities and NaN stay as they are;
    never below the input, idempotent. ``inplace``: round a C-contiguous ``bound`` itself and
    return it. A bound has no use for more digits, and the short mantissas make its stored
    copy ~2x faster to compress and ~2.5x smaller (zstd, a final error at nx = 60).
    """
    arr = np.asarray(bound)
    uint = {np.dtype(np.float32): (np.uint32, 23), np.dtype(np.float64): (np.uint64, 52)}
    if arr.dtype not in uint:
        raise TypeError(f"round_up_bound: float32 or float64 expected, got {arr.dtype}")
    kind, mantissa = uint[arr.dtype]
    mask = kind((1 << (mantissa - BOUND_BITS)) - 1)
    nan = np.isnan(arr)
    nan = nan if nan.any() else None
    kept = None if nan is None else arr[nan]
    if inplace and arr.flags.c_contiguous and arr.flags.writeable:
        out = arr
    else:
        out = np.array(arr, order="C")
    # adding the dropped bits' mask carries into the kept ones unless those bits are zero:
    # the next value up (into the next binade when the mantissa overflows; inf past the top)
    bits = out.reshape(-1).view(kind)
    bits += mask
    bits &= ~mask
    if nan is not None:  # a NaN's mantissa would carry into its sign
        out[nan] = kept
    return out
