"""Harmonic sums continued to complex Mellin n, and the complex polygamma functions.

All functions are vectorised over complex numpy arrays ``n`` of any shape. Alternating sums
take ``even``: the continuation from even (eta = (-1)^n = +1) or odd (eta = -1) integers,
Glück-Reya-Vogt, Z. Phys. C48 (1990) 471.
"""

import re
from fractions import Fraction
from functools import cache
from math import comb, factorial

import numpy as np
import numpy.typing as npt

from .constants import EULER_GAMMA, LN2, ZETA2, ZETA3, ZETA4, ZETA5

__all__ = [
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S21",
    "S",
    "Sm1",
    "Sm2",
    "Sm3",
    "Sm4",
    "Sm5",
    "Sm21",
    "SumCache",
    "bernoulli",
    "eta",
    "polygamma",
    "single_sum",
]

CArray = npt.NDArray[np.complex128]

_ZETA = {2: ZETA2, 3: ZETA3, 4: ZETA4, 5: ZETA5}
# below this real part the polygamma argument is shifted up before the asymptotic series
_PSI_SHIFT_TO = 15.0
_PSI_TERMS = 10  # Bernoulli terms B_2 .. B_20: ~1e-18 relative at |z| >= 15 for k <= 5
# from this |Im z| on the series is used without the shift: the poles on the negative axis are
# then ~exp(-2 pi 15) away, and the series agrees with the reflection formula to < 5e-15 (k <= 5)
# where a shift from far left would lose digits to cancellation; the Talbot arms reach
# Re N ~ -3000 at large x, so this turns ~1000 recurrence steps per call into ~100.
_PSI_FAR = 15.0


@cache
def _bernoulli_upto(m: int) -> tuple[Fraction, ...]:
    """B_0 .. B_m from the recurrence sum_{k<=j} C(j+1, k) B_k = 0, exact."""
    b = [Fraction(1)]
    for j in range(1, m + 1):
        b.append(-sum(Fraction(comb(j + 1, k)) * b[k] for k in range(j)) / (j + 1))
    return tuple(b)


def bernoulli(m: int) -> Fraction:
    """Bernoulli number B_m (B_1 = -1/2), exact."""
    return _bernoulli_upto(max(int(m), 30))[m]


_B2J = [float(bernoulli(2 * j)) for j in range(1, 16)]  # B_2, B_4, ..., B_30


def _as_complex(n) -> CArray:
    return np.asarray(n, dtype=np.complex128)


def shift_sum(
    z: CArray, target: float, term, far: float | None = None
) -> tuple[CArray, CArray, npt.NDArray[np.int64]]:
    """Shift z up by integers m >= 0 until Re(z + m) >= target; return (z + m, sum, m).

    ``sum`` is sum_{i=0}^{m-1} term(z + i), element-wise, computed only where needed.
    Elements with |Im z| >= ``far`` (when given) are not shifted.
    """
    m = _shift_counts(z, target, far)
    acc = np.zeros_like(z)
    flat_z, flat_m, flat_acc = z.ravel(), m.ravel(), acc.reshape(-1)
    order = np.argsort(-flat_m, kind="stable")
    counts = np.bincount(flat_m, minlength=1)
    # number of elements with m > i, for i = 0 .. max(m)-1: they form a prefix of `order`
    active = flat_m.size - np.cumsum(counts)
    zs = flat_z[order]
    part = np.zeros_like(zs)
    for i, cnt in enumerate(active[:-1]):
        part[:cnt] += term(zs[:cnt] + i)
    flat_acc[order] = part
    return z + m, acc.reshape(z.shape), m


def _shift_counts(z: CArray, target: float, far: float | None) -> npt.NDArray[np.int64]:
    """Integer shifts m >= 0 with Re(z + m) >= target; 0 where |Im z| >= far (if given)."""
    m = np.maximum(np.ceil(target - z.real), 0).astype(np.int64)
    if far is not None:
        m = np.where(np.abs(z.imag) >= far, 0, m)
    return m


def polygamma(k: int, z) -> CArray:
    """Polygamma psi_k(z) = d^(k+1)/dz^(k+1) ln Gamma(z) for complex z, k = 0..5 (and beyond).

    Upward recurrence to Re z >= 15 (only where |Im z| < 15), then the Bernoulli asymptotic
    series (Kölbig, Comput. Phys. Commun. 4 (1972) 221; Abramowitz-Stegun 6.3.18, 6.4.11).
    """
    return _polygamma(k, _as_complex(z), _PSI_FAR)


def polygamma_reference(k: int, z) -> CArray:
    """Slow reference for :func:`polygamma`: the recurrence to Re z >= 15 everywhere.

    Kept for the tests (the fast form must agree with it where its long sums do not cancel).
    """
    return _polygamma(k, _as_complex(z), None)


