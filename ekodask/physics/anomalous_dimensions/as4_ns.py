"""x-space parametrisations of the four-loop non-singlet splitting functions P_ns^(3)+,-,s.

Transcribed from the authors' Fortran files xpns3p.f, xpns3m.f and xpns3s.f published with
Moch, Ruijl, Ueda, Vermaseren, Vogt arXiv:1707.08315 (nf^2, nf^3 parts: Davies et al.
arXiv:1610.07477); copies with the published MD5 sums in svenolafmoch/Conformal-EIC,
N3LO_Splitting_Functions_in_pertubative_QCD/. Expansion in a_s = alpha_s/(4 pi),
mu_r = mu_f. Each file's "IMOD = 1, 2" are the two approximations bounding the error band
of the nf^0, nf^1 non-leading-colour parts; every other IMOD is their average.

P(x) = A(x) + B_coef [1/(1-x)]_+ + C_coef delta(1-x): the files' functions ...A, ...B
(= B_coef/(1-x)) and ...C (= B_coef ln(1-x) + C_coef, the ln(1-x) completing the plus
prescription, Floratos-Kounnas-Lacaze NPB 192 (1981) 417 eq. (B.27)).
Note: in xpns3p.f and xpns3m.f the IMOD = 2 branch of the C function multiplies ln(1-x)
with the IMOD = 1 coefficient A4ap1 while B uses A4ap2; a local term not of plus-distribution
form, which has no Mellin transform. Here IMOD = 2 uses A4ap2 for the whole plus distribution
(the consistent reading); the difference, (A4ap1 - A4ap2) ln(1-x) f(x), is not a convolution.
"""

from .as4_mellin import ONE, Y1, Term, X, padd, pmul, term

__all__ = ["nsm", "nsp", "nss"]

_XX = pmul(X, X)
_XXX = pmul(X, X, X)


def _large_nc(nf: int) -> list[Term]:
    """P3NSA0 + nf P3NSA1: leading large-nc nf^0, nf^1 (parametrised), common to + and -."""
    a0 = [
        *term(2.5e4 * 3.5254, Y1), *term(2.5e4 * 8.6935, pmul(Y1, X)),
        *term(-2.5e4 * 1.5051, pmul(Y1, _XX)), *term(2.5e4 * 1.8300, pmul(Y1, _XXX)),
        *term(2.5e4 * 11.883, X, 1), *term(-2.5e4 * 0.09066, X, 2),
        *term(2.5e4 * 11.410, Y1, 0, 1), *term(2.5e4 * 13.376, ONE, 1, 1),
        *term(5.167133e4, ONE, 1), *term(1.712095e4, ONE, 2), *term(2.863226e3, ONE, 3),
        *term(2.978255e2, ONE, 4), *term(1.6e1, ONE, 5), *term(5.0e-1, ONE, 6),
        *term(-2.973385e4), *term(1.906980e4, ONE, 0, 1),
    ]  # fmt: skip
    a1 = [
        *term(-2.5e4 * 0.74077, Y1), *term(2.5e4 * 1.4860, pmul(Y1, X)),
        *term(-2.5e4 * 0.23631, pmul(Y1, _XX)), *term(2.5e4 * 0.31584, pmul(Y1, _XXX)),
        *term(2.5e4 * 2.5251, Y1, 0, 1), *term(2.5e4 * 2.5203, ONE, 1, 1),
        *term(2.5e4 * 2.2242, X, 1), *term(-2.5e4 * 0.02460, X, 2),
        *term(2.5e4 * 0.00310, X, 3),
        *term(-9.239374e3, ONE, 1), *term(-2.917312e3, ONE, 2), *term(-4.305308e2, ONE, 3),
        *term(-3.6e1, ONE, 4), *term(-4.0 / 3.0, ONE, 5),
        *term(8.115605e3), *term(-3.079761e3, ONE, 0, 1),
    ]  # fmt: skip
    return a0 + [(nf * c, k, a, b, r) for c, k, a, b, r in a1]


def _nf3(dl3_dm: float) -> list[Term]:
    """P3NSA3, the exact nf^3 part (1610.07477); dl3_dm: the file's ln^3(x)/(1-x) coefficient."""
    return [
        *term(-2.426296), *term(-8.460488e-1, X),
        *term(5.267490e-1, ONE, 1, 0, 1), *term(-3.687243, ONE, 1), *term(3.160494, X, 1),
        *term(-1.316872, ONE, 2, 0, 1), *term(-1.316872 * 0.1, ONE, 2), *term(1.448560, X, 2),
        *term(-dl3_dm, ONE, 3, 0, 1), *term(1.31687e-1, padd((1.0, ONE), (1.0, X)), 3),
    ]  # fmt: skip


def _with_nf(parts: list[list[Term]], nf: int) -> list[Term]:
    """sum_i nf^i parts[i]."""
    return [(nf**i * c, k, a, b, r) for i, ts in enumerate(parts) for c, k, a, b, r in ts]


