"""The plan of an EKO as plain frozen data: for every evolution point its steps and their inputs.

The only module that turns cards into physics arguments. An evolution point (mu2, nf) is reached
from (mu0^2, nf0) by fixed-nf :class:`Segment` s joined by :class:`Matching` s at the thresholds
mu_h^2 = (ratio m_h)^2 (upwards nf -> nf+1 with the OMEs, downwards with their inverse). Each
threshold crossed is keyed by ``(mu2_h, nf_after)``; its operator maps the PDFs at mu0 to those
just after the matching there (a :class:`ThresholdRecipe`, built on the threshold before it).
The final operator of a point is ``combine(partial, threshold)`` (a :class:`PointRecipe`).

:func:`plan` computes every step once, with the scalars it needs (a_s at its edges, the log of
the matching ratio), and one :class:`Numerics`; the tasks of :mod:`ekodask.graph` receive these
objects (picklable), never the cards. Scale choices live in one place: :func:`scale_choice`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .cards import OperatorCard, TheoryCard, scvar_method
from .errors import CardError, PhysicsError
from .options import COUPLING_MODES
from .physics.coupling import Couplings
from .thresholds import nf_at, on_threshold, thresholds_mu2

__all__ = [
    "Matching",
    "Numerics",
    "Plan",
    "PointRecipe",
    "ScaleChoice",
    "Segment",
    "ThresholdRecipe",
    "alphas",
    "couplings",
    "evolution_points",
    "numerics",
    "path",
    "plan",
    "scale_choice",
]

ThresholdKey = tuple[float, int]
"""(mu2_h in GeV^2, nf after the matching): JSON-able as a two-element list."""
Point = tuple[float, int]
"""An evolution point (mu2 in GeV^2, nf)."""


@dataclass(frozen=True)
class Segment:
    """Evolution at fixed ``nf`` from ``mu2_from`` to ``mu2_to`` (factorisation scales, GeV^2).

    ``a_s_from``, ``a_s_to``: a_s = alpha_s/(4 pi) at the renormalisation scales of the two
    edges, in the nf-flavour scheme (see :class:`ScaleChoice`). ``expanded_ln_rho``: ln xif^2
    where the expanded scale-variation kernel K(a_s_to, xif^2) follows the evolution (the last
    flavour patch of a point, scvar_method = expanded; a_s_to is then at xif^2 mu2_to), else 0.
    """

    mu2_from: float
    mu2_to: float
    nf: int
    a_s_from: float
    a_s_to: float
    expanded_ln_rho: float = 0.0


@dataclass(frozen=True)
class Matching:
    """Matching at the threshold ``mu2`` (GeV^2) from ``nf_from`` to ``nf_to`` = nf_from +- 1.

    ``a_s``: a_s^(nf_low+1) at mu_R^2 = xir^2 mu2, nf_low = min(nf_from, nf_to); ``log_ratio``:
    ln(mu_h^2/m_h^2); ``ln_xir2``: ln(mu_R^2/mu2), in which the OMEs are re-expanded.
    """

    mu2: float
    nf_from: int
    nf_to: int
    a_s: float
    log_ratio: float
    ln_xir2: float = 0.0

    @property
    def key(self) -> ThresholdKey:
        """The threshold key (mu2, nf_to)."""
        return (self.mu2, self.nf_to)

    @property
    def heavy(self) -> int:
        """PDG id of the quark that becomes (in)active here."""
        return max(self.nf_from, self.nf_to)

    @property
    def nf_low(self) -> int:
        """The flavour number below the threshold."""
        return min(self.nf_from, self.nf_to)

    @property
    def backward(self) -> bool:
        """Whether the matching goes down (nf+1 -> nf, the inverse matching)."""
        return self.nf_to < self.nf_from


Step = Segment | Matching


@dataclass(frozen=True)
class ScaleChoice:
    """How the scales of a segment are set: the one place of the scale-variation convention.

    ``mu2_r_factor``: a_s of a segment edge is taken at mu_R^2 = mu2_r_factor * mu_F^2;
    ``gamma_xir``: the ratio mu_R/mu_F in which the anomalous dimensions are re-expanded
    (:func:`ekodask.physics.kernels.gamma_xir`; 1 = none); ``xif``: the factorisation-scale
    ratio of the card, ``scvar_method`` its scheme (None where xif = 1; cards.scvar_method).
    """

    mu2_r_factor: float
    gamma_xir: float
    xif: float
    scvar_method: str | None = None


@dataclass(frozen=True)
class Numerics:
    """Everything a step needs besides its own scalars; from the cards, frozen.

    xgrid (ends at 1), degree of the Lagrange interpolation in log x, order (1 = LO ..
    options.MAX_ORDER), method (options.EVOLUTION_METHODS), ev_op_iterations, intrinsic heavy
    flavours, the scale choice, and ``with_error``: whether operators carry their inversion-error
    bound (:func:`ekodask.mellin.x_space_operator`, 5/3 of the kernel evaluations);
    ev_op_max_order (U-matrix terms of the perturbative-* methods) and inversion_method (how
    backward matching is inverted, options.INVERSION_METHODS), eko's names.
    ``matching_order``: power of a_s in the OMEs (default order - 1); ``n3lo_ad_variation``,
    ``n3lo_ad_vintage``: the aN3LO parametrisation choice (order 4 only).
    ``polarized``/``time_like``: which anomalous dimensions and OMEs (theory card).
    """

    xgrid: tuple[float, ...]
    degree: int
    order: int
    method: str
    ev_op_iterations: int
    intrinsic: tuple[int, ...]
    scales: ScaleChoice
    with_error: bool = True
    ev_op_max_order: int = 10
    inversion_method: str = "expanded"
    matching_order: int | None = None
    n3lo_ad_variation: tuple[int, ...] = (0,) * 7
    n3lo_ad_vintage: str | None = None
    polarized: bool = False
    time_like: bool = False

    @property
    def ome_order(self) -> int:
        """The ``order`` argument of the matching: matching_order + 1 (1: identity matching)."""
        return (self.order - 1 if self.matching_order is None else self.matching_order) + 1


@dataclass(frozen=True)
class ThresholdRecipe:
    """The operator from mu0 to just after the matching ``key``.

    ``steps`` start at the threshold ``previous`` (whose operator they are applied to) or, when
    None, at mu0; the last step is the matching of ``key``.
    """

    key: ThresholdKey
    previous: ThresholdKey | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class PointRecipe:
    """One evolution point: the whole ``path`` from mu0, and its split into threshold + partial.

    ``start``: key of the threshold operator the partial combines with (None: from mu0);
    ``partial``: the segments after the last matching (empty: the identity).
    """

    mu2: float
    nf: int
    path: tuple[Step, ...]
    start: ThresholdKey | None
    partial: tuple[Step, ...]

    @property
    def point(self) -> Point:
        """(mu2, nf)."""
        return (self.mu2, self.nf)


@dataclass(frozen=True)
class Plan:
    """What a run must compute: the cards (for the store only), numerics, points, thresholds.

    ``thresholds`` are in dependency order: each one's ``previous`` comes before it.
    """

    theory: TheoryCard
    operator: OperatorCard
    numerics: Numerics
    points: tuple[PointRecipe, ...]
    thresholds: tuple[ThresholdRecipe, ...]
    _by_key: dict[ThresholdKey, ThresholdRecipe] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {r.key: r for r in self.thresholds})

    @property
    def starts(self) -> dict[Point, ThresholdKey | None]:
        """The threshold each point's partial starts from."""
        return {p.point: p.start for p in self.points}

    def threshold(self, key: ThresholdKey) -> ThresholdRecipe:
        """The recipe of threshold ``key``."""
        try:
            return self._by_key[tuple(key)]
        except KeyError:
            msg = f"threshold {key} is not on the path of any evolution point"
            raise PhysicsError(msg) from None

    def chain(self, key: ThresholdKey) -> tuple[ThresholdRecipe, ...]:
        """The recipes of every threshold up to ``key`` on its path, first one first."""
        out = [self.threshold(key)]
        while out[-1].previous is not None:
            out.append(self.threshold(out[-1].previous))
        return tuple(reversed(out))


