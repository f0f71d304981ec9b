"""The one exception tree of ekodask; every user-facing failure is one of these."""

__all__ = [
    "CardError",
    "EkodaskError",
    "IncompatibleStoresError",
    "PhysicsError",
    "StoreError",
]


class EkodaskError(Exception):
    """Base class of every error ekodask raises on purpose; its message is one line."""


class CardError(EkodaskError, ValueError):
    """A theory or operator card is malformed: the message names card, key and problem."""


class PhysicsError(EkodaskError, ValueError):
    """A request the physics cannot serve (e.g. an evolution point outside the valid range)."""


class StoreError(EkodaskError, OSError):
    """A store is missing, corrupt, half-written or would be overwritten."""


class IncompatibleStoresError(StoreError):
    """Stores that cannot be merged: the message names what differs."""
