"""The version of ekodask, defined once (pyproject.toml carries the same string)."""

__version__ = "0.1.0"
