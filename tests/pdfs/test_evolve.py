"""evolve_pdf with fake EKOs (identity and known linear operators) on the hand-written TinySet."""

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from ekodask.errors import CardError, StoreError
from ekodask.pdfs.evolve import apply_operator, evolve_pdf, initial_pdfs
from ekodask.pdfs.lhapdf import member_path, open_set, read_info, read_member, xfx_q2
from ekodask.pdfs.toy import PIDS

DATA = Path(__file__).parent / "data" / "TinySet"
XGRID = np.array([1e-4, 1e-3, 1e-2, 0.1, 1.0])  # knots of TinySet
# member 0 of TinySet: x f = a + b log10(x) + c log2(Q) + d log10(x) log2(Q) (data/README.md)
COEF = {
    -1: (2, -0.5, 0.25, 0),
    1: (3, -1, 0.5, 0.125),
    2: (5, -1, 1, 0.25),
    21: (10, -2, 0.5, -0.25),
}
POINTS = ((4.0, 3), (16.0, 3), (64.0, 3), (64.0, 4), (256.0, 4), (1024.0, 4))
THEORY = {"order": 2, "scheme": "VFNS", "masses": [8.0, 40.0, 173.0]}


def bilinear(pid: int, x: np.ndarray, q: float) -> np.ndarray:
    a, b, c, d = COEF[pid]
    u, m = np.log10(x), np.log2(q)
    return a + b * u + c * m + d * u * m


class FakeEko:
    """The EKO interface of CONTRACT.md, with operators from a function of (mu2, nf)."""

    def __init__(
        self, op: Callable[[float, int], np.ndarray], points=POINTS, mu0: float = 2.0
    ) -> None:
        self.xgrid = XGRID
        self.pids = PIDS
        self.evolution_points = points
        self.operator = {"mu0": mu0}
        self.theory = THEORY
        self._op = op
        self.served = 0

    def items(self):
        for point in self.evolution_points:
            self.served += 1
            yield point, self._op(*point)


def identity(mu2: float, nf: int) -> np.ndarray:
    return np.einsum("ij,ab->iajb", np.eye(14), np.eye(XGRID.size))


def alphas(mu2: float) -> float:
    return 1.0 / np.log(mu2 / 0.04)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "Evolved"


def test_identity_operator_keeps_values(out: Path) -> None:
    eko = FakeEko(identity)
    evolve_pdf(eko, DATA, out, alphas)
    assert eko.served == len(POINTS)
    for index in (0, 1):
        source = read_member(member_path(DATA, "TinySet", index))
        start = xfx_q2(source, XGRID, 4.0)  # mu0 = 2 GeV is a knot of TinySet
        member = read_member(member_path(out, "Evolved", index))
        assert member.header["PdfType"] == ("central" if index == 0 else "replica")
        assert [g.q.tolist() for g in member.subgrids] == [[2.0, 4.0, 8.0], [8.0, 16.0, 32.0]]
        for grid in member.subgrids:
            assert grid.pids == (-1, 21, 1, 2)  # EKO order; zero flavours left out
            np.testing.assert_allclose(grid.x, XGRID, rtol=0, atol=0)
            for iq in range(grid.q.size):
                # identity operator: f(mu2) = f(mu0) at every scale; x f = x * (xf0 / x)
                want = start[[0, 3, 1, 2]]
                np.testing.assert_allclose(grid.xf[:, :, iq], want, rtol=1e-15, atol=1e-15)


def test_info_file(out: Path) -> None:
    evolve_pdf(FakeEko(identity), DATA, out, alphas)
    info = read_info(out / "Evolved.info")
    qs = [2.0, 4.0, 8.0, 8.0, 16.0, 32.0]
    assert info["NumMembers"] == 2
    assert info["Flavors"] == [-1, 21, 1, 2]
    assert info["OrderQCD"] == 1 and info["AlphaS_OrderQCD"] == 1  # card order 2 = NLO
    assert info["FlavorScheme"] == "variable" and info["NumFlavors"] == 4
    assert info["AlphaS_Type"] == "ipol"
    assert (info["MCharm"], info["MBottom"], info["MTop"]) == (8.0, 40.0, 173.0)
    assert info["ErrorType"] == "replicas" and info["Particle"] == 2212  # kept from TinySet
    assert "SetIndex" not in info
    # the knots are the evolution points; alpha_s from the given callable
    np.testing.assert_allclose(info["AlphaS_Qs"], qs, rtol=1e-15, atol=0)
    np.testing.assert_allclose(info["AlphaS_Vals"], [alphas(q * q) for q in qs], rtol=1e-15, atol=0)
    np.testing.assert_allclose(info["AlphaS_MZ"], alphas(91.1876**2), rtol=1e-15, atol=0)
    np.testing.assert_allclose(
        [info["XMin"], info["XMax"], info["QMin"], info["QMax"]],
        [1e-4, 1.0, 2.0, 32.0],
        rtol=1e-15,
        atol=0,
    )


