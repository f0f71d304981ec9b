"""Checking a store's data and moving damaged pieces aside (``ekodask verify [--fix]``)."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import zarr

from ekodask.errors import StoreError
from ekodask.store._layout import (
    ROLES,
    decode_start,
    effective_metadata,
    key_name,
    local_folder,
    move_aside,
    open_root,
    parse_name,
    piece_array,
    read_array,
    role_group,
    scan_role,
)

__all__ = ["Finding", "VerifyReport", "missing_pieces", "move_damaged", "verify"]

Key = tuple[float, int]


@dataclass(frozen=True)
class Finding:
    """One damaged or missing piece: role, node name under the role, what is wrong.

    damaged: the piece is there but cannot be used (``verify --fix`` moves it aside);
    otherwise it is missing (a rerun of ``ekodask run`` computes it).
    """

    role: str
    name: str
    problem: str
    damaged: bool

    @property
    def label(self) -> str:
        """The piece in words, naming its point: 'final mu2=100.0 nf=4'."""
        try:
            mu2, nf = parse_name(self.name)
        except ValueError:
            return f"{self.role[:-1]} {self.name}"
        return f"{self.role[:-1]} mu2={mu2!r} nf={nf}"

    def __str__(self) -> str:
        kind = "damaged" if self.damaged else "missing"
        return f"{kind} {self.label} ({self.role}/{self.name}): {self.problem}"


@dataclass(frozen=True)
class VerifyReport:
    """What verify found: the findings, pieces and bytes decoded, seconds taken."""

    findings: tuple[Finding, ...]
    pieces: int
    nbytes: int
    seconds: float

    @property
    def damaged(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.damaged)

    @property
    def missing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.damaged)


def _check_piece(group: zarr.Group, shape: tuple[int, ...], where: str) -> tuple[str | None, int]:
    """(problem or None, bytes decoded) of one complete piece: every array is opened, its
    dtype, shape and chunking checked and its chunk decoded (zstd checksum included)."""
    names = ["operator"] + (["error"] if group.attrs.get("has_error") else [])
    nbytes = 0
    for name in names:
        try:
            arr = piece_array(group, name)
        except StoreError as exc:
            return f"its {name} array metadata cannot be read ({str(exc).split(': ', 1)[-1]})", 0
        if arr.dtype != np.float64 or arr.shape != shape or arr.chunks != shape:
            return (
                f"its {name} array is {arr.dtype} {arr.shape} in chunks {arr.chunks}, "
                f"expected float64 {shape} in one chunk"
            ), nbytes
        try:
            nbytes += read_array(arr, where).nbytes
        except StoreError as exc:
            return str(exc).split(": corrupt piece, ", 1)[-1], nbytes
    return None, nbytes


def _requested(metadata: dict[str, Any]) -> list[tuple[float, int | None]]:
    grid = (metadata.get("operator") or {}).get("mu2grid") or []
    out = []
    for entry in grid:
        if isinstance(entry, list | tuple):
            out.append((float(entry[0]), int(entry[1])))
        else:
            out.append((float(entry), None))
    return out


def missing_pieces(
    held: dict[str, set[Key]], starts: dict[Key, Key | None], metadata: dict[str, Any]
) -> list[Finding]:
    """The missing pieces of a store: a final its operator card requests (mu2grid; an entry
    without nf matches any nf) that it lacks, or a threshold a partial without its final needs.

    held: role -> keys listed (damaged ones included); starts: partial key -> its start.
    """
    findings = []
    for point, start in starts.items():
        if point not in held["finals"] and start is not None and start not in held["thresholds"]:
            findings.append(
                Finding("thresholds", key_name(start), f"needed by partial {point}", False)
            )
    for mu2, nf in _requested(metadata):
        have = [
            k
            for k in held["finals"] | held["partials"]
            if math.isclose(k[0], mu2, rel_tol=1e-12) and nf in (None, k[1])
        ]
        if not have:
            name = key_name((mu2, nf)) if nf is not None else f"{mu2!r}"
            findings.append(Finding("finals", name, "requested by the stored operator card", False))
        elif not [k for k in have if k in held["finals"]]:
            findings.append(
                Finding(
                    "finals",
                    key_name(have[0]),
                    "not combined yet (its partial is stored; `ekodask combine` makes it)",
                    False,
                )
            )
    return findings


def verify(path: Any) -> VerifyReport:
    """Read every piece of the store at path and report each damaged or missing one.

    Damaged: unreadable group or array metadata, name and key attributes that disagree,
    wrong dtype, shape or chunking, a missing chunk, a chunk that does not decode (zstd
    checksum). Missing: a final that the stored operator card requests (mu2grid; an entry
    without nf matches any nf) and the store lacks, or the threshold a stored partial
    without its final needs. Pieces still being written (no completion marker) are not
    looked at: verify a store no process is writing.
    """
    t0 = time.perf_counter()
    root, info = open_root(path, writable=False)
    n = len(info["pids"]), len(info["xgrid"])
    shape = (n[0], n[1], n[0], n[1])
    findings: list[Finding] = []
    held: dict[str, set[Key]] = {}
    starts: dict[Key, Key | None] = {}
    pieces = nbytes = 0
    for role in ROLES:
        group = role_group(root, role)
        listing = scan_role(group)
        findings += [Finding(role, name, p, True) for name, p in listing.damaged.items()]
        held[role] = set(listing.complete) | set(listing.damaged_keys())
        for key in listing.complete:
            name = key_name(key)
            piece = zarr.open_group(group.store_path / name, mode="r", zarr_format=3)
            problem, size = _check_piece(piece, shape, f"{path}: {role[:-1]} {key}")
            pieces, nbytes = pieces + 1, nbytes + size
            if problem is not None:
                findings.append(Finding(role, name, problem, True))
            elif role == "partials":
                starts[key] = decode_start(piece.attrs.get("start"))
    findings += missing_pieces(held, starts, effective_metadata(root, info))
    return VerifyReport(tuple(findings), pieces, nbytes, time.perf_counter() - t0)


def move_damaged(path: Any, findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    """Move the damaged pieces among findings into <store>/.damaged/<role>/<name>-<time>
    (never deleting them), so that a rerun recomputes exactly those; returns where each went.
    Needs a local directory store."""
    root, _ = open_root(path, writable=True)
    folder = local_folder(root.store)
    if folder is None:
        raise StoreError(f"{path}: moving damaged pieces aside needs a local directory store")
    moved = []
    for finding in findings:
        if finding.damaged and os.path.isdir(os.path.join(folder, finding.role, finding.name)):
            moved.append(move_aside(folder, finding.role, finding.name))
    return moved