# plus-distribution coefficient A4qI and delta coefficient B4qI, common to + and -
def _a4(nf: int) -> float:
    return 2.120902e4 - 5.179372e3 * nf + 1.955772e2 * nf**2 + 3.272344e0 * nf**3


def _b4(nf: int) -> float:
    return (
        2.579609e4 + 0.08 - (5.818637e3 + 0.97) * nf + (1.938554e2 + 0.0037) * nf**2
        + 3.014982e0 * nf**3
    )  # fmt: skip


def nsp(nf: int, imod: int) -> tuple[list[Term], float, float]:
    """P_ns^(3)+ of xpns3p.f, imod 1 or 2: (regular terms, plus coefficient, delta coefficient)."""
    if imod == 1:
        app0 = [
            *term(3948.16, Y1), *term(-2464.61, pmul(padd((2.0, X), (-1.0, _XX)), Y1)),
            *term(-1839.44, ONE, 2), *term(-402.156, ONE, 3),
            *term(-1777.27, Y1, 0, 2), *term(-204.183, Y1, 0, 3), *term(507.152),
        ]  # fmt: skip
        app1 = [
            *term(-1116.34, pmul(X, Y1)), *term(1071.24, pmul(_XX, Y1)),
            *term(-59.3041, ONE, 2), *term(-8.4620, ONE, 3),
            *term(-143.813, Y1, 0, 1), *term(-18.8803, Y1, 0, 3), *term(-7.33927),
        ]  # fmt: skip
        a4ap, b4ap = -507.152 + 7.33927 * nf, -2405.03 + 267.965 * nf
        dl4_1 = 4.658436
    else:
        app0 = [
            *term(8698.39, pmul(X, Y1)), *term(-10490.47, pmul(_XX, Y1)),
            *term(1389.73, ONE, 1), *term(189.576, ONE, 2),
            *term(-173.936, Y1, 0, 2), *term(223.078, Y1, 0, 3), *term(505.209),
        ]  # fmt: skip
        app1 = [
            *term(-690.151, Y1), *term(-656.386, pmul(_XX, Y1)),
            *term(133.702, ONE, 2), *term(34.0569, ONE, 3),
            *term(-745.573, Y1, 0, 1), *term(8.61438, Y1, 0, 3), *term(-7.53662),
        ]  # fmt: skip
        a4ap, b4ap = -505.209 + 7.53662 * nf, -2394.47 + 269.028 * nf
        dl4_1 = 4.658437
    # small-x and constant parts common to both approximations
    app0 += [
        *term(-5.587553e1, ONE, 4), *term(-2.831276e0, ONE, 5), *term(-1.488340e-1, ONE, 6),
        *term(-2.601749e3), *term(-2.118867e3, ONE, 0, 1),
    ]  # fmt: skip
    app1 += [
        *term(dl4_1, ONE, 4), *term(2.798354e-1, ONE, 5),
        *term(3.121643e2), *term(3.379310e2, ONE, 0, 1),
    ]  # fmt: skip
    nf2 = [
        *term(2.5e2 * 3.0008, Y1), *term(2.5e2 * 0.8619, pmul(Y1, X)),
        *term(-2.5e2 * 0.12411, pmul(Y1, _XX)), *term(2.5e2 * 0.31595, pmul(Y1, _XXX)),
        *term(-2.5e2 * 0.37529, X, 1), *term(-2.5e2 * 0.21684, X, 2),
        *term(-2.5e2 * 0.02295, X, 3), *term(2.5e2 * 0.03394, Y1, 0, 1),
        *term(2.5e2 * 0.40431, ONE, 1, 1),
        *term(3.930056e2, ONE, 1), *term(1.125705e2, ONE, 2), *term(1.652675e1, ONE, 3),
        *term(7.901235e-1, ONE, 4), *term(-3.760092e2), *term(2.668861e1, ONE, 0, 1),
    ]  # fmt: skip
    regular = _large_nc(nf) + _with_nf([app0, app1, nf2, _nf3(2.633745e-1)], nf)
    return regular, _a4(nf) + a4ap, _b4(nf) + b4ap