# --------------------------------------------------------------------------------------------


def _cards(theory: TheoryCard, operator: OperatorCard | None = None) -> None:
    if not isinstance(theory, TheoryCard) or not (
        operator is None or isinstance(operator, OperatorCard)
    ):
        raise CardError("recipes take validated cards: use ekodask.cards.load_cards first")


def _thresholds(t: TheoryCard) -> tuple[float, ...]:
    return thresholds_mu2(t.masses, t.matching_ratios)


def couplings(theory: TheoryCard, operator: OperatorCard | None = None) -> Couplings:
    """The :class:`Couplings` of a theory card, running as the operator card's method needs.

    a_s runs exactly, or expanded where the solution method asks for it
    (:data:`ekodask.options.COUPLING_MODES`, eko's pairing); without ``operator``: exactly, as
    for the default method.

    With xir != 1 in the VFNS, a_s follows the PEGASUS convention of the LHA scale-variation
    tables (hep-ph/0408244; hep-ph/0511119 Sec. 4.4): its flavour thresholds sit at mu_R =
    xir * ratio * m_h, i.e. where the PDFs change nf (mu_F = mu_h), decoupled with
    ln(mu_R^2/m_h^2), and the reference alpha_s keeps the card's nf. The exponentiated
    factorisation-scale variation (xif != 1 and the ``operator`` card's scvar_method
    exponentiated, or no operator card: the default scheme) moves them alike, to xif * ratio *
    m_h (eko 0.15: a_s matched at xif^2 mu_h^2, MHOU.rst); the expanded scheme leaves them.
    """
    _cards(theory, operator)
    ratio = scale_choice(theory, operator).gamma_xir
    mu2_ref = theory.alphas_scale**2
    on = theory.scheme == "VFNS" and on_threshold(mu2_ref, _thresholds(theory))
    return Couplings(
        order=theory.order,
        alphas_ref=theory.alphas,
        mu2_ref=mu2_ref,
        masses=theory.masses,
        matching_ratios=theory.matching_ratios,
        nf_ref=theory.nf0 if on else None,
        scheme=theory.scheme,
        nf_ffns=theory.nf_ffns,
        method="exact" if operator is None else COUPLING_MODES[operator.method],
        xir=ratio,
    )


