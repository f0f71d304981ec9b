"""Layout of an ekodask store: names, codec, backends and the one-piece read/write primitives.

A store is one Zarr v3 group::

    zarr.json                 attrs["ekodask"]: format, versions, metadata, compat, its hash,
                              xgrid, pids
    thresholds/<name>/        one group per threshold operator, key (mu2_h, nf_after)
    partials/<name>/          one group per partial operator, key (mu2, nf)
    finals/<name>/            one group per final operator, key (mu2, nf)

Each piece is a group holding the array ``operator`` (and ``error`` when given), float64,
shape (n_pid, nx, n_pid, nx), stored as ONE chunk, so reading one piece reads only its bytes.
The piece counts as present only once its group attribute ``complete`` is true; that
attribute is written last, after the chunks, and every write is an atomic rename on a local
store, so a crash or a concurrent reader never sees a half-written piece as present. On a
local store a piece is moreover built in ``<role>/.build-<name>-<uuid>/`` and renamed to
``<role>/<name>/`` once complete, so two writers of the same piece never disturb each other.
One group per piece (not one preallocated array per role) because independent processes
create pieces without knowing the full list in advance and only node creation, never a
shared metadata read-modify-write, is safe without a lock (notes/dask_zarr.md, section 2).
"""

from __future__ import annotations

import json
import math
import mmap
import os
import time
import uuid
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import zarr
from numcodecs import zstd as _zstd
from zarr.abc.store import Store
from zarr.codecs import ZstdCodec
from zarr.core.buffer import default_buffer_prototype
from zarr.core.sync import sync
from zarr.storage import FsspecStore, LocalStore, ZipStore

from ekodask.errors import StoreError
from ekodask.hashing import canonical_hash, canonical_json

__all__ = [
    "CODEC",
    "DAMAGED_DIR",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "REQUESTS",
    "ROLES",
    "PointNotFoundError",
    "RoleListing",
    "canonical_hash",
    "decode_start",
    "dotted_differences",
    "effective_metadata",
    "is_zip",
    "key_name",
    "local_dir",
    "local_folder",
    "local_root_info",
    "match_key",
    "move_aside",
    "normalize_key",
    "one_line",
    "open_root",
    "open_store",
    "parse_name",
    "piece_array",
    "read_array",
    "role_group",
    "scan_role",
    "store_exists",
    "union_entries",
]

FORMAT_NAME = "ekodask-store"
FORMAT_VERSION = 1
ROLES = ("thresholds", "partials", "finals")
REQUESTS = "requests"  # group of the metadata of later runs that added points (see create)
DAMAGED_DIR = ".damaged"  # where damaged pieces are moved aside, never deleted
REL_TOL = 1e-12  # relative round-off tolerated when looking up an evolution point

# Codec chosen by measurement (python -m ekodask.benchmarks.store_codecs; one chunk per
# operator in a local store; 2 busy cores, timings +-30%). Ratio, write MB/s, read MB/s:
#   operators            synthetic nx=60, 73% 0  real NNLO nx=58, 8 finals  real LO, 4 finals
#   zstd-3 (+checksum)   3.84   370-420  1330-1560    10.6   490  1510        23.9  560  1580
#   zstd-9               3.85        99       1690    13.0   185  1870
#   gzip-5               3.80        60        370     5.2   133   390
#   blosc-lz4-shuffle    3.59   800-1000  1440-2300    6.0   780  2000        10.5  780  1900
#   blosc-zstd5-shuffle  3.95        92       1530     6.2   165  1800        11.0  180  1620
# On real operators zstd finds the many repeated flavour blocks (blosc's small blocks cannot),
# so zstd-3 stores them ~1.7x smaller than any blosc setting; zstd-9 gains 20% more but
# writes 2.6x slower. At ~450 MB/s a 5.3 MB operator costs ~12 ms to write, nothing next to
# the seconds it takes to compute. The checksum makes a damaged chunk fail loudly.
CODEC = ZstdCodec(level=3, checksum=True)


