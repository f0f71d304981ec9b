"""Threshold operators: identities, flavour structure, inversion, combine."""

import numpy as np
import pytest
from scipy.special import beta

from ekodask import matching
from ekodask.cards import load_operator
from ekodask.interpolation import lagrange_basis
from ekodask.matching import (
    PIDS,
    combine,
    identity_operator,
    invert_sectors,
    matching_operator,
)
from ekodask.pdfs.toy import toy_pdfs
from ekodask.physics.ome import SECTORS, a_hg_2, a_hq_2, ome_sectors

IDX = {p: i for i, p in enumerate(PIDS)}
XGRID = np.concatenate([np.geomspace(1e-5, 0.1, 16), np.linspace(0.15, 1.0, 12)])
A_S = 0.35 / (4 * np.pi)  # LHA a_s at the charm threshold


@pytest.fixture(scope="module")
def nnlo():
    return matching_operator(xgrid=XGRID, degree=4, order=3, nf=3, a_s=A_S, log_ratio=0.0)


def test_lo_is_identity():
    # LO evolution uses O(a_s^0) matching: the unit operator
    op = matching_operator(xgrid=XGRID, degree=4, order=1, nf=3, a_s=A_S, log_ratio=0.4)
    np.testing.assert_array_equal(op, identity_operator(XGRID.size))


def test_nlo_identity_at_threshold():
    # mu_h = m_h, no intrinsic charm: every O(a_s) OME is proportional to L (hep-ph/9612398)
    op = matching_operator(xgrid=XGRID, degree=4, order=2, nf=3, a_s=A_S, log_ratio=0.0)
    np.testing.assert_allclose(op, identity_operator(XGRID.size), rtol=0, atol=1e-14)


def test_nnlo_flavour_structure(nnlo):
    # h = hbar generated from g and Sigma only; light quarks get A_ns alone; b, t, photon untouched
    c, cb, g = IDX[4], IDX[-4], IDX[21]
    cols = [j for j in range(14) if j not in (c, cb)]
    np.testing.assert_allclose(nnlo[c][:, cols], nnlo[cb][:, cols], rtol=0, atol=0)
    assert np.abs(nnlo[c, :, g]).max() > 1e-3
    for q in (1, 2, 3, -1, -2, -3):
        np.testing.assert_allclose(nnlo[IDX[q], :, IDX[q]], nnlo[IDX[1], :, IDX[1]], rtol=0, atol=0)
        other = [j for j in range(14) if j != IDX[q]]
        np.testing.assert_allclose(nnlo[IDX[q]][:, other], 0.0, rtol=0, atol=0)
    eye = np.eye(XGRID.size)
    for p in (22, 5, -5, 6, -6):
        np.testing.assert_allclose(nnlo[IDX[p], :, IDX[p]], eye, rtol=0, atol=0)


def _toy_moments(n):
    """int_0^1 x^(n-1) f(x) dx of the LHA toy g and light singlet (hep-ph/0204316 Sec. 4.1)."""
    m = lambda c, a, b: c * beta(n - 1 + a, b + 1)  # noqa: E731  (x f = c x^a (1-x)^b)
    g = m(1.7, -0.1, 5)
    # x Sigma = x u_v + x d_v + 2.4 x dbar (2 - x)
    sea = 2.4 * 0.1939875 * (2 * beta(n - 1.1, 7) - beta(n - 0.1, 7))
    return g, m(5.1072, 0.8, 3) + m(3.06432, 0.8, 4) + sea


FINE = np.concatenate([np.geomspace(1e-7, 0.1, 36), np.linspace(0.12, 1.0, 30)])


@pytest.mark.parametrize("n", [2.0, 3.0])
def test_charm_moments_at_threshold(n):
    # Mellin moments of the matched charm: c~ = a_s^2 (A_Hg^(2) g~ + A_Hq^PS,(2) Sigma~) / 2
    # (BMSN Eq. 2.x) with the analytic moments of the toy PDFs; checks inversion and assembly
    op = matching_operator(xgrid=FINE, degree=4, order=3, nf=3, a_s=A_S, log_ratio=0.0)
    out = np.einsum("iajb,jb->ia", op, toy_pdfs(FINE))
    got = lagrange_basis(FINE, 4).mellin(np.array([n])).real[:, 0] @ out[IDX[4]]
    g, sigma = _toy_moments(n)
    nn = np.array([n + 0j])
    want = 0.5 * A_S**2 * (a_hg_2(nn, 0.0, 3) * g + a_hq_2(nn, 0.0, 3) * sigma)
    np.testing.assert_allclose(got, want.real, rtol=2e-3)


