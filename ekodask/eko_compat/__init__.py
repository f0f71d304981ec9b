"""eko 0.15 compatibility: EKO tars out (:func:`export`) and in (:func:`open_eko`,
:func:`import_eko`), eko's runcards to ekodask's cards and back (:func:`from_eko`,
:func:`to_eko`). Format: notes/eko_format.md; needs the ``lz4`` package (extra ``eko``).

Names are imported on first use, so ``import ekodask.eko_compat`` stays cheap for the CLI.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EkoArchive",
    "EkoArchiveError",
    "export",
    "from_eko",
    "import_eko",
    "is_eko",
    "is_eko_operator",
    "is_eko_theory",
    "open_eko",
    "stem",
    "to_eko",
]

_HOME = {
    "EkoArchive": "reader",
    "EkoArchiveError": "reader",
    "is_eko": "reader",
    "open_eko": "reader",
    "export": "writer",
    "import_eko": "importer",
    "from_eko": "runcards",
    "to_eko": "runcards",
    "is_eko_operator": "runcards",
    "is_eko_theory": "runcards",
    "stem": "_format",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'ekodask.eko_compat' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