def nsm(nf: int, imod: int) -> tuple[list[Term], float, float]:
    """P_ns^(3)- of xpns3m.f, imod 1 or 2: (regular terms, plus coefficient, delta coefficient)."""
    if imod == 1:
        app0 = [
            *term(5992.88, pmul(padd((1.0, ONE), (2.0, X)), Y1)), *term(31321.44, pmul(_XX, Y1)),
            *term(511.228), *term(-1618.07, ONE, 1), *term(2.25480, ONE, 3),
            *term(31897.82, Y1, 0, 1), *term(4653.76, Y1, 0, 2),
            *term(4.964335e-1, ONE, 6), *term(4.964335e-1 * 6.0, ONE, 5),
        ]  # fmt: skip
        app1 = [
            *term(114.457, pmul(padd((1.0, ONE), (2.0, X)), Y1)), *term(2570.73, pmul(_XX, Y1)),
            *term(-7.08645), *term(-127.012, ONE, 2), *term(2.69618, ONE, 4),
            *term(1856.63, Y1, 0, 1), *term(440.17, Y1, 0, 2),
        ]  # fmt: skip
        a4ap, b4ap = -511.228 + 7.08645 * nf, -2426.05 + 266.674 * nf - 0.05 * nf
    else:
        app0 = [
            *term(4043.59, pmul(X, Y1)), *term(-15386.6, pmul(_XX, Y1)), *term(502.481),
            *term(1532.96, ONE, 2), *term(31.6023, ONE, 3),
            *term(-3997.39, Y1, 0, 1), *term(511.567, Y1, 0, 3),
            *term(4.964335e-1, ONE, 6), *term(4.964335e-1 * 18.0, ONE, 5),
        ]  # fmt: skip
        app1 = [
            *term(-335.995, pmul(padd((2.0, ONE), (1.0, X)), Y1)), *term(-1605.91, pmul(_XX, Y1)),
            *term(-7.82077), *term(-9.76627, ONE, 2), *term(0.14218, ONE, 5),
            *term(-1360.04, Y1, 0, 1), *term(38.7337, Y1, 0, 3),
        ]  # fmt: skip
        a4ap, b4ap = -502.481 + 7.82077 * nf, -2380.255 + 270.518 * nf - 0.05 * nf
    app0 += [*term(-2.601749e3), *term(-2.118867e3, ONE, 0, 1)]
    app1 += [*term(3.121643e2), *term(3.379310e2, ONE, 0, 1)]
    nf2 = [
        *term(2.5e2 * 3.2206, Y1), *term(2.5e2 * 1.7507, pmul(Y1, X)),
        *term(2.5e2 * 0.13281, pmul(Y1, _XX)), *term(2.5e2 * 0.45969, pmul(Y1, _XXX)),
        *term(2.5e2 * 1.5641, X, 1), *term(-2.5e2 * 0.37902, X, 2),
        *term(-2.5e2 * 0.03248, X, 3), *term(2.5e2 * 2.7511, Y1, 0, 1),
        *term(2.5e2 * 3.2709, ONE, 1, 1),
        *term(4.378810e2, ONE, 1), *term(1.282948e2, ONE, 2), *term(1.959945e1, ONE, 3),
        *term(9.876543e-1, ONE, 4), *term(-3.760092e2), *term(2.668861e1, ONE, 0, 1),
    ]  # fmt: skip
    regular = _large_nc(nf) + _with_nf([app0, app1, nf2, _nf3(2.633744e-1)], nf)
    return regular, _a4(nf) + a4ap, _b4(nf) + b4ap


def nss(nf: int, imod: int) -> list[Term]:
    """P_ns^(3)s of xpns3s.f, imod 1 or 2 (regular only): P_ns,v = P_ns,- + P_ns,s."""
    if imod == 1:
        app1 = [
            *term(4989.2, pmul(Y1, X)), *term(-1607.73, pmul(Y1, _XX)),
            *term(3687.6, ONE, 1), *term(3296.6, ONE, 2), *term(1271.11, ONE, 3),
            *term(533.44, ONE, 4), *term(97.27, ONE, 5), *term(4.0, ONE, 6),
            *term(60.40, Y1, 0, 2), *term(4.685, Y1, 0, 3),
        ]  # fmt: skip
    else:
        app1 = [
            *term(1030.79, pmul(Y1, X)), *term(1266.77, pmul(Y1, padd((2.0, ONE), (-1.0, _XX)))),
            *term(2987.83, ONE, 1), *term(273.05, ONE, 2), *term(-923.48, ONE, 3),
            *term(-236.76, ONE, 4), *term(-33.886, ONE, 5), *term(-4.0, ONE, 6),
            *term(-254.63, Y1, 0, 1), *term(-0.28953, Y1, 0, 3),
        ]  # fmt: skip
    nf2 = [
        *term(2.5e2 * -4.7656, Y1), *term(2.5e2 * 1.6908, pmul(Y1, X)),
        *term(2.5e2 * 0.1703, pmul(Y1, _XX)),
        *term(-2.5e2 * 0.41652, X, 1), *term(2.5e2 * 0.90777, X, 2),
        *term(2.5e2 * 0.12478, X, 3), *term(2.5e2 * 0.17155, Y1, 0, 1),
        *term(2.5e2 * 0.17191, ONE, 1, 1),
        *term(-6.473971e2, ONE, 1), *term(-6.641219e1, ONE, 2), *term(-5.353347e0, ONE, 3),
        *term(-5.925926e0, ONE, 4), *term(-3.950617e-1, ONE, 5),
        *term(1.970002e1, Y1, 0, 1), *term(-3.435474e0, Y1, 0, 2),
    ]  # fmt: skip
    return _with_nf([[], app1, nf2], nf)
