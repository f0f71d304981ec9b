"""Polarised and time-like EKOs against eko 0.15.7 (``-m bench``; skipped without the cache).

The eko operators are cached by :mod:`ekodask.benchmarks.eko_reference` (bench-results/eko/):
run this file once with ``EKODASK_RUN_EKO=1`` in the environment and the bench venv, then the
missing points are computed by eko (minutes each) and kept.

eko runs its ``iterate-exact`` (midpoint rule, error ~ 1/steps^2) with 160 steps; ekodask its
converged ``iterate-magnus4`` (10 steps), so 1e-4 is what two correct codes must reach (as
tests/benchmarks/test_eko_compare.py). 30-point x-grid (every other point of lha_xgrid()).
Two measures, both <= 1e-4: eko_reference's per-entry relative difference (beyond eko's error
estimate, entries above 1e-6 of the largest) for x_out >= 1e-3, and max |ours - eko| over the
largest entry everywhere.

Below x_out = 1e-3 the per-entry measure reaches 3.4e-3 (polarised LO) .. 1.9e-2 (polarised NLO
VFNS) on entries much smaller than the integrand of their Mellin inversion. Settled against the
mpmath reference of tests/physics/mellin_reference.py (LO FFNS; test_small_x_rows_against_
reference): eko is the side that is off. Polarised, x_out = 1e-7: eko 1.7e-3 (evolution basis,
Sigma <- Sigma at x_in = 0.98), 2.6e-3 (flavour entries); x_out = 1e-5: 1.4e-4 / 4.6e-4; ekodask
<= 2.2e-10 in both bases. Unpolarised control: eko 7e-5 / 6.8e-4 (x_out = 1e-7), 1.4e-4 / 5.1e-3
(1e-5), ekodask <= 4e-7. Two causes in eko, both shown with eko's own pieces:
- its N-space basis transform (eko.interpolation.log_evaluate_Nx, the closed form of
  int x^(N-1) ln^k x over an area) carries relative round-off up to 1e-7 where |N h| << 1 (x_in
  = 0.98, h = 0.02, on the Talbot path of x_out = 1e-7); the integrand there is ~1e8 while a
  polarised entry is O(10), so the noise is amplified ~1e5 more than for the unpolarised entries
  (O(1e6)). With the exact transform put in, eko's kernel, path and quad tolerances give the
  reference to 5e-11 (LO) and ekodask's iterate-exact to 5e-8 (NLO, where eko's stored entries
  are off by 2.0e-4): test_eko_small_x_deviation_is_its_basis_transform,
  test_polarised_nlo_small_x_deviation_is_eko_basis_transform. ekodask's transform
  (ekodask.interpolation.shifted_moments) uses a series for |N h| <= 1;
- near the diagonal (x_in <= x_out and the next points) eko cuts its contour at theta = 0.9 pi
  (mellin_cut = 0.05), where the terms of the areas next to x_out have not decayed: 1e-5..8.4e-4
  (unpolarised LO, x_out = 2.5e-7 .. 1e-5), gone (1e-7) when the same pieces integrate on to
  u = 0.99 (test_eko_near_diagonal_deviation_is_its_contour_cut). These are the largest
  flavour-basis deviations (flavour entries mix singlet and non-singlet ones and cancel).
The unpolarised NNLO control shows the same (test_unpolarised_nnlo_small_x_differences_are_eko_
inversion: up to 3.2e-4 next to the diagonal at x_out = 2.5e-7, eko's pieces with the exact
transform and a longer contour equal ekodask's iterate-exact to 4.5e-7).
The polarised NLO VFNS 1.9e-2 (s <- dbar, x_out = 1e-7, x_in = 6.3e-7) is mostly a third
piece of eko's inversion: its matchings at mu_h = m_h (L = 0) are exactly the identity, which
eko still Mellin-inverts with its transform and cut contour (off by up to 2.4e-2 on the
singlet path); with the identity in their place 3.8e-3 is left (its segments: there the contour
cut), and eko's pieces with the exact transform and the longer contour equal ekodask's VFNS to
4.3e-6 per entry (eko's method on both sides): tests/benchmarks/test_eko_polarized_vfns.py.
ekodask itself had lost 2e-6 at x_out = 1e-7 with the polarised singlet contour at N = 1 (now
N = 0: ekodask.mellin.singlet_pole). Time-like NLO at small x is a method difference instead
(test_time_like_nlo_small_x_difference_is_the_path_ordering).

Other differences that are explained rather than hidden (each with its own test):
- time-like NNLO: eko's NNLO kernels are the x-space parametrisations, ekodask's the exact
  N-space results; and eko 0.15.7 gamma_nsv has the wrong sign of its ns- part
  (tests/benchmarks/test_eko_gamma_polarized_time_like.py): see test_time_like_nnlo_against_eko;
  with ekore's gamma^(2)T_ns+ put into ekodask, T3/T8 agree with eko to 1.2e-6 (x_out >= 1e-2)
  and 1.9e-4 (x_out >= 1e-3) instead of 1.1e-4 and 1.6e-2
  (test_time_like_nnlo_t3_difference_is_the_ns_parametrisation);
- time-like NLO VFNS, the heavy quark from the gluon at threshold: eko 0.15.7's time-like
  A_hg^(1) (ekore operator_matrix_elements/unpolarized/time_like/as1.py) is half of ekodask's:
  eko puts the per-quark d_{h->g} on h+ = D_h + D_hbar. The renormalisation-group equation fixes
  the L term of h+ to 2 P^T_gq^(0) (one quark and one antiquark), i.e. ekodask's value
  (tests/test_time_like_evolution.py::test_time_like_ome_o_as); with ekodask's A_hg^(1) halved
  the two agree (test_time_like_vfns_with_eko_matching);
- polarised NNLO: refused by the cards (1506.04517 missing), not compared.
"""

