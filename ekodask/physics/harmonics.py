"""Harmonic sums continued to complex Mellin n, and the complex polygamma functions.

All functions are vectorised over complex numpy arrays ``n`` of any shape. Alternating sums
take ``even``: the continuation from even (eta = (-1)^n = +1) or odd (eta = -1) integers,
Glück-Reya-Vogt, Z. Phys. C48 (1990) 471.
"""

from fractions import Fraction
from math import factorial

import numpy as np
import numpy.typing as npt

from .constants import EULER_GAMMA, LN2, ZETA2, ZETA3, ZETA4, ZETA5

__all__ = [
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "Sm1",
    "Sm2",
    "Sm3",
    "Sm4",
    "Sm5",
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


def bernoulli(m: int) -> Fraction:
    """Bernoulli number B_m (B_1 = -1/2), exact."""
    b = [Fraction(1)]
    for j in range(1, m + 1):
        b.append(
            -sum(
                Fraction(factorial(j + 1), factorial(k) * factorial(j + 1 - k)) * b[k]
                for k in range(j)
            )
            / (j + 1)
        )
    return b[m]


_B2J = [float(bernoulli(2 * j)) for j in range(1, 16)]  # B_2, B_4, ..., B_30


def _as_complex(n) -> CArray:
    return np.asarray(n, dtype=np.complex128)


def shift_sum(z: CArray, target: float, term) -> tuple[CArray, CArray, npt.NDArray[np.int64]]:
    """Shift z up by integers m >= 0 until Re(z + m) >= target; return (z + m, sum, m).

    ``sum`` is sum_{i=0}^{m-1} term(z + i), element-wise, computed only where needed.
    """
    m = np.maximum(np.ceil(target - z.real), 0).astype(np.int64)
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


def polygamma(k: int, z) -> CArray:
    """Polygamma psi_k(z) = d^(k+1)/dz^(k+1) ln Gamma(z) for complex z, k = 0..5 (and beyond).

    Upward recurrence to Re z >= 15, then the Bernoulli asymptotic series
    (Kölbig, Comput. Phys. Commun. 4 (1972) 221; Abramowitz-Stegun 6.3.18, 6.4.11).
    """
    z = _as_complex(z)
    sign = -1.0 if k % 2 else 1.0  # (-1)^k
    kf = float(factorial(k))
    # psi_k(z) = psi_k(z + 1) - (-1)^k k! / z^(k+1)
    zz, acc, _ = shift_sum(z, _PSI_SHIFT_TO, lambda w: -sign * kf / w ** (k + 1))
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
