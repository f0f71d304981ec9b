"""Cards -> recipes -> thresholds, partial and final operators (VFNS, FFNS, backward, intrinsic)."""

import numpy as np
import pytest

from ekodask import compute
from ekodask import recipes as ops
from ekodask.cards import load_operator, load_theory
from ekodask.errors import CardError, PhysicsError
from ekodask.matching import PIDS, combine, identity_operator
from ekodask.pdfs.toy import toy_pdfs

IDX = {p: i for i, p in enumerate(PIDS)}
SMALL = [float(x) for x in np.concatenate([np.geomspace(1e-4, 0.1, 13), np.linspace(0.2, 1, 9)])]
MZ = 91.1876


def cards(theory=None, operator=None):
    op = {"xgrid": SMALL, "interpolation_degree": 4}
    return load_theory(theory or {}), load_operator({**op, **(operator or {})})


def thresholds_needed(t, o):
    return tuple(r.key for r in ops.plan(t, o).thresholds)


def partial_start(t, o, mu2, nf):
    return ops.plan(t, o, points=((mu2, nf),)).points[0].start


def _point(t, o, mu2, nf):
    pl = ops.plan(t, o, points=((mu2, nf),))
    return pl.points[0], pl.numerics


def partial_operator(t, o, mu2, nf):
    return compute.partial_operator(*_point(t, o, mu2, nf))[0]


def final_operator(t, o, mu2, nf):
    return compute.final_operator(*_point(t, o, mu2, nf))[0]


def test_lha_path():
    # LHA VFNS: mu0 = m_c with nf0 = 3, so the charm matching comes first, then b, then to 1e4
    t, o = load_theory({}), load_operator({"mu2grid": [1e4]})
    assert ops.evolution_points(t, o) == ((1e4, 5),)
    steps = ops.path(t, o, 1e4, 5)
    assert [type(s).__name__ for s in steps] == ["Matching", "Segment", "Matching", "Segment"]
    assert (steps[0].nf_from, steps[0].nf_to, steps[2].nf_to) == (3, 4, 5)
    np.testing.assert_allclose(steps[0].mu2, 2.0, rtol=1e-14)
    np.testing.assert_allclose((steps[1].mu2_to, steps[3].mu2_to), (4.5**2, 1e4), rtol=1e-14)
    keys = thresholds_needed(t, o)
    assert [k[1] for k in keys] == [4, 5]
    assert partial_start(t, o, 1e4, 5) == keys[1]


def test_nf_on_threshold():
    # [mu2, nf] entries pick the patch on a threshold; the upper one starts from that threshold
    t, o = cards(operator={"mu2grid": [[20.25, 4], [20.25, 5], 100.0]})
    assert ops.evolution_points(t, o) == ((20.25, 4), (20.25, 5), (100.0, 5))
    assert partial_start(t, o, 20.25, 4)[1] == 4
    assert partial_start(t, o, 20.25, 5) == (20.25, 5)
    same = partial_operator(t, o, 20.25, 5)
    np.testing.assert_array_equal(same, identity_operator(len(SMALL)))


def test_ffns_has_no_thresholds():
    # FFNS: one segment at nf_ffns from mu0, no matching
    t, o = cards({"scheme": "FFNS", "nf_ffns": 4, "nf0": 4, "order": 1}, {"mu2grid": [1e4]})
    assert ops.evolution_points(t, o) == ((1e4, 4),)
    assert thresholds_needed(t, o) == ()
    assert partial_start(t, o, 1e4, 4) is None
    assert [type(s).__name__ for s in ops.path(t, o, 1e4, 4)] == ["Segment"]
    with pytest.raises(PhysicsError):
        ops.path(t, o, 1e4, 5)