import dataclasses
import os

import numpy as np
import pytest

from ekodask.benchmarks import eko_reference as ref
from ekodask.cards import load_cards
from ekodask.compute import final_operator
from ekodask.interpolation import lha_xgrid
from ekodask.physics import basis
from ekodask.recipes import plan

pytestmark = pytest.mark.bench

_G = lha_xgrid()
GRID = [*_G[:-1:2].tolist(), 1.0]
FFNS4 = {"scheme": "FFNS", "nf_ffns": 4}
POL, TL = {"polarized": True}, {"time_like": True}
# name: (theory overrides, eko's ev_op_iterations, tolerance)
SETTINGS = {
    "unpol_LO_FFNS": ({"order": 1, **FFNS4}, None, 1e-4),  # the controls
    "unpol_NNLO_FFNS": ({"order": 3, **FFNS4}, 160, 1e-4),
    "pol_LO_FFNS": ({"order": 1, **POL, **FFNS4}, None, 1e-4),
    "pol_LO_VFNS": ({"order": 1, **POL}, None, 1e-4),
    "pol_NLO_FFNS": ({"order": 2, **POL, **FFNS4}, 160, 1e-4),
    "pol_NLO_VFNS": ({"order": 2, **POL}, 160, 1e-4),
    "tl_LO_FFNS": ({"order": 1, **TL, **FFNS4}, None, 1e-4),
    "tl_LO_VFNS": ({"order": 1, **TL}, None, 1e-4),
    "tl_NLO_FFNS": ({"order": 2, **TL, **FFNS4}, 160, 1e-4),
    "tl_NLO_VFNS": ({"order": 2, **TL}, 160, 1e-4),
    "tl_NNLO_FFNS": ({"order": 3, **TL, **FFNS4}, 160, 1e-4),
}
OPERATOR = {"mu2grid": [1e4], "xgrid": GRID, "method": "iterate-exact"}


def _cards(name: str):
    theory, _, _ = SETTINGS[name]
    return load_cards(theory, OPERATOR)


def _reference(name: str):
    theory, operator = _cards(name)
    iterations = SETTINGS[name][1]
    if os.environ.get("EKODASK_RUN_EKO"):
        pytest.importorskip("eko")
        ref.run_eko(theory, operator, eko_iterations=iterations)
    cached = ref.load_reference(theory, operator, eko_iterations=iterations)
    if not cached:
        pytest.skip(f"no cached eko operator for {name}: see the module docstring")
    return theory, operator, cached


