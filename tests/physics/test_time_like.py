"""Time-like anomalous dimensions (ekodask.physics.anomalous_dimensions.time_like).

References: the momentum sum rule at N = 2; the authors' own N = 2 values printed beside the
general-N forms in amv1res.h (delta(N-2) terms) and the second moments of Moch-Vogt
arXiv:0709.3899 Eqs. (16)-(17) (file MV2res.h); LO = space-like LO (this package's as1);
the NLO time-like minus space-like difference of Mitov-Moch-Vogt hep-ph/0604053 (file
tlike-ns.h, x space); a numerical Mellin transform of the x-space P^T of amv1res.h; and the
space-like d^abc d_abc part of P_ns^(2) (hep-ph/0403192, parametrised in as3).
"""

import numpy as np
import pytest

from ekodask.physics.anomalous_dimensions import as1, as2, as3, time_like
from ekodask.physics.anomalous_dimensions.time_like import _amv_nspace as amv
from ekodask.physics.constants import CA, CF, ZETA2, ZETA3

from . import xspace_mellin, xspace_time_like_nlo, xspace_time_like_nnlo_param

N_COMPLEX = np.array([2.0, 3.0, 4.5, 10.0, 2.5 + 1.0j, 1.7 - 3.0j, 6.0 + 20.0j])
TWO = np.array([2.0 + 0j])


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_momentum_sum_rule(nf):
    # sum_a gamma^T_ai(2) = 0: columns of the file's matrix; (2 nf, 1) is a null vector of the
    # matrix acting on (D_Sigma, D_g)
    g = time_like.gamma_singlet_file(3, TWO, nf)[:, 0]
    scale = np.abs(g).max(axis=(1, 2))
    np.testing.assert_allclose(g.sum(axis=1) / scale[:, None], 0.0, atol=1e-12)
    e = time_like.gamma_singlet(3, TWO, nf)[:, 0]
    np.testing.assert_allclose((e @ np.array([2.0 * nf, 1.0])) / scale[:, None], 0.0, atol=1e-12)


def test_general_form_at_n2_matches_the_files_n2_values():
    # amv1res.h writes the N = 2 values apart (delta(N-2)); the general-N forms must reach them
    for nf in (3, 5):
        v = time_like.blocks(TWO, nf, even=True)
        for name in dir(amv):
            if name.endswith("_delta2"):
                general = getattr(amv, name.removesuffix("_delta2"))(v)
                np.testing.assert_allclose(general, getattr(amv, name)(v), rtol=1e-10)


@pytest.mark.parametrize("nf", [3, 4, 5])
def test_nnlo_second_moments(nf):
    # 0709.3899 Eqs. (16), (17) (MV2res.h pqq2tN2, pgg2tN2): P^(2)T_qq(2), P^(2)T_gg(2)
    z2, z3 = ZETA2, ZETA3
    pqq = (
        CF * CA * nf * (-55 / 81 + 512 / 9 * z3 - 296 / 27 * z2)
        + CF * CA**2 * (-20920 / 243 - 64 / 3 * z3)
        + CF**2 * nf * (-2281 / 81 - 64 / 9 * z3 + 32 / 9 * z2)
        + CF**2 * CA * (-6608 / 243 - 2464 / 9 * z3 + 2432 / 9 * z2 + 128 / 3 * z2**2)
        + CF**3 * (-54556 / 243 + 320 * z3 + 7264 / 27 * z2 - 256 * z2**2)
    )
    pgg = (
        CA * nf**2 * (2 / 27 + 64 / 9 * z3 - 160 / 27 * z2)
        + CA**2 * nf * (-6232 / 243 + 128 / 9 * z3 + 2132 / 27 * z2 - 160 / 3 * z2**2)
        + CF * nf**2 * (-41 / 9 + 128 / 27 * z2)
        + CF * CA * nf * (-2681 / 243 - 56 / 9 * z3 + 760 / 27 * z2)
        + CF**2 * nf * (-10570 / 243 + 32 / 9 * z3 + 352 / 27 * z2)
    )
    g = time_like.gamma_singlet_file(3, TWO, nf)[2, 0]
    np.testing.assert_allclose(g[0, 0].real, -pqq, rtol=1e-11)
    np.testing.assert_allclose(g[1, 1].real, -pgg, rtol=1e-11)


@pytest.mark.parametrize("nf", [3, 5])
def test_lo_equals_space_like_with_the_swap(nf):
    # P^(0)T_ij = P^(0)S_ij (file normalisation); on (D_Sigma, D_g) the off-diagonal entries
    # swap: qg <- 2 nf gq^S (C_F), gq <- qg^S / (2 nf) (T_R)
    space = as1.gamma_singlet(N_COMPLEX, nf)
    np.testing.assert_allclose(time_like.gamma_singlet_file(1, N_COMPLEX, nf)[0], space, rtol=1e-13)
    g = time_like.gamma_singlet(1, N_COMPLEX, nf)[0]
    np.testing.assert_allclose(g[..., 0, 0], space[..., 0, 0], rtol=1e-13)
    np.testing.assert_allclose(g[..., 1, 1], space[..., 1, 1], rtol=1e-13)
    np.testing.assert_allclose(g[..., 0, 1], 2.0 * nf * space[..., 1, 0], rtol=1e-13)
    np.testing.assert_allclose(g[..., 1, 0], space[..., 0, 1] / (2.0 * nf), rtol=1e-13)
    for kind in time_like.KINDS:
        g_ns = time_like.gamma_ns(1, kind, N_COMPLEX, nf)[0]
        np.testing.assert_allclose(g_ns, as1.gamma_ns(N_COMPLEX, nf), rtol=1e-13)


