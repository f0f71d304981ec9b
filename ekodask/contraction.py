"""Composition of operators [pid, x, pid, x], with first-order error propagation, defined once.

Pure numpy: the graph, the matching and the store all use it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Contraction", "combine", "contract"]

Array = NDArray[np.float64]
Contraction = Callable[[Array, Array], Array]


def contract(partial: Array, threshold: Array) -> Array:
    """partial o threshold: O[i, a, k, c] = sum_{j, b} P[i, a, j, b] T[j, b, k, c]."""
    return np.tensordot(partial, threshold, axes=([2, 3], [0, 1]))


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