def _ours(theory, operator, mu2: float, nf: int) -> np.ndarray:
    pl = plan(theory, operator, points=((mu2, nf),))
    num = dataclasses.replace(pl.numerics, method="iterate-magnus4", with_error=False)
    return final_operator(pl.points[0], num)[0]


def _relative(name: str, ours: np.ndarray, eko_op, eko_err, theory, operator) -> np.ndarray:
    """eko_reference's measure (beyond eko's error estimate), x_in = 1 column left out.

    The photon is left out too: eko's polarised operators have a zero photon block (ekodask
    keeps the photon a spectator with the identity).
    """
    sub = (slice(1, None), slice(None), slice(1, None), slice(None, -1))
    columns = ref.input_columns(theory, operator)[1:]
    return ref._relative(ours[sub], eko_op[sub], 1e-6, columns, eko_err[sub])


def _to_evolution(op: np.ndarray, nf: int) -> np.ndarray:
    a, b = basis.flavor_to_evolution(nf), basis.evolution_to_flavor(nf)
    return np.einsum("ki,iajb,jl->kalb", a, op, b)


X = np.array(GRID)
X_OUT_MIN = 1e-3


def _worst(name: str) -> tuple[float, float]:
    """(per-entry measure for x_out >= X_OUT_MIN, max |ours - eko| / max |eko| everywhere)."""
    theory, operator, cached = _reference(name)
    worst = [0.0, 0.0]
    for (mu2, nf), (eko_op, eko_err) in cached.items():
        ours = _ours(theory, operator, mu2, nf)
        rel = _relative(name, ours, eko_op, eko_err, theory, operator)
        hi = rel[:, X >= X_OUT_MIN * (1 - 1e-12)]
        sub = (slice(1, None), slice(None), slice(1, None), slice(None, -1))
        cols = ref.input_columns(theory, operator)[1:]
        diff = np.abs(ours[sub] - eko_op[sub])[:, :, cols] / np.abs(eko_op[sub]).max()
        print(f"{name} ({mu2}, {nf}): all {rel.max():.1e}, x_out >= {X_OUT_MIN}: {hi.max():.1e}")
        print(f"  max |diff| / max |eko| {diff.max():.1e}")
        worst = [max(worst[0], float(hi.max())), max(worst[1], float(diff.max()))]
    return worst[0], worst[1]


KNOWN = {"tl_NLO_VFNS": "eko's time-like A_hg^(1) is half (module docstring)"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN[n])) if n in KNOWN else n
        for n in SETTINGS
        if n != "tl_NNLO_FFNS"
    ],
)
def test_against_eko(name):
    entry, whole = _worst(name)
    assert entry <= SETTINGS[name][2] and whole <= SETTINGS[name][2]


def test_time_like_vfns_with_eko_matching(monkeypatch):
    # ekodask with eko's (halved) time-like A_hg^(1) reproduces eko's time-like NLO VFNS EKO
    from ekodask.physics import ome_time_like

    full = ome_time_like.a_hg_1
    monkeypatch.setattr(ome_time_like, "a_hg_1", lambda n, L: 0.5 * full(n, L))
    entry, whole = _worst("tl_NLO_VFNS")
    assert entry <= SETTINGS["tl_NLO_VFNS"][2] and whole <= SETTINGS["tl_NLO_VFNS"][2]