def _polygamma(k: int, z: CArray, far: float | None) -> CArray:
    sign = -1.0 if k % 2 else 1.0  # (-1)^k
    kf = float(factorial(k))
    # psi_k(z) = psi_k(z + 1) - (-1)^k k! / z^(k+1)
    zz, acc, _ = shift_sum(z, _PSI_SHIFT_TO, lambda w: -sign * kf / w ** (k + 1), far)
    inv = 1.0 / zz
    inv2 = inv * inv
    # Horner in 1/z^2 for sum_j c_j / z^(2j)
    if k == 0:
        coeffs = [b / (2 * j) for j, b in enumerate(_B2J[:_PSI_TERMS], start=1)]
    else:
        coeffs = [
            b * factorial(2 * j + k - 1) / factorial(2 * j)
            for j, b in enumerate(_B2J[:_PSI_TERMS], start=1)
        ]
    ser = np.zeros_like(zz)
    for c in reversed(coeffs):
        ser = (ser + c) * inv2
    if k == 0:
        asym = np.log(zz) - 0.5 * inv - ser
    else:
        asym = -sign * (factorial(k - 1) * inv**k + 0.5 * kf * inv ** (k + 1) + ser * inv**k)
    return asym + acc


def _positive(m: int, n: CArray) -> CArray:
    """S_m(n) = (-1)^(m-1)/(m-1)! psi_(m-1)(n+1) + zeta(m) (gamma_E for m = 1)."""
    if m == 1:
        return polygamma(0, n + 1.0) + EULER_GAMMA
    return (-1.0) ** (m - 1) / factorial(m - 1) * polygamma(m - 1, n + 1.0) + _ZETA[m]


def eta(even: bool) -> float:
    """Continuation of (-1)^n: +1 from even, -1 from odd integers."""
    return 1.0 if even else -1.0


def _alternating(m: int, n: CArray, even: bool) -> CArray:
    """S_{-m}(n) = eta 2^-m [S_m(n/2) - S_m((n-1)/2)] - d_m, d_1 = ln 2, d_m = (1-2^(1-m)) zeta_m.

    Glück-Reya-Vogt, Z. Phys. C48 (1990) 471.
    """
    d = LN2 if m == 1 else (1.0 - 2.0 ** (1 - m)) * _ZETA[m]
    # S_m(n/2) - S_m((n-1)/2) as a polygamma difference: the constants cancel
    c = (-1.0) ** (m - 1) / factorial(m - 1)
    diff = c * (polygamma(m - 1, n / 2.0 + 1.0) - polygamma(m - 1, (n + 1.0) / 2.0))
    return eta(even) * 2.0 ** (-m) * diff - d


def single_sum(m: int, n, even: bool = True) -> CArray:
    """S_m(n) for m = 1..5 or S_{-|m|}(n) for m = -1..-5 (``even`` only matters for m < 0)."""
    n = _as_complex(n)
    if m > 0:
        return _positive(m, n)
    return _alternating(-m, n, even)


def S1(n) -> CArray:
    """S_1(n) = psi(n+1) + gamma_E."""
    return _positive(1, _as_complex(n))


def S2(n) -> CArray:
    """S_2(n) = zeta_2 - psi_1(n+1)."""
    return _positive(2, _as_complex(n))


def S3(n) -> CArray:
    """S_3(n) = zeta_3 + psi_2(n+1)/2."""
    return _positive(3, _as_complex(n))


def S4(n) -> CArray:
    """S_4(n) = zeta_4 - psi_3(n+1)/6."""
    return _positive(4, _as_complex(n))


def S5(n) -> CArray:
    """S_5(n) = zeta_5 + psi_4(n+1)/24."""
    return _positive(5, _as_complex(n))


def Sm1(n, even: bool) -> CArray:
    """S_{-1}(n) = sum_j (-1)^j / j."""
    return _alternating(1, _as_complex(n), even)


def Sm2(n, even: bool) -> CArray:
    """S_{-2}(n) = sum_j (-1)^j / j^2."""
    return _alternating(2, _as_complex(n), even)


def Sm3(n, even: bool) -> CArray:
    """S_{-3}(n) = sum_j (-1)^j / j^3."""
    return _alternating(3, _as_complex(n), even)


def Sm4(n, even: bool) -> CArray:
    """S_{-4}(n) = sum_j (-1)^j / j^4."""
    return _alternating(4, _as_complex(n), even)


def Sm5(n, even: bool) -> CArray:
    """S_{-5}(n) = sum_j (-1)^j / j^5."""
    return _alternating(5, _as_complex(n), even)


