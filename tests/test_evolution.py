"""Tests of one fixed-nf evolution segment in x space (PDG basis)."""

import numpy as np
import pytest

from ekodask.errors import PhysicsError
from ekodask.evolution import evolution_operator
from ekodask.interpolation import lagrange_basis, lha_xgrid, log_linear_xgrid
from ekodask.pdfs.toy import PIDS, toy_pdfs
from ekodask.physics.anomalous_dimensions import as1
from ekodask.physics.coupling import Couplings

GRID = lha_xgrid()
IDX = {pid: i for i, pid in enumerate(PIDS)}
A0 = 0.35 / (4 * np.pi)
A1 = 0.1176 / (4 * np.pi)  # about a_s(1e4 GeV^2) at LO, nf = 4
INNER = GRID <= 0.9  # points away from x = 1, where the toy PDFs vanish
# finer at small x (10 points per decade) for the x-space composition checks: with 5 per decade
# the interpolation of the intermediate PDFs alone leaves ~5e-4 at small x
FINE = log_linear_xgrid(x_min=1e-5, per_decade=10)
FINE_INNER = FINE <= 0.6  # above, the steep sea needs a finer linear part
LIGHT = [IDX[p] for p in (-3, -2, -1, 21, 1, 2, 3)]


class LO:
    """gamma^(0) only (from physics.anomalous_dimensions.as1), for order-1 tests."""

    @staticmethod
    def gamma_ns(order, kind, n, nf):
        return as1.gamma_ns(n, nf)[None]

    @staticmethod
    def gamma_singlet(order, n, nf):
        return as1.gamma_singlet(n, nf)[None]


def _op(a0, a1, **kw):
    kw = {"xgrid": GRID, "degree": 4, "order": 1, "nf": 4, "gammas": LO, **kw}
    return evolution_operator(a0=a0, a1=a1, **kw)


def _apply(op, f):
    return np.einsum("iajb,jb->ia", op, f)


def test_identity_at_same_scale():
    op = _op(A0, A0, intrinsic=(5,))
    nx = GRID.size
    flavours = np.eye(14)
    flavours[IDX[6], IDX[6]] = flavours[IDX[-6], IDX[-6]] = 0.0  # t: inactive, not intrinsic
    eye = np.einsum("ij,ab->iajb", flavours, np.eye(nx))
    # E(N) = 1 exactly. Through the singlet contour (right of N = 1) entry rounding grows like
    # (x_b/x_a)^2 eps (up to 6e-6 for x_a = 1e-7), so the identity is checked on the non-singlet
    # entries and on the toy PDFs (which grow like 1/x): there to 1e-9 relative
    np.testing.assert_allclose(op[IDX[22]], eye[IDX[22]], atol=0)
    f = toy_pdfs(GRID)
    np.testing.assert_allclose(_apply(op, f)[LIGHT, :-1], f[LIGHT, :-1], rtol=1e-9, atol=1e-15)
    # the x = 1 row is zero for evolving flavours (PDFs vanish there), identity for the photon
    # and the intrinsic b; non-intrinsic inactive t is zero everywhere
    assert op[IDX[22], -1, IDX[22], -1] == 1.0 and op[IDX[5], -1, IDX[5], -1] == 1.0
    np.testing.assert_array_equal(op[IDX[21], -1], 0.0)
    np.testing.assert_array_equal(op[IDX[6]], 0.0)
    np.testing.assert_array_equal(op[:, :, IDX[-6]], 0.0)


def test_forward_backward():
    # a short step (2 -> ~3 GeV^2): backward evolution over long ranges is ill-conditioned in
    # x space (its kernel grows like N^c at large N and amplifies interpolation errors)
    a_short = 0.025
    f = toy_pdfs(FINE)
    fwd = _op(A0, a_short, xgrid=FINE)
    g = _apply(_op(a_short, A0, xgrid=FINE), _apply(fwd, f))
    # E_back E_fwd = 1 in N space; in x space the identity up to the interpolation of the
    # evolved PDFs between the two steps (measured 1e-5 for x <= 0.6)
    sel = np.ix_(LIGHT, FINE_INNER)
    np.testing.assert_allclose(g[sel], f[sel], rtol=5e-5)