def test_time_like_nnlo_against_eko():
    # eko transforms the x-space parametrisations of the time-like NNLO kernels (xpns2tp.f,
    # xpij2tp.f: ~1e-4 of gamma^(2), up to 7e-4; tests/benchmarks/test_eko_gamma_polarized_
    # time_like.py), ekodask the exact N-space amv1res.h; time-like evolution amplifies them at
    # small x (its singlet entries reach 2e9 at x_out = 1e-7). Measured per entry, x_out >= 1e-2:
    # S, g <= 1.0e-4, T3 1.1e-4, V3 3.4e-5; x_out >= 1e-3: T3 1.6e-2, S/g <= 5.4e-4; whole
    # operator: 1.3e-2 of a block's largest entry (S <- g, x_out = 1e-7). The total valence V
    # differs by eko's sign slip in gamma_nsv^(2) (0.37 per entry): compared apart.
    name = "tl_NNLO_FFNS"
    theory, operator, cached = _reference(name)
    ((mu2, nf), (eko_op, eko_err)), *_ = cached.items()
    ours = _to_evolution(_ours(theory, operator, mu2, nf), nf)
    theirs = _to_evolution(eko_op, nf)
    err = np.abs(_to_evolution(eko_err, nf))
    labels = basis.evolution_labels(nf)
    rows = np.flatnonzero(X >= 1e-2 * (1 - 1e-12))
    cols = range(len(GRID) - 1)
    v = labels.index("V")
    # the photon and the inactive b, t (eko: identity, ekodask: zero) are conventions
    keep = [k for k, lab in enumerate(labels) if lab != "V" and basis.sector(lab) != "identity"]
    sel = np.ix_(keep, rows, keep, cols)
    rel = ref._relative(ours[sel], theirs[sel], 1e-6, None, err[sel])
    assert rel.max() <= 3e-4, f"{rel.max():.2e}"
    # V itself: eko's sign slip shows as a difference far above the parametrisation's
    vv = np.ix_([v], rows, [v], cols)
    assert ref._relative(ours[vv], theirs[vv], 1e-6, None, err[vv]).max() > 1e-2


# x_out = 1e-7 and 1e-5: eko's largest relative deviation from the mpmath reference, measured
# 2026-12-03 (eko 0.15.7), x_in from the point below x_out to the last but one: (evolution
# basis T3, Sigma, g, entries above 1e-8 of their kind's largest; flavour basis quarks and
# gluon, entries above 1e-6 of the largest at their x_in). The flavour entries between
# flavours are differences of singlet and non-singlet entries, so they show eko's deviations
# larger; the largest ones sit at x_in <= x_out (the lower edge of the basis function's area
# at x_out, which eko keeps and cuts with its contour at theta = 0.9 pi)
EKO_SMALL_X = {
    ("pol_LO_FFNS", 0): (1.7e-3, 2.6e-3),
    ("pol_LO_FFNS", 5): (1.4e-4, 4.6e-4),
    ("unpol_LO_FFNS", 0): (7.0e-5, 6.8e-4),
    ("unpol_LO_FFNS", 5): (1.4e-4, 5.1e-3),
}


def _flavour_rows(small, theirs, nf):
    """The reference's (evolution-basis) entries of one row rotated to PDG ids, one per x_in."""
    labels = basis.evolution_labels(nf)
    left, right = basis.evolution_to_flavor(nf), basis.flavor_to_evolution(nf)
    out = []
    for ns, qq, qg, gq, gg in theirs:
        ev = np.zeros((14, 14))
        for k, lab in enumerate(labels):
            if basis.sector(lab) in ("ns_p", "ns_m", "ns_v"):
                ev[k, k] = ns  # LO: one non-singlet kernel
        i_s, i_g = labels.index("S"), labels.index("g")
        ev[np.ix_([i_s, i_g], [i_s, i_g])] = [[qq, qg], [gq, gg]]
        out.append(left @ ev @ right)
    return np.array(out)  # (x_in, pid_out, pid_in)


