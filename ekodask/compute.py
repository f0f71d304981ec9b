"""Recipes -> operators: the physics of each step of a :mod:`ekodask.recipes` plan.

Pure numpy on recipes (no Dask, no store; cards only in :func:`operator_at`). Every function
returns ``(operator, error)``, shape (14, nx, 14, nx) each; ``error`` is the bound on the
Mellin-inversion error, propagated through compositions by :func:`ekodask.contraction.combine`,
or None where ``Numerics.with_error`` is off.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .cards import OperatorCard, TheoryCard
from .contraction import BlockOperator, RotatedThreshold, combine, rotate_threshold
from .evolution import evolution_blocks
from .matching import identity_operator, matching_operator
from .physics import basis
from .recipes import Matching, Numerics, Plan, PointRecipe, Segment, Step, ThresholdKey, plan

__all__ = [
    "Result",
    "apply_steps",
    "final_operator",
    "operator_at",
    "partial_blocks",
    "partial_operator",
    "rotated_thresholds",
    "step_operator",
    "threshold_operator",
    "threshold_operators",
]

Array = NDArray[np.float64]
Result = tuple[Array, Array | None]
"""(operator, error bound or None)."""


def _segment_blocks(seg: Segment, num: Numerics) -> BlockOperator:
    return evolution_blocks(
        xgrid=np.asarray(num.xgrid),
        degree=num.degree,
        order=num.order,
        nf=seg.nf,
        a0=seg.a_s_from,
        a1=seg.a_s_to,
        method=num.method,
        ev_op_iterations=num.ev_op_iterations,
        ev_op_max_order=num.ev_op_max_order,
        intrinsic=num.intrinsic,
        xir=num.scales.gamma_xir,
        expanded_ln_rho=seg.expanded_ln_rho,
        return_error=num.with_error,
        n3lo_ad_variation=num.n3lo_ad_variation,
        n3lo_ad_vintage=num.n3lo_ad_vintage,
        polarized=num.polarized,
        time_like=num.time_like,
    )


def _segment(seg: Segment, num: Numerics) -> Result:
    return _segment_blocks(seg, num).to_flavor()


def _matching(m: Matching, num: Numerics) -> Result:
    out = matching_operator(
        xgrid=np.asarray(num.xgrid),
        degree=num.degree,
        order=num.ome_order,
        nf=m.nf_low,
        a_s=m.a_s,
        log_ratio=m.log_ratio,
        intrinsic=num.intrinsic,
        backward=m.backward,
        backward_method=num.inversion_method,
        return_error=num.with_error,
        ln_xir2=m.ln_xir2,
        polarized=num.polarized,
        time_like=num.time_like,
    )
    return out if num.with_error else (out, None)


def step_operator(step: Step, num: Numerics) -> Result:
    """The operator of one segment or matching."""
    return _segment(step, num) if isinstance(step, Segment) else _matching(step, num)


def _identity(num: Numerics) -> Result:
    eye = identity_operator(len(num.xgrid))
    return eye, (np.zeros_like(eye) if num.with_error else None)


def apply_steps(
    steps: tuple[Step, ...],
    num: Numerics,
    start: Result | None = None,
    operators: Sequence[Result] | None = None,
) -> Result:
    """The steps applied in order after ``start`` (None: from the identity).

    ``operators``: the steps' operators when already computed (:func:`step_operator` of each,
    e.g. in parallel tasks); the same products either way.
    """
    if operators is not None and len(operators) != len(steps):
        raise ValueError(f"{len(operators)} operators for {len(steps)} steps")
    out = start
    for i, s in enumerate(steps):
        op, err = step_operator(s, num) if operators is None else operators[i]
        out = (op, err) if out is None else combine(op, out[0], err, out[1])
    return _identity(num) if out is None else out


def threshold_operator(pl: Plan, key: ThresholdKey, previous: Result | None = None) -> Result:
    """Operator from mu0 to just after the matching ``key``.

    With ``previous`` (the result of the threshold before ``key`` on its path) only the steps
    from there are computed; without it the whole chain from mu0.
    """
    if previous is not None:
        return apply_steps(pl.threshold(key).steps, pl.numerics, previous)
    out = None
    for recipe in pl.chain(key):
        out = apply_steps(recipe.steps, pl.numerics, out)
    return out


def threshold_operators(pl: Plan) -> dict[ThresholdKey, Result]:
    """Every threshold operator of the plan, each built on the previous one."""
    out: dict[ThresholdKey, Result] = {}
    for recipe in pl.thresholds:
        prev = None if recipe.previous is None else out[recipe.previous]
        out[recipe.key] = apply_steps(recipe.steps, pl.numerics, prev)
    return out


def partial_operator(point: PointRecipe, num: Numerics) -> Result:
    """Evolution at fixed nf from the last threshold before the point (or from mu0) to it."""
    return apply_steps(point.partial, num)


def partial_blocks(point: PointRecipe, num: Numerics) -> BlockOperator | None:
    """:func:`partial_operator` as its evolution-basis blocks, where it is one segment (else
    None: the identity on a threshold, or several steps)."""
    if len(point.partial) != 1 or not isinstance(point.partial[0], Segment):
        return None
    return _segment_blocks(point.partial[0], num)


def rotated_thresholds(
    operators: dict[ThresholdKey, Result],
) -> dict[ThresholdKey, RotatedThreshold]:
    """Every threshold operator prepared for the partials after it (nf = the key's nf_after):
    :func:`ekodask.contraction.rotate_threshold` with that nf's rotation to the evolution basis."""
    return {
        key: rotate_threshold(op, err, basis.flavor_to_evolution(key[1]))
        for key, (op, err) in operators.items()
    }


def final_operator(point: PointRecipe, num: Numerics) -> Result:
    """The whole operator from mu0 to the point in one go (no split)."""
    return apply_steps(point.path, num)


def operator_at(theory: TheoryCard, operator: OperatorCard, mu2: float, nf: int) -> Array:
    """The final operator of the validated cards at (mu2, nf) in one go, without its error."""
    pl = plan(theory, operator, points=((float(mu2), int(nf)),))
    return final_operator(pl.points[0], dataclasses.replace(pl.numerics, with_error=False))[0]
