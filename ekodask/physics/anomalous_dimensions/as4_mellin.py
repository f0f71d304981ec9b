"""Exact Mellin transforms of the wider x-space basis of the four-loop parametrisations.

The FHMRUVV files (1707.08315, 2302.07593, 2307.04158, 2310.05744, 2404.09701, 2410.08089)
use x^k ln^a(x) ln^b(1-x) up to ln^6 x, ln^5(1-x) and ln x ln^2(1-x), beyond what
:class:`~.as3_mellin.MellinBasis` covers. As there, M[x^k ln^a x ln^b(1-x)](N) =
d^a/dz^a d^b/de^b B(z, 1+e) at e = 0, z = N + k. The e-derivatives give
Y_b(f_1..f_b)/z with Y_b the complete Bell polynomial and f_j = (-1)^j (j-1)! S_j(z);
the z-derivatives follow from f_j' = f_(j+1) + (-1)^j j! zeta_(j+1).
"""

from functools import cache
from math import comb, factorial

import numpy as np
import numpy.typing as npt

from ..constants import ZETA2, ZETA3, ZETA4, ZETA5
from ..harmonics import S5
from .as3_mellin import MellinBasis, _freeze

__all__ = ["MellinBasis4"]

_ZETA = {2: ZETA2, 3: ZETA3, 4: ZETA4, 5: ZETA5}
_JMAX = 5  # harmonic sums S_1..S_5 available: a + b <= 5
# a polynomial in f_1..f_JMAX (and a constant): {exponents tuple: coefficient}
_Poly = dict[tuple[int, ...], float]


def _poly_mul(p: _Poly, q: _Poly) -> _Poly:
    out: _Poly = {}
    for ep, cp in p.items():
        for eq, cq in q.items():
            e = tuple(i + j for i, j in zip(ep, eq, strict=True))
            out[e] = out.get(e, 0.0) + cp * cq
    return out


def _poly_add(p: _Poly, q: _Poly, fac: float = 1.0) -> _Poly:
    out = dict(p)
    for e, c in q.items():
        out[e] = out.get(e, 0.0) + fac * c
    return out


def _f(j: int) -> _Poly:
    return {tuple(int(i == j - 1) for i in range(_JMAX)): 1.0}


_ONE: _Poly = {(0,) * _JMAX: 1.0}


def _poly_deriv(p: _Poly) -> _Poly:
    """d/dz with f_j' = f_(j+1) + (-1)^j j! zeta_(j+1)."""
    out: _Poly = {}
    for e, c in p.items():
        for j in range(1, _JMAX + 1):
            power = e[j - 1]
            if power == 0:
                continue
            if j == _JMAX:
                raise NotImplementedError("needs harmonic sums beyond S_5")
            rest = {tuple(p_ - int(i == j - 1) for i, p_ in enumerate(e)): c * power}
            dfj = _poly_add(_f(j + 1), _ONE, (-1) ** j * factorial(j) * _ZETA[j + 1])
            out = _poly_add(out, _poly_mul(rest, dfj))
    return out


@cache
def _bell(b: int) -> tuple[tuple[tuple[int, ...], float], ...]:
    """Complete Bell polynomial Y_b(f_1..f_b): Y_(n+1) = sum_i C(n, i) Y_(n-i) f_(i+1)."""
    ys = [_ONE]
    for n in range(b):
        y: _Poly = {}
        for i in range(n + 1):
            y = _poly_add(y, _poly_mul(ys[n - i], _f(i + 1)), float(comb(n, i)))
        ys.append(y)
    return tuple(ys[b].items())


@cache
def _derivs(b: int, a: int) -> tuple[tuple[tuple[tuple[int, ...], float], ...], ...]:
    """(Y_b, Y_b', ..., Y_b^(a)) as polynomials in f_j."""
    out = [dict(_bell(b))]
    for _ in range(a):
        out.append(_poly_deriv(out[-1]))
    return tuple(tuple(p.items()) for p in out)


