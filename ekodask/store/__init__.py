"""The EKO store: a Zarr v3 group with one chunk per operator, lazy reads, merge and clean.

Knows nothing of physics or cards: it takes numpy arrays and plain JSON-able dicts.
"""

from ekodask.store._layout import CODEC, FORMAT_VERSION, PointNotFoundError
from ekodask.store.export import iter_pieces
from ekodask.store.maintenance import move_damaged, verify
from ekodask.store.reader import EKO, PieceMapping, open
from ekodask.store.tools import clean, combine, export_zip, inspect, merge
from ekodask.store.writer import EKOStore, create

__all__ = [
    "CODEC",
    "EKO",
    "FORMAT_VERSION",
    "EKOStore",
    "PieceMapping",
    "PointNotFoundError",
    "clean",
    "combine",
    "create",
    "export_zip",
    "inspect",
    "iter_pieces",
    "merge",
    "move_damaged",
    "open",
    "verify",
]