@pytest.mark.parametrize(("name", "a"), list(EKO_SMALL_X))
def test_small_x_rows_against_reference(name, a):
    from ekodask.pids import PIDS
    from tests import test_polarized_small_x as small

    theory, operator, cached = _reference(name)
    ((mu2, nf), (eko_op, _)), *_ = cached.items()
    assert (mu2, nf) == (1e4, small.NF) and list(X) == small.GRID
    polarized = name.startswith("pol")
    cols = list(range(max(a - 1, 0), len(GRID) - 1))
    theirs = small._reference(a, cols, polarized, dps=35)
    ours_op = _ours(theory, operator, mu2, nf)
    ours = small._ours(_to_evolution(ours_op, nf), a, cols)
    eko = small._ours(_to_evolution(eko_op, nf), a, cols)
    big = np.abs(theirs) > 1e-8 * np.abs(theirs).max(axis=0)  # per entry kind

    def worst(op):
        return float((np.abs(op - theirs)[big] / np.abs(theirs)[big]).max())

    # flavour basis: quarks u, d, s, c (and antiquarks) and the gluon
    keep = [PIDS.index(p) for p in (-4, -3, -2, -1, 21, 1, 2, 3, 4)]
    sub = np.ix_(range(len(cols)), keep, keep)
    flav_ref = _flavour_rows(small, theirs, nf)[sub]
    flav_big = np.abs(flav_ref) > 1e-6 * np.abs(flav_ref).max(axis=(1, 2), keepdims=True)

    def worst_flavour(op):
        rows = np.moveaxis(op[:, a][:, :, cols], 2, 0)[sub]  # (x_in, pid_out, pid_in)
        return float((np.abs(rows - flav_ref)[flav_big] / np.abs(flav_ref)[flav_big]).max())

    ours_dev, eko_dev = worst(ours), worst(eko)
    ours_fl, eko_fl = worst_flavour(ours_op), worst_flavour(eko_op)
    print(
        f"{name} x_out = {GRID[a]:.0e} vs reference: evolution basis ekodask {ours_dev:.1e}, "
        f"eko {eko_dev:.1e}; flavour basis ekodask {ours_fl:.1e}, eko {eko_fl:.1e}"
    )
    assert ours_dev < (1e-9 if polarized else 1e-6)
    assert ours_fl < (1e-9 if polarized else 1e-6)
    measured_ev, measured_fl = EKO_SMALL_X[name, a]
    assert eko_dev < 1.5 * measured_ev and eko_fl < 1.5 * measured_fl
    # the ekodask - eko difference is eko's deviation from the reference
    assert eko_dev > 100 * ours_dev and eko_fl > 100 * ours_fl


def _eko_inversion(order, entry, a, b, a0, a1, exact_transform, cut=0.05, polarized=True):
    """One operator entry by eko's own pieces: its kernel (iterate-exact, 160 steps), Talbot
    path (o = 1 singlet, 0 non-singlet; r = 0.4 * 16 / (0.1 - ln x)) cut at u = 1 - ``cut``
    (eko's mellin_cut 0.05: theta = 0.9 pi) and scipy quad at its tolerances, with eko's basis
    transform or the exact one (mpmath, 40 digits).

    ``entry``: (i, j) of the (Sigma, g) singlet matrix, or None for T3 (ns+).
    """
    import warnings

    import mpmath as mp
    from scipy import integrate

    pytest.importorskip("eko")
    import ekore.anomalous_dimensions.polarized.space_like as eko_pol
    import ekore.anomalous_dimensions.unpolarized.space_like as eko_unpol
    from eko.interpolation import InterpolatorDispatcher, log_evaluate_Nx
    from eko.kernels import EvoMethods
    from eko.kernels import non_singlet as eko_ns
    from eko.kernels import singlet as eko_singlet
    from eko.mellin import Talbot_jac, Talbot_path

    from tests.physics import mellin_reference as mref

    nf, method = 4, int(EvoMethods.ITERATE_EXACT)
    areas = list(InterpolatorDispatcher(GRID, 4))[b].areas_representation
    edges = mref.basis_edges(GRID, 4, a, b, dps=40)
    logx = float(np.log(GRID[a]))
    r, o = 0.4 * 16.0 / (0.1 - logx), 0.0 if entry is None else 1.0

    def transform(n):
        if not exact_transform:
            return log_evaluate_Nx(n, logx, areas)
        with mp.workdps(40):
            return complex(mref.truncated_transform(mp.mpc(n), edges))

    def f(u):
        n = Talbot_path(u, r, o)
        extra = () if polarized else ((0,) * 7, True)  # unpolarised: n3lo variation, fhmruvv
        eko_ad = eko_pol if polarized else eko_unpol
        if entry is None:
            gamma = eko_ad.gamma_ns((order, 0), 10101, n, nf, *extra)
            ker = eko_ns.dispatcher((order, 0), method, gamma, a1, a0, nf)
        else:
            gamma = eko_ad.gamma_singlet((order, 0), n, nf, *extra)
            ker = eko_singlet.dispatcher((order, 0), method, gamma, a1, a0, nf, 160, (10, 0))
            ker = ker[entry]
        return np.real(ker * transform(n) * Talbot_jac(u, r, o) * -1j / np.pi)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # quad reports the round-off of eko's transform
        return integrate.quad(f, 0.5, 1.0 - cut, epsabs=1e-12, epsrel=1e-5, limit=100)[0]


