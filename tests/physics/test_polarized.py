"""Polarised anomalous dimensions (ekodask.physics.anomalous_dimensions.polarized).

References: first-moment theorems (conserved non-singlet axial currents; the Delta g anomaly,
Delta gamma_gg(1) = -beta, Delta gamma_qg(1) = 0 in MSbar: Altarelli-Ross, Phys. Lett. B212
(1988) 391; Mertig-van Neerven hep-ph/9506451; Moch-Vermaseren-Vogt arXiv:1409.5131 Sec. 4),
the textbook LO forms, the unpolarised kernels of this package (Delta P_ns^+ = P_ns^-), and a
numerical Mellin transform of the authors' independent x-space file dPij012Mx.h.
"""

import numpy as np
import pytest

from ekodask.physics import harmonics
from ekodask.physics.anomalous_dimensions import as1, as2, as3, polarized
from ekodask.physics.anomalous_dimensions.polarized import _mvv_nspace as mvv
from ekodask.physics.beta import beta
from ekodask.physics.constants import CA, CF, TR

from . import xspace_mellin, xspace_polarized_nlo, xspace_polarized_nnlo_param

N_COMPLEX = np.array([2.0, 3.0, 4.5, 10.0, 2.5 + 1.0j, 1.7 - 3.0j, 6.0 + 20.0j])


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("nf", [3, 4, 5])
def test_nonsinglet_plus_first_moment_vanishes(order, nf):
    # the non-singlet axial currents are conserved: Delta gamma_ns^+(N = 1) = 0 at every order
    g = polarized.gamma_ns(order, "+", np.array([1.0 + 0j]), nf)
    np.testing.assert_allclose(g[:, 0], 0.0, atol=1e-10)


def _limit_at_one(fn, eps: float = 1e-3):
    """lim_{N->1} of fn(array of N): Re fn(1 + i eps) = f(1) - f'' eps^2/2 + O(eps^4), with one
    Richardson step (the NNLO entries hold 1/(N-1) S(N-1) terms, 0/0 at N = 1 itself)."""
    r1 = fn(np.array([1.0 + 1j * eps])).real
    r2 = fn(np.array([1.0 + 0.5j * eps])).real
    return (4.0 * r2 - r1) / 3.0


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_singlet_first_moment_anomaly(nf):
    # Delta gamma_gg^(k)(1) = -beta_k and Delta gamma_qg^(k)(1) = 0 (MSbar), k = 0, 1, 2
    g = _limit_at_one(lambda n: polarized.gamma_singlet(3, n, nf)[:, 0])
    for k in range(3):
        np.testing.assert_allclose(g[k, 1, 1], -beta(k, nf), rtol=1e-8)
    v_one = polarized.blocks(np.array([1.0 + 0j]), nf)  # qg has no 1/(N-1) terms
    for p_qg in (mvv.p_qg0, mvv.p_qg1, mvv.p_qg2):
        np.testing.assert_allclose(p_qg(v_one), 0.0, atol=1e-10)


def test_nnlo_limit_n_to_1_matches_the_files_first_moment():
    # dPij012MN.h gives the N = 1 values of Delta P_gq^(2), Delta P_gg^(2) separately (theta(N-1)
    # plus delta(N-1) terms): the continuation of the general-N form must reach them
    for nf in (3, 5):
        v_one = polarized.blocks(np.array([1.0 + 0j]), nf)
        for name in ("gq2", "gg2"):
            fn = getattr(mvv, f"p_{name}")
            general = _limit_at_one(lambda n, fn=fn, nf=nf: fn(polarized.blocks(n, nf)))
            theta, delta = getattr(mvv, f"p_{name}_theta1"), getattr(mvv, f"p_{name}_delta1")
            at_one = theta(v_one) + delta(v_one)
            np.testing.assert_allclose(general, at_one.real, rtol=1e-8)


def test_lo_textbook_forms():
    # Altarelli-Parisi (1977): Delta gamma^(0) in a_s = alpha_s/(4 pi), gamma = -M[Delta P]
    n = N_COMPLEX
    nf = 4
    s1 = harmonics.S1(n)
    g = polarized.gamma_singlet(1, n, nf)[0]
    np.testing.assert_allclose(g[..., 0, 0], as1.gamma_ns(n, nf), rtol=1e-13)
    np.testing.assert_allclose(g[..., 0, 1], -4.0 * nf * TR * (n - 1) / (n * (n + 1)), rtol=1e-13)
    np.testing.assert_allclose(g[..., 1, 0], -2.0 * CF * (n + 2) / (n * (n + 1)), rtol=1e-13)
    gg = CA * (4.0 * s1 - 11.0 / 3.0 - 8.0 / (n * (n + 1))) + 4.0 / 3.0 * TR * nf
    np.testing.assert_allclose(g[..., 1, 1], gg, rtol=1e-13)
    for kind in polarized.KINDS:
        np.testing.assert_allclose(polarized.gamma_ns(1, kind, n, nf)[0], g[..., 0, 0], rtol=1e-14)


