"""Export an ekodask store as an eko 0.15 EKO: an uncompressed tar, one operator at a time.

The tar (members prefixed ``./``, as eko's own writer and the PineAPPL CLI expect) holds
``metadata.yaml``, ``theory.yaml`` and ``operator.yaml`` (eko's new-style cards, from
:func:`~ekodask.eko_compat.runcards.to_eko`, with ``mugrid`` the exported points), the header
and payload of every final operator, eko's empty runner folders, and ``ekodask.yaml`` (which
eko ignores) saying where each ``error`` array comes from and which solution method computed
the operators (``method.ekodask``; ``method.eko`` is the name in ``operator.yaml``, eko's
stand-in :data:`~ekodask.eko_compat.runcards.EKO_STAND_IN` for ekodask's own methods) with
which intrinsic flavours (``intrinsic``: [] or eko's own,
:func:`~ekodask.eko_compat.runcards.eko_intrinsic`). Only one
operator (plus its error and encoded payload) is in memory at a time.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from ..cards import load_cards
from ..errors import StoreError
from ..pids import PIDS
from ._format import (
    EKO_FORMAT_VERSION,
    FOLDERS,
    INFO_FILE,
    encode_payload,
    header_text,
    metadata_dict,
    stem,
)
from .runcards import mu_from_mu2, to_eko

__all__ = ["NO_ESTIMATE", "export", "format_version"]

Point = tuple[float, int]

NO_ESTIMATE = "none: the store holds no error estimate, the array is NaN (not an estimate)"
"""How ``ekodask.yaml`` marks a point exported without an error estimate."""


def format_version() -> str:
    """``metadata.version``: the eko format written plus ekodask's version (PEP 440 local)."""
    from .._version import __version__

    return f"{EKO_FORMAT_VERSION}+ekodask.{__version__}"


def _yaml(data: Any) -> bytes:
    return yaml.safe_dump(data).encode()


def _add(tar: tarfile.TarFile, name: str, data: bytes | None, mtime: int) -> None:
    """Add ``./name`` (a directory when data is None) to the tar."""
    info = tarfile.TarInfo(f"./{name}" if name else ".")
    info.mtime = mtime
    if data is None:
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    else:
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))


def _operators(
    eko: Any, points: list[Point] | None
) -> Iterator[tuple[Point, npt.NDArray[np.float64], Any]]:
    """(point, operator, error or None) of every final (or of points), read one at a time."""
    if points is None:
        for point, op in eko.items():
            yield point, op, eko.error(point)
    else:
        for point in points:
            yield point, eko[point], eko.error(point)


def export(
    store: Any,
    out: str | os.PathLike,
    *,
    points: Iterable[Point] | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the final operators of ``store`` (a path or an opened EKO) to the eko tar ``out``.

    ``points``: the (mu2, nf) to write (default: every final held), each of which the store
    must hold exactly. The tar is built beside ``out`` under a temporary name and renamed into
    place at the end, so an interrupted export leaves no half-written ``out``. Raises StoreError
    when ``out`` exists (unless ``overwrite``), a point is missing or the store is not in eko's
    14-flavour basis, CardError when its cards have no eko equivalent. Returns the path written.
    """
    from ..store import open as open_store

    eko = store if hasattr(store, "items") else open_store(store)
    out = Path(out)
    if out.exists() and not overwrite:
        raise StoreError(f"{out} exists; refusing to overwrite it")
    if tuple(int(p) for p in eko.pids) != PIDS:
        raise StoreError(f"{eko.path}: pids {list(eko.pids)} are not eko's flavour basis {PIDS}")
    theory, operator = load_cards(eko.theory, eko.operator)
    held = [(float(mu2), int(nf)) for mu2, nf in eko.evolution_points]
    chosen = None
    if points is not None:
        chosen = [(float(mu2), int(nf)) for mu2, nf in points]
        missing = [p for p in chosen if p not in set(held)]
        if missing:
            raise StoreError(f"{eko.path}: holds no final operator at {missing[0]}")
    points = held if chosen is None else chosen
    eko_theory, eko_operator = to_eko(theory, operator, for_export=True)
    eko_operator["mugrid"] = [[mu_from_mu2(mu2), nf] for mu2, nf in points]
    eko_operator["eko_version"] = format_version()
    eko_operator["xgrid"] = [float(x) for x in eko.xgrid]
    mu0, nf0 = eko_operator["init"]
    metadata = metadata_dict(mu0, nf0, eko.xgrid, format_version())

    nx = len(eko.xgrid)
    shape = (len(PIDS), nx, len(PIDS), nx)
    mtime = int(time.time())
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    errors: list[dict[str, Any]] = []
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            _add(tar, "", None, mtime)
            _add(tar, "metadata.yaml", _yaml(metadata), mtime)
            _add(tar, "theory.yaml", _yaml(eko_theory), mtime)
            _add(tar, "operator.yaml", _yaml(eko_operator), mtime)
            for folder in FOLDERS:
                _add(tar, folder, None, mtime)
            for (mu2, nf), op, err in _operators(eko, chosen):
                op = np.asarray(op, dtype=np.float64)
                if op.shape != shape:
                    raise StoreError(f"{eko.path}: operator {(mu2, nf)} has shape {op.shape}")
                if err is None:
                    err = np.full(shape, np.nan)
                s = stem(mu2, nf)
                _add(tar, f"operators/{s}.yaml", header_text(mu2, nf).encode(), mtime)
                _add(tar, f"operators/{s}.npz.lz4", encode_payload(op, err), mtime)
                errors.append({"scale": mu2, "nf": nf, "stem": s, "error": _error_note(err)})
                del op, err
            info = {
                "written_by": f"ekodask {format_version().split('+ekodask.')[1]}",
                "source_store": str(eko.path),
                "method": {
                    "ekodask": operator.method,
                    "eko": eko_operator["configs"]["evolution_method"],
                },
                "intrinsic": list(theory.intrinsic),
                "error_arrays": errors,
            }
            _add(tar, INFO_FILE, _yaml(info), mtime)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an EKO is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _error_note(err: npt.NDArray[np.float64]) -> str:
    if np.isnan(err).all():
        return NO_ESTIMATE
    return "estimate: the store's error array (inversion-error bound), exported as stored"