def test_eko_near_diagonal_deviation_is_its_contour_cut():
    # unpolarised LO, x_in <= x_out at x_out = 2.5e-7 and 1e-5 (the areas next to x_out, whose
    # terms decay slowest on the contour): eko's pieces with the exact transform reproduce eko's
    # stored entries (up to 8.4e-4 off the reference) with eko's cut at theta = 0.9 pi, and give
    # the reference to 1e-7 when the contour goes on to u = 0.99
    from tests import test_polarized_small_x as small

    *_, cached = _reference("unpol_LO_FFNS")
    ((_, nf), (eko_op, _)), *_ = cached.items()
    eko = _to_evolution(eko_op, nf)
    labels = basis.evolution_labels(nf)
    worst = 0.0
    for a, b in ((1, 0), (5, 4), (5, 5)):
        exact = small._reference(a, [b], False, dps=35)[0]
        for lab, entry, k in (("T3", None, 0), ("S", (0, 0), 1), ("g", (1, 1), 4)):
            i = labels.index(lab)
            args = (1, entry, a, b, small.A0, small.A1, True)
            cut_eko = _eko_inversion(*args, cut=0.05, polarized=False)
            cut_less = _eko_inversion(*args, cut=0.01, polarized=False)
            assert abs(cut_eko - eko[i, a, i, b]) < 1e-6 * abs(exact[k])
            assert abs(cut_less / exact[k] - 1) < 1e-7
            worst = max(worst, abs(cut_eko / exact[k] - 1))
    print(f"eko's cut contour: {worst:.1e} off the reference")
    assert 1e-4 < worst < 2e-3


def test_eko_small_x_deviation_is_its_basis_transform():
    # LO Sigma <- Sigma at x_out = 1e-7, x_in = 0.98: eko's pieces with eko's basis transform
    # give eko's stored entry (1.7e-3 off the reference), with the exact transform the reference
    import mpmath as mp
    from eko.interpolation import InterpolatorDispatcher, log_evaluate_Nx
    from eko.mellin import Talbot_path

    from tests import test_polarized_small_x as small
    from tests.physics import mellin_reference as mref

    a, b = 0, len(GRID) - 2
    exact = small._reference(a, [b], True, dps=35)[0][1]
    with_eko = _eko_inversion(1, (0, 0), a, b, small.A0, small.A1, False)
    with_exact = _eko_inversion(1, (0, 0), a, b, small.A0, small.A1, True)
    print(f"eko's transform {with_eko / exact - 1:+.1e}, exact {with_exact / exact - 1:+.1e}")
    assert abs(with_exact / exact - 1) < 1e-8
    assert 3e-4 < abs(with_eko / exact - 1) < 3e-3  # measured 1.7e-3, as eko's stored entry
    # the transform itself: round-off 1e-8 relative at the path's crossing N = 1 + r
    areas = list(InterpolatorDispatcher(GRID, 4))[b].areas_representation
    logx = float(np.log(GRID[a]))
    n = Talbot_path(0.5, 0.4 * 16.0 / (0.1 - logx), 1.0)
    with mp.workdps(40):
        edges = mref.basis_edges(GRID, 4, a, b, dps=40)
        exact_n = complex(mref.truncated_transform(mp.mpc(n), edges))
    assert 1e-10 < abs(log_evaluate_Nx(n, logx, areas) / exact_n - 1) < 1e-6