def test_n_space_inverse_is_exact():
    # invert_sectors is the algebraic inverse of the (g, Sigma, h+) block: A^-1 A = 1
    n = np.array([1.7 + 2j, 3.0 - 5j, 0.9 + 0.1j])
    for intrinsic in (False, True):
        fwd = ome_sectors(3, n, 4, 0.05, 0.8, intrinsic)
        inv = invert_sectors(fwd)
        back = invert_sectors(inv)
        for k in SECTORS:
            np.testing.assert_allclose(back[k], fwd[k], rtol=1e-12, atol=1e-14)
        # product in the block: g row times columns
        np.testing.assert_allclose(inv["gg"] * fwd["gg"] + inv["gh"] * fwd["hg"], 1, rtol=1e-12)
        np.testing.assert_allclose(
            inv["gg"] * fwd["gq"] + inv["gq"] * fwd["ns"] + inv["gh"] * fwd["hq"], 0, atol=1e-12
        )


def test_expanded_inverse_differs_at_third_order():
    # exact and expanded inverses agree up to O(a_s^3): halving a_s divides the gap by ~8
    xs, nf = XGRID, 3
    gaps = []
    for a in (0.01, 0.005):
        kw = dict(xgrid=xs, degree=4, order=3, nf=nf, a_s=a, log_ratio=0.5, backward=True)
        ex = matching_operator(**kw)
        ep = matching_operator(**kw, backward_method="expanded")
        gaps.append(np.abs(ex - ep).max())
    np.testing.assert_allclose(gaps[0] / gaps[1], 8.0, rtol=0.1)


@pytest.mark.parametrize("log_ratio", [0.0, 0.6])
def test_forward_backward_roundtrip(log_ratio):
    # exact backward(forward(f)) = f on the default 58-point grid, up to the interpolation error
    # of composing two x-space operators (measured: 6e-6 gluon, < 1e-6 quarks, for x < 0.9)
    xgrid = np.array(load_operator({}).xgrid)
    kw = dict(xgrid=xgrid, degree=4, order=3, nf=3, a_s=A_S, log_ratio=log_ratio)
    fwd = matching_operator(**kw)
    bwd = matching_operator(**kw, backward=True)
    f = toy_pdfs(xgrid)
    back = np.einsum("iajb,jb->ia", combine(bwd, fwd), f)
    sel = xgrid < 0.9
    np.testing.assert_allclose(back[IDX[21], sel], f[IDX[21], sel], rtol=2e-5)
    for p in (1, 2, 3, -1, -2, -3):
        np.testing.assert_allclose(back[IDX[p], sel], f[IDX[p], sel], rtol=2e-6)


@pytest.mark.parametrize("intrinsic", [False, True])
def test_expanded_inverse_n_space(intrinsic):
    # expanded inverse times forward = 1 + O(a_s^3) (hep-ph/9612398): gap / a^3 ~ constant
    n = np.array([1.6 + 1j, 2.0 + 0j, 4.0 - 2j])
    gaps = []
    for a in (0.002, 0.001):
        fwd = ome_sectors(3, n, 3, a, 0.5, intrinsic)
        back = matching._expanded_inverse(3, n, 3, a, 0.5, intrinsic)
        prod = back["gg"] * fwd["gg"] + back["gh"] * fwd["hg"]  # g row, g column
        gaps.append(np.abs(prod - 1.0))
    np.testing.assert_allclose(gaps[0] / gaps[1], 8.0, rtol=0.06)


def test_intrinsic_charm_matched():
    # with intrinsic charm the c column carries A_HH and feeds the gluon through A_gH (1510.02491)
    kw = dict(xgrid=XGRID, degree=4, order=2, nf=3, a_s=A_S, log_ratio=0.0)
    op = matching_operator(**kw, intrinsic=(4,))
    c, g = IDX[4], IDX[21]
    assert np.abs(op[g, :, c]).max() > 1e-3
    assert np.abs(op[c, :, c] - np.eye(XGRID.size)).max() > 1e-3
    plain = matching_operator(**kw)
    np.testing.assert_allclose(plain[c, :, c], np.eye(XGRID.size), rtol=0, atol=1e-14)


def test_combine_is_the_contraction():
    # combine(P, T)[i,a,k,c] = sum_{j,b} P[i,a,j,b] T[j,b,k,c] (definition)
    rng = np.random.default_rng(1)
    p, t = rng.normal(size=(2, 14, 3, 14, 3))
    np.testing.assert_allclose(
        combine(p, t), np.einsum("iajb,jbkc->iakc", p, t), rtol=1e-12, atol=1e-14
    )
