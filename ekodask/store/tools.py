"""Whole-store operations: merge, combine, clean, inspect, export to a single zip file."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from zarr.storage import LocalStore

from ekodask.contraction import combine as combine_pieces
from ekodask.contraction import contract
from ekodask.errors import IncompatibleStoresError, StoreError
from ekodask.store._layout import (
    DAMAGED_DIR,
    ROLES,
    canonical_json,
    dotted_differences,
    effective_metadata,
    is_zip,
    key_name,
    open_root,
    role_group,
    scan_role,
    store_exists,
    union_entries,
)
from ekodask.store._scratch import remove_stale, scratch_dir
from ekodask.store.writer import BUILD_PREFIX, EKOStore, create

__all__ = ["clean", "combine", "export_zip", "inspect", "merge"]

Key = tuple[float, int]
Array = npt.NDArray[np.float64]
Contraction = Callable[[Array, Array], Array]


default_contraction = contract


def _local_real(path: Any) -> str | None:
    if isinstance(path, str | os.PathLike) and "://" not in os.fspath(path):
        return os.path.realpath(os.fspath(path))
    return None


def _check_compatible(ref: tuple[Any, dict[str, Any]], other: tuple[Any, dict[str, Any]]) -> None:
    (ref_path, a), (path, b) = ref, other
    diffs = []
    if a["compat_sha256"] != b["compat_sha256"]:
        diffs += ["compat." + d for d in dotted_differences(a["compat"], b["compat"])]
    diffs += [k for k in ("xgrid", "pids") if canonical_json(a[k]) != canonical_json(b[k])]
    if diffs:
        raise IncompatibleStoresError(
            f"cannot merge {path} with {ref_path}: they differ in {', '.join(diffs)}"
        )


def _piece(store: EKOStore, role: str, key: Key) -> tuple[Array, Array | None, Any]:
    """(operator, error or None, start) of one piece; start only for partials."""
    if role == "thresholds":
        return store.read_threshold(key), store.read_error(role, key), None
    if role == "partials":
        op, start = store.read_partial(key)
        return op, store.read_error(role, key), start
    return store.read_final(key), store.read_error(role, key), None


def _same(x: tuple[Array, Array | None, Any], y: tuple[Array, Array | None, Any]) -> bool:
    if x[2] != y[2] or (x[1] is None) != (y[1] is None):
        return False
    if not np.array_equal(x[0], y[0], equal_nan=True):
        return False
    return x[1] is None or np.array_equal(x[1], y[1], equal_nan=True)


def _write_piece(
    dest: EKOStore, role: str, key: Key, piece: tuple[Array, Array | None, Any]
) -> None:
    op, err, start = piece
    if role == "thresholds":
        dest.write_threshold(key, op, err)
    elif role == "partials":
        dest.write_partial(key, op, err, start=start)
    else:
        dest.write_final(key, op, err)


def _effective_info(path: Any) -> dict[str, Any]:
    """The root attributes of a store, with its metadata as readers see it (union mu2grid)."""
    root, info = open_root(path, writable=False)
    return {**info, "metadata": effective_metadata(root, info)}


def _refuse_damaged(path: Any) -> None:
    """Refuse to merge a store holding a damaged piece (it would silently be dropped)."""
    root, _ = open_root(path, writable=False)
    for role in ROLES:
        damaged = scan_role(role_group(root, role)).damaged
        if damaged:
            name, problem = next(iter(damaged.items()))
            raise StoreError(
                f"cannot merge {path}: its {role[:-1]} {name} is damaged ({problem}); "
                f"`ekodask verify --fix {path}` moves it aside"
            )


def merged_metadata(infos: list[dict[str, Any]]) -> dict[str, Any]:
    """The first store's metadata with metadata['operator']['mu2grid'] the union of all."""
    meta = infos[0]["metadata"]
    operator = meta.get("operator")
    if not isinstance(operator, dict):
        return meta
    grids = [(i["metadata"].get("operator") or {}).get("mu2grid") for i in infos]
    return {**meta, "operator": {**operator, "mu2grid": union_entries(*grids)}}