def test_two_segments_equal_one():
    f = toy_pdfs(FINE)
    am = 0.2 / (4 * np.pi)
    one = _apply(_op(A0, A1, xgrid=FINE), f)
    two = _apply(_op(am, A1, xgrid=FINE), _apply(_op(A0, am, xgrid=FINE), f))
    # the Mellin kernels compose exactly (test_kernels); in x space up to the interpolation
    # of the intermediate PDFs (measured 5e-5 for x <= 0.6 on this grid)
    sel = np.ix_(LIGHT, FINE_INNER)
    np.testing.assert_allclose(two[sel], one[sel], rtol=1e-4)


# a grid fine enough for the quadrature of the evolved PDFs: from 1e-9 (the small-x tail below
# x_min carries ~2e-4 of the momentum at 1e4 GeV^2), 10 points per decade, 54 linear steps
SUM_RULE_GRID = log_linear_xgrid(x_min=1e-9, per_decade=10, n_linear=54)


@pytest.mark.parametrize("order", [1, 3])
def test_sum_rules(order):
    grid = SUM_RULE_GRID
    if order == 1:
        op = _op(A0, A1, xgrid=grid)
    else:  # NNLO with the package's anomalous dimensions and a_s(1e4 GeV^2) at NNLO, nf = 4
        cpl = Couplings(3, 0.35, 2.0, (np.sqrt(2.0), 4.5, 175.0), scheme="FFNS", nf_ffns=4)
        op = evolution_operator(
            xgrid=grid, degree=4, order=3, nf=4, a0=cpl.a_s(2.0), a1=cpl.a_s(1e4)
        )
    g = _apply(op, toy_pdfs(grid))
    basis = lagrange_basis(grid, 4)
    w1 = basis.mellin(np.array([1.0]))[:, 0].real  # int_{x0}^1 p_j dx
    w2 = basis.mellin(np.array([2.0]))[:, 0].real  # int_{x0}^1 x p_j dx
    uv = g[IDX[2]] - g[IDX[-2]]
    dv = g[IDX[1]] - g[IDX[-1]]
    sv = g[IDX[3]] - g[IDX[-3]]
    mom = sum(g[IDX[p]] for p in (-4, -3, -2, -1, 21, 1, 2, 3, 4))
    # quark numbers (gamma_ns,v(1) = 0) and momentum (gamma_qq(2) + gamma_gq(2) = 0, ...) are
    # conserved: the LHA toy inputs have u_v number 2, d_v number 1, s_v number 0, momentum 1
    # (hep-ph/0204316 Sec. 4.1); measured: numbers <= 5e-6, momentum 4e-5 on this grid
    np.testing.assert_allclose(uv @ w1, 2.0, rtol=2e-5)
    np.testing.assert_allclose(dv @ w1, 1.0, rtol=2e-5)
    np.testing.assert_allclose(sv @ w1, 0.0, atol=2e-5)
    np.testing.assert_allclose(mom @ w2, 1.0, rtol=1e-4)


def test_flavour_structure():
    f = toy_pdfs(GRID)
    g = _apply(_op(A0, A1), f)
    # no charm at the start and nf = 4: c = cbar is generated by the singlet, c- stays zero
    np.testing.assert_allclose(g[IDX[4]] - g[IDX[-4]], 0.0, atol=1e-12)
    assert np.all(g[IDX[4]][INNER] > 0)
    # b, t inactive and not intrinsic: zero
    np.testing.assert_array_equal(g[[IDX[5], IDX[-5], IDX[6], IDX[-6]]], 0.0)


def test_intrinsic_heavy_quark_is_frozen():
    f = toy_pdfs(GRID)
    f[IDX[5]] = f[IDX[-5]] = 0.01 * f[IDX[21]]
    g = _apply(_op(A0, A1, intrinsic=(5,)), f)
    # an intrinsic inactive flavour evolves with the identity (up to inversion rounding)
    np.testing.assert_allclose(g[IDX[5]], f[IDX[5]], rtol=1e-12)


def test_scale_variation_lo_is_trivial():
    # at LO the re-expanded anomalous dimensions do not depend on xir
    np.testing.assert_array_equal(_op(A0, A1, xir=2.0), _op(A0, A1))


def test_error_estimate():
    op, err = _op(A0, A1, return_error=True)
    assert err.shape == op.shape
    # the inversion error is far below the interpolation error (~1e-4): measured ~1e-9
    assert err.max() < 1e-6 * np.abs(op).max()


@pytest.mark.parametrize(
    "kw", [{"method": "decompose"}, {"order": 5}, {"a1": -1.0}, {"xir": 0.0}, {"nf": 7}]
)
def test_bad_arguments(kw):
    with pytest.raises(PhysicsError):
        _op(kw.pop("a0", A0), kw.pop("a1", A1), **kw)