class PointNotFoundError(StoreError, KeyError):
    """An evolution point or threshold key that the store does not hold (or is ambiguous)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def normalize_key(key: Any, what: str = "evolution point") -> tuple[float, int]:
    """Check a (mu2, nf) key and return it as (float, int); mu2 in GeV^2 must be finite > 0."""
    try:
        mu2_raw, nf_raw = key
    except (TypeError, ValueError):
        raise PointNotFoundError(f"{what} {key!r} is not a (mu2, nf) pair") from None
    try:
        mu2 = float(mu2_raw)
    except (TypeError, ValueError):
        raise PointNotFoundError(f"{what} {key!r}: mu2 is not a number") from None
    if isinstance(nf_raw, bool) or not float(nf_raw).is_integer():
        raise PointNotFoundError(f"{what} {key!r}: nf must be an integer")
    nf = int(nf_raw)
    if not (math.isfinite(mu2) and mu2 > 0.0) or not 0 <= nf <= 6:
        raise PointNotFoundError(f"{what} {key!r}: need finite mu2 > 0 and 0 <= nf <= 6")
    return mu2, nf


def key_name(key: tuple[float, int]) -> str:
    """Node name of a key; repr of a Python float round-trips exactly."""
    mu2, nf = key
    return f"{float(mu2)!r}_nf{int(nf)}"


def parse_name(name: str) -> tuple[float, int]:
    """Inverse of key_name."""
    mu2, nf = name.rsplit("_nf", 1)
    return float(mu2), int(nf)


def dotted_differences(a: Any, b: Any, prefix: str = "") -> list[str]:
    """Dotted keys where two JSON-like objects differ (lists compared whole)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out: list[str] = []
        for k in sorted(set(a) | set(b), key=str):
            where = f"{prefix}.{k}" if prefix else str(k)
            if k not in a or k not in b:
                out.append(where)
            else:
                out.extend(dotted_differences(a[k], b[k], where))
        return out
    return [] if canonical_json(a) == canonical_json(b) else [prefix or "<root>"]


def is_zip(path: Any) -> bool:
    """True for a path (not a URL) ending in .zip."""
    return isinstance(path, str | os.PathLike) and str(path).endswith(".zip")


def open_store(path: Any, *, writable: bool, create: bool = False) -> Store:
    """A zarr Store for a directory path, a .zip file (read only) or an fsspec URL.

    A local directory must exist unless create is true (a writable LocalStore would make it).
    """
    if isinstance(path, Store):
        return path
    text = os.fspath(path)
    if "://" in text:
        try:
            return FsspecStore.from_url(text, read_only=not writable)
        except Exception as exc:
            raise StoreError(f"cannot open store URL {text}: {exc}") from None
    if text.endswith(".zip"):
        if writable:
            raise StoreError(
                f"{text}: zip stores are read-only; build in a directory, then use "
                "ekodask.store.merge([...], 'out.zip') or export_zip"
            )
        if not os.path.isfile(text):
            raise StoreError(f"no ekodask store at {text}: file not found")
        return ZipStore(text, mode="r")
    if not create and not os.path.isdir(text):
        raise StoreError(f"no ekodask store at {text}: directory not found")
    return LocalStore(text, read_only=not writable)


def store_exists(path: Any) -> bool:
    """Whether something (an ekodask store or not) is already at path; creates nothing."""
    if isinstance(path, Store) or "://" in os.fspath(path):
        store = open_store(path, writable=False)
        return not sync(store.is_empty(""))
    return os.path.exists(path) and (not os.path.isdir(path) or bool(os.listdir(path)))


def open_root(path: Any, *, writable: bool) -> tuple[zarr.Group, dict[str, Any]]:
    """Open the root group of an existing ekodask store and return (group, its ekodask attrs)."""
    store = open_store(path, writable=writable)
    try:
        root = zarr.open_group(store, mode="r+" if writable else "r", zarr_format=3)
    except Exception as exc:
        folder = local_folder(store)
        if folder is not None and os.path.isfile(os.path.join(folder, "zarr.json")):
            where = os.path.join(folder, "zarr.json")
            raise StoreError(f"{where}: cannot read ({one_line(exc)})") from None
        raise StoreError(f"no ekodask store at {path}: no zarr v3 group there") from None
    return root, _checked_info(path, root.attrs.get("ekodask"))