def alphas(
    theory: TheoryCard, mu2: float, nf: int | None = None, operator: OperatorCard | None = None
) -> float:
    """alpha_s (not a_s) at mu_R^2 = mu2 in GeV^2; ``nf`` picks the patch on a threshold.

    For xir != 1, or xif != 1 in the exponentiated scheme (the default without ``operator``),
    the thresholds of alpha_s are at (xir * xif * ratio * m_h)^2; with ``operator`` the
    running (exact or expanded) is that of its method (:func:`couplings`).
    """
    return couplings(theory, operator).alphas(float(mu2), nf)


def scale_choice(theory: TheoryCard, operator: OperatorCard | None = None) -> ScaleChoice:
    """The scale convention, for xir and xif (the cards allow at most one of them != 1).

    xir: a_s at xir^2 mu_F^2, gamma re-expanded in ln xir^2 (arXiv:2202.02338 Sec. 2.3).
    xif, exponentiated (eko's definition, 1906.10698 Eq. (3.32), MHOU.rst): the same shift by
    xif^2 in every patch, i.e. a_s at xif^2 mu^2, gammas and OMEs re-expanded in ln xif^2, a_s
    matched at xif^2 mu_h^2. xif, expanded: no shift here; the last patch of each point ends at
    a_s(xif^2 mu^2) and K follows it (:class:`Segment`). Without ``operator`` the scheme is the
    default (exponentiated).
    """
    if theory.xif == 1.0:
        method = None
    elif operator is None:
        method = "exponentiated"
    else:
        method = scvar_method(theory, operator)
    ratio = theory.xir * (theory.xif if method == "exponentiated" else 1.0)
    return ScaleChoice(mu2_r_factor=ratio**2, gamma_xir=ratio, xif=theory.xif, scvar_method=method)


