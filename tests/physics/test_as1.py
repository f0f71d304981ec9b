"""Tests of the LO anomalous dimensions."""

import numpy as np
import pytest
from scipy.integrate import quad

from ekodask.physics.anomalous_dimensions import as1
from ekodask.physics.constants import CA, CF, TR

NFS = [3, 4, 5, 6]


def mellin(fn, n: float) -> float:
    """Numerical int_0^1 x^(n-1) fn(x) dx."""
    return quad(lambda x: x ** (n - 1) * fn(x), 0, 1, epsabs=1e-13, epsrel=1e-13)[0]


@pytest.mark.parametrize("nf", NFS)
def test_conservation(nf):
    # quark number gamma_ns(1) = 0; momentum sum rules at n = 2 (e.g. hep-ph/0404111 Sec. 2)
    np.testing.assert_allclose(as1.gamma_ns(1.0, nf), 0, rtol=0, atol=1e-13)
    g = as1.gamma_singlet(np.array([2.0]), nf)[0]
    np.testing.assert_allclose(g[0, 0] + g[1, 0], 0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(g[0, 1] + g[1, 1], 0, rtol=0, atol=1e-12)


def test_known_moments():
    # gamma_qq^(0)(2) = 8/3 C_F and the eigenvalues of the n = 2 singlet matrix are
    # 0 and 8/3 C_F + 4/3 T_R nf (Gross-Wilczek; a_s normalisation)
    np.testing.assert_allclose(as1.gamma_ns(2.0, 4), 8 / 3 * CF, rtol=1e-14, atol=0)
    g = as1.gamma_singlet(np.array(2.0 + 0j), 4)
    ev = np.sort(np.linalg.eigvals(g).real)
    np.testing.assert_allclose(ev, [0.0, 8 / 3 * CF + 4 / 3 * TR * 4], rtol=0, atol=1e-12)


@pytest.mark.parametrize("n", [1.7, 3.0, 6.4])
def test_vs_x_space(n):
    # -Mellin of the LO splitting functions (a_s normalisation, hep-ph/0404111 Sec. 4 at LO):
    # P_ns = C_F [4/(1-x)_+ - 2(1+x) + 3 delta(1-x)], P_qg = 4 T_R nf (x^2 + (1-x)^2),
    # P_gq = 2 C_F (1 + (1-x)^2)/x, P_gg = C_A [4/(1-x)_+ + 4/x - 8 + 4x - 4x^2] + beta_0 delta
    nf = 5
    plus = quad(lambda x: (x ** (n - 1) - 1) / (1 - x), 0, 1, epsabs=1e-13, epsrel=1e-13)[0]
    p_ns = CF * (4 * plus + mellin(lambda x: -2 * (1 + x), n) + 3)
    np.testing.assert_allclose(as1.gamma_ns(n, nf), -p_ns, rtol=1e-10, atol=0)
    p_qg = mellin(lambda x: 4 * TR * nf * (x**2 + (1 - x) ** 2), n)
    np.testing.assert_allclose(as1.gamma_qg(n, nf), -p_qg, rtol=1e-10, atol=0)
    p_gq = mellin(lambda x: 2 * CF * (1 + (1 - x) ** 2) / x, n)
    np.testing.assert_allclose(as1.gamma_gq(n, nf), -p_gq, rtol=1e-10, atol=0)
    beta0 = 11 / 3 * CA - 4 / 3 * TR * nf
    p_gg = CA * (4 * plus + mellin(lambda x: 4 / x - 8 + 4 * x - 4 * x**2, n)) + beta0
    np.testing.assert_allclose(as1.gamma_gg(n, nf), -p_gg, rtol=1e-10, atol=0)


def test_singlet_shape_and_cache():
    n = np.linspace(1.5, 9, 12).reshape(3, 4) + 1j
    g = as1.gamma_singlet(n, 3)
    assert g.shape == (3, 4, 2, 2)
    np.testing.assert_allclose(g[..., 1, 1], as1.gamma_gg(n, 3), rtol=1e-15, atol=0)
    # complex conjugation symmetry of a real kernel: gamma(n*) = gamma(n)*
    np.testing.assert_allclose(as1.gamma_singlet(n.conj(), 3), g.conj(), rtol=1e-14, atol=0)
