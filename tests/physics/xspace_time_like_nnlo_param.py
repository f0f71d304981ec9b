"""The parametrised NNLO time-like singlet splitting functions P^(2)T of Moch-Vogt
arXiv:0709.3899 (ps, gg) and Almasy-Moch-Vogt arXiv:1107.2263 (qg, gq), transcribed from their
file xpij2tp.f (MD5 1fa9beaad0381bc514ddd0dd7cf4e6bd): x space, a_s = alpha_s/(4 pi),
"better than one part in thousand". Test references only.

Each function returns (regular part at x, coefficient of 1/(1-x)_+, coefficient of delta(1-x)).
"""

import numpy as np


def p2t_ps(y: float, nf: int) -> tuple[float, float, float]:
    """P2PSTA: P_ps^(2)T."""
    dl, dl1 = np.log(y), np.log1p(-y)
    p1 = (
        -256.0 / (9.0 * y) * dl**3 - 128.0 / (9.0 * y) * dl**2 + 324.07 / y * dl + 479.87 / y
        - 5.926 * dl1**3 - 9.751 * dl1**2 - 8.65 * dl1 - 106.65
        - 848.97 * y + 368.79 * y**2 - 61.284 * y**3
        + 96.171 * dl * dl1 + 656.49 * dl + 425.14 * dl**2 + 47.322 * dl**3 + 9.072 * dl**4
    )  # fmt: skip
    p2 = (
        -128.0 / (81.0 * y) + 1.778 * dl1**2 + 16.611 * dl1 + 87.795
        - 57.688 * y - 41.827 * y**2 + 25.628 * y**3 - 7.9934 * y**4
        - 2.1031 * dl * dl1 + 57.713 * dl + 9.1682 * dl**2 - 1.9 * dl**3 + 0.019122 * dl**4
        + 26.294 * y * dl - 7.8645 * y * dl**3
    )  # fmt: skip
    return (1.0 - y) * nf * (p1 + nf * p2), 0.0, 0.0


def p2t_qg(y: float, nf: int) -> tuple[float, float, float]:
    """P2QGTA: P_qg^(2)T (the main result, IMOD = 0 of xpij2te.f)."""
    dl, dl1 = np.log(y), np.log1p(-y)
    p1 = (
        -64.0 / y * dl**3 - 64.0 / y * dl**2 + 675.83 / y * dl + 1141.7 / y
        + 100.0 / 27.0 * dl1**4 + 350.0 / 9.0 * dl1**3 + 263.07 * dl1**2 + 693.84 * dl1 + 603.71
        - 882.48 * y + 4723.2 * y**2 - 4745.8 * y**3 - 175.28 * y**4
        + 1864.0 * dl + 1512.0 * dl**2 + 361.28 * dl**3 + 42.328 * dl**4
        - 1809.4 * dl * dl1 - 107.59 * y * dl * dl1 - 885.5 * y * dl**4
    )  # fmt: skip
    p2 = (
        -32.0 / (27.0 * y) * dl**2 - 3.1752 / y * dl - 2.8986 / y
        - 100.0 / 27.0 * dl1**3 - 35.446 * dl1**2 - 103.609 * dl1
        - 113.81 + 341.26 * y - 853.35 * y**2 + 492.1 * y**3 + 14.803 * y**4
        + 619.75 * dl + 255.62 * dl**2 + 21.569 * dl**3 + 966.96 * dl * dl1
        - 1.593 * dl * dl1**2 - 333.8 * y * dl**3 - 709.1 * y * dl * dl1
    )  # fmt: skip
    p3 = 4.0 / 9.0 * (
        4.0 + 6.0 * (dl + dl1)
        + (1.0 - 2.0 * y + 2.0 * y**2) * (3.8696 + 4.0 * (dl + dl1) + 3.0 * (dl + dl1) ** 2)
    )  # fmt: skip
    return nf * (p1 + nf * p2 + nf**2 * p3), 0.0, 0.0