def numerics(theory: TheoryCard, operator: OperatorCard) -> Numerics:
    """The :class:`Numerics` of a pair of cards."""
    _cards(theory, operator)
    return Numerics(
        xgrid=tuple(operator.xgrid),
        degree=operator.interpolation_degree,
        order=theory.order,
        method=operator.method,
        ev_op_iterations=operator.ev_op_iterations,
        intrinsic=tuple(theory.intrinsic),
        scales=scale_choice(theory, operator),
        with_error=operator.error_bounds,
        ev_op_max_order=operator.ev_op_max_order,
        inversion_method=operator.inversion_method,
        matching_order=theory.matching_order,
        n3lo_ad_variation=tuple(theory.n3lo_ad_variation),
        n3lo_ad_vintage=theory.n3lo_ad_vintage,
        polarized=theory.polarized,
        time_like=theory.time_like,
    )


def _nf_of(theory: TheoryCard, mu2: float, nf: int | None) -> int:
    if theory.scheme == "FFNS":
        if nf is not None and nf != theory.nf_ffns:
            raise PhysicsError(f"FFNS with nf_ffns = {theory.nf_ffns}: cannot evolve to nf = {nf}")
        return theory.nf_ffns
    return nf_at(mu2, _thresholds(theory)) if nf is None else int(nf)


def evolution_points(theory: TheoryCard, operator: OperatorCard) -> tuple[Point, ...]:
    """The (mu2, nf) of the operator card's mu2grid, nf from the thresholds where not given."""
    _cards(theory, operator)
    return tuple((float(mu2), _nf_of(theory, mu2, nf)) for mu2, nf in operator.mu2grid)


def _segment(cpl: Couplings, sc: ScaleChoice, mu2_from: float, mu2_to: float, nf: int) -> Segment:
    k = sc.mu2_r_factor
    return Segment(mu2_from, mu2_to, nf, cpl.a_s(k * mu2_from, nf), cpl.a_s(k * mu2_to, nf))


def _matching(
    t: TheoryCard, cpl: Couplings, sc: ScaleChoice, mu2_h: float, nf_from: int, nf_to: int
) -> Matching:
    nf_low = min(nf_from, nf_to)
    ratio = t.matching_ratios[max(nf_from, nf_to) - 4]
    k = sc.mu2_r_factor
    # PEGASUS convention (hep-ph/0408244, LHA hep-ph/0511119 Sec. 4.4): the PDFs match at
    # mu_F = mu_h with a_s^(nf+1)(xir^2 mu_h^2) and the OMEs re-expanded in ln xir^2
    return Matching(
        mu2_h, nf_from, nf_to, cpl.a_s(k * mu2_h, nf_low + 1), 2.0 * math.log(ratio), math.log(k)
    )


