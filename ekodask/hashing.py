"""Canonical JSON and its sha256: the content hash of cards and store metadata, defined once."""

import hashlib
import json
from typing import Any

__all__ = ["canonical_hash", "canonical_json"]


def canonical_json(obj: Any, *, allow_nan: bool = False) -> str:
    """Canonical JSON text (sorted keys, no spaces; NaN/inf refused unless allowed) of obj."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=allow_nan)


def canonical_hash(obj: Any, *, allow_nan: bool = False) -> str:
    """sha256 hex digest of the canonical JSON of obj."""
    return hashlib.sha256(canonical_json(obj, allow_nan=allow_nan).encode()).hexdigest()
