"""The evolution integrals j^(k,n) against numerical quadrature and eko's written formulas."""

import numpy as np
import pytest
from scipy.integrate import quad

from ekodask.errors import PhysicsError
from ekodask.physics.beta import b, beta
from ekodask.physics.evolution_integrals import j_exact, j_expanded

A0, A1 = 0.35 / (4 * np.pi), 0.0093  # LHA start and roughly a_s(1e4 GeV^2)


def _beta_sum(a, order, nf):
    return sum(beta(i, nf) * a ** (i + 2) for i in range(order))


@pytest.mark.parametrize("nf", [3, 4, 5, 6])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_j_exact_vs_quadrature(order, nf):
    for k in range(order):
        # definition j^(k,n) = int_a0^a1 a^(k+1) / sum_i beta_i a^(i+2) da (nf = 6: 4 b2 < b1^2)
        ref = quad(
            lambda a, k=k: a ** (k + 1) / _beta_sum(a, order, nf), A0, A1, epsabs=0, epsrel=1e-13
        )[0]
        np.testing.assert_allclose(j_exact(k, order, nf, A1, A0), ref, rtol=1e-12)
        # backward: the integral changes sign
        np.testing.assert_allclose(j_exact(k, order, nf, A0, A1), -ref, rtol=1e-12)
    with pytest.raises(PhysicsError):
        j_exact(order, order, nf, A1, A0)
    with pytest.raises(PhysicsError):
        j_expanded(order, order, nf, A1, A0)


def _doc_expanded(k, order, nf, a1, a0):
    """The expanded integrals as written in eko's doc/source/theory/DGLAP.rst (transcribed)."""
    b0, b1, b2, b3 = beta(0, nf), b(1, nf), b(2, nf), b(3, nf)
    j00 = np.log(a1 / a0) / b0
    d1, d2, d3 = a1 - a0, a1**2 - a0**2, a1**3 - a0**3
    if order == 1:
        js = [j00]
    elif order == 2:
        j11 = d1 / b0
        js = [j00 - b1 * j11, j11]
    elif order == 3:
        j22 = d2 / (2 * b0)
        j12 = (d1 - b1 / 2 * d2) / b0
        js = [j00 - b1 * j12 - b2 * j22, j12, j22]
    else:
        j33 = d3 / (3 * b0)
        j23 = (d2 / 2 - b1 / 3 * d3) / b0
        j13 = (d1 - b1 / 2 * d2 + (b1**2 - b2) / 3 * d3) / b0
        js = [j00 - b1 * j13 - b2 * j23 - b3 * j33, j13, j23, j33]
    return js[k]


@pytest.mark.parametrize("nf", [3, 5])
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_j_expanded_is_eko_formula(order, nf):
    for k in range(order):
        np.testing.assert_allclose(
            j_expanded(k, order, nf, A1, A0), _doc_expanded(k, order, nf, A1, A0), rtol=1e-13
        )


@pytest.mark.parametrize("order", [2, 3, 4])
def test_j_expanded_differs_at_next_power(order):
    nf = 4
    for k in range(order):
        diffs = []
        for lam in (0.01, 0.02):
            # a0, a1 scaled at fixed ratio: exact - expanded keeps only powers >= a^order
            a0, a1 = lam * A0, lam * A1
            diffs.append(abs(j_exact(k, order, nf, a1, a0) - j_expanded(k, order, nf, a1, a0)))
        np.testing.assert_allclose(np.log2(diffs[1] / diffs[0]), order, atol=0.02)
    # LO: identical
    assert j_expanded(0, 1, nf, A1, A0) == j_exact(0, 1, nf, A1, A0)
