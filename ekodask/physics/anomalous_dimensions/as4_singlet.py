"""x-space parametrisations of the four-loop singlet splitting functions, nf = 3, 4, 5.

Transcribed from the authors' Fortran files (copies with the published MD5 sums in
svenolafmoch/Conformal-EIC, N3LO_Splitting_Functions_in_pertubative_QCD/):
- P_ps^(3): xPps3a.f, Falcioni-Herzog-Moch-Vogt arXiv:2302.07593 (moments N <= 20);
- P_qg^(3): xPqg3a.f, Falcioni-Herzog-Moch-Vogt arXiv:2307.04158 (N <= 20);
- P_gq^(3): xPgq3a.f, Moch-Ruijl-Ueda-Vermaseren-Vogt arXiv:2310.05744 (N <= 10), and
  xPgq3a_2.f, Falcioni-Herzog-Moch-Pelloni-Vogt arXiv:2404.09701 (N <= 20);
- P_gg^(3): xPgg3a.f, arXiv:2310.05744 (N <= 10), and xPgg3a_2.f,
  Falcioni-Herzog-Moch-Pelloni-Vogt arXiv:2410.08089 (N <= 20).
a_s = alpha_s/(4 pi), mu_r = mu_f. Each file gives two approximations (IMOD = 1, 2) that bound
the error band; every other IMOD is their average. P_gg = A(x) + A4 [1/(1-x)]_+ + B4 delta(1-x)
(FKL eq. (B.26): the file's C = A4 ln(1-x) + B4 completes the plus prescription).
Each approximation below is a list of (coefficient, polynomial in x, power of ln x,
power of ln(1-x)) in the order of the file.
"""

from .as4_mellin import ONE, Y1, YM, Term, X, XPoly, padd, pmul, term

__all__ = ["NF_ALLOWED", "gg", "gq", "ps", "qg"]

NF_ALLOWED = (3, 4, 5)

_XX = pmul(X, X)
_Y1YM = pmul(Y1, YM)  # (1-x)/x
_Y1Y1 = pmul(Y1, Y1)
_Y1X = pmul(Y1, X)
_Y1XX = pmul(Y1, _XX)
_Y1_1P2X = pmul(Y1, padd((1.0, ONE), (2.0, X)))  # (1-x)(1+2x)
_Y1X_1PX = pmul(Y1, X, padd((1.0, ONE), (1.0, X)))  # (1-x) x (1+x)
_X_2MX = pmul(X, padd((2.0, ONE), (-1.0, X)))  # x (2-x)
_X_2PX = pmul(X, padd((2.0, ONE), (1.0, X)))  # x (2+x)
_1PXX_Y1 = pmul(padd((1.0, ONE), (1.0, _XX)), Y1)  # (1+x^2)(1-x)
_Y1_2MXX = pmul(Y1, padd((2.0, ONE), (-1.0, _XX)))  # (1-x)(2-x^2)

_Entry = tuple[float, XPoly, int, int]


def _expand(entries: list[_Entry]) -> list[Term]:
    return [t for c, p, a, b in entries for t in term(c, p, a, b)]


def _row(coefs: tuple[float, ...], basis: list[tuple[XPoly, int, int]]) -> list[_Entry]:
    return [(c, p, a, b) for c, (p, a, b) in zip(coefs, basis, strict=True)]


# ---- P_ps^(3), xPps3a.f -------------------------------------------------------------------
_PS_BASIS1 = [(_Y1YM, 1, 0), (_Y1YM, 0, 0), (_Y1_1P2X, 0, 0), (_Y1XX, 0, 0), (Y1, 1, 0),
              (ONE, 2, 0), (ONE, 3, 0), (Y1, 0, 1), (Y1, 0, 2), (_Y1Y1, 0, 2)]  # fmt: skip
_PS_BASIS2 = [(_Y1YM, 1, 0), (_Y1YM, 0, 0), (Y1, 0, 0), (_Y1X_1PX, 0, 0), (Y1, 1, 0),
              (ONE, 2, 0), (ONE, 3, 0), (Y1, 0, 1), (Y1, 0, 2), (_Y1Y1, 0, 2)]  # fmt: skip
_PS_APP = {
    3: ((67731., 274100., -104493., 34403., 353656., 10620., 40006., -7412.1, -2365.1, 1533.0),
        (54593., 179748., -195263., 12789., 4700.0, -103604., -2758.3, -2801.2, -1986.9,
         -6005.9)),
    4: ((90154., 359084., -136319., 45379., 461167., 13869., 52525., -7498.2, -2491.5, 1727.2),
        (72987., 235802., -254921., 17138., 5212.9, -135378., -3350.9, -1472.7, -1997.2,
         -8123.3)),
    5: ((112481., 440555., -166581., 56087., 562992., 16882., 64577., -6570.1, -2365.7,
         1761.7),
        (91468., 289658., -311749., 21521., 4908.9, -165795., -3814.9, 804.5, -1760.8,
         -10295.)),
}  # fmt: skip


