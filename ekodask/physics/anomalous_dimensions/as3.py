"""Three-loop (NNLO) anomalous dimensions gamma^(2)(N), a_s = alpha_s/(4 pi), gamma = -M[P].

Built from the compact x-space parametrisations of Moch-Vermaseren-Vogt: non-singlet
hep-ph/0403192 Eqs. (4.22)-(4.24) (P_ns^(2)+, P_ns^(2)-, P_ns^(2)s), singlet
hep-ph/0404111 Eqs. (4.12)-(4.15) (P_ps^(2), P_qg^(2), P_gq^(2), P_gg^(2)), with the small
delta(1-x) adjustments of the authors' accompanying Fortran files xpns2p.f and xpij2p.f.
Their published accuracy is better than 1e-3 relative (the nf^2 parts of P_ns and P_gq are
exact); the coefficients of D_0 = [1/(1-x)]_+, ln(x)/x and 1/x are exact up to truncation.
Each basis function is Mellin-transformed exactly (as3_mellin), so the N-space result is
the exact transform of the parametrisation. Notation: L0 = ln x, L1 = ln(1-x).
"""

import numpy as np
import numpy.typing as npt

from .as3_mellin import MellinBasis

__all__ = ["gamma_nsm", "gamma_nsp", "gamma_nss", "gamma_nsv", "gamma_singlet"]

# A regular term coef * x^k * L0^a * L1^b is written (coef, k, a, b); ("r", coef, k, a) stands
# for coef * x^k * L0^a / (1 - x), regular at x = 1. Lists are indexed by the power of nf.
_Term = tuple


def _one_minus_x(terms: list[_Term]) -> list[_Term]:
    """Expand (1 - x) * terms."""
    out = []
    for coef, k, a, b in terms:
        out += [(coef, k, a, b), (-coef, k + 1, a, b)]
    return out


# hep-ph/0403192 Eq. (4.22), regular part of P_ns^(2)+
_NSP_A0 = [
    (1641.1, 0, 0, 0), (-3135.0, 1, 0, 0), (243.6, 2, 0, 0), (-522.1, 3, 0, 0),
    (128.0 / 81.0, 0, 4, 0), (2400.0 / 81.0, 0, 3, 0), (294.9, 0, 2, 0), (1258.0, 0, 1, 0),
    (714.1, 0, 0, 1), (563.9, 0, 1, 1), (256.8, 0, 2, 1),
]  # fmt: skip
_NSP_A1 = [
    (-197.0, 0, 0, 0), (381.1, 1, 0, 0), (72.94, 2, 0, 0), (44.79, 3, 0, 0),
    (-192.0 / 81.0, 0, 3, 0), (-2608.0 / 81.0, 0, 2, 0), (-152.6, 0, 1, 0),
    (-5120.0 / 81.0, 0, 0, 1), (-56.66, 0, 1, 1), (-1.497, 1, 3, 0),
]  # fmt: skip
# exact nf^2 part (Gracey, Phys. Lett. B322 (1994) 141), common to +, - and v
_NS_A2 = [
    (64.0 / 81.0, 0, 0, 0),
    *_one_minus_x([(48.0 / 81.0, 0, 2, 0), (352.0 / 81.0, 0, 1, 0), (384.0 / 81.0, 0, 0, 0)]),
]
_NS_A2_R = [("r", 96.0 / 81.0, 1, 2), ("r", 320.0 / 81.0, 1, 1)]
# hep-ph/0403192 Eq. (4.23), regular part of P_ns^(2)-
_NSM_A0 = [
    (1860.2, 0, 0, 0), (-3505.0, 1, 0, 0), (297.0, 2, 0, 0), (-433.2, 3, 0, 0),
    (116.0 / 81.0, 0, 4, 0), (2880.0 / 81.0, 0, 3, 0), (399.2, 0, 2, 0), (1465.2, 0, 1, 0),
    (714.1, 0, 0, 1), (684.0, 0, 1, 1), (251.2, 0, 2, 1),
]  # fmt: skip
_NSM_A1 = [
    (-216.62, 0, 0, 0), (406.5, 1, 0, 0), (77.89, 2, 0, 0), (34.76, 3, 0, 0),
    (-256.0 / 81.0, 0, 3, 0), (-3216.0 / 81.0, 0, 2, 0), (-172.69, 0, 1, 0),
    (-5120.0 / 81.0, 0, 0, 1), (-65.43, 0, 1, 1), (-1.136, 1, 3, 0),
]  # fmt: skip
# coefficients of D_0 (exact up to truncation) and delta(1-x) (shifted as in xpns2p.f)
_NS_B = (1174.898, -183.187, -64.0 / 81.0)
_NSP_C = (1295.384, -173.927, 1.13067)
_NSM_C = (1295.470, -173.933, 1.13067)
# hep-ph/0403192 Eq. (4.24), P_ns^(2)s = P_ns^(2)v - P_ns^(2)-, proportional to nf d^abc d_abc
_NSS_A1 = [
    *_one_minus_x([
        (151.49, 0, 0, 0), (44.51, 1, 0, 0), (-43.12, 2, 0, 0), (4.820, 3, 0, 0),
        (-163.9, -1, 0, 1), (-7.208, 1, 0, 1),
    ]),
    (40.0 / 27.0, 0, 4, 0), (-80.0 / 27.0, 0, 3, 0), (6.892, 0, 2, 0), (178.04, 0, 1, 0),
    (-173.1, 0, 1, 1), (46.18, 0, 2, 1),
]  # fmt: skip

