"""The benchmark harness: LHA comparison and eko cache with fake operators (fast), and the
comparison of ekodask with cached eko operators (``-m bench``; skipped without the cache)."""

import math

import numpy as np
import pytest

from ekodask.benchmarks import eko_reference as ref
from ekodask.benchmarks import lha
from ekodask.cards import load_cards
from ekodask.pdfs.toy import PIDS, lha_tables


def _identity(nx: int) -> np.ndarray:
    return np.einsum("ij,ab->iajb", np.eye(len(PIDS)), np.eye(nx))


def _identity_final_operator(theory, operator, mu2, nf):
    return _identity(len(operator.xgrid))


def test_identity_reproduces_initial_table():
    (result,) = lha.run_lha(["LO_initial"], final_operator=_identity_final_operator)
    # the identity EKO returns the toy PDFs of hep-ph/0204316 Sec. 4.1, whose values at mu0 are
    # Table 2 there (printed with 5 significant digits, so within 1e-4 relative)
    assert result.passed
    for key, values in result.reference.items():
        np.testing.assert_allclose(result.computed[key], values, rtol=1e-4, atol=1e-12)


def test_lha_command_exit_codes(monkeypatch, capsys):
    from ekodask.benchmarks.__main__ import main

    monkeypatch.setattr(lha, "_default_final_operator", _identity_final_operator)
    # no evolution reproduces the initial table (hep-ph/0204316 Table 2) ...
    assert main(["lha", "LO_initial"]) == 0
    assert "LO_initial  PASS" in capsys.readouterr().out
    # ... and misses the evolved one (the gluon grows by two orders of magnitude at small x)
    assert main(["lha", "LO_initial", "LO_VFNS"]) == 1
    assert "LO_VFNS     FAIL" in capsys.readouterr().out
    assert main(["lha", "NOT_A_TABLE"]) == 2


