"""Factorisation-scale variation xif: cards, evolution points, both of eko's schemes.

Schemes (eko's ``scvar_method``; arXiv:1906.10698 Eqs. (3.32), (3.35); eko's MHOU.rst):
exponentiated = every patch evolved with a_s at xif^2 mu^2 and gammas/OMEs re-expanded in it,
a_s matched at xif^2 mu_h^2; expanded = the last patch evolved to a_s(xif^2 mu^2), then
K(a_s(xif^2 mu^2), xif^2) keeping a_s^0 .. a_s^(order-1). At fixed scales with a_s lowered
(a_s -> lam a_s): exponentiated - unvaried = O(a_s^(order+1)) (the gammas differ at
a_s^(order+1)); expanded - unvaried = -a_s^order K_order E + O(a_s^(order+1)) (K stops one term
short); the exponents are checked below, and the leading expanded term exactly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ekodask import alphas as public_alphas
from ekodask import recipes
from ekodask.cards import compat_dict, load_cards, load_operator, load_theory
from ekodask.compute import operator_at
from ekodask.errors import CardError, IncompatibleStoresError
from ekodask.physics import kernels as kern
from ekodask.physics.cache import cached_gammas
from ekodask.physics.scale_variation import expanded_kernel, kernel_coefficients
from ekodask.recipes import Matching, Segment

XIF = math.sqrt(2.0)
RHO = XIF**2  # 2.0000000000000004, as eko's xif2 too
XG = [1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
SMALL = {"xgrid": XG, "interpolation_degree": 3}


def cards(theory=None, operator=None):
    return load_cards(theory or {}, {**SMALL, **(operator or {})})


# -- cards ------------------------------------------------------------------------------------


def test_xif_and_scvar_method_cards():
    for xif in (0.5, XIF, 2.0):
        assert load_theory({"xif": xif}).xif == xif
    for bad in (0.0, -1.0, "2", None):
        with pytest.raises(CardError, match="theory card: key 'xif'"):
            load_theory({"xif": bad})
    for value in (None, "exponentiated", "expanded"):
        assert load_operator({"scvar_method": value}).scvar_method == value
    with pytest.raises(CardError, match=r"operator card: key 'scvar_method'.*exponentiated, ex"):
        load_operator({"scvar_method": "resummed"})
    # xir and xif together have no definition here (eko has no xir): refused, one line
    with pytest.raises(CardError, match=r"key 'xif': got 1.4.*expected 1 when xir = 2.0") as err:
        load_theory({"xif": XIF, "xir": 2.0})
    assert "\n" not in str(err.value)


def test_scvar_method_is_resolved_and_stored():
    # null where xif = 1 (nothing varied, whatever was asked), the scheme used where xif != 1
    for asked in (None, "exponentiated", "expanded"):
        _, o = cards({}, {"scvar_method": asked})
        assert o.scvar_method is None and "scvar_method" not in compat_dict(*cards())["operator"]
    assert cards({"xif": XIF})[1].scvar_method == "exponentiated"
    assert cards({"xif": XIF}, {"scvar_method": "expanded"})[1].scvar_method == "expanded"
    t, o = cards({"xif": XIF}, {"scvar_method": "expanded"})
    assert compat_dict(t, o)["operator"]["scvar_method"] == "expanded"
    assert load_cards(t.to_dict(), o.to_dict()) == (t, o)


def test_merge_refuses_stores_of_different_schemes(tmp_path):
    from ekodask import run
    from ekodask.store import merge, open

    theory = {"order": 1, "scheme": "FFNS", "nf_ffns": 4, "xif": XIF}
    paths = []
    for method, mu2 in (("exponentiated", 10.0), ("expanded", 20.0)):
        op = {"xgrid": [1e-2, 0.1, 0.5, 1.0], "interpolation_degree": 2, "mu2grid": [mu2]}
        path = str(tmp_path / f"{method}.zarr")
        run(theory, {**op, "scvar_method": method}, path, scheduler="synchronous")
        assert open(path).operator["scvar_method"] == method  # the stored cards say it
        paths.append(path)
    with pytest.raises(IncompatibleStoresError, match="scvar_method"):
        merge(paths, str(tmp_path / "out.zarr"))


# -- xif = 1 unchanged --------------------------------------------------------------------------


def test_xif_one_is_bitwise_the_unvaried_evolution():
    # the same steps (same a_s, no K) and the same operator whatever scvar_method says
    ref_t, ref_o = cards({"order": 3}, {"mu2grid": [1e4]})
    ref = operator_at(ref_t, ref_o, 1e4, 5)
    plain = recipes.plan(ref_t, ref_o)
    assert plain.numerics.scales == recipes.ScaleChoice(1.0, 1.0, 1.0, None)
    assert all(getattr(s, "expanded_ln_rho", 0.0) == 0.0 for s in plain.points[0].path)
    for method in ("exponentiated", "expanded"):
        t, o = cards({"order": 3, "xif": 1.0}, {"mu2grid": [1e4], "scvar_method": method})
        assert recipes.plan(t, o).points == plain.points
        assert np.array_equal(operator_at(t, o, 1e4, 5), ref)


# -- evolution points and thresholds --------------------------------------------------------


def test_exponentiated_shifts_every_a_s_point_and_the_coupling_thresholds():
    t, o = cards({"order": 3, "xif": XIF}, {"mu2grid": [1e4]})
    cpl = recipes.couplings(t, o)
    # a_s changes nf at xif * mu_h (decoupled with ln(xif^2)), the PDFs still at mu_h
    np.testing.assert_allclose(
        cpl.thresholds_mu2, [2.0 * RHO, RHO * 4.5**2, RHO * 175.0**2], rtol=1e-15
    )
    path = recipes.plan(t, o).points[0].path
    segs = [s for s in path if isinstance(s, Segment)]
    matchings = [s for s in path if isinstance(s, Matching)]
    assert [m.mu2 for m in matchings] == pytest.approx([2.0, 4.5**2])
    for s in segs:
        assert s.a_s_from == cpl.a_s(RHO * s.mu2_from, s.nf)
        assert s.a_s_to == cpl.a_s(RHO * s.mu2_to, s.nf) and s.expanded_ln_rho == 0.0
    for m in matchings:
        assert m.a_s == cpl.a_s(RHO * m.mu2, m.nf_low + 1)
        assert m.ln_xir2 == math.log(RHO)
    # the public alpha_s runs as the evolution: the default scheme, or the operator card's
    assert public_alphas(t.to_dict(), RHO * 1e4) == pytest.approx(4 * math.pi * segs[-1].a_s_to)
    plain = recipes.couplings(load_theory({"order": 3}))
    _, oe = cards({"order": 3, "xif": XIF}, {"scvar_method": "expanded"})
    assert recipes.alphas(t, 3.0, None, oe) == plain.alphas(3.0)
    assert recipes.alphas(t, 3.0) == cpl.alphas(3.0) != plain.alphas(3.0)


def test_expanded_changes_only_the_last_patch():
    t, o = cards({"order": 3, "xif": XIF}, {"mu2grid": [1e4], "scvar_method": "expanded"})
    t1, o1 = cards({"order": 3}, {"mu2grid": [1e4]})
    varied, plain = recipes.plan(t, o), recipes.plan(t1, o1)
    assert varied.thresholds == plain.thresholds  # the threshold operators are shared
    *head, last = varied.points[0].path
    assert tuple(head) == plain.points[0].path[:-1]
    cpl = recipes.couplings(t1)
    assert last.nf == 5 and last.mu2_to == 1e4 and last.expanded_ln_rho == math.log(RHO)
    assert last.a_s_from == plain.points[0].path[-1].a_s_from
    assert last.a_s_to == cpl.a_s(RHO * 1e4, 5)
    # a point with no segment in its patch gets one of zero length in mu_F: a_s still runs
    mu0_2 = math.sqrt(2.0) ** 2  # on the charm threshold: nf = 3 named
    points = [[mu0_2, 3], [4.5**2, 5]]
    t, o = cards({"order": 2, "xif": 0.5}, {"mu2grid": points, "scvar_method": "expanded"})
    at_mu0, above_b = (p.path for p in recipes.plan(t, o).points)
    cpl = recipes.couplings(load_theory({"order": 2}))
    expect = Segment(mu0_2, mu0_2, 3, cpl.a_s(mu0_2, 3), cpl.a_s(0.25 * mu0_2, 3), math.log(0.25))
    assert at_mu0 == (expect,)
    assert isinstance(above_b[-2], Matching) and above_b[-1].mu2_from == above_b[-1].mu2_to
    assert above_b[-1].a_s_to == cpl.a_s(0.25 * 4.5**2, 5)


def test_expanded_at_lo_is_the_evolution_to_xif2_mu2():
    # at LO K = 1: the operator is the unvaried one at xif^2 mu^2 in the same patch
    for theory in ({"order": 1}, {"order": 1, "scheme": "FFNS", "nf_ffns": 4}):
        t, o = cards({**theory, "xif": XIF}, {"mu2grid": [100.0], "scvar_method": "expanded"})
        t1, o1 = cards(theory, {"mu2grid": [200.0]})
        nf = recipes.evolution_points(t, o)[0][1]
        np.testing.assert_allclose(
            operator_at(t, o, 100.0, nf), operator_at(t1, o1, 200.0, nf), rtol=1e-12, atol=1e-14
        )


# -- the two schemes differ by higher orders -------------------------------------------------

FFNS = {"scheme": "FFNS", "nf_ffns": 4}
LAMBDAS = (1 / 16, 1 / 32, 1 / 64)


def _operators(order: int, lam: float) -> dict:
    sel = np.asarray(XG) >= 0.09
    out = {}
    for method in (None, "exponentiated", "expanded"):
        theory = {**FFNS, "order": order, "matching_order": min(order - 1, 2)}
        t, o = cards(
            {**theory, "alphas": 0.35 * lam, "xif": XIF if method else 1.0},
            {"mu2grid": [100.0], "scvar_method": method, "method": "iterate-magnus4"},
        )
        out[method] = operator_at(t, o, 100.0, 4)[:, sel][:, :, :, sel]
    return out


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_schemes_differ_by_the_expected_power_of_a_s(order):
    # x-space operators (x >= 0.1), FFNS mu^2 = 2 -> 100, alpha_s lowered by 2 at a time:
    # exponentiated - unvaried ~ a^(order+1), expanded - unvaried ~ exp - exp'd ~ a^order.
    # iterate-magnus4: the midpoint rule of iterate-exact errs by O(a^3) (its steps in ln a_s
    # scale with a_s), which the two schemes do not share: it would hide the a^4 of order 4
    diffs = []
    for lam in LAMBDAS:
        ops = _operators(order, lam)
        diffs.append(
            [
                np.abs(ops["exponentiated"] - ops[None]).max(),
                np.abs(ops["expanded"] - ops[None]).max(),
                np.abs(ops["exponentiated"] - ops["expanded"]).max(),
            ]
        )
    slope = np.log2(np.asarray(diffs[-2]) / np.asarray(diffs[-1]))
    np.testing.assert_allclose(slope, [order + 1, order, order], atol=0.25)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_expanded_misses_exactly_the_next_kernel_term(order):
    # N space, singlet: expanded + a^order K_order E - unvaried ~ a^(order+1)
    gammas, n = cached_gammas(), np.array([2.0 + 0j, 3.0 + 1j])
    worst = []
    for lam in LAMBDAS:
        res = {}
        for method in (None, "exponentiated", "expanded"):
            t, o = cards(
                {**FFNS, "order": order, "alphas": 0.35 * lam, "xif": XIF if method else 1.0},
                {"mu2grid": [100.0], "scvar_method": method},
            )
            pl = recipes.plan(t, o)
            (seg,) = pl.points[0].path
            g = kern.gamma_xir(
                gammas.gamma_singlet(order, n, 4), 4, 2 * math.log(pl.numerics.scales.gamma_xir)
            )
            e = kern.singlet(g, 4, seg.a_s_to, seg.a_s_from, "iterate-exact", 40)
            if seg.expanded_ln_rho:
                e = expanded_kernel(g, 4, seg.a_s_to, seg.expanded_ln_rho) @ e
                k_next = kernel_coefficients(g, 4, seg.expanded_ln_rho, order + 1)[order]
                res["next"] = seg.a_s_to**order * k_next
            res[method] = e
        worst.append(
            [
                np.abs(res["expanded"] - res[None]).max(),
                np.abs(res["expanded"] + res["next"] @ res[None] - res[None]).max(),
            ]
        )
    slope = np.log2(np.asarray(worst[-2]) / np.asarray(worst[-1]))
    np.testing.assert_allclose(slope, [order, order + 1], atol=0.2)


# -- eko runcards --------------------------------------------------------------------------------


def test_eko_runcards_carry_xif_and_the_scheme():
    from ekodask.eko_compat.runcards import from_eko, to_eko

    for method in ("exponentiated", "expanded"):
        t, o = cards({"xif": XIF}, {"scvar_method": method, "method": "iterate-exact"})
        et, eo = to_eko(t, o)
        assert et["xif"] == XIF and eo["configs"]["scvar_method"] == method
        assert load_cards(*from_eko(et, eo)) == (t, o)
    # eko's null with xif != 1 varies nothing (pineko's scheme C moves xif into the mugrid):
    # the same computation as xif = 1 here, not the exponentiated default of ekodask's cards
    eo["configs"]["scvar_method"] = None
    theory, _ = from_eko(et, eo)
    assert theory["xif"] == 1.0
    t, o = cards({}, {"method": "iterate-exact"})
    et, eo = to_eko(t, o)
    assert et["xif"] == 1.0 and eo["configs"]["scvar_method"] is None
