"""Inverse matching in N space: exact inverse and the truncated series, against the forward OMEs.

References: the product with the forward matching of ekodask.physics.ome (exact: the unit
matrix to rounding; expanded: the unit matrix up to O(a_s^order)), and the series written in
eko's doc/source/theory/Matching.rst (transcribed here with the block products).
"""

import numpy as np
import pytest

from ekodask.errors import PhysicsError
from ekodask.physics.matching_inverse import (
    identity_sectors,
    inverse_ome_sectors,
    invert_exact,
    invert_expanded,
    ome_coefficients,
    sector_product,
)
from ekodask.physics.ome import SECTORS, ome_sectors

N = np.array([1.5 + 0.5j, 2.0 + 4.0j, 7.0 - 3.0j, 0.8 + 12.0j])
RNG = np.random.default_rng(3)


def _random_sectors(scale):
    return {k: scale * (RNG.normal(size=N.shape) + 1j * RNG.normal(size=N.shape)) for k in SECTORS}


def _block(s, i):
    """The (g, Sigma, h+) 3x3 block and the (V, h-) diagonal of point i, as dense matrices."""
    m3 = np.array(
        [
            [s["gg"][i], s["gq"][i], s["gh"][i]],
            [0.0, s["ns"][i], 0.0],
            [s["hg"][i], s["hq"][i], s["hh_p"][i]],
        ]
    )
    return m3, np.diag([s["ns"][i], s["hh_m"][i]])


def test_sector_product_is_matrix_product():
    x, y = _random_sectors(1.0), _random_sectors(1.0)
    xy = sector_product(x, y)
    for i in range(N.size):
        for a, b, c in zip(_block(xy, i), _block(x, i), _block(y, i), strict=True):
            np.testing.assert_allclose(a, b @ c, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("intrinsic", [False, True])
@pytest.mark.parametrize("log_ratio", [0.0, 0.7])
def test_exact_inverse_is_inverse(intrinsic, log_ratio):
    a_s = 0.2 / (4 * np.pi)
    fwd = ome_sectors(3, N, 4, a_s, log_ratio, intrinsic)
    prod = sector_product(invert_exact(fwd), fwd)
    one = identity_sectors(N)
    for k in SECTORS:
        np.testing.assert_allclose(prod[k], one[k], rtol=0, atol=1e-13)


@pytest.mark.parametrize("order", [2, 3, 4])
def test_expanded_inverse_is_series(order):
    # A = 1 + sum_k a^k A^(k) with random A^(k) up to A^(3); B = expanded inverse
    coefficients = [_random_sectors(1.0) for _ in range(order - 1)]
    one = identity_sectors(N)
    worst = []
    for a in (1e-3, 2e-3):
        fwd = {
            k: one[k] + sum(a ** (m + 1) * c[k] for m, c in enumerate(coefficients))
            for k in SECTORS
        }
        prod = sector_product(invert_expanded(coefficients, a), fwd)
        worst.append(max(np.abs(prod[k] - one[k]).max() for k in SECTORS))
    # B A - 1 = O(a^order): doubling a multiplies it by 2^order
    np.testing.assert_allclose(np.log2(worst[1] / worst[0]), order, atol=0.05)


def test_expanded_inverse_is_eko_formula():
    a1, a2, a3 = (_random_sectors(1.0) for _ in range(3))
    a = 0.03
    p = sector_product
    one = identity_sectors(N)
    # eko Matching.rst: 1 - a A1 + a^2 (-A2 + A1^2) + a^3 (-A3 + A1 A2 + A2 A1 - A1^3)
    sq, a12, a21, cube = p(a1, a1), p(a1, a2), p(a2, a1), p(a1, p(a1, a1))
    ref = {
        k: one[k] - a * a1[k] + a**2 * (sq[k] - a2[k]) + a**3 * (-a3[k] + a12[k] + a21[k] - cube[k])
        for k in SECTORS
    }
    got = invert_expanded([a1, a2, a3], a)
    for k in SECTORS:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("intrinsic", [False, True])
def test_ome_coefficients_rebuild_ome(intrinsic):
    a_s, log_ratio = 0.02, 0.3
    coefficients = ome_coefficients(3, N, 4, log_ratio, intrinsic)
    fwd = ome_sectors(3, N, 4, a_s, log_ratio, intrinsic)
    one = identity_sectors(N)
    for k in SECTORS:
        rebuilt = one[k] + sum(a_s ** (m + 1) * c[k] for m, c in enumerate(coefficients))
        np.testing.assert_allclose(rebuilt, fwd[k], rtol=1e-13, atol=1e-16)


def test_inverse_ome_sectors_methods():
    a_s, log_ratio = 0.02, 0.0
    exact = inverse_ome_sectors(3, N, 4, a_s, log_ratio, False, "exact")
    expanded = inverse_ome_sectors(3, N, 4, a_s, log_ratio, False, "expanded")
    # at mu_h = m_h without intrinsic charm A^(1) = 0, so A = 1 + a^2 A2 and
    # exact - expanded = (1 + B)^-1 - (1 - B) = sum_{m>=2} (-B)^m, B = a^2 A2 (Neumann series)
    (a1, a2) = ome_coefficients(3, N, 4, log_ratio, False)
    assert all(np.abs(a1[k]).max() == 0.0 for k in SECTORS)
    b = {k: a_s**2 * v for k, v in a2.items()}
    power, ref = b, {k: np.zeros_like(v) for k, v in b.items()}
    for m in range(2, 14):
        power = sector_product(b, power)
        ref = {k: ref[k] + (-1) ** m * power[k] for k in SECTORS}
    sq = sector_product(b, b)
    for k in SECTORS:
        np.testing.assert_allclose(exact[k] - expanded[k], ref[k], rtol=0, atol=1e-15)
        assert np.abs(sq[k]).max() < 5e-4  # the size of the difference at these N
    lo = inverse_ome_sectors(1, N, 4, a_s, log_ratio, False, "exact")
    for k, v in identity_sectors(N).items():
        np.testing.assert_array_equal(lo[k], v)
    with pytest.raises(PhysicsError, match="inversion_method"):
        inverse_ome_sectors(3, N, 4, a_s, log_ratio, False, "approximate")