def test_polarised_nlo_small_x_deviation_is_eko_basis_transform():
    # NLO, x_out = 1e-7 (no mpmath reference at NLO): eko's stored entries are reproduced by its
    # own pieces with its basis transform; with the exact transform they move by up to 2.0e-4
    # (Sigma <- Sigma, x_in = 0.98) and then equal ekodask's iterate-exact (160 steps, eko's
    # method) to 5e-8; ekodask's default iterate-magnus4 is 1.1e-5..1.6e-5 from both (eko's
    # 160-step midpoint rule). Measured 2026-12-03.
    from ekodask.evolution import evolution_operator
    from ekodask.physics.coupling import a_s_exact

    theory, _, cached = _reference("pol_NLO_FFNS")
    ((mu2, nf), (eko_op, _)), *_ = cached.items()
    mu0_2 = theory.alphas_scale**2  # = mu0^2 = 2 on the LHA cards
    a0 = theory.alphas / (4 * np.pi)
    a1 = a_s_exact(2, a0, nf, mu0_2, mu2)
    kw = dict(xgrid=GRID, degree=4, order=2, nf=nf, a0=a0, a1=a1, polarized=True)
    ours = _to_evolution(evolution_operator(method="iterate-exact", ev_op_iterations=160, **kw), nf)
    theirs = _to_evolution(eko_op, nf)
    labels = basis.evolution_labels(nf)
    a, worst = 0, 0.0
    for b in (len(GRID) - 2, len(GRID) - 5):
        for lab, entry in (("S", (0, 0)), ("g", (1, 1)), ("T3", None)):
            i = labels.index(lab)
            fixed = _eko_inversion(2, entry, a, b, a0, a1, True)
            like = _eko_inversion(2, entry, a, b, a0, a1, False)
            stored = theirs[i, a, i, b]
            assert abs(stored - like) < 1e-6 * abs(fixed)  # eko's entry, reproduced
            assert abs(ours[i, a, i, b] / fixed - 1) < 1e-7
            worst = max(worst, abs(stored / fixed - 1))
    print(f"eko stored vs its own exact-transform inversion: {worst:.1e}")
    assert 5e-5 < worst < 5e-4


def test_time_like_nnlo_t3_difference_is_the_ns_parametrisation(monkeypatch):
    # ekodask with ekore's gamma^(2)T_ns+ (eko's Mellin transform of the x-space
    # parametrisation xpns2tp.f) in place of its exact N-space value (amv1res.h): the T3 and T8
    # difference to eko, 1.1e-4 (x_out >= 1e-2) and 1.6e-2 (x_out >= 1e-3) per entry, drops to
    # 1.2e-6 and 1.9e-4 (measured 2026-12-03). On the contours the two gamma^(2)T_ns+ differ by
    # 2e-4 (median) .. 1.7e-3 at x_out = 1e-3 and 3e-3 at N = 1.2-1.5 on the real axis, where
    # the time-like non-singlet kernel is large; 6e-6 at N = 2.
    ekore_tl = pytest.importorskip("ekore.anomalous_dimensions.unpolarized.time_like")
    from ekodask.physics import cache
    from ekodask.physics.anomalous_dimensions import time_like

    exact = time_like.gamma_ns

    def with_ekore(order, kind, n, nf):
        out = exact(order, kind, n, nf)
        if order >= 3 and kind == "+":
            flat = np.asarray(n).ravel()
            theirs = [ekore_tl.gamma_ns((3, 0), 10101, complex(z), nf)[2] for z in flat]
            out = out.copy()
            out[2] = np.reshape(theirs, out[2].shape)
        return out

    name = "tl_NNLO_FFNS"
    theory, operator, cached = _reference(name)
    ((mu2, nf), (eko_op, eko_err)), *_ = cached.items()
    labels = basis.evolution_labels(nf)
    theirs = _to_evolution(eko_op, nf)
    err = np.abs(_to_evolution(eko_err, nf))

    def worst(ours, label, x_min):
        i = labels.index(label)
        rows = np.flatnonzero(X >= x_min * (1 - 1e-12))
        sel = np.ix_([i], rows, [i], range(len(GRID) - 1))
        return ref._relative(ours[sel], theirs[sel], 1e-6, None, err[sel]).max()

    cache.clear()
    plain = _to_evolution(_ours(theory, operator, mu2, nf), nf)
    monkeypatch.setattr(time_like, "gamma_ns", with_ekore)
    cache.clear()
    swapped = _to_evolution(_ours(theory, operator, mu2, nf), nf)
    cache.clear()
    for label in ("T3", "T8"):
        assert worst(plain, label, 1e-3) > 1e-2 and worst(plain, label, 1e-2) > 5e-5
        assert worst(swapped, label, 1e-3) < 3e-4 and worst(swapped, label, 1e-2) < 1e-5