def p2t_gq(y: float, nf: int) -> tuple[float, float, float]:
    """P2GQTA: P_gq^(2)T."""
    dl, dl1 = np.log(y), np.log1p(-y)
    p0 = (
        400.0 / 81.0 * dl1**4 + 520.0 / 27.0 * dl1**3 - 220.13 * dl1**2 - 152.60 * dl1 + 272.85
        - 7188.7 * y + 5693.2 * y**2 + 146.98 * y**3 + 128.19 * y**4
        - 30.062 * dl**4 - 126.38 * dl**3 - 0.71252 * dl**2 + 4.4136 * dl
        - 1300.6 * dl * dl1 - 71.23 * dl * dl1**2 + 543.8 * y * dl**3
        + 256.0 / y * dl**4 + 3712.0 / (3.0 * y) * dl**3 + 1001.89 / y * dl**2
        + 4776.5 / y * dl + 5803.7 / y
    )  # fmt: skip
    p1 = (
        80.0 / 81.0 * dl1**3 + 1040.0 / 81.0 * dl1**2 - 16.914 * dl1
        - 871.3 + 790.13 * y - 241.23 * y**2 + 43.252 * y**3
        - 48.600 * dl**3 - 343.1 * dl**2 - 492.0 * dl + 55.048 * dl * dl1 - 4.3465 * y * dl**3
        + 6.0041 / y + 141.93 / y * dl + 2912.0 / (27.0 * y) * dl**2
        + 1280.0 / (81.0 * y) * dl**3
    )  # fmt: skip
    return p0 + nf * p1, 0.0, 0.0


def p2t_gg(y: float, nf: int) -> tuple[float, float, float]:
    """P2GGTA (regular), P2GGTB (1/(1-x)_+), constant of P2GGTC (delta(1-x))."""
    dl, dl1 = np.log(y), np.log1p(-y)
    a0 = (
        576.0 / y * dl**4 + 3168.0 / y * dl**3 + 3651.1 / y * dl**2 + 10233.0 / y * dl
        + 14214.4 / y - 3590.1 * dl1 - 28489.0
        + 7469.0 * y + 30421.0 * y**2 - 53017.0 * y**3 + 19556.0 * y**4
        + 191.99 * dl**4 + 3281.7 * dl**3 + 13528.0 * dl**2 + 12258.0 * dl
        - 186.4 * dl * dl1 - 21328.0 * dl**2 * dl1 + 5685.8 * y * dl**3
    )  # fmt: skip
    a1 = (
        448.0 / (9.0 * y) * dl**3 + 2368.0 / (9.0 * y) * dl**2 - 5.47 / y * dl - 804.13 / y
        + 248.95 + 319.97 * dl1
        + 260.6 * y + 272.79 * y**2 + 2133.2 * y**3 - 926.87 * y**4
        + 4.9934 * dl + 482.94 * dl**2 + 155.10 * dl**3 + 18.085 * dl**4 + 485.18 * y * dl**3
        + 1266.5 * dl * dl1 - 29.709 * dl**2 * dl1 + 87.771 * dl * dl1**2
    )  # fmt: skip
    a2 = (
        32.0 / (27.0 * y) * dl**2 + 368.0 / (81.0 * y) * dl + 472.0 / (243.0 * y)
        - 77.190 + 153.27 * y - 106.03 * y**2 + 11.995 * y**3
        - 5.0372 * dl**3 - 44.8 * dl**2 - 69.712 * dl
        - 115.01 * dl * dl1 + 96.522 * y * dl * dl1 - 62.908 * dl**2 * dl1
    )  # fmt: skip
    plus = 2643.521 - nf * 412.172 - nf**2 * 16.0 / 9.0
    local = 4425.448 + 0.003 - nf * (528.720 - 0.001) + nf**2 * (6.4630 - 0.0002)
    return a0 + nf * (a1 + nf * a2), plus, local