# hep-ph/0404111 Eq. (4.12), P_ps^(2) = (1-x) nf (PS1 + nf PS2)
_PS_A1 = _one_minus_x([
    (-3584.0 / 27.0, -1, 1, 0), (-506.0, -1, 0, 0), (160.0 / 27.0, 0, 4, 0),
    (-400.0 / 9.0, 0, 3, 0), (131.4, 0, 2, 0), (-661.6, 0, 1, 0), (-5.926, 0, 0, 3),
    (-9.751, 0, 0, 2), (-72.11, 0, 0, 1), (177.4, 0, 0, 0), (392.9, 1, 0, 0),
    (-101.4, 2, 0, 0), (-57.04, 0, 1, 1),
])  # fmt: skip
_PS_A2 = _one_minus_x([
    (256.0 / 81.0, -1, 0, 0), (32.0 / 27.0, 0, 3, 0), (17.89, 0, 2, 0), (61.75, 0, 1, 0),
    (1.778, 0, 0, 2), (5.944, 0, 0, 1), (100.1, 0, 0, 0), (-125.2, 1, 0, 0),
    (49.26, 2, 0, 0), (-12.59, 3, 0, 0), (-1.889, 0, 1, 1),
])  # fmt: skip
# hep-ph/0404111 Eq. (4.13), P_qg^(2) = nf (QG1 + nf QG2)
_QG_A1 = [
    (-896.0 / 3.0, -1, 1, 0), (-1268.3, -1, 0, 0), (536.0 / 27.0, 0, 4, 0),
    (-44.0 / 3.0, 0, 3, 0), (881.5, 0, 2, 0), (424.9, 0, 1, 0), (100.0 / 27.0, 0, 0, 4),
    (-70.0 / 9.0, 0, 0, 3), (-120.5, 0, 0, 2), (104.42, 0, 0, 1), (2522.0, 0, 0, 0),
    (-3316.0, 1, 0, 0), (2126.0, 2, 0, 0), (1823.0, 0, 1, 1), (-25.22, 0, 2, 1),
    (-252.5, 1, 3, 0),
]  # fmt: skip
_QG_A2 = [
    (1112.0 / 243.0, -1, 0, 0), (-16.0 / 9.0, 0, 4, 0), (-376.0 / 27.0, 0, 3, 0),
    (-90.8, 0, 2, 0), (-254.0, 0, 1, 0), (20.0 / 27.0, 0, 0, 3), (200.0 / 27.0, 0, 0, 2),
    (-5.496, 0, 0, 1), (-252.0, 0, 0, 0), (158.0, 1, 0, 0), (145.4, 2, 0, 0),
    (-139.28, 3, 0, 0), (-53.09, 0, 1, 1), (-80.616, 0, 2, 1), (-98.07, 1, 2, 0),
    (11.70, 1, 3, 0),
]  # fmt: skip
# hep-ph/0404111 Eq. (4.14), P_gq^(2) = GQ0 + nf GQ1 + nf^2 GQ2 (GQ2 exact)
_GQ_A0 = [
    (1189.3, -1, 1, 0), (6163.1, -1, 0, 0), (-4288.0 / 81.0, 0, 4, 0), (1568.0 / 9.0, 0, 3, 0),
    (-1794.0, 0, 2, 0), (4033.0, 0, 1, 0), (400.0 / 81.0, 0, 0, 4), (2200.0 / 27.0, 0, 0, 3),
    (606.3, 0, 0, 2), (2193.0, 0, 0, 1), (-4307.0, 0, 0, 0), (489.3, 1, 0, 0),
    (1452.0, 2, 0, 0), (146.0, 3, 0, 0), (-447.3, 0, 2, 1), (-972.9, 1, 2, 0),
]  # fmt: skip
_GQ_A1 = [
    (71.082, -1, 1, 0), (-46.41, -1, 0, 0), (128.0 / 27.0, 0, 4, 0), (704.0 / 81.0, 0, 3, 0),
    (20.39, 0, 2, 0), (174.8, 0, 1, 0), (-400.0 / 81.0, 0, 0, 3), (-68.069, 0, 0, 2),
    (-296.7, 0, 0, 1), (-183.8, 0, 0, 0), (33.35, 1, 0, 0), (-277.9, 2, 0, 0),
    (108.6, 1, 2, 0), (-49.68, 0, 1, 1),
]  # fmt: skip
_GQ_A2 = [
    (-64.0 / 27.0, -1, 0, 0), (64.0 / 27.0, 0, 0, 0), (128.0 / 27.0, 1, 0, 0),
    (320.0 / 27.0, -1, 0, 1), (-320.0 / 27.0, 0, 0, 1), (256.0 / 27.0, 1, 0, 1),
    (96.0 / 27.0, -1, 0, 2), (-96.0 / 27.0, 0, 0, 2), (48.0 / 27.0, 1, 0, 2),
]  # fmt: skip
# hep-ph/0404111 Eq. (4.15), regular part of P_gg^(2)
_GG_A0 = [
    (2675.8, -1, 1, 0), (14214.0, -1, 0, 0), (-144.0, 0, 4, 0), (72.0, 0, 3, 0),
    (-7471.0, 0, 2, 0), (274.4, 0, 1, 0), (3589.0, 0, 0, 1), (-20852.0, 0, 0, 0),
    (3968.0, 1, 0, 0), (-3363.0, 2, 0, 0), (4848.0, 3, 0, 0), (7305.0, 0, 1, 1),
    (8757.0, 0, 2, 1),
]  # fmt: skip
_GG_A1 = [
    (157.27, -1, 1, 0), (182.96, -1, 0, 0), (512.0 / 27.0, 0, 4, 0), (832.0 / 9.0, 0, 3, 0),
    (491.3, 0, 2, 0), (1541.0, 0, 1, 0), (-320.0, 0, 0, 1), (-350.2, 0, 0, 0),
    (755.7, 1, 0, 0), (-713.8, 2, 0, 0), (559.3, 3, 0, 0), (26.15, 0, 1, 1),
    (-808.7, 0, 2, 1),
]  # fmt: skip
_GG_A2 = [
    (-680.0 / 243.0, -1, 0, 0), (-32.0 / 27.0, 0, 3, 0), (9.680, 0, 2, 0), (-3.422, 0, 1, 0),
    (-13.878, 0, 0, 0), (153.4, 1, 0, 0), (-187.7, 2, 0, 0), (52.75, 3, 0, 0),
    (-115.6, 0, 1, 1), (85.25, 1, 1, 1), (-63.23, 0, 2, 1),
]  # fmt: skip
_GG_B = (2643.521, -412.172, -16.0 / 9.0)
_GG_C = (4425.894, -528.723, 6.4630)


