"""The plot helpers: operator heat map and evolved PDFs with ratios (matplotlib, Agg)."""

from __future__ import annotations

import numpy as np
import pytest

from ekodask.store import create, open

pytest.importorskip("matplotlib")

PIDS = (22, -6, -5, -4, -3, -2, -1, 21, 1, 2, 3, 4, 5, 6)
X = np.array([1e-3, 1e-2, 0.1, 0.5, 1.0])
SCALES = {(10.0, 4): 1.0, (100.0, 5): 0.5, (1e4, 5): 0.25}


@pytest.fixture(autouse=True)
def _agg():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    yield
    plt.close("all")


@pytest.fixture
def eko(tmp_path):
    """Finals c * identity plus a known gluon <- quark block, for three points."""
    s = create(
        str(tmp_path / "p.zarr"),
        metadata={"theory": {}, "operator": {}},
        compat={},
        xgrid=X,
        pids=PIDS,
    )
    for point, c in SCALES.items():
        op = c * np.eye(14 * X.size).reshape(14, X.size, 14, X.size)
        op[7, :, 8, :] = np.outer(np.arange(1.0, 6.0), [1, -1, 2, -2, 0])  # g <- d
        s.write_final(point, op)
    return open(s.path)


def test_operator_heat_map_shows_the_block(eko):
    from ekodask.pdfs.plot import plot_operator_block

    fig = plot_operator_block(eko, (100.0, 5), pid_out=21, pid_in=1)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    block = eko[(100.0, 5)][7, :, 8, :]
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(5, 5), block)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_title() == "O[21 <- 1] at mu2=100 GeV^2, nf=5"
    assert mesh.norm.vmin == -10.0 and mesh.norm.vmax == 10.0  # symmetric around 0
    # cells around the knots: geometric midpoints between neighbours
    xs = np.unique(mesh.get_coordinates()[..., 0])
    np.testing.assert_allclose(xs[1:-1], np.sqrt(X[1:] * X[:-1]), rtol=1e-14)
    with pytest.raises(KeyError, match="pid 7"):
        plot_operator_block(eko, (100.0, 5), pid_out=7)


def test_evolved_pdfs_and_ratios(eko):
    from ekodask.pdfs.plot import evolved_curves, plot_evolved

    f0 = np.zeros((14, X.size))
    f0[7] = 1.0 / X  # gluon
    f0[8] = 2.0  # d quark
    curves = evolved_curves(eko, f0, pid=21)
    assert list(curves) == ["mu2=10 GeV^2, nf=4", "mu2=100 GeV^2, nf=5", "mu2=10000 GeV^2, nf=5"]
    gq = np.outer(np.arange(1.0, 6.0), [1, -1, 2, -2, 0]) @ f0[8]
    for c, values in zip(SCALES.values(), curves.values(), strict=True):
        np.testing.assert_allclose(values, X * (c / X + gq), rtol=1e-14, atol=0)
    table = {"table": 2.0 * curves["mu2=10 GeV^2, nf=4"]}
    fig = plot_evolved(eko, f0, 21, points=[(10.0, 4), (1e4, 5)], extra=table, reference="table")
    top, ratio = fig.axes
    assert [line.get_label() for line in top.lines] == [
        "mu2=10 GeV^2, nf=4",
        "mu2=10000 GeV^2, nf=5",
        "table",
    ]
    np.testing.assert_allclose(ratio.lines[0].get_ydata(), 0.5, rtol=1e-14)
    np.testing.assert_allclose(ratio.lines[2].get_ydata(), 1.0, rtol=0)
    fig = plot_evolved(eko, f0, 21, reference=(100.0, 5))  # ratio to one of the scales
    expected = (1.0 + X * gq) / (0.5 + X * gq)
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), expected, rtol=1e-14)
    with pytest.raises(ValueError, match="f0 has shape"):
        evolved_curves(eko, f0[:, :3])
