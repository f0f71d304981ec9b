"""Running strong coupling a_s = alpha_s/(4 pi) with heavy-quark thresholds.

RGE: d a_s / d ln mu2 = -sum_{k < order} beta_k a_s^(k+2) (see :mod:`.beta`), solved either
"exact" (numerical integration of the truncated RGE) or "expanded" (the closed-form solution
expanded in a_s(mu2_0) at fixed a_s(mu2_0) ln(mu2/mu2_0), in the PEGASUS form of Vogt
hep-ph/0408244 Sec. 2); which of the two an evolution uses follows its solution method
(:data:`ekodask.options.COUPLING_MODES`, eko 0.15.7's pairing). Decoupling at
mu_h = ratio * m_h with POLE masses: Chetyrkin-Kniehl-Steinhauser hep-ph/9706430 and
Nucl. Phys. B510 (1998) 61, hep-ph/9708255
(on-shell decoupling constant zeta_g^2: two-loop constant -7/24, the three-loop constant for
order 4 and the ln(mu_h^2/m_h^2) terms; equation numbers not re-checked here); also
Schröder-Steinhauser hep-ph/0512058 App. A.

Renormalisation-scale ratio xir = mu_R/mu_F != 1 (VFNS): the convention of PEGASUS (Vogt
hep-ph/0408244 Sec. 2) and of the Les Houches scale-variation tables (hep-ph/0204316 Sec. 4,
hep-ph/0511119 Sec. 4.4): a_s changes flavour number where the PDFs do, i.e. its thresholds sit
at mu_R = xir mu_h (mu_F = mu_h) and are decoupled there with ln(mu_R^2/m_h^2) =
ln(xir^2 ratio^2); the reference a_s keeps its own nf (that of the unshifted thresholds, or
``nf_ref``) even where a shifted threshold moves across the reference scale.
"""

from dataclasses import dataclass, field
from math import log, log1p, pi

import numpy as np

from ..errors import PhysicsError
from ..thresholds import nf_at, thresholds_mu2
from .beta import b as b_coef
from .beta import beta
from .constants import LN2, ZETA2, ZETA3

__all__ = [
    "Couplings",
    "a_s_exact",
    "a_s_expanded",
    "beta_function",
    "decoupling_coefficients",
    "match_down",
    "match_down_exact",
    "match_up",
    "matching_coefficients",
    "nf_at",
]


def beta_function(a_s: float, order: int, nf: int) -> float:
    """Truncated beta(a_s) = -sum_{k<order} beta_k a_s^(k+2), i.e. d a_s / d ln mu2."""
    return -sum(beta(k, nf) * a_s ** (k + 2) for k in range(order))


def a_s_exact(order: int, a0: float, nf: int, mu2_from: float, mu2_to: float) -> float:
    """Exact solution of the RGE truncated at ``order`` (1..4) at fixed nf.

    LO has the closed form a0/(1 + beta_0 a0 ln(mu2_to/mu2_from)). Above, with u = 1/a_s and
    B(a) = 1 + sum_{k>=1} (beta_k/beta_0) a^k the RGE reads d ln mu2 = du / (beta_0 B(1/u)), so
    ln(mu2_to/mu2_from) = int_{u0}^{u} dv / (beta_0 B(1/v)) (cf. the implicit NLO solution,
    Vogt hep-ph/0408244 Sec. 2). The integral is done by composite Gauss-Legendre quadrature
    in ln v (panels of width <= 0.25, 12 nodes each: the integrand is analytic far beyond each
    panel, so the rule is exact to rounding) and u is found by Newton's method from the LO
    value: ~1e-14 relative against a 30-digit integration (scipy's DOP853 at rtol 1e-12,
    used before, is off by up to 2e-11 at a_s ~ 0.3). Past a Landau pole, or where a_s runs into
    a zero of B (a_s ~ 1 at NNLO, nf = 6: far outside perturbation theory), ArithmeticError.
    """
    lmu = log(mu2_to / mu2_from)
    if order == 1:
        return a0 / (1.0 + beta(0, nf) * a0 * lmu)
    if lmu == 0.0:
        return a0
    beta0 = beta(0, nf)
    ratios = np.array([beta(k, nf) / beta0 for k in range(order - 1, 0, -1)] + [0.0])

    def big_b(a: np.ndarray | float) -> np.ndarray | float:
        return 1.0 + np.polyval(ratios, a)  # 1 + sum_k (beta_k/beta_0) a^k

    u0 = 1.0 / a0
    s0 = log(u0)

    def t_of(u: float) -> float:
        """beta_0 ln(mu2/mu2_from) reached at 1/a_s = u."""
        s1 = log(u)
        panels = max(1, int(np.ceil(abs(s1 - s0) / 0.25)))
        edges = np.linspace(s0, s1, panels + 1)
        half = 0.5 * (edges[1:] - edges[:-1])
        s = (0.5 * (edges[1:] + edges[:-1]))[:, None] + half[:, None] * _GL_NODES[None, :]
        v = np.exp(s)
        return float(np.sum(half[:, None] * _GL_WEIGHTS[None, :] * v / big_b(1.0 / v)))

    target = beta0 * lmu
    u = u0 + target  # LO
    for _ in range(60):
        if not (np.isfinite(u) and u > 0.0):
            break
        step = (t_of(u) - target) * big_b(1.0 / u)  # Newton: dt/du = 1/B(1/u)
        u -= step
        if abs(step) <= 1e-12 * abs(u):  # quadratic convergence: the error is now ~step^2
            if np.isfinite(u) and u > 0.0:
                return 1.0 / u
            break
    raise ArithmeticError(
        f"alpha_s running failed: no solution of the order-{order} RGE from a_s = {a0} "
        f"over ln(mu2/mu2_0) = {lmu} at nf = {nf} (Landau pole?)"
    )


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(12)


