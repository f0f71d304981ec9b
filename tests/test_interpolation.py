"""Tests of the Lagrange basis in ln x and its exact Mellin transform."""

import numpy as np
import pytest
from scipy.integrate import quad

from ekodask.errors import PhysicsError
from ekodask.interpolation import (
    lagrange_basis,
    lambert_xgrid,
    log_linear_xgrid,
    reshape_matrix,
    shifted_moments,
)

LHA_X = [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9]


@pytest.fixture(scope="module")
def grid():
    return log_linear_xgrid()


def test_default_grid_holds_lha_points(grid):
    assert grid.size == 58
    for x in LHA_X:
        # the table points are grid points (to rounding of the construction)
        np.testing.assert_allclose(np.min(np.abs(grid - x) / x), 0.0, atol=1e-12)
    assert grid[-1] == 1.0


def test_lambert_grid():
    g = lambert_xgrid(60, 1e-7)
    assert g[0] == 1e-7 and g[-1] == 1.0 and np.all(np.diff(g) > 0)
    # uniform in y = 5 (1 - x) - ln x by construction
    y = 5.0 * (1.0 - g) - np.log(g)
    np.testing.assert_allclose(np.diff(y), np.diff(y)[0], rtol=1e-10)


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5])
def test_delta_and_partition_of_unity(grid, degree):
    b = lagrange_basis(grid, degree)
    # p_j(x_k) = delta_jk by construction of Lagrange polynomials
    np.testing.assert_allclose(b(grid), np.eye(grid.size), atol=1e-13)
    x = np.geomspace(1e-7, 1.0, 777)
    # sum_j p_j = 1: Lagrange interpolation reproduces constants exactly
    np.testing.assert_allclose(b(x).sum(axis=0), 1.0, rtol=0, atol=1e-13)


def test_reproduces_log_polynomials(grid):
    b = lagrange_basis(grid, 4)
    x = np.geomspace(1e-7, 1.0, 501)
    for power in range(5):
        # degree-4 Lagrange interpolation in ln x is exact on polynomials of degree <= 4
        f = np.log(grid) ** power
        np.testing.assert_allclose(f @ b(x), np.log(x) ** power, rtol=1e-10, atol=1e-9)


def test_central_block_rule(grid):
    b = lagrange_basis(grid, 4)
    # interior areas: the area is second in its 5-point block (tie goes to the higher-x block)
    np.testing.assert_array_equal(b.blocks[1:-3], np.arange(1, grid.size - 4) - 1)
    assert b.blocks[0] == 0 and b.blocks[-1] == grid.size - 5
    b3 = lagrange_basis(grid, 3)
    # degree 3: the area is exactly central in its 4-point block
    np.testing.assert_array_equal(b3.blocks[1:-2], np.arange(1, grid.size - 3) - 1)


def test_basis_vanishes_outside(grid):
    b = lagrange_basis(grid, 4)
    np.testing.assert_array_equal(b(np.array([1e-9, 1.5])), 0.0)


@pytest.mark.parametrize("n", [1.0, 0.3 + 0j, 2.5 - 3j, -4.0 + 25j, 60.0 + 200j, 1e-9 + 0j])
def test_mellin_sum_rule(grid, n):
    b = lagrange_basis(grid, 4)
    total = b.mellin(np.array([n]))[:, 0].sum()
    # sum_j p_j = 1 on [x0, 1]  =>  sum_j p~_j(N) = (1 - x0^N) / N  (exact integral)
    expected = -np.expm1(n * np.log(grid[0])) / n
    np.testing.assert_allclose(total, expected, rtol=1e-12)


@pytest.mark.parametrize("n", [0.7 + 0j, 3.0 + 2j, -2.0 + 15j])
@pytest.mark.parametrize("j", [3, 30, 50, 57])
def test_mellin_against_quadrature(grid, n, j):
    b = lagrange_basis(grid, 4)
    logx = np.log(grid)
    expected = 0.0j
    support = [i for i in range(grid.size - 1) if b.blocks[i] <= j <= b.blocks[i] + 4]
    for i in support:  # the integrand is smooth on each area
        for part, unit in ((np.real, 1.0), (np.imag, 1j)):
            val = quad(
                lambda t, part=part: part(np.exp(n * t) * b(np.exp(t))[j]),
                logx[i],
                logx[i + 1],
                epsabs=0.0,
                epsrel=1e-12,
            )[0]
            expected += unit * val
    # definition p~_j(N) = int_0^1 x^(N-1) p_j(x) dx = int exp(N t) p_j(e^t) dt
    np.testing.assert_allclose(b.mellin(np.array([n]))[j, 0], expected, rtol=1e-11, atol=1e-300)


def test_shifted_moments_branches_agree():
    # both sides of the series/closed-form switch |z| = 1 must give the same function
    k = 4
    n = np.array([0.9999999, 1.0000001]) * np.exp(0.7j)
    g = shifted_moments(n, 0.3, 1.0, k)
    np.testing.assert_allclose(g[:, 0], g[:, 1], rtol=1e-6)
    # int_0^1 s^k ds = 1 / (k + 1) at N = 0
    np.testing.assert_allclose(
        shifted_moments(np.array([0.0]), 0.0, 1.0, k)[:, 0], 1.0 / np.arange(1, k + 2), rtol=1e-15
    )


@pytest.mark.parametrize("z", [0.3 + 0.2j, 0.9j, 1.1 + 0j, -0.99 + 0j, 3 - 4j, -5 + 1j, 1e-5j])
def test_shifted_moments_quadrature(z):
    got = shifted_moments(np.array([z]), 0.0, 1.0, 4)[:, 0]
    for k in range(5):
        # definition phi_k(z) = int_0^1 exp(-z s) s^k ds
        ref = quad(lambda s, k=k: (np.exp(-z * s) * s**k).real, 0, 1, epsabs=0, epsrel=1e-13)[0]
        ref += 1j * quad(lambda s, k=k: (np.exp(-z * s) * s**k).imag, 0, 1, epsabs=1e-300)[0]
        np.testing.assert_allclose(got[k], ref, rtol=1e-13)


def test_reshape_matrix(grid):
    np.testing.assert_allclose(reshape_matrix(grid, grid), np.eye(grid.size), atol=1e-13)
    sub = grid[::3]
    m = reshape_matrix(grid, sub)
    # new points on the old grid pick out exactly those values
    np.testing.assert_allclose(m, np.eye(grid.size)[::3], atol=1e-13)
    fine = np.geomspace(1e-7, 1, 100)
    f = np.log(grid) ** 2
    # quadratic in ln x is reproduced exactly by degree 4
    np.testing.assert_allclose(reshape_matrix(grid, fine) @ f, np.log(fine) ** 2, atol=1e-9)


@pytest.mark.parametrize(
    ("xgrid", "degree"),
    [([0.1, 0.5, 0.9], 1), ([0.1, 0.5, 1.0], 3), ([0.5, 0.1, 1.0], 1), ([0.0, 0.5, 1.0], 1)],
)
def test_bad_grids(xgrid, degree):
    with pytest.raises(PhysicsError):
        lagrange_basis(xgrid, degree)