@pytest.mark.parametrize("n", [2.0, 3.0, 4.5])
def test_nlo_nonsinglet_time_minus_space_like(n):
    # P^(1)T_ns - P^(1)S_ns (tlike-ns.h diffP1ns, the same for + and -): checks the even (+)
    # and odd (-) continuations against this package's space-like as2
    nf = 4
    diff = -xspace_mellin.mellin(xspace_time_like_nlo.diff_ns1, n, nf)
    arr = np.array([n + 0j])
    plus = time_like.gamma_ns(2, "+", arr, nf)[1, 0].real - as2.gamma_nsp(arr, nf)[0].real
    minus = time_like.gamma_ns(2, "-", arr, nf)[1, 0].real - as2.gamma_nsm(arr, nf)[0].real
    np.testing.assert_allclose(plus, diff, rtol=1e-8)
    np.testing.assert_allclose(minus, diff, rtol=1e-8)


@pytest.mark.parametrize("n", [2.0, 3.0, 4.5])
def test_nlo_against_numerical_mellin_of_x_space(n):
    # the x-space P^T of amv1res.h (HPLs), integrated numerically
    nf = 4
    x = xspace_time_like_nlo
    arr = np.array([n + 0j])
    g = time_like.gamma_singlet_file(2, arr, nf)[:, 0].real
    ref = {
        (0, 0, 0): [x.pt_qq0], (0, 0, 1): [x.pt_qg0], (0, 1, 0): [x.pt_gq0], (0, 1, 1): [x.pt_gg0],
        (1, 0, 0): [x.pt_nsp1, x.pt_ps1], (1, 0, 1): [x.pt_qg1], (1, 1, 0): [x.pt_gq1],
        (1, 1, 1): [x.pt_gg1],
    }  # fmt: skip
    for (k, i, j), fns in ref.items():
        want = -sum(xspace_mellin.mellin(fn, n, nf) for fn in fns)
        np.testing.assert_allclose(g[k, i, j], want, rtol=1e-8)
    want_m = -xspace_mellin.mellin(x.pt_nsm1, n, nf)
    np.testing.assert_allclose(time_like.gamma_ns(2, "-", arr, nf)[1, 0].real, want_m, rtol=1e-8)
    want_ps = -xspace_mellin.mellin(x.pt_ps1, n, nf)
    np.testing.assert_allclose(time_like.gamma_ps(1, arr, nf)[0].real, want_ps, rtol=1e-8)


@pytest.mark.parametrize("nf", [3, 5])
def test_nnlo_singlet_against_the_authors_parametrisation(nf):
    # xpij2tp.f (x space, fitted to the exact results, "better than one part in thousand"),
    # Mellin-transformed numerically; relative to the largest entry: measured <= 8e-5
    p = xspace_time_like_nnlo_param
    for n in (2.0, 3.0, 6.0, 10.0):
        arr = np.array([n + 0j])
        g = time_like.gamma_singlet_file(3, arr, nf)[2, 0].real
        ours = np.array([time_like.gamma_ps(2, arr, nf)[0].real, g[0, 1], g[1, 0], g[1, 1]])
        fns = (p.p2t_ps, p.p2t_qg, p.p2t_gq, p.p2t_gg)
        ref = -np.array([xspace_mellin.mellin_param(f, n, nf) for f in fns])
        np.testing.assert_allclose(ours, ref, rtol=0, atol=2e-4 * np.abs(ref).max())


def test_nnlo_valence_sea_part_equals_space_like():
    # gamma^T(2)v - gamma^T(2)- (fl02 = nf, [dabc^2/n] = 5/18) against the space-like
    # P_ns^(2)s of hep-ph/0403192 Eq. (4.24) as parametrised in as3 (accuracy ~1e-4)
    n = np.array([3.0, 4.0, 5.0, 7.0, 2.5 + 1.0j, 4.0 - 3.0j])
    for nf in (3, 5):
        g = time_like.gamma_ns(3, "v", n, nf)[2] - time_like.gamma_ns(3, "-", n, nf)[2]
        np.testing.assert_allclose(g, as3.gamma_nss(n, nf), rtol=1e-4)
    nlo_v, nlo_m = time_like.gamma_ns(2, "v", n, 4), time_like.gamma_ns(2, "-", n, 4)
    np.testing.assert_allclose(nlo_v, nlo_m, rtol=0)


def test_shapes_and_refusals():
    n = np.array([[2.0, 3.0], [4.0 + 1j, 5.0]])
    assert time_like.gamma_ns(3, "v", n, 4).shape == (3, 2, 2)
    assert time_like.gamma_singlet(3, n, 4).shape == (3, 2, 2, 2, 2)
    with pytest.raises(ValueError, match="order"):
        time_like.gamma_ns(4, "+", n, 4)
    with pytest.raises(ValueError, match="kind"):
        time_like.gamma_ns(1, "s", n, 4)
    with pytest.raises(ValueError, match="order index"):
        time_like.gamma_ps(0, n, 4)
