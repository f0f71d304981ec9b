"""TEMPORARY polygamma until ekodask.physics.harmonics exists (delete then)."""

import numpy as np

_B = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)  # B_2, B_4, ... B_14


def polygamma(k, z):
    z = np.asarray(z, dtype=np.complex128)
    res = np.zeros_like(z)
    sign = (-1) ** (k + 1)
    fact = float(np.prod(np.arange(1, k + 1)))
    shift = max(0, int(np.ceil(12 - np.min(z.real)))) if z.size else 0
    zz = z.copy()
    for _ in range(shift):
        res = res + sign * fact / zz ** (k + 1) if k > 0 else res - 1 / zz
        zz = zz + 1
    if k == 0:
        asym = np.log(zz) - 0.5 / zz
        for j, b in enumerate(_B, start=1):
            asym = asym - b / (2 * j) / zz ** (2 * j)
    else:
        from math import factorial

        asym = factorial(k - 1) / zz**k + fact / 2 / zz ** (k + 1)
        for j, b in enumerate(_B, start=1):
            asym = asym + b * factorial(2 * j + k - 1) / factorial(2 * j) / zz ** (2 * j + k)
        asym = asym * sign
    return res + asym
