"""What an opened store holds, as data: the one source of ``ekodask inspect`` and of the EKO's
text and HTML displays (:mod:`ekodask.display`).

Metadata only: the listing of each role, one small JSON read per piece for its notes (start,
error), the file sizes of a local store; no operator data is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ekodask.store._layout import DAMAGED_DIR, ROLES, decode_start, local_folder
from ekodask.store.maintenance import Finding, missing_pieces
from ekodask.store.writer import BUILD_PREFIX

if TYPE_CHECKING:
    from ekodask.store.reader import EKO

__all__ = ["PieceNote", "StoreSummary", "summarize"]

Key = tuple[float, int]


@dataclass(frozen=True)
class PieceNote:
    """One listed piece: its key, the problem when damaged, its start (partials: the threshold
    key it combines with, None from mu0) and whether an error estimate is stored."""

    key: Key
    damaged: str | None = None
    start: Key | None = None
    has_error: bool = False


@dataclass(frozen=True)
class StoreSummary:
    """Versions, cards, grid and pieces of a store, with what is incomplete or damaged.

    ``pieces[role]``: the listed pieces of each role (sorted keys); ``missing``: pieces the
    stored cards ask for and the store lacks (as ``ekodask verify`` reports them);
    ``in_flight`` / ``moved_aside``: pieces being written (or left by a crashed writer) and
    damaged pieces moved into ``.damaged/`` (local stores only, else None); ``nbytes``: size
    on disk in bytes (None where unknown, e.g. a remote store).
    """

    path: str
    info: dict[str, Any]
    metadata: dict[str, Any]
    pieces: dict[str, tuple[PieceNote, ...]]
    missing: tuple[Finding, ...]
    in_flight: int | None
    moved_aside: int | None
    nbytes: int | None

    @property
    def damaged(self) -> tuple[tuple[str, PieceNote], ...]:
        """(role, piece) of every damaged piece."""
        return tuple((r, p) for r in ROLES for p in self.pieces[r] if p.damaged is not None)

    @property
    def complete(self) -> bool:
        """Nothing damaged, missing or in flight."""
        return not (self.damaged or self.missing or self.in_flight)


def _disk_usage(folder: str) -> tuple[int, int, int]:
    """(bytes of all files, pieces in flight, pieces moved aside) of a local store folder."""
    total = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue  # removed meanwhile (a build renamed into place)
    in_flight = aside = 0
    for role in ROLES:
        try:
            in_flight += sum(n.startswith(BUILD_PREFIX) for n in os.listdir(f"{folder}/{role}"))
        except OSError:
            pass
        try:
            aside += len(os.listdir(os.path.join(folder, DAMAGED_DIR, role)))
        except OSError:
            pass
    return total, in_flight, aside


def summarize(eko: EKO, *, notes: bool = True) -> StoreSummary:
    """The summary of an opened store; ``notes=False`` skips the per-piece JSON reads (start
    and error flags), which only the full listing (``inspect``, the HTML view) shows."""
    mappings = {"thresholds": eko.thresholds, "partials": eko.partials, "finals": eko.finals}
    pieces: dict[str, tuple[PieceNote, ...]] = {}
    starts: dict[Key, Key | None] = {}
    for role, mapping in mappings.items():
        damaged = mapping.damaged
        out = []
        for key in mapping:
            if key in damaged:
                out.append(PieceNote(key, damaged=damaged[key]))
                continue
            if not notes and role != "partials":
                out.append(PieceNote(key))
                continue
            attrs = mapping._piece(key)[1].attrs
            start = decode_start(attrs.get("start")) if role == "partials" else None
            if role == "partials":
                starts[key] = start
            out.append(PieceNote(key, start=start, has_error=bool(attrs.get("has_error"))))
        pieces[role] = tuple(out)
    held = {role: set(mappings[role]) for role in ROLES}
    missing = tuple(missing_pieces(held, starts, eko.metadata))
    folder = local_folder(eko._root.store)
    if folder is not None:
        nbytes, in_flight, aside = _disk_usage(folder)
    else:
        path = eko.path
        is_file = isinstance(path, str | os.PathLike) and os.path.isfile(path)
        nbytes = os.path.getsize(path) if is_file else None  # a zip file
        in_flight = aside = None
    return StoreSummary(
        path=str(eko.path),
        info=eko._info,
        metadata=eko.metadata,
        pieces=pieces,
        missing=missing,
        in_flight=in_flight,
        moved_aside=aside,
        nbytes=nbytes,
    )