def test_time_like_nlo_small_x_difference_is_the_path_ordering():
    # time-like NLO FFNS, singlet at x_out ~ 1e-6 (entries up to 2e9): the per-entry difference
    # to eko, up to 6.9e-3, is the evolution method, not the inversion. With eko's method
    # (iterate-exact, 160 steps) ekodask agrees with eko to 6.4e-5; neither is converged there:
    # against iterate-exact at 2560 steps (error ~ 1/steps^2: 640 steps differ by 3.4e-4) eko's
    # 160 steps are off by up to 5.7e-3 and ekodask's default iterate-magnus4 at 10 steps by
    # 2.8e-3 (40 steps: 2.7e-5). These are entries far below their row's largest: measured on
    # that scale (evolution basis, |diff| / max over x_in) the 10 steps are within 2.4e-5
    # everywhere (space-like NLO/NNLO: 1.6e-5 / 2.9e-5). Measured 2026-12-03.
    from ekodask.evolution import evolution_operator
    from ekodask.physics.coupling import a_s_exact

    theory, _, cached = _reference("tl_NLO_FFNS")
    ((mu2, nf), (eko_op, _)), *_ = cached.items()
    a0 = theory.alphas / (4 * np.pi)
    a1 = a_s_exact(2, a0, nf, theory.alphas_scale**2, mu2)
    labels = basis.evolution_labels(nf)
    entries = [(3, 26, "S", "S"), (2, 21, "S", "g"), (2, 20, "g", "S"), (2, 24, "g", "g")]

    def pick(op):
        ev = _to_evolution(op, nf)
        return np.array([ev[labels.index(i), a, labels.index(j), b] for a, b, i, j in entries])

    kw = dict(xgrid=GRID, degree=4, order=2, nf=nf, a0=a0, a1=a1, time_like=True)
    eko = pick(eko_op)
    same = pick(evolution_operator(method="iterate-exact", ev_op_iterations=160, **kw))
    default = pick(evolution_operator(**kw))
    converged = pick(evolution_operator(method="iterate-exact", ev_op_iterations=2560, **kw))
    same_dev, default_dev = np.abs(same / eko - 1).max(), np.abs(default / eko - 1).max()
    print(f"same method {same_dev:.1e}, default {default_dev:.1e}")
    assert np.abs(same / eko - 1).max() < 2e-4
    assert np.abs(default / eko - 1).max() > 1e-3
    assert np.abs(eko / converged - 1).max() > 1e-3
    assert np.abs(default / converged - 1).max() > 1e-3


def test_unpolarised_nnlo_small_x_differences_are_eko_inversion():
    # the control at NNLO: the largest small-x differences to eko (x_out = 2.5e-7, next to the
    # diagonal: T3 3.2e-4, Sigma 2.9e-4, g 9.3e-5 with eko's method on both sides) are eko's
    # inversion: its own pieces reproduce them, and with the exact transform and the contour
    # on to u = 0.99 they equal ekodask's iterate-exact (160 steps) to 4.5e-7. Measured
    # 2026-12-03.
    from ekodask.evolution import evolution_operator
    from ekodask.physics.coupling import a_s_exact

    theory, _, cached = _reference("unpol_NNLO_FFNS")
    ((mu2, nf), (eko_op, _)), *_ = cached.items()
    a0 = theory.alphas / (4 * np.pi)
    a1 = a_s_exact(3, a0, nf, theory.alphas_scale**2, mu2)
    kw = dict(xgrid=GRID, degree=4, order=3, nf=nf, a0=a0, a1=a1)
    ours = _to_evolution(evolution_operator(method="iterate-exact", ev_op_iterations=160, **kw), nf)
    eko = _to_evolution(eko_op, nf)
    labels = basis.evolution_labels(nf)
    worst = 0.0
    for lab, entry, a, b in (("T3", None, 1, 0), ("S", (0, 0), 1, 2), ("g", (1, 1), 1, 2)):
        i = labels.index(lab)
        args = (3, entry, a, b, a0, a1)
        as_eko = _eko_inversion(*args, False, polarized=False)
        fixed = _eko_inversion(*args, True, cut=0.01, polarized=False)
        assert abs(as_eko - eko[i, a, i, b]) < 1e-6 * abs(fixed)
        assert abs(ours[i, a, i, b] / fixed - 1) < 2e-6
        worst = max(worst, abs(eko[i, a, i, b] / fixed - 1))
    assert 5e-5 < worst < 1e-3
