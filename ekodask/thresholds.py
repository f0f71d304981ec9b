"""Heavy-quark thresholds and the number of active flavours at a scale, with one tolerance.

Pure functions of plain numbers (no cards, no physics). Scales squared in GeV^2. A scale within
a relative :data:`RTOL` of a threshold counts as on it: (sqrt(2) GeV)^2 is 2.0000000000000004
in floats, and a card may write either. On a threshold both nf and nf+1 are valid; the default
is the upper patch, as in eko (arXiv:2202.02338 Sec. 2.1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["RTOL", "nf_at", "nf_choices", "on_threshold", "same_scale", "thresholds_mu2"]

RTOL = 1e-12
"""Relative distance within which a scale sits on a threshold."""


def thresholds_mu2(masses: Sequence[float], matching_ratios: Sequence[float]) -> tuple[float, ...]:
    """(ratio_h * m_h)^2 in GeV^2 for the heavy quarks (c, b, t); masses in GeV."""
    return tuple((r * m) ** 2 for r, m in zip(matching_ratios, masses, strict=True))


def same_scale(mu2_a: float, mu2_b: float) -> bool:
    """Whether two scales are the same within the relative :data:`RTOL`."""
    return math.isclose(mu2_a, mu2_b, rel_tol=RTOL)


def on_threshold(mu2: float, thresholds: Sequence[float]) -> bool:
    """Whether mu2 lies on one of the thresholds (within the relative :data:`RTOL`)."""
    return any(same_scale(mu2, t) for t in thresholds)


def nf_at(mu2: float, thresholds: Sequence[float], nf_min: int = 3) -> int:
    """Active flavours at mu2: nf_min plus the thresholds at or below mu2 (upper patch on one)."""
    return nf_min + sum(1 for t in thresholds if t <= mu2 * (1.0 + RTOL))


def nf_choices(mu2: float, thresholds: Sequence[float], nf_min: int = 3) -> tuple[int, ...]:
    """The valid flavour numbers at mu2: (nf,) off a threshold, (nf - 1, nf) on one."""
    nf = nf_at(mu2, thresholds, nf_min)
    return (nf - 1, nf) if on_threshold(mu2, thresholds) else (nf,)