def _path(
    t: TheoryCard, mu2_0: float, mu2: float, nf: int, cpl: Couplings, sc: ScaleChoice
) -> tuple[Step, ...]:
    if t.scheme == "FFNS":
        _nf_of(t, mu2, nf)
        steps: list[Step] = [_segment(cpl, sc, mu2_0, mu2, t.nf_ffns)]
        return _expanded_last(tuple(s for s in steps if s.mu2_from != s.mu2_to), cpl, sc, mu2, nf)
    thr = _thresholds(t)
    if not 3 <= nf <= 6:
        raise PhysicsError(f"nf must be within 3..6, got {nf}")
    steps = []
    cur_mu2, cur_nf = mu2_0, t.nf0
    # one threshold at a time towards nf: quarks nf0+1 .. nf upwards, nf0 .. nf+1 downwards
    while cur_nf != nf:
        new_nf = cur_nf + 1 if nf > cur_nf else cur_nf - 1
        mu2_h = thr[max(cur_nf, new_nf) - 4]
        if cur_mu2 != mu2_h:
            steps.append(_segment(cpl, sc, cur_mu2, mu2_h, cur_nf))
        steps.append(_matching(t, cpl, sc, mu2_h, cur_nf, new_nf))
        cur_mu2, cur_nf = mu2_h, new_nf
    if cur_mu2 != float(mu2):
        steps.append(_segment(cpl, sc, cur_mu2, float(mu2), cur_nf))
    return _expanded_last(tuple(steps), cpl, sc, float(mu2), cur_nf)


def _expanded_last(
    steps: tuple[Step, ...], cpl: Couplings, sc: ScaleChoice, mu2: float, nf: int
) -> tuple[Step, ...]:
    """The expanded scheme: the last patch's segment ends at a_s^(nf)(xif^2 mu2), K follows.

    1906.10698 Eq. (3.35), MHOU.rst: f(mu2) = K(a_s(xif^2 mu2), xif^2) E(xif^2 mu2 <- ...);
    a point without a segment in its patch (at mu0 or right after a matching) gets one of zero
    length in mu_F, which still runs a_s from mu2 to xif^2 mu2. Other schemes: unchanged.
    """
    if sc.scvar_method != "expanded":
        return steps
    rho = sc.xif**2
    if steps and isinstance(steps[-1], Segment):
        last, steps = steps[-1], steps[:-1]
        mu2_from, a_from = last.mu2_from, last.a_s_from
    else:
        mu2_from, a_from = mu2, cpl.a_s(mu2, nf)
    seg = Segment(mu2_from, mu2, nf, a_from, cpl.a_s(rho * mu2, nf), math.log(rho))
    return (*steps, seg)


def path(theory: TheoryCard, operator: OperatorCard, mu2: float, nf: int) -> tuple[Step, ...]:
    """Steps from (mu0^2, nf0) to (mu2, nf): segments and matchings; zero-length segments dropped.

    The flavour number changes one threshold at a time, in the direction of ``nf``: the
    thresholds of the quarks nf0+1 .. nf upwards, or nf0 .. nf+1 downwards (backward matching).
    """
    _cards(theory, operator)
    cpl, sc = couplings(theory, operator), scale_choice(theory, operator)
    return _path(theory, operator.mu0**2, mu2, nf, cpl, sc)


def plan(
    theory: TheoryCard, operator: OperatorCard, points: tuple[Point, ...] | None = None
) -> Plan:
    """Every step of every point (or of ``points`` only), each computed once, and the thresholds.

    The cards must be validated (:func:`ekodask.cards.load_cards`); nothing here re-checks them.
    """
    _cards(theory, operator)
    cpl, sc = couplings(theory, operator), scale_choice(theory, operator)
    wanted = evolution_points(theory, operator) if points is None else tuple(points)
    recipes, thresholds = [], {}
    for mu2, nf in wanted:
        steps = _path(theory, operator.mu0**2, mu2, nf, cpl, sc)
        last, previous = -1, None
        for i, s in enumerate(steps):
            if isinstance(s, Matching):
                if s.key not in thresholds:
                    thresholds[s.key] = ThresholdRecipe(s.key, previous, steps[last + 1 : i + 1])
                last, previous = i, s.key
        recipes.append(PointRecipe(float(mu2), int(nf), steps, previous, steps[last + 1 :]))
    return Plan(
        theory=theory,
        operator=operator,
        numerics=numerics(theory, operator),
        points=tuple(recipes),
        thresholds=tuple(thresholds.values()),
    )
