"""Exact Mellin transforms of the x-space basis of the MVV three-loop parametrisations.

M[f](N) = int_0^1 x^(N-1) f(x) dx, continued to complex N. Every basis function
x^k ln^a(x) ln^b(1-x) is a derivative of Euler's Beta function,
M[x^k ln^a x ln^b(1-x)](N) = d^a/dz^a d^b/de^b B(z, 1+e) at e = 0, z = N + k,
written here with the analytically continued harmonic sums S_j(z) = sum_{i<=z} 1/i^j
(S_1 = psi(z+1) + gamma_E, S_j = zeta_j + (-1)^(j-1) psi^(j-1)(z+1)/(j-1)!).
Reference for the distributions: Floratos-Kounnas-Lacaze, Nucl. Phys. B192 (1981) 417, App. B.
"""

import numpy as np
import numpy.typing as npt

from ..constants import ZETA2, ZETA3, ZETA4
from ..harmonics import S1, S2, S3, S4

__all__ = ["MellinBasis", "mellin_delta", "mellin_plus"]

_ZETA = (0.0, 0.0, ZETA2, ZETA3, ZETA4)
_FACT = (1.0, 1.0, 2.0, 6.0, 24.0, 120.0)
# Below this |z| the 1/z of B(z, 1) is cancelled analytically (series of S_1(z)/z).
_SMALL = 0.05


def _freeze(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mark arrays read-only (they are shared); returns them."""
    for arr in arrays:
        arr.setflags(write=False)
    return arrays


def _s1_over_z(z: np.ndarray, s1: np.ndarray) -> np.ndarray:
    """S_1(z)/z, finite at z = 0: sum_k (-1)^k zeta(k+2) z^k near the origin."""
    small = np.abs(z) < _SMALL
    if not np.any(small):
        return s1 / z
    zs = np.where(small, z, 0.0)
    # zeta(k+2) for k = 0..11; truncation error below 0.05^12
    zetas = (ZETA2, ZETA3, ZETA4, 1.0369277551433699, 1.0173430619844491, 1.0083492773819228,
             1.0040773561979443, 1.0020083928260822, 1.0009945751278181, 1.0004941886041195,
             1.0002460865533080, 1.0001227133475785)  # fmt: skip
    series = np.zeros_like(zs)
    for zeta in reversed(zetas):
        series = series * (-zs) + zeta
    safe = np.where(small, 1.0, z)
    return np.where(small, series, s1 / safe)


class MellinBasis:
    """Mellin transforms at fixed complex N of x^k ln^a x ln^b(1-x) and related functions.

    Harmonic sums S_1..S_4 are computed once (at N + kmin) and shifted by recurrence,
    so many basis functions at the same N cost little. n: complex array, any shape.
    """

    def __init__(self, n: npt.ArrayLike, kmin: int = -1, kmax: int = 4) -> None:
        self.n = np.asarray(n, dtype=np.complex128)
        self.kmin = kmin
        z0 = self.n + kmin
        self._sums = {kmin: [None, S1(z0), S2(z0), S3(z0), S4(z0)]}
        for k in range(kmin + 1, kmax + 1):
            prev = self._sums[k - 1]
            zk = self.n + k
            self._sums[k] = [None] + [prev[j] + 1.0 / zk**j for j in range(1, 5)]
        for sums in self._sums.values():
            _freeze(*sums[1:])  # one basis may serve many callers (anomalous_dimensions.shared)
        self._cache: dict[tuple[int, int, int], np.ndarray] = {}

    def sums(self, k: int) -> list[np.ndarray]:
        """[None, S_1, S_2, S_3, S_4] at z = N + k."""
        return self._sums[k]

    def power_log(self, k: int, a: int, b: int) -> np.ndarray:
        """M[x^k ln^a(x) ln^b(1-x)](N); (a <= 4, b = 0), (a = 0, b <= 4) or (a <= 2, b = 1)."""
        key = (k, a, b)
        if key not in self._cache:
            self._cache[key] = _freeze(self._power_log(k, a, b))[0]
        return self._cache[key]

    def _power_log(self, k: int, a: int, b: int) -> np.ndarray:
        z = self.n + k
        if b == 0:
            return (-1) ** a * _FACT[a] / z ** (a + 1)
        _, s1, s2, s3, s4 = self._sums[k]
        if a == 0:
            # d^b/de^b exp(sum_j f_j e^j/j!), f_j = (-1)^j (j-1)! S_j: complete Bell polynomials
            if b == 1:
                return -_s1_over_z(z, s1)
            if b == 2:
                return (s1**2 + s2) / z
            if b == 3:
                return -(s1**3 + 3.0 * s1 * s2 + 2.0 * s3) / z
            if b == 4:
                return (s1**4 + 6.0 * s1**2 * s2 + 8.0 * s1 * s3 + 3.0 * s2**2 + 6.0 * s4) / z
        if b == 1:
            # d^a/dz^a of -S_1(z)/z with S_1' = zeta_2 - S_2, S_1'' = 2 (S_3 - zeta_3)
            d1 = ZETA2 - s2
            if a == 1:
                return s1 / z**2 - d1 / z
            if a == 2:
                d2 = 2.0 * (s3 - ZETA3)
                return -d2 / z + 2.0 * d1 / z**2 - 2.0 * s1 / z**3
        raise NotImplementedError(f"no Mellin transform for x^{k} ln^{a}(x) ln^{b}(1-x)")

    def log_over_one_minus_x(self, k: int, a: int) -> np.ndarray:
        """M[x^k ln^a(x)/(1-x)](N) = -psi^(a)(N + k) for k >= 1, a in 1..3 (regular at x = 1)."""
        # sum_j M[x^(k+j) ln^a x] = (-1)^a a! zeta(a+1, N+k), with the Hurwitz zeta
        # zeta(a+1, N+k) = zeta_{a+1} - S_{a+1}(N+k-1)
        if k < self.kmin + 1 or a < 1:
            raise NotImplementedError(f"no Mellin transform for x^{k} ln^{a}(x)/(1-x)")
        s = self._sums[k - 1][a + 1]
        return (-1) ** (a + 1) * _FACT[a] * (s - _ZETA[a + 1])

    def plus(self) -> np.ndarray:
        """M[1/(1-x)_+](N) = -S_1(N-1)."""
        return mellin_plus(self.n, self._sums[-1][1] if self.kmin == -1 else None)


def mellin_plus(n: npt.ArrayLike, s1_nm1: np.ndarray | None = None) -> np.ndarray:
    """M[1/(1-x)_+](N) = -S_1(N-1); s1_nm1 may pass a precomputed S_1(N-1)."""
    if s1_nm1 is None:
        s1_nm1 = S1(np.asarray(n, dtype=np.complex128) - 1.0)
    return -s1_nm1


def mellin_delta(n: npt.ArrayLike) -> np.ndarray:
    """M[delta(1-x)](N) = 1."""
    return np.ones_like(np.asarray(n, dtype=np.complex128))