def ps(nf: int, imod: int) -> list[Term]:
    """P_ps^(3) of xPps3a.f (2302.07593), imod 1 or 2."""
    nf2, nf3 = nf * nf, nf**3
    known = [
        (1.7492273e3 * nf, YM, 2, 0),  # bfkl1
        (-7.5061728e0 * nf + 7.9012346e-1 * nf2, ONE, 6, 0),
        (2.8549794e1 * nf + 3.7925926e0 * nf2, ONE, 5, 0),
        (-8.5480010e2 * nf + 7.7366255e1 * nf2 - 1.9753086e-1 * nf3, ONE, 4, 0),
        (-2.4755054e2 * nf + 4.0559671e1 * nf2 - 1.5802469e0 * nf3, Y1, 0, 3),
        (-5.6460905e1 * nf + 3.6213992e0 * nf2, Y1, 0, 4),
        (-1.9911111e2 * nf + 1.3695473e1 * nf2, _Y1Y1, 0, 3),
        (-1.3168724e1 * nf, _Y1Y1, 0, 4),
    ]  # fmt: skip
    basis = _PS_BASIS1 if imod == 1 else _PS_BASIS2
    return _expand(known + _row(_PS_APP[nf][imod - 1], basis))


# ---- P_qg^(3), xPqg3a.f -------------------------------------------------------------------
_QG_BASIS = [(YM, 1, 0), (_Y1YM, 0, 0), (ONE, 0, 0), (_X_2MX, 0, 0), (ONE, 1, 0), (ONE, 2, 0),
             (ONE, 3, 0), (ONE, 0, 3), (ONE, 0, 2), (ONE, 0, 1), (ONE, 1, 1)]  # fmt: skip
_QG_APP = {
    3: ((187500., 826060., -150474., 226254., 577733., -180747., 95411., 119.8, 7156.3,
         45790., -95682.),
        (135000., 484742., -11627., -187478., 413512., -82500., 29987., -850.1, -11425.,
         -75323., 282836.)),
    4: ((250000., 1089180., -241088., 342902., 720081., -247071., 126405., 272.4, 10911.,
         60563., -161448.),
        (180000., 634090., -55958., -208744., 501120., -116073., 39173., -1020.8, -13864.,
         -100922., 343243.)),
    5: ((312500., 1345700., -350466., 480028., 837903., -315928., 157086., 472.7, 15415.,
         75644., -244869.),
        (225000., 776837., -119054., -209530., 564202., -152181., 48046., -1143.8, -15553.,
         -126212., 385995.)),
}  # fmt: skip


def qg(nf: int, imod: int) -> list[Term]:
    """P_qg^(3) of xPqg3a.f (2307.04158), imod 1 or 2."""
    nf2, nf3 = nf * nf, nf**3
    known = [
        (3.9357613e3 * nf, YM, 2, 0),  # bfkl1
        (-1.9588477e1 * nf + 2.7654321e0 * nf2, ONE, 6, 0),
        (2.1573663e1 * nf + 1.7244444e1 * nf2, ONE, 5, 0),
        (-2.8667643e3 * nf + 3.0122403e2 * nf2 + 4.1316872e0 * nf3, ONE, 4, 0),
        (3.5687794e1 * nf - 3.5116598e0 * nf2 - 8.2304527e-2 * nf3, ONE, 0, 4),
        (1.8518519e0 * nf - 4.1152263e-1 * nf2, ONE, 0, 5),
        (-4.0511391e1 * nf + 5.5418381e0 * nf2 + 1.6460905e-1 * nf3, Y1, 0, 4),
        (2.8806584e0 * nf + 8.2304527e-1 * nf2, Y1, 0, 5),
    ]  # fmt: skip
    return _expand(known + _row(_QG_APP[nf][imod - 1], _QG_BASIS))


# ---- P_gq^(3), xPgq3a.f (2310.05744) and xPgq3a_2.f (2404.09701) --------------------------
def _gq_bfkl1(nf: int) -> float:
    """NLL 1/x ln^2 x coefficient, Casimir-scaled from P_gg (approximate), both files."""
    return (-1.0691199e5 - nf * 9.9638304e2) / 2.25


