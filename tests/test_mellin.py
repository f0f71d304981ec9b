"""Tests of the inverse Mellin transform on fixed Talbot nodes against analytic inverses."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import loggamma

from ekodask.errors import PhysicsError
from ekodask.interpolation import lagrange_basis, log_linear_xgrid
from ekodask.mellin import x_space_operator

GRID = log_linear_xgrid()
LOGX = np.log(GRID)
ONE = np.ones_like(GRID)

# (kernel K(N), input f on the grid, exact (k (x) f)(x), pole). The inputs are polynomials of
# degree <= 4 in ln x, which bases of degree >= 4 reproduce exactly, so only the inversion is
# tested. Inverses: M^-1[1/(N+m)] = x^m, M^-1[1/N^2] = -ln x, M^-1[1/(N-1)] = 1/x; the
# convolutions (k (x) f)(x) = int_x^1 dy/y k(x/y) f(y) done by hand.
CASES = {
    "1/N, f=1": (lambda n: 1 / n, ONE, -LOGX, 0),
    "1/N, f=ln x": (lambda n: 1 / n, LOGX, -(LOGX**2) / 2, 0),
    "1/(N+1), f=1": (lambda n: 1 / (n + 1), ONE, 1 - GRID, 0),
    "1/(N+2), f=ln x": (
        lambda n: 1 / (n + 2),
        LOGX,
        # int_x^1 (x/y)^2 ln y dy/y = ln x / 2 + (1 - x^2) / 4
        LOGX / 2 + (1 - GRID**2) / 4,
        0,
    ),
    "1/N^2, f=1": (lambda n: 1 / n**2, ONE, LOGX**2 / 2, 0),
    "1/(N-1), f=1": (lambda n: 1 / (n - 1), ONE, (1 - GRID) / GRID, 1),
    "1, f=ln^4 x": (lambda n: np.ones_like(n), LOGX**4, LOGX**4, 0),
}


@pytest.mark.parametrize("degree", [4, 5])
@pytest.mark.parametrize("name", list(CASES))
def test_analytic_inverses(name, degree):
    kernel, f, expected, pole = CASES[name]
    op = x_space_operator(kernel, GRID, degree, pole=pole)
    # all points but x = 1, whose row is zero by convention; measured <= 2e-10 (the 1/(N-1) case
    # loses digits to x^-1 on the contour), most ~1e-13
    np.testing.assert_allclose((op @ f)[:-1], expected[:-1], rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(op[-1], 0.0)


def test_identity_kernel():
    op = x_space_operator(lambda n: np.ones_like(n), GRID, 4, pole=0)
    # K = 1 maps every basis function to itself: identity (x = 1 row zero by convention);
    # rounding is amplified by exp(R_SCALE) ~ 1.6e5 on the contour, measured 2.5e-10
    np.testing.assert_allclose(op[:-1], np.eye(GRID.size)[:-1], atol=1e-9)


def test_triangular():
    basis = lagrange_basis(GRID, 4)
    op = x_space_operator(lambda n: 1 / (n + 0.5), GRID, 4, pole=0)
    # basis functions living entirely below x_a cannot reach x_a (convolution runs from x to 1)
    for a in range(GRID.size - 1):
        np.testing.assert_array_equal(op[a, : basis.blocks[a]], 0.0)


def test_stacked_kernel_axes():
    def kernel(n):
        return np.stack([[1 / n, 1 / (n + 1)], [1 / n**2, np.ones_like(n)]])

    op = x_space_operator(kernel, GRID, 4, pole=0)
    assert op.shape == (2, 2, GRID.size, GRID.size)
    # each entry equals the operator of its own scalar kernel
    np.testing.assert_allclose(
        op[1, 0], x_space_operator(lambda n: 1 / n**2, GRID, 4, pole=0), rtol=0, atol=1e-14
    )


def _beta_kernel(c):
    # M[(1 - x)^(c-1)](N) = B(N, c) = Gamma(N) Gamma(c) / Gamma(N + c): decays like N^-c, as an
    # evolution kernel does, with a pole at N = 0
    return lambda n: np.exp(loggamma(n) + loggamma(c) - loggamma(n + c))


@pytest.mark.parametrize("c", [0.6, 2.5])
def test_beta_kernel_against_quadrature(c):
    op = x_space_operator(_beta_kernel(c), GRID, 4, pole=0)
    got = op @ LOGX
    for a in [0, 10, 25, 30, 40, 50, 54, 56]:
        x = GRID[a]
        # (k (x) ln)(x) = int_x^1 dy/y (1 - x/y)^(c-1) ln y, by quadrature in z = x/y
        ref = quad(
            lambda z, x=x: np.log(x / z) / z,
            x,
            1,
            weight="alg",
            wvar=(0.0, c - 1.0),
            epsabs=0,
            epsrel=1e-12,
        )[0]
        np.testing.assert_allclose(got[a], ref, rtol=1e-8)


def test_error_estimate():
    op, err = x_space_operator(_beta_kernel(1.5), GRID, 4, pole=0, return_error=True)
    assert err.shape == op.shape
    fine = x_space_operator(_beta_kernel(1.5), GRID, 4, pole=0, n_nodes=160)
    # the default rule is within its own error estimate of a much finer one, up to rounding
    # (amplified by exp(R_SCALE) on the contour: ~1e-10)
    assert np.all(np.abs(op - fine) <= err + 1e-10)
    # and the estimate is useful: the operator entries are accurate to ~1e-7 or better
    assert err.max() < 1e-6


def test_bad_kernel_shape():
    with pytest.raises(PhysicsError):
        x_space_operator(lambda n: np.ones(3), GRID, 4, pole=0)


def test_both_rules_from_one_kernel_call_equal_each_rule_alone():
    # with return_error the kernel is called once on the nodes of both rules; every value is
    # then bitwise what a call on its own rule gives (the kernels are elementwise in N)
    from ekodask.mellin import N_NODES, _transform, talbot_plan

    calls = []

    def kernel(n):
        calls.append(n.size)
        return np.stack([np.exp(-0.3 * n) / (n + 1.0) ** 2, np.log(n + 2.0) / n])

    op, err = x_space_operator(kernel, GRID, 4, pole=0.0, return_error=True)
    fine = talbot_plan(GRID, 4, pole=0.0, n_nodes=N_NODES)
    coarse = talbot_plan(GRID, 4, pole=0.0, n_nodes=(2 * N_NODES) // 3)
    assert calls == [fine.nodes.size + coarse.nodes.size]
    alone = _transform(fine, kernel(fine.nodes.ravel().copy()))
    alone_coarse = _transform(coarse, kernel(coarse.nodes.ravel().copy()))
    np.testing.assert_array_equal(op, alone)
    np.testing.assert_array_equal(err, np.abs(alone - alone_coarse))
