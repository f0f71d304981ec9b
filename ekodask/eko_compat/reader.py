"""Read an eko 0.15 EKO (tar or extracted folder) in place, as a read-only ekodask-like view.

A tar is untrusted input: nothing is extracted; members are read with ``tarfile.extractfile``
after the whole member list is checked (no absolute names, no ``..``, no links or devices, no
duplicates). Anything malformed raises :class:`EkoArchiveError` (a StoreError: one line naming
the archive, exit status 2 on the command line).
"""

from __future__ import annotations

import itertools
import math
import os
import tarfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from ..errors import StoreError
from ..pids import PIDS
from ._format import DATA_VERSION, INFO_FILE, decode_payload, parse_header

__all__ = ["EkoArchive", "EkoArchiveError", "is_eko", "open_eko"]

Key = tuple[float, int]

_METADATA_KEYS = {"data_version", "origin", "version", "xgrid"}


class EkoArchiveError(StoreError):
    """An eko tar or folder that is malformed or unsafe; the message names it."""


class _Tar:
    """Regular members of a checked tar, by normalised name, read in place."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        try:
            self._tar = tarfile.open(path, "r:*")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise EkoArchiveError(f"{path}: not a readable tar archive ({_line(exc)})") from None
        try:
            self.files = self._check(self._tar.getmembers())
        except (tarfile.TarError, OSError, EOFError) as exc:
            self._tar.close()
            raise EkoArchiveError(f"{path}: damaged tar archive ({_line(exc)})") from None
        except EkoArchiveError:
            self._tar.close()
            raise

    def _check(self, members: list[tarfile.TarInfo]) -> dict[str, tarfile.TarInfo]:
        files: dict[str, tarfile.TarInfo] = {}
        seen: set[str] = set()
        self.dirs: set[str] = set()
        for m in members:
            raw = m.name
            if raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":"):
                raise EkoArchiveError(f"{self.where}: member '{raw}' has an absolute path")
            parts = [p for p in PurePosixPath(raw.replace("\\", "/")).parts if p != "."]
            if ".." in parts:
                raise EkoArchiveError(f"{self.where}: member '{raw}' leaves the archive (..)")
            if m.issym() or m.islnk():
                raise EkoArchiveError(f"{self.where}: member '{raw}' is a link")
            if not (m.isreg() or m.isdir()):
                raise EkoArchiveError(f"{self.where}: member '{raw}' is not a file or folder")
            name = "/".join(parts)
            if name in seen and not m.isdir():
                raise EkoArchiveError(f"{self.where}: member '{raw}' appears twice")
            seen.add(name)
            if m.isreg():
                files[name] = m
            else:
                self.dirs.add(name)
        return files

    def read(self, name: str) -> bytes:
        handle = self._tar.extractfile(self.files[name])
        if handle is None:  # pragma: no cover - regular members always have a handle
            raise EkoArchiveError(f"{self.where}: cannot read member '{name}'")
        try:
            return handle.read()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise EkoArchiveError(f"{self.where}: damaged member '{name}' ({_line(exc)})") from None

    def close(self) -> None:
        self._tar.close()


class _Folder:
    """Regular files of an extracted EKO folder (root files and operators/), no symlinks."""

    def __init__(self, path: Path) -> None:
        self.where = str(path)
        self._root = path
        self.files: dict[str, Path] = {}
        self.dirs = {p.name for p in path.iterdir() if p.is_dir() and not p.is_symlink()}
        for sub in ("", "operators"):
            folder = path / sub
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                name = f"{sub}/{entry.name}" if sub else entry.name
                if entry.is_symlink():
                    raise EkoArchiveError(f"{self.where}: '{name}' is a symbolic link")
                if entry.is_file():
                    self.files[name] = entry

    def read(self, name: str) -> bytes:
        return self.files[name].read_bytes()

    def close(self) -> None:
        pass


def is_eko(path: Any) -> bool:
    """Whether path is an eko EKO: a tar file, or a folder with metadata.yaml and operators/."""
    if not isinstance(path, str | os.PathLike):
        return False
    p = Path(path)
    try:
        if p.is_file():
            return tarfile.is_tarfile(p)
        return (
            p.is_dir()
            and (p / "metadata.yaml").is_file()
            and (p / "operators").is_dir()
            and not (p / "zarr.json").exists()
        )
    except OSError:
        return False


class EkoArchive(Mapping[Key, npt.NDArray[np.float64]]):
    """Read-only view of an eko EKO: evolution points (mu2, nf) -> operators, loaded on access.

    Same reading interface as :class:`ekodask.store.EKO`: ``xgrid``, ``pids``,
    ``evolution_points``, ``mu2grid``, ``items()``, ``[(mu2, nf)]`` or ``[mu2]``, ``error()``,
    ``theory``/``operator`` (ekodask card dicts translated from eko's cards). Operators are
    float64 (14, nx, 14, nx) = [pid_out, x_out, pid_in, x_in], acting on f (not x f).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)
        p = Path(path)
        if p.is_dir():
            self._src: _Tar | _Folder = _Folder(p)
        elif p.is_file():
            self._src = _Tar(p)
        else:
            raise EkoArchiveError(f"{path}: no such eko tar or folder")
        try:
            self._load()
        except BaseException:
            self._src.close()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _fail(self, what: str) -> EkoArchiveError:
        return EkoArchiveError(f"{self.path}: {what}")

    def _yaml(self, name: str) -> Any:
        try:
            return yaml.safe_load(self._src.read(name))
        except yaml.YAMLError:
            raise self._fail(f"{name} is not valid YAML") from None

    def _load(self) -> None:
        files = self._src.files
        if "metadata.yaml" not in files:
            raise self._fail("no metadata.yaml at the archive root (not an eko EKO)")
        meta = self._yaml("metadata.yaml")
        if not isinstance(meta, dict) or set(meta) != _METADATA_KEYS:
            got = sorted(meta) if isinstance(meta, dict) else meta
            raise self._fail(
                f"metadata.yaml holds {got!r}, expected the keys {sorted(_METADATA_KEYS)}"
            )
        if meta["data_version"] != DATA_VERSION:
            raise self._fail(
                f"metadata.yaml data_version {meta['data_version']!r}: only eko 0.15's "
                f"{DATA_VERSION} is read"
            )
        origin = meta["origin"]
        if (
            not isinstance(origin, list)
            or len(origin) != 2
            or not _positive(origin[0])
            or not _integer(origin[1])
        ):
            raise self._fail(f"metadata.yaml origin {origin!r} is not [mu0^2, nf0]")
        xgrid = meta["xgrid"]
        if (
            not isinstance(xgrid, list)
            or len(xgrid) < 2
            or not all(_positive(x) and x <= 1.0 for x in xgrid)
            or any(b <= a for a, b in itertools.pairwise(xgrid))
        ):
            raise self._fail("metadata.yaml xgrid is not an increasing list of 0 < x <= 1")
        self.metadata: dict[str, Any] = meta
        self.xgrid: npt.NDArray[np.float64] = np.array(xgrid, dtype=np.float64)
        self.pids: tuple[int, ...] = PIDS
        self.mu20 = float(origin[0])
        self.nf0 = int(origin[1])
        self.eko_theory = self._yaml("theory.yaml") if "theory.yaml" in files else None
        self.eko_operator = self._yaml("operator.yaml") if "operator.yaml" in files else None
        self.info = self._yaml(INFO_FILE) if INFO_FILE in files else None
        self.method = self._ekodask_method(self.info)
        if "operators" not in self._src.dirs and not any(n.startswith("operators/") for n in files):
            raise self._fail("no operators/ folder")
        self._payloads: dict[Key, tuple[str, str]] = {}
        for name in sorted(files):
            if not (name.startswith("operators/") and name.endswith(".yaml")):
                continue
            stem = name[len("operators/") : -len(".yaml")]
            if "/" in stem:
                continue
            try:
                point = parse_header(self._src.read(name), name)
            except ValueError as exc:
                raise self._fail(str(exc)) from None
            found = [
                f"operators/{stem}{s}"
                for s in (".npz.lz4", ".npy.lz4")
                if f"operators/{stem}{s}" in files
            ]
            if len(found) != 1:
                raise self._fail(f"header {name} has {len(found)} payloads, expected one")
            if point in self._payloads:
                raise self._fail(f"evolution point {point} appears twice")
            self._payloads[point] = (name, found[0])
        self._points = tuple(sorted(self._payloads))

    def _ekodask_method(self, info: Any) -> str | None:
        """ekodask's method recorded in an ekodask-written tar (None: operator.yaml's holds).

        ``method: {ekodask: NAME, eko: NAME}``: the name must be one of ekodask's and ``eko``
        its stand-in (:data:`~ekodask.eko_compat.runcards.EKO_STAND_IN`) as operator.yaml has it.
        """
        from ..options import EVOLUTION_METHODS
        from .runcards import EKO_STAND_IN

        if info is None or not isinstance(info, dict) or "method" not in info:
            return None
        block = info["method"]
        ours = block.get("ekodask") if isinstance(block, dict) else None
        written = ((self.eko_operator or {}).get("configs") or {}).get("evolution_method")
        if (
            ours not in EVOLUTION_METHODS
            or block.get("eko") != EKO_STAND_IN.get(ours, ours)
            or written != block.get("eko")
        ):
            raise self._fail(
                f"{INFO_FILE} method {block!r} does not fit operator.yaml's evolution_method "
                f"{written!r}"
            )
        return ours

    # -- metadata ----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """metadata.yaml's version (the eko release, or the format written by ekodask)."""
        return str(self.metadata["version"])

    @property
    def mu0(self) -> float:
        """Initial scale in GeV: operator.yaml's init, else sqrt of metadata's origin."""
        init = (self.eko_operator or {}).get("init")
        if isinstance(init, list) and init and _positive(init[0]):
            return float(init[0])
        return math.sqrt(self.mu20)

    def _cards(self) -> tuple[dict[str, Any], dict[str, Any]]:
        from .runcards import from_eko

        if self.eko_theory is None or self.eko_operator is None:
            raise self._fail("no theory.yaml/operator.yaml: the cards are unknown")
        theory, operator = from_eko(
            self.eko_theory,
            self.eko_operator,
            (f"{self.path}:theory.yaml", f"{self.path}:operator.yaml"),
        )
        if self.method is not None:  # written by ekodask: the method that made the operators
            operator["method"] = self.method
        if isinstance(self.info, dict) and "intrinsic" in self.info:
            from .runcards import eko_intrinsic

            intrinsic = self.info["intrinsic"]
            if intrinsic not in ([], eko_intrinsic(theory)):
                raise self._fail(
                    f"{INFO_FILE} intrinsic {intrinsic!r} is neither [] nor eko's "
                    f"{eko_intrinsic(theory)!r} for these cards"
                )
            theory["intrinsic"] = intrinsic
        return theory, operator

    @property
    def theory(self) -> dict[str, Any]:
        """ekodask's theory card for eko's (CardError when ekodask has no equivalent); the
        intrinsic flavours are ekodask.yaml's in a tar ekodask wrote, else []."""
        return self._cards()[0]

    @property
    def operator(self) -> dict[str, Any]:
        """ekodask's operator card for eko's; mu2grid lists the points held, as stored; the
        method is ekodask's when the tar's ekodask.yaml records one."""
        op = self._cards()[1]
        op["mu2grid"] = [[mu2, nf] for mu2, nf in self._points]
        return op

    @property
    def evolution_points(self) -> tuple[Key, ...]:
        """Sorted (mu2, nf) of the operators held (mu2 as in the headers)."""
        return self._points

    @property
    def mu2grid(self) -> npt.NDArray[np.float64]:
        """mu2 of evolution_points, same order."""
        return np.array([p[0] for p in self._points], dtype=np.float64)

    # -- operators ---------------------------------------------------------------------------

    def _point(self, key: Any) -> Key:
        from ..store import PointNotFoundError

        if isinstance(key, tuple) and len(key) == 2:
            point = (float(key[0]), int(key[1]))
            if point not in self._payloads:
                raise PointNotFoundError(f"{self.path}: no operator at {point}")
            return point
        try:
            mu2 = float(key)
        except (TypeError, ValueError):
            raise PointNotFoundError(f"{self.path}: bad key {key!r}") from None
        hits = [p for p in self._points if p[0] == mu2]
        if len(hits) != 1:
            what = "no operator" if not hits else f"ambiguous, held with nf {[p[1] for p in hits]}:"
            raise PointNotFoundError(f"{self.path}: mu2={mu2!r}: {what}")
        return hits[0]

    def _load_point(self, point: Key) -> tuple[npt.NDArray[np.float64], Any]:
        name = self._payloads[point][1]
        try:
            op, err = decode_payload(self._src.read(name), name)
        except ValueError as exc:
            raise self._fail(str(exc)) from None
        nx = len(self.xgrid)
        shape = (len(PIDS), nx, len(PIDS), nx)
        for what, arr in (("operator", op), ("error", err)):
            if arr is None:
                continue
            if arr.shape != shape or arr.dtype.kind != "f":
                raise self._fail(f"{name}: {what} is {arr.dtype} {arr.shape}, expected {shape}")
        return op.astype(np.float64, copy=False), (
            None if err is None else err.astype(np.float64, copy=False)
        )

    def __getitem__(self, key: Any) -> npt.NDArray[np.float64]:
        return self._load_point(self._point(key))[0]

    def error(self, key: Any) -> npt.NDArray[np.float64] | None:
        """eko's error array of the operator at key, None when the payload has none."""
        return self._load_point(self._point(key))[1]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def __contains__(self, key: object) -> bool:
        try:
            self._point(key)
        except StoreError:
            return False
        return True

    def items(self) -> Iterator[tuple[Key, npt.NDArray[np.float64]]]:  # type: ignore[override]
        """Yield (point, operator) one at a time, reading each only when reached."""
        for point in self._points:
            yield point, self[point]

    def close(self) -> None:
        """Close the archive."""
        self._src.close()

    def __enter__(self) -> EkoArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EkoArchive({self.path!r}, {len(self)} operators, nx={len(self.xgrid)})"


def _line(exc: BaseException) -> str:
    """An exception's message on one line (tarfile's list one failed method per line)."""
    return str(exc).splitlines()[0].rstrip(":") if str(exc) else type(exc).__name__


def _positive(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float) and x > 0.0


def _integer(x: Any) -> bool:
    return not isinstance(x, bool) and isinstance(x, int)


def open_eko(path: str | os.PathLike) -> EkoArchive:
    """Open an eko tar or extracted folder read-only (metadata and headers; operators lazily)."""
    return EkoArchive(path)