_GQ1_BASIS = [(_Y1YM, 0, 0), (ONE, 0, 0), (ONE, 1, 0), (ONE, 0, 2), (ONE, 0, 3)]
_GQ1_APP = {
    3: ((-161562., 36469., 72317., -3977.3, 484.4), (-546482., -39464., -401000., 13270., 3289.)),
    4: ((-158805., 35098., 87258., -4834.1, 176.6), (-547215., -41523., -390350., 12571., 3007.)),
    5: ((-154336., 33889., 103440., -5745.8, -128.6),
        (-546236., -43421., -378460., 11816., 2727.3)),
}  # fmt: skip
_GQ2_BASIS1 = [(_Y1YM, 0, 0), (ONE, 0, 0), (_X_2PX, 0, 0), (ONE, 1, 0), (ONE, 2, 0),
               (ONE, 3, 0), (ONE, 0, 3), (ONE, 0, 2), (ONE, 0, 1), (Y1, 0, 2)]  # fmt: skip
_GQ2_BASIS2 = [(_Y1YM, 0, 0), (ONE, 0, 0), (_X_2MX, 0, 0), (ONE, 1, 0), (ONE, 2, 0),
               (ONE, 3, 0), (ONE, 0, 3), (ONE, 0, 2), (ONE, 0, 1), (ONE, 1, 1)]  # fmt: skip
_GQ2_APP = {
    3: ((-744384., 2453640., -1540404., 1933026., 1142069., 162196., -2172.1, -93264.1,
         -786973., 875383.),
        (142414., -326525., 2159787., -289064., -176358., 156541., 9016.5, 136063., 829482.,
         -2359050.)),
    4: ((-743535., 2125286., -1332472., 1631173., 1015255., 142612., -1910.4, -80851.,
         -680219., 752733.),
        (160568., -361207., 2048948., -245963., -171312., 163099., 8132.2, 124425., 762435.,
         -2193335.)),
    5: ((-785864., 285034., -131648., -162840., 321220., 12688., 1423.4, 1278.9, -30919.9,
         47588.),
        (177094., -470694., 1348823., -52985., -87354., 176885., 4748.8, 65811.9, 396390.,
         -1190212.)),
}  # fmt: skip


def gq(nf: int, imod: int, vintage: int) -> list[Term]:
    """P_gq^(3), imod 1 or 2; vintage 1: xPgq3a.f (2310.05744), 2: xPgq3a_2.f (2404.09701)."""
    nf2 = nf * nf
    bfkl1 = _gq_bfkl1(nf)
    known = [
        (-8.3086173e3 / 2.25, YM, 3, 0),  # bfkl0
        (bfkl1, YM, 2, 0),
        (3.7539831e2 - 3.4494742e1 * nf + 8.7791495e-1 * nf2, ONE, 0, 4),
        (1.3443073e1 - 5.4869684e-1 * nf, ONE, 0, 5),
    ]
    if vintage == 1:
        nll = (3.4 if imod == 1 else 5.4) * bfkl1
        app = _row(_GQ1_APP[nf][imod - 1], _GQ1_BASIS)
    else:
        known += [
            (5.2235940e1 - 7.3744856e0 * nf, ONE, 6, 0),
            (-2.9221399e2 + 1.8436214e0 * nf, ONE, 5, 0),
            (7.3106077e3 - 3.7887135e2 * nf - 3.2438957e1 * nf2, ONE, 4, 0),
            (6.6242163e2 - 4.7992684e1 * nf + 8.7791495e-1 * nf2, Y1, 0, 4),
            (2.2222222e1 - 5.4869684e-1 * nf, Y1, 0, 5),
        ]
        nll = (6.0 if imod == 1 else 3.0) * bfkl1
        app = _row(_GQ2_APP[nf][imod - 1], _GQ2_BASIS1 if imod == 1 else _GQ2_BASIS2)
    return _expand([*known, (nll, YM, 1, 0), *app])


# ---- P_gg^(3), xPgg3a.f (2310.05744) and xPgg3a_2.f (2410.08089) --------------------------
def gg_a4(nf: int) -> float:
    """A4gluon: coefficient of [1/(1-x)]_+ (the four-loop gluon cusp), both files."""
    return 40880.330 - 11714.246 * nf + 440.04876 * nf**2 + 7.3627750 * nf**3


def gg_b4(nf: int, imod: int, vintage: int) -> float:
    """B4gluon: coefficient of delta(1-x); xPgg3a_2.f shifts it by -0.2 (IMOD 1), +0.2 (2)."""
    b4 = 68587.64 - 18143.983 * nf + 423.81135 * nf**2 + 9.0672154e-1 * nf**3
    if vintage == 2:
        b4 += {1: -0.2, 2: 0.2}.get(imod, 0.0)
    return b4


