"""Polarised evolution end to end: cards, the gamma/OME seam, LHA tables, first moments.

References: the polarised LHA tables of hep-ph/0511119 (Tables 16-18, LO and NLO, in
ekodask/data/lha_polarized.yaml); the conservation of the non-singlet axial charges
(Delta gamma_ns,+(N = 1) = 0 at every order, 1409.5131 Sec. 2); the O(a_s) polarised OMEs
(ekodask.physics.ome_polarized).
"""

import numpy as np
import pytest
from scipy.special import beta as beta_fn

from ekodask.cards import compat_dict, load_cards, load_theory
from ekodask.compute import operator_at
from ekodask.errors import CardError, PhysicsError
from ekodask.evolution import _default_gammas, evolution_operator
from ekodask.interpolation import lagrange_basis, lha_xgrid, log_linear_xgrid
from ekodask.matching import matching_operator
from ekodask.options import EVOLUTION_METHODS
from ekodask.pdfs.toy import lha_combinations
from ekodask.pdfs.toy_polarized import polarized_lha_tables, polarized_toy_pdfs
from ekodask.physics import cache, ome_polarized
from ekodask.physics import kernels as kern
from ekodask.physics.anomalous_dimensions import polarized as pol
from ekodask.physics.coupling import Couplings
from ekodask.pids import PIDS

IDX = {pid: i for i, pid in enumerate(PIDS)}
TABLES = polarized_lha_tables()
LHA_X = np.array(TABLES["x"])


def _fine_grid() -> np.ndarray:
    # 10 points per decade and steps of 0.02 up to 0.9, then as lha_xgrid (106 points)
    g = log_linear_xgrid(per_decade=10, n_linear=45)
    return np.concatenate([g[g <= 0.9 + 1e-12], [0.92, 0.94, 0.96, 0.98, 1.0]])


# --- cards ----------------------------------------------------------------------------------


def test_cards_default_and_refusals():
    th, _ = load_cards()
    assert th.polarized is False and th.time_like is False
    assert load_cards({"order": 2, "polarized": True})[0].polarized is True
    bad = [
        ({"order": 2, "polarized": True, "time_like": True}, "key 'time_like'"),
        ({"order": 3, "polarized": True}, r"key 'polarized'.*1506\.04517"),
        ({"order": 2, "polarized": True, "intrinsic": [4]}, "key 'intrinsic'"),
        ({"order": 2, "polarized": "yes"}, "key 'polarized'.*true or false"),
        ({"order": 2, "polarized": True, "matching_order": 2}, r"'matching_order'.*2211\.15337"),
    ]
    for theory, match in bad:
        with pytest.raises(CardError, match=match):
            load_cards(theory)


def test_cards_stored_and_compat():
    th, op = load_cards({"order": 2, "polarized": True})
    d = th.to_dict()
    assert d["polarized"] is True and d["time_like"] is False
    assert load_cards(d, op.to_dict())[0] == th
    unpol = load_cards({"order": 2})[0]
    assert compat_dict(th, op) != compat_dict(unpol, op)  # merging them is refused
    # a card stored before the keys existed reads back unpolarised
    old = unpol.to_dict()
    del old["polarized"], old["time_like"]
    assert load_theory(old, defaults=False) == unpol