def a_s_expanded(order: int, a0: float, nf: int, mu2_from: float, mu2_to: float) -> float:
    """Expanded (truncated) solution, order 1..3, as in PEGASUS (Vogt hep-ph/0408244 Sec. 2).

    With X = beta_0 a0 L, a_LO = a0/(1 + X): a_NLO = a_LO (1 - b_1 a_LO ln(1 + X)) and
    a_NNLO = a_LO [1 + a_LO (a_LO - a0)(b_2 - b_1^2) + a_NLO b_1 ln(a_NLO/a0)]. Expanding in a0
    at fixed X, the a_LO^3 term is b_1^2 (ln^2(1+X) - ln(1+X) + X) - b_2 X, which is what
    solving the RGE order by order gives; higher orders differ from the exact solution.
    """
    if order > 3:
        raise NotImplementedError("expanded alpha_s running is implemented up to NNLO")
    x = beta(0, nf) * a0 * log(mu2_to / mu2_from)
    a_lo = a0 / (1.0 + x)
    if order == 1:
        return a_lo
    b1 = b_coef(1, nf)
    a_nlo = a_lo * (1.0 - b1 * a_lo * log1p(x))
    if order == 2:
        return a_nlo
    b2 = b_coef(2, nf)
    return a_lo * (1.0 + a_lo * (a_lo - a0) * (b2 - b1**2) + a_nlo * b1 * log(a_nlo / a0))


def decoupling_coefficients(order: int, lnr: float, nl: int) -> tuple[float, float, float]:
    """(d1, d2, d3) of a^(nl) = a^(nl+1) [1 + d1 a^(nl+1) + d2 a^(nl+1)^2 + d3 a^(nl+1)^3].

    a = a_s(mu_h^2) = alpha_s/(4 pi), lnr = ln(mu_h^2/m_h^2), m_h the POLE mass, nl light
    flavours. The on-shell zeta_g^2 of Chetyrkin-Kniehl-Steinhauser (hep-ph/9706430,
    hep-ph/9708255) in units of alpha/pi: d1 = -L/6, d2 = -7/24 - 19/24 L + L^2/36,
    d3 = -58933/124416 - 2/3 zeta_2 (1 + ln2/3) - 80507/27648 zeta_3 - 8521/1728 L
         - 131/576 L^2 - L^3/216 + nl (2479/31104 + zeta_2/9 + 409/1728 L),
    times 4^k here. Evolution at order o uses the terms up to d_(o-1) (none at LO).
    """
    d1 = -lnr / 6.0 if order >= 2 else 0.0
    d2 = -7.0 / 24.0 - 19.0 / 24.0 * lnr + lnr**2 / 36.0 if order >= 3 else 0.0
    d3 = 0.0
    if order >= 4:
        d3 = (
            -58933.0 / 124416.0
            - 2.0 / 3.0 * ZETA2 * (1.0 + LN2 / 3.0)
            - 80507.0 / 27648.0 * ZETA3
            - 8521.0 / 1728.0 * lnr
            - 131.0 / 576.0 * lnr**2
            - lnr**3 / 216.0
            + nl * (2479.0 / 31104.0 + ZETA2 / 9.0 + 409.0 / 1728.0 * lnr)
        )
    return 4.0 * d1, 16.0 * d2, 64.0 * d3


