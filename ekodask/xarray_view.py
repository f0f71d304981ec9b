"""Labelled lazy views of an opened store: Dask arrays and xarray DataArrays, one chunk per piece.

Knows the store's layout only (no physics, no cards): each chunk of the array is one task that
reads exactly one stored piece (:func:`ekodask.store.reader.read_piece`), so selecting a slice
reads nothing, and computing it reads only the pieces it touches. xarray is an optional extra
(``pip install ekodask[xarray]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ekodask.store._layout import ROLES

if TYPE_CHECKING:
    from ekodask.store.reader import EKO

__all__ = ["DIMS", "to_dask", "to_xarray"]

DIMS = ("point", "pid_out", "x_out", "pid_in", "x_in")
"""Dimensions of the view: O[point, i, a, j, b] with f_i(x_a) = sum_jb O f_j(x_b)."""


def _mapping(eko: EKO, role: str) -> Any:
    if role not in ROLES:
        raise ValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return {"finals": eko.finals, "partials": eko.partials, "thresholds": eko.thresholds}[role]


def to_dask(eko: EKO, role: str = "finals") -> Any:
    """Dask array (n_points, n_pid, nx, n_pid, nx) of one role, one chunk per piece.

    Building it reads nothing; each chunk is one task reading exactly its piece (a damaged
    piece raises StoreError when computed, it never silently vanishes).
    """
    import dask.array as da
    from dask.base import tokenize

    keys = tuple(_mapping(eko, role))
    n_pid, nx = len(eko.pids), len(eko.xgrid)
    if not keys:
        return da.empty((0, n_pid, nx, n_pid, nx), dtype=np.float64, chunks=(1,) * 5)
    where = eko.path if isinstance(eko.path, str) else id(eko.path)
    name = f"ekodask-{role}-" + tokenize(where, eko.compat_sha256, role, keys)
    dsk = {(name, i, 0, 0, 0, 0): (_chunk, eko.path, role, k) for i, k in enumerate(keys)}
    chunks = ((1,) * len(keys), (n_pid,), (nx,), (n_pid,), (nx,))
    return da.Array(dsk, name, chunks, dtype=np.float64)


def _chunk(path: Any, role: str, key: tuple[float, int]) -> Any:
    """One chunk (1, n_pid, nx, n_pid, nx): the piece read by the store's read_piece (looked
    up when the task runs, so that a wrapper installed later sees every read)."""
    from ekodask.store import reader

    return reader.read_piece(path, role, key)[np.newaxis]


def to_xarray(eko: EKO, role: str = "finals") -> Any:
    """Lazy xarray DataArray of one role with dims ``DIMS``, one Dask chunk per piece.

    Coordinates: ``point`` a (mu2, nf) MultiIndex (mu2 in GeV^2; for thresholds the key
    (mu2_h, nf_after)), so ``.sel(mu2=1e4)`` or ``.sel(point=(1e4, 5))`` work; ``pid_out``,
    ``pid_in`` the PDG ids; ``x_out``, ``x_in`` the x-grid. Attributes: the cards (theory,
    operator), role, store path, versions and compat hash. ``.reset_index("point")`` before
    ``to_zarr``/``to_netcdf`` (they cannot write a MultiIndex).
    """
    try:
        import xarray as xr
    except ImportError as err:
        raise ImportError("EKO.to_xarray needs xarray: pip install 'ekodask[xarray]'") from err
    import pandas as pd

    keys = tuple(_mapping(eko, role))
    index = pd.MultiIndex.from_arrays(
        [
            np.array([k[0] for k in keys], dtype=np.float64),
            np.array([k[1] for k in keys], dtype=np.int64),
        ],
        names=("mu2", "nf"),
    )
    coords = xr.Coordinates.from_pandas_multiindex(index, "point")
    pids = np.array(eko.pids, dtype=np.int64)
    x = np.asarray(eko.xgrid, dtype=np.float64)
    attrs = {
        "role": role,
        "store": str(eko.path),
        "theory": eko.theory,
        "operator": eko.operator,
        "compat_sha256": eko.compat_sha256,
        **eko.versions,
        "convention": "f_i(x_a, mu2) = sum_jb O[point, i, a, j, b] f_j(x_b, mu0^2) (f, not x f)",
    }
    out = xr.DataArray(
        to_dask(eko, role),
        dims=DIMS,
        coords={
            **coords,
            "pid_out": ("pid_out", pids),
            "x_out": ("x_out", x),
            "pid_in": ("pid_in", pids),
            "x_in": ("x_in", x),
        },
        name=f"{role[:-1]}_operator",
        attrs=attrs,
    )
    out["mu2"].attrs["units"] = "GeV^2"
    return out