def _checked_info(path: Any, info: Any) -> dict[str, Any]:
    """The ekodask attributes of a store's root, or StoreError saying why they are not."""
    if not isinstance(info, dict) or info.get("format") != FORMAT_NAME:
        raise StoreError(f"{path} is not an ekodask store (zarr group without ekodask metadata)")
    if info.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{path}: store format version {info.get('format_version')} is not supported "
            f"(this ekodask reads version {FORMAT_VERSION})"
        )
    return info


def local_dir(path: Any) -> str | None:
    """The directory of ``path`` when it names a local directory store (not a zarr Store
    object, URL or .zip), else None."""
    if isinstance(path, Store) or not isinstance(path, str | os.PathLike):
        return None
    text = os.fspath(path)
    if "://" in text or text.endswith(".zip"):
        return None
    return text


def local_root_info(folder: str) -> dict[str, Any]:
    """The ekodask attributes of the local store in ``folder``, read from its root zarr.json
    directly: what :func:`open_root` checks, ~10x cheaper than opening the group with zarr
    (which goes through its event loop); for the per-task handles of a run."""
    if not os.path.isdir(folder):
        raise StoreError(f"no ekodask store at {folder}: directory not found")
    where = os.path.join(folder, "zarr.json")
    try:
        with open(where, "rb") as f:
            doc = json.loads(f.read())
    except FileNotFoundError:
        raise StoreError(f"no ekodask store at {folder}: no zarr v3 group there") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{where}: cannot read ({one_line(exc)})") from None
    if not isinstance(doc, dict) or doc.get("zarr_format") != 3 or doc.get("node_type") != "group":
        raise StoreError(f"no ekodask store at {folder}: no zarr v3 group there")
    attrs = doc.get("attributes")
    return _checked_info(folder, attrs.get("ekodask") if isinstance(attrs, dict) else None)


def _fresh_array(shape: tuple[int, ...]) -> npt.NDArray[np.float64]:
    """An uninitialised little-endian float64 array in its own anonymous memory map.

    Why: glibc raises its mmap threshold after the first large free, so operators allocated
    with malloc afterwards come from the heap, whose holes are not given back; iterating over
    many operators then ratchets memory up. A private map is returned to the OS on release.
    """
    size = int(np.prod(shape)) * 8
    if size == 0:
        return np.empty(shape, dtype="<f8")
    return np.frombuffer(_private_map(size), dtype="<f8").reshape(shape)


def _private_map(size: int) -> mmap.mmap:
    """Anonymous private memory map, pre-faulted where the OS allows (Linux MAP_POPULATE),
    because faulting a fresh map page by page costs more than decompressing into it
    (about 7 ms against 2 ms for 5.6 MB, measured on the 2-core development machine)."""
    flags = getattr(mmap, "MAP_PRIVATE", 0) | getattr(mmap, "MAP_ANONYMOUS", 0)
    if flags and hasattr(mmap, "MAP_POPULATE"):
        return mmap.mmap(-1, size, flags=flags | mmap.MAP_POPULATE)
    return mmap.mmap(-1, size)


def _chunk_bytes(store: Store, key: str) -> Any:
    """The stored bytes of key (None if absent); local files are read into a private map."""
    if isinstance(store, LocalStore):
        try:
            with (store.root / key).open("rb", buffering=0) as f:
                size = os.fstat(f.fileno()).st_size
                raw = _private_map(max(size, 1))
                if f.readinto(raw) != size:
                    raise StoreError(f"{key}: short read")
                return memoryview(raw)[:size]
        except FileNotFoundError:
            return None
    buf = sync(store.get(key, default_buffer_prototype()))
    return None if buf is None else buf.as_numpy_array()