class MellinBasis4(MellinBasis):
    """:class:`MellinBasis` plus x^k ln^a x ln^b(1-x) for any a (b = 0) or a + b <= 5.

    n: complex array, any shape; kmin..kmax the powers x^k needed.
    """

    def __init__(self, n: npt.ArrayLike, kmin: int = -1, kmax: int = 4) -> None:
        super().__init__(n, kmin, kmax)
        s5 = S5(self.n + kmin)
        self._s5 = {kmin: s5}
        for k in range(kmin + 1, kmax + 1):
            s5 = s5 + 1.0 / (self.n + k) ** 5
            self._s5[k] = s5
        _freeze(*self._s5.values())
        self._cache4: dict[tuple[int, int, int], np.ndarray] = {}

    def power_log(self, k: int, a: int, b: int) -> np.ndarray:
        """M[x^k ln^a(x) ln^b(1-x)](N); k >= kmin + 1 when b > 0 (regular at z = 0 only then)."""
        if b == 0 or (a == 0 and b <= 4) or (b == 1 and a <= 2):
            if b == 0 and a > 4:
                return (-1) ** a * factorial(a) / (self.n + k) ** (a + 1)
            return super().power_log(k, a, b)
        key = (k, a, b)
        if key not in self._cache4:
            self._cache4[key] = _freeze(self._general(k, a, b))[0]
        return self._cache4[key]

    def _general(self, k: int, a: int, b: int) -> np.ndarray:
        if a + b > _JMAX or k < self.kmin + 1:
            raise NotImplementedError(f"no Mellin transform for x^{k} ln^{a}(x) ln^{b}(1-x)")
        z = self.n + k
        s = [*self.sums(k)[1:], self._s5[k]]
        f = [(-1) ** j * factorial(j - 1) * s[j - 1] for j in range(1, _JMAX + 1)]
        # d^a/dz^a [Y(z) / z] by Leibniz, (1/z)^(m) = (-1)^m m! / z^(m+1)
        res = np.zeros_like(z)
        for i, poly in enumerate(_derivs(b, a)):
            val = np.zeros_like(z)
            for e, c in poly:
                term = np.full_like(z, c)
                for j, p in enumerate(e):
                    if p:
                        term = term * f[j] ** p
                val = val + term
            m = a - i
            res = res + comb(a, i) * val * (-1) ** m * factorial(m) / z ** (m + 1)
        return res


# --- x-space terms of the parametrisations and their transform --------------------------
# A term (coef, k, a, b, r) is coef * x^k ln^a(x) ln^b(1-x) / (1-x)^r with r in (0, 1)
# (r = 1 only with b = 0: the ln^a(x)/(1-x) terms, regular at x = 1).
Term = tuple[float, int, int, int, int]
XPoly = dict[int, float]

ONE: XPoly = {0: 1.0}
X: XPoly = {1: 1.0}
Y1: XPoly = {0: 1.0, 1: -1.0}  # 1 - x
YM: XPoly = {-1: 1.0}  # 1/x


def pmul(*polys: XPoly) -> XPoly:
    """Product of polynomials in x (dicts power -> coefficient)."""
    out: XPoly = {0: 1.0}
    for p in polys:
        new: XPoly = {}
        for i, ci in out.items():
            for j, cj in p.items():
                new[i + j] = new.get(i + j, 0.0) + ci * cj
        out = new
    return out


def padd(*pairs: tuple[float, XPoly]) -> XPoly:
    """sum_i c_i p_i(x) for pairs (c_i, p_i)."""
    out: XPoly = {}
    for c, p in pairs:
        for k, v in p.items():
            out[k] = out.get(k, 0.0) + c * v
    return out


def term(coef: float, poly: XPoly = ONE, a: int = 0, b: int = 0, r: int = 0) -> list[Term]:
    """coef * poly(x) * ln^a(x) * ln^b(1-x) / (1-x)^r as a list of terms."""
    return [(coef * c, k, a, b, r) for k, c in poly.items()]


def scale(terms: list[Term], fac: float) -> list[Term]:
    """fac * terms."""
    return [(fac * c, k, a, b, r) for c, k, a, b, r in terms]


def transform(basis: MellinBasis4, terms: list[Term]) -> np.ndarray:
    """Exact Mellin transform of sum(terms) at basis.n."""
    coefs: dict[tuple[int, int, int, int], float] = {}
    for c, k, a, b, r in terms:
        coefs[(k, a, b, r)] = coefs.get((k, a, b, r), 0.0) + c
    res = np.zeros_like(basis.n)
    for (k, a, b, r), c in coefs.items():
        if c == 0.0:
            continue
        if r:
            res = res + c * basis.log_over_one_minus_x(k, a)
        else:
            res = res + c * basis.power_log(k, a, b)
    return res


def evaluate(terms: list[Term], x: npt.ArrayLike) -> np.ndarray:
    """sum(terms) at real x in (0, 1): the x-space function, for checks against the files."""
    x = np.asarray(x, dtype=float)
    lx, l1x = np.log(x), np.log1p(-x)
    res = np.zeros_like(x)
    for c, k, a, b, r in terms:
        res = res + c * x**k * lx**a * l1x**b / (1.0 - x) ** r
    return res
