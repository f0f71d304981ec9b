"""xif != 1 against eko 0.15.7 (``-m bench``; skipped without the cached eko operators).

LHA cards (hep-ph/0204316 Sec. 4.1), mu2 = 25 and 1e4, xif = sqrt(2) and 1/sqrt(2), both of
eko's schemes, NNLO and NLO VFNS, plus the xif = 1 control of each order. The same solution on
both sides: ``iterate-exact`` (eko's midpoint rule, ekodask implements the same) at 10 steps,
on a 24-point x-grid (eko takes minutes per card). Measure: the largest relative difference of
the entries above 1e-6 of the largest, beyond eko's own integration-error estimate, without the
x_in = 1 column (it multiplies f(1) = 0; :mod:`ekodask.benchmarks.eko_reference`).

Fill the cache (eko's numba cache warm first) with
``PYTHONPATH=. /work/venv-bench/bin/python tests/benchmarks/test_scvar_eko.py [NAME ...]``.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from ekodask.benchmarks import eko_reference as ref
from ekodask.cards import load_cards

XGRID = [
    *np.geomspace(1e-5, 0.1, 13)[:-1].tolist(),
    *np.linspace(0.1, 0.9, 9).tolist(),
    0.95,
    0.98,
    1.0,
]
POINTS = [25.0, 1e4]
OPERATOR = {
    "xgrid": XGRID,
    "mu2grid": POINTS,
    "method": "iterate-exact",
    "ev_op_iterations": 10,
    "interpolation_degree": 4,
}
TOL = 1e-4


def _settings() -> dict[str, tuple[dict, dict]]:
    out = {}
    for order, name in ((3, "NNLO"), (2, "NLO")):
        out[f"{name}_VFNS_xif1"] = ({"order": order}, dict(OPERATOR))
        for label, xif in (("sqrt2", math.sqrt(2.0)), ("invsqrt2", 1.0 / math.sqrt(2.0))):
            for method in ("exponentiated", "expanded"):
                theory = {"order": order, "xif": xif}
                out[f"{name}_VFNS_xif{label}_{method}"] = (
                    theory,
                    {**OPERATOR, "scvar_method": method},
                )
    return out


SETTINGS = _settings()


def worst_difference(name: str) -> list[tuple[float, int, float, tuple[int, ...]]]:
    """[(mu2, nf, measure, index)] per cached point of a setting (empty: nothing cached)."""
    from ekodask.compute import operator_at

    theory, operator = load_cards(*SETTINGS[name])
    cached = ref.load_reference(theory, operator)
    columns = ref.input_columns(theory, operator)
    out = []
    for (mu2, nf), (eko_op, eko_err) in sorted(cached.items()):
        ours = operator_at(theory, operator, mu2, nf)
        part = (Ellipsis, slice(None, -1))
        rel = ref._relative(ours[part], eko_op[part], 1e-6, columns, eko_err[part])
        where = np.unravel_index(int(np.argmax(rel)), rel.shape)
        out.append((mu2, nf, float(rel[where]), tuple(int(i) for i in where)))
    return out


@pytest.mark.bench
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_scale_variation_against_eko(name):
    results = worst_difference(name)
    if not results:
        pytest.skip(f"no cached eko operator for {name}: run {__file__}")
    assert [r[:2] for r in results] == [(mu2, 5) for mu2 in POINTS]
    for mu2, nf, worst, where in results:
        assert worst <= TOL, f"{name} ({mu2}, {nf}): {worst:.3g} at {where}"


@pytest.mark.bench
def test_eko_takes_the_cards():
    pytest.importorskip("eko")
    from eko.io.runcards import OperatorCard, TheoryCard

    for theory, operator in SETTINGS.values():
        th, op = ref.eko_cards(theory, operator)
        assert TheoryCard.from_dict(th).xif == theory.get("xif", 1.0)
        method = OperatorCard.from_dict(op).configs.scvar_method
        expected = operator.get("scvar_method") if theory.get("xif", 1.0) != 1.0 else None
        assert (None if method is None else method.value) == expected


def main(names: list[str]) -> int:
    """Run eko for the settings named (default: all) into the cache; print the comparison."""
    for name in names or sorted(SETTINGS):
        record = ref.run_eko(*SETTINGS[name])
        print(name, "eko", f"{record.get('wall_s', 0.0):.0f} s", flush=True)
        for mu2, nf, worst, where in worst_difference(name):
            print(f"  mu2={mu2:g} nf={nf}: max rel diff {worst:.3e} at {where}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
