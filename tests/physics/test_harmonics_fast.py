"""The fast polygamma / nested sums against the slow reference (the exhaustive recurrence).

The fast forms skip the upward recurrence where |Im z| is large enough for the asymptotic
series alone; the reference (``polygamma_reference``, ``nested_reference``: the code as it was
before that change) shifts every point to Re z >= 15 (20). Where the reference's shift is
short both must agree to 1e-14 relative; far left, where the reference's long sums cancel,
the fast form is checked against the reflection formula psi_k(z) = (-1)^k psi_k(1 - z)
- pi d^k/dz^k cot(pi z) instead (the cot term is below 1e-40 there, i pi sign(Im z) for k = 0).
"""

import numpy as np
import pytest

from ekodask.mellin import talbot_plan
from ekodask.physics import harmonics as h

RNG = np.random.default_rng(20261202)
# a box around the origin, reaching into the left half plane and across the real axis
BOX = RNG.uniform(-25.0, 60.0, 3000) + 1j * RNG.uniform(-60.0, 60.0, 3000)
# far left, away from the real axis: Re z down to -3000 (the Talbot arms at large x)
FAR_RE = -np.exp(RNG.uniform(np.log(20.0), np.log(3000.0), 3000))
FAR_IM = np.exp(RNG.uniform(np.log(15.0), np.log(3000.0), 3000))
FAR = np.concatenate([FAR_RE + 1j * FAR_IM, FAR_RE - 1j * FAR_IM])


def _lha_nodes() -> np.ndarray:
    from ekodask.interpolation import lha_xgrid

    x = lha_xgrid()
    return np.concatenate([talbot_plan(x, 4, pole=p).nodes.ravel() for p in (0.0, 1.0)])


def _rel(a, b):
    return np.max(np.abs(a - b) / np.abs(b))


@pytest.mark.parametrize("k", range(6))
def test_polygamma_fast_equals_reference_in_the_box(k):
    for z in (BOX, BOX / 2.0 + 1.0, BOX + 1.0):
        assert _rel(h.polygamma(k, z), h.polygamma_reference(k, z)) < 1e-14


@pytest.mark.parametrize("k", range(6))
def test_polygamma_fast_far_left_matches_reflection(k):
    reflected = (-1.0) ** k * h.polygamma_reference(k, 1.0 - FAR)
    if k == 0:
        reflected = reflected + 1j * np.pi * np.sign(FAR.imag)
    assert _rel(h.polygamma(k, FAR), reflected) < 1e-14


@pytest.mark.parametrize(
    "indices", [(2, 1), (-2, 1), (1, 1), (-2, -1), (3, 1), (-3, 1), (2, -1), (2, 1, 1), (1, 1, 1)]
)
@pytest.mark.parametrize("even", [True, False])
def test_nested_fast_equals_reference(indices, even):
    for z in (BOX[:800], _lha_nodes()[::3]):
        assert _rel(h.S(indices, z, even), h.nested_reference(indices, z, even)) < 1e-14


def test_single_sums_on_the_talbot_nodes():
    """S_1 .. S_4 and S_-2, S_-3 on the default grid's nodes (shifted as the kernels use them)."""
    n = _lha_nodes()
    for m in (1, 2):  # the low weights keep the reference's long sums free of cancellation
        for z in (n - 1.0, n, n + 3.0):
            fast = h.single_sum(m, z)
            ref = h.polygamma_reference(m - 1, z + 1.0) * (-1.0) ** (m - 1)
            ref = ref + (h.EULER_GAMMA if m == 1 else h.ZETA2)
            assert _rel(fast, ref) < 1e-14
    for m in (3, 4):
        for z in (n - 1.0, n, n + 3.0):
            w = z + 1.0
            far_left = (np.abs(w.imag) >= 15.0) & (w.real < 0.0)
            # the reflection for the far-left nodes (exact), the reference elsewhere
            reflected = (-1.0) ** (m - 1) * h.polygamma_reference(m - 1, 1.0 - w[far_left])
            assert _rel(h.polygamma(m - 1, w[far_left]), reflected) < 1e-14
            rest = w[~far_left]
            assert _rel(h.polygamma(m - 1, rest), h.polygamma_reference(m - 1, rest)) < 1e-14


def test_fast_path_skips_the_recurrence():
    """The far nodes are not shifted: the recurrence runs over far fewer steps."""
    n = _lha_nodes()
    assert h._shift_counts(n, 15.0, None).max() > 1000
    assert h._shift_counts(n, 15.0, h._PSI_FAR).max() < 200
