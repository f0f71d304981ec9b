"""Canonical JSON and its sha256: the content hash of cards and store metadata, defined once."""

import hashlib
import json
from typing import Any

__all__ = ["canonical_hash", "canonical_json"]


def canonical_json(obj: Any) -> str:
    """Canonical JSON text (sorted keys, no spaces, no NaN) of a plain JSON-able object."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False)


def canonical_hash(obj: Any) -> str:
    """sha256 hex digest of the canonical JSON of obj."""
    return hashlib.sha256(canonical_json(obj).encode()).hexdigest()