def merge(paths: list[Any], out: Any) -> Any:
    """Merge compatible stores into out and return out; never modifies the inputs.

    Refuses (IncompatibleStoresError) stores whose compat, x-grid or pids differ, overlapping
    pieces that are not equal, a damaged piece, and an existing out that is incompatible or
    holds a different piece under the same key. A new out (directory or '.zip') is built
    under a temporary name beside it and renamed into place only once complete, so a merge
    refused half way (e.g. on a chunk that does not decode) leaves no output; into an
    existing directory store the pieces are added one by one (each atomically). The merged
    store's operator card lists the union of the inputs' mu2grid.
    """
    if not paths:
        raise StoreError("merge needs at least one input store")
    sources = [EKOStore(path, read_only=True) for path in paths]
    infos = [_effective_info(src.path) for src in sources]
    out_real = _local_real(out)
    if out_real is not None and out_real in {_local_real(p) for p in paths}:
        raise StoreError(f"merge output {out} is one of its inputs; inputs are never modified")
    for path, info in zip(paths[1:], infos[1:], strict=True):
        _check_compatible((paths[0], infos[0]), (path, info))
    for path in paths:
        _refuse_damaged(path)

    if is_zip(out):
        return _merge_to_zip(paths, sources, infos, os.fspath(out))

    out_exists = store_exists(out)
    if out_exists:
        out_info = _effective_info(out)
        _check_compatible((paths[0], infos[0]), (out, out_info))
        plan = _plan(sources, EKOStore(out, read_only=True))
        dest = _write_plan(out, merged_metadata([out_info, *infos]), infos[0], plan)
        _record_sources(dest.path, paths, infos)
        return out
    plan = _plan(sources, None)
    if out_real is None:  # not a local path: written in place
        _write_plan(out, merged_metadata(infos), infos[0], plan)
        _record_sources(out, paths, infos)
        return out
    parent, base = os.path.split(out_real)
    build = scratch_dir(parent, base, "merging")
    remove_stale(parent, base, "merging")  # left by a merge killed before its rename
    try:
        _write_plan(build, merged_metadata(infos), infos[0], plan)
        _record_sources(build, paths, infos)
        try:
            os.rename(build, out_real)  # replaces an empty directory, refuses a non-empty one
        except OSError:
            raise StoreError(f"merge output {out} appeared while merging; left untouched") from None
    finally:
        shutil.rmtree(build, ignore_errors=True)  # only when the merge did not complete
    return out


def _write_plan(
    out: Any,
    metadata: dict[str, Any],
    info: dict[str, Any],
    plan: list[tuple[str, Key, EKOStore]],
) -> EKOStore:
    """Create (or reopen) ``out`` with metadata and the first input's compat; copy the plan."""
    dest = create(
        out,
        metadata=metadata,
        compat=info["compat"],
        xgrid=info["xgrid"],
        pids=info["pids"],
    )
    for role, key, src in plan:
        _write_piece(dest, role, key, _piece(src, role, key))
    return dest


def _record_sources(dest: Any, paths: list[Any], infos: list[dict[str, Any]]) -> None:
    """Append the inputs (path and metadata) to attrs['ekodask']['merged_from'] of dest.

    The merged store keeps the first input's metadata; the others' (e.g. their mu2grid) are
    kept here. Only the merging process writes the root attributes, so this is race free.
    """
    root, info = open_root(dest, writable=True)
    history = list(info.get("merged_from", []))
    for path, src in zip(paths, infos, strict=True):
        history += src.get("merged_from", [])
        history.append({"store": str(path), "metadata": src["metadata"]})
    root.attrs["ekodask"] = {**info, "merged_from": history}


def _plan(sources: list[EKOStore], dest: EKOStore | None) -> list[tuple[str, Key, EKOStore]]:
    """Which piece to copy from which source; refuses unequal overlaps (also with dest)."""
    plan = []
    for role in ROLES:
        held = set(getattr(dest, role)()) if dest is not None else set()
        owners: dict[Key, list[EKOStore]] = {}
        for src in sources:
            for key in getattr(src, role)():
                owners.setdefault(key, []).append(src)
        for key, srcs in sorted(owners.items()):
            others = srcs[1:] + ([dest] if key in held else [])
            if others:
                first = _piece(srcs[0], role, key)
                for other in others:
                    if not _same(first, _piece(other, role, key)):
                        raise IncompatibleStoresError(
                            f"cannot merge: {role[:-1]} {key} differs between "
                            f"{srcs[0].path} and {other.path}"
                        )
            if key not in held:
                plan.append((role, key, srcs[0]))
    return plan