def _poly(coefs: tuple[float, ...], nf: float) -> float:
    return sum(c * nf**i for i, c in enumerate(coefs))


def _regular(basis: MellinBasis, parts: list[list[_Term]], nf: float) -> np.ndarray:
    """Mellin transform of sum_i nf^i * parts[i] (regular terms)."""
    coefs: dict[tuple, float] = {}
    for i, terms in enumerate(parts):
        for term in terms:
            key, coef = (term[0], term[2], term[3]), term[1]
            if term[0] != "r":
                key, coef = ("p", term[1], term[2], term[3]), term[0]
            coefs[key] = coefs.get(key, 0.0) + coef * nf**i
    res = np.zeros_like(basis.n)
    for key, coef in coefs.items():
        if coef == 0.0:
            continue
        if key[0] == "r":
            res = res + coef * basis.log_over_one_minus_x(key[1], key[2])
        else:
            res = res + coef * basis.power_log(*key[1:])
    return res


def _nonsinglet(basis: MellinBasis, regular: list[list[_Term]], c_delta, nf: float) -> np.ndarray:
    """-M[A + B D_0 + C delta](N) for a non-singlet (+ or -) parametrisation."""
    p_n = _regular(basis, regular, nf) + _poly(_NS_B, nf) * basis.plus() + _poly(c_delta, nf)
    return -p_n