def test_final_is_partial_after_threshold():
    # final = combine(partial, threshold operator) (definition of the split), to 1e-12
    t, o = cards({"order": 3}, {"mu2grid": [1e4]})
    pl = ops.plan(t, o)
    thr = {k: v[0] for k, v in compute.threshold_operators(pl).items()}
    start = partial_start(t, o, 1e4, 5)
    composed = combine(partial_operator(t, o, 1e4, 5), thr[start])
    final = final_operator(t, o, 1e4, 5)
    np.testing.assert_allclose(composed, final, rtol=1e-12, atol=1e-12)
    # threshold chaining: the b threshold from the c one equals the one built in one go
    prev = compute.threshold_operators(pl)[(2.0000000000000004, 4)]
    chained = compute.threshold_operator(pl, start, previous=prev)[0]
    np.testing.assert_allclose(chained, thr[start], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("order", [2, 3])
def test_forward_then_backward(order):
    # up from (16 GeV^2, nf=4) across m_b to (25, 5), then back down with the inverse matching:
    # the identity on the toy PDFs (with a charm) up to the interpolation error of composing
    # x-space operators (~3e-4 on this grid; long backward paths amplify it at small x)
    th = {"order": order, "alphas_scale": MZ, "alphas": 0.118}
    t_up, o_up = cards({**th, "nf0": 4}, {"mu0": 4.0, "mu2grid": [[25.0, 5]]})
    t_dn, o_dn = cards({**th, "nf0": 5}, {"mu0": 5.0, "mu2grid": [[16.0, 4]]})
    kinds = [type(s).__name__ for s in ops.path(t_dn, o_dn, 16.0, 4)]
    assert kinds == ["Segment", "Matching", "Segment"]
    up = final_operator(t_up, o_up, 25.0, 5)
    down = final_operator(t_dn, o_dn, 16.0, 4)
    x = np.array(SMALL)
    f = toy_pdfs(x)
    f[IDX[4]] = f[IDX[-4]] = 0.1 * f[IDX[-1]]
    back = np.einsum("iajb,jb->ia", combine(down, up), f)
    sel = x < 0.9
    for p in (21, 1, 2, 3, -1, -2, -3, 4, -4):
        np.testing.assert_allclose(back[IDX[p], sel], f[IDX[p], sel], rtol=1e-3)
    np.testing.assert_allclose(back[IDX[5]], 0.0, atol=1e-12)


def test_alphas_bridge():
    # alpha_s at mu_h = m_h is continuous at NLO (one-loop decoupling is pure L, CKS hep-ph/9706430)
    t = load_theory({"order": 2})
    np.testing.assert_allclose(ops.alphas(t, 2.0), 0.35, rtol=1e-12)
    np.testing.assert_allclose(ops.alphas(t, 20.25, nf=4), ops.alphas(t, 20.25, nf=5), rtol=1e-12)
    np.testing.assert_allclose(ops.alphas(t, 1e4), 4 * np.pi * ops.couplings(t).a_s(1e4), rtol=0)


def test_intrinsic_charm_is_carried():
    # intrinsic charm below threshold enters the final operator; without it the c column is zero
    t, o = cards({"order": 2, "intrinsic": [4], "matching_ratios": [1.5, 1, 1]}, {"mu2grid": [50]})
    fin = final_operator(t, o, 50.0, 5)
    assert np.abs(fin[IDX[4], :, IDX[4]]).max() > 0.1
    assert np.abs(fin[IDX[21], :, IDX[4]]).max() > 1e-3
    t0, _ = cards({"order": 2, "matching_ratios": [1.5, 1, 1]})
    plain = final_operator(t0, o, 50.0, 5)
    np.testing.assert_allclose(plain[:, :, IDX[4]], 0.0, atol=1e-12)


def test_scale_variation_refused():
    # xif with xir != 1 is refused once, at the card boundary (tests/test_scvar.py: xif alone)
    with pytest.raises(CardError, match="xif"):
        cards({"xif": 2.0, "xir": 2.0})


def test_first_threshold_includes_the_segment_before_it():
    # mu0 below m_c: the threshold operator holds the segment mu0 -> m_c, so that
    # final = combine(partial, threshold) equals the path in one go (round one dropped it)
    t, o = cards({"order": 2, "alphas_scale": 1.2}, {"mu0": 1.2, "mu2grid": [10.0]})
    pl = ops.plan(t, o)
    (point,) = pl.points
    assert [type(s).__name__ for s in pl.thresholds[0].steps] == ["Segment", "Matching"]
    thr = compute.threshold_operators(pl)[point.start][0]
    composed = combine(compute.partial_operator(point, pl.numerics)[0], thr)
    final = compute.final_operator(point, pl.numerics)[0]
    np.testing.assert_allclose(composed, final, rtol=1e-12, atol=1e-12)


def test_steps_carry_their_scalars():
    # a_s at the edges from the couplings of the card; ln(mu_h^2/m_h^2) = 2 ln(ratio)
    t, o = cards({"order": 2, "matching_ratios": [1.0, 2.0, 1.0]}, {"mu2grid": [1e4]})
    cpl = ops.couplings(t)
    steps = ops.plan(t, o).points[0].path
    seg, match = steps[1], steps[2]
    assert seg.a_s_from == cpl.a_s(seg.mu2_from, seg.nf) and seg.a_s_to == cpl.a_s(seg.mu2_to, 4)
    np.testing.assert_allclose(match.mu2, 81.0, rtol=1e-14)
    assert match.log_ratio == 2.0 * np.log(2.0) and match.a_s == cpl.a_s(match.mu2, 5)


def test_xir_shifts_the_a_s_scale_in_one_place():
    # xir = 2: a_s of a segment edge at xir^2 mu_F^2, the gammas re-expanded in ln xir^2
    t, o = cards({"order": 2, "xir": 2.0}, {"mu2grid": [100.0]})
    pl = ops.plan(t, o)
    assert pl.numerics.scales == ops.ScaleChoice(mu2_r_factor=4.0, gamma_xir=2.0, xif=1.0)
    seg = pl.points[0].path[-1]
    assert seg.a_s_to == ops.couplings(t).a_s(4.0 * 100.0, 5)


def test_recipes_refuse_unvalidated_cards():
    with pytest.raises(CardError, match="validated cards"):
        ops.plan({}, {})
