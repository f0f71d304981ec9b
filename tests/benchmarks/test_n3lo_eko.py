"""ekodask at order 4 against eko 0.15.7's cached operators (``-m bench``; skipped without them).

eko's operators: ``python -m ekodask.benchmarks n3lo --run-eko`` (the bench venv) fills the cache
``bench-results/eko/`` for the cases of :func:`ekodask.benchmarks.n3lo.settings`: the LHA cards
at mu2 = 1e4 GeV^2, FFNS nf = 4 and VFNS, order [4, 0], matching_order [2, 0], use_fhmruvv,
central and each n3lo_ad_variation entry set to 1 alone; iterate-exact with 10 steps on both
sides (the same midpoint rule), the 22-point grid of ``n3lo.eko_xgrid("small")``.
"""

import pytest

from ekodask.benchmarks import n3lo

pytestmark = pytest.mark.bench

CASES = n3lo.settings("small")
TOLERANCE = 1e-4


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_order_4_against_eko(case):
    (row,) = n3lo.compare_eko([case])
    if row.get("missing"):
        pytest.skip(f"no cached eko operator for {case[0]}: run ekodask.benchmarks n3lo --run-eko")
    # every input column except x_in = 1 (it multiplies f(1) = 0), entries above 1e-6 of the
    # largest; see the module docstring of ekodask.benchmarks.n3lo
    assert row["worst"] < TOLERANCE, (row["where"], row["blocks"])
