"""Read-only lazy view of an ekodask store: metadata at open, one operator per access."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import zarr

from ekodask.errors import StoreError
from ekodask.store._layout import (
    REL_TOL,
    PointNotFoundError,
    decode_start,
    effective_metadata,
    key_name,
    match_key,
    normalize_key,
    one_line,
    open_root,
    piece_array,
    read_array,
    role_group,
    scan_role,
)

__all__ = ["EKO", "PieceMapping", "open"]

Key = tuple[float, int]


class PieceMapping(Mapping[Key, npt.NDArray[np.float64]]):
    """Lazy mapping key -> operator of one role ('thresholds', 'partials' or 'finals').

    Look-ups forgive round-off in mu2 (relative 1e-12, same nf), keys stay exact. A damaged
    piece is listed (it never silently vanishes) but reading it raises StoreError.
    """

    def __init__(self, root: zarr.Group, role: str, where: str) -> None:
        self._group = role_group(root, role)
        self._role = role
        self._where = where
        self._listed: tuple[Key, ...] | None = None
        self._damaged: dict[Key, str] = {}

    @property
    def _keys(self) -> tuple[Key, ...]:
        if self._listed is None:  # listed on first use: one small JSON read per piece
            listing = scan_role(self._group)
            self._damaged = listing.damaged_keys()
            self._listed = tuple(sorted({*listing.complete, *self._damaged}))
        return self._listed

    @property
    def damaged(self) -> dict[Key, str]:
        """Damaged pieces of this role: key -> problem (``ekodask verify`` says more)."""
        _ = self._keys
        return dict(self._damaged)

    def resolve(self, key: Any) -> Key:
        """The stored key that key designates (round-off in mu2 forgiven)."""
        try:
            k = normalize_key(key, "key")
        except PointNotFoundError as exc:
            raise PointNotFoundError(f"{self._where}: {exc}") from None
        held = match_key(k, self._keys, self._role[:-1], self._where)
        if held is None:
            raise PointNotFoundError(f"{self._where}: no {self._role[:-1]} {k}")
        return held

    def _piece(self, key: Any) -> tuple[Key, zarr.Group]:
        k = self.resolve(key)
        if k in self._damaged:
            raise StoreError(
                f"{self._where}: {self._role[:-1]} {k} is damaged ({self._damaged[k]}); "
                f"`ekodask verify --fix {self._where}` moves it aside for a rerun to recompute"
            )
        path = self._group.store_path / key_name(k)
        return k, zarr.open_group(path, mode="r", zarr_format=3)

    def __getitem__(self, key: Any) -> npt.NDArray[np.float64]:
        k, group = self._piece(key)
        where = f"{self._where}: {self._role[:-1]} {k}"
        return read_array(piece_array(group, "operator"), where)

    def __iter__(self) -> Iterator[Key]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        try:
            self.resolve(key)
        except StoreError:
            return False
        return True

    def error(self, key: Any) -> npt.NDArray[np.float64] | None:
        """The error estimate stored with the piece, or None."""
        k, group = self._piece(key)
        if not group.attrs.get("has_error"):
            return None
        where = f"{self._where}: {self._role[:-1]} {k} error"
        return read_array(piece_array(group, "error"), where)

    def start(self, key: Any) -> Key | None:
        """For partials: the threshold key to combine with (None: starts at mu0)."""
        _, group = self._piece(key)
        return decode_start(group.attrs.get("start"))


class EKO(Mapping[Key, npt.NDArray[np.float64]]):
    """Lazy read-only EKO: maps evolution points (mu2, nf) to final operators.

    Operators are float64 (n_pid, nx, n_pid, nx), O[i, a, j, b] with
    f_i(x_a, mu2) = sum_{j,b} O[i, a, j, b] f_j(x_b, mu0). Opening reads metadata only;
    the set of finals is listed at open, partials and thresholds on first use; open again to
    see pieces written later.
    """

    def __init__(self, path: Any) -> None:
        self.path = os.fspath(path) if isinstance(path, str | os.PathLike) else path
        self._root, self._info = open_root(self.path, writable=False)
        where = str(self.path)
        self._finals = PieceMapping(self._root, "finals", where)
        self.partials = PieceMapping(self._root, "partials", where)
        self.thresholds = PieceMapping(self._root, "thresholds", where)
        self.xgrid: npt.NDArray[np.float64] = np.array(self._info["xgrid"], dtype=np.float64)
        self.pids: tuple[int, ...] = tuple(int(p) for p in self._info["pids"])
        self._metadata: dict[str, Any] | None = None

    # -- metadata ----------------------------------------------------------------------------

    @property
    def metadata(self) -> dict[str, Any]:
        """The cards as plain dicts: those given at creation, with metadata['operator']
        ['mu2grid'] the union over every run and merge that added points."""
        if self._metadata is None:
            self._metadata = effective_metadata(self._root, self._info)
        return self._metadata

    @property
    def theory(self) -> dict[str, Any]:
        """The theory card (metadata['theory'], {} if absent)."""
        return self.metadata.get("theory", {})

    @property
    def operator(self) -> dict[str, Any]:
        """The operator card (metadata['operator'], {} if absent)."""
        return self.metadata.get("operator", {})

    @property
    def compat(self) -> dict[str, Any]:
        """The part of the metadata that must agree for a merge."""
        return self._info["compat"]

    @property
    def compat_sha256(self) -> str:
        """sha256 of the canonical JSON of compat."""
        return self._info["compat_sha256"]

    @property
    def versions(self) -> dict[str, Any]:
        """ekodask version that created the store and the store-format version."""
        return {k: self._info[k] for k in ("ekodask_version", "format_version")}

    @property
    def merged_from(self) -> list[dict[str, Any]]:
        """The stores merged into this one ({'store': path, 'metadata': ...}), oldest first."""
        return list(self._info.get("merged_from", []))

    @property
    def evolution_points(self) -> tuple[Key, ...]:
        """Sorted (mu2, nf) of the final operators present."""
        return tuple(self._finals)

    @property
    def mu2grid(self) -> npt.NDArray[np.float64]:
        """mu2 (GeV^2) of evolution_points, in the same order (a mu2 repeats on a threshold)."""
        return np.array([p[0] for p in self._finals], dtype=np.float64)

    @property
    def finals(self) -> PieceMapping:
        """The final operators as a lazy mapping (same as the EKO itself)."""
        return self._finals

    # -- operators ---------------------------------------------------------------------------

    @property
    def damaged(self) -> tuple[tuple[str, Key, str], ...]:
        """(role, key, problem) of every damaged piece (metadata only; ``ekodask verify``
        also decodes the data)."""
        return tuple(
            (role, key, problem)
            for role, mapping in (
                ("thresholds", self.thresholds),
                ("partials", self.partials),
                ("finals", self._finals),
            )
            for key, problem in mapping.damaged.items()
        )

    def _point(self, key: Any) -> Key:
        if isinstance(key, tuple):
            return self._finals.resolve(key)
        try:
            mu2 = float(key)
        except (TypeError, ValueError):
            raise PointNotFoundError(f"{self.path}: bad key {key!r}") from None
        hits = [p for p in self._finals if math.isclose(p[0], mu2, rel_tol=REL_TOL)]
        if not hits:
            raise PointNotFoundError(f"{self.path}: no final operator at mu2={mu2!r}")
        if len(hits) > 1:
            raise PointNotFoundError(
                f"{self.path}: mu2={mu2!r} is ambiguous, held with nf in "
                f"{[p[1] for p in hits]}; use eko[(mu2, nf)]"
            )
        return hits[0]

    def __getitem__(self, key: Any) -> npt.NDArray[np.float64]:
        return self._finals[self._point(key)]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._finals)

    def __len__(self) -> int:
        return len(self._finals)

    def __contains__(self, key: object) -> bool:
        try:
            self._point(key)
        except StoreError:
            return False
        return True

    def items(self) -> Iterator[tuple[Key, npt.NDArray[np.float64]]]:  # type: ignore[override]
        """Yield (point, final operator) one at a time, loading each only when reached."""
        for point in self._finals:
            yield point, self._finals[point]

    def error(self, point: Any) -> npt.NDArray[np.float64] | None:
        """Error estimate of the final operator at point, or None when none was stored."""
        return self._finals.error(self._point(point))

    def to_dask(self, role: str = "finals") -> Any:
        """Dask array (n_points, n_pid, nx, n_pid, nx) of one role ('finals' by default,
        'partials', 'thresholds'), one chunk per piece; see :func:`ekodask.xarray_view.to_dask`."""
        from ekodask.xarray_view import to_dask

        return to_dask(self, role)

    def to_xarray(self, role: str = "finals") -> Any:
        """Lazy labelled xarray DataArray of one role, dims (point, pid_out, x_out, pid_in,
        x_in); needs the xarray extra. See :func:`ekodask.xarray_view.to_xarray`."""
        from ekodask.xarray_view import to_xarray

        return to_xarray(self, role)

    def __reduce__(self) -> tuple[Any, ...]:
        return (EKO, (self.path,))  # reopen by path: a worker gets its own lazy handle

    def close(self) -> None:
        """Release the underlying store (matters for .zip stores)."""
        self._root.store.close()

    def __enter__(self) -> EKO:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        """One line: finals and their points, partials, thresholds, cards, grid, size, state."""
        from ekodask.display import eko_repr

        try:
            return eko_repr(self)
        except Exception:  # a repr never raises (a closed zip store, a damaged role group)
            return f"EKO({self.path!r}, nx={len(self.xgrid)})"

    def _repr_html_(self) -> str:
        """Jupyter's display: the summary ``ekodask inspect`` prints, as tables."""
        from ekodask.display import eko_html

        return eko_html(self)


def read_piece(path: Any, role: str, key: Key) -> npt.NDArray[np.float64]:
    """Read the operator of one piece of a store by path (one task of a Dask view).

    Opens the store root itself (no listing of the other pieces); key is the exact stored
    key. StoreError when the piece is damaged.
    """
    root, _ = open_root(path, writable=False)
    where = f"{path}: {role[:-1]} {key}"
    try:
        try:
            group = zarr.open_group(root.store_path / role / key_name(key), mode="r")
        except Exception as exc:
            raise StoreError(f"{where} is damaged ({one_line(exc)})") from None
        return read_array(piece_array(group, "operator"), where)
    finally:
        if isinstance(path, str | os.PathLike):
            root.store.close()  # this task opened it (matters for a zip file)


def open(path: Any) -> EKO:
    """Open an ekodask store lazily (metadata only): a directory, a .zip or an fsspec URL."""
    return EKO(path)