def _basis(n: npt.ArrayLike, basis: MellinBasis | None) -> MellinBasis:
    return basis if basis is not None else MellinBasis(n)


def gamma_nsp(
    n: npt.ArrayLike, nf: int, basis: MellinBasis | None = None
) -> npt.NDArray[np.complex128]:
    """gamma_ns^(2)+(N), shape n.shape; hep-ph/0403192 Eq. (4.22). basis: reuse a MellinBasis(n)."""
    b = _basis(n, basis)
    return _nonsinglet(b, [_NSP_A0, _NSP_A1, _NS_A2 + _NS_A2_R], _NSP_C, nf)


def gamma_nsm(
    n: npt.ArrayLike, nf: int, basis: MellinBasis | None = None
) -> npt.NDArray[np.complex128]:
    """gamma_ns^(2)-(N), shape n.shape; hep-ph/0403192 Eq. (4.23)."""
    b = _basis(n, basis)
    return _nonsinglet(b, [_NSM_A0, _NSM_A1, _NS_A2 + _NS_A2_R], _NSM_C, nf)


def gamma_nss(
    n: npt.ArrayLike, nf: int, basis: MellinBasis | None = None
) -> npt.NDArray[np.complex128]:
    """gamma_ns^(2)s(N) = gamma_ns^(2)v - gamma_ns^(2)-, shape n.shape; hep-ph/0403192 (4.24)."""
    b = _basis(n, basis)
    return -_regular(b, [[], _NSS_A1], nf)


def gamma_nsv(
    n: npt.ArrayLike, nf: int, basis: MellinBasis | None = None
) -> npt.NDArray[np.complex128]:
    """gamma_ns^(2)v(N) = gamma_ns^(2)- + gamma_ns^(2)s, shape n.shape; hep-ph/0403192."""
    b = _basis(n, basis)
    return gamma_nsm(n, nf, b) + gamma_nss(n, nf, b)


def gamma_singlet(
    n: npt.ArrayLike, nf: int, basis: MellinBasis | None = None
) -> npt.NDArray[np.complex128]:
    """Singlet gamma^(2)(N), shape n.shape + (2, 2), [[qq, qg], [gq, gg]], qq = nsp + ps.

    hep-ph/0404111 Eqs. (4.12)-(4.15); poles at N = 1 from the 1/x and ln(x)/x terms.
    """
    b = _basis(n, basis)
    gamma_ps = -_regular(b, [[], _PS_A1, _PS_A2], nf)
    gamma_qq = gamma_nsp(n, nf, b) + gamma_ps
    gamma_qg = -_regular(b, [[], _QG_A1, _QG_A2], nf)
    gamma_gq = -_regular(b, [_GQ_A0, _GQ_A1, _GQ_A2], nf)
    p_gg = _regular(b, [_GG_A0, _GG_A1, _GG_A2], nf)
    gamma_gg = -(p_gg + _poly(_GG_B, nf) * b.plus() + _poly(_GG_C, nf))
    return np.stack(
        [np.stack([gamma_qq, gamma_qg], axis=-1), np.stack([gamma_gq, gamma_gg], axis=-1)],
        axis=-2,
    )
