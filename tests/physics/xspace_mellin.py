"""Numerical Mellin transforms of the authors' x-space results (test references).

The x-space expressions (``xspace_*_nlo.py``, transcribed by tools/form_to_python.py --x) are
written in harmonic polylogarithms of weight <= 2, 1/(1-x) (a +-distribution where it is not
integrable), 1/(1+x) and delta(1-x). :func:`mellin` integrates them with tanh-sinh quadrature
(vectorised, exact to ~1e-12 for the log end-point singularities here; Takahasi-Mori 1974),
:func:`mellin_param` the fitted parametrisations with scipy's quad.
"""

import numpy as np
from scipy.integrate import quad
from scipy.special import spence

from ekodask.physics import harmonics
from ekodask.physics.constants import CA, CF, ZETA2, ZETA3, ZETA4, ZETA5


def _li2(x):
    """Li_2(x) for real x <= 1 (scipy's spence(z) = Li_2(1 - z))."""
    return spence(1.0 - x)


def hpl(index: tuple[int, ...], x):
    """Harmonic polylogarithm H(index; x), 0 < x < 1, weight <= 2 (m-notation: 2 = (0, 1)).

    Remiddi-Vermaseren hep-ph/9905237: H(0) = ln x, H(1) = -ln(1-x), H(-1) = ln(1+x),
    H(0,0) = ln^2 x/2, H(1,1) = ln^2(1-x)/2, H(2) = Li_2(x), H(1,0) = -ln x ln(1-x) - Li_2(x),
    H(-1,0) = ln x ln(1+x) + Li_2(-x).
    """
    lx, l1, lp = np.log(x), np.log1p(-x), np.log1p(x)
    table = {
        (0,): lx,
        (1,): -l1,
        (-1,): lp,
        (0, 0): lx * lx / 2.0,
        (1, 1): l1 * l1 / 2.0,
        (2,): _li2(x),
        (1, 0): -lx * l1 - _li2(x),
        (-1, 0): lx * lp + _li2(-x),
    }
    return table[tuple(index)]


class XBlocks:
    """The symbols of the x-space files at x (array), for given values of the distributions."""

    ca, cf = CA, CF
    z2, z3, z4, z5 = ZETA2, ZETA3, ZETA4, ZETA5

    def __init__(self, x, nf: int, r1mx: float, delta: float) -> None:
        self.x, self.nf = x, float(nf)
        self.r1mx, self.delta = r1mx, delta
        self.r1px = 1.0 / (1.0 + x)

    def h(self, index: tuple[int, ...]):
        return hpl(index, self.x)


def _tanh_sinh(h: float = 1.0 / 64.0, tmax: float = 3.6):
    """Nodes x, 1 - x and weights of tanh-sinh quadrature on (0, 1), x = (1 + tanh u)/2,
    u = pi/2 sinh t; nodes closer than 1e-14 to x = 1 are dropped (their weight is ~1e-14)."""
    t = np.arange(-tmax, tmax + h / 2, h)
    u = np.pi / 2.0 * np.sinh(t)
    x, omx = 1.0 / (1.0 + np.exp(-2.0 * u)), 1.0 / (1.0 + np.exp(2.0 * u))
    w = h * np.pi / 4.0 * np.cosh(t) / np.cosh(u) ** 2
    keep = (omx > 1e-14) & (x > 1e-300)
    return x[keep], omx[keep], w[keep]


_NODES = _tanh_sinh()


def mellin(fn, n: float, nf: int) -> float:
    """int_0^1 x^(n-1) P(x) dx of an x-space result fn(v), with its +- and delta parts.

    P = R(x) + Q(x)/(1-x) + B delta(1-x), A = Q(1): the transform is
    int x^(n-1) [R + (Q - A)/(1-x)] dx - A S_1(n-1) + B.
    """

    def parts(x):
        r = fn(XBlocks(x, nf, 0.0, 0.0))
        q = fn(XBlocks(x, nf, 1.0, 0.0)) - r
        return r, q

    a = parts(np.array([1.0 - 1e-12]))[1][0]
    b = fn(XBlocks(0.5, nf, 0.0, 1.0)) - fn(XBlocks(0.5, nf, 0.0, 0.0))
    x, omx, w = _NODES
    r, q = parts(x)
    val = float(np.sum(w * x ** (n - 1.0) * (r + (q - a) / omx)))
    s1 = harmonics.S1(np.array([n - 1.0 + 0j]))[0].real
    return val - a * s1 + b


def mellin_param(fn, n: float, nf: int) -> float:
    """int_0^1 x^(n-1) P(x) dx for P = regular + B/(1-x)_+ + C delta(1-x) (xdPij2p.f form)."""
    _, b, c = fn(0.5, nf)

    def integrand(x: float) -> float:
        return x ** (n - 1.0) * fn(x, nf)[0] + b * (x ** (n - 1.0) - 1.0) / (1.0 - x)

    total = 0.0
    for lo, hi in ((0.0, 1e-4), (1e-4, 0.1), (0.1, 0.9), (0.9, 1.0)):
        val, err, *_ = quad(integrand, lo, hi, limit=200, epsabs=1e-10, epsrel=1e-10, full_output=1)
        assert err < 1e-6 * max(1.0, abs(val))
        total += val
    return total + c