def read_array(arr: zarr.Array, where: str) -> npt.NDArray[np.float64]:
    """Read a one-chunk float64 array fully, holding at most the compressed bytes and the result.

    Decompresses the chunk straight into the output when it is a plain little-endian zstd
    chunk, because zarr's generic path holds decoded copies of the chunk (about 4 operators
    at peak, notes/dask_zarr.md section 4); otherwise falls back to zarr.
    """
    meta = arr.metadata
    names = [c.to_dict()["name"] for c in getattr(meta, "codecs", ())]
    try:
        if names == ["bytes", "zstd"] and arr.dtype == np.float64 and arr.chunks == arr.shape:
            key = f"{arr.path}/{meta.encode_chunk_key((0,) * arr.ndim)}"
            raw = _chunk_bytes(arr.store_path.store, key)
            if raw is None:
                raise StoreError(f"{where}: corrupt piece, its data chunk is missing")
            out = _fresh_array(arr.shape)
            _zstd.decompress(raw, out)
            return out
        out = np.asarray(arr[...], dtype=np.float64)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"{where}: corrupt piece, cannot decode its data ({exc})") from None
    if np.isnan(out.flat[0]) and np.isnan(out).all():
        raise StoreError(f"{where}: corrupt piece, its data chunk is missing")
    return out


def one_line(exc: BaseException) -> str:
    """The message of exc on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def local_folder(store: Store) -> str | None:
    """The directory of a local store, None for any other store."""
    return str(store.root) if isinstance(store, LocalStore) else None


def _node_file(group: zarr.Group, *parts: str) -> str:
    """Readable location of a node's zarr.json (a file path for a local store)."""
    rel = "/".join(p for p in (group.path, *parts) if p)
    folder = local_folder(group.store)
    if folder is not None:
        return os.path.join(folder, *rel.split("/"), "zarr.json")
    return f"{group.store_path.store}/{rel}/zarr.json"


def role_group(root: zarr.Group, role: str) -> zarr.Group:
    """The group of one role, or StoreError naming its zarr.json when it cannot be read."""
    try:
        return zarr.open_group(root.store_path / role, mode="r", zarr_format=3)
    except Exception as exc:
        raise StoreError(f"{_node_file(root, role)}: cannot read ({one_line(exc)})") from None


def piece_array(group: zarr.Group, name: str) -> zarr.Array:
    """Array ``name`` of a piece, or StoreError naming its zarr.json when it cannot be read."""
    try:
        arr = zarr.open_array(group.store_path / name, mode="r", zarr_format=3)
    except Exception as exc:
        raise StoreError(
            f"{_node_file(group, name)}: damaged piece, cannot read it ({one_line(exc)})"
        ) from None
    return arr


def decode_start(raw: Any) -> tuple[float, int] | None:
    """Decode the start attribute of a partial ([mu2 hex, nf] or None)."""
    if raw is None:
        return None
    return float.fromhex(raw[0]), int(raw[1])


class RoleListing:
    """The pieces under one role group: complete keys and damaged entries (name -> problem).

    A piece is damaged when its group metadata cannot be read or disagrees with its name;
    it is listed (so that the point never silently vanishes) but never read. A piece whose
    ``complete`` marker is not set is a write in flight (or crashed) and counts as absent.
    """

    def __init__(self, complete: list[tuple[float, int]], damaged: dict[str, str]) -> None:
        self.complete = complete
        self.damaged = damaged

    def damaged_keys(self) -> dict[tuple[float, int], str]:
        """Damaged entries whose name is a key: key -> problem."""
        out = {}
        for name, problem in self.damaged.items():
            try:
                out[parse_name(name)] = problem
            except ValueError:
                continue
        return out


def _names(store: Store, prefix: str) -> list[str]:
    async def names() -> list[str]:
        return [name async for name in store.list_dir(prefix)]

    return sorted(sync(names()))