def _merge_to_zip(paths: list[Any], sources: list[EKOStore], infos: list[dict], out: str) -> str:
    if os.path.exists(out):
        old = EKOStore(out, read_only=True)
        out_info = _effective_info(out)
        _check_compatible((paths[0], infos[0]), (out, out_info))
        paths, sources, infos = [*paths, out], [*sources, old], [*infos, out_info]
    parent = os.path.dirname(os.path.abspath(out))
    with tempfile.TemporaryDirectory(dir=parent, prefix=".ekodask-merge-") as tmp:
        build = os.path.join(tmp, "store.zarr")
        _write_plan(build, merged_metadata(infos), infos[0], _plan(sources, None))
        _record_sources(build, paths, infos)
        export_zip(build, out, overwrite=True)
    return out


def export_zip(src: Any, out: Any, *, overwrite: bool = False) -> str:
    """Copy a local directory store into one zip file (entries stored, chunks are compressed).

    Written to a temporary file beside out and renamed into place, so out is never half written.
    """
    src_dir, out = os.fspath(src), os.fspath(out)
    open_root(src_dir, writable=False)
    if not os.path.isdir(src_dir):
        raise StoreError(f"{src_dir}: export_zip needs a local directory store")
    if not out.endswith(".zip"):
        raise StoreError(f"{out}: a zip store must end in .zip")
    if os.path.exists(out) and not overwrite:
        raise StoreError(f"{out} exists; refusing to overwrite it")
    tmp = os.path.join(os.path.dirname(os.path.abspath(out)), f".{uuid.uuid4().hex}.zip.partial")
    # os.open applies the umask (mkstemp would give 0600): the usual mode of a new file
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for dirpath, dirnames, filenames in os.walk(src_dir):
                skip = (BUILD_PREFIX, DAMAGED_DIR) if dirpath == src_dir else (BUILD_PREFIX,)
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(skip))
                for name in sorted(filenames):
                    if name.endswith(".partial"):
                        continue  # a crashed write's leftover, never part of the store
                    full = os.path.join(dirpath, name)
                    zf.write(full, os.path.relpath(full, src_dir).replace(os.sep, "/"))
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return out


def combine(path: Any, contraction: Contraction | None = None) -> list[Key]:
    """Compute every missing final whose partial (and its threshold) is present.

    final = contraction(partial, threshold) (default: tensordot over (pid, x)); a partial that
    starts at mu0 is its own final. Errors, when stored, propagate to first order:
    contraction(|e_partial|, |threshold|) + contraction(|partial|, |e_threshold|).
    Returns the points written, sorted.
    """
    contract = default_contraction if contraction is None else contraction
    store = EKOStore(path)
    finals, thresholds = set(store.finals()), set(store.thresholds())
    done = []
    for point in store.partials():
        if point in finals:
            continue
        op, start = store.read_partial(point)
        err = store.read_error("partials", point)
        if start is None:
            store.write_final(point, op, err)
        elif start in thresholds:
            thr = store.read_threshold(start)
            thr_err = store.read_error("thresholds", start)
            final, final_err = combine_pieces(op, thr, err, thr_err, contraction=contract)
            store.write_final(point, final, final_err)
        else:
            continue
        done.append(point)
    return done


def clean(path: Any, *, stale_after_s: float = 3600.0) -> list[Key]:
    """Drop the partials whose finals are present; thresholds always stay. Returns those dropped.

    In a local store it also removes what crashed writers left: piece builds ('.build-*'
    directories) and zarr's temporary '*.partial' files untouched for stale_after_s seconds.
    """
    store = EKOStore(path)
    finals = set(store.finals())
    root, _ = open_root(store.path, writable=True)
    dropped = []
    for point in store.partials():
        if point in finals:
            del root["partials"][key_name(point)]
            dropped.append(point)
    if isinstance(root.store, LocalStore):
        _remove_stale(root.store.root, stale_after_s)
    return dropped