def test_evolved_table_against_itself_fails_where_perturbed():
    data = lha_tables()
    table = data["tables"]["NNLO_VFNS"]
    computed = {k: np.array(v, dtype=float) for k, v in table["xf"].items()}
    computed["g"][3] *= 1.0 + 2e-3
    computed["c_p"][-1] = table["xf"]["c_p"][-1] + 2e-8
    result = lha.compare_table("NNLO_VFNS", data["x"], computed, table["xf"])
    assert not result.passed
    bad = {k: np.flatnonzero(~v).tolist() for k, v in result.ok.items() if not v.all()}
    # g at x = 1e-4 is above the floor (relative check); c_p at x = 0.9 is below (absolute)
    assert table["xf"]["c_p"][-1] <= lha.FLOOR < table["xf"]["g"][3]
    assert bad == {"g": [3], "c_p": [10]}
    worst, key, x = result.worst_relative
    # a relative perturbation of 2e-3 is a relative deviation of 2e-3 (identity)
    np.testing.assert_allclose(worst, 2e-3, rtol=1e-9, atol=0.0)
    assert key == "g"
    np.testing.assert_allclose(x, 1e-4, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(result.worst_absolute, 2e-8, rtol=1e-6, atol=0.0)
    text = lha.format_table(result)
    assert "NNLO_VFNS: FAIL" in text and "!" in text


def test_small_deviation_passes():
    data = lha_tables()
    table = data["tables"]["NLO_FFNS"]
    computed = {k: np.array(v, dtype=float) * (1.0 + 5e-4) for k, v in table["xf"].items()}
    result = lha.compare_table("NLO_FFNS", data["x"], computed, table["xf"])
    assert result.passed
    assert "NLO_FFNS: PASS" in lha.format_table(result)


def test_apply_operator_needs_table_points_on_grid():
    xgrid = np.array([1e-3, 0.1, 0.5, 1.0])
    with pytest.raises(ValueError, match="not on the x-grid"):
        lha.apply_operator(_identity(4), xgrid, [0.3])


def test_apply_operator_mixes_flavours():
    # an EKO that moves the whole gluon into the photon: f_22 = f_21 (definition of O)
    xgrid = np.array([1e-3, 0.1, 0.5, 1.0])
    op = _identity(4)
    op[PIDS.index(22), :, PIDS.index(21), :] = np.eye(4)
    op[PIDS.index(21)] = 0.0
    out = lha.apply_operator(op, xgrid, [0.1, 0.5])
    np.testing.assert_allclose(out["g"], 0.0, rtol=0.0, atol=0.0)
    # sea combinations are untouched by this operator (identity on quarks)
    exact = lha.apply_operator(_identity(4), xgrid, [0.1, 0.5])
    np.testing.assert_allclose(out["L_p"], exact["L_p"], rtol=1e-15, atol=0.0)


def test_table_cards():
    tables = lha_tables()["tables"]
    theory, operator = lha.table_cards("NNLO_FFNS", tables["NNLO_FFNS"])
    assert theory == {"order": 3, "scheme": "FFNS", "nf_ffns": 4}
    assert operator == {"mu2grid": [1e4]}
    theory, operator = lha.table_cards("LO_initial", tables["LO_initial"])
    assert theory["order"] == 1 and operator == {"mu2grid": [[2.0, 3]]}


def test_evolution_points_default_nf():
    # LHA VFNS setting (hep-ph/0204316 Sec. 4.1): nf = 5 between m_b = 4.5 and m_t = 175 GeV
    th, op = load_cards({}, {"mu2grid": [10.0, [20.25, 4], 20.25, 1e4, 1e5]})
    assert ref.evolution_points(th, op) == [(10.0, 4), (20.25, 4), (20.25, 5), (1e4, 5), (1e5, 6)]
    th, op = load_cards({"scheme": "FFNS", "nf_ffns": 4}, {"mu2grid": [1e6]})
    assert ref.evolution_points(th, op) == [(1e6, 4)]


def test_evolution_points_as_ekodask():
    from ekodask import recipes

    grid = [2.0, 10.0, 20.25, 1e4, 30625.0, 1e5]
    for theory in ({}, {"scheme": "FFNS", "nf_ffns": 4}, {"scheme": "FFNS", "nf_ffns": 3}):
        extra = [[2.0, 3], [20.25, 4]] if theory == {} else []
        th, op = load_cards(theory, {"mu2grid": grid + extra})
        assert ref.evolution_points(th, op) == list(recipes.evolution_points(th, op))


def test_eko_cards():
    theory, operator = ref.eko_cards({"scheme": "FFNS", "nf_ffns": 4}, {"mu2grid": [1e4]})
    assert theory["heavy"]["matching_ratios"] == [0.0, math.inf, math.inf]
    assert theory["couplings"]["ref"][1] == 4 and operator["init"][1] == 4
    assert theory["order"] == [3, 0] and theory["matching_order"] == [2, 0]
    theory, operator = ref.eko_cards({}, {"mu2grid": [[20.25, 4], 1e4]})
    # eko cards hold linear scales: sqrt(20.25) = 4.5 and sqrt(1e4) = 100 exactly
    np.testing.assert_allclose(
        [mu for mu, _ in operator["mugrid"]], [4.5, 100.0], rtol=1e-15, atol=0.0
    )
    assert [nf for _, nf in operator["mugrid"]] == [4, 5]
    assert operator["init"][1] == 3 and theory["couplings"]["ref"][1] == 3
    with pytest.raises(ValueError, match="xir"):
        ref.eko_cards({"xir": 2.0}, {})
    # eko_iterations changes eko's card (and so its cache folder) but not ours
    _, operator = ref.eko_cards({}, {}, eko_iterations=160)
    assert operator["configs"]["ev_op_iterations"] == 160
    assert ref.cache_folder({}, {}, eko_iterations=160) != ref.cache_folder({}, {})
    same = load_cards({}, {})[1].ev_op_iterations
    assert ref.cache_folder({}, {}, eko_iterations=same) == ref.cache_folder({}, {})


def test_cache_round_trip(tmp_path):
    th, op = load_cards({}, {"mu2grid": [100.0, 1e4]})
    folder = ref.cache_folder(th, op, tmp_path)
    folder.mkdir(parents=True)
    nx = len(op.xgrid)
    fake = np.arange(14 * nx * 14 * nx, dtype=float).reshape(14, nx, 14, nx)
    np.savez(ref.point_path(folder, 1e4, 5), operator=fake, error=0.0 * fake)
    assert ref.cached_points(th, op, tmp_path) == [(1e4, 5)]
    loaded = ref.load_reference(th, op, tmp_path)
    np.testing.assert_array_equal(loaded[(1e4, 5)][0], fake)
    # the key ignores the mu2grid, so every scale of one setting shares a folder
    th2, op2 = load_cards({}, {"mu2grid": [1e4]})
    assert ref.cache_folder(th2, op2, tmp_path) == folder
    th3, op3 = load_cards({"order": 2}, {"mu2grid": [1e4]})
    assert ref.cache_folder(th3, op3, tmp_path) != folder


def test_compare_operators():
    rng = np.random.default_rng(1)
    a = rng.uniform(0.5, 1.0, size=(14, 3, 14, 3))
    a[0, 0, 0, 0] = 1e-9
    b = a.copy()
    b[2, 1, 3, 2] *= 1.0 + 1e-3
    b[0, 0, 0, 0] *= 2.0  # below 1e-6 of the largest entry on both sides: ignored
    worst, where = ref.compare_operators(b, a)
    # a relative perturbation d of one entry: |d a| / max(|a|, |(1 + d) a|) = d / (1 + d)
    np.testing.assert_allclose(worst, 1e-3 / (1 + 1e-3), rtol=1e-9, atol=0.0)
    assert where == (2, 1, 3, 2)
    # leaving out the input column of the perturbed entry leaves only identical entries
    columns = np.ones(14, dtype=bool)
    columns[3] = False
    worst, _ = ref.compare_operators(b, a, columns=columns)
    np.testing.assert_allclose(worst, 0.0, rtol=0.0, atol=0.0)
    blocks = ref.block_differences(b, a)
    np.testing.assert_allclose(blocks[(PIDS[2], PIDS[3])], 1e-3 / (1 + 1e-3), rtol=1e-9, atol=0.0)
    assert len(blocks) == 14 * 14 and max(blocks.values()) == blocks[(PIDS[2], PIDS[3])]
    # an entry only one side has counts fully, whichever side it is
    c = a.copy()
    c[5, 0, 5, 0] = 0.0
    for ours, theirs in ((c, a), (a, c)):
        worst, where = ref.compare_operators(ours, theirs)
        np.testing.assert_allclose(worst, 1.0, rtol=1e-12, atol=0.0)
        assert where == (5, 0, 5, 0)


def test_compare_operators_beyond_error():
    a = np.full((14, 2, 14, 2), 10.0)
    b = a.copy()
    b[1, 0, 1, 0] = 10.5
    error = np.zeros_like(a)
    error[1, 0, 1, 0] = 0.3
    worst, where = ref.compare_operators(b, a, error=error)
    # only |10.5 - 10| - 0.3 = 0.2 counts, relative to max(10.5, 10) (definition)
    np.testing.assert_allclose(worst, 0.2 / 10.5, rtol=1e-12, atol=0.0)
    assert where == (1, 0, 1, 0)
    error[1, 0, 1, 0] = 0.6
    worst, _ = ref.compare_operators(b, a, error=error)
    np.testing.assert_allclose(worst, 0.0, rtol=0.0, atol=0.0)


def test_input_columns():
    # VFNS from mu0 = m_c with nf0 = 3: charm, bottom, top vanish at mu0 (no intrinsic)
    keep = ref.input_columns({}, {})
    assert [p for p, k in zip(PIDS, keep, strict=True) if not k] == [-6, -5, -4, 4, 5, 6]
    keep = ref.input_columns({"scheme": "FFNS", "nf_ffns": 4, "intrinsic": [5]}, {})
    assert [p for p, k in zip(PIDS, keep, strict=True) if not k] == [-6, 6]


# ---- bench: needs eko (for the card check) or the cache written by eko_reference -------------


@pytest.mark.bench
def test_eko_accepts_cards():
    pytest.importorskip("eko")
    from eko.io.runcards import OperatorCard, TheoryCard

    for theory in ({}, {"scheme": "FFNS", "nf_ffns": 4}, {"order": 1}):
        th, op = ref.eko_cards(theory, {"mu2grid": [[20.25, 4], 1e4]})
        TheoryCard.from_dict(th)
        OperatorCard.from_dict(op)


# (theory overrides, operator overrides, eko's ev_op_iterations, tolerance), default x-grid.
# eko's iterated solution converges as 1/steps^2: 10 -> 40 steps moves its NLO FFNS operator by
# 4.8e-3 (measured), so 160 steps leave about 5e-3 (10/160)^2 = 2e-5; at LO the solution does
# not depend on the steps. 1e-4 is then the agreement two correct codes must reach.
FFNS4 = {"scheme": "FFNS", "nf_ffns": 4}
SETTINGS = {
    "LO_FFNS": ({"order": 1, **FFNS4}, {"mu2grid": [1e4]}, None, 1e-4),
    "LO_VFNS": ({"order": 1}, {"mu2grid": [1e4]}, None, 1e-4),
    "NLO_FFNS": ({"order": 2, **FFNS4}, {"mu2grid": [1e4]}, 160, 1e-4),
    "NLO_VFNS": ({"order": 2}, {"mu2grid": [1e4]}, 160, 1e-4),
    "NNLO_FFNS": (FFNS4, {"mu2grid": [1e4]}, 160, 1e-4),
    "NNLO_VFNS": ({}, {"mu2grid": [1e4]}, 160, 1e-4),
    # scans of mu2 (whatever of them is cached): below/on/above the b and t thresholds in VFNS
    "NNLO_FFNS_scan": (FFNS4, {"mu2grid": [100.0, 1e3, 1e5, 1e6]}, 160, 1e-4),
    "NNLO_VFNS_scan": ({}, {"mu2grid": [10.0, [20.25, 4], 100.0, 4e4, 1e5]}, 160, 1e-4),
}


def _compare_with_eko(
    name: str, endpoint: bool, x_out_min: float = 0.0, photon: bool = True
) -> None:
    theory_d, operator_d, eko_iterations, tol = SETTINGS[name]
    theory, operator = load_cards(theory_d, operator_d)
    cached = ref.load_reference(theory, operator, eko_iterations=eko_iterations)
    if not cached:
        pytest.skip(f"no cached eko operator for {name}: run ekodask.benchmarks.eko_reference")
    from ekodask.compute import operator_at

    columns = ref.input_columns(theory, operator)
    columns[0] &= photon
    for (mu2, nf), (eko_op, eko_err) in cached.items():
        ours = operator_at(theory, operator, mu2, nf)
        if endpoint:
            # without its x_out = 1 entry, a convention (see test_endpoint_column_against_eko)
            part = (slice(None), slice(None, -1), slice(None), slice(-1, None))
        else:
            part = (Ellipsis, slice(None, -1))
        # only what exceeds eko's own integration-error estimate counts; the threshold is
        # relative to the whole operator, rows below x_out_min are then left out
        rel = ref._relative(ours[part], eko_op[part], 1e-6, columns, eko_err[part])
        rel[:, np.asarray(operator.xgrid)[: rel.shape[1]] < x_out_min * (1 - 1e-12)] = 0.0
        where = np.unravel_index(int(np.argmax(rel)), rel.shape)
        worst = float(rel[where])
        np.testing.assert_allclose(worst, 0.0, rtol=0.0, atol=tol, err_msg=f"({mu2}, {nf}) {where}")


# Known: at NNLO VFNS just above a threshold ((10, 4), (4e4, 6), (1e5, 6)) entries with
# x_out < 1e-5 differ by up to 5.5e-4 beyond eko's error estimate. On the log-spaced part of the
# grid every entry must depend only on the distance of x_out and x_in in grid steps: ekodask keeps
# that to 1e-8, eko's entries drift by 1e-4..1e-2 per row towards the small-x edge (also in FFNS,
# below the comparison threshold there). The N-space OMEs agree with eko's to 1e-7.
KNOWN_SMALL_X = {"NNLO_VFNS_scan"}


@pytest.mark.bench
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="eko drifts at x_out < 1e-5"))
        if n in KNOWN_SMALL_X
        else n
        for n in SETTINGS
    ],
)
def test_against_eko(name):
    # every input column except x_in = 1, which multiplies f(1) = 0 of any physical PDF
    _compare_with_eko(name, endpoint=False)