def scan_role(role_grp: zarr.Group) -> RoleListing:
    """List the pieces under a role group (one small JSON read per piece, no data).

    Lists the names itself instead of Group.members(), which warns on the temporary
    '*.partial' files of writes in flight (or left by a crashed writer).
    """
    store, prefix = role_grp.store, role_grp.path
    local = local_folder(store)
    complete, damaged = [], {}
    for name in _names(store, prefix):
        if name.startswith(".") or name == "zarr.json" or name.endswith(".partial"):
            continue  # a piece still being built (or a crashed build's leftover), the role
        try:
            key = parse_name(name)
        except ValueError:
            continue  # not a piece
        where = os.path.join(local, prefix, name) if local else f"{prefix}/{name}"
        if local is not None and not os.path.isdir(where):
            continue
        try:
            piece = zarr.open_group(store, path=f"{prefix}/{name}", mode="r", zarr_format=3)
        except Exception as exc:
            if local is None and "No group found" in str(exc):
                continue  # a remote write whose group metadata is not there yet
            text = "its zarr.json is missing" if "No group found" in str(exc) else one_line(exc)
            damaged[name] = f"cannot read its group metadata: {text}"
            continue
        attrs = piece.attrs
        if attrs.get("complete") is not True:
            continue
        try:
            same = (float.fromhex(attrs["mu2_hex"]), int(attrs["nf"])) == key
        except (KeyError, TypeError, ValueError):
            same = False
        if not same:
            damaged[name] = "its name and its key attributes (mu2_hex, nf) disagree"
            continue
        complete.append(key)
    return RoleListing(sorted(complete), damaged)


def match_key(key: tuple[float, int], held: Any, what: str, where: str) -> tuple[float, int] | None:
    """The held key equal to key up to a relative REL_TOL in mu2 (same nf), or None.

    Storage keys stay exact; this only forgives round-off in a look-up (e.g. a threshold
    at 2.0000000000000004 GeV^2 asked for as 2.0). Two held keys within tolerance: error.
    """
    if key in held:
        return key
    hits = [k for k in held if k[1] == key[1] and math.isclose(k[0], key[0], rel_tol=REL_TOL)]
    if len(hits) > 1:
        raise PointNotFoundError(f"{where}: {what} {key} is ambiguous, it matches {hits}")
    return hits[0] if hits else None


def _entry_key(entry: Any) -> tuple[float, int]:
    if isinstance(entry, list | tuple):
        return float(entry[0]), int(entry[1])
    return float(entry), -1


def union_entries(*grids: Any) -> list[Any]:
    """Union of mu2grid-like lists (entries: a number or a [number, int] pair), sorted."""
    seen: dict[str, Any] = {}
    for grid in grids:
        for entry in grid or ():
            seen.setdefault(canonical_json(entry), entry)
    return sorted(seen.values(), key=_entry_key)


def effective_metadata(root: zarr.Group, info: dict[str, Any]) -> dict[str, Any]:
    """The metadata of a store: the creating run's, with metadata['operator']['mu2grid'] the
    union over every run that added points (each recorded as one group under REQUESTS, which
    concurrent runs create without a shared read-modify-write)."""
    meta = info["metadata"]
    try:
        requests = zarr.open_group(root.store_path / REQUESTS, mode="r", zarr_format=3)
    except Exception:
        return meta  # no later run added points
    grids = []
    for name in _names(requests.store, requests.path):
        if name.startswith(".") or name == "zarr.json" or name.endswith(".partial"):
            continue
        try:
            rec = zarr.open_group(requests.store_path / name, mode="r", zarr_format=3)
            grids.append(rec.attrs["metadata"]["operator"]["mu2grid"])
        except Exception as exc:
            raise StoreError(
                f"{_node_file(requests, name)}: cannot read ({one_line(exc)})"
            ) from None
    operator = meta.get("operator")
    if not isinstance(operator, dict):
        return meta
    return {
        **meta,
        "operator": {**operator, "mu2grid": union_entries(operator.get("mu2grid"), *grids)},
    }


def move_aside(folder: str, role: str, name: str) -> str:
    """Move the piece directory <folder>/<role>/<name> to <folder>/.damaged/<role>/ (with a
    time stamp), never deleting it; returns the new path."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
    target_dir = os.path.join(folder, DAMAGED_DIR, role)
    os.makedirs(target_dir, exist_ok=True)
    target = os.path.join(target_dir, f"{name}-{stamp}")
    os.rename(os.path.join(folder, role, name), target)
    return target