def test_store_holds_polarized_and_merge_refuses_mixing(tmp_path):
    import ekodask
    from ekodask.errors import IncompatibleStoresError
    from ekodask.store.tools import merge

    grid = [1e-4, 1e-3, 1e-2, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
    theory = {"order": 2, "polarized": True}
    operator = {"mu2grid": [100.0], "xgrid": grid, "interpolation_degree": 3}
    run = dict(scheduler="synchronous", quiet=True)
    pol_store = ekodask.run(theory, operator, str(tmp_path / "p.zarr"), **run)
    assert pol_store.theory["polarized"] is True
    want = operator_at(*load_cards(theory, operator), 100.0, 5)
    # the run combines the partial in the evolution basis: the same product up to rounding
    got = np.asarray(pol_store[(100.0, 5)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-14 * np.abs(want).max())
    # the eko export writes it into eko's operator card
    import tarfile

    import yaml

    from ekodask.eko_compat.writer import export

    tar = export(str(tmp_path / "p.zarr"), tmp_path / "p.tar")
    with tarfile.open(tar) as t:
        (member,) = [m for m in t.getmembers() if m.name.endswith("operator.yaml")]
        card = yaml.safe_load(t.extractfile(member).read())
    assert card["configs"]["polarized"] is True and card["configs"]["time_like"] is False
    other = {**operator, "mu2grid": [1000.0]}
    ekodask.run({"order": 2}, other, str(tmp_path / "u.zarr"), **run)
    with pytest.raises(IncompatibleStoresError, match="polarized"):
        merge([str(tmp_path / "p.zarr"), str(tmp_path / "u.zarr")], str(tmp_path / "m.zarr"))
    assert not (tmp_path / "m.zarr").exists()


# --- the seam ------------------------------------------------------------------------------


def test_provider_seam_and_cache_keys():
    n = np.array([2.5 + 1.0j, 3.0 + 0.5j])
    cache.clear()
    unpol = _default_gammas(3, (0,) * 7, None).gamma_singlet(2, n, 4)
    polar = _default_gammas(2, (0,) * 7, None, polarized=True).gamma_singlet(2, n, 4)
    assert len(cache.memo) == 2  # distinct memo entries at the same nodes
    np.testing.assert_allclose(polar, pol.gamma_singlet(2, n, 4), rtol=1e-15)
    assert np.abs(polar - unpol).max() > 1.0
    with pytest.raises(PhysicsError):
        _default_gammas(2, (0,) * 7, None, polarized=True, time_like=True)


def test_polarized_ome_o_as():
    n = np.array([1.0 + 0j, 2.0, 3.5 + 2j])
    L = 0.7
    s = ome_polarized.ome_sectors(2, n, 4, 0.1, L)
    # RG: A^(1) = L (Gamma_0^(nf) - Gamma_0^(nf+1)) in the (g, Sigma, h+) basis
    d = pol.gamma_singlet(1, n, 4)[0] - pol.gamma_singlet(1, n, 5)[0]
    np.testing.assert_allclose(s["hg"], 0.1 * L * d[..., 0, 1], rtol=1e-14)
    np.testing.assert_allclose(s["gg"], 1.0 + 0.1 * L * d[..., 1, 1], rtol=1e-14)
    assert abs(s["hg"][0]) < 1e-15  # first moment: Delta gamma_qg^(0)(1) = 0
    for key in ("gq", "hq", "gh"):
        np.testing.assert_array_equal(s[key], 0.0)
    with pytest.raises(PhysicsError, match=r"2211\.15337"):
        ome_polarized.ome_sectors(3, n, 4, 0.1, L)
    with pytest.raises(PhysicsError, match="intrinsic"):
        ome_polarized.ome_sectors(2, n, 4, 0.1, L, intrinsic=True)


def test_polarized_matching_round_trip():
    # backward (exact inverse) after forward polarised matching gives the toy back, up to the
    # interpolation error of composing two operators (measured 2e-7 gluon, 0 quarks, x < 0.9)
    grid = lha_xgrid()
    kw = dict(xgrid=grid, degree=4, order=2, nf=3, a_s=0.03, log_ratio=0.4, polarized=True)
    up = matching_operator(**kw)
    down = matching_operator(**kw, backward=True)
    f = polarized_toy_pdfs(grid)
    mid = np.einsum("iajb,jb->ia", up, f)
    assert np.abs(mid[IDX[4]]).max() > 1e-3  # the charm is generated from the gluon
    back = np.einsum("iajb,jb->ia", down, mid)
    sel = grid < 0.9
    for p in (21, 1, 2, 3, -1, -2, -3):
        np.testing.assert_allclose(back[IDX[p], sel], f[IDX[p], sel], rtol=2e-6, err_msg=p)
    np.testing.assert_allclose(back[IDX[4]], 0.0, atol=1e-6 * np.abs(f[IDX[21]]).max())


# --- LHA tables ----------------------------------------------------------------------------

_LHA = [n for n in TABLES["tables"] if n != "LO_initial"]


@pytest.mark.parametrize("name", _LHA)
def test_lha_polarized_tables(name):
    # hep-ph/0511119 polarised tables: mu0^2 = 2 GeV^2, alpha_s(2 GeV^2) = 0.35, FFNS nf = 4 or
    # VFNS (thresholds at the pole masses sqrt2, 4.5, 175 GeV), MSbar; mu_R^2 = xir2 mu_F^2.
    # Measured worst relative: LO 2.7e-4, NLO 5.0e-4 (s_p at x = 0.01, near its zero), all on
    # d_v(0.9) or s_p(0.01); the mu_R^2 = mu_F^2 / 2 tables need the 106-point grid at x = 0.01
    # (s_p = 1e-4 there, 1% of its neighbours: 60 points leave 1.2e-2, 106 points 4.7e-4).
    # L_m is left out: the column does not fit dbar - ubar (see the data file's header).
    table = TABLES["tables"][name]
    grid = _fine_grid() if name.endswith("xir2_0.5") else lha_xgrid()
    theory = {"order": 1 if name.startswith("LO") else 2, "polarized": True}
    theory["xir"] = float(np.sqrt(table["xir2"]))
    if table["scheme"] == 4:
        theory.update(scheme="FFNS", nf_ffns=4)
    th, op = load_cards(theory, {"mu2grid": [table["mu2"]], "xgrid": grid.tolist()})
    nf = 4 if table["scheme"] == 4 else 5
    o = operator_at(th, op, table["mu2"], nf)
    idx = [int(np.argmin(np.abs(grid - x))) for x in LHA_X]
    np.testing.assert_allclose(grid[idx], LHA_X, rtol=1e-12)
    xf = (np.einsum("iajb,jb->ia", o, polarized_toy_pdfs(grid)) * grid)[:, idx]
    got = lha_combinations(xf)
    for key, ref in table["xf"].items():
        if key == "L_m":
            continue
        ref = np.asarray(ref, dtype=float)
        big = np.abs(ref) > 1e-5
        np.testing.assert_allclose(got[key][big], ref[big], rtol=1e-3, atol=0, err_msg=key)
        np.testing.assert_allclose(got[key][~big], ref[~big], rtol=0, atol=1e-8, err_msg=key)


# --- first moments -------------------------------------------------------------------------

CPL = Couplings(3, 0.35, 2.0, (np.sqrt(2.0), 4.5, 175.0), scheme="FFNS", nf_ffns=4)
A0, A1 = CPL.a_s(2.0), CPL.a_s(1e4)


@pytest.mark.parametrize("method", EVOLUTION_METHODS)
@pytest.mark.parametrize("order", [1, 2, 3])
def test_ns_first_moment_kernel(order, method):
    # Delta gamma_ns,+^(k)(1) = 0 for k < 3: E_ns,+(N = 1) = 1 for every method
    g = pol.gamma_ns(order, "+", np.array([1.0 + 0j]), 4)
    np.testing.assert_allclose(np.abs(g), 0.0, atol=1e-11)
    e = kern.non_singlet(g, 4, A1, A0, method)
    np.testing.assert_allclose(e, 1.0, atol=1e-11)


def test_ns_first_moment_operator():
    # the axial charges T_3 = Delta(u + ubar - d - dbar), T_8 = Delta(u + ubar + d + dbar
    # - 2 s - 2 sbar) after LO and NLO evolution (FFNS nf = 4) and after NLO VFNS evolution
    # with two matchings, integrated on the grid. Input: the polarised toy with its sea made
    # regular at small x (x Delta qbar = -0.05 x^1.3 (1-x)^7: the toy's x^-0.7 sea leaves 1e-3
    # of T_8 below any x_min that the grid can reach); analytic input moments (Beta functions).
    # Measured: input quadrature 1.3e-6 (the valence tail below x_min), evolved <= 5e-6.
    grid = log_linear_xgrid(x_min=1e-9, per_decade=8, n_linear=36)
    w1 = lagrange_basis(grid, 4).mellin(np.array([1.0]))[:, 0].real
    f0 = polarized_toy_pdfs(grid)
    sea = -0.05 * grid**0.3 * (1.0 - grid) ** 7
    for p, c in ((-2, 1.0), (-1, 1.0), (3, 0.5), (-3, 0.5)):
        f0[IDX[p]] = c * sea
    f0[IDX[2]] = _valence(grid, 2) + sea
    f0[IDX[1]] = _valence(grid, 1) + sea
    uv = 1.3 * (beta_fn(0.7, 4) + 3 * beta_fn(1.7, 4))
    dv = -0.5 * (beta_fn(0.7, 5) + 4 * beta_fn(1.7, 5))
    m_sea = -0.05 * beta_fn(1.3, 8)
    want = {"T3": uv - dv, "T8": uv + dv + 2 * m_sea}

    def charges(f):
        q = {p: f[IDX[p]] + f[IDX[-p]] for p in (1, 2, 3)}
        return {"T3": (q[2] - q[1]) @ w1, "T8": (q[2] + q[1] - 2 * q[3]) @ w1}

    for key, value in charges(f0).items():  # the quadrature of the input itself
        np.testing.assert_allclose(value, want[key], rtol=3e-6)
    ops = [
        evolution_operator(xgrid=grid, degree=4, order=k, nf=4, a0=A0, a1=A1, polarized=True)
        for k in (1, 2)
    ]
    th, op = load_cards({"order": 2, "polarized": True}, {"mu2grid": [1e4], "xgrid": list(grid)})
    ops.append(operator_at(th, op, 1e4, 5))
    for o in ops:
        got = charges(np.einsum("iajb,jb->ia", o, f0))
        for key, value in got.items():
            np.testing.assert_allclose(value, want[key], rtol=1e-5, err_msg=key)


def _valence(x, pid):
    """Delta u_v (pid 2) or Delta d_v (pid 1) of the polarised toy (not times x)."""
    if pid == 2:
        return 1.3 * x**-0.3 * (1.0 - x) ** 3 * (1.0 + 3.0 * x)
    return -0.5 * x**-0.3 * (1.0 - x) ** 4 * (1.0 + 4.0 * x)


def test_every_method_runs_polarized():
    # every solution method takes the polarised anomalous dimensions: at LO all are the exact
    # exponential (identical operators); at NLO the non-singlet of the exact ones is the same
    # closed form as iterate-magnus4's, and every operator is finite
    grid = lha_xgrid()[::4]
    grid[-1] = 1.0
    kw = dict(xgrid=grid, degree=3, nf=4, a0=A0, a1=A1, polarized=True)
    ref = {k: evolution_operator(order=k, **kw) for k in (1, 2)}
    i, j = IDX[2], IDX[1]
    for method in EVOLUTION_METHODS:
        lo = evolution_operator(order=1, method=method, **kw)
        np.testing.assert_allclose(lo, ref[1], rtol=0, atol=1e-12, err_msg=method)
        o = evolution_operator(order=2, method=method, **kw)
        assert np.isfinite(o).all()
        if method.endswith("exact") or method == "iterate-magnus4":
            ns = (o[i, :, i] - o[i, :, j]) - (ref[2][i, :, i] - ref[2][i, :, j])
            np.testing.assert_allclose(ns, 0.0, atol=1e-12, err_msg=method)