@pytest.mark.bench
@pytest.mark.parametrize("name", sorted(KNOWN_SMALL_X))
def test_against_eko_above_small_x(name):
    # the same comparison for x_out >= 1e-5, without the photon column: eko's operators of this
    # scan have a zero photon block (ekodask keeps the photon a spectator with the identity)
    _compare_with_eko(name, endpoint=False, x_out_min=1e-5, photon=False)


@pytest.mark.bench
@pytest.mark.parametrize("name", [name for name in SETTINGS if "FFNS" in name])
def test_endpoint_column_against_eko(name):
    # the x_in = 1 column alone, for one evolution segment. Not in VFNS: the entry at
    # x_out = x_in = 1 is a convention (eko: 1 for partons, 0 for the photon; ekodask the
    # reverse) that enters this column wherever segments and matchings are multiplied
    _compare_with_eko(name, endpoint=True)


def test_cache_command_lists_runs(tmp_path, capsys):
    import json

    from ekodask.benchmarks.__main__ import main

    th, op = load_cards({"scheme": "FFNS", "nf_ffns": 4}, {"mu2grid": [1e4]})
    folder = ref.cache_folder(th, op, tmp_path)
    folder.mkdir()
    (folder / "cards.json").write_text(
        json.dumps({"ekodask": {"theory": th.to_dict(), "operator": op.to_dict()}})
    )
    np.savez(ref.point_path(folder, 1e4, 4), operator=np.zeros(1), error=np.zeros(1))
    record = {"points": [[1e4, 4]], "wall_s": 12.0, "peak_rss_bytes": 2**30, "cold": True}
    (folder / "runs.jsonl").write_text(json.dumps(record) + "\n")
    assert main(["cache", "--cache", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"order 3, FFNS nf=4, nx = {len(op.xgrid)}" in out
    assert "mu2_10000.0_nf4.npz" in out and "12 s, peak RSS 1.00 GiB, cold" in out