# ---------------------------------------------------------------------------------------------
# Nested sums S_{a1,...,ak}(n) = sum_{j=1}^n sign(a1)^j j^-|a1| S_{a2,...,ak}(j), continued to
# complex n. Method: an asymptotic expansion in 1/n and ln n valid at large |n| (separately for
# the smooth and the (-1)^n parts), built index by index with the Euler-Maclaurin formula
#   sum_{k<=N} f(k) = C + int^N f + f(N)/2 + sum_j B_2j/(2j)! f^(2j-1)(N)
# and its alternating (Boole) analogue
#   sum_{k<=N} (-1)^k f(k) = C + (-1)^N [f(N)/2 + sum_j (2^2j - 1) B_2j/(2j)! f^(2j-1)(N)],
# with the constant C fixed by a direct sum at an integer; smaller |n| are reached with the
# recurrence S(n) = S(n+1) - sign(a1)^(n+1) (n+1)^-|a1| S_{a2..}(n+1). With (-1)^n -> eta fixed
# this is the continuation of Glück-Reya-Vogt Z. Phys. C48 (1990) 471 / Blümlein-Kurth
# hep-ph/9810241 (analytic in n, polynomially bounded, from the even or odd integers).
# ---------------------------------------------------------------------------------------------

_P_MAX = 26  # highest power of 1/n kept in the asymptotic series
_NESTED_SHIFT_TO = 20.0  # real part reached with the recurrence before the series is used
_N_CONST = 60  # integer where the constant of each sum is fixed by direct summation
_NESTED_FAR = 20.0  # |Im n| from which the series is used without the recurrence (see _PSI_FAR)

Series = dict[tuple[int, int], float]  # (p, q) -> coefficient of n^-p ln^q n


def _add(acc: Series, ser: Series, fac: float = 1.0) -> None:
    for key, val in ser.items():
        acc[key] = acc.get(key, 0.0) + fac * val


def _times_power(ser: Series, a: int) -> Series:
    return {(p + a, q): v for (p, q), v in ser.items() if p + a <= _P_MAX + 1}


def _deriv(ser: Series) -> Series:
    out: Series = {}
    for (p, q), v in ser.items():
        if p + 1 > _P_MAX + 1:
            continue
        if p:
            out[(p + 1, q)] = out.get((p + 1, q), 0.0) - p * v
        if q:
            out[(p + 1, q - 1)] = out.get((p + 1, q - 1), 0.0) + q * v
    return out


def _antideriv(ser: Series) -> Series:
    """Term-wise antiderivative in n (no constant); needs p >= 1."""
    out: Series = {}
    for (p, q), v in ser.items():
        if p == 1:
            out[(0, q + 1)] = out.get((0, q + 1), 0.0) + v / (q + 1)
            continue
        # int n^-p L^q = n^(1-p) L^q/(1-p) - q/(1-p) int n^-p L^(q-1)
        fac = v
        for qq in range(q, -1, -1):
            out[(p - 1, qq)] = out.get((p - 1, qq), 0.0) + fac / (1 - p)
            fac *= -qq / (1 - p)
    return out


