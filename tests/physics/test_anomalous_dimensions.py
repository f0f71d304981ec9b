"""Tests of the stacked anomalous-dimension interface."""

import numpy as np
import pytest

from ekodask.physics import anomalous_dimensions as ad
from ekodask.physics.anomalous_dimensions import as1, as2

N = np.array([[1.5 + 2.0j, 3.0 - 1.0j, 0.7 + 9.0j], [2.0 + 0.0j, 10.0 + 3.0j, -3.5 + 6.0j]])


@pytest.mark.parametrize("order", [1, 2])
def test_shapes_and_entries(order):
    g = ad.gamma_singlet(order, N, 4)
    assert g.shape == (order, *N.shape, 2, 2)
    np.testing.assert_allclose(g[0], as1.gamma_singlet(N, 4), rtol=1e-14, atol=0)
    for kind, fn2 in (("+", as2.gamma_nsp), ("-", as2.gamma_nsm), ("v", as2.gamma_nsv)):
        ns = ad.gamma_ns(order, kind, N, 4)
        assert ns.shape == (order, *N.shape)
        np.testing.assert_allclose(ns[0], as1.gamma_ns(N, 4), rtol=1e-14, atol=0)
        if order > 1:
            np.testing.assert_allclose(ns[1], fn2(N, 4), rtol=1e-14, atol=0)
    if order > 1:
        np.testing.assert_allclose(g[1], as2.gamma_singlet(N, 4), rtol=1e-14, atol=0)


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
def test_conservation_stacked(nf):
    # quark number (n = 1) and momentum (n = 2) conservation at LO and NLO
    for kind in ("-", "v"):
        np.testing.assert_allclose(ad.gamma_ns(2, kind, 1.0, nf), 0, rtol=0, atol=1e-10)
    g = ad.gamma_singlet(2, 2.0, nf)
    np.testing.assert_allclose(g[:, 0, 0] + g[:, 1, 0], 0, rtol=0, atol=1e-10)
    np.testing.assert_allclose(g[:, 0, 1] + g[:, 1, 1], 0, rtol=0, atol=1e-10)


def test_valence_equals_minus_below_nnlo():
    # gamma_ns,v = gamma_ns,- + gamma_ns,s and the sea part starts at three loops
    np.testing.assert_allclose(
        ad.gamma_ns(2, "v", N, 5), ad.gamma_ns(2, "-", N, 5), rtol=1e-15, atol=0
    )


def test_nnlo_uses_as3():
    as3 = pytest.importorskip("ekodask.physics.anomalous_dimensions.as3")
    g = ad.gamma_singlet(3, N, 4)
    assert g.shape == (3, *N.shape, 2, 2)
    np.testing.assert_allclose(g[2], as3.gamma_singlet(N, 4), rtol=1e-14, atol=0)
    np.testing.assert_allclose(g[1], as2.gamma_singlet(N, 4), rtol=1e-14, atol=0)
    np.testing.assert_allclose(ad.gamma_ns(3, "v", N, 4)[2], as3.gamma_nsv(N, 4), rtol=1e-14)


def test_bad_arguments():
    with pytest.raises(ValueError, match="order"):
        ad.gamma_ns(0, "+", N, 4)
    with pytest.raises(ValueError, match="kind"):
        ad.gamma_ns(2, "x", N, 4)
    with pytest.raises(ValueError, match="order"):
        ad.gamma_singlet(5, N, 4)
