"""Import an eko 0.15 EKO (tar or folder) into an ekodask Zarr store, operators bit for bit."""

from __future__ import annotations

import os
import shutil
from typing import Any

import numpy as np

from ..cards import compat_dict, load_cards
from ..pids import PIDS
from .reader import EkoArchiveError, open_eko

__all__ = ["import_eko"]


def import_eko(src: str | os.PathLike, dest: Any, *, overwrite: bool = False) -> Any:
    """Write every operator of the EKO ``src`` as a final operator of the store ``dest``.

    The store's cards are eko's translated (CardError naming the eko key when ekodask has no
    equivalent), with ``mu2grid`` the headers' (mu2, nf) as stored; operators and eko's error
    arrays are copied unchanged (an all-NaN error, ekodask's mark of "no estimate", is dropped).
    An existing store with the same cards is added to, as ``ekodask run`` resumes; a new store
    is removed again when the archive turns out damaged part-way. Returns ``dest``.
    """
    fresh = isinstance(dest, str | os.PathLike) and not os.path.lexists(dest)
    try:
        _import(src, dest, overwrite)
    except BaseException:
        if fresh and os.path.isdir(dest):  # a damaged archive leaves no half-written store
            shutil.rmtree(dest)
        raise
    return dest


def _import(src: str | os.PathLike, dest: Any, overwrite: bool) -> None:
    from ..store import create

    with open_eko(src) as eko:
        theory, operator = eko.theory, eko.operator
        th, op = load_cards(theory, operator)
        xgrid = np.asarray(op.xgrid, dtype=np.float64)
        if xgrid.shape != eko.xgrid.shape or not np.array_equal(xgrid, eko.xgrid):
            raise EkoArchiveError(
                f"{eko.path}: operator.yaml xgrid differs from metadata.yaml xgrid"
            )
        if not np.isclose(op.mu0**2, eko.mu20, rtol=1e-12, atol=0.0):
            raise EkoArchiveError(
                f"{eko.path}: operator.yaml init {op.mu0} GeV differs from metadata.yaml origin "
                f"mu0^2 = {eko.mu20} GeV^2"
            )
        metadata = {
            "theory": th.to_dict(),
            "operator": op.to_dict(),
            "eko_import": {"archive": os.fspath(src), "version": eko.version},
        }
        store = create(
            dest,
            metadata=metadata,
            compat=compat_dict(th, op),
            xgrid=eko.xgrid,
            pids=PIDS,
            overwrite=overwrite,
        )
        for point in eko:
            operator_array, error = eko._load_point(point)
            if error is not None and np.isnan(error).all():
                error = None
            store.write_final(point, operator_array, error)
            del operator_array, error
