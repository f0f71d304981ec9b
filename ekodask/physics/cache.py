"""A bounded per-process memo of mu2-independent Mellin-space arrays, keyed by value.

Anomalous dimensions depend on (order, kind, nf, the Mellin nodes, variations), never on a_s
or mu2, and the Talbot nodes depend only on the x-grid (:mod:`ekodask.mellin`): every segment
of a patch, every task on a worker and every point of a run ask for the same arrays. This
module keeps the latest of them in a least-recently-used dict bounded in entries and bytes.
Keys hold the nodes' shape and a digest of their bytes (not the object), so a worker that
unpickles new node arrays still hits; each process (or Dask worker) builds its own memo on
first use, there is no state to ship. Thread-safe; a value being built by one thread is
waited for, not built again, by another; cached arrays are read-only.
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
    "ObjectMemo",
    "cached_gammas",
    "clear",
    "memo",
    "nodes_key",
    "objects",
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


class _LRU:
    """Least-recently-used dict bounded in entries and a size measure; each key built once.

    A value is built outside the main lock; threads asking for a key that is being built wait
    for that build (a per-key lock) instead of repeating it.
    """

    def __init__(self, max_entries: int, max_size: float = float("inf")) -> None:
        self.max_entries = int(max_entries)
        self.max_size = max_size
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._sizes: dict[Hashable, float] = {}
        self._size = 0.0
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def _hit(self, key: Hashable) -> tuple[bool, Any]:
        # caller holds self._lock
        if key in self._data:
            self._data.move_to_end(key)
            self.hits += 1
            return True, self._data[key]
        return False, None

    def _get(self, key: Hashable, build: Callable[[], Any], size: Callable[[Any], float]) -> Any:
        with self._lock:
            found, value = self._hit(key)
            if found:
                return value
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                found, value = self._hit(key)  # built by the thread we waited for
                if found:
                    return value
                self.misses += 1
            try:
                value = build()
                nbytes = size(value)
                with self._lock:
                    if nbytes <= self.max_size:
                        self._data[key] = value
                        self._sizes[key] = nbytes
                        self._size += nbytes
                    while len(self._data) > self.max_entries or self._size > self.max_size:
                        old, _ = self._data.popitem(last=False)
                        self._size -= self._sizes.pop(old)
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._sizes.clear()
            self._size = 0.0
            self.hits = self.misses = 0


class ArrayMemo(_LRU):
    """LRU memo of arrays, at most ``max_entries`` entries and ``max_bytes`` bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(max_entries, int(max_bytes))
        self.max_bytes = int(max_bytes)

    @property
    def nbytes(self) -> int:
        return int(self._size)

    def get(self, key: Hashable, compute: Callable[[], NDArray]) -> NDArray:
        """The array stored under ``key``, computing and storing it (read-only) if new."""

        def build() -> NDArray:
            value = np.array(compute())  # an own copy: nobody else holds a writable view
            value.setflags(write=False)
            return value

        return self._get(key, build, lambda value: value.nbytes)


memo = ArrayMemo()
"""The process memo (a forked or spawned worker starts its own, empty or copied)."""


class ObjectMemo(_LRU):
    """LRU memo of at most ``max_entries`` objects that nobody modifies.

    For intermediate results that are not one array (e.g. the harmonic sums at a set of
    nodes, shared by every nf and kind).
    """

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The object stored under ``key``, building and storing it if new."""
        return self._get(key, build, lambda value: 0.0)


objects = ObjectMemo(16)
"""The process memo of shared intermediate objects (the harmonic sums at a node set: 2-3 MB
each at nx = 60, four per grid at NNLO)."""


def clear() -> None:
    """Empty the process memos."""
    memo.clear()
    objects.clear()


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
