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
# measured 2026-12-03 (22-point grid): FFNS 4.0e-7 .. 4.6e-7, VFNS 1.1e-5 .. 1.2e-5 (x_out =
# 3e-7, charm and light rows from the gluon: the small-x drift of eko's entries next to a
# threshold, see tests/benchmarks/test_eko_compare.py); the issue asks for 1e-4
TOLERANCE = {"FFNS": 2e-6, "VFNS": 5e-5}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_order_4_against_eko(case):
    (row,) = n3lo.compare_eko([case])
    if row.get("missing"):
        pytest.skip(f"no cached eko operator for {case[0]}: run ekodask.benchmarks n3lo --run-eko")
    # every input column except x_in = 1 (it multiplies f(1) = 0), entries above 1e-6 of the
    # largest; see the module docstring of ekodask.benchmarks.n3lo
    assert row["worst"] < TOLERANCE[case[0].split()[0]], (row["where"], row["blocks"])


def test_each_variation_is_resolved():
    # the comparison tells the variations apart: ekodask's central operator differs from eko's
    # varied ones by 2.7e-5 (nsv) .. 7.3e-2 (gq), 60x the agreement at equal settings (FFNS)
    from ekodask.benchmarks import eko_reference as ref
    from ekodask.cards import load_cards
    from ekodask.compute import operator_at

    ffns = [c for c in CASES if c[0].startswith("FFNS")]
    th, op = load_cards(*ffns[0][1:])
    central = operator_at(th, op, 1e4, 4)[..., :-1]
    columns = ref.input_columns(th, op)
    for name, theory, operator in ffns[1:]:
        cached = ref.load_reference(*load_cards(theory, operator))
        if not cached:
            pytest.skip(f"no cached eko operator for {name}")
        worst, _ = ref.compare_operators(central, cached[(1e4, 4)][0][..., :-1], 1e-6, columns)
        assert worst > 1e-5, name
