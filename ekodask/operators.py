"""Bridge from the cards to the pure physics: paths, a_s values, threshold and partial operators.

The only physics module that sees cards. An evolution point (mu2, nf) is reached from
(mu0^2, nf0) by fixed-nf segments joined by matchings at the thresholds mu_h^2 = (ratio m_h)^2
(upwards nf -> nf+1 with the OMEs, downwards with their inverse). Each threshold crossed is
keyed by ``(mu2_h, nf_after)``; its operator maps the PDFs at mu0 to those just after the
matching there. The final operator of a point is ``combine(partial, threshold)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .cards import OperatorCard, TheoryCard, load_operator, load_theory
from .errors import PhysicsError
from .matching import combine, identity_operator, matching_operator
from .physics.coupling import Couplings
from .thresholds import nf_at, on_threshold, thresholds_mu2

__all__ = [
    "Matching",
    "Segment",
    "alphas",
    "couplings",
    "evolution_points",
    "final_operator",
    "partial_operator",
    "partial_start",
    "path",
    "threshold_operator",
    "threshold_operators",
    "thresholds_needed",
]

ThresholdKey = tuple[float, int]
"""(mu2_h in GeV^2, nf after the matching): JSON-able as a two-element list."""


@dataclass(frozen=True)
class Segment:
    """Evolution at fixed ``nf`` from ``mu2_from`` to ``mu2_to`` (GeV^2)."""

    mu2_from: float
    mu2_to: float
    nf: int


@dataclass(frozen=True)
class Matching:
    """Matching at the threshold ``mu2`` from ``nf_from`` to ``nf_to`` = nf_from +- 1."""

    mu2: float
    nf_from: int
    nf_to: int

    @property
    def key(self) -> ThresholdKey:
        return (self.mu2, self.nf_to)

    @property
    def heavy(self) -> int:
        """PDG id of the quark that becomes (in)active here."""
        return max(self.nf_from, self.nf_to)


def _theory(theory: Any) -> TheoryCard:
    return theory if isinstance(theory, TheoryCard) else load_theory(theory)


def _operator(operator: Any) -> OperatorCard:
    return operator if isinstance(operator, OperatorCard) else load_operator(operator)


def _thresholds_mu2(theory: TheoryCard) -> tuple[float, float, float]:
    return thresholds_mu2(theory.masses, theory.matching_ratios)


def _on_threshold(mu2: float, theory: TheoryCard) -> bool:
    return on_threshold(mu2, _thresholds_mu2(theory))


def couplings(theory: Any) -> Couplings:
    """The :class:`Couplings` of a theory card (exact running at the card's order)."""
    t = _theory(theory)
    mu2_ref = t.alphas_scale**2
    return Couplings(
        order=t.order,
        alphas_ref=t.alphas,
        mu2_ref=mu2_ref,
        masses=t.masses,
        matching_ratios=t.matching_ratios,
        nf_ref=t.nf0 if t.scheme == "VFNS" and _on_threshold(mu2_ref, t) else None,
        scheme=t.scheme,
        nf_ffns=t.nf_ffns,
        method="exact",
    )


def alphas(theory: Any, mu2: float, nf: int | None = None) -> float:
    """alpha_s (not a_s) at mu_R^2 = mu2 in GeV^2; ``nf`` picks the patch on a threshold."""
    return couplings(theory).alphas(float(mu2), nf)


def _nf_of(theory: TheoryCard, mu2: float, nf: int | None) -> int:
    if theory.scheme == "FFNS":
        if nf is not None and nf != theory.nf_ffns:
            raise PhysicsError(f"FFNS with nf_ffns = {theory.nf_ffns}: cannot evolve to nf = {nf}")
        return theory.nf_ffns
    return nf_at(mu2, _thresholds_mu2(theory)) if nf is None else int(nf)


def evolution_points(theory: Any, operator: Any) -> tuple[tuple[float, int], ...]:
    """The (mu2, nf) of the operator card's mu2grid, nf from the thresholds where not given."""
    t, o = _theory(theory), _operator(operator)
    return tuple((float(mu2), _nf_of(t, mu2, nf)) for mu2, nf in o.mu2grid)


def path(theory: Any, operator: Any, mu2: float, nf: int) -> tuple[Segment | Matching, ...]:
    """Steps from (mu0^2, nf0) to (mu2, nf): segments and matchings; zero-length segments dropped.

    The flavour number changes one threshold at a time, in the direction of ``nf``: the
    thresholds of the quarks nf0+1 .. nf upwards, or nf0 .. nf+1 downwards (backward matching).
    """
    t, o = _theory(theory), _operator(operator)
    mu2_0 = o.mu0**2
    if t.scheme == "FFNS":
        _nf_of(t, mu2, nf)
        steps: list[Segment | Matching] = [Segment(mu2_0, mu2, t.nf_ffns)]
        return tuple(s for s in steps if s.mu2_from != s.mu2_to)
    thr = _thresholds_mu2(t)
    if not 3 <= nf <= 6:
        raise PhysicsError(f"nf must be within 3..6, got {nf}")
    steps = []
    cur_mu2, cur_nf = mu2_0, t.nf0
    while cur_nf != nf:
        up = nf > cur_nf
        heavy = cur_nf + 1 if up else cur_nf
        mu2_h = thr[heavy - 4]
        steps.append(Segment(cur_mu2, mu2_h, cur_nf))
        new_nf = cur_nf + 1 if up else cur_nf - 1
        steps.append(Matching(mu2_h, cur_nf, new_nf))
        cur_mu2, cur_nf = mu2_h, new_nf
    steps.append(Segment(cur_mu2, float(mu2), cur_nf))
    return tuple(s for s in steps if not (isinstance(s, Segment) and s.mu2_from == s.mu2_to))


def _point_paths(t: TheoryCard, o: OperatorCard) -> dict[tuple[float, int], tuple]:
    return {p: path(t, o, *p) for p in evolution_points(t, o)}


def thresholds_needed(theory: Any, operator: Any) -> tuple[ThresholdKey, ...]:
    """Keys of all thresholds crossed on the way to the card's points, in path order."""
    t, o = _theory(theory), _operator(operator)
    keys: list[ThresholdKey] = []
    for steps in _point_paths(t, o).values():
        for s in steps:
            if isinstance(s, Matching) and s.key not in keys:
                keys.append(s.key)
    return tuple(keys)


def partial_start(theory: Any, operator: Any, mu2: float, nf: int) -> ThresholdKey | None:
    """Key of the threshold operator the partial of (mu2, nf) combines with (None: from mu0)."""
    matchings = [s for s in path(theory, operator, mu2, nf) if isinstance(s, Matching)]
    return matchings[-1].key if matchings else None


def _segment_operator(t: TheoryCard, o: OperatorCard, seg: Segment) -> NDArray[np.float64]:
    from .evolution import evolution_operator

    cpl = couplings(t)
    xir2 = t.xir**2  # a_s at mu_R^2 = xir^2 mu_F^2; the kernels re-expand gamma in it
    return evolution_operator(
        xgrid=np.asarray(o.xgrid),
        degree=o.interpolation_degree,
        order=t.order,
        nf=seg.nf,
        a0=cpl.a_s(xir2 * seg.mu2_from, seg.nf),
        a1=cpl.a_s(xir2 * seg.mu2_to, seg.nf),
        method=o.method,
        ev_op_iterations=o.ev_op_iterations,
        intrinsic=t.intrinsic,
        xir=t.xir,
    )


def _matching_operator(t: TheoryCard, o: OperatorCard, m: Matching) -> NDArray[np.float64]:
    up = m.nf_to > m.nf_from
    nf_low = min(m.nf_from, m.nf_to)
    ratio = t.matching_ratios[m.heavy - 4]
    return matching_operator(
        xgrid=np.asarray(o.xgrid),
        degree=o.interpolation_degree,
        order=t.order,
        nf=nf_low,
        a_s=couplings(t).a_s(m.mu2, nf_low + 1),
        log_ratio=2.0 * math.log(ratio),
        intrinsic=t.intrinsic,
        backward=not up,
    )


def _apply(t: TheoryCard, o: OperatorCard, steps, start: NDArray | None) -> NDArray[np.float64]:
    op = start
    for s in steps:
        step = _segment_operator(t, o, s) if isinstance(s, Segment) else _matching_operator(t, o, s)
        op = step if op is None else combine(step, op)
    return identity_operator(len(o.xgrid)) if op is None else op


def _steps_to(t: TheoryCard, o: OperatorCard, key: ThresholdKey) -> tuple:
    for steps in _point_paths(t, o).values():
        for i, s in enumerate(steps):
            if isinstance(s, Matching) and s.key == key:
                return steps[: i + 1]
    raise PhysicsError(f"threshold {key} is not on the path of any evolution point")


def threshold_operator(
    theory: Any, operator: Any, key: ThresholdKey, previous: NDArray | None = None
) -> NDArray[np.float64]:
    """Operator from mu0 to just after the matching ``key``, shape (14, nx, 14, nx).

    With ``previous`` (the operator of the threshold before ``key`` on the path, as from this
    function) only the last segment and matching are computed.
    """
    t, o = _theory(theory), _operator(operator)
    steps = _steps_to(t, o, tuple(key))
    if previous is not None:
        last = [i for i, s in enumerate(steps[:-1]) if isinstance(s, Matching)]
        steps = steps[last[-1] + 1 :] if last else steps
        if not last:
            raise PhysicsError(f"threshold {key} is the first on its path: no previous operator")
    return _apply(t, o, steps, previous)


def threshold_operators(theory: Any, operator: Any) -> dict[ThresholdKey, NDArray[np.float64]]:
    """All threshold operators the card's points need, each built on the previous one."""
    t, o = _theory(theory), _operator(operator)
    out: dict[ThresholdKey, NDArray[np.float64]] = {}
    for steps in _point_paths(t, o).values():
        op, prev = None, None
        for i, s in enumerate(steps):
            if not isinstance(s, Matching):
                continue
            if s.key not in out:
                start = i if prev is None else prev + 1
                out[s.key] = _apply(t, o, steps[start : i + 1], op)
            op, prev = out[s.key], i
    return out


def partial_operator(theory: Any, operator: Any, mu2: float, nf: int) -> NDArray[np.float64]:
    """Evolution at fixed nf from the last threshold before (mu2, nf) (or from mu0) to mu2."""
    t, o = _theory(theory), _operator(operator)
    steps = path(t, o, mu2, nf)
    last = [i for i, s in enumerate(steps) if isinstance(s, Matching)]
    return _apply(t, o, steps[last[-1] + 1 :] if last else steps, None)


def final_operator(theory: Any, operator: Any, mu2: float, nf: int) -> NDArray[np.float64]:
    """The whole operator from mu0 to (mu2, nf) = combine(partial, threshold operator)."""
    t, o = _theory(theory), _operator(operator)
    return _apply(t, o, path(t, o, mu2, nf), None)