def test_alphas_with_nf_gets_both_values_on_a_threshold(out: Path) -> None:
    evolve_pdf(FakeEko(identity), DATA, out, lambda mu2, nf: 0.1 * (nf or 5))
    info = read_info(out / "Evolved.info")
    # points grouped by nf: three of nf = 3, then three of nf = 4 (alphas = 0.1 nf by design)
    np.testing.assert_allclose(info["AlphaS_Vals"], [0.3] * 3 + [0.4] * 3, rtol=1e-15, atol=0)
    np.testing.assert_allclose(info["AlphaS_MZ"], 0.5, rtol=1e-15, atol=0)  # nf = None there


def test_known_linear_operator(out: Path) -> None:
    """op = M(mu2, nf) (x) T: f(mu2) = M f0 T^T, computed here with matrix products."""
    rng = np.random.default_rng(3)
    flavour = {p: rng.normal(size=(14, 14)) for p in POINTS}
    xmix = {p: rng.normal(size=(XGRID.size, XGRID.size)) for p in POINTS}

    def op(mu2: float, nf: int) -> np.ndarray:
        return np.einsum("ij,ab->iajb", flavour[(mu2, nf)], xmix[(mu2, nf)])

    evolve_pdf(FakeEko(op, mu0=2.0**1.5), DATA, out, alphas)
    # mu0 = 2^1.5 GeV is between knots: member 0 is bilinear, interpolated exactly
    f0 = np.zeros((14, XGRID.size))
    for pid in COEF:
        f0[PIDS.index(pid)] = bilinear(pid, XGRID, 2.0**1.5) / XGRID
    member = read_member(member_path(out, "Evolved", 0))
    assert member.pids == PIDS  # a random M fills every flavour
    for grid, points in zip(member.subgrids, (POINTS[:3], POINTS[3:]), strict=True):
        for iq, point in enumerate(points):
            want = XGRID * (flavour[point] @ f0 @ xmix[point].T)
            rows = [PIDS.index(p) for p in grid.pids]
            np.testing.assert_allclose(grid.xf[:, :, iq], want[rows], rtol=1e-12, atol=1e-12)


def test_threshold_seam_reads_the_upper_subgrid(out: Path) -> None:
    """On Q = 8 GeV both nf = 3 and nf = 4 are written; LHAPDF's rule takes the upper one."""

    def op(mu2: float, nf: int) -> np.ndarray:
        return nf * identity(mu2, nf)

    evolve_pdf(FakeEko(op), DATA, out, alphas)
    member = open_set(out).member(0)
    start = xfx_q2(read_member(member_path(DATA, "TinySet", 0)), XGRID, 4.0)
    rows = [(-1, 21, 1, 2).index(p) for p in (-1, 1, 2, 21)]
    # scaled identity nf * 1: the seam gives 4 x f(mu0), just below it 3 x f(mu0)
    np.testing.assert_allclose(xfx_q2(member, XGRID, 64.0)[rows], 4 * start, rtol=1e-14, atol=0)
    np.testing.assert_allclose(xfx_q2(member, XGRID, 63.0)[rows], 3 * start, rtol=1e-14, atol=0)


def test_members_subset_and_apply_operator(out: Path) -> None:
    evolve_pdf(FakeEko(identity), DATA, out, alphas, members=[1])
    assert read_info(out / "Evolved.info")["NumMembers"] == 1
    f0 = initial_pdfs(open_set(DATA), XGRID, 2.0, PIDS, [0, 1])
    # identity operator applied to a stack of PDFs returns them (definition of the contraction)
    np.testing.assert_allclose(apply_operator(identity(4.0, 3), f0), f0, rtol=0, atol=0)


def test_mu0_not_covered_names_the_file(out: Path) -> None:
    for mu0 in (0.5, 40.0):
        with pytest.raises(StoreError, match=r"TinySet_0000\.dat.*do not cover mu0") as info:
            evolve_pdf(FakeEko(identity, mu0=mu0), DATA, out, alphas)
        assert "\n" not in str(info.value)
    assert not out.exists()


def test_x_not_covered_names_the_file(out: Path) -> None:
    eko = FakeEko(identity)
    eko.xgrid = np.array([1e-6, 1e-3, 0.1, 1.0])
    with pytest.raises(StoreError, match=r"TinySet_0000\.dat.*x range"):
        evolve_pdf(eko, DATA, out, alphas)


