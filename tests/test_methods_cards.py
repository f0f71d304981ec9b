"""The solution-method keys of the operator card: method -> a_s mode, ev_op_max_order, inversion.

eko's names and meanings (arXiv:2202.02338; eko 0.15.7 pairs the methods with the a_s running
as :data:`ekodask.options.COUPLING_MODES` says). References: the perturbative-exact limit is
the exact solution (here the converged fourth-order Magnus product), the expanded inverse of the
matching differs from the exact one at the first power of a_s it leaves out.
"""

import math

import numpy as np
import pytest

import ekodask
from ekodask import recipes
from ekodask.cards import compat_dict, load_cards, load_operator
from ekodask.compute import operator_at
from ekodask.errors import CardError
from ekodask.options import COUPLING_MODES, EVOLUTION_METHODS, INVERSION_METHODS
from ekodask.physics.coupling import a_s_exact, a_s_expanded
from ekodask.physics.matching_inverse import inverse_ome_sectors, sector_product
from ekodask.physics.ome import ome_sectors

X = [1e-4, 1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
"""A coarse grid: these tests check what the card keys change, not the interpolation."""


def _op(theory=None, **operator):
    card = {"xgrid": X, "interpolation_degree": 3, "mu2grid": [1e4], **operator}
    t, o = load_cards(theory or {}, card)
    (mu2, nf) = recipes.evolution_points(t, o)[0]
    return operator_at(t, o, mu2, nf)


def _rel(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


# ------------------------------------------------------------------ keys, defaults, refusals


def test_defaults_stored_and_compared():
    o = load_operator()
    assert (o.ev_op_max_order, o.inversion_method) == (10, "expanded")
    d = o.to_dict()
    assert (d["ev_op_max_order"], d["inversion_method"]) == (10, "expanded")
    assert load_operator(d) == o
    t = ekodask.load_theory()
    other = load_operator({"ev_op_max_order": 4, "inversion_method": "exact"})
    assert compat_dict(t, other)["operator"]["ev_op_max_order"] == 4
    assert compat_dict(t, other)["operator"]["inversion_method"] == "exact"
    assert compat_dict(t, other) != compat_dict(t, o)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("ev_op_max_order", 0, "an integer >= 1"),
        ("ev_op_max_order", [10, 0], "an integer"),
        ("ev_op_max_order", 2.5, "an integer"),
        ("inversion_method", "inverse", "one of " + ", ".join(INVERSION_METHODS)),
        ("inversion_method", None, "one of exact, expanded"),
    ],
)
def test_bad_values_one_line(key, value, expected):
    with pytest.raises(CardError) as err:
        load_operator({key: value})
    text = str(err.value)
    assert text.startswith(f"operator card: key '{key}'") and expected in text
    assert "\n" not in text


def test_exact_inverse_of_an_intrinsic_flavour_refused():
    # the exact inverse of 1 + a A_HH has a pole right of the contour (ekodask.matching)
    theory = {"intrinsic": [4], "nf0": 4}
    operator = {"mu0": 2.0, "mu2grid": [[1.5, 3]], "inversion_method": "exact"}
    with pytest.raises(CardError, match=r"^operator card: key 'inversion_method'.*mu2grid\.0"):
        load_cards(theory, operator)
    load_cards(theory, {**operator, "inversion_method": "expanded"})
    load_cards(theory, {**operator, "mu2grid": [10.0]})  # forward only: nothing to invert


def test_expanded_running_refused_at_n3lo():
    # the expanded a_s solution exists up to NNLO (physics.coupling.a_s_expanded)
    n3lo = {"order": 4, "matching_order": 2}
    for method in EVOLUTION_METHODS:
        if COUPLING_MODES[method] == "expanded":
            with pytest.raises(CardError, match=r"^operator card: key 'method'.*order 4"):
                load_cards(n3lo, {"method": method})
        else:
            assert load_cards(n3lo, {"method": method})[1].method == method


# ------------------------------------------------------------------ a_s mode per method


@pytest.mark.parametrize("method", EVOLUTION_METHODS)
def test_coupling_mode_follows_method(method):
    t, o = load_cards({}, {"method": method, "mu2grid": [1e4, [1.5, 3], 20.25]})
    cpl = recipes.couplings(t, o)
    assert cpl.method == COUPLING_MODES[method]
    # ekodask.alphas with the operator card gives every a_s of the plan: segment edges, matchings
    pl = recipes.plan(t, o)
    n = 0
    for pr in pl.points:
        for s in pr.path:
            if isinstance(s, recipes.Segment):
                for mu2, a in ((s.mu2_from, s.a_s_from), (s.mu2_to, s.a_s_to)):
                    ref = ekodask.alphas(t, mu2, s.nf, operator=o) / (4.0 * math.pi)
                    assert a == pytest.approx(ref, rel=1e-14)
                    n += 1
            else:
                ref = ekodask.alphas(t, s.mu2, s.nf_low + 1, operator=o) / (4.0 * math.pi)
                assert s.a_s == pytest.approx(ref, rel=1e-14)
                n += 1
    assert n >= 8
    # in the nf = 3 patch (no threshold crossed) the running is the plain one of that mode
    solver = a_s_exact if COUPLING_MODES[method] == "exact" else a_s_expanded
    a0 = 0.35 / (4.0 * math.pi)
    assert ekodask.alphas(t, 1.5, 3, operator=o) / (4.0 * math.pi) == pytest.approx(
        solver(3, a0, 3, 2.0, 1.5), rel=1e-13
    )


