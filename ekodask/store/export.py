"""The export seam: walk the pieces of a store one at a time, for writers of other formats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from ekodask.errors import StoreError
from ekodask.store._layout import ROLES
from ekodask.store.reader import EKO

__all__ = ["iter_pieces"]

Key = tuple[float, int]
Array = npt.NDArray[np.float64]


def iter_pieces(source: Any, role: str = "finals") -> Iterator[tuple[Key, Array, Array | None]]:
    """Yield (key, operator, error or None) of every piece of role, sorted by key.

    source: a store path (directory, .zip, fsspec URL) or an opened EKO. role: 'finals'
    (key = evolution point (mu2, nf), mu2 in GeV^2), 'partials' or 'thresholds'
    (key = (mu2_h, nf_after)). Operators are float64 (n_pid, nx, n_pid, nx); each is read
    only when reached, so memory holds one operator (and its error) at a time. A damaged
    piece raises StoreError naming it.
    """
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    eko = source if isinstance(source, EKO) else EKO(source)
    try:
        pieces = {"finals": eko.finals, "partials": eko.partials, "thresholds": eko.thresholds}
        mapping = pieces[role]
        for key in mapping:
            yield key, mapping[key], mapping.error(key)
    finally:
        if eko is not source:
            eko.close()