def _boundary_terms(f: Series, alternating: bool) -> Series:
    """f/2 + sum_j c_j f^(2j-1), c_j = B_2j/(2j)! (times 2^2j - 1 if alternating)."""
    out: Series = {}
    _add(out, f, 0.5)
    d = f
    for j in range(1, _P_MAX // 2 + 2):
        d = _deriv(d)
        cj = float(bernoulli(2 * j)) / factorial(2 * j)
        if alternating:
            cj *= 2.0 ** (2 * j) - 1.0
        _add(out, d, cj)
        d = _deriv(d)
        if not d:
            break
    return out


def _direct(indices: tuple[int, ...], nmax: int) -> np.ndarray:
    """S_indices(k) for k = 0..nmax by direct summation (float)."""
    vals = np.ones(nmax + 1)
    k = np.arange(nmax + 1, dtype=float)
    k[0] = 1.0
    for a in reversed(indices):
        terms = vals / k ** abs(a) * (1.0 if a > 0 else (-1.0) ** np.arange(nmax + 1))
        terms[0] = 0.0
        vals = np.cumsum(terms)
    return vals


def _eval(ser: Series, z: CArray) -> CArray:
    if not ser:
        return np.zeros_like(z)
    inv, lnz = 1.0 / z, np.log(z)
    qmax = max(q for _, q in ser)
    res = np.zeros_like(z)
    for q in range(qmax, -1, -1):
        coeffs = [ser.get((p, q), 0.0) for p in range(_P_MAX + 1)]
        poly = np.zeros_like(z)
        for cf in reversed(coeffs):
            poly = poly * inv + cf
        res = res * lnz + poly
    return res


@cache
def _expansion(indices: tuple[int, ...]) -> tuple[Series, Series]:
    """(G, H) with S_indices(n) ~ G(n) + (-1)^n H(n) at large n; G holds the constant."""
    if not indices:
        return {(0, 0): 1.0}, {}
    a, rest = indices[0], indices[1:]
    g_in, h_in = _expansion(rest)
    u, v = _times_power(g_in, abs(a)), _times_power(h_in, abs(a))
    plain, alt = (u, v) if a > 0 else (v, u)
    g = _antideriv(plain)
    _add(g, _boundary_terms(plain, alternating=False))
    h = _boundary_terms(alt, alternating=True)
    g = {k: val for k, val in g.items() if k[0] <= _P_MAX}
    h = {k: val for k, val in h.items() if k[0] <= _P_MAX}
    n0 = np.array([complex(_N_CONST)])
    approx = _eval(g, n0)[0] + (-1.0) ** _N_CONST * _eval(h, n0)[0]
    g[(0, 0)] = g.get((0, 0), 0.0) + float(_direct(indices, _N_CONST)[-1] - approx.real)
    return g, h


def nested_reference(indices, n, even: bool = True) -> CArray:
    """Slow reference for nested sums: the recurrence to Re n >= 20 everywhere (for tests)."""
    return _nested(tuple(int(a) for a in indices), _as_complex(n), even, None)


def _nested(
    indices: tuple[int, ...], n: CArray, even: bool, far: float | None = _NESTED_FAR
) -> CArray:
    eta0 = eta(even)
    m = _shift_counts(n, _NESTED_SHIFT_TO, far)
    flat_n, flat_m = n.ravel(), m.ravel()
    order = np.argsort(-flat_m, kind="stable")
    ns, ms = flat_n[order], flat_m[order]
    z = ns + ms
    eta_z = eta0 * np.where(ms % 2, -1.0, 1.0)
    depth = len(indices)
    vals = []
    for t in range(depth):
        g, h = _expansion(indices[t:])
        vals.append(_eval(g, z) + eta_z * _eval(h, z))
    vals.append(np.ones_like(z))
    counts = np.bincount(ms, minlength=1)
    # active[i] = number of elements with m >= i: a prefix of the sorted arrays
    active = ms.size - np.concatenate([[0], np.cumsum(counts)])[:-1]
    for i in range(int(ms[0]) if ms.size else 0, 0, -1):
        cnt = active[i]
        pos = ns[:cnt] + i
        eta_p = eta0 * (-1.0) ** i
        for t, a in enumerate(indices):
            sgn = 1.0 if a > 0 else eta_p
            vals[t][:cnt] -= sgn * vals[t + 1][:cnt] / pos ** abs(a)
    out = np.empty_like(flat_n)
    out[order] = vals[0]
    return out.reshape(n.shape)


def S(indices, n, even: bool = True) -> CArray:
    """Harmonic sum S_{a1,...,ak}(n), e.g. S((-2, 1), n, even) = S_{-2,1}(n); any weight.

    Single sums use the polygamma forms; nested ones the asymptotic expansion (see above).
    """
    idx = tuple(int(a) for a in indices)
    n = _as_complex(n)
    if len(idx) == 1 and abs(idx[0]) <= 5:
        return single_sum(idx[0], n, even)
    return _nested(idx, n, even, _NESTED_FAR)


def S21(n) -> CArray:
    """S_{2,1}(n) = sum_j S_1(j)/j^2."""
    return S((2, 1), n)


def Sm21(n, even: bool) -> CArray:
    """S_{-2,1}(n) = sum_j (-1)^j S_1(j)/j^2."""
    return S((-2, 1), n, even)


_NAME = re.compile(r"m?\d")


def parse_name(name: str) -> tuple[int, ...]:
    """'Sm2m1' -> (-2, -1): the index list of a sum named in the S<m?digit>... style."""
    if not name.startswith("S") or "".join(_NAME.findall(name[1:])) != name[1:]:
        raise ValueError(f"not a harmonic sum name: {name!r}")
    return tuple(-int(t[1]) if t[0] == "m" else int(t) for t in _NAME.findall(name[1:]))


class SumCache:
    """Memo of harmonic sums at one array n: ``cache["Sm21", even]`` or ``cache["S1"]``."""

    def __init__(self, n) -> None:
        self.n = _as_complex(n)
        self._store: dict[tuple[tuple[int, ...], bool], CArray] = {}

    def __getitem__(self, key) -> CArray:
        name, even = (key, True) if isinstance(key, str) else key
        idx = parse_name(name)
        # sums without negative indices do not depend on the parity choice
        even = bool(even) or all(a > 0 for a in idx)
        if (idx, even) not in self._store:
            self._store[(idx, even)] = S(idx, self.n, even)
        return self._store[(idx, even)]