def matching_coefficients(order: int, lnr: float, nl: int = 3) -> tuple[float, float, float]:
    """(c1, c2, c3) of a^(nl+1) = a^(nl) [1 + c1 a^(nl) + c2 a^(nl)^2 + c3 a^(nl)^3] at mu_h.

    The series inverse of :func:`decoupling_coefficients`: c1 = -d1, c2 = 2 d1^2 - d2,
    c3 = -5 d1^3 + 5 d1 d2 - d3, each kept only from the order that has d_k (c_k = 0 for
    k >= order); e.g. c1 = 2/3 lnr, c2 = 14/3 + 38/3 lnr + 4/9 lnr^2. nl only enters c3.
    """
    d1, d2, d3 = decoupling_coefficients(order, lnr, nl)
    c1 = -d1
    # truncate at the same order as the decoupling itself: no c2 at NLO, no c3 at NNLO
    c2 = 2.0 * d1 * d1 - d2 if order >= 3 else 0.0
    c3 = -5.0 * d1**3 + 5.0 * d1 * d2 - d3 if order >= 4 else 0.0
    return c1, c2, c3


def match_up(order: int, a_low: float, lnr: float, nl: int = 3) -> float:
    """a_s^(nl+1)(mu_h^2) from a_s^(nl)(mu_h^2); lnr = ln(mu_h^2/m_h^2)."""
    c1, c2, c3 = matching_coefficients(order, lnr, nl)
    return a_low * (1.0 + a_low * (c1 + a_low * (c2 + a_low * c3)))


def match_down(order: int, a_high: float, lnr: float, nl: int = 3) -> float:
    """a_s^(nl)(mu_h^2) from a_s^(nl+1)(mu_h^2): the decoupling series itself (CKS zeta_g^2).

    It inverts :func:`match_up` up to higher orders in a_s (the convention of eko too);
    :func:`match_down_exact` inverts it exactly.
    """
    d1, d2, d3 = decoupling_coefficients(order, lnr, nl)
    return a_high * (1.0 + a_high * (d1 + a_high * (d2 + a_high * d3)))


def match_down_exact(order: int, a_high: float, lnr: float, nl: int = 3) -> float:
    """a_s^(nl)(mu_h^2) as the exact (Newton) inverse of :func:`match_up`.

    With it, up-then-down matching is the identity to rounding.
    """
    c1, c2, c3 = matching_coefficients(order, lnr, nl)
    a = a_high
    for _ in range(50):
        f = a * (1.0 + a * (c1 + a * (c2 + a * c3))) - a_high
        step = f / (1.0 + a * (2.0 * c1 + a * (3.0 * c2 + 4.0 * a * c3)))
        a -= step
        if abs(step) <= 1e-16 * abs(a):
            break
    return a