def test_missing_and_malformed_sets(tmp_path: Path, out: Path) -> None:
    with pytest.raises(StoreError, match="NoSuchSet"):
        evolve_pdf(FakeEko(identity), tmp_path / "NoSuchSet", out, alphas)
    broken = tmp_path / "TinySet"
    shutil.copytree(DATA, broken)
    path = member_path(broken, "TinySet", 1)
    path.write_text(path.read_text().replace("-1 1 2 21", "-1 1 2", 1))
    with pytest.raises(StoreError, match=r"TinySet_0001\.dat: subgrid 0"):
        evolve_pdf(FakeEko(identity), broken, out, alphas)


def test_eko_without_mu0(out: Path) -> None:
    eko = FakeEko(identity)
    eko.operator = {}
    with pytest.raises(StoreError, match="mu0"):
        evolve_pdf(eko, DATA, out, alphas)


def test_single_scale_nf_segment_is_refused(out: Path) -> None:
    points = ((4.0, 3), (16.0, 3), (256.0, 4))
    with pytest.raises(CardError, match="nf = 4 has the single scale"):
        evolve_pdf(FakeEko(identity, points=points), DATA, out, alphas)


def test_existing_output_is_not_overwritten(out: Path) -> None:
    evolve_pdf(FakeEko(identity), DATA, out, alphas)
    with pytest.raises(StoreError, match="exists"):
        evolve_pdf(FakeEko(identity), DATA, out, alphas)
    with pytest.raises(StoreError, match=r"TinySet_0000\.dat.*do not cover mu0"):
        evolve_pdf(FakeEko(identity, mu0=0.5), DATA, out, alphas, overwrite=True)
    assert len(list(out.iterdir())) == 3  # a failed run leaves the old set alone
    evolve_pdf(FakeEko(identity), DATA, out, alphas, overwrite=True, members=[0])
    assert sorted(p.name for p in out.iterdir()) == ["Evolved.info", "Evolved_0000.dat"]
    with pytest.raises(StoreError, match="is the input set"):
        evolve_pdf(FakeEko(identity), out, out, alphas, overwrite=True)


def test_plot_helper(out: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from ekodask.pdfs.plot import plot_pdfs

    x = XGRID[:-1]
    fig = plot_pdfs(x, {"a": x, "b": 2 * x}, reference="a", title="t")
    ratio = fig.axes[1].lines[1].get_ydata()
    np.testing.assert_allclose(ratio, 2.0, rtol=1e-15, atol=0)  # b / a = 2 by construction
    with pytest.raises(KeyError):
        plot_pdfs(x, {"a": x}, reference="c")


class FakeEkoWithThresholds(FakeEko):
    """FakeEko plus stored threshold operators ``thresholds[(mu2_h, nf)]``."""

    def __init__(self, op, thresholds, **kw) -> None:
        super().__init__(op, **kw)
        self.thresholds = thresholds


def test_threshold_operator_is_the_lower_knot_of_its_subgrid(out: Path) -> None:
    """nf = 4 has one point (256): with the threshold (64, 4) stored it becomes [64, 256]."""
    points = ((4.0, 3), (16.0, 3), (256.0, 4))
    thresholds = {(64.0, 4): 7.0 * identity(64.0, 4)}
    evolve_pdf(FakeEkoWithThresholds(identity, thresholds, points=points), DATA, out, alphas)
    member = open_set(out).member(0)
    assert [list(g.q) for g in member.subgrids] == [[2.0, 4.0], [8.0, 16.0]]
    start = xfx_q2(read_member(member_path(DATA, "TinySet", 0)), XGRID, 4.0)
    rows = [(-1, 21, 1, 2).index(p) for p in (-1, 1, 2, 21)]
    # the knot at Q = 8 holds the threshold operator (7 x identity) applied to f(mu0)
    np.testing.assert_allclose(xfx_q2(member, XGRID, 64.0)[rows], 7 * start, rtol=1e-14, atol=0)
    info = read_info(out / "Evolved.info")
    assert info["AlphaS_Qs"] == [2.0, 4.0, 8.0, 16.0]


def test_threshold_knot_not_used_where_the_subgrid_starts_on_it(out: Path) -> None:
    thresholds = {(64.0, 4): 7.0 * identity(64.0, 4), (4.0, 5): identity(4.0, 5)}
    evolve_pdf(FakeEkoWithThresholds(identity, thresholds), DATA, out, alphas)
    member = open_set(out).member(0)
    # (64, 4) is already a point; (4, 5) has no nf = 5 points: neither is added
    assert [list(g.q) for g in member.subgrids] == [[2.0, 4.0, 8.0], [8.0, 16.0, 32.0]]


def test_apply_operator_is_the_contraction_for_many_members() -> None:
    """The one-product form against the defining einsum, 100 members."""
    rng = np.random.default_rng(3)
    op = rng.normal(size=(14, 5, 14, 5))
    f0 = rng.normal(size=(100, 14, 5))
    want = np.einsum("iajb,mjb->mia", op, f0)
    np.testing.assert_allclose(apply_operator(op, f0), want, rtol=1e-12, atol=1e-12)