_GG1_BASIS = [(_Y1YM, 0, 0), (_1PXX_Y1, 0, 0), (ONE, 1, 0), (Y1, 0, 2), (Y1, 0, 3)]
_GG1_APP = {
    3: ((-345063., 86650., 158160., -15741., -9417.),
        (-1265632., -656644., -1352233., 203298., 39112.)),
    4: ((-342625., 100372., 189167., -29762., -12102.),
        (-1271540., -649661., -1334919., 191263., 36867.)),
    5: ((-337540., 119366., 223769., -45129., -15046.),
        (-1274800., -637406., -1314010., 177882., 34362.)),
}  # fmt: skip
# xPgg3a_2.f: the seven basis functions common to all, then the nf-specific ones
_GG2_COMMON = [(_Y1YM, 1, 0), (_Y1YM, 0, 0), (Y1, 1, 0), (ONE, 2, 0), (ONE, 3, 0), (Y1, 0, 1),
               (Y1, 0, 2)]  # fmt: skip
_GG2_APP = {
    3: (((-421311., -325557., 3246307., 2026324., 549188., 8337., 26718.),
         [(1679790., Y1, 0, 0), (-1456863., _Y1X, 0, 0), (-27049., _Y1Y1, 0, 3)]),
        ((-700113., -2300581., -2661862., 196759., -260607., 84068., 346318.),
         [(896407., _Y1_1P2X, 0, 0), (-162733., _Y1XX, 0, 0), (315725., ONE, 1, 2)])),
    4: (((-437084., -361570., 3195104., 2009021., 544380., 9938., 24376.),
         [(1696070., Y1, 0, 0), (-1457385., _Y1X, 0, 0), (-22143., _Y1Y1, 0, 3)]),
        ((-706649., -2274637., -2683760., 168802., -250799., 36967., 24530.),
         [(836544., _Y1_1P2X, 0, 0), (-199929., _Y1XX, 0, 0), (-71470., _Y1Y1, 0, 2)])),
    5: (((-439426., -293679., 3648786., 2166231., 594588., 50406., 24692.),
         [(1916281., Y1, 0, 0), (-1615883., _Y1X, 0, 0), (174067., _Y1Y1, 0, 1)]),
        ((-705978., -2192234., -2602682., 178960., -218133., 2285., 19295.),
         [(1730508., _Y1X, 0, 0), (353143., _Y1_2MXX, 0, 0), (-13719., _Y1Y1, 0, 2)])),
}  # fmt: skip


def gg(nf: int, imod: int, vintage: int) -> list[Term]:
    """Regular part of P_gg^(3), imod 1 or 2; vintage 1: xPgg3a.f, 2: xPgg3a_2.f."""
    nf2, nf3 = nf * nf, nf**3
    known = [
        (8.5814120e4 - 1.3880515e4 * nf + 1.3511111e2 * nf2, ONE, 0, 1),  # Ccoeff
        (5.4482808e4 - 4.3411337e3 * nf - 2.1333333e1 * nf2 - gg_a4(nf), ONE, 0, 0),
    ]
    if vintage == 1:
        bfkl1 = -1.069119905e5 - 9.963830436e2 * nf
        known += [(-8.308617314e3, YM, 3, 0), (bfkl1, YM, 2, 0)]
        nll = (3.4 if imod == 1 else 5.4) * bfkl1
        app = [(nll, YM, 1, 0), *_row(_GG1_APP[nf][imod - 1], _GG1_BASIS)]
    else:
        known += [
            (-8.3086173e3, YM, 3, 0),
            (-1.0691199e5 - 9.9638304e2 * nf, YM, 2, 0),
            (1.44e2 - 2.7786008e1 * nf + 7.9012346e-1 * nf2, ONE, 6, 0),
            (-1.44e2 - 1.6208066e2 * nf + 1.4380247e1 * nf2, ONE, 5, 0),
            (2.6165784e4 - 3.3447551e3 * nf + 9.1522635e1 * nf2 - 1.9753086e-1 * nf3, ONE, 4, 0),
            (5.6460905e1 * nf - 3.6213992e0 * nf2, Y1, 0, 4),
            (2.4755054e2 * nf - 4.0559671e1 * nf2 + 1.5802469e0 * nf3, Y1, 0, 3),
        ]  # fmt: skip
        common, extra = _GG2_APP[nf][imod - 1]
        app = _row(common, _GG2_COMMON) + extra
    return _expand(known + app)
