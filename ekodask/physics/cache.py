"""A bounded per-process memo of mu2-independent Mellin-space arrays, keyed by value.

Anomalous dimensions depend on (order, kind, nf, the Mellin nodes, variations), never on a_s
or mu2, and the Talbot nodes depend only on the x-grid (:mod:`ekodask.mellin`): every segment
of a patch, every task on a worker and every point of a run ask for the same arrays. This
module keeps the latest of them in a least-recently-used dict bounded in entries and bytes.
Keys hold the nodes' shape and a digest of their bytes (not the object), so a worker that
unpickles new node arrays still hits; each process (or Dask worker) builds its own memo on
first use, there is no state to ship. Thread-safe (one lock); cached arrays are read-only.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "ArrayMemo",
    "CachedGammas",
    "cached_gammas",
    "clear",
    "memo",
    "nodes_key",
]

MAX_ENTRIES = 256
"""Entries kept by the process memo."""
MAX_BYTES = 512 * 2**20
"""Bytes kept by the process memo (an NNLO singlet at nx = 120 is ~2 MB)."""


def nodes_key(n: NDArray) -> tuple:
    """Value key of a node array: dtype, shape and a 128-bit digest of its bytes."""
    arr = np.ascontiguousarray(n)
    digest = hashlib.blake2b(arr.view(np.uint8).data, digest_size=16).digest()
    return (arr.dtype.str, arr.shape, digest)


class ArrayMemo:
    """LRU memo of arrays, at most ``max_entries`` entries and ``max_bytes`` bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = int(max_entries)
        self.max_bytes = int(max_bytes)
        self._data: OrderedDict[Hashable, NDArray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def nbytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable, compute: Callable[[], NDArray]) -> NDArray:
        """The array stored under ``key``, computing (outside the lock) and storing it if new."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = np.array(compute())  # an own copy: nobody else holds a writable view
        value.setflags(write=False)
        if value.nbytes > self.max_bytes:
            return value
        with self._lock:
            if key not in self._data:
                self._data[key] = value
                self._bytes += value.nbytes
            while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                _, old = self._data.popitem(last=False)
                self._bytes -= old.nbytes
            return self._data.get(key, value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
            self.hits = self.misses = 0


memo = ArrayMemo()
"""The process memo (a forked or spawned worker starts its own, empty or copied)."""


def clear() -> None:
    """Empty the process memo."""
    memo.clear()


class CachedGammas:
    """Gamma provider that memoises another one (``gamma_ns``, ``gamma_singlet``) by value.

    ``name`` identifies the wrapped provider in the keys, ``variation`` any hashable choice
    that changes its numbers (e.g. an N3LO parametrisation variation).
    """

    def __init__(self, provider: Any, name: str, variation: Hashable = ()) -> None:
        self.provider = provider
        self.name = name
        self.variation = variation

    def gamma_ns(self, order: int, kind: str, n: NDArray, nf: int) -> NDArray:
        key = (self.name, self.variation, "ns", int(order), kind, int(nf), nodes_key(n))
        return memo.get(key, lambda: self.provider.gamma_ns(order, kind, n, nf))

    def gamma_singlet(self, order: int, n: NDArray, nf: int) -> NDArray:
        key = (self.name, self.variation, "singlet", int(order), int(nf), nodes_key(n))
        return memo.get(key, lambda: self.provider.gamma_singlet(order, n, nf))


def cached_gammas(provider: ModuleType | None = None, variation: Hashable = ()) -> CachedGammas:
    """The memoised form of ``provider`` (default: :mod:`.anomalous_dimensions`)."""
    if provider is None:
        from . import anomalous_dimensions as provider
    return CachedGammas(provider, getattr(provider, "__name__", repr(provider)), variation)