def _remove_stale(folder: Any, stale_after_s: float) -> None:
    limit = time.time() - stale_after_s
    for role in ROLES:
        for entry in os.scandir(os.path.join(folder, role)):
            if entry.name.startswith(BUILD_PREFIX) and _newest_mtime(entry.path) < limit:
                shutil.rmtree(entry.path, ignore_errors=True)
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            full = os.path.join(dirpath, name)
            if name.endswith(".partial") and os.path.getmtime(full) < limit:
                os.remove(full)


def _newest_mtime(folder: str) -> float:
    times = [os.path.getmtime(folder)]
    for dirpath, _, filenames in os.walk(folder):
        times += [os.path.getmtime(os.path.join(dirpath, f)) for f in filenames]
    return max(times)


def _flat(obj: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted key, short text) of a JSON-like object; long lists are summarised."""
    if isinstance(obj, dict) and obj:
        out = []
        for k in sorted(obj, key=str):
            out += _flat(obj[k], f"{prefix}.{k}" if prefix else str(k))
        return out
    if isinstance(obj, list) and len(obj) > 8:
        text = f"[{len(obj)} values: {json.dumps(obj[0])}, {json.dumps(obj[1])}, ..., "
        return [(prefix, text + f"{json.dumps(obj[-1])}]")]
    return [(prefix, json.dumps(obj))]


def inspect(path: Any) -> str:
    """A readable summary: versions, hash, cards, grid, the pieces listed, size on disk and
    what is missing, in flight or damaged (:func:`ekodask.store.summary.summarize`).

    Metadata only (one small JSON read per piece, no operator data): a damaged group is
    shown, a damaged chunk is not; ``ekodask verify`` decodes the data.
    """
    from ekodask.store.reader import EKO
    from ekodask.store.summary import summarize

    with EKO(path) as eko:
        return "\n".join(inspect_lines(summarize(eko)))


def inspect_lines(summary: Any) -> list[str]:
    """The lines of ``ekodask inspect`` for a :class:`~ekodask.store.summary.StoreSummary`."""
    info, xgrid = summary.info, summary.info["xgrid"]
    lines = [
        f"ekodask store {summary.path} (metadata only; `ekodask verify` checks the data)",
        f"  format version {info['format_version']}, written by ekodask {info['ekodask_version']}",
        f"  compat sha256 {info['compat_sha256']}",
        f"  pids {info['pids']}",
        f"  xgrid: {len(xgrid)} points from {xgrid[0]!r} to {xgrid[-1]!r}",
    ]
    lines += [f"  {k}: {v}" for k, v in _flat(summary.metadata)]
    for role in ROLES:  # thresholds, partials, finals
        pieces = summary.pieces[role]
        n_damaged = sum(p.damaged is not None for p in pieces)
        note = f" ({n_damaged} damaged)" if n_damaged else ""
        lines.append(f"  {role}: {len(pieces)}{note}")
        lines += [f"    mu2={p.key[0]!r} nf={p.key[1]}{piece_note(role, p)}" for p in pieces]
    if summary.nbytes is not None:
        lines.append(f"  size on disk: {summary.nbytes / 1e6:.3g} MB")
    if summary.in_flight:
        lines.append(f"  being written (or left by a crashed writer): {summary.in_flight}")
    if summary.moved_aside:
        lines.append(f"  damaged pieces moved aside into {DAMAGED_DIR}/: {summary.moved_aside}")
    lines += [f"  {finding}" for finding in summary.missing]
    return lines


def piece_note(role: str, piece: Any) -> str:
    """The note of one listed piece in ``inspect``: DAMAGED, its start, with error."""
    if piece.damaged is not None:
        return f"  DAMAGED: {piece.damaged}"
    extra = ""
    if role == "partials":
        extra = "  starts at mu0" if piece.start is None else f"  after threshold {piece.start}"
    if piece.has_error:
        extra += "  (with error)"
    return extra
