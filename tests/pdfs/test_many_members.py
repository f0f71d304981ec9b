"""Many members in evolve_pdf: the fast exact writer, and stacked members equal to single ones.

References: the defining einsum of the contraction; Python's correctly rounded ``f"{v:.16e}"``
formatting (an independent implementation of the same 17-digit text); the bits of the values.
"""

from pathlib import Path

import numpy as np
import pytest

from ekodask.errors import StoreError
from ekodask.pdfs.evolve import apply_operator, evolve_pdf, initial_pdfs
from ekodask.pdfs.lhapdf import (
    Subgrid,
    _fixed_lines,
    member_path,
    open_set,
    read_member,
    write_member,
)
from ekodask.pdfs.toy import PIDS, write_toy_set

X = np.array([1e-5, 1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
POINTS = ((4.0, 3), (25.0, 3), (25.0, 4), (1e4, 4))
MU0 = float(np.sqrt(2.0))  # the toy set's values hold exactly there on its knots


def _parse(text: bytes, shape: tuple[int, int]) -> np.ndarray:
    lines = text.decode("ascii").split("\n")
    assert len(lines) == shape[0]  # one line per row, joined by newlines
    return np.array([line.split() for line in lines], dtype=float).reshape(shape)


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def test_fixed_lines_read_back_bitwise_and_match_printf() -> None:
    rng = np.random.default_rng(11)
    bits = rng.integers(0, 2**64, size=60_000, dtype=np.uint64, endpoint=False)
    values = bits.view(np.float64)
    values = values[np.isfinite(values) & (np.abs(values) > 1e-269) & (np.abs(values) < 1e269)]
    special = [0.0, -0.0, 1.0, -1.0, 0.1, 1e-269, 1e269, 2.5e-100, 9.5, 1e16]
    # neighbours of powers of ten, where log10 can land one off
    tens = 10.0 ** np.arange(-30, 31)
    near = np.concatenate([tens, np.nextafter(tens, 0), np.nextafter(tens, np.inf)])
    values = np.concatenate([special, near, values])
    values = values[: values.size // 6 * 6].reshape(-1, 6)
    text = _fixed_lines(values)
    assert text is not None
    assert _same_bits(_parse(text, values.shape), values)
    # each field is the correctly rounded 17-digit decimal: Python's f"{v:.16e}" up to the width
    # of the exponent (three digits here, since some exponent needs them) and the sign blank
    fields = text.decode("ascii").split()
    want = [f"{v:.16e}" for v in values.ravel().tolist()]
    for got, ref in zip(fields, want, strict=True):
        g_mant, g_exp = got.split("e")
        r_mant, r_exp = ref.split("e")
        assert (g_mant, int(g_exp)) == (r_mant, int(r_exp)), (got, ref)
        assert len(g_exp) == 4  # sign and three digits


def test_fixed_lines_layout_two_digit_exponents() -> None:
    values = np.array([[1.0, -0.25, 2.0**-15], [0.0, 12.5, -1e10], [3e-7, 0.1, -0.0]])
    text = _fixed_lines(values)
    assert text == (
        b" 1.0000000000000000e+00 -2.5000000000000000e-01  3.0517578125000000e-05\n"
        b" 0.0000000000000000e+00  1.2500000000000000e+01 -1.0000000000000000e+10\n"
        b" 2.9999999999999999e-07  1.0000000000000001e-01 -0.0000000000000000e+00"
    )


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 1e-300, -1e300, 5e-324])
def test_fixed_style_writes_rows_outside_its_range_as_repr(tmp_path: Path, bad: float) -> None:
    values = np.array([[1.0, 0.5], [2.0, bad], [0.0, -0.25]])
    text = _fixed_lines(values)
    assert text is not None
    lines = text.decode("ascii").split("\n")
    assert lines[1] == f"2.0 {bad!r}"  # that row alone as repr
    assert lines[0] == " 1.0000000000000000e+00  5.0000000000000000e-01"
    assert lines[2] == " 0.0000000000000000e+00 -2.5000000000000000e-01"
    x = np.array([1e-4, 1e-3, 1e-2, 0.1, 1.0])
    xf = np.random.default_rng(5).normal(size=(2, 5, 2))
    xf[1, 2, 1] = bad
    grids = [Subgrid(x=x, q=np.array([1.0, 2.0]), pids=(21, 2), xf=xf)]
    path = write_member(tmp_path / "S_0000.dat", {}, grids, style="fixed")
    got = read_member(path).subgrids[0].xf
    assert np.array_equal(got.view(np.uint64), xf.view(np.uint64))


def test_write_member_fixed_style_reads_back_bitwise(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    x = np.sort(rng.uniform(1e-6, 1.0, 9))
    grids = [
        Subgrid(x=x, q=np.array([1.3, 2.0, 4.5]), pids=(21, 2), xf=rng.normal(size=(2, 9, 3))),
        Subgrid(
            x=x,
            q=np.array([4.5, 91.1876]),
            pids=(21, 2),
            xf=rng.normal(size=(2, 9, 2)) * 1e-150,  # three-digit exponents in this block
        ),
    ]
    fixed = read_member(write_member(tmp_path / "F_0000.dat", {}, grids, style="fixed"))
    shortest = read_member(write_member(tmp_path / "S_0000.dat", {}, grids))
    for a, b, want in zip(fixed.subgrids, shortest.subgrids, grids, strict=True):
        assert _same_bits(a.xf, want.xf) and _same_bits(b.xf, want.xf)
        assert _same_bits(a.x, want.x) and _same_bits(a.q, want.q)
    with pytest.raises(ValueError, match="style"):
        write_member(tmp_path / "B_0000.dat", {}, grids, style="pretty")


class RandomEko:
    """The EKO interface of CONTRACT.md with seeded dense random operators on X."""

    def __init__(self) -> None:
        rng = np.random.default_rng(2024)
        self.xgrid = X
        self.pids = PIDS
        self.evolution_points = POINTS
        self.operator = {"mu0": MU0}
        self.theory = {"order": 3, "scheme": "VFNS", "masses": [1.51, 4.92, 172.5]}
        n = len(PIDS) * X.size
        scales = (1.0, 1e-3, 1e3, 1e-120)  # values spread over many decades
        self.ops = {
            p: s * rng.normal(size=(len(PIDS), X.size, len(PIDS), X.size)) / n
            for p, s in zip(POINTS, scales, strict=True)
        }

    def items(self):
        yield from self.ops.items()


def _alphas(mu2: float) -> float:
    return 0.118 / (1.0 + 0.1 * np.log(mu2 / 8315.0))


def test_many_members_written_bitwise_and_equal_to_single_members(tmp_path: Path) -> None:
    toy = write_toy_set(tmp_path / "Toy", X, replicas=99)
    pset = open_set(toy)
    eko = RandomEko()
    out = evolve_pdf(eko, toy, tmp_path / "Evolved", _alphas)
    members = list(range(100))
    f0 = initial_pdfs(pset, X, MU0, PIDS, members)
    stacked = {p: X * apply_operator(op, f0) for p, op in eko.ops.items()}
    # each member alone (the contraction of one row) agrees with the stacked product
    for k in members:
        for p, op in eko.ops.items():
            alone = X * apply_operator(op, f0[k : k + 1])[0]
            scale = np.abs(alone).max()
            np.testing.assert_allclose(stacked[p][k], alone, rtol=0, atol=1e-14 * scale)
    # the written files hold the evolved values (all flavours are kept: the dense operators
    # fill every one). Not bitwise: this test's product and evolve_pdf's may sum in another
    # order (BLAS threads); the writer's own round trip is bitwise (test above)
    evolved = open_set(out)
    assert evolved.num_members == 100
    for k in members:
        member = evolved.member(k)
        assert member.pids == tuple(PIDS)
        for grid, nf in zip(member.subgrids, (3, 4), strict=True):
            pts = [p for p in POINTS if p[1] == nf]
            assert np.allclose(grid.q**2, [p[0] for p in pts], rtol=1e-15)
            for j, p in enumerate(pts):
                want = stacked[p][k]
                scale = np.abs(want).max()
                np.testing.assert_allclose(grid.xf[..., j], want, rtol=0, atol=1e-14 * scale)
    # and evolve_pdf on single members writes the same numbers as the 100-member run
    for k in (0, 1, 57, 99):
        one = evolve_pdf(eko, toy, tmp_path / f"One{k}", _alphas, members=[k])
        alone = read_member(member_path(one, one.name, 0))
        for a, b in zip(alone.subgrids, evolved.member(k).subgrids, strict=True):
            scale = np.abs(b.xf).max()
            np.testing.assert_allclose(a.xf, b.xf, rtol=0, atol=1e-14 * scale)


def test_header_text_cache_keeps_types_apart(tmp_path: Path) -> None:
    """Headers are formatted once per distinct content: 1, 1.0, True and -0.0, 0.0 differ."""
    x = np.array([1e-4, 1e-3, 1e-2, 0.1, 1.0])
    grids = [Subgrid(x=x, q=np.array([1.0, 2.0]), pids=(21,), xf=np.ones((1, 5, 2)))]
    seen = []
    for value in (1, 1.0, True, 0.0, -0.0, 1, "1"):
        path = write_member(tmp_path / f"H_{len(seen):04d}.dat", {"Extra": value}, grids)
        got = read_member(path).header["Extra"]
        assert type(got) is type(value) and repr(got) == repr(value)
        seen.append(path.read_text().split("\n---")[0])
    assert seen[0] == seen[5] and len(set(seen)) == 6


def test_ragged_value_rows_name_the_file(tmp_path: Path) -> None:
    x = np.array([1e-4, 1e-3, 1e-2, 0.1, 1.0])
    grids = [Subgrid(x=x, q=np.array([1.0, 2.0]), pids=(21, 1), xf=np.ones((2, 5, 2)))]
    path = write_member(tmp_path / "R_0000.dat", {}, grids, style="fixed")
    lines = path.read_text().split("\n")
    lines[7] = lines[7].split()[0]  # one value row with one number of two
    path.write_text("\n".join(lines))
    with pytest.raises(StoreError, match=r"R_0000\.dat: subgrid 0 has 10 value lines / 19 numbers"):
        read_member(path)