def test_expanded_and_exact_running_differ():
    # at NNLO from 2 to 1e4 GeV^2 the two solutions of the RGE differ by ~7e-4
    exact = ekodask.alphas({}, 1e4, operator={"method": "iterate-exact"})
    expanded = ekodask.alphas({}, 1e4, operator={"method": "iterate-expanded"})
    assert ekodask.alphas({}, 1e4) == exact
    assert 3e-4 < abs(expanded / exact - 1.0) < 3e-3


# ------------------------------------------------------------------ ev_op_max_order


@pytest.mark.parametrize("method", ["perturbative-exact", "perturbative-expanded"])
def test_ev_op_max_order_changes_and_converges(method):
    ops = {m: _op(method=method, ev_op_max_order=m) for m in (3, 6, 10, 16)}
    d = [_rel(ops[m], ops[16]) for m in (3, 6, 10)]
    assert d[0] > 1e-2  # three terms of U are far from converged at mu2 = 1e4
    assert d[0] > 10 * d[1] > 100 * d[2]
    assert d[2] < 1e-4


def test_perturbative_exact_limit_is_the_exact_solution():
    # the U series with the beta recursion sums to the exact solution: the converged Magnus
    # product (40 fourth-order steps, converged to ~1e-10 here)
    ref = _op(method="iterate-magnus4", ev_op_iterations=40)
    assert _rel(_op(method="perturbative-exact", ev_op_max_order=4), ref) > 1e-2
    assert _rel(_op(method="perturbative-exact", ev_op_max_order=16), ref) < 1e-8


def test_ev_op_max_order_ignored_elsewhere():
    for method in ("iterate-exact", "truncated"):
        a = _op(method=method, ev_op_max_order=3)
        np.testing.assert_array_equal(a, _op(method=method, ev_op_max_order=12))


# ------------------------------------------------------------------ inversion_method


def test_expanded_inverse_differs_at_the_omitted_power():
    # NNLO matching A = 1 + a A1 + a^2 A2: exact A^-1 and its series to a^2 differ by O(a^3)
    n = np.array([2.0 + 0.5j, 4.0 - 1.0j, 10.0 + 3.0j])
    diffs = []
    for a in (2e-4, 1e-4):  # small: the a^4 term has a ~100 times larger coefficient
        ex = inverse_ome_sectors(3, n, 4, a, 0.3, False, "exact")
        xp = inverse_ome_sectors(3, n, 4, a, 0.3, False, "expanded")
        diffs.append(max(np.abs(ex[k] - xp[k]).max() for k in ex))
        back = sector_product(xp, ome_sectors(3, n, 4, a, 0.3, False))
        assert np.abs(back["gg"] - 1.0).max() < 50 * a**3
    assert diffs[0] / diffs[1] == pytest.approx(8.0, rel=0.05)


def test_inversion_method_reaches_the_backward_matching():
    theory = {"nf0": 5, "alphas_scale": 91.1876, "alphas": 0.118}
    card = {"mu0": 5.0, "mu2grid": [[16.0, 4]]}
    ex = _op(theory, **card, inversion_method="exact")
    xp = _op(theory, **card, inversion_method="expanded")
    # O(a_s^3) at a_s(m_b) ~ 0.018, enhanced at small x (measured 7.6e-3 on this coarse grid)
    assert 1e-4 < _rel(ex, xp) < 2e-2
    # forward evolution never reads it
    up = {"mu0": 4.0, "mu2grid": [[25.0, 5]]}
    th4 = {**theory, "nf0": 4}
    np.testing.assert_array_equal(
        _op(th4, **up, inversion_method="exact"), _op(th4, **up, inversion_method="expanded")
    )


def test_round_trip_over_the_charm_threshold():
    # 2 -> 4 -> 2 GeV^2 (python -m ekodask.benchmarks.backward on a 28-point grid): the exact
    # inverse is the identity up to interpolation, the expanded one leaves O(a_s^3) at small x
    from ekodask.benchmarks.backward import round_trip

    grid = [
        float(v) for v in np.concatenate([np.geomspace(1e-5, 0.1, 16), np.linspace(0.15, 1, 12)])
    ]
    small = "1e-05-0.001"
    ex = round_trip(4.0, "exact", xgrid=grid)["bins"][small]
    xp = round_trip(4.0, "expanded", xgrid=grid)["bins"][small]
    assert ex < 3e-3 and xp > 2.0 * ex


# ------------------------------------------------------------------ eko runcards


def test_eko_runcards_carry_both_keys():
    from ekodask.eko_compat.runcards import from_eko, to_eko

    theory = {"nf0": 4}
    operator = {
        "mu0": 2.0,
        "mu2grid": [1.5],  # nf = 3: below nf0
        "method": "perturbative-expanded",
        "ev_op_max_order": 6,
        "inversion_method": "exact",
    }
    eko_t, eko_o = to_eko(theory, operator)
    assert eko_o["configs"]["ev_op_max_order"] == [6, 0]
    assert eko_o["configs"]["inversion_method"] == "exact"
    assert eko_o["configs"]["evolution_method"] == "perturbative-expanded"
    t, o = from_eko(eko_t, eko_o)
    assert (o["ev_op_max_order"], o["inversion_method"]) == (6, "exact")
    assert load_cards(t, o) == load_cards(theory, operator)
    # eko's QED half of the order is refused, naming eko's key
    eko_o["configs"]["ev_op_max_order"] = [6, 1]
    with pytest.raises(CardError, match=r"'configs\.ev_op_max_order'"):
        from_eko(eko_t, eko_o)
    # null below nf0: eko 0.15.7 would apply the forward matching there
    eko_o["configs"].update(ev_op_max_order=[6, 0], inversion_method=None)
    with pytest.raises(CardError, match=r"'configs\.inversion_method'.*forward matching"):
        from_eko(eko_t, eko_o)