@dataclass(frozen=True)
class Couplings:
    """alpha_s running with thresholds, as plain numbers (scales in GeV, squared ones in GeV^2).

    order: 1 (LO) .. 4 (N3LO, exact only); masses: pole (m_c, m_b, m_t) in GeV; thresholds at
    mu_h = ratio * m_h; nf_ref: flavours of alphas_ref (needed where mu2_ref sits on a
    threshold; by default from :func:`nf_at`); scheme "VFNS" or "FFNS" (then always nf_ffns);
    method "exact" or "expanded"; inverse_matching: how a_s is matched going DOWN a threshold,
    "expanded" (the CKS series, as eko) or "exact" (exact inverse of the upward relation).
    xir: mu_R/mu_F; the thresholds of a_s move to mu_R^2 = (xir ratio m_h)^2 with decoupling
    log ln(xir^2 ratio^2) (module docstring); xir = 1 is the plain running.
    """

    order: int
    alphas_ref: float
    mu2_ref: float
    masses: tuple[float, float, float]
    matching_ratios: tuple[float, float, float] = (1.0, 1.0, 1.0)
    nf_ref: int | None = None
    scheme: str = "VFNS"
    nf_ffns: int = 4
    method: str = "exact"
    inverse_matching: str = "expanded"
    xir: float = 1.0
    _solver: object = field(init=False, repr=False, compare=False)
    _values: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.order not in (1, 2, 3, 4):
            raise PhysicsError(f"order must be 1..4, got {self.order}")
        if self.method not in ("exact", "expanded"):
            raise PhysicsError(f"method must be 'exact' or 'expanded', got {self.method!r}")
        if self.scheme not in ("VFNS", "FFNS"):
            raise PhysicsError(f"scheme must be 'VFNS' or 'FFNS', got {self.scheme!r}")
        if self.inverse_matching not in ("expanded", "exact"):
            raise PhysicsError(
                f"inverse_matching must be 'expanded' or 'exact', got {self.inverse_matching!r}"
            )
        if not self.xir > 0.0:
            raise ValueError(f"xir must be a positive ratio, got {self.xir}")
        if self.method == "expanded" and self.order > 3:
            raise PhysicsError("expanded alpha_s running is implemented up to order 3")
        object.__setattr__(self, "masses", tuple(float(m) for m in self.masses))
        object.__setattr__(self, "matching_ratios", tuple(float(r) for r in self.matching_ratios))
        object.__setattr__(self, "xir", float(self.xir))
        solver = a_s_exact if self.method == "exact" else a_s_expanded
        object.__setattr__(self, "_solver", solver)
        object.__setattr__(self, "_values", {})

    @property
    def coupling_ratios(self) -> tuple[float, float, float]:
        """mu_R/m_h at the thresholds of a_s: xir * matching_ratios (the ratios when xir = 1)."""
        if self.xir == 1.0:
            return self.matching_ratios
        return tuple(self.xir * r for r in self.matching_ratios)

    @property
    def thresholds_mu2(self) -> tuple[float, float, float]:
        """Thresholds of a_s in mu_R^2, (xir * ratio * mass)^2 in GeV^2."""
        return thresholds_mu2(self.masses, self.coupling_ratios)

    def nf(self, mu2: float) -> int:
        """Active flavours at mu2 (on a threshold: the upper patch; FFNS: nf_ffns)."""
        if self.scheme == "FFNS":
            return self.nf_ffns
        return nf_at(mu2, self.thresholds_mu2)

    @property
    def a_s_ref(self) -> float:
        """a_s at the reference scale."""
        return self.alphas_ref / (4.0 * pi)

    def _nf_ref(self) -> int:
        if self.scheme == "FFNS":
            return self.nf_ffns
        if self.nf_ref is not None:
            return self.nf_ref
        # the nf of the reference does not move with xir: count the unshifted thresholds
        unshifted = tuple(
            (r * m) ** 2 for r, m in zip(self.matching_ratios, self.masses, strict=True)
        )
        return nf_at(self.mu2_ref, unshifted)

    def a_s(self, mu2: float, nf: int | None = None) -> float:
        """a_s(mu_R^2 = mu2) in the nf-flavour scheme (default: the active nf at mu2).

        Remembered per (mu2, nf) (up to 4096 values): a plan asks for the thresholds' and
        the points' values again and again (200 points: ~1000 calls, ~350 distinct).
        """
        key = (float(mu2), nf)
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= 4096:
                self._values.clear()
            value = self._values[key] = self._a_s(float(mu2), nf)
        return value

    def _a_s(self, mu2: float, nf: int | None) -> float:
        if self.scheme == "FFNS":
            if nf is not None and nf != self.nf_ffns:
                raise PhysicsError(f"FFNS with nf_ffns = {self.nf_ffns}, got nf = {nf}")
            return self._solver(self.order, self.a_s_ref, self.nf_ffns, self.mu2_ref, mu2)
        target = self.nf(mu2) if nf is None else nf
        cur_nf, cur_mu2, a = self._nf_ref(), self.mu2_ref, self.a_s_ref
        while cur_nf != target:
            up = target > cur_nf
            h = cur_nf - 3 if up else cur_nf - 4  # index of the heavy quark being crossed
            if not 0 <= h <= 2:
                raise PhysicsError(f"nf must be within 3..6, got {target}")
            mu2_h = self.thresholds_mu2[h]
            a = self._solver(self.order, a, cur_nf, cur_mu2, mu2_h)
            lnr = 2.0 * log(self.coupling_ratios[h])
            nl = cur_nf if up else cur_nf - 1
            if up:
                a = match_up(self.order, a, lnr, nl)
            elif self.inverse_matching == "expanded":
                a = match_down(self.order, a, lnr, nl)
            else:
                a = match_down_exact(self.order, a, lnr, nl)
            cur_nf += 1 if up else -1
            cur_mu2 = mu2_h
        return self._solver(self.order, a, cur_nf, cur_mu2, mu2)

    def alphas(self, mu2: float, nf: int | None = None) -> float:
        """alpha_s(mu_R^2 = mu2) = 4 pi a_s."""
        return 4.0 * pi * self.a_s(mu2, nf)