@pytest.mark.parametrize("nf", [3, 5])
def test_nlo_nonsinglet_equals_unpolarised_crossed(nf):
    # Delta P_ns^(1)+ = P_ns^(1)- (hep-ph/9506451, hep-ph/9512218): the file's expression
    # against this package's own closed-form Mellin transform of the unpolarised x-space kernel
    g = polarized.gamma_ns(2, "+", N_COMPLEX, nf)[1]
    np.testing.assert_allclose(g, as2.gamma_nsm(N_COMPLEX, nf), rtol=1e-10)
    # and Delta P_ns^(1)- = P_ns^(1)+ (taken from as2): "v" equals it, "+" differs (by the
    # (-1)^N part, which decays with N: compared at N = 2)
    g_m = polarized.gamma_ns(2, "-", N_COMPLEX, nf)[1]
    np.testing.assert_allclose(g_m, polarized.gamma_ns(2, "v", N_COMPLEX, nf)[1], rtol=0)
    assert abs(g_m[0] - g[0]) > 1e-2


def test_nnlo_nonsinglet_against_unpolarised_parametrisation():
    # Delta P_ns^(2)+ = P_ns^(2)- (1409.5131; xdPij2p.f header): exact N space against the
    # parametrisation of hep-ph/0403192 Eq. (4.23) in as3 (published accuracy ~1e-4)
    n = np.array([2.0, 3.0, 4.0, 6.0, 10.0, 2.5 + 1.0j, 4.0 - 6.0j])
    g = polarized.gamma_ns(3, "+", n, 4)[2]
    np.testing.assert_allclose(g, as3.gamma_nsm(n, 4), rtol=2e-4)


@pytest.mark.parametrize("n", [1.5, 2.0, 3.0, 4.5, 7.0])
def test_nlo_against_numerical_mellin_of_x_space(n):
    # dPij012Mx.h (x space, HPLs, Eqs. (5.5)-(5.16) of 1409.5131), integrated numerically
    nf = 4
    x = xspace_polarized_nlo
    ref = {
        (0, 0, 0): x.dp_qq0, (0, 0, 1): x.dp_qg0, (0, 1, 0): x.dp_gq0, (0, 1, 1): x.dp_gg0,
        (1, 0, 1): x.dp_qg1, (1, 1, 0): x.dp_gq1, (1, 1, 1): x.dp_gg1,
    }  # fmt: skip
    g = polarized.gamma_singlet(2, np.array([n + 0j]), nf)[:, 0].real
    for (k, i, j), fn in ref.items():
        np.testing.assert_allclose(g[k, i, j], -xspace_mellin.mellin(fn, n, nf), rtol=1e-8)
    ns = -xspace_mellin.mellin(x.dp_ns1, n, nf)
    ps = -xspace_mellin.mellin(x.dp_ps1, n, nf)
    g_ns = polarized.gamma_ns(2, "+", np.array([n]), nf)[1, 0].real
    np.testing.assert_allclose(g_ns, ns, rtol=1e-8)
    np.testing.assert_allclose(g[1, 0, 0], ns + ps, rtol=1e-8)
    np.testing.assert_allclose(polarized.gamma_ps(1, np.array([n]), nf)[0].real, ps, rtol=1e-8)


@pytest.mark.parametrize("nf", [3, 5])
def test_nnlo_singlet_against_the_authors_parametrisation(nf):
    # xdPij2p.f (x space, fitted to the exact results, "better than one part in a thousand"),
    # Mellin-transformed numerically; compared relative to the largest entry: measured <= 5e-5.
    # N = 1 (first moments) is reached as N = 1 + 1e-7 i (1/(N-1) S(N-1) terms at N = 1).
    p = xspace_polarized_nnlo_param
    for n in (1.0, 2.0, 3.0, 6.0, 10.0):
        arr = np.array([n + 1e-7j])
        g = polarized.gamma_singlet(3, arr, nf)[2, 0].real
        ours = np.array([polarized.gamma_ps(2, arr, nf)[0].real, g[0, 1], g[1, 0], g[1, 1]])
        ref = -np.array(
            [xspace_mellin.mellin_param(f, n, nf) for f in (p.dp2_ps, p.dp2_qg, p.dp2_gq, p.dp2_gg)]
        )
        np.testing.assert_allclose(ours, ref, rtol=0, atol=2e-4 * np.abs(ref).max())


def test_shapes_and_refusals():
    n = np.array([[2.0, 3.0], [4.0 + 1j, 5.0]])
    assert polarized.gamma_ns(3, "+", n, 4).shape == (3, 2, 2)
    assert polarized.gamma_singlet(3, n, 4).shape == (3, 2, 2, 2, 2)
    for kind in ("-", "v"):
        with pytest.raises(ValueError, match=r"1506\.04517"):
            polarized.gamma_ns(3, kind, n, 4)
    with pytest.raises(ValueError, match="order"):
        polarized.gamma_singlet(4, n, 4)
    with pytest.raises(ValueError, match="kind"):
        polarized.gamma_ns(1, "s", n, 4)
