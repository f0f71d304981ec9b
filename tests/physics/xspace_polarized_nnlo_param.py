"""The parametrised NNLO polarised singlet splitting functions of Moch-Vermaseren-Vogt
(arXiv:1409.5131), transcribed from their file xdPij2p.f (MD5 ff2f5c3419bef484eec50deaa46a9ccc):
x-space, a_s = alpha_s/(4 pi), "better than one part in a thousand". Test references only.

Each function returns (regular part at x, coefficient of 1/(1-x)_+, coefficient of delta(1-x)).
"""

import numpy as np


def dp2_ps(x: float, nf: int) -> tuple[float, float, float]:
    """DP2PSPA: Delta P_ps^(2)."""
    lx, l1 = np.log(x), np.log1p(-x)
    p1 = (
        -344.0 / 27.0 * lx**4 - (90.9198 + 81.50 * x) * lx**3 - (368.6 - 349.9 * x) * lx**2
        - (739.0 - 232.57 * l1) * lx - 1362.6 + 1617.4 * x - 674.8 * x**2 + 167.41 * x**3
        - 204.76 * l1 - 12.61 * l1**2 - 6.541 * l1**3
    )  # fmt: skip
    p2 = (
        (1.1741 - 0.8253 * x) * lx**3 + (13.287 + 10.657 * x) * lx**2 + 45.482 * lx + 49.13
        - 30.77 * x - 4.307 * x**2 - 0.5094 * x**3 + 9.517 * l1 + 1.7805 * l1**2
    )  # fmt: skip
    return (1.0 - x) * nf * (p1 + nf * p2), 0.0, 0.0


def dp2_qg(x: float, nf: int) -> tuple[float, float, float]:
    """DP2QGPA: Delta P_qg^(2)."""
    lx, l1 = np.log(x), np.log1p(-x)
    p1 = (
        -151.0 / 3.0 * lx**4 - (385.64 + 73.30 * x) * lx**3 - (894.8 - 1145.3 * x) * lx**2
        - (1461.2 - 825.4 * l1) * lx - 2972.4 + 4672.0 * x - 1221.6 * x**2 - 18.0 * x**3
        + 278.32 * l1 - 90.26 * l1**2 - 5.30 * l1**3 + 3.784 * l1**4
    )  # fmt: skip
    p2 = (
        16.0 / 9.0 * lx**4 + (30.739 + 10.186 * x) * lx**3 + (196.96 + 179.1 * x) * lx**2
        + (526.3 - 47.30 * l1) * lx + 499.65 - 432.18 * x - 141.63 * x**2 - 11.34 * x**3
        - 6.256 * l1 + 7.32 * l1**2 + 0.7374 * l1**3
    )  # fmt: skip
    return nf * (p1 + nf * p2), 0.0, 0.0


def dp2_gq(x: float, nf: int) -> tuple[float, float, float]:
    """DP2GQPA: Delta P_gq^(2) (its nf^2 part is exact)."""
    lx, l1 = np.log(x), np.log1p(-x)
    p0 = (
        11512.0 / 81.0 * lx**4 + (888.003 + 175.1 * x) * lx**3 + (2140.0 - 850.7 * x) * lx**2
        + (4046.6 - 1424.8 * l1) * lx + 6159.0 - 3825.9 * x + 1942.0 * x**2 - 742.1 * x**3
        + 1843.7 * l1 + 451.55 * l1**2 + 59.3 * l1**3 + 5.143 * l1**4
    )  # fmt: skip
    p1 = (
        -128.0 / 27.0 * lx**4 - (39.3872 + 30.023 * x) * lx**3 - (202.46 + 126.53 * x) * lx**2
        - (308.98 + 16.18 * l1) * lx - 301.07 - 296.0 * x + 406.13 * x**2 - 101.62 * x**3
        - 171.78 * l1 - 47.86 * l1**2 - 4.963 * l1**3
    )  # fmt: skip
    p2 = 16.0 / 27.0 * (-12.0 + 10.0 * x + (8.0 + 2.0 * x) * l1 + (6.0 - 3.0 * x) * l1**2)
    return p0 + nf * (p1 + nf * p2), 0.0, 0.0


def dp2_gg(x: float, nf: int) -> tuple[float, float, float]:
    """DP2GGPA (regular), DP2GGPB (1/(1-x)_+) and the constant of DP2GGPC (delta(1-x)); the
    ln(1-x) term of DP2GGPC only completes the +-distribution in x-space convolutions."""
    lx, l1 = np.log(x), np.log1p(-x)
    a0 = (
        504.0 * lx**4 + (3777.5 + 1167.0 * x) * lx**3 + (10902.0 - 863.0 * x) * lx**2
        + (23091.0 - 12292.0 * l1) * lx + 30988.0 - 39925.0 * x + 13447.0 * x**2
        - 4576.0 * x**3 - 13247.0 * (1.0 - x) * l1 + 3801.0 * l1
    )  # fmt: skip
    a1 = (
        -766.0 / 27.0 * lx**4 - (357.798 - 131.0 * x) * lx**3 - (1877.2 - 613.1 * x) * lx**2
        - (3524.0 + 7932.0 * l1) * lx - 1173.5 + 2648.6 * x - 2160.8 * x**2 + 1251.7 * x**3
        - 6746.0 * (1.0 - x) * l1 - 295.7 * l1
    )  # fmt: skip
    a2 = (
        -1.1809 * lx**3 - (6.679 - 15.764 * x) * lx**2 - (13.29 + 16.944 * l1) * lx - 16.606
        + 32.905 * x - 18.30 * x**2 + 2.637 * x**3 - 0.210 * l1
    )  # fmt: skip
    plus = 2643.521 - nf * (412.172 + nf * 16.0 / 9.0)
    local = 4425.448 + 2.314 - nf * (528.720 - 0.184) - nf * nf * (-6.4630 + 0.0023)
    return a0 + nf * (a1 + nf * a2), plus, local
