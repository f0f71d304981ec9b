"""eko 0.15's on-disk format (data_version 3): file names, headers, payloads, metadata.

Written from eko's documentation and IO code as summarised in ``notes/eko_format.md``; no eko
import. An EKO is a tar (or folder) whose root holds ``metadata.yaml``, ``theory.yaml``,
``operator.yaml`` and ``operators/<stem>.yaml`` (header ``{nf, scale}``, scale = mu^2 in
GeV^2) with ``operators/<stem>.npz.lz4`` (one LZ4 frame holding an uncompressed ``.npz`` with
float64 ``operator`` and ``error`` of shape (14, nx, 14, nx)) per evolution point.
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

__all__ = [
    "DATA_VERSION",
    "EKO_FORMAT_VERSION",
    "FOLDERS",
    "INFO_FILE",
    "decode_payload",
    "encode_payload",
    "header_text",
    "metadata_dict",
    "parse_header",
    "stem",
]

DATA_VERSION = 3
"""eko's ``__data_version__`` for 0.15.x files."""

EKO_FORMAT_VERSION = "0.15.7"
"""The eko release whose format is written; ``metadata.version`` adds ``+ekodask.<version>``."""

FOLDERS = ("operators", "recipes", "recipes/matching", "parts", "parts/matching")
"""Folders of eko's tree; only ``operators`` is read, the others stay empty."""

INFO_FILE = "ekodask.yaml"
"""ekodask's own note at the archive root (eko, pineko and PineAPPL ignore extra root files)."""


def stem(mu2: float, nf: int) -> str:
    """File stem of the final operator at (mu2, nf): eko's ``inventory.encode`` of ``Target``.

    CPython's numeric hash of the tuple (mu2 as float, nf as int), absolute value, 8 bytes
    little-endian, URL-safe base64 with padding (12 characters). Test vectors in
    notes/eko_format.md section 1.6, e.g. (10000.0, 5) -> 'SRQ_U6k7NQ8='.
    """
    h = abs(hash((float(mu2), int(nf))))
    return base64.urlsafe_b64encode(h.to_bytes(8, "little")).decode("ascii")


def header_text(mu2: float, nf: int) -> str:
    """YAML of a final operator's header, exactly the keys ``nf`` and ``scale`` (mu2)."""
    return yaml.safe_dump({"nf": int(nf), "scale": float(mu2)})


def parse_header(text: str | bytes, where: str) -> tuple[float, int]:
    """(mu2, nf) of a header; ValueError naming ``where`` unless exactly {nf: int, scale: num}."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ValueError(f"{where}: not valid YAML") from None
    if not isinstance(data, dict) or set(data) != {"nf", "scale"}:
        raise ValueError(f"{where}: expected a header with exactly the keys nf and scale")
    nf, scale = data["nf"], data["scale"]
    if isinstance(nf, bool) or not isinstance(nf, int):
        raise ValueError(f"{where}: nf {nf!r} is not an integer")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0.0:
        raise ValueError(f"{where}: scale {scale!r} is not a positive number")
    return float(scale), nf


def metadata_dict(mu0: float, nf0: int, xgrid: npt.ArrayLike, version: str) -> dict[str, Any]:
    """``metadata.yaml``: exactly data_version, origin [mu0^2, nf0] (squared), version, xgrid."""
    return {
        "data_version": DATA_VERSION,
        "origin": [float(mu0) ** 2, int(nf0)],
        "version": str(version),
        "xgrid": [float(x) for x in np.asarray(xgrid, dtype=np.float64)],
    }


def encode_payload(operator: npt.ArrayLike, error: npt.ArrayLike) -> bytes:
    """``<stem>.npz.lz4``: one LZ4 frame (default settings) of an uncompressed npz.

    Members ``operator.npy`` and ``error.npy``, float64 C order, as eko's ``Operator.save``.
    """
    import lz4.frame

    buf = io.BytesIO()
    np.savez(
        buf,
        operator=np.ascontiguousarray(operator, dtype=np.float64),
        error=np.ascontiguousarray(error, dtype=np.float64),
    )
    return lz4.frame.compress(buf.getbuffer())


def _frames(data: bytes) -> bytes:
    """Content of every LZ4 frame in ``data`` joined (the LZ4 frame format allows several)."""
    import lz4.frame

    out = []
    while data:
        decomp = lz4.frame.LZ4FrameDecompressor()
        out.append(decomp.decompress(data))
        if not decomp.eof:
            raise ValueError("truncated LZ4 frame")
        data = decomp.unused_data
    return b"".join(out)


def decode_payload(
    data: bytes, where: str
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """(operator, error or None) of an ``.npz.lz4``/``.npy.lz4`` payload; ValueError on damage.

    No pickles are ever loaded (``allow_pickle=False``).
    """
    try:
        raw = _frames(data)
    except RuntimeError as exc:  # python-lz4 reports a damaged frame as RuntimeError
        raise ValueError(f"{where}: not an LZ4 frame ({exc})") from None
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    try:
        loaded = np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ValueError(
            f"{where}: not a NumPy .npy/.npz ({str(exc).splitlines()[0] if str(exc) else exc!r})"
        ) from None
    if isinstance(loaded, np.ndarray):
        return loaded, None
    with loaded:
        if "operator" not in loaded.files:
            raise ValueError(f"{where}: npz without an 'operator' array")
        try:
            op = loaded["operator"]
            err = loaded["error"] if "error" in loaded.files else None
        except (ValueError, OSError, zipfile.BadZipFile) as exc:
            raise ValueError(f"{where}: damaged npz member ({exc})") from None
    return op, err
