"""LHAPDF 6 reader, writer and logcubic interpolation against the hand-written TinySet."""

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from ekodask.errors import StoreError
from ekodask.pdfs.lhapdf import (
    Member,
    Subgrid,
    member_path,
    open_set,
    pdfs_at,
    read_info,
    read_member,
    write_info,
    write_member,
    xfx_q2,
)
from ekodask.pdfs.toy import PIDS as TOY_PIDS
from ekodask.pdfs.toy import toy_xf

DATA = Path(__file__).parent / "data" / "TinySet"
PIDS = (-1, 1, 2, 21)
# member 0 of TinySet: x f = a + b u + c m + d u m, u = log10 x, m = log2 Q (data/README.md)
COEF = {
    -1: (2, -0.5, 0.25, 0),
    1: (3, -1, 0.5, 0.125),
    2: (5, -1, 1, 0.25),
    21: (10, -2, 0.5, -0.25),
}


def bilinear(pid: int, x: np.ndarray, q: float) -> np.ndarray:
    a, b, c, d = COEF[pid]
    u, m = np.log10(x), np.log2(q)
    return a + b * u + c * m + d * u * m


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of TinySet."""
    target = tmp_path / "TinySet"
    shutil.copytree(DATA, target)
    return target


def test_read_hand_written_set() -> None:
    pset = open_set(DATA)
    assert pset.name == "TinySet"
    assert pset.num_members == 2
    member = pset.member(0)
    assert member.header["PdfType"] == "central"
    assert pset.member(1).header["PdfType"] == "replica"
    assert [g.q.tolist() for g in member.subgrids] == [[1.0, 2.0, 4.0, 8.0], [8.0, 16.0, 32.0]]
    assert member.pids == PIDS
    for grid in member.subgrids:
        for k, pid in enumerate(PIDS):
            for iq, q in enumerate(grid.q):
                # the knot values are the formula of data/README.md, exact binary fractions
                np.testing.assert_allclose(
                    grid.xf[k, :, iq], bilinear(pid, grid.x, q), rtol=0, atol=1e-14
                )


def test_member_files_round_trip_byte_for_byte(tmp_path: Path) -> None:
    """Reading then writing gives the hand-written files back: the writer keeps the format."""
    for index in (0, 1):
        source = member_path(DATA, "TinySet", index)
        member = read_member(source)
        out = write_member(tmp_path / source.name, member.header, member.subgrids)
        assert out.read_text() == source.read_text()


def test_info_round_trip(tmp_path: Path) -> None:
    info = read_info(DATA / "TinySet.info")
    out = write_info(tmp_path / "TinySet.info", info)
    assert yaml.safe_load(out.read_text()) == yaml.safe_load((DATA / "TinySet.info").read_text())
    assert "AlphaS_Qs: [1.0, 2.0, 4.0, 8.0, 8.0, 16.0, 32.0]" in out.read_text()


def test_write_read_random_values_exactly(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    x = np.sort(rng.uniform(1e-6, 1.0, 9))
    grids = [
        Subgrid(x=x, q=np.array([1.3, 2.0, 4.5]), pids=(21, 2), xf=rng.normal(size=(2, 9, 3))),
        Subgrid(x=x, q=np.array([4.5, 91.1876]), pids=(21, 2), xf=rng.normal(size=(2, 9, 2))),
    ]
    member = read_member(write_member(tmp_path / "S_0000.dat", {"PdfType": "central"}, grids))
    for got, want in zip(member.subgrids, grids, strict=True):
        # repr of a double reads back as the same double: the round trip is exact
        np.testing.assert_allclose(got.x, want.x, rtol=0, atol=0)
        np.testing.assert_allclose(got.q, want.q, rtol=0, atol=0)
        np.testing.assert_allclose(got.xf, want.xf, rtol=0, atol=0)
        assert got.pids == want.pids


@pytest.mark.parametrize("q", [1.0, 1.3, 2.0, 3.7, 7.9, 8.0, 11.0, 20.0, 32.0])
def test_logcubic_reproduces_bilinear_functions(q: float) -> None:
    """Hermite splines with finite-difference slopes are exact for functions bilinear in
    (log x, log Q2) (mathematical identity), in both subgrids and on the seam Q = 8."""
    member = read_member(member_path(DATA, "TinySet", 0))
    x = np.array([1e-5, 3e-5, 2e-4, 1e-3, 0.0456, 0.3, 0.99, 1.0])
    got = xfx_q2(member, x, q**2)
    for k, pid in enumerate(PIDS):
        np.testing.assert_allclose(got[k], bilinear(pid, x, q), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("u", "m", "expected"),
    [
        # Hand evaluation of the cubic Hermite spline on the knots of x f = u^2 + m^2 with
        # unit spacing: interior slopes (y[k+1] - y[k-1]) / 2, edge slopes one-sided, value
        # at mid-interval (y0 + y1) / 2 + (d0 - d1) / 8 (arXiv:1412.7420, logcubic).
        (-2.5, 1.5, 6.25 + 2.25),  # interior in both: exact for a quadratic, 8.5
        (-0.5, 0.5, 0.375 + 0.375),  # top x edge (d = -2, -1), low Q edge (d = 1, 2)
        (-4.5, 2.5, 20.375 + 6.375),  # low x edge (d = -9, -8), top Q edge of subgrid 0
        # subgrid 1 has 3 Q knots: bilinear fallback, (9 + 4) / 2 + (16 + 25) / 2
        (-2.5, 4.5, 6.5 + 20.5),
        (-2.0, 4.5, 4.0 + 20.5),
    ],
)
def test_logcubic_edges_and_fallback(u: float, m: float, expected: float) -> None:
    member = read_member(member_path(DATA, "TinySet", 1))
    got = xfx_q2(member, np.array([10.0**u]), (2.0**m) ** 2)
    np.testing.assert_allclose(got[PIDS.index(21), 0], expected, rtol=1e-13, atol=1e-13)


def test_pdfs_at_divides_by_x_and_fills_absent_flavours() -> None:
    member = read_member(member_path(DATA, "TinySet", 0))
    x = np.array([1e-3, 0.1, 1.0])
    f = pdfs_at(member, x, 4.0, (22, 21, -1, 6))
    # PDF f = (x f) / x; ids absent from the set are zero (LHAPDF convention)
    np.testing.assert_allclose(f[1], bilinear(21, x, 2.0) / x, rtol=1e-13, atol=0)
    np.testing.assert_allclose(f[2], bilinear(-1, x, 2.0) / x, rtol=1e-13, atol=0)
    np.testing.assert_allclose(f[[0, 3]], 0.0, rtol=0, atol=0)


def test_out_of_range_is_an_error_naming_the_file() -> None:
    member = read_member(member_path(DATA, "TinySet", 0))
    with pytest.raises(StoreError, match=r"TinySet_0000\.dat.*Q2"):
        xfx_q2(member, np.array([0.1]), 0.5)
    with pytest.raises(StoreError, match=r"TinySet_0000\.dat.*x in"):
        xfx_q2(member, np.array([1e-6]), 4.0)


def test_gap_between_subgrids_is_an_error(tmp_path: Path) -> None:
    x = np.geomspace(1e-3, 1, 5)
    grids = [
        Subgrid(x=x, q=np.array([1.0, 2.0]), pids=(21,), xf=np.ones((1, 5, 2))),
        Subgrid(x=x, q=np.array([3.0, 4.0]), pids=(21,), xf=np.ones((1, 5, 2))),
    ]
    member = read_member(write_member(tmp_path / "G_0000.dat", {}, grids))
    with pytest.raises(StoreError, match=r"G_0000\.dat: Q2 = 6.25 .* gap"):
        xfx_q2(member, x, 2.5**2)
    # inside either subgrid it works; data constant 1 is reproduced (interpolation of constants)
    np.testing.assert_allclose(xfx_q2(member, x, 12.0), 1.0, rtol=1e-15, atol=0)


def test_missing_set_and_member(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such set directory"):
        open_set(tmp_path / "Nope")
    member_path(tiny, "TinySet", 1).unlink()
    with pytest.raises(StoreError, match=r"TinySet_0001\.dat: member 1 .* missing"):
        open_set(tiny)
    (tiny / "TinySet.info").unlink()
    with pytest.raises(StoreError, match=r"TinySet\.info: cannot be read"):
        open_set(tiny)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda lines: lines[:10] + lines[11:], "value lines"),
        (lambda lines: [*lines[:8], "1.0 2.0 oops 4.0", *lines[9:]], "not a list of numbers"),
        (lambda lines: [ln for ln in lines if ln != "---"], "closed by '---'"),
        (lambda lines: [*lines[:3], "1e-05 0.1 0.01 1.0", *lines[4:]], "increasing"),
        (lambda lines: [*lines, "trailing junk"], "after the last"),
    ],
)
def test_malformed_member_is_one_line_naming_the_file(tiny: Path, edit, message: str) -> None:
    path = member_path(tiny, "TinySet", 0)
    path.write_text("\n".join(edit(path.read_text().splitlines())) + "\n")
    with pytest.raises(StoreError, match=message) as info:
        read_member(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NumMembers: [1\n", "not valid YAML"),
        ("- a\n- b\n", "mapping"),
        ("SetDesc: x\n", "NumMembers"),
        ("NumMembers: 1\nFormat: lhagrid2\n", "lhagrid2"),
        ("NumMembers: 1\nInterpolator: cubic\n", "Interpolator"),
    ],
)
def test_malformed_info(tiny: Path, text: str, message: str) -> None:
    (tiny / "TinySet.info").write_text(text)
    with pytest.raises(StoreError, match=message) as info:
        open_set(tiny)
    assert "TinySet.info" in str(info.value)
    assert "\n" not in str(info.value)


def test_logcubic_converges_on_the_toy_pdfs() -> None:
    """The LHA toy PDFs (hep-ph/0204316 Sec. 4.1) from uniform log-x grids ever finer.

    A cubic Hermite spline with central-difference slopes errs by O(h^3) (numerical analysis):
    halving h divides the RMS relative error by about 8; 6 < 8 leaves room for pre-asymptotic
    terms and still tells it from a second-order scheme (4).
    """
    x_out = np.geomspace(2.1e-7, 0.093, 501)  # dense: the RMS averages over interval phases
    want = toy_xf(x_out)
    nonzero = want != 0
    q = np.array([1.0, 1.2, 2**0.5, 1.6, 2.0])
    errors = []
    for n in (101, 201, 401):
        x = np.geomspace(1e-9, 1, n)
        xf = np.repeat(toy_xf(x)[:, :, None], q.size, axis=2)  # constant in Q
        member = Member(header={}, subgrids=(Subgrid(x=x, q=q, pids=TOY_PIDS, xf=xf),))
        got = xfx_q2(member, x_out, 2.0)
        errors.append(np.sqrt(np.mean(((got - want)[nonzero] / want[nonzero]) ** 2)))
    assert errors[0] / errors[1] > 6 and errors[1] / errors[2] > 6, errors
